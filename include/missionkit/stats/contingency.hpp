// Tests of independence in contingency tables: Pearson's chi-squared and Fisher's exact test (both r x c).
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
                            ///< and for tables other than 2 x 2
  double pvalue = 1.0;
  /// P(observed table | margins) under independence, prod R_i! prod C_j! / (N! prod n_ij!): scipy's
  /// statistic for tables other than 2 x 2 (scipy.stats.random_table(R, C).pmf(table)).
  double table_probability = 1.0;
};

/// Default work budget of the r x c enumeration (see fisher_exact(table, rows, cols, max_work)): a few
/// seconds at most on one core.
inline constexpr double fisher_default_max_work = 1e8;

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

/// \brief Fisher's (Freeman-Halton) exact test of independence for an r x c table (row-major counts), as R's
/// fisher.test(table) (the network algorithm of Mehta & Patel 1983; R's FEXACT).
///
/// Conditional on both margins the table has the multivariate hypergeometric probability
/// P(n) = prod R_i! prod C_j! / (N! prod n_ij!). The p-value is the sum of P over the tables with the
/// observed margins whose P <= P(observed) (1 + 1e-7), the tolerance of fisher_exact(a, b, c, d) and of R's
/// 2 x 2 code (R's FEXACT uses a log-scale tolerance of 3.45e-7; the two differ only if some table's
/// probability lies that close to the observed one). Only the two-sided test exists for r x c tables.
///
/// Algorithm: the columns are filled one at a time; a node is the multiset of the row sums still to fill
/// (rows are exchangeable, so the sorted vector), and an edge a column vector x with probability
/// prod_i C(r_i, x_i) / C(sum r, C_j) (sampling without replacement), so a table's probability is the
/// product of its path's edges. Exact longest and shortest completions of every node (dynamic
/// programming) decide whole subtrees at once (all tables in or all out, their total being the path
/// probability so far since the completions' probabilities sum to 1), and paths reaching the same node
/// with the same probability so far are merged (Mehta & Patel's "past" list). Empty rows and columns are
/// dropped first (they do not change any probability); a table with fewer than two non-empty rows or
/// columns has p-value 1. A 2 x 2 table gives the same p-value as fisher_exact(a, b, c, d) (which it calls)
/// and its odds ratio.
///
/// `max_work` bounds the number of elementary steps (edges times merged paths, plus nodes); the
/// enumeration grows roughly like N^((r-1)(c-1)), so a large table is refused rather than left running.
/// \throws missionkit::domain_error for rows or cols < 2, a size that is not rows * cols, a NaN, infinite,
/// negative or non-integer count (named table[i][j]), a total above 2^31 - 1, or when the enumeration
/// needs more than max_work steps (use chi2_contingency or a Monte Carlo test instead).
[[nodiscard]] fisher_exact_result fisher_exact(std::span<const double> table, std::size_t rows,
                                               std::size_t cols, double max_work = fisher_default_max_work);

}  // namespace missionkit::stats
