// Bootstrap confidence intervals by the Poisson bootstrap, seeded and bit-for-bit reproducible across
// thread counts: of a mean (and a proportion, the mean of 0/1 data; streaming, O(B) memory), and of a
// quantile, a ratio of sums and a difference of two groups' means (O(n + B) memory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "missionkit/stats/alternative.hpp"

namespace missionkit::stats {

/// \brief Interval methods (Efron & Tibshirani 1993, ch. 13-14; scipy.stats.bootstrap's names).
/// - percentile: [q(alpha/2), q(1 - alpha/2)] of the replicate means.
/// - basic: [2 est - q(1 - alpha/2), 2 est - q(alpha/2)] (the "reverse percentile" interval).
/// - bca: bias-corrected and accelerated (Efron 1987): quantiles at Phi(z0 + (z0 + z)/(1 - a (z0 + z)))
///   for z = Phi^-1(alpha/2), Phi^-1(1 - alpha/2), with z0 = Phi^-1(share of replicates below the
///   estimate, ties counted half, as scipy) and a the exact jackknife acceleration of the mean.
enum class bootstrap_method { percentile, basic, bca };

/// \brief Result of a bootstrap interval. `standard_error` is the ddof = 1 standard deviation of the
/// replicate means (scipy's BootstrapResult.standard_error).
struct bootstrap_result {
  interval ci;
  double estimate = 0.0;        ///< the sample mean
  double standard_error = 0.0;  ///< sd of the replicate means
  double z0 = 0.0;              ///< BCa bias correction (computed for every method)
  double acceleration = 0.0;    ///< BCa acceleration a (computed for every method)
  std::size_t n_resamples = 0;  ///< replicates used (those with at least one observation drawn)
};

/// Smallest number of resamples accepted. With fewer than 100 the tail quantiles of a 95% interval rest
/// on two or three replicates each (B alpha / 2 = 2.5), and BCa moves them further into the tail;
/// Efron & Tibshirani (1993, sec. 19.3) recommend 1,000 or more for intervals.
inline constexpr std::size_t bootstrap_min_resamples = 100;

/// \brief The Poisson(1) weight of observation `index` in replicate `replicate` under `seed`.
///
/// Counter-based: SplitMix64 hashes of (seed, replicate, index) give a 32-bit uniform u, turned
/// into a Poisson(1) draw by inversion of its CDF (thresholds floor(F(k) 2^32)), so the draw is exact up
/// to the 2^-32 resolution of u (the tail P(w > 12) = 6e-11 collapses onto 13). Because a
/// weight depends on nothing else, results do not depend on thread count, chunking or order.
[[nodiscard]] unsigned poisson_bootstrap_weight(std::uint64_t seed, std::uint64_t replicate,
                                                std::uint64_t index) noexcept;

/// \brief Mergeable state of a Poisson bootstrap of the mean: for each replicate b, sum_i w_bi (x_i - c)
/// and sum_i w_bi, plus count, mean, M2 and M3 of the data (for the estimate and the jackknife
/// acceleration). Memory is O(B); the n x B weight matrix is never formed.
///
/// Feed chunks with add(x, first_index), where first_index is the position of x[0] in the whole sample
/// (the weights are keyed by it). Chunks added in order to one state give exactly the bits of one add()
/// of the whole sample. States that saw disjoint index ranges merge with +=; the weight sums are
/// integers and merge exactly, the weighted sums are floating point and agree with one pass to rounding.
/// c (`center`) should be near the mean (the one-shot function uses the sample mean) so that data with a
/// large offset keep their digits.
class bootstrap_mean_accumulator {
 public:
  /// \throws missionkit::domain_error for n_resamples < bootstrap_min_resamples or a non-finite center.
  bootstrap_mean_accumulator(std::size_t n_resamples, std::uint64_t seed, double center = 0.0);

  /// Adds x[0..n) as observations first_index..first_index + n - 1, in parallel over the replicates on
  /// missionkit::threads() (each replicate is summed in index order by one thread, so the thread count
  /// does not change a bit). \throws missionkit::domain_error naming the index of a NaN or infinite value.
  void add(std::span<const double> x, std::uint64_t first_index);

  /// Merge: n = na + nb; mean, M2 and M3 by Pebay (2008) eq. 1.1-1.3 with delta = mean_b - mean_a:
  /// M2 = M2a + M2b + delta^2 na nb / n,
  /// M3 = M3a + M3b + delta^3 na nb (na - nb) / n^2 + 3 delta (na M2b - nb M2a) / n;
  /// the per-replicate sums add. \throws missionkit::domain_error if B, seed or center differ.
  bootstrap_mean_accumulator& operator+=(const bootstrap_mean_accumulator& other);

  [[nodiscard]] std::size_t n_resamples() const noexcept { return sum_w_.size(); }
  [[nodiscard]] std::uint64_t count() const noexcept { return n_; }
  [[nodiscard]] double mean() const noexcept { return mean_; }

  /// The replicate means c + sum w (x - c) / sum w; NaN for a replicate that drew no observation
  /// (probability e^-n).
  [[nodiscard]] std::vector<double> replicate_means() const;

  /// Exact jackknife acceleration of the mean from the moments, see jackknife_acceleration_mean().
  [[nodiscard]] double acceleration() const noexcept;

  /// The interval. \throws missionkit::domain_error for alpha outside (0, 1) or fewer than 2 observations.
  [[nodiscard]] bootstrap_result finish(double alpha = 0.05, bootstrap_method method = bootstrap_method::bca,
                                        alternative alt = alternative::two_sided) const;

 private:
  static constexpr std::size_t lanes = 4;  // independent accumulation chains, by global index mod 4
  std::uint64_t seed_;
  double center_;
  std::vector<double> sum_wx_;        // B x lanes, replicate-major
  std::vector<std::uint64_t> sum_w_;  // B
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
  double m3_ = 0.0;
};

/// \brief Bootstrap confidence interval of the mean of x (two-sided, level 1 - alpha).
///
/// Two passes over x: the mean, M2, M3 (and the NaN check), then the Poisson bootstrap centered at the
/// mean. Time O(n B / threads), memory O(B).
/// \throws missionkit::domain_error for fewer than 2 values, a NaN or infinite value (named by index),
///         alpha outside (0, 1), n_resamples < bootstrap_min_resamples.
[[nodiscard]] bootstrap_result bootstrap_mean_ci(std::span<const double> x, double alpha = 0.05,
                                                 bootstrap_method method = bootstrap_method::bca,
                                                 std::size_t n_resamples = 2000, std::uint64_t seed = 0,
                                                 alternative alt = alternative::two_sided);

/// \brief Bootstrap interval of the q-quantile of x (q = 0.5: the median).
///
/// The estimate and every replicate are numpy's default ("linear") quantile: with m values sorted, position
/// h = (m - 1) q between the order statistics floor(h) and floor(h) + 1. Replicate b resamples x with the
/// Poisson weights poisson_bootstrap_weight(seed, b, i) (observation i drawn w_i times), so its quantile is
/// read off the sorted data by cumulative weights: O(n) per replicate after one O(n log n) sort, memory
/// O(n + B) (one weight buffer per thread), never n x B. BCa's acceleration is the jackknife of the
/// quantile, O(n) from the sorted data (leaving out the i-th order statistic shifts the later ones down).
/// \throws missionkit::domain_error for fewer than 2 values, a NaN or infinite value (named by index), q
/// outside [0, 1], alpha outside (0, 1), n_resamples < bootstrap_min_resamples.
[[nodiscard]] bootstrap_result bootstrap_quantile_ci(std::span<const double> x, double q, double alpha = 0.05,
                                                     bootstrap_method method = bootstrap_method::percentile,
                                                     std::size_t n_resamples = 2000, std::uint64_t seed = 0,
                                                     alternative alt = alternative::two_sided);

/// \brief Bootstrap interval of the ratio of sums sum(num) / sum(den) of paired observations (num_i, den_i)
/// resampled together (e.g. revenue per session with sessions as the unit: a ratio metric).
///
/// Replicate b: sum w_i num_i / sum w_i den_i with the Poisson weights of observation i; a replicate with
/// sum w den = 0 is skipped (NaN). Jackknife (BCa): (S_num - num_i) / (S_den - den_i), O(n).
/// \throws missionkit::domain_error for sizes that differ, fewer than 2 pairs, a NaN or infinite value
/// (named num[i] / den[i]), sum(den) = 0, a leave-one-out denominator of 0 with method bca, and the
/// argument checks of bootstrap_mean_ci.
[[nodiscard]] bootstrap_result bootstrap_ratio_ci(std::span<const double> num, std::span<const double> den,
                                                  double alpha = 0.05,
                                                  bootstrap_method method = bootstrap_method::bca,
                                                  std::size_t n_resamples = 2000, std::uint64_t seed = 0,
                                                  alternative alt = alternative::two_sided);

/// \brief Bootstrap interval of mean(x) - mean(y) for two independent groups, each resampled within itself
/// (stratified, as scipy.stats.bootstrap with two samples): x_i has the Poisson weight of index i and y_j
/// that of index size(x) + j, so the groups' weights are independent. A replicate in which either group
/// drew nothing is skipped. BCa: the two-sample jackknife acceleration of scipy's _bca_interval,
/// a = sum_g sum_i U_gi^3 / n_g^3 / (6 (sum_g sum_i U_gi^2 / n_g^2)^(3/2)), U_gi = (n_g - 1)(mean of the
/// group's jackknife values - theta_(g,-i)).
/// \throws missionkit::domain_error for fewer than 2 values in either group, NaN or infinite values (named
/// x[i] / y[j]) and the argument checks of bootstrap_mean_ci.
[[nodiscard]] bootstrap_result bootstrap_diff_means_ci(std::span<const double> x, std::span<const double> y,
                                                       double alpha = 0.05,
                                                       bootstrap_method method = bootstrap_method::bca,
                                                       std::size_t n_resamples = 2000, std::uint64_t seed = 0,
                                                       alternative alt = alternative::two_sided);

/// \brief The BCa acceleration of the mean in O(n): the jackknife means are (n mean - x_i) / (n - 1), so
/// d_i = mean - mean_(-i) = (x_i - mean) / (n - 1) and a = sum d^3 / (6 (sum d^2)^(3/2))
/// = sum (x - mean)^3 / (6 (sum (x - mean)^2)^(3/2)) (Efron & Tibshirani 1993, eq. 14.15). 0 for constant
/// data. \throws missionkit::domain_error for fewer than 2 values or a non-finite value.
[[nodiscard]] double jackknife_acceleration_mean(std::span<const double> x);

/// \brief The interval from a given set of replicate statistics (NaN replicates are skipped), the
/// estimate and the acceleration; the last step of bootstrap_mean_ci, exposed for other statistics and for
/// tests. Quantiles interpolate linearly between order statistics (numpy's default, as scipy).
///
/// One-sided intervals (as scipy.stats.bootstrap's alternative): `larger` (scipy "greater") gives
/// [low, +inf) with low the method's lower bound at level alpha (percentile q(alpha), basic
/// 2 est - q(1 - alpha), BCa at Phi(z0 + (z0 + z_alpha)/(1 - a (z0 + z_alpha)))); `smaller` (scipy "less")
/// gives (-inf, high] with the upper bound at 1 - alpha.
/// \throws missionkit::domain_error for alpha outside (0, 1) or fewer than 2 finite replicates.
[[nodiscard]] bootstrap_result bootstrap_interval(std::span<const double> replicates, double estimate,
                                                  double acceleration, double alpha, bootstrap_method method,
                                                  alternative alt = alternative::two_sided);

}  // namespace missionkit::stats
