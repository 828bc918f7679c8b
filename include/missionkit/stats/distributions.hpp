// Distribution functions the statistics engine is built on: cdf (P[X <= x]), sf (P[X > x], computed
// directly rather than as 1 - cdf so that small tail probabilities keep full relative precision), ppf
// (inverse cdf) and isf (inverse sf). The names and parametrisations follow scipy.stats (norm, t, chi2,
// f, beta, binom, nct), which is also the oracle the tests compare with.
//
// Everything is implemented in src/stats/distributions.cpp with Boost.Math, so that including this
// header costs nothing. Arguments outside a distribution's domain (df <= 0, a probability outside [0, 1],
// NaN) throw missionkit::domain_error naming the function and the argument. Quantiles at 0 and 1 return
// the ends of the support (for example normal_ppf(0) == -inf, chi2_isf(0, df) == +inf).
#pragma once

namespace missionkit::stats {

/// \name Standard normal N(0, 1)
/// @{
[[nodiscard]] double normal_cdf(double x);
[[nodiscard]] double normal_sf(double x);
[[nodiscard]] double normal_ppf(double p);
[[nodiscard]] double normal_isf(double p);
/// @}

/// \name Student's t with df > 0 degrees of freedom (df may be fractional, e.g. Welch's df)
/// @{
[[nodiscard]] double t_cdf(double x, double df);
[[nodiscard]] double t_sf(double x, double df);
[[nodiscard]] double t_ppf(double p, double df);
[[nodiscard]] double t_isf(double p, double df);
/// @}

/// \name Chi-squared with df > 0 degrees of freedom
/// @{
[[nodiscard]] double chi2_cdf(double x, double df);
[[nodiscard]] double chi2_sf(double x, double df);
[[nodiscard]] double chi2_ppf(double p, double df);
[[nodiscard]] double chi2_isf(double p, double df);
/// @}

/// \name Fisher's F with (dfn, dfd) > 0 degrees of freedom
/// @{
[[nodiscard]] double f_cdf(double x, double dfn, double dfd);
[[nodiscard]] double f_sf(double x, double dfn, double dfd);
[[nodiscard]] double f_ppf(double p, double dfn, double dfd);
[[nodiscard]] double f_isf(double p, double dfn, double dfd);
/// @}

/// \name Beta(a, b) with a, b > 0
/// @{
[[nodiscard]] double beta_cdf(double x, double a, double b);
[[nodiscard]] double beta_sf(double x, double a, double b);
[[nodiscard]] double beta_ppf(double p, double a, double b);
[[nodiscard]] double beta_isf(double p, double a, double b);
/// @}

/// \name Binomial(n, p): k is floored as in scipy.stats.binom; n a non-negative integer value
/// @{
[[nodiscard]] double binom_pmf(double k, double n, double p);
[[nodiscard]] double binom_cdf(double k, double n, double p);
[[nodiscard]] double binom_sf(double k, double n, double p);
/// Smallest integer k with binom_cdf(k, n, p) >= q (scipy's convention for discrete quantiles).
[[nodiscard]] double binom_ppf(double q, double n, double p);
/// @}

/// \name Noncentral t with df > 0 and noncentrality nc (boost::math::non_central_t, as scipy.stats.nct)
/// @{
[[nodiscard]] double nct_cdf(double x, double df, double nc);
[[nodiscard]] double nct_sf(double x, double df, double nc);
/// @}

}  // namespace missionkit::stats
