// Hash-based assignment. SHA-256 follows FIPS 180-4 section 6.2 literally (no platform intrinsics), so the
// digest cannot depend on the machine.
#include "missionkit/stats/assignment.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "detail/checks.hpp"

namespace missionkit::stats {
namespace {

constexpr std::array<std::uint32_t, 64> k_round{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compress(std::array<std::uint32_t, 8>& h, const std::uint8_t* block) {
  std::array<std::uint32_t, 64> w{};
  for (int t = 0; t < 16; ++t)
    w[t] = (std::uint32_t{block[4 * t]} << 24) | (std::uint32_t{block[4 * t + 1]} << 16) |
           (std::uint32_t{block[4 * t + 2]} << 8) | std::uint32_t{block[4 * t + 3]};
  for (int t = 16; t < 64; ++t) {
    std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int t = 0; t < 64; ++t) {
    std::uint32_t t1 =
        hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k_round[t] + w[t];
    std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

// u from the digest of the already-joined "salt:unit" bytes.
double uniform_of(std::string_view joined) {
  auto d = sha256(joined);
  std::uint64_t top = 0;
  for (int i = 0; i < 8; ++i) top = (top << 8) | d[i];
  return static_cast<double>(top >> 11) * 0x1.0p-53;
}

int arm_of(double u, const std::vector<double>& bounds, double holdout) {
  if (u < holdout) return -1;
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (u < bounds[i]) return static_cast<int>(i);
  return static_cast<int>(bounds.size()) - 1;  // unreachable: the last boundary is 1 > u
}

}  // namespace

std::array<std::uint8_t, 32> sha256(std::string_view bytes) {
  std::array<std::uint32_t, 8> h{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t n = bytes.size();
  std::size_t full = n / 64;
  for (std::size_t i = 0; i < full; ++i) compress(h, p + 64 * i);
  // Padding: 0x80, zeros, then the message length in bits as a big-endian 64-bit integer.
  std::array<std::uint8_t, 128> tail{};
  std::size_t rest = n - 64 * full;
  for (std::size_t i = 0; i < rest; ++i) tail[i] = p[64 * full + i];
  tail[rest] = 0x80;
  std::size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
  std::uint64_t bits = static_cast<std::uint64_t>(n) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  compress(h, tail.data());
  if (tail_len == 128) compress(h, tail.data() + 64);
  std::array<std::uint8_t, 32> out{};
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
  return out;
}

std::string unit_id_text(std::int64_t unit_id) {
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), unit_id);
  (void)ec;  // 24 chars always suffice for an int64
  return {buf.data(), end};
}

double assignment_uniform(std::string_view salt, std::string_view unit_id) {
  std::string joined;
  joined.reserve(salt.size() + 1 + unit_id.size());
  joined.append(salt).append(":").append(unit_id);
  return uniform_of(joined);
}

std::vector<double> assignment_boundaries(std::span<const double> weights, double holdout) {
  constexpr std::string_view fn = "assign";
  if (weights.empty()) detail::fail(fn, "weights must name at least one arm, got none");
  detail::check_not_nan(fn, "holdout", holdout);
  if (!(holdout >= 0.0 && holdout < 1.0))
    detail::fail(fn, "holdout must be in [0, 1), got holdout=" + detail::num(holdout));
  double total = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    double w = weights[i];
    if (!std::isfinite(w) || w < 0.0)
      detail::fail(fn,
                   "weights[" + std::to_string(i) + "] must be a finite number >= 0, got " + detail::num(w));
    total += w;
  }
  if (!(total > 0.0)) detail::fail(fn, "weights must not all be 0");
  std::vector<double> bounds(weights.size());
  double cum = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    cum += weights[i];
    bounds[i] = holdout + (1.0 - holdout) * (cum / total);
  }
  bounds.back() = 1.0;
  return bounds;
}

int assign_uniform(double u, std::span<const double> weights, double holdout) {
  return arm_of(u, assignment_boundaries(weights, holdout), holdout);
}

std::vector<std::int32_t> assign(std::span<const std::string_view> ids, std::string_view salt,
                                 std::span<const double> weights, double holdout) {
  auto bounds = assignment_boundaries(weights, holdout);
  std::vector<std::int32_t> out(ids.size());
  std::string joined(salt);
  joined += ':';
  const std::size_t prefix = joined.size();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    joined.resize(prefix);
    joined.append(ids[i]);
    out[i] = arm_of(uniform_of(joined), bounds, holdout);
  }
  return out;
}

std::vector<std::int32_t> assign(std::span<const std::int64_t> ids, std::string_view salt,
                                 std::span<const double> weights, double holdout) {
  auto bounds = assignment_boundaries(weights, holdout);
  std::vector<std::int32_t> out(ids.size());
  std::string joined(salt);
  joined += ':';
  const std::size_t prefix = joined.size();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    joined.resize(prefix);
    joined.append(unit_id_text(ids[i]));
    out[i] = arm_of(uniform_of(joined), bounds, holdout);
  }
  return out;
}

}  // namespace missionkit::stats
