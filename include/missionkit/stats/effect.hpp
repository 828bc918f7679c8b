// Effect sizes with confidence intervals: standardized mean differences (Cohen's d, Hedges' g), Cohen's h
// for proportions, relative lift and odds ratio.
#pragma once

#include <span>

#include "missionkit/stats/alternative.hpp"
#include "missionkit/stats/proportions_2indep.hpp"

namespace missionkit::stats {

/// \brief A point estimate and its confidence interval (one-sided intervals end at the edge of the
/// parameter space, as everywhere in missionkit::stats).
struct effect_estimate {
  double estimate = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
};

/// \brief Cohen's h = 2 asin(sqrt(prop1)) - 2 asin(sqrt(prop2)) (Cohen 1988, sec. 6.2), the effect size
/// of statsmodels.stats.proportion.proportion_effectsize(prop1, prop2).
[[nodiscard]] double cohens_h(double prop1, double prop2);

/// \brief Cohen's h of count1/nobs1 against count2/nobs2 with the interval h -+ z sqrt(1/nobs1 + 1/nobs2):
/// the arcsine transform 2 asin(sqrt(p)) has asymptotic variance 1/n whatever p (delta method; Cohen 1988,
/// sec. 6.2), so the interval needs no estimate of p.
[[nodiscard]] effect_estimate cohens_h_ci(double count1, double nobs1, double count2, double nobs2,
                                          double alpha = 0.05, alternative alt = alternative::two_sided);

/// \brief Cohen's d = (mean1 - mean2) / s_p with the pooled standard deviation
/// s_p^2 = ((n1-1) s1^2 + (n2-1) s2^2) / (n1 + n2 - 2) (Cohen 1988, eq. 2.5.2; sample variances with
/// ddof = 1).
///
/// Interval: exact under normality by inverting the noncentral t distribution (Steiger & Fouladi 1997;
/// Goulet-Pelletier & Cousineau 2018, the "noncentral t" method, also R effectsize's default): with
/// t = d / sqrt(1/n1 + 1/n2) and df = n1 + n2 - 2, find nc_low and nc_high with
/// P[T'(df, nc_low) <= t] = 1 - a and P[T'(df, nc_high) <= t] = a (a = alpha/2, or alpha one-sided) and
/// return nc sqrt(1/n1 + 1/n2). Not the Hedges–Olkin normal approximation, which is too narrow for small
/// samples.
/// \throws missionkit::domain_error for NaN/inf data (named by index), n1 + n2 <= 2, zero pooled variance.
[[nodiscard]] effect_estimate cohens_d(std::span<const double> x1, std::span<const double> x2,
                                       double alpha = 0.05, alternative alt = alternative::two_sided);

/// \brief cohens_d from summary statistics (std1, std2 with ddof = 1).
[[nodiscard]] effect_estimate cohens_d_from_stats(double mean1, double std1, double nobs1, double mean2,
                                                  double std2, double nobs2, double alpha = 0.05,
                                                  alternative alt = alternative::two_sided);

/// \brief Hedges' g = J d with the exact small-sample correction J(df) = Gamma(df/2) /
/// (sqrt(df/2) Gamma((df-1)/2)), df = n1 + n2 - 2 (Hedges 1981, eq. 6e; the approximation
/// 1 - 3/(4 df - 1) differs by < 0.1% for df >= 10). The interval is J times the noncentral-t interval of
/// cohens_d (as R effectsize::hedges_g). Needs df > 1.
[[nodiscard]] effect_estimate hedges_g(std::span<const double> x1, std::span<const double> x2,
                                       double alpha = 0.05, alternative alt = alternative::two_sided);

/// \brief hedges_g from summary statistics (std1, std2 with ddof = 1).
[[nodiscard]] effect_estimate hedges_g_from_stats(double mean1, double std1, double nobs1, double mean2,
                                                  double std2, double nobs2, double alpha = 0.05,
                                                  alternative alt = alternative::two_sided);

/// \brief Hedges' correction factor J(df) used by hedges_g (df > 1).
[[nodiscard]] double hedges_correction(double df);

/// \brief Relative lift of p1 over p2, p1/p2 - 1, with the risk-ratio interval shifted by -1
/// (risk_ratio_ci, default the Miettinen–Nurminen/Koopman score interval). The estimate is +inf when
/// count2 = 0 < count1 and NaN when both counts are 0; the interval is defined in both cases.
[[nodiscard]] effect_estimate relative_lift(double count1, double nobs1, double count2, double nobs2,
                                            double alpha = 0.05,
                                            ratio_ci_method method = ratio_ci_method::score,
                                            alternative alt = alternative::two_sided);

/// \brief Sample odds ratio [x1 / (n1 - x1)] / [x2 / (n2 - x2)] with odds_ratio_ci (default score). The
/// estimate is 0, +inf or NaN where a zero cell makes it so; the interval is defined in those cases
/// (score, log_adjusted).
[[nodiscard]] effect_estimate odds_ratio(double count1, double nobs1, double count2, double nobs2,
                                         double alpha = 0.05, ratio_ci_method method = ratio_ci_method::score,
                                         alternative alt = alternative::two_sided);

}  // namespace missionkit::stats
