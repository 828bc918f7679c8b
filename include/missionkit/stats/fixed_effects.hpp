// Linear regression with one or two absorbed categorical fixed effects (unit, time, store, ...), as
// statsmodels' OLS on the same regressors plus an intercept and explicit dummy columns, which the tests use
// as oracle, without building the n x G dummy matrix.
//
// Method (Frisch-Waugh-Lovell): y and every column of X are demeaned within the levels of the fixed
// effects, then regressed on each other by ols() (Householder QR, no intercept). One fixed effect is one
// pass of group means; two are absorbed by alternating projections (von Neumann-Halperin; Guimaraes &
// Portugal 2010, Correia 2016 "reghdfe"), demeaning by the first then the second until the group means of
// both are below tol times the scale of the column. The residuals, and therefore the HC0 and cluster
// meats of the slope block, are exactly those of the dummy regression.
//
// Degrees of freedom: the absorbed effects use a = G1 (one way) or G1 + G2 - C (two ways, C = connected
// components of the bipartite unit-time graph, so a is the rank of [1, D1, D2]) columns, intercept
// included, as the dummy regression does. df_resid = n - k - a, and the nonrobust, HC1 and cluster
// (CRV1: G/(G-1) * (n-1)/(n-k-a)) covariances use it, which reproduces statsmodels with dummies. Stata's
// xtreg,fe and reghdfe drop the absorbed effects nested in the clusters from the count (so their cluster
// SEs are smaller by sqrt((n-k-a)/(n-k-1))), linearmodels has its own convention; we do not: statsmodels
// with dummies is the reference (docs/stats.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "missionkit/stats/regression.hpp"

namespace missionkit::stats {

/// \brief Options of ols_fe().
struct fe_options {
  /// nonrobust, hc0, hc1 or cluster. HC2 and HC3 need the leverages of the dummy columns and are refused.
  cov_type cov = cov_type::nonrobust;
  double alpha = 0.05;
  /// As ols_options::use_t; with use_t the nonrobust/HC df are n - k - a, the cluster df G - 1.
  std::optional<bool> use_t;
  /// Cluster labels (cov_type::cluster) and second dimension for two-way clustering, or empty.
  /// Negative labels are missing and drop the row.
  std::span<const std::int64_t> groups;
  std::span<const std::int64_t> groups2;
  /// Names of X's columns for results and messages; may be empty.
  std::vector<std::string> names;
  /// Convergence of the alternating projections (two ways): largest group mean / column scale.
  double tol = 1e-14;
  std::size_t max_iter = 100000;
};

/// \brief Fit with absorbed fixed effects: `ols` holds the slopes (no intercept: it is absorbed) with
/// covariances, df_resid (n - k - a), R^2 of the full model (y's centered total sum of squares) and
/// adjusted R^2 with the dummy regression's df.
struct fe_result {
  ols_result ols;
  std::vector<std::size_t> n_levels;  ///< levels of each fixed effect in the rows used
  std::size_t n_absorbed = 0;         ///< a: rank of the absorbed intercept + dummies
  double rsquared_within = 0.0;       ///< 1 - ssr / (sum of squares of demeaned y)
  std::size_t iterations = 0;         ///< sweeps of the alternating projections
};

/// \brief OLS of y on X with the fixed effects `fe` (one or two label arrays, one label per row)
/// absorbed. Rows with NaN in y or X, or a negative fixed-effect or cluster label, are dropped first.
/// \throws missionkit::domain_error for mismatched lengths, +-inf, no or more than two fixed effects,
///   HC2/HC3, a column of X absorbed by the fixed effects (named), no residual df, too few clusters, or
///   no convergence.
[[nodiscard]] fe_result ols_fe(std::span<const double> y, matrix_view x,
                               const std::vector<std::span<const std::int64_t>>& fe,
                               const fe_options& options = {});

/// \brief Wald test of R b = 0 for a subset of coefficients: W = b_S' V_SS^-1 b_S ~ chi2(q), and
/// F = W / q ~ F(q, df_denom) with df_denom = the fit's df_inference when it uses t, else df_resid
/// (G - 1 for cluster covariances, statsmodels' df_resid_inference).
struct wald_result {
  double statistic = 0.0;  ///< chi-square statistic W
  double df = 0.0;         ///< q, coefficients tested
  double pvalue = 1.0;     ///< chi2_sf(W, q)
  double f_statistic = 0.0;
  double df_denom = 0.0;
  double f_pvalue = 1.0;
};

/// \brief Joint test that the coefficients `which` (indices into r.params) are all zero.
[[nodiscard]] wald_result wald_test(const ols_result& r, const std::vector<std::size_t>& which);

}  // namespace missionkit::stats
