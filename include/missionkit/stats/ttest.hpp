// t-tests and z-tests for means, with the confidence interval that goes with each test.
#pragma once

#include <span>

#include "missionkit/stats/alternative.hpp"

namespace missionkit::stats {

/// \brief Result of a test about a mean or a difference of means.
///
/// The interval is for `estimate` (the mean, or mean1 - mean2), not shifted by the null value, at level
/// 1 - alpha and of the shape given by the alternative (scipy's TtestResult.confidence_interval()):
/// two_sided [est -+ q se], larger [est - q se, +inf), smaller (-inf, est + q se], where q is the t (or
/// normal) quantile at alpha/2 or alpha.
struct ttest_result {
  double statistic = 0.0;  ///< (estimate - null value) / std_error
  double pvalue = 1.0;     ///< from Student's t with df (z-tests: standard normal)
  double df = 0.0;         ///< degrees of freedom; +infinity for the z-tests
  double ci_low = 0.0;
  double ci_high = 0.0;
  double estimate = 0.0;   ///< mean (one sample) or mean1 - mean2
  double std_error = 0.0;  ///< standard error of estimate
};

/// \brief One-sample t-test of H0: mean = popmean, as scipy.stats.ttest_1samp (sample standard deviation
/// with ddof = 1, df = n - 1).
/// \throws missionkit::domain_error for fewer than 2 values, a NaN or infinite value (named by index),
///         zero variance (t undefined), NaN popmean, alpha outside (0, 1).
[[nodiscard]] ttest_result ttest_1samp(std::span<const double> x, double popmean = 0.0, double alpha = 0.05,
                                       alternative alt = alternative::two_sided);

/// \brief Two-sample t-test of H0: mean1 = mean2, as scipy.stats.ttest_ind.
///
/// equal_var = true: Student's test with the pooled variance
/// s^2 = ((n1-1) s1^2 + (n2-1) s2^2) / (n1 + n2 - 2), se = s sqrt(1/n1 + 1/n2), df = n1 + n2 - 2.
/// equal_var = false: Welch (1947), se = sqrt(s1^2/n1 + s2^2/n2) and the Welch–Satterthwaite df
/// (s1^2/n1 + s2^2/n2)^2 / ((s1^2/n1)^2/(n1-1) + (s2^2/n2)^2/(n2-1)); each sample then needs n >= 2.
/// Sample variances use ddof = 1.
[[nodiscard]] ttest_result ttest_ind(std::span<const double> x1, std::span<const double> x2,
                                     bool equal_var = true, double alpha = 0.05,
                                     alternative alt = alternative::two_sided);

/// \brief ttest_ind from summary statistics, as scipy.stats.ttest_ind_from_stats: std1 and std2 are
/// sample standard deviations (ddof = 1); nobs may be fractional (effective sizes).
[[nodiscard]] ttest_result ttest_ind_from_stats(double mean1, double std1, double nobs1, double mean2,
                                                double std2, double nobs2, bool equal_var = true,
                                                double alpha = 0.05,
                                                alternative alt = alternative::two_sided);

/// \brief One-sample z-test of H0: mean = value, as statsmodels.stats.weightstats.ztest(x, value=value)
/// (se = s / sqrt(n) with s the ddof = 1 standard deviation, normal reference distribution). The interval
/// is statsmodels' zconfint(x) for the mean. df is +infinity.
[[nodiscard]] ttest_result ztest(std::span<const double> x, double value = 0.0, double alpha = 0.05,
                                 alternative alt = alternative::two_sided);

/// \brief Two-sample z-test of H0: mean1 - mean2 = value, as statsmodels.stats.weightstats.ztest(x1, x2,
/// value, usevar="pooled" if pooled else "unequal"): pooled se = s_p sqrt(1/n1 + 1/n2) with the ddof = 1
/// pooled variance, unequal se = sqrt(s1^2/n1 + s2^2/n2). The interval is for mean1 - mean2 (statsmodels'
/// CompareMeans.zconfint_diff). df is +infinity.
[[nodiscard]] ttest_result ztest_ind(std::span<const double> x1, std::span<const double> x2,
                                     double value = 0.0, bool pooled = true, double alpha = 0.05,
                                     alternative alt = alternative::two_sided);

}  // namespace missionkit::stats
