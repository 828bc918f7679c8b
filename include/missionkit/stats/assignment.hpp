// Deterministic hash-based assignment of units to experiment arms, stable across platforms and languages.
//
// The hash is SHA-256 (FIPS 180-4) of the UTF-8 bytes of  salt + ":" + unit_id , where an integer unit id
// is written in decimal with a leading '-' for negatives and no leading zeros (Python's str(int)). The
// first 8 bytes of the digest, read big-endian as an unsigned 64-bit integer h, give the uniform number
//     u = (h >> 11) * 2^-53        in [0, 1), exactly representable as a double.
// Any language with SHA-256 reproduces it; in Python:
//     h = int.from_bytes(hashlib.sha256(f"{salt}:{unit}".encode()).digest()[:8], "big")
//     u = (h >> 11) / 2**53
// SHA-256 rather than a faster non-cryptographic hash so that every platform already ships an audited
// implementation (hashlib, Java MessageDigest, SQL engines' sha2()) and an auditor can recompute an
// assignment from the log without missionkit.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace missionkit::stats {

/// \brief SHA-256 digest of bytes (FIPS 180-4). Exposed so that the tests can check it against the
/// standard's test vectors.
[[nodiscard]] std::array<std::uint8_t, 32> sha256(std::string_view bytes);

/// \brief The unit's uniform number u in [0, 1) under salt (see the header comment for the exact recipe).
[[nodiscard]] double assignment_uniform(std::string_view salt, std::string_view unit_id);

/// \brief Decimal text of an integer unit id, as Python's str(int): the string the hash sees.
[[nodiscard]] std::string unit_id_text(std::int64_t unit_id);

/// \brief Arm of a unit with uniform number u, or -1 for the holdout.
///
/// weights are normalised by their sum W (must be > 0; each >= 0 and finite). With C_i = (w_0 + ... + w_i)
/// / W summed left to right (C_last forced to exactly 1) and h the holdout share in [0, 1):
///   u < h                       -> holdout (-1)
///   otherwise the smallest i with u < h + (1 - h) C_i.
/// So the holdout is the bottom h of [0, 1) and arms split the rest in proportion to their weights;
/// changing the holdout share moves boundaries, so fix it before the experiment starts.
/// \throws missionkit::domain_error for empty or invalid weights or holdout outside [0, 1).
[[nodiscard]] int assign_uniform(double u, std::span<const double> weights, double holdout = 0.0);

/// \brief Boundaries h + (1 - h) C_i of assign_uniform (validated), one per arm; the last is 1.
[[nodiscard]] std::vector<double> assignment_boundaries(std::span<const double> weights, double holdout);

/// \brief Vectorised assignment of string ids: out[i] is the arm of ids[i] (-1 = holdout).
[[nodiscard]] std::vector<std::int32_t> assign(std::span<const std::string_view> ids, std::string_view salt,
                                               std::span<const double> weights, double holdout = 0.0);

/// \brief Vectorised assignment of integer ids (hashed as their decimal text).
[[nodiscard]] std::vector<std::int32_t> assign(std::span<const std::int64_t> ids, std::string_view salt,
                                               std::span<const double> weights, double holdout = 0.0);

}  // namespace missionkit::stats
