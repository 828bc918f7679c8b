// Tests of independence in contingency tables: Pearson's chi-squared (r x c) and Fisher's exact test (2 x 2).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "missionkit/stats/alternative.hpp"

namespace missionkit::stats {

/// \brief Result of chi2_contingency.
struct chi2_contingency_result {
  double statistic = 0.0;        ///< Pearson's sum (observed - expected)^2 / expected (after Yates if used)
  double pvalue = 1.0;           ///< chi2_sf(statistic, df)
  double df = 0.0;               ///< (rows - 1) (cols - 1)
  bool corrected = false;        ///< whether Yates' continuity correction was applied
  std::vector<double> expected;  ///< row_sum * col_sum / total, row-major like the table
};

/// \brief Pearson's chi-squared test of independence of the rows and columns of an r x c table, as
/// scipy.stats.chi2_contingency(table, correction) (lambda_ = None).
///
/// `table` holds rows * cols counts in row-major order; counts may be fractional (weighted). Expected
/// counts are E_ij = R_i C_j / N. With `correction` (the default, as scipy) and df = 1, i.e. a 2 x 2 table,
/// Yates' (1934) continuity correction moves each observed count towards its expected count by
/// min(0.5, |O - E|) before the statistic is computed; for larger tables the flag has no effect.
/// \throws missionkit::domain_error for rows or cols < 2, a size that is not rows * cols, a NaN, infinite or
/// negative count (named by row and column), or a row or column that sums to zero (its expected counts would
/// be zero).
[[nodiscard]] chi2_contingency_result chi2_contingency(std::span<const double> table, std::size_t rows,
                                                       std::size_t cols, bool correction = true);

/// \brief Result of fisher_exact.
struct fisher_exact_result {
  double odds_ratio = 0.0;  ///< sample odds ratio a d / (b c); +inf when b c = 0; NaN for an empty margin
  double pvalue = 1.0;
};

/// \brief Fisher's exact test for the 2 x 2 table [[a, b], [c, d]], as scipy.stats.fisher_exact.
///
/// Conditional on the margins, a is hypergeometric. The odds ratio is the sample (unconditional) odds
/// ratio, as scipy, not R's conditional MLE. p-values:
/// - larger (scipy "greater"): P(X >= a); smaller (scipy "less"): P(X <= a).
/// - two_sided: the sum of P(X = x) over the x with P(X = x) <= P(X = a) (1 + 1e-7), the relative tolerance
///   of R's fisher.test, so that probabilities equal in exact arithmetic are not split by rounding.
///   (scipy 1.17 uses 1 + 1e-14 and its own rounding; the two agree unless a different probability lies
///   within 1e-7 of P(X = a)). Capped at 1.
/// Probabilities are exp of the log-hypergeometric pmf, written with lgamma, so counts in the millions do
/// not overflow. A table with a zero row or column sum gives odds_ratio NaN and p-value 1, as scipy.
/// \throws missionkit::domain_error for a negative, NaN, infinite or non-integer count (named a, b, c, d).
[[nodiscard]] fisher_exact_result fisher_exact(double a, double b, double c, double d,
                                               alternative alt = alternative::two_sided);

}  // namespace missionkit::stats
