// Hussey & Hughes (2007) analysis of a cross-sectional stepped-wedge trial: the linear mixed model
//   y_ijk = mu + beta_j + theta X_ij + a_i + e_ijk,  a_i ~ N(0, tau^2),  e_ijk ~ N(0, sigma^2),
// (cluster i, period j, individual k) fitted by REML or ML. Every fixed-effect regressor is constant
// within a cluster-period cell, so the (restricted) likelihood depends on the data only through each
// cell's count, mean and within-cell sum of squares: the fit is exact for individual-level data and its
// cost does not grow with the number of individuals once the cells are summarised.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace missionkit::stats {

/// \brief One cluster-period cell: n individuals with outcome mean `mean` and within-cell sum of squared
/// deviations `ss` (= sum y^2 - n mean^2), all with treatment `treated` (0 or 1).
struct sw_cell {
  int cluster = 0;  ///< 0-based cluster code
  int period = 0;   ///< 0-based period code (periods are ordered by code)
  int treated = 0;
  double n = 0.0;
  double mean = 0.0;
  double ss = 0.0;
};

/// \brief Summarise individual rows into cells (one pass for the counts and means, a second for the
/// within-cell sums of squares, so no cancellation). Codes are 0-based; the cells come back ordered by
/// (cluster, period). \throws missionkit::data_error for mismatched lengths, negative codes, a treatment
/// other than 0/1, treatment not constant within a cell, or a non-finite outcome.
[[nodiscard]] std::vector<sw_cell> sw_cells_from_rows(std::span<const std::int64_t> cluster,
                                                      std::span<const std::int64_t> period,
                                                      std::span<const std::int64_t> treated,
                                                      std::span<const double> y);

/// \brief Cells from per-cell summaries (n, sum y, sum y^2); rows with the same (cluster, period) are
/// merged. For a 0/1 outcome sum y^2 = sum y. \throws missionkit::data_error as above, for n < 1 or a
/// non-finite sum.
[[nodiscard]] std::vector<sw_cell> sw_cells_from_sums(std::span<const std::int64_t> cluster,
                                                      std::span<const std::int64_t> period,
                                                      std::span<const std::int64_t> treated,
                                                      std::span<const double> n, std::span<const double> sum,
                                                      std::span<const double> sum_sq);

/// \brief Result of the Hussey & Hughes mixed-model fit.
struct sw_fit_result {
  double theta = 0.0;      ///< treatment effect
  double std_error = 0.0;  ///< GLS SE given the estimated variances: sqrt(sigma^2 [(X'H^-1 X)^-1]_theta)
  double std_error_observed = 0.0;  ///< SE from the inverse observed information of the profile likelihood in
                                    ///< (fixed effects, tau^2/sigma^2) -- what statsmodels MixedLM reports
  double z = 0.0;                   ///< theta / std_error
  double pvalue = 1.0;              ///< two-sided normal p-value
  double ci_low = 0.0, ci_high = 0.0;
  double tau2 = 0.0;                   ///< between-cluster variance
  double sigma2 = 0.0;                 ///< residual (individual) variance
  double icc = 0.0;                    ///< tau^2 / (tau^2 + sigma^2)
  double intercept = 0.0;              ///< mu + beta_1: control mean in the first period
  std::vector<double> period_effects;  ///< beta_j - beta_1 (first entry 0)
  int clusters = 0;
  int periods = 0;
  int cells = 0;
  double n_obs = 0.0;
  double log_likelihood = 0.0;  ///< REML or ML log-likelihood (statsmodels' / lme4's convention)
  bool converged = false;
  int iterations = 0;
  bool boundary = false;  ///< tau^2 estimated at 0
  int reversals = 0;      ///< clusters that go from treated back to control (not a stepped wedge)
};

/// \brief Fit the Hussey & Hughes model to cells. The likelihood is profiled over the fixed effects and
/// sigma^2 and maximised over gamma = tau^2 / sigma^2 >= 0 by solving the profile score equation to full
/// precision (TOMS748 on a bracket); gamma = 0 when the score is not positive there.
/// \param reml  restricted (REML) likelihood when true, ML otherwise.
/// \throws missionkit::data_error for fewer than 2 clusters or 2 periods, no treated or no control cell,
/// a treatment confounded with the periods (no period with both treated and control cells), or too few
/// individuals to estimate sigma^2. Clusters that switch back to control are fitted (the model allows
/// it) and counted in `reversals`.
[[nodiscard]] sw_fit_result stepped_wedge_fit(std::span<const sw_cell> cells, bool reml = true,
                                              double alpha = 0.05);

}  // namespace missionkit::stats
