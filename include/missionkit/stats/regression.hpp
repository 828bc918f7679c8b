// Ordinary least squares with classical, heteroskedasticity-robust (HC0-HC3), cluster-robust (one- and
// two-way) and Newey-West (HAC) covariances, as statsmodels' OLS(y, X).fit(cov_type=...), which the tests
// use as oracle.
//
// Numerics: the coefficients come from a Householder QR factorisation of [X y], never from the normal
// equations X'X b = X'y, whose condition number is the square of X's (Golub & Van Loan, "Matrix
// Computations", 4th ed., sec. 5.3.8). The factorisation is computed block by block ("TSQR": the R factor
// of a block stacked on the R factor so far is the R factor of both; Demmel, Grigori, Hoemmen & Langou
// 2012), so rows stream through in chunks of a few thousand and no n x k copy of X is ever made. The same
// property makes the fit mergeable: per chunk, per thread or per Spark partition, then operator+=.
//
// Robust covariances are sandwiches (X'X)^-1 M (X'X)^-1 whose meat M is summed from per-observation
// (HC) or per-cluster (cluster) scores x_i e_i; no n x n matrix appears. Because the scores need the
// final coefficients, a chunked fit takes two passes over the data: ols_partial (pass 1) -> ols_fit, then
// ols_scores (pass 2) -> ols_result. ols() does both passes over in-memory data, in parallel.
//
// Everything heavy (Eigen) is in src/stats/regression.cpp; this header only declares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace missionkit::stats {

/// \brief Covariance of the OLS coefficients (statsmodels cov_type in brackets), with
/// B = (X'X)^-1, e_i the residuals, h_i = x_i' B x_i the leverages, n rows and k columns:
/// - nonrobust ["nonrobust"]: s^2 B, s^2 = sum e_i^2 / (n - k).
/// - hc0 ["HC0"]: B (sum e_i^2 x_i x_i') B (White 1980).
/// - hc1 ["HC1"]: hc0 * n / (n - k) (MacKinnon & White 1985).
/// - hc2 ["HC2"]: e_i^2 / (1 - h_i) in place of e_i^2.
/// - hc3 ["HC3"]: e_i^2 / (1 - h_i)^2 (close to the jackknife; Long & Ervin 2000 recommend it for n < 250).
/// - cluster ["cluster"]: B (sum_g s_g s_g') B with s_g = sum_{i in g} x_i e_i, times
///   G/(G-1) * (n-1)/(n-k) (CRV1, statsmodels' use_correction=True; Stata's small-sample factor). Two-way
///   (Cameron, Gelbach & Miller 2011): V_1 + V_2 - V_12, each with its own G, where V_12 clusters on the
///   pairs (g1, g2), exactly as statsmodels' cov_cluster_2groups. Not forced positive semi-definite.
/// - hac ["HAC"]: Newey & West (1987), B S B with S = sum_{l=0..L} w_l sum_t (u_t u_{t-l}' + u_{t-l} u_t')
///   (the l = 0 term once), u_t = x_t e_t, Bartlett weights w_l = 1 - l/(L+1), L = ols_options::maxlags.
///   No small-sample factor by default (statsmodels' default use_correction=False for cov_type="HAC");
///   ols_options::use_correction multiplies by n / (n - k), statsmodels' use_correction=True. Rows must be
///   in time order, one per period; lags count used rows (a row dropped for NaN closes the gap).
enum class cov_type { nonrobust, hc0, hc1, hc2, hc3, cluster, hac };

/// \brief A read-only strided view of a rows x cols matrix of doubles in caller memory: element (i, j) is
/// data[i * row_stride + j * col_stride]. Strides are in elements and may be any non-negative values, so
/// numpy arrays in C or Fortran order (or column slices of either) are viewed without copying.
struct matrix_view {
  const double* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::ptrdiff_t row_stride = 1;
  std::ptrdiff_t col_stride = 0;

  [[nodiscard]] double operator()(std::size_t i, std::size_t j) const {
    return data[static_cast<std::ptrdiff_t>(i) * row_stride + static_cast<std::ptrdiff_t>(j) * col_stride];
  }
  /// Column-major (Fortran, Eigen's default, numpy order="F") storage.
  [[nodiscard]] static matrix_view column_major(const double* data, std::size_t rows, std::size_t cols) {
    return {data, rows, cols, 1, static_cast<std::ptrdiff_t>(rows)};
  }
  /// Row-major (C, numpy's default) storage.
  [[nodiscard]] static matrix_view row_major(const double* data, std::size_t rows, std::size_t cols) {
    return {data, rows, cols, static_cast<std::ptrdiff_t>(cols), 1};
  }
};

/// \brief Options of ols().
struct ols_options {
  cov_type cov = cov_type::nonrobust;
  /// Prepend a column of ones (named "const"). Leave false when X already holds one.
  bool add_intercept = true;
  /// Level of the confidence intervals (1 - alpha).
  double alpha = 0.05;
  /// Reference distribution of t statistics: Student t when true, standard normal when false. Default as
  /// statsmodels: t with n - k df for nonrobust, normal for the robust types. With cluster and use_t, the
  /// df are G - 1 (G = the smaller number of clusters for two-way), statsmodels' df_resid_inference.
  std::optional<bool> use_t;
  /// Cluster labels, one per row (cov_type::cluster). Any int64 value; a negative label means "missing"
  /// and drops the row, like NaN in y or X.
  std::span<const std::int64_t> groups;
  /// Labels of the second clustering dimension for two-way clustering, or empty.
  std::span<const std::int64_t> groups2;
  /// Names of X's columns (without the intercept), used in error messages; may be empty.
  std::vector<std::string> names;
  /// Truncation lag L of the Newey-West kernel (cov_type::hac). 0 gives HC0.
  std::size_t maxlags = 0;
  /// cov_type::hac only: multiply the covariance by n / (n - k) (statsmodels' use_correction=True in
  /// fit(cov_type="HAC", cov_kwds={..., "use_correction": True}); its default, as ours, is false).
  bool use_correction = false;
};

/// \brief Fitted OLS model. Vectors have one entry per coefficient, the intercept ("const") first when
/// added.
struct ols_result {
  std::vector<std::string> names;  ///< "const", then options.names or "x1", "x2", ...
  std::vector<double> params;
  std::vector<double> bse;  ///< standard errors: sqrt(diag(cov_params))
  std::vector<double> tvalues;
  std::vector<double> pvalues;  ///< two-sided
  std::vector<double> ci_low;
  std::vector<double> ci_high;
  std::vector<double> cov_params;  ///< k x k, row-major
  std::size_t nobs = 0;            ///< rows used
  std::size_t nobs_dropped = 0;    ///< rows dropped for NaN in y or X or a missing cluster label
  double df_model = 0.0;           ///< k minus the constant
  double df_resid = 0.0;           ///< n - k
  double df_inference = 0.0;       ///< df of the t distribution used (+inf when normal)
  double ssr = 0.0;                ///< sum of squared residuals
  double tss = 0.0;                ///< total sum of squares: centered when there is a constant, else y'y
  double rsquared = 0.0;
  double rsquared_adj = 0.0;
  double sigma = 0.0;  ///< residual standard deviation sqrt(ssr / (n - k)) ("root MSE")
  bool has_constant = false;
  bool use_t = true;
  cov_type cov = cov_type::nonrobust;
  std::size_t n_groups = 0;     ///< clusters in groups (0 unless cov_type::cluster)
  std::size_t n_groups2 = 0;    ///< clusters in groups2 (two-way)
  std::size_t maxlags = 0;      ///< Newey-West truncation lag (cov_type::hac)
  bool use_correction = false;  ///< HAC small-sample factor n / (n - k) applied
};

/// \brief Fits y = X b + e by least squares.
///
/// Rows where y or any column of X is NaN, or (for cluster) a label is negative, are dropped together
/// with their labels and counted in nobs_dropped. The fit runs in parallel over blocks of rows
/// (missionkit::threads()).
/// \throws missionkit::domain_error for mismatched lengths, +-inf in the data (named by row and column),
///         fewer usable rows than columns, fewer than 2 clusters, a column that is all zeros, or a column
///         that is (numerically) a linear combination of the columns before it, which the message names.
[[nodiscard]] ols_result ols(std::span<const double> y, matrix_view x, const ols_options& options = {});

/// \brief The coefficients and the factor of X'X that pass 1 of a chunked fit produces.
struct ols_fit {
  std::size_t k = 0;
  bool add_intercept = true;
  bool has_constant = false;
  std::vector<double> params;
  std::vector<double> r_inv;  ///< R^-1 (k x k, upper triangular, column-major); X'X = R'R
  double nobs = 0.0;
  std::size_t nobs_dropped = 0;
  double ssr = 0.0;
  double tss = 0.0;
};

/// \brief Pass 1 of a chunked OLS fit: the R factor of [X y] and the count, mean and sum of squares of
/// y. Fill one per chunk (or thread, or partition) with add(), merge with +=, then call solve().
///
/// The state is (k+2)(k+1)/2 + 3 numbers plus k constant-column flags, whatever the number of rows; it
/// carries the same information as X'X, X'y and y'y (X'X = R11'R11, X'y = R11'r, y'y = r'r + rho^2) at
/// the precision of the QR factorisation rather than that of the normal equations.
class ols_partial {
 public:
  /// \param k_columns  columns of X as passed to add() (without the intercept).
  explicit ols_partial(std::size_t k_columns = 0, bool add_intercept = true);

  /// Adds rows. groups/groups2 (may be empty) only decide which rows are dropped (negative labels), so
  /// that both passes drop the same rows. first_row is the number of y[0] in error messages.
  void add(std::span<const double> y, matrix_view x, std::span<const std::int64_t> groups = {},
           std::span<const std::int64_t> groups2 = {}, std::size_t first_row = 0);

  /// Merge: the R factor of [R_a; R_b] (one more small QR), counts added, moments of y merged with the
  /// formula of Chan, Golub & LeVeque (1979): m2 = m2_a + m2_b + d^2 n_a n_b / n, d = mean_b - mean_a.
  ols_partial& operator+=(const ols_partial& other);

  /// Solves R b = Q'y. \throws missionkit::domain_error as ols() does; names = column names for messages.
  [[nodiscard]] ols_fit solve(const std::vector<std::string>& names = {}) const;

  [[nodiscard]] double nobs() const { return n_; }
  [[nodiscard]] std::size_t nobs_dropped() const { return dropped_; }
  /// X'X (k x k, column-major, intercept first) recovered as R'R: for callers that want the classical
  /// sufficient statistics (for example to combine with another library).
  [[nodiscard]] std::vector<double> xtx() const;
  /// X'y recovered as R11' r.
  [[nodiscard]] std::vector<double> xty() const;

 private:
  std::size_t k_x_ = 0;  // columns of X as passed
  bool add_intercept_ = true;
  std::vector<double> r_;  // (k+1) x (k+1) upper triangular, column-major; column k is [Q'y; rho]
  double n_ = 0.0;
  double mean_y_ = 0.0;
  double m2_y_ = 0.0;
  std::size_t dropped_ = 0;
  std::vector<double> first_;            // first value seen in each column of X
  std::vector<unsigned char> constant_;  // column constant so far
};

/// \brief Pass 2 of a chunked fit: the meat of the sandwich from the residuals at the pass-1
/// coefficients. Per-observation terms are summed into a k x k matrix; cluster scores are summed per
/// label, so the state grows with the number of clusters, not of rows. For HAC the state also keeps the
/// first and the last maxlags scores (O(L k)), so that lagged products across chunk boundaries are
/// formed on merge: chunks must be added, and merged, in time order (a += b with b the later rows).
class ols_scores {
 public:
  ols_scores(const ols_fit& fit, cov_type cov, bool two_way = false, std::size_t maxlags = 0);

  void add(std::span<const double> y, matrix_view x, std::span<const std::int64_t> groups = {},
           std::span<const std::int64_t> groups2 = {});
  /// Merge: matrices added, cluster sums added label by label (both states must come from the same fit).
  /// HAC: other holds the rows that follow this state's rows in time; the cross-boundary lag products
  /// sum_l w_l (u_t u_{t-l}' + u_{t-l} u_t') pair other's first L scores with this state's last L.
  ols_scores& operator+=(const ols_scores& other);

  /// Covariance, standard errors, tests and intervals.
  [[nodiscard]] ols_result finish(const ols_options& options) const;

 private:
  struct pair_hash {
    std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& p) const noexcept;
  };
  ols_fit fit_;
  cov_type cov_;
  bool two_way_;
  std::vector<double> meat_;  // k x k in the rotated basis u_i = R^-T x_i e_i
  std::unordered_map<std::int64_t, std::size_t> slot1_, slot2_;
  std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::size_t, pair_hash> slot12_;
  std::vector<double> sums1_, sums2_, sums12_;  // k per cluster, in slot order
  std::size_t maxlags_ = 0;
  std::vector<double> head_, tail_;  // HAC: first and last <= maxlags rotated scores, k per row, in order
};

}  // namespace missionkit::stats
