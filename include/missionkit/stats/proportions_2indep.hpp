// Comparing two independent binomial proportions p1 = count1/nobs1 and p2 = count2/nobs2: intervals for
// the difference p1 - p2, the risk ratio p1 / p2 and the odds ratio [p1/(1-p1)] / [p2/(1-p2)], and the
// score test they are built on. Conventions follow statsmodels.stats.proportion.confint_proportions_2indep
// and score_test_proportions_2indep (statsmodels 0.15), which the tests use as oracle; the review paper
// behind the choice of methods is Fagerland, Lydersen & Laake (2015), "Recommended confidence intervals for
// two independent binomial proportions", Stat Methods Med Res 24(2).
#pragma once

#include "missionkit/stats/alternative.hpp"

namespace missionkit::stats {

/// \brief Which comparison of p1 and p2 a test or interval is about.
enum class proportion_compare { diff, ratio, odds_ratio };

/// \brief Methods for the interval of p1 - p2 (statsmodels method name in brackets). z is the normal
/// critical value at alpha/2 (two-sided) or alpha (one-sided).
/// - wald ["wald"]: d -+ z sqrt(p1(1-p1)/n1 + p2(1-p2)/n2), not clipped to [-1, 1] (as statsmodels).
/// - newcombe ["newcomb"]: Newcombe (1998) method 10, the hybrid of two Wilson score intervals
///   [l1, u1], [l2, u2] (each at the same z): low = d - sqrt((p1-l1)^2 + (u2-p2)^2),
///   high = d + sqrt((p2-l2)^2 + (u1-p1)^2). The default.
/// - agresti_caffo ["agresti-caffo"]: Agresti & Caffo (2000), the Wald interval after adding one success
///   and one failure to each group.
/// - score ["score", correction=True]: Miettinen & Nurminen (1985), inverting the score test of
///   H0: p1 - p2 = delta whose variance uses the restricted maximum-likelihood estimates (closed form of
///   Farrington & Manning 1990) times the small-sample factor N/(N-1), N = nobs1 + nobs2. Bounds are exact
///   roots (TOMS748 to full precision); they reach -1 or 1 when the data allow it (e.g. all successes in
///   group 1 and none in group 2), where statsmodels' root finder stops at 0.99999.
enum class diff_ci_method { wald, newcombe, agresti_caffo, score };

/// \brief Methods for the risk-ratio and odds-ratio intervals (statsmodels name in brackets).
/// - log ["log" / "logit"]: Wald interval on the log scale. Risk ratio (Katz et al. 1978):
///   var = 1/x1 - 1/n1 + 1/x2 - 1/n2. Odds ratio (Woolf 1955): var = 1/x1 + 1/(n1-x1) + 1/x2 + 1/(n2-x2).
///   Needs the cells in those formulas to be > 0 (domain_error otherwise, suggesting the alternatives).
/// - log_adjusted ["log-adjusted" / "logit-adjusted"]: the same after adding 1/2 to each count (risk
///   ratio: x + 1/2, n + 1/2; odds ratio: each of the four cells + 1/2, i.e. n + 1; Gart & Zweifel 1967).
/// - score ["score", correction=True]: Miettinen & Nurminen (1985) score interval with the N/(N-1)
///   factor; for the risk ratio this is Koopman's (1984) interval with that factor. Solved by root finding
///   on the log scale; a bound is 0 or +infinity when a zero count makes it so (e.g. count1 = 0 gives a
///   risk-ratio lower bound of 0), where statsmodels' solver fails or stops early.
enum class ratio_ci_method { log, log_adjusted, score };

/// \brief Statistic and p-value of a test.
struct test_result {
  double statistic = 0.0;
  double pvalue = 1.0;
};

/// \brief Interval for p1 - p2 (two_sided, or [low, 1] for larger, [-1, high] for smaller).
///
/// \param count1, nobs1, count2, nobs2  successes and trials, 0 <= count <= nobs, nobs > 0.
/// \throws missionkit::domain_error naming the argument for NaN, out-of-range counts, alpha outside (0, 1).
[[nodiscard]] interval diff_proportions_ci(double count1, double nobs1, double count2, double nobs2,
                                           double alpha = 0.05,
                                           diff_ci_method method = diff_ci_method::newcombe,
                                           alternative alt = alternative::two_sided);

/// \brief Interval for the risk ratio p1 / p2 ([low, +inf) for larger, [0, high] for smaller).
[[nodiscard]] interval risk_ratio_ci(double count1, double nobs1, double count2, double nobs2,
                                     double alpha = 0.05, ratio_ci_method method = ratio_ci_method::score,
                                     alternative alt = alternative::two_sided);

/// \brief Interval for the odds ratio [p1/(1-p1)] / [p2/(1-p2)] ([low, +inf) for larger, [0, high] for
/// smaller).
[[nodiscard]] interval odds_ratio_ci(double count1, double nobs1, double count2, double nobs2,
                                     double alpha = 0.05, ratio_ci_method method = ratio_ci_method::score,
                                     alternative alt = alternative::two_sided);

/// \brief Miettinen–Nurminen score test of H0: compare(p1, p2) = value, as
/// statsmodels.stats.proportion.score_test_proportions_2indep(..., correction=True).
///
/// The statistic is asymptotically N(0, 1): for diff (p1 - p2 - value) / se, for ratio (p1 - value p2) / se,
/// for odds_ratio the efficient score of Miettinen & Nurminen (1985); se uses the restricted MLEs under H0
/// and the factor N/(N-1). At value = 0 (diff) or 1 (ratios) the restricted MLE is the pooled proportion.
/// larger means H1: compare > value (pvalue = P[Z >= statistic]).
/// \param value  the null value: in (-1, 1) for diff (0 = no difference), > 0 for the ratios (1 = none).
[[nodiscard]] test_result score_test_proportions_2indep(double count1, double nobs1, double count2,
                                                        double nobs2, double value,
                                                        proportion_compare compare = proportion_compare::diff,
                                                        alternative alt = alternative::two_sided);

}  // namespace missionkit::stats
