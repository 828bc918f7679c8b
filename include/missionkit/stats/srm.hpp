// Sample-ratio-mismatch (SRM) check: do the arm sizes match the designed split?
#pragma once

#include <span>
#include <vector>

namespace missionkit::stats {

/// \brief Result of srm_test.
struct srm_result {
  double statistic = 0.0;              ///< Pearson chi-squared, sum (observed - expected)^2 / expected
  double df = 0.0;                     ///< number of arms with weight > 0, minus 1
  double pvalue = 1.0;                 ///< chi2_sf(statistic, df)
  bool ok = true;                      ///< pvalue >= threshold: no evidence of a mismatch
  double threshold = 0.001;            ///< the threshold used
  std::vector<double> expected;        ///< expected counts, total * weight / sum(weights)
  std::vector<double> observed_share;  ///< counts / total
};

/// \brief Pearson chi-squared goodness-of-fit test of the observed arm counts against the design weights
/// (as scipy.stats.chisquare(counts, total * weights / sum(weights))).
///
/// The default threshold 0.001 (not 0.05) is the convention of Fabijan et al. (2019), "Diagnosing Sample
/// Ratio Mismatch in Online Controlled Experiments", KDD: the check runs on every experiment and every
/// refresh, so a 5% threshold would block one healthy experiment in twenty, while a real SRM from a bug in
/// assignment or logging is usually extreme (p far below 1e-3) at the sample sizes where it matters.
/// An arm with weight 0 must have count 0 (otherwise the design is violated outright: error).
/// \throws missionkit::domain_error for fewer than 2 arms, sizes that differ, negative or NaN counts,
/// invalid weights, a zero total, or a threshold outside (0, 1).
[[nodiscard]] srm_result srm_test(std::span<const double> counts, std::span<const double> weights,
                                  double threshold = 0.001);

}  // namespace missionkit::stats
