// Rank and order-statistic methods: the Mann-Whitney U test and distribution-free quantile intervals.
#pragma once

#include <cstddef>
#include <span>

#include "missionkit/stats/alternative.hpp"

namespace missionkit::stats {

/// \brief How mann_whitney_u computes its p-value.
/// - automatic: scipy's rule (_mwu_choose_method in scipy 1.17): asymptotic when both samples have more
///   than 8 values or when there are ties, exact otherwise.
/// - exact: the null distribution of U by recursion; ties are ignored (U is truncated to an integer, as
///   scipy does), so prefer asymptotic with ties.
/// - asymptotic: the normal approximation with the tie-corrected variance.
enum class mwu_method { automatic, exact, asymptotic };

/// \brief Result of mann_whitney_u.
struct mann_whitney_result {
  double statistic = 0.0;  ///< U of x: the number of pairs (x_i, y_j) with x_i > y_j, ties counting 1/2
  double pvalue = 1.0;
  mwu_method method = mwu_method::asymptotic;  ///< the method actually used (never automatic)
};

/// \brief Mann-Whitney U (Wilcoxon rank-sum) test, as scipy.stats.mannwhitneyu(x, y, use_continuity,
/// alternative, method). larger (scipy "greater"): values of x tend to be larger than values of y.
///
/// U1 = R1 - n1 (n1 + 1) / 2 with R1 the sum of the mid-ranks of x in the pooled sample. The p-value uses
/// U = U1 (larger), U2 = n1 n2 - U1 (smaller) or max(U1, U2) (two_sided, p doubled and capped at 1), and
/// P(U' >= U) under H0:
/// - exact: the distribution of U' from p_{i,j}(u) = i/(i+j) p_{i-1,j}(u-j) + j/(i+j) p_{i,j-1}(u)
///   (Mann & Whitney 1947), in probabilities so nothing overflows; O(min(n1,n2) max(n1,n2) min(U, n1 n2 - U))
///   time. Errors when that table would exceed 10^7 values per layer (use asymptotic).
/// - asymptotic: z = (U - n1 n2 / 2 - 0.5 [use_continuity]) / s with
///   s^2 = n1 n2 / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1))), t the sizes of the tie groups.
/// \throws missionkit::domain_error for an empty sample, a NaN or infinite value (named by index), or all
///         values equal in the asymptotic method (the variance is zero).
[[nodiscard]] mann_whitney_result mann_whitney_u(std::span<const double> x, std::span<const double> y,
                                                 alternative alt = alternative::two_sided,
                                                 mwu_method method = mwu_method::automatic,
                                                 bool use_continuity = true);

/// \brief Result of quantile_ci: the interval and the order statistics it is made of.
struct quantile_ci_result {
  double low = 0.0;          ///< x_(low_rank), -inf for smaller, NaN when not attainable
  double high = 0.0;         ///< x_(high_rank), +inf for larger, NaN when not attainable
  std::size_t low_rank = 0;  ///< 1-based rank in the sorted data; 0 when low is -inf or NaN
  std::size_t high_rank = 0;
};

/// \brief Distribution-free confidence interval for the q-quantile from order statistics, as
/// scipy.stats.quantile_test(data, p=q, alternative=...).confidence_interval(1 - alpha).
///
/// With B ~ Binomial(n, q) and x_(1) <= ... <= x_(n) the sorted data, for tail probability a (alpha / 2 for
/// two_sided, alpha one-sided):
/// - lower end: x_(k) with k = binom_ppf(a, n, q), the smallest k with P(B <= k) >= a (larger and
///   two_sided); NaN when k = 0, i.e. n is too small for that level.
/// - upper end: x_(k + 1) with k = binom_isf(a, n, q), the smallest k with P(B > k) <= a (smaller and
///   two_sided); NaN when k + 1 > n.
/// Coverage is at least 1 - alpha for every continuous distribution (Conover 1999, section 3.2).
/// \throws missionkit::domain_error for empty data, a NaN value (named by index), q outside (0, 1), alpha
///         outside (0, 1).
[[nodiscard]] quantile_ci_result quantile_ci(std::span<const double> data, double q, double alpha = 0.05,
                                             alternative alt = alternative::two_sided);

}  // namespace missionkit::stats
