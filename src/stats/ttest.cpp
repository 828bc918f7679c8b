#include "missionkit/stats/ttest.hpp"

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include "detail/checks.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;

constexpr double inf = std::numeric_limits<double>::infinity();

struct moments {
  double n = 0.0;
  double mean = 0.0;
  double var = 0.0;  // ddof = 1; NaN when n < 2
};

// Two-pass mean and variance: the second pass on deviations avoids the cancellation of sum(x^2) - n m^2
// (Chan, Golub & LeVeque 1983), so nearly constant data with a large offset keeps its digits.
moments describe(const char* fn, const char* name, std::span<const double> x) {
  moments m;
  m.n = static_cast<double>(x.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]))
      fail(fn, std::string(name) + "[" + std::to_string(i) + "] is " + num(x[i]) +
                   "; drop or impute missing values first");
    sum += x[i];
  }
  if (x.empty()) fail(fn, std::string(name) + " is empty");
  m.mean = sum / m.n;
  double ss = 0.0;
  double s = 0.0;
  for (const double v : x) {
    ss += (v - m.mean) * (v - m.mean);
    s += v - m.mean;
  }
  // Corrected two-pass (the s^2/n term removes the rounding error of the mean).
  m.var = x.size() > 1 ? (ss - s * s / m.n) / (m.n - 1.0) : std::numeric_limits<double>::quiet_NaN();
  return m;
}

// p-value and interval from an estimate, its standard error and the reference distribution (t with df,
// or the normal when df is infinite).
ttest_result finish(double estimate, double null_value, double se, double df, double alpha, alternative alt) {
  ttest_result r;
  r.estimate = estimate;
  r.std_error = se;
  r.df = df;
  r.statistic = (estimate - null_value) / se;
  const bool z = std::isinf(df);
  auto sf = [&](double t) { return z ? normal_sf(t) : t_sf(t, df); };
  auto isf = [&](double p) { return z ? normal_isf(p) : t_isf(p, df); };
  switch (alt) {
    case alternative::two_sided: {
      r.pvalue = std::min(1.0, 2.0 * sf(std::abs(r.statistic)));
      const double q = isf(alpha / 2.0);
      r.ci_low = estimate - q * se;
      r.ci_high = estimate + q * se;
      break;
    }
    case alternative::larger:
      r.pvalue = sf(r.statistic);
      r.ci_low = estimate - isf(alpha) * se;
      r.ci_high = inf;
      break;
    case alternative::smaller:
      r.pvalue = sf(-r.statistic);
      r.ci_low = -inf;
      r.ci_high = estimate + isf(alpha) * se;
      break;
  }
  return r;
}

void check_se(const char* fn, double se, const std::string& what) {
  if (!(se > 0.0)) fail(fn, what + " has zero variance, so the test statistic is undefined");
}

ttest_result two_sample(const char* fn, const moments& a, const moments& b, bool equal_var, double alpha,
                        alternative alt) {
  double se = 0.0;
  double df = 0.0;
  if (equal_var) {
    df = a.n + b.n - 2.0;
    if (!(df > 0.0))
      fail(fn, "the pooled test needs nobs1 + nobs2 > 2, got nobs1=" + num(a.n) + ", nobs2=" + num(b.n));
    // A sample of one contributes no variance term (its (n-1) weight is 0).
    const double ss = (a.n > 1 ? (a.n - 1.0) * a.var : 0.0) + (b.n > 1 ? (b.n - 1.0) * b.var : 0.0);
    se = std::sqrt(ss / df * (1.0 / a.n + 1.0 / b.n));
    check_se(fn, se, "the pooled sample");
  } else {
    if (!(a.n >= 2.0 && b.n >= 2.0))
      fail(fn, "Welch's test (equal_var=false) needs at least 2 observations per sample, got nobs1=" +
                   num(a.n) + ", nobs2=" + num(b.n));
    const double v1 = a.var / a.n;
    const double v2 = b.var / b.n;
    se = std::sqrt(v1 + v2);
    check_se(fn, se, "each sample");
    df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (a.n - 1.0) + v2 * v2 / (b.n - 1.0));
  }
  return finish(a.mean - b.mean, 0.0, se, df, alpha, alt);
}

}  // namespace

ttest_result ttest_1samp(std::span<const double> x, double popmean, double alpha, alternative alt) {
  constexpr const char* fn = "ttest_1samp";
  detail::check_finite(fn, "popmean", popmean);
  detail::check_alpha(fn, alpha);
  const moments m = describe(fn, "x", x);
  if (m.n < 2) fail(fn, "x needs at least 2 observations, got " + num(m.n));
  const double se = std::sqrt(m.var / m.n);
  check_se(fn, se, "x (all values equal " + num(x[0]) + ")");
  return finish(m.mean, popmean, se, m.n - 1.0, alpha, alt);
}

ttest_result ttest_ind(std::span<const double> x1, std::span<const double> x2, bool equal_var, double alpha,
                       alternative alt) {
  constexpr const char* fn = "ttest_ind";
  detail::check_alpha(fn, alpha);
  return two_sample(fn, describe(fn, "x1", x1), describe(fn, "x2", x2), equal_var, alpha, alt);
}

ttest_result ttest_ind_from_stats(double mean1, double std1, double nobs1, double mean2, double std2,
                                  double nobs2, bool equal_var, double alpha, alternative alt) {
  constexpr const char* fn = "ttest_ind_from_stats";
  detail::check_finite(fn, "mean1", mean1);
  detail::check_finite(fn, "mean2", mean2);
  detail::check_finite(fn, "std1", std1);
  detail::check_finite(fn, "std2", std2);
  if (std1 < 0) fail(fn, "std1 must be >= 0, got std1=" + num(std1));
  if (std2 < 0) fail(fn, "std2 must be >= 0, got std2=" + num(std2));
  detail::check_not_nan(fn, "nobs1", nobs1);
  detail::check_not_nan(fn, "nobs2", nobs2);
  if (!(nobs1 >= 1.0 && std::isfinite(nobs1))) fail(fn, "nobs1 must be >= 1, got nobs1=" + num(nobs1));
  if (!(nobs2 >= 1.0 && std::isfinite(nobs2))) fail(fn, "nobs2 must be >= 1, got nobs2=" + num(nobs2));
  detail::check_alpha(fn, alpha);
  return two_sample(fn, {nobs1, mean1, std1 * std1}, {nobs2, mean2, std2 * std2}, equal_var, alpha, alt);
}

ttest_result ztest(std::span<const double> x, double value, double alpha, alternative alt) {
  constexpr const char* fn = "ztest";
  detail::check_finite(fn, "value", value);
  detail::check_alpha(fn, alpha);
  const moments m = describe(fn, "x", x);
  if (m.n < 2) fail(fn, "x needs at least 2 observations, got " + num(m.n));
  const double se = std::sqrt(m.var / m.n);
  check_se(fn, se, "x (all values equal " + num(x[0]) + ")");
  return finish(m.mean, value, se, inf, alpha, alt);
}

ttest_result ztest_ind(std::span<const double> x1, std::span<const double> x2, double value, bool pooled,
                       double alpha, alternative alt) {
  constexpr const char* fn = "ztest_ind";
  detail::check_finite(fn, "value", value);
  detail::check_alpha(fn, alpha);
  const moments a = describe(fn, "x1", x1);
  const moments b = describe(fn, "x2", x2);
  double se = 0.0;
  if (pooled) {
    if (!(a.n + b.n > 2.0))
      fail(fn, "the pooled test needs nobs1 + nobs2 > 2, got nobs1=" + num(a.n) + ", nobs2=" + num(b.n));
    const double ss = (a.n > 1 ? (a.n - 1.0) * a.var : 0.0) + (b.n > 1 ? (b.n - 1.0) * b.var : 0.0);
    se = std::sqrt(ss / (a.n + b.n - 2.0) * (1.0 / a.n + 1.0 / b.n));
    check_se(fn, se, "the pooled sample");
  } else {
    if (!(a.n >= 2.0 && b.n >= 2.0))
      fail(fn, "the unequal-variance test needs at least 2 observations per sample, got nobs1=" + num(a.n) +
                   ", nobs2=" + num(b.n));
    se = std::sqrt(a.var / a.n + b.var / b.n);
    check_se(fn, se, "each sample");
  }
  return finish(a.mean - b.mean, value, se, inf, alpha, alt);
}

}  // namespace missionkit::stats
