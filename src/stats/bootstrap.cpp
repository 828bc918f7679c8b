#include "missionkit/stats/bootstrap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "detail/checks.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// ---- counter-based Poisson(1) weights ----------------------------------------------------------------

constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;

// SplitMix64's output function (Steele, Lea & Flood 2014): a bijective mixer whose outputs over the
// counter sequence pass BigCrush, so hashing (key + i * golden) is a counter-based generator.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One key per (seed, replicate); the weight of index i is then a function of mix64(key + (i + 1) golden).
constexpr std::uint64_t replicate_key(std::uint64_t seed, std::uint64_t replicate) noexcept {
  return mix64(seed ^ mix64((replicate + 1) * golden));
}

// Inversion of the Poisson(1) CDF on a 32-bit uniform u: w = min{k : u < floor(F(k) 2^32)}. Each 64-bit
// hash of (key, index / 4) gives the top 16 bits of u for four consecutive indices; a 4096-entry table on
// the top 12 bits answers directly except in the buckets that straddle a threshold (0.3% of draws, flagged
// 0x80 | first candidate), which take the low 16 bits of u from a second hash and search. The draw is thus
// an exact inversion of a 32-bit uniform at the cost of a quarter of a hash per weight.
struct poisson_table {
  static constexpr int kmax = 16;
  static constexpr int bits = 12;
  std::array<std::uint64_t, kmax + 1> thr{};
  std::array<std::uint8_t, std::size_t{1} << bits> bucket{};
  std::array<double, std::size_t{1} << bits> weight{};  // bucket as a double, -1 where it straddles

  poisson_table() {
    long double p = std::exp(-1.0L);  // P(X = 0) = e^-1, P(X = k) = P(X = k - 1) / k
    long double f = 0.0L;
    for (int k = 0; k <= kmax; ++k) {
      f += p;
      p /= static_cast<long double>(k + 1);
      const long double t = std::floor(f * 4294967296.0L);
      thr[k] = (k == kmax || t >= 4294967296.0L) ? (1ULL << 32) : static_cast<std::uint64_t>(t);
    }
    for (std::uint64_t j = 0; j < bucket.size(); ++j) {
      const unsigned lo = search(static_cast<std::uint32_t>(j << (32 - bits)), 0);
      const unsigned hi = search(static_cast<std::uint32_t>(((j + 1) << (32 - bits)) - 1), 0);
      bucket[j] = static_cast<std::uint8_t>(lo == hi ? lo : (0x80U | lo));
      weight[j] = lo == hi ? static_cast<double>(lo) : -1.0;
    }
  }
  [[nodiscard]] unsigned search(std::uint32_t u, unsigned k) const noexcept {
    while (u >= thr[k]) ++k;
    return k;
  }
};

const poisson_table& table() {
  static const poisson_table t;
  return t;
}

// The stream of the low halves (used only in straddling buckets) has its own key.
constexpr std::uint64_t low_stream = 0x5851f42d4c957f2dULL;

// The weight of `index` given hi16, the top 16 bits of its uniform (field index % 4 of the group hash).
[[gnu::always_inline]] inline unsigned draw(const poisson_table& t, std::uint64_t key, std::uint64_t index,
                                            unsigned hi16) noexcept {
  const unsigned e = t.bucket[hi16 >> (16 - poisson_table::bits)];
  if (e & 0x80U) [[unlikely]] {
    const auto lo16 = static_cast<std::uint32_t>(mix64((key ^ low_stream) + (index + 1) * golden) >> 48);
    return t.search((static_cast<std::uint32_t>(hi16) << 16) | lo16, e & 0x7fU);
  }
  return e;
}

inline std::uint64_t group_hash(std::uint64_t key, std::uint64_t index) noexcept {
  return mix64(key + ((index >> 2) + 1) * golden);
}

inline unsigned weight(const poisson_table& t, std::uint64_t key, std::uint64_t index) noexcept {
  const auto hi16 = static_cast<unsigned>((group_hash(key, index) >> (16 * (index & 3U))) & 0xffffU);
  return draw(t, key, index, hi16);
}

// ---- moments -----------------------------------------------------------------------------------------

struct moments {
  double n = 0.0;
  double mean = 0.0;
  double m2 = 0.0;  // sum (x - mean)^2
  double m3 = 0.0;  // sum (x - mean)^3
};

// Two passes over finite data: the mean, then central sums (with the corrected-two-pass term for m2).
moments describe(std::string_view fn, std::span<const double> x, std::uint64_t first_index) {
  moments m;
  double sum = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]))
      fail(fn, "x[" + std::to_string(first_index + i) + "] is " + num(x[i]) +
                   "; drop or impute missing values first");
    sum += x[i];
  }
  if (x.empty()) return m;
  m.n = static_cast<double>(x.size());
  m.mean = sum / m.n;
  double s1 = 0.0;
  for (const double v : x) {
    const double d = v - m.mean;
    s1 += d;
    m.m2 += d * d;
    m.m3 += d * d * d;
  }
  m.m2 -= s1 * s1 / m.n;
  return m;
}

// Pebay (2008), eq. 1.1-1.3: merge of the count, mean and central sums of two disjoint sets.
moments merge(const moments& a, const moments& b) {
  if (a.n == 0.0) return b;
  if (b.n == 0.0) return a;
  moments r;
  r.n = a.n + b.n;
  const double delta = b.mean - a.mean;
  r.mean = a.mean + delta * b.n / r.n;
  r.m2 = a.m2 + b.m2 + delta * delta * a.n * b.n / r.n;
  r.m3 = a.m3 + b.m3 + delta * delta * delta * a.n * b.n * (a.n - b.n) / (r.n * r.n) +
         3.0 * delta * (a.n * b.m2 - b.n * a.m2) / r.n;
  return r;
}

void check_resamples(std::string_view fn, std::size_t b) {
  if (b < bootstrap_min_resamples)
    fail(fn, "n_resamples must be >= " + std::to_string(bootstrap_min_resamples) + ", got n_resamples=" +
                 std::to_string(b) + " (the tail quantiles of the interval need enough replicates)");
}

// Linear interpolation between order statistics of sorted v (numpy's default "linear" method).
double quantile(const std::vector<double>& v, double p) {
  if (std::isnan(p)) return nan;
  const double pos = std::clamp(p, 0.0, 1.0) * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return v[lo] + frac * (v[hi] - v[lo]);
}

// Jackknife acceleration from the leave-one-out estimates of one or more independently resampled groups
// (scipy's _bca_interval): U_gi = (n_g - 1)(mean_g - theta_(g,-i)),
// a = sum_g sum_i U^3 / n_g^3 / (6 (sum_g sum_i U^2 / n_g^2)^(3/2)); for one group this is
// sum d^3 / (6 (sum d^2)^(3/2)) with d_i = mean - theta_(-i). NaN if a jackknife value is not finite;
// 0 when every jackknife value is the same.
double jackknife_acceleration(const std::vector<std::vector<double>>& groups) {
  double num = 0.0;
  double den = 0.0;
  for (const auto& g : groups) {
    const double n = static_cast<double>(g.size());
    double sum = 0.0;
    for (const double t : g) {
      if (!std::isfinite(t)) return nan;
      sum += t;
    }
    const double avg = sum / n;
    double s2 = 0.0;
    double s3 = 0.0;
    for (const double t : g) {
      const double u = (n - 1.0) * (avg - t);
      s2 += u * u;
      s3 += u * u * u;
    }
    num += s3 / (n * n * n);
    den += s2 / (n * n);
  }
  return den > 0.0 ? num / (6.0 * std::pow(den, 1.5)) : 0.0;
}

void check_data(std::string_view fn, std::string_view name, std::span<const double> x) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      fail(fn, std::string(name) + "[" + std::to_string(i) + "] is " + num(x[i]) +
                   "; drop or impute missing values first");
}

// numpy's "linear" quantile of sorted values given as an accessor: position h = (m - 1) q.
template <class At>
double linear_quantile(At at, std::size_t m, double q) {
  const double h = static_cast<double>(m - 1) * q;
  const auto k = static_cast<std::size_t>(std::floor(h));
  const double f = h - static_cast<double>(k);
  const double a = at(k);
  if (f == 0.0 || k + 1 >= m) return a;
  return a + f * (at(k + 1) - a);
}

// Replicate statistics in parallel over replicates: stat(key, buffer) computes replicate b from its key
// (weights drawn inside, per element), with a per-thread scratch buffer of `scratch` doubles. Each
// replicate depends only on (seed, b), so the result is the same for any thread count.
template <class Stat>
std::vector<double> replicates(std::size_t B, std::uint64_t seed, std::size_t scratch, std::size_t n,
                               Stat&& stat) {
  std::vector<double> out(B, nan);
  const std::size_t min_per_block =
      std::max<std::size_t>(1, (std::size_t{1} << 18) / std::max<std::size_t>(1, n));
  parallel_blocks(
      B,
      [&](std::size_t, std::size_t b0, std::size_t b1) {
        std::vector<double> buf(scratch);
        for (std::size_t b = b0; b < b1; ++b) out[b] = stat(replicate_key(seed, b), buf);
      },
      min_per_block);
  return out;
}

void check_common(std::string_view fn, double alpha, std::size_t B) {
  detail::check_alpha(fn, alpha);
  check_resamples(fn, B);
}

// The interval; when the jackknife is undefined (NaN acceleration) only BCa fails.
bootstrap_result finish_interval(std::string_view fn, const std::vector<double>& reps, double estimate,
                                 double accel, double alpha, bootstrap_method method, alternative alt) {
  if (!std::isfinite(accel)) {
    if (method == bootstrap_method::bca)
      fail(fn,
           "a leave-one-out estimate is undefined (division by zero), so the BCa acceleration is; "
           "use method percentile or basic");
    bootstrap_result r = bootstrap_interval(reps, estimate, 0.0, alpha, method, alt);
    r.acceleration = nan;
    return r;
  }
  return bootstrap_interval(reps, estimate, accel, alpha, method, alt);
}

}  // namespace

unsigned poisson_bootstrap_weight(std::uint64_t seed, std::uint64_t replicate, std::uint64_t index) noexcept {
  return weight(table(), replicate_key(seed, replicate), index);
}

// ---- accumulator -------------------------------------------------------------------------------------

bootstrap_mean_accumulator::bootstrap_mean_accumulator(std::size_t n_resamples, std::uint64_t seed,
                                                       double center)
    : seed_(seed), center_(center) {
  check_resamples("bootstrap_mean_accumulator", n_resamples);
  detail::check_finite("bootstrap_mean_accumulator", "center", center);
  sum_wx_.assign(n_resamples * lanes, 0.0);
  sum_w_.assign(n_resamples, 0);
}

void bootstrap_mean_accumulator::add(std::span<const double> x, std::uint64_t first_index) {
  const moments chunk = describe("bootstrap_mean_accumulator", x, first_index);
  if (x.empty()) return;
  const moments total = merge({static_cast<double>(n_), mean_, m2_, m3_}, chunk);
  const poisson_table& t = table();
  const std::size_t n = x.size();
  const std::size_t B = n_resamples();
  const double c = center_;

  // Parallel over replicates: replicate b is summed by one thread, in index order, into lanes chosen by
  // the global index mod 4, so neither the thread count nor the chunking changes its bits. Threads walk
  // x in tiles that stay in L1 while every replicate of their block passes over them.
  constexpr std::size_t tile = 1024;
  const std::size_t min_per_block = std::max<std::size_t>(1, (std::size_t{1} << 20) / n);
  parallel_blocks(
      B,
      [&](std::size_t, std::size_t b0, std::size_t b1) {
        std::vector<std::uint64_t> keys(b1 - b0);
        for (std::size_t b = b0; b < b1; ++b) keys[b - b0] = replicate_key(seed_, b);
        std::array<double, tile> xc{};
        for (std::size_t t0 = 0; t0 < n; t0 += tile) {
          const std::size_t len = std::min(tile, n - t0);
          for (std::size_t i = 0; i < len; ++i) xc[i] = x[t0 + i] - c;
          const std::uint64_t g0 = first_index + t0;
          for (std::size_t b = b0; b < b1; ++b) {
            const std::uint64_t key = keys[b - b0];
            double* acc = &sum_wx_[b * lanes];
            std::array<double, lanes> l{acc[0], acc[1], acc[2], acc[3]};
            std::uint64_t sw = 0;
            double swd = 0.0;
            std::size_t i = 0;
            // head: until the global index is a multiple of 4
            for (; i < len && ((g0 + i) & 3U) != 0; ++i) {
              const unsigned w = weight(t, key, g0 + i);
              l[(g0 + i) & 3U] += w * xc[i];
              sw += w;
            }
            for (; i + 4 <= len; i += 4) {
              const std::uint64_t g = g0 + i;  // a multiple of 4: one hash gives the group's four weights
              const std::uint64_t h = group_hash(key, g);
              // Weights as doubles straight from the table (no int-to-double conversions in the hot loop);
              // one branch per group for the straddling buckets (1.2% of groups).
              constexpr int shift = 16 - poisson_table::bits;
              double w0 = t.weight[(h & 0xffffU) >> shift];
              double w1 = t.weight[((h >> 16) & 0xffffU) >> shift];
              double w2 = t.weight[((h >> 32) & 0xffffU) >> shift];
              double w3 = t.weight[(h >> 48) >> shift];
              if (std::min(std::min(w0, w1), std::min(w2, w3)) < 0.0) [[unlikely]] {
                w0 = draw(t, key, g, static_cast<unsigned>(h & 0xffffU));
                w1 = draw(t, key, g + 1, static_cast<unsigned>((h >> 16) & 0xffffU));
                w2 = draw(t, key, g + 2, static_cast<unsigned>((h >> 32) & 0xffffU));
                w3 = draw(t, key, g + 3, static_cast<unsigned>(h >> 48));
              }
              l[0] += w0 * xc[i];
              l[1] += w1 * xc[i + 1];
              l[2] += w2 * xc[i + 2];
              l[3] += w3 * xc[i + 3];
              swd += (w0 + w1) + (w2 + w3);  // small integers: exact
            }
            for (; i < len; ++i) {
              const unsigned w = weight(t, key, g0 + i);
              l[(g0 + i) & 3U] += w * xc[i];
              sw += w;
            }
            for (std::size_t k = 0; k < lanes; ++k) acc[k] = l[k];
            sum_w_[b] += sw + static_cast<std::uint64_t>(swd);
          }
        }
      },
      min_per_block);

  n_ += n;
  mean_ = total.mean;
  m2_ = total.m2;
  m3_ = total.m3;
}

bootstrap_mean_accumulator& bootstrap_mean_accumulator::operator+=(const bootstrap_mean_accumulator& other) {
  if (other.n_resamples() != n_resamples() || other.seed_ != seed_ || other.center_ != center_)
    fail("bootstrap_mean_accumulator", "cannot merge states with different n_resamples, seed or center");
  const moments total = merge({static_cast<double>(n_), mean_, m2_, m3_},
                              {static_cast<double>(other.n_), other.mean_, other.m2_, other.m3_});
  for (std::size_t k = 0; k < sum_wx_.size(); ++k) sum_wx_[k] += other.sum_wx_[k];
  for (std::size_t b = 0; b < sum_w_.size(); ++b) sum_w_[b] += other.sum_w_[b];
  n_ += other.n_;
  mean_ = total.mean;
  m2_ = total.m2;
  m3_ = total.m3;
  return *this;
}

std::vector<double> bootstrap_mean_accumulator::replicate_means() const {
  std::vector<double> out(n_resamples());
  for (std::size_t b = 0; b < out.size(); ++b) {
    const double* l = &sum_wx_[b * lanes];
    out[b] =
        sum_w_[b] == 0 ? nan : center_ + ((l[0] + l[1]) + (l[2] + l[3])) / static_cast<double>(sum_w_[b]);
  }
  return out;
}

double bootstrap_mean_accumulator::acceleration() const noexcept {
  return m2_ > 0.0 ? m3_ / (6.0 * std::pow(m2_, 1.5)) : 0.0;
}

bootstrap_result bootstrap_mean_accumulator::finish(double alpha, bootstrap_method method,
                                                    alternative alt) const {
  detail::check_alpha("bootstrap_mean_ci", alpha);
  if (n_ < 2) fail("bootstrap_mean_ci", "x needs at least 2 values, got " + std::to_string(n_));
  return bootstrap_interval(replicate_means(), mean_, acceleration(), alpha, method, alt);
}

// ---- one shot ----------------------------------------------------------------------------------------

bootstrap_result bootstrap_mean_ci(std::span<const double> x, double alpha, bootstrap_method method,
                                   std::size_t n_resamples, std::uint64_t seed, alternative alt) {
  constexpr std::string_view fn = "bootstrap_mean_ci";
  detail::check_alpha(fn, alpha);
  check_resamples(fn, n_resamples);
  if (x.size() < 2) fail(fn, "x needs at least 2 values, got " + std::to_string(x.size()));
  const moments m = describe(fn, x, 0);
  bootstrap_mean_accumulator acc(n_resamples, seed, m.mean);
  acc.add(x, 0);
  return acc.finish(alpha, method, alt);
}

bootstrap_result bootstrap_quantile_ci(std::span<const double> x, double q, double alpha,
                                       bootstrap_method method, std::size_t n_resamples, std::uint64_t seed,
                                       alternative alt) {
  constexpr std::string_view fn = "bootstrap_quantile_ci";
  check_common(fn, alpha, n_resamples);
  detail::check_closed(fn, "q", q, 0.0, 1.0);
  const std::size_t n = x.size();
  if (n < 2) fail(fn, "x needs at least 2 values, got " + std::to_string(n));
  check_data(fn, "x", x);
  // Stable order: ties keep index order, so the weights (keyed by original index) meet a fixed sequence.
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] < x[b]; });
  std::vector<double> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = x[order[i]];
  const double estimate = linear_quantile([&](std::size_t k) { return sorted[k]; }, n, q);

  const poisson_table& t = table();
  const auto reps = replicates(n_resamples, seed, n, n, [&](std::uint64_t key, std::vector<double>& w) {
    double m = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      w[i] = weight(t, key, i);
      m += w[i];
    }
    if (m == 0.0) return nan;
    // Order statistics k and k + 1 (0-based) of the resample, found by cumulative weights in sorted order.
    const double h = (m - 1.0) * q;
    const double k = std::floor(h);
    const double f = h - k;
    double cum = 0.0;
    double a = nan;
    for (std::size_t j = 0; j < n; ++j) {
      cum += w[order[j]];
      if (std::isnan(a) && cum > k) {
        a = sorted[j];
        if (f == 0.0) return a;
      }
      if (cum > k + 1.0) return f == 0.0 ? a : a + f * (sorted[j] - a);
    }
    return a;  // k + 1 = m: f is 0
  });

  // Jackknife: without the i-th order statistic, order statistic j of the rest is sorted[j + (j >= i)].
  std::vector<std::vector<double>> jack(1, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i)
    jack[0][i] = linear_quantile([&](std::size_t j) { return sorted[j + (j >= i ? 1 : 0)]; }, n - 1, q);
  return finish_interval(fn, reps, estimate, jackknife_acceleration(jack), alpha, method, alt);
}

bootstrap_result bootstrap_ratio_ci(std::span<const double> num_, std::span<const double> den, double alpha,
                                    bootstrap_method method, std::size_t n_resamples, std::uint64_t seed,
                                    alternative alt) {
  constexpr std::string_view fn = "bootstrap_ratio_ci";
  check_common(fn, alpha, n_resamples);
  const std::size_t n = num_.size();
  if (den.size() != n)
    fail(fn, "num and den must have the same size, got " + std::to_string(n) + " and " +
                 std::to_string(den.size()));
  if (n < 2) fail(fn, "num needs at least 2 values, got " + std::to_string(n));
  check_data(fn, "num", num_);
  check_data(fn, "den", den);
  double sn = 0.0;
  double sd = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sn += num_[i];
    sd += den[i];
  }
  if (sd == 0.0) fail(fn, "sum(den) is 0, so the ratio is undefined");
  const poisson_table& t = table();
  const auto reps = replicates(n_resamples, seed, 0, n, [&](std::uint64_t key, std::vector<double>&) {
    double a = 0.0;
    double b = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double w = weight(t, key, i);
      a += w * num_[i];
      b += w * den[i];
    }
    return b == 0.0 ? nan : a / b;
  });
  std::vector<std::vector<double>> jack(1, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) jack[0][i] = (sn - num_[i]) / (sd - den[i]);
  return finish_interval(fn, reps, sn / sd, jackknife_acceleration(jack), alpha, method, alt);
}

bootstrap_result bootstrap_diff_means_ci(std::span<const double> x, std::span<const double> y, double alpha,
                                         bootstrap_method method, std::size_t n_resamples, std::uint64_t seed,
                                         alternative alt) {
  constexpr std::string_view fn = "bootstrap_diff_means_ci";
  check_common(fn, alpha, n_resamples);
  const std::size_t nx = x.size();
  const std::size_t ny = y.size();
  if (nx < 2) fail(fn, "x needs at least 2 values, got " + std::to_string(nx));
  if (ny < 2) fail(fn, "y needs at least 2 values, got " + std::to_string(ny));
  check_data(fn, "x", x);
  check_data(fn, "y", y);
  const moments mx = describe(fn, x, 0);
  const moments my = describe(fn, y, 0);
  const poisson_table& t = table();
  // Centred sums keep the digits of data with a large offset (as bootstrap_mean_accumulator).
  const auto reps = replicates(n_resamples, seed, 0, nx + ny, [&](std::uint64_t key, std::vector<double>&) {
    double sx = 0.0;
    double wx = 0.0;
    for (std::size_t i = 0; i < nx; ++i) {
      const double w = weight(t, key, i);
      sx += w * (x[i] - mx.mean);
      wx += w;
    }
    double sy = 0.0;
    double wy = 0.0;
    for (std::size_t j = 0; j < ny; ++j) {
      const double w = weight(t, key, nx + j);
      sy += w * (y[j] - my.mean);
      wy += w;
    }
    if (wx == 0.0 || wy == 0.0) return nan;
    return (mx.mean + sx / wx) - (my.mean + sy / wy);
  });
  std::vector<std::vector<double>> jack(2);
  jack[0].resize(nx);
  jack[1].resize(ny);
  const double dnx = static_cast<double>(nx);
  const double dny = static_cast<double>(ny);
  for (std::size_t i = 0; i < nx; ++i) jack[0][i] = (mx.mean - (x[i] - mx.mean) / (dnx - 1.0)) - my.mean;
  for (std::size_t j = 0; j < ny; ++j) jack[1][j] = mx.mean - (my.mean - (y[j] - my.mean) / (dny - 1.0));
  return finish_interval(fn, reps, mx.mean - my.mean, jackknife_acceleration(jack), alpha, method, alt);
}

double jackknife_acceleration_mean(std::span<const double> x) {
  constexpr std::string_view fn = "jackknife_acceleration_mean";
  if (x.size() < 2) fail(fn, "x needs at least 2 values, got " + std::to_string(x.size()));
  const moments m = describe(fn, x, 0);
  return m.m2 > 0.0 ? m.m3 / (6.0 * std::pow(m.m2, 1.5)) : 0.0;
}

bootstrap_result bootstrap_interval(std::span<const double> replicates, double estimate, double acceleration,
                                    double alpha, bootstrap_method method, alternative alt) {
  constexpr std::string_view fn = "bootstrap_interval";
  detail::check_alpha(fn, alpha);
  detail::check_finite(fn, "estimate", estimate);
  detail::check_finite(fn, "acceleration", acceleration);
  std::vector<double> v;
  v.reserve(replicates.size());
  for (const double r : replicates)
    if (!std::isnan(r)) v.push_back(r);
  if (v.size() < 2)
    fail(fn, "needs at least 2 replicates that drew an observation, got " + std::to_string(v.size()));
  std::sort(v.begin(), v.end());

  bootstrap_result r;
  r.estimate = estimate;
  r.acceleration = acceleration;
  r.n_resamples = v.size();
  const double m = static_cast<double>(v.size());
  double sum = 0.0;
  for (const double t : v) sum += t;
  const double avg = sum / m;
  double ss = 0.0;
  for (const double t : v) ss += (t - avg) * (t - avg);
  r.standard_error = std::sqrt(ss / (m - 1.0));

  // z0 = Phi^-1(share below the estimate), ties counted half (scipy's _percentile_of_score).
  const auto below = std::lower_bound(v.begin(), v.end(), estimate) - v.begin();
  const auto not_above = std::upper_bound(v.begin(), v.end(), estimate) - v.begin();
  r.z0 = normal_ppf((static_cast<double>(below) + static_cast<double>(not_above)) / (2.0 * m));

  // Two-sided: both bounds at alpha / 2; one-sided: one bound at alpha, the other infinite (scipy).
  constexpr double inf = std::numeric_limits<double>::infinity();
  const double tail = alt == alternative::two_sided ? alpha / 2.0 : alpha;
  const double lo_p = tail;
  const double hi_p = 1.0 - tail;
  switch (method) {
    case bootstrap_method::percentile:
      r.ci = {quantile(v, lo_p), quantile(v, hi_p)};
      break;
    case bootstrap_method::basic:
      r.ci = {2.0 * estimate - quantile(v, hi_p), 2.0 * estimate - quantile(v, lo_p)};
      break;
    case bootstrap_method::bca: {
      if (!std::isfinite(r.z0))
        fail(fn,
             "every replicate lies on one side of the estimate, so the BCa bias correction is infinite; "
             "use method percentile or more resamples");
      // Efron (1987), eq. 2.3; Efron & Tibshirani (1993), eq. 14.10.
      auto adjusted = [&](double p) {
        const double z = r.z0 + normal_ppf(p);
        return normal_cdf(r.z0 + z / (1.0 - acceleration * z));
      };
      r.ci = {quantile(v, adjusted(lo_p)), quantile(v, adjusted(hi_p))};
      break;
    }
  }
  if (alt == alternative::larger) r.ci.high = inf;
  if (alt == alternative::smaller) r.ci.low = -inf;
  return r;
}

}  // namespace missionkit::stats
