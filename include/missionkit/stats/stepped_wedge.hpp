// Stepped-wedge cluster-randomised designs: every cluster starts in control and crosses over to the
// intervention at a randomised step, so by the last period all clusters are treated. This header gives the
// design matrix and the power of the cross-sectional design analysed with a random cluster effect and
// fixed period effects (Hussey & Hughes 2007).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace missionkit::stats {

/// \brief A stepped-wedge design: clusters x periods, x(i, j) = 1 when cluster i is treated in period j.
struct sw_design {
  int clusters = 0;
  int periods = 0;
  std::vector<std::uint8_t> x;  ///< row-major, clusters * periods, 0 or 1
  [[nodiscard]] int at(int i, int j) const { return x[static_cast<std::size_t>(i) * periods + j]; }
};

/// \brief The standard (complete) stepped-wedge design. Group s (0-based, clusters_per_step[s] clusters)
/// crosses over at period baseline_periods + s and stays treated; periods = baseline_periods + steps, so
/// the last period has every cluster treated and the first baseline_periods none.
/// \throws missionkit::domain_error for no steps, a group with fewer than 1 cluster, baseline_periods < 1.
[[nodiscard]] sw_design stepped_wedge_design(std::span<const int> clusters_per_step,
                                             int baseline_periods = 1);

/// \brief As above with `clusters` split equally over `steps` (clusters must be a multiple of steps).
[[nodiscard]] sw_design stepped_wedge_design(int clusters, int steps, int baseline_periods = 1);

/// \brief Power of a cross-sectional stepped-wedge design (Hussey & Hughes 2007, "Design and analysis of
/// stepped wedge cluster randomized trials", Contemporary Clinical Trials 28:182-191, eq. 8 and sec. 3).
struct sw_power_result {
  double variance = 0.0;   ///< Var(theta_hat) of the GLS (known-variance) estimator
  double std_error = 0.0;  ///< sqrt(variance)
  double power = 0.0;      ///< Phi(|theta| / se - z_{1 - alpha/2})
  double u = 0.0;          ///< U = sum_ij X_ij
  double w = 0.0;          ///< W = sum_j (sum_i X_ij)^2
  double v = 0.0;          ///< V = sum_i (sum_j X_ij)^2
};

/// \brief Model: the mean of cluster i in period j over m individuals is
/// y_ij = mu + beta_j + X_ij theta + alpha_i + e_ij, alpha_i ~ N(0, tau^2), e_ij ~ N(0, sigma_e^2 / m).
/// With sigma^2 = sigma_e^2 / m, I clusters and T periods, the GLS estimator of theta has
///   Var = I sigma^2 (sigma^2 + T tau^2) / ((I U - W) sigma^2 + (U^2 + I T U - T W - I V) tau^2)
/// and the power of the two-sided Wald test at level alpha is Phi(|theta| / sqrt(Var) - z_{1-alpha/2})
/// (the far tail, below 1e-3 for any useful design, is ignored, as in the paper).
/// \param theta  the treatment effect to detect (difference in means, or in proportions with
///               sigma_e^2 = p (1 - p) as the paper's binary-outcome approximation).
/// \param sigma_e  within-cluster (individual) standard deviation, > 0.
/// \param tau      between-cluster standard deviation, >= 0.
/// \param m        individuals per cluster and period, > 0.
/// \throws missionkit::domain_error for invalid parameters, or a design whose treatment effect is not
/// identified (denominator <= 0, e.g. no cluster ever treated or all treated in every period).
[[nodiscard]] sw_power_result stepped_wedge_power(const sw_design& design, double theta, double sigma_e,
                                                  double tau, double m, double alpha = 0.05);

}  // namespace missionkit::stats
