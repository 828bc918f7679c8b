// Power and sample size. Semantics follow statsmodels.stats.power (TTestIndPower, TTestPower,
// NormalIndPower): effect sizes are standardized (difference in means over the standard deviation, or
// Cohen's h for proportions), nobs1 is the size of the first group and nobs2 = ratio * nobs1, and two-sided
// power counts rejections in both tails.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>

#include "missionkit/stats/alternative.hpp"

namespace missionkit::stats {

/// \brief Power of the two-sample t-test (statsmodels TTestIndPower.power).
///
/// With n = 1 / (1/nobs1 + 1/nobs2), df = nobs1 + nobs2 - 2, noncentrality nc = effect_size sqrt(n) and
/// c = t_isf(alpha/2 or alpha, df): larger = P[T' > c], smaller = P[T' < -c], two_sided = both, where T'
/// is noncentral t(df, nc) (boost::math::non_central_t). two_sided is computed as the single tail
/// P[T'^2 > c^2] of the noncentral F(1, df, nc^2) (the same value, several times cheaper than two
/// noncentral-t tails). Needs df > 0.
[[nodiscard]] double ttest_ind_power(double effect_size, double nobs1, double alpha, double ratio = 1.0,
                                     alternative alt = alternative::two_sided);

/// \brief Power of the one-sample (or paired) t-test (statsmodels TTestPower.power): as ttest_ind_power
/// with n = nobs and df = nobs - 1 (so nobs > 1).
[[nodiscard]] double ttest_1samp_power(double effect_size, double nobs, double alpha,
                                       alternative alt = alternative::two_sided);

/// \brief Power of the two-sample z-test (statsmodels NormalIndPower.power with ddof = 0):
/// n = 1 / (1/nobs1 + 1/nobs2) (ratio = 0 means a one-sample test, n = nobs1), larger =
/// normal_sf(z - effect_size sqrt(n)), smaller = normal_cdf(-z - effect_size sqrt(n)), two_sided = both at
/// z = normal_isf(alpha/2).
[[nodiscard]] double normal_ind_power(double effect_size, double nobs1, double alpha, double ratio = 1.0,
                                      alternative alt = alternative::two_sided);

/// \brief Power for comparing two proportions with the z-test on Cohen's h (the arcsine effect size of
/// statsmodels.stats.proportion.proportion_effectsize): normal_ind_power(cohens_h(prop1, prop2), ...).
[[nodiscard]] double proportions_2indep_power(double prop1, double prop2, double nobs1, double alpha,
                                              double ratio = 1.0, alternative alt = alternative::two_sided);

/// \brief Which power function solve_power inverts.
enum class power_test { ttest_ind, ttest_1samp, normal_ind };

/// \brief The arguments of a power function, exactly one of effect_size, nobs1, alpha, power left empty:
/// that one is solved for (statsmodels' solve_power(..., x=None) convention). For ttest_1samp nobs1 is
/// the sample size and ratio is ignored.
struct power_query {
  std::optional<double> effect_size;
  std::optional<double> nobs1;
  std::optional<double> alpha;
  std::optional<double> power;
  double ratio = 1.0;
  alternative alt = alternative::two_sided;
};

/// \brief Solves the power equation for the one empty field of q and returns it.
///
/// Root finding brackets the solution and refines it with TOMS748 (to full double precision for effect
/// size and alpha, to 2^-40 relative for nobs1), so that evaluating the power function at the answer
/// returns the requested value to ~1e-12 (statsmodels'
/// brentq_expanding stops at xtol = 1e-5). Conventions: nobs1 is returned unrounded (ceil it for a
/// design); effect_size is returned > 0 for two_sided and larger, < 0 for smaller; alpha is searched in
/// [1e-100, 1). The smallest admissible sample size is 2 for ttest_1samp and the one giving df = 1 for
/// ttest_ind; for normal_ind any nobs1 > 0.
/// \throws missionkit::domain_error if not exactly one field is empty, an argument is out of range, or
///         the target cannot be reached (power <= alpha, an effect of the wrong sign for a one-sided
///         alternative, a power already exceeded at the smallest admissible sample size).
[[nodiscard]] double solve_power(power_test test, const power_query& q);

/// \brief solve_power for many queries at once (a power or sample-size curve): out[i] =
/// solve_power(test, queries[i]), computed in parallel over missionkit::threads(). Results do not depend
/// on the thread count (each element is solved independently).
/// \throws missionkit::domain_error for the first failing query, with " (at index i)" appended.
void solve_power(power_test test, std::span<const power_query> queries, std::span<double> out);

/// \brief Sample size per group for two proportions: solve_power(normal_ind) for nobs1 with effect size
/// cohens_h(prop1, prop2) (statsmodels NormalIndPower().solve_power(proportion_effectsize(p1, p2), ...)).
[[nodiscard]] double proportions_2indep_nobs1(double prop1, double prop2, double power, double alpha = 0.05,
                                              double ratio = 1.0, alternative alt = alternative::two_sided);

/// \brief Minimum detectable proportion: the prop1 that the two-proportion z-test detects with the given
/// power against a baseline prop2 at nobs1 (and nobs2 = ratio * nobs1). Solves normal_ind for the
/// effect size h (solve_power), then inverts Cohen's h: prop1 = sin^2(asin(sqrt(prop2)) + h/2). For
/// two_sided and larger the detectable prop1 is above prop2, for smaller below (the arcsine scale is not
/// symmetric in p, so the two directions differ).
/// \throws missionkit::domain_error as solve_power, or when even prop1 = 1 (or 0) is not detectable.
[[nodiscard]] double proportions_2indep_mde(double prop2, double nobs1, double power, double alpha = 0.05,
                                            double ratio = 1.0, alternative alt = alternative::two_sided);

/// \brief Survey sample size to estimate a proportion within +-margin at the given confidence.
///
/// n0 = deff z^2 p (1 - p) / margin^2 with z = normal_isf((1 - confidence)/2) (Cochran 1977, eq. 4.2;
/// statsmodels samplesize_confint_proportion(p, margin, 1 - confidence) is the deff = 1 case); the design
/// effect scales the simple-random-sample size before the finite population correction
/// n = n0 / (1 + (n0 - 1) / population) (Cochran 1977, eq. 4.3). Returns ceil(n); an n within 1e-9
/// (relative) above an integer is taken as that integer, so that floating-point noise in z^2 cannot add a
/// respondent. population = +infinity (the default) means no correction.
/// \throws missionkit::domain_error for p outside (0, 1), margin outside (0, 1), confidence outside (0, 1),
///         population < 1, deff <= 0, or NaN.
[[nodiscard]] std::int64_t survey_sample_size(double p = 0.5, double margin = 0.05, double confidence = 0.95,
                                              double population = std::numeric_limits<double>::infinity(),
                                              double deff = 1.0);

}  // namespace missionkit::stats
