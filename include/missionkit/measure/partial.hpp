// Mergeable partial states of the CX measures. Every measure is computed as: partial state per chunk /
// thread / Spark partition -> operator+= -> finish. The states hold exact integers (counts, and sums in
// fixed point), so merging in any order, at any split, gives bit-for-bit the one-pass result.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "missionkit/core/error.hpp"

namespace missionkit::measure {

// GCC and Clang's 128-bit integer; __extension__ keeps -Wpedantic quiet about it.
__extension__ typedef __int128 int128;

/// \brief Counts behind a proportion: numerator / denominator, plus the units left out because their
/// outcome could not be observed (e.g. an FCR window that runs past the end of the data).
struct proportion_state {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 0;
  std::uint64_t censored = 0;

  void add(bool success) noexcept {
    numerator += success ? 1u : 0u;
    ++denominator;
  }
  // Merge: counts add.
  proportion_state& operator+=(const proportion_state& o) noexcept {
    numerator += o.numerator;
    denominator += o.denominator;
    censored += o.censored;
    return *this;
  }
  [[nodiscard]] double value() const noexcept {
    return denominator ? static_cast<double>(numerator) / static_cast<double>(denominator) : std::nan("");
  }
  friend bool operator==(const proportion_state&, const proportion_state&) = default;
};

/// \brief Count, sum and sum of squares of values in fixed point (1e-6 units: microseconds for
/// durations in seconds, millionths of a currency unit or a scale point), held in 128-bit integers.
///
/// Why fixed point: floating-point sums depend on the order of addition, so a threaded or chunked mean
/// would differ in the last bits from the one-pass mean. Integer sums do not. Rounding each value to 1e-6
/// is far below any CX measurement's resolution; |value| must stay below 9.2e12 (checked by the caller).
/// Range: 1e8 values of 1e6 seconds give sum_sq ~ 1e32, well inside 1.7e38.
struct mean_state {
  static constexpr double scale = 1e6;
  static constexpr double max_abs_value = 9.2e12;
  std::uint64_t n = 0;
  int128 sum = 0;     // sum of round(value * scale)
  int128 sum_sq = 0;  // sum of round(value * scale)^2

  /// Adds a value; throws missionkit::domain_error when |value| > max_abs_value (the fixed-point range).
  void add(double value) {
    if (!(std::fabs(value) <= max_abs_value))
      throw domain_error("value " + std::to_string(value) + " is outside the supported range +-9.2e12");
    const auto q = static_cast<std::int64_t>(std::llround(value * scale));
    ++n;
    sum += q;
    sum_sq += static_cast<int128>(q) * q;
  }
  // Merge: counts and integer sums add exactly.
  mean_state& operator+=(const mean_state& o) noexcept {
    n += o.n;
    sum += o.sum;
    sum_sq += o.sum_sq;
    return *this;
  }
  [[nodiscard]] double mean() const noexcept {
    return n ? static_cast<double>(static_cast<long double>(sum) / static_cast<long double>(n) / scale)
             : std::nan("");
  }
  /// Sample variance (n - 1 denominator), without cancellation: with sum = q n + r (integer division),
  /// n sum_sq - sum^2 = n S - r^2 where S = sum_sq - q (q n + 2 r) is computed exactly in 128 bits and is
  /// of the size of the spread, not of the mean; the r^2 / n term is below one scaled unit.
  [[nodiscard]] double variance() const noexcept {
    if (n < 2) return std::nan("");
    const auto nn = static_cast<int128>(n);
    const int128 q = sum / nn;
    const int128 r = sum % nn;
    const int128 spread = sum_sq - q * (q * nn + 2 * r);
    const long double ld_n = static_cast<long double>(n);
    const long double r2 = static_cast<long double>(r) * static_cast<long double>(r);
    const long double scaled = (static_cast<long double>(spread) - r2 / ld_n) / (ld_n - 1);
    return static_cast<double>(scaled / (static_cast<long double>(scale) * scale));
  }
  friend bool operator==(const mean_state&, const mean_state&) = default;
};

/// \brief Net Promoter Score counts on the 0-10 likelihood-to-recommend scale: promoters 9-10, passives
/// 7-8, detractors 0-6 (Reichheld 2003).
struct nps_state {
  std::uint64_t promoters = 0;
  std::uint64_t passives = 0;
  std::uint64_t detractors = 0;

  void add(double score) noexcept {
    if (score >= 9) {
      ++promoters;
    } else if (score >= 7) {
      ++passives;
    } else {
      ++detractors;
    }
  }
  nps_state& operator+=(const nps_state& o) noexcept {
    promoters += o.promoters;
    passives += o.passives;
    detractors += o.detractors;
    return *this;
  }
  [[nodiscard]] std::uint64_t n() const noexcept { return promoters + passives + detractors; }
  friend bool operator==(const nps_state&, const nps_state&) = default;
};

}  // namespace missionkit::measure
