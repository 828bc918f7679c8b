#include "missionkit/stats/proportion.hpp"

#include <algorithm>
#include <cmath>

#include "detail/checks.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

constexpr const char* fn_name = "proportion_ci";

// Keeps the side of a two-sided-looking interval that the alternative asks for; the other side becomes
// the end of the parameter space [0, 1].
interval one_side(interval ci, alternative alt) {
  if (alt == alternative::larger) ci.high = 1.0;
  if (alt == alternative::smaller) ci.low = 0.0;
  return ci;
}

interval clip01(interval ci) { return {std::clamp(ci.low, 0.0, 1.0), std::clamp(ci.high, 0.0, 1.0)}; }

}  // namespace

interval wilson_bounds(double count, double nobs, double z) {
  // Wilson (1927); written as in statsmodels so that results agree to rounding.
  const double p = count / nobs;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / nobs;
  const double center = (p + z2 / (2.0 * nobs)) / denom;
  const double dist = z * std::sqrt(p * (1.0 - p) / nobs + z2 / (4.0 * nobs * nobs)) / denom;
  interval ci = clip01({center - dist, center + dist});
  // The bounds are exactly 0 and 1 at the edges; rounding would otherwise leave ~1e-17.
  if (count == 0.0) ci.low = 0.0;
  if (count == nobs) ci.high = 1.0;
  return ci;
}

interval proportion_ci(double count, double nobs, double alpha, proportion_ci_method method,
                       alternative alt) {
  detail::check_not_nan(fn_name, "count", count);
  detail::check_positive(fn_name, "nobs", nobs);
  if (!(count >= 0.0 && count <= nobs))
    detail::fail(fn_name, "count must be in [0, nobs], got count=" + detail::num(count) +
                              ", nobs=" + detail::num(nobs));
  detail::check_alpha(fn_name, alpha);
  // Probability in each tail that the interval leaves out.
  const double tail = alt == alternative::two_sided ? alpha / 2.0 : alpha;
  const double z = normal_isf(tail);
  const double p = count / nobs;

  switch (method) {
    case proportion_ci_method::wald: {
      const double half = z * std::sqrt(p * (1.0 - p) / nobs);
      return one_side(clip01({p - half, p + half}), alt);
    }
    case proportion_ci_method::wilson:
      return one_side(wilson_bounds(count, nobs, z), alt);
    case proportion_ci_method::agresti_coull: {
      const double n_c = nobs + z * z;
      const double p_c = (count + z * z / 2.0) / n_c;
      const double half = z * std::sqrt(p_c * (1.0 - p_c) / n_c);
      return one_side(clip01({p_c - half, p_c + half}), alt);
    }
    case proportion_ci_method::clopper_pearson: {
      // Closed forms at the edges (the Beta quantile with a shape of 1 reduces to a power), written with
      // log/expm1 so that tiny tails keep full precision.
      const double low = count == 0.0    ? 0.0
                         : count == nobs ? std::exp(std::log(tail) / nobs)
                                         : beta_ppf(tail, count, nobs - count + 1.0);
      const double high = count == nobs  ? 1.0
                          : count == 0.0 ? -std::expm1(std::log(tail) / nobs)
                                         : beta_isf(tail, count + 1.0, nobs - count);
      return one_side({low, high}, alt);
    }
    case proportion_ci_method::jeffreys: {
      const double a = count + 0.5;
      const double b = nobs - count + 0.5;
      const double low = count == 0.0 ? 0.0 : beta_ppf(tail, a, b);
      const double high = count == nobs ? 1.0 : beta_isf(tail, a, b);
      return one_side({low, high}, alt);
    }
  }
  detail::fail(fn_name, "method is not a proportion_ci_method value");
}

}  // namespace missionkit::stats
