#include "missionkit/stats/effect.hpp"

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include "detail/checks.hpp"
#include "detail/roots.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;

constexpr double inf = std::numeric_limits<double>::infinity();

struct summary {
  double mean, var, n;
};

summary summarize(const char* fn, const char* name, std::span<const double> x) {
  if (x.empty()) fail(fn, std::string(name) + " is empty");
  double sum = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]))
      fail(fn, std::string(name) + "[" + std::to_string(i) + "] is " + num(x[i]) +
                   "; drop or impute missing values first");
    sum += x[i];
  }
  const double n = static_cast<double>(x.size());
  const double mean = sum / n;
  double ss = 0.0;
  double s = 0.0;
  for (const double v : x) {
    ss += (v - mean) * (v - mean);
    s += v - mean;
  }
  // Corrected two-pass variance (as in ttest.cpp); a single value contributes no variance.
  return {mean, x.size() > 1 ? (ss - s * s / n) / (n - 1.0) : 0.0, n};
}

summary from_stats(const char* fn, const char* m, const char* s, const char* n, double mean, double sd,
                   double nobs) {
  detail::check_finite(fn, m, mean);
  detail::check_finite(fn, s, sd);
  if (sd < 0) fail(fn, std::string(s) + " must be >= 0, got " + s + "=" + num(sd));
  detail::check_not_nan(fn, n, nobs);
  if (!(nobs >= 1.0 && std::isfinite(nobs)))
    fail(fn, std::string(n) + " must be >= 1, got " + n + "=" + num(nobs));
  return {mean, sd * sd, nobs};
}

// Noncentrality nc with P[T'(df, nc) <= t] = p. The cdf falls as nc grows, so bracket outwards from t.
double nct_nc_for_cdf(double t, double df, double p, const char* fn) {
  auto f = [&](double nc) { return p - nct_cdf(t, df, nc); };  // increasing in nc
  double lo = t - 1.0;
  double hi = t + 1.0;
  double step = 2.0;
  while (f(lo) > 0.0) {
    lo -= step;
    step *= 2.0;
    if (lo < -1e6) fail(fn, "noncentral t interval did not bracket (t=" + num(t) + ")");
  }
  step = 2.0;
  while (f(hi) < 0.0) {
    hi += step;
    step *= 2.0;
    if (hi > 1e6) fail(fn, "noncentral t interval did not bracket (t=" + num(t) + ")");
  }
  return detail::find_root(f, lo, hi, fn, "noncentrality for the interval");
}

effect_estimate smd(const char* fn, const summary& a, const summary& b, double alpha, alternative alt,
                    bool hedges) {
  detail::check_alpha(fn, alpha);
  const double df = a.n + b.n - 2.0;
  if (!(df > (hedges ? 1.0 : 0.0)))
    fail(fn, std::string("needs nobs1 + nobs2 > ") + (hedges ? "3" : "2") + ", got nobs1=" + num(a.n) +
                 ", nobs2=" + num(b.n));
  const double sp2 = ((a.n - 1.0) * a.var + (b.n - 1.0) * b.var) / df;
  if (!(sp2 > 0.0))
    fail(fn, "the pooled sample has zero variance, so the standardized difference is undefined");
  const double d = (a.mean - b.mean) / std::sqrt(sp2);
  const double scale = std::sqrt(1.0 / a.n + 1.0 / b.n);  // d = t * scale
  const double t = d / scale;
  const double tail = alt == alternative::two_sided ? alpha / 2.0 : alpha;
  effect_estimate e{d, -inf, inf};
  if (alt != alternative::smaller) e.ci_low = nct_nc_for_cdf(t, df, 1.0 - tail, fn) * scale;
  if (alt != alternative::larger) e.ci_high = nct_nc_for_cdf(t, df, tail, fn) * scale;
  if (hedges) {
    const double j = hedges_correction(df);
    e.estimate *= j;
    e.ci_low *= j;
    e.ci_high *= j;
  }
  return e;
}

}  // namespace

double cohens_h(double prop1, double prop2) {
  detail::check_closed("cohens_h", "prop1", prop1, 0.0, 1.0);
  detail::check_closed("cohens_h", "prop2", prop2, 0.0, 1.0);
  return 2.0 * std::asin(std::sqrt(prop1)) - 2.0 * std::asin(std::sqrt(prop2));
}

effect_estimate cohens_h_ci(double count1, double nobs1, double count2, double nobs2, double alpha,
                            alternative alt) {
  constexpr const char* fn = "cohens_h_ci";
  detail::check_positive(fn, "nobs1", nobs1);
  detail::check_positive(fn, "nobs2", nobs2);
  detail::check_not_nan(fn, "count1", count1);
  detail::check_not_nan(fn, "count2", count2);
  if (!(count1 >= 0 && count1 <= nobs1))
    fail(fn, "count1 must be in [0, nobs1], got count1=" + num(count1) + ", nobs1=" + num(nobs1));
  if (!(count2 >= 0 && count2 <= nobs2))
    fail(fn, "count2 must be in [0, nobs2], got count2=" + num(count2) + ", nobs2=" + num(nobs2));
  detail::check_alpha(fn, alpha);
  const double h = cohens_h(count1 / nobs1, count2 / nobs2);
  const double z = normal_isf(alt == alternative::two_sided ? alpha / 2.0 : alpha);
  const double half = z * std::sqrt(1.0 / nobs1 + 1.0 / nobs2);
  effect_estimate e{h, h - half, h + half};
  if (alt == alternative::larger) e.ci_high = inf;
  if (alt == alternative::smaller) e.ci_low = -inf;
  return e;
}

double hedges_correction(double df) {
  detail::check_not_nan("hedges_correction", "df", df);
  if (!(df > 1.0)) fail("hedges_correction", "df must be > 1, got df=" + num(df));
  if (std::isinf(df)) return 1.0;
  // Gamma(df/2) / Gamma((df-1)/2) = 1 / tgamma_delta_ratio((df-1)/2, 1/2): Boost evaluates the ratio
  // directly, without the cancellation of lgamma differences at large df.
  return 1.0 / (boost::math::tgamma_delta_ratio((df - 1.0) / 2.0, 0.5) * std::sqrt(df / 2.0));
}

effect_estimate cohens_d(std::span<const double> x1, std::span<const double> x2, double alpha,
                         alternative alt) {
  constexpr const char* fn = "cohens_d";
  return smd(fn, summarize(fn, "x1", x1), summarize(fn, "x2", x2), alpha, alt, false);
}

effect_estimate cohens_d_from_stats(double mean1, double std1, double nobs1, double mean2, double std2,
                                    double nobs2, double alpha, alternative alt) {
  constexpr const char* fn = "cohens_d_from_stats";
  return smd(fn, from_stats(fn, "mean1", "std1", "nobs1", mean1, std1, nobs1),
             from_stats(fn, "mean2", "std2", "nobs2", mean2, std2, nobs2), alpha, alt, false);
}

effect_estimate hedges_g(std::span<const double> x1, std::span<const double> x2, double alpha,
                         alternative alt) {
  constexpr const char* fn = "hedges_g";
  return smd(fn, summarize(fn, "x1", x1), summarize(fn, "x2", x2), alpha, alt, true);
}

effect_estimate hedges_g_from_stats(double mean1, double std1, double nobs1, double mean2, double std2,
                                    double nobs2, double alpha, alternative alt) {
  constexpr const char* fn = "hedges_g_from_stats";
  return smd(fn, from_stats(fn, "mean1", "std1", "nobs1", mean1, std1, nobs1),
             from_stats(fn, "mean2", "std2", "nobs2", mean2, std2, nobs2), alpha, alt, true);
}

effect_estimate relative_lift(double count1, double nobs1, double count2, double nobs2, double alpha,
                              ratio_ci_method method, alternative alt) {
  // risk_ratio_ci validates every argument (its messages name risk_ratio_ci's arguments, which are the same).
  const interval ci = risk_ratio_ci(count1, nobs1, count2, nobs2, alpha, method, alt);
  const double p1 = count1 / nobs1;
  const double p2 = count2 / nobs2;
  const double est = p2 > 0.0 ? p1 / p2 - 1.0 : (p1 > 0.0 ? inf : std::numeric_limits<double>::quiet_NaN());
  return {est, ci.low - 1.0, ci.high - 1.0};
}

effect_estimate odds_ratio(double count1, double nobs1, double count2, double nobs2, double alpha,
                           ratio_ci_method method, alternative alt) {
  const interval ci = odds_ratio_ci(count1, nobs1, count2, nobs2, alpha, method, alt);
  const double num1 = count1 * (nobs2 - count2);
  const double den = count2 * (nobs1 - count1);
  const double est = den > 0.0 ? num1 / den : (num1 > 0.0 ? inf : std::numeric_limits<double>::quiet_NaN());
  return {est, ci.low, ci.high};
}

}  // namespace missionkit::stats
