#include "missionkit/stats/proportions_2indep.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "detail/checks.hpp"
#include "detail/roots.hpp"
#include "missionkit/stats/distributions.hpp"
#include "missionkit/stats/proportion.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;

constexpr double inf = std::numeric_limits<double>::infinity();

struct two_samples {
  double x1, n1, x0, n0;  // group 2 is "0" as in Miettinen & Nurminen (1985)
  [[nodiscard]] double p1() const { return x1 / n1; }
  [[nodiscard]] double p0() const { return x0 / n0; }
  [[nodiscard]] double n() const { return n1 + n0; }
};

two_samples checked(const char* fn, double count1, double nobs1, double count2, double nobs2) {
  detail::check_not_nan(fn, "count1", count1);
  detail::check_positive(fn, "nobs1", nobs1);
  detail::check_not_nan(fn, "count2", count2);
  detail::check_positive(fn, "nobs2", nobs2);
  if (!(count1 >= 0 && count1 <= nobs1))
    fail(fn, "count1 must be in [0, nobs1], got count1=" + num(count1) + ", nobs1=" + num(nobs1));
  if (!(count2 >= 0 && count2 <= nobs2))
    fail(fn, "count2 must be in [0, nobs2], got count2=" + num(count2) + ", nobs2=" + num(nobs2));
  return {count1, nobs1, count2, nobs2};
}

// Miettinen & Nurminen's small-sample variance factor N/(N-1) needs N > 1.
void check_total(const char* fn, const two_samples& s) {
  if (!(s.n() > 1.0)) fail(fn, "the score method needs nobs1 + nobs2 > 1, got " + num(s.n()));
}

double z_pvalue(double z, alternative alt) {
  switch (alt) {
    case alternative::larger:
      return normal_sf(z);
    case alternative::smaller:
      return normal_cdf(z);
    case alternative::two_sided:
      break;
  }
  return 2.0 * normal_sf(std::abs(z));
}

// num / sqrt(var), with the limits a vanishing variance implies (0/0 is "no evidence", 0).
double ratio_stat(double numer, double var) {
  if (var > 0.0) return numer / std::sqrt(var);
  if (numer == 0.0) return 0.0;
  return numer > 0.0 ? inf : -inf;
}

// Score statistic for H0: p1 - p0 = delta. Restricted MLE of p0 from the closed-form root of the
// likelihood cubic (Farrington & Manning 1990, appendix, with the groups' roles swapped so that the root
// is p0 and p1 = p0 + delta). Deliberate difference from statsmodels 0.14/0.15: its coefficient of delta^2
// in t1 is count0 where the cubic has nobs0 (check: the derivative of the constrained log-likelihood
// vanishes at our root, not at theirs), so its restricted "MLE" can leave [0, 1] for delta < 0 and its
// score intervals disagree with R's PropCIs::diffscoreci in the third decimal.
double score_z_diff(const two_samples& s, double delta) {
  double q0 = 0.0;
  double q1 = 0.0;
  if (delta == 0.0) {
    q0 = q1 = (s.x1 + s.x0) / s.n();
  } else {
    const double n = s.n();
    const double c = s.x1 + s.x0;
    const double t3 = n;
    const double t2 = (s.n1 + 2.0 * s.n0) * delta - n - c;
    const double t1 = (s.n0 * delta - n - 2.0 * s.x0) * delta + c;
    const double t0 = s.x0 * delta * (1.0 - delta);
    const double b3 = t2 / (3.0 * t3);
    const double q = b3 * b3 * b3 - t1 * t2 / (6.0 * t3 * t3) + t0 / (2.0 * t3);
    const double r2 = b3 * b3 - t1 / (3.0 * t3);
    const double p = (q > 0 ? 1.0 : q < 0 ? -1.0 : 0.0) * std::sqrt(std::max(r2, 0.0));
    if (p == 0.0) {
      q0 = -b3;  // triple root
    } else {
      const double a = (std::numbers::pi + std::acos(std::clamp(q / (p * p * p), -1.0, 1.0))) / 3.0;
      q0 = 2.0 * p * std::cos(a) - b3;
    }
    q0 = std::clamp(q0, 0.0, 1.0);
    q1 = std::clamp(q0 + delta, 0.0, 1.0);
  }
  const double var = (q1 * (1.0 - q1) / s.n1 + q0 * (1.0 - q0) / s.n0) * s.n() / (s.n() - 1.0);
  return ratio_stat(s.p1() - s.p0() - delta, var);
}

// Score statistic for H0: p1 / p0 = ratio (> 0): Miettinen & Nurminen (1985) with the restricted MLE
// p0~ the smaller root of N R p^2 - (n1 R + x1 + n0 + x0 R) p + (x1 + x0) = 0, taken as 2c / (-b + sqrt)
// to avoid cancellation.
double score_z_ratio(const two_samples& s, double ratio) {
  double q0 = 0.0;
  double q1 = 0.0;
  if (ratio == 1.0) {
    q0 = q1 = (s.x1 + s.x0) / s.n();
  } else {
    const double a = s.n() * ratio;
    const double b = -(s.n1 * ratio + s.x1 + s.n0 + s.x0 * ratio);
    const double c = s.x1 + s.x0;
    const double disc = std::max(b * b - 4.0 * a * c, 0.0);
    q0 = c == 0.0 ? 0.0 : 2.0 * c / (-b + std::sqrt(disc));
    q0 = std::clamp(q0, 0.0, 1.0);
    q1 = std::clamp(q0 * ratio, 0.0, 1.0);
  }
  const double var =
      (q1 * (1.0 - q1) / s.n1 + ratio * ratio * q0 * (1.0 - q0) / s.n0) * s.n() / (s.n() - 1.0);
  return ratio_stat(s.p1() - ratio * s.p0(), var);
}

// Score statistic for H0: odds ratio = oratio (> 0), Miettinen & Nurminen (1985). p0~ is the positive
// root of n0 (OR-1) p^2 + (n1 OR + n0 - C (OR-1)) p - C = 0, written as 2c / (-b - sqrt) when b > 0 to
// avoid cancellation near OR = 1. Like statsmodels, the restricted estimates are kept 1e-10 away from 0
// and 1, where the score has a pole.
double score_z_odds_ratio(const two_samples& s, double oratio) {
  double q0 = 0.0;
  double q1 = 0.0;
  const double c_tot = s.x1 + s.x0;
  if (oratio == 1.0) {
    q0 = q1 = c_tot / s.n();
  } else {
    const double a = s.n0 * (oratio - 1.0);
    const double b = s.n1 * oratio + s.n0 - c_tot * (oratio - 1.0);
    const double c = -c_tot;
    const double sq = std::sqrt(std::max(b * b - 4.0 * a * c, 0.0));
    q0 = b > 0.0 ? 2.0 * c / (-b - sq) : (-b + sq) / (2.0 * a);
    q1 = q0 * oratio / (1.0 + q0 * (oratio - 1.0));
  }
  constexpr double eps = 1e-10;
  q0 = std::clamp(q0, eps, 1.0 - eps);
  q1 = std::clamp(q1, eps, 1.0 - eps);
  const double v1 = q1 * (1.0 - q1);
  const double v0 = q0 * (1.0 - q0);
  const double var = (1.0 / (v1 * s.n1) + 1.0 / (v0 * s.n0)) * s.n() / (s.n() - 1.0);
  const double numer = (s.p1() - q1) / v1 - (s.p0() - q0) / v0;
  return ratio_stat(numer, var);
}

// For z(t) decreasing in t: the t with z(t) = target, searched outwards from `start` in steps that double,
// within [-limit, limit]. Returns -+inf (in t) when z stays on one side of target over the whole range;
// the callers map that to the end of the parameter space.
double invert_decreasing(const std::function<double(double)>& z, double target, double start, double limit,
                         const char* fn) {
  auto f = [&](double t) { return z(t) - target; };
  double a = start;
  double fa = f(a);
  if (fa == 0.0) return a;
  const double dir = fa > 0.0 ? 1.0 : -1.0;  // z too large: move right
  double step = 0.125;
  for (;;) {
    double b = a + dir * step;
    if (std::abs(b) >= limit) b = dir * limit;
    const double fb = f(b);
    if ((fb > 0.0) != (fa > 0.0) || fb == 0.0) {
      return detail::find_root(f, std::min(a, b), std::max(a, b), fn, "confidence bound");
    }
    if (std::abs(b) >= limit) return dir * inf;
    a = b;
    fa = fb;
    step *= 2.0;
  }
}

// Inverts a decreasing score statistic at -+crit on the scale t = to_t(parameter).
interval invert_score(const std::function<double(double)>& z_of_t, double t_start, double limit, double crit,
                      alternative alt, const char* fn) {
  interval t{-inf, inf};
  if (alt != alternative::smaller) t.low = invert_decreasing(z_of_t, crit, t_start, limit, fn);
  if (alt != alternative::larger) t.high = invert_decreasing(z_of_t, -crit, t_start, limit, fn);
  return t;
}

double crit_for(double alpha, alternative alt) {
  return normal_isf(alt == alternative::two_sided ? alpha / 2.0 : alpha);
}

interval one_side(interval ci, alternative alt, double lo_end, double hi_end) {
  if (alt == alternative::larger) ci.high = hi_end;
  if (alt == alternative::smaller) ci.low = lo_end;
  return ci;
}

// Where the score search starts on the log scale: the log of the estimate, or of the estimate with 1/2
// added to the counts when a zero count makes the estimate 0 or infinite.
double log_start(double x1, double n1, double x0, double n0, bool odds) {
  const bool zero = x1 == 0 || x0 == 0 || (odds && (x1 == n1 || x0 == n0));
  const double h = zero ? 0.5 : 0.0;
  const double m = odds ? 2.0 * h : h;
  const double r1 = (x1 + h) / (n1 + m);
  const double r0 = (x0 + h) / (n0 + m);
  return odds ? std::log(r1 / (1.0 - r1)) - std::log(r0 / (1.0 - r0)) : std::log(r1 / r0);
}

// log(ratio) beyond this is treated as 0 / infinity: e^60 ~ 1e26 is no longer a finite answer to report.
constexpr double log_limit = 60.0;

}  // namespace

interval diff_proportions_ci(double count1, double nobs1, double count2, double nobs2, double alpha,
                             diff_ci_method method, alternative alt) {
  constexpr const char* fn = "diff_proportions_ci";
  const two_samples s = checked(fn, count1, nobs1, count2, nobs2);
  detail::check_alpha(fn, alpha);
  const double z = crit_for(alpha, alt);
  const double d = s.p1() - s.p0();
  switch (method) {
    case diff_ci_method::wald:
    case diff_ci_method::agresti_caffo: {
      const double add = method == diff_ci_method::agresti_caffo ? 1.0 : 0.0;
      const double q1 = (s.x1 + add) / (s.n1 + 2 * add);
      const double q0 = (s.x0 + add) / (s.n0 + 2 * add);
      const double half = z * std::sqrt(q1 * (1 - q1) / (s.n1 + 2 * add) + q0 * (1 - q0) / (s.n0 + 2 * add));
      return one_side({q1 - q0 - half, q1 - q0 + half}, alt, -1.0, 1.0);
    }
    case diff_ci_method::newcombe: {
      const interval w1 = wilson_bounds(s.x1, s.n1, z);
      const interval w0 = wilson_bounds(s.x0, s.n0, z);
      const double p1 = s.p1();
      const double p0 = s.p0();
      const double low = d - std::sqrt((p1 - w1.low) * (p1 - w1.low) + (w0.high - p0) * (w0.high - p0));
      const double high = d + std::sqrt((p0 - w0.low) * (p0 - w0.low) + (w1.high - p1) * (w1.high - p1));
      return one_side({low, high}, alt, -1.0, 1.0);
    }
    case diff_ci_method::score: {
      check_total(fn, s);
      // Search on u = atanh(delta) so that the whole line maps into (-1, 1) and a bound that the data push
      // to -1 or 1 comes out as exactly that (tanh(+-19) rounds to +-1).
      auto z_of_u = [&](double u) { return score_z_diff(s, std::tanh(u)); };
      const interval u = invert_score(z_of_u, std::atanh(std::clamp(d, -0.999, 0.999)), 19.0, z, alt, fn);
      return {std::tanh(u.low), std::tanh(u.high)};
    }
  }
  fail(fn, "method is not a diff_ci_method value");
}

namespace {

interval ratio_ci(const char* fn, bool odds, double count1, double nobs1, double count2, double nobs2,
                  double alpha, ratio_ci_method method, alternative alt) {
  const two_samples s = checked(fn, count1, nobs1, count2, nobs2);
  detail::check_alpha(fn, alpha);
  const double z = crit_for(alpha, alt);
  if (method == ratio_ci_method::score) {
    check_total(fn, s);
    auto z_of_t = [&](double t) {
      return odds ? score_z_odds_ratio(s, std::exp(t)) : score_z_ratio(s, std::exp(t));
    };
    const interval t = invert_score(z_of_t, log_start(s.x1, s.n1, s.x0, s.n0, odds), log_limit, z, alt, fn);
    return {std::exp(t.low), std::exp(t.high)};
  }
  const double h = method == ratio_ci_method::log_adjusted ? 0.5 : 0.0;
  double est = 0.0;
  double var = 0.0;
  if (odds) {
    const double a = s.x1 + h, b = s.n1 - s.x1 + h, c = s.x0 + h, d = s.n0 - s.x0 + h;
    if (a == 0 || b == 0 || c == 0 || d == 0)
      fail(fn, "method log needs count1, nobs1 - count1, count2 and nobs2 - count2 all > 0, got count1=" +
                   num(s.x1) + ", nobs1=" + num(s.n1) + ", count2=" + num(s.x0) + ", nobs2=" + num(s.n0) +
                   "; use log_adjusted or score");
    est = std::log(a / b) - std::log(c / d);
    var = 1 / a + 1 / b + 1 / c + 1 / d;
  } else {
    const double x1 = s.x1 + h, n1 = s.n1 + h, x0 = s.x0 + h, n0 = s.n0 + h;
    if (x1 == 0 || x0 == 0)
      fail(fn, "method log needs count1 > 0 and count2 > 0, got count1=" + num(s.x1) +
                   ", count2=" + num(s.x0) + "; use log_adjusted or score");
    est = std::log(x1 / n1) - std::log(x0 / n0);
    var = 1 / x1 - 1 / n1 + 1 / x0 - 1 / n0;
  }
  const double half = z * std::sqrt(var);
  return one_side({std::exp(est - half), std::exp(est + half)}, alt, 0.0, inf);
}

}  // namespace

interval risk_ratio_ci(double count1, double nobs1, double count2, double nobs2, double alpha,
                       ratio_ci_method method, alternative alt) {
  return ratio_ci("risk_ratio_ci", false, count1, nobs1, count2, nobs2, alpha, method, alt);
}

interval odds_ratio_ci(double count1, double nobs1, double count2, double nobs2, double alpha,
                       ratio_ci_method method, alternative alt) {
  return ratio_ci("odds_ratio_ci", true, count1, nobs1, count2, nobs2, alpha, method, alt);
}

test_result score_test_proportions_2indep(double count1, double nobs1, double count2, double nobs2,
                                          double value, proportion_compare compare, alternative alt) {
  constexpr const char* fn = "score_test_proportions_2indep";
  const two_samples s = checked(fn, count1, nobs1, count2, nobs2);
  check_total(fn, s);
  detail::check_finite(fn, "value", value);
  double z = 0.0;
  switch (compare) {
    case proportion_compare::diff:
      if (!(value > -1.0 && value < 1.0))
        fail(fn, "value must be in (-1, 1) for diff, got value=" + num(value));
      z = score_z_diff(s, value);
      break;
    case proportion_compare::ratio:
    case proportion_compare::odds_ratio:
      if (!(value > 0.0)) fail(fn, "value must be > 0 for a ratio, got value=" + num(value));
      z = compare == proportion_compare::ratio ? score_z_ratio(s, value) : score_z_odds_ratio(s, value);
      break;
  }
  return {z, z_pvalue(z, alt)};
}

}  // namespace missionkit::stats
