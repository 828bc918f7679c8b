// Confidence intervals for ratio metrics (sum of a numerator over sum of a denominator across units, by
// the delta method) and for the Net Promoter Score.
#pragma once

#include <cstdint>
#include <span>

namespace missionkit::stats {

/// \brief A two-sided normal interval with its point estimate and standard error.
struct estimate_ci {
  double estimate = 0.0;
  double se = 0.0;
  double low = 0.0;
  double high = 0.0;
};

/// \brief Streaming first and second moments of unit-level pairs (x = denominator, y = numerator), for
/// ratio_ci. One pass, numerically stable (Welford 1962 for the variances; the co-moment update of
/// Pébay 2008), and mergeable: states over disjoint sets of units combine with operator+=, so data can
/// be accumulated in chunks or threads and merged.
struct ratio_moments {
  std::int64_t n = 0;
  double mean_x = 0.0;
  double mean_y = 0.0;
  double m2x = 0.0;  ///< sum (x - mean_x)^2
  double m2y = 0.0;  ///< sum (y - mean_y)^2
  double cxy = 0.0;  ///< sum (x - mean_x)(y - mean_y)

  /// Adds one unit with numerator y and denominator x (not checked; ratio_ci checks its spans).
  void add(double y, double x) noexcept;

  /// Merge (Chan, Golub & LeVeque 1979; Pébay 2008, eq. 3.1 and its co-moment analogue): with
  /// d_x = mean_x' - mean_x, d_y likewise and n = n_a + n_b,
  /// mean += d n_b / n, m2x += m2x' + d_x^2 n_a n_b / n, cxy += cxy' + d_x d_y n_a n_b / n.
  ratio_moments& operator+=(const ratio_moments& o) noexcept;
};

/// \brief Delta-method interval for the ratio metric R = sum(y) / sum(x) = mean(y) / mean(x) over n
/// independent units (Deng, Knoblich & Lu 2018, "Applying the Delta Method in Metric Analytics", sec. 3):
///
///   var(R) ~ (1/n) [ var(y)/mx^2 - 2 my cov(x, y)/mx^3 + my^2 var(x)/mx^4 ]
///
/// with mx, my the sample means and var, cov the (n - 1) sample moments; interval R -+ z se with
/// z = normal_ppf(1 - alpha/2). The unit (customer, agent, day) is what is independent, not the event
/// (contact): this is why a ratio of sums needs the delta method and not a binomial or t interval.
///
/// \throws missionkit::domain_error for spans of different lengths, fewer than 2 units, NaN or +-inf
///         (naming the index), sum(x) == 0, or alpha outside (0, 1).
[[nodiscard]] estimate_ci ratio_ci(std::span<const double> num, std::span<const double> den,
                                   double alpha = 0.05);

/// \brief The same interval from accumulated moments (n >= 2, mean_x != 0).
[[nodiscard]] estimate_ci ratio_ci(const ratio_moments& m, double alpha = 0.05);

/// \brief Interval for R1 - R2 of two independent ratio metrics (e.g. treatment minus control): estimate
/// R1 - R2, se = sqrt(se1^2 + se2^2) from ratio_ci of each group, normal interval at 1 - alpha.
[[nodiscard]] estimate_ci diff_ratio_ci(std::span<const double> num1, std::span<const double> den1,
                                        std::span<const double> num2, std::span<const double> den2,
                                        double alpha = 0.05);

/// \brief Net Promoter Score in points, NPS = 100 (p+ - p-), with the Wald interval from the trinomial
/// variance: se = 100 sqrt((p+ + p- - (p+ - p-)^2) / n), NPS -+ z se clipped to [-100, 100],
/// z = normal_ppf(1 - alpha/2). The same numbers as missionkit's `nps` measure (src/measure/engine.cpp).
///
/// \param promoters, passives, detractors  counts >= 0 (fractional = weighted), with a positive total.
/// \throws missionkit::domain_error naming the argument for NaN, negative or infinite counts, a zero
///         total, or alpha outside (0, 1).
[[nodiscard]] estimate_ci nps_ci(double promoters, double passives, double detractors, double alpha = 0.05);

}  // namespace missionkit::stats
