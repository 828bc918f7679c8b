// Hash-based assignment against an independent oracle: Python's hashlib (values pasted with repr; the
// exact expressions are in the comments) and the FIPS 180-4 / NIST test vectors for SHA-256.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/assignment.hpp"

using namespace missionkit::stats;

namespace {

std::string hex(const std::array<std::uint8_t, 32>& d) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  for (auto b : d) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

}  // namespace

TEST(AssignSha256, MatchesStandardVectorsAndHashlib) {
  // FIPS 180-4 examples ("", "abc", the 448-bit message) and hashlib.sha256(...).hexdigest() for lengths
  // around the padding boundaries (55 and 64 bytes) and a multi-block message.
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(sha256(std::string(1000, 'a'))),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  EXPECT_EQ(hex(sha256(std::string(55, 'x'))),
            "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  EXPECT_EQ(hex(sha256(std::string(64, 'y'))),
            "ffbf30ab94107b2c14d75cfb455ec94f200400ddc5ce304e0c21894090db055f");
}

TEST(AssignUniform, MatchesHashlib) {
  // u = (int.from_bytes(hashlib.sha256(f"{salt}:{unit}".encode()).digest()[:8], "big") >> 11) / 2**53
  EXPECT_EQ(assignment_uniform("exp-2026-checkout", "user-1"), 0.7456687599385311);
  EXPECT_EQ(assignment_uniform("exp-2026-checkout", "user-2"), 0.638473884772435);
  EXPECT_EQ(assignment_uniform("s", unit_id_text(-17)), 0.9805800533823312);
  EXPECT_EQ(assignment_uniform("s", unit_id_text(0)), 0.13208689168714838);
  EXPECT_EQ(assignment_uniform("s", unit_id_text(INT64_MAX)), 0.4724059505686724);
  // UTF-8: salt "salé", unit "ünït-☃"
  EXPECT_EQ(assignment_uniform("sal\xc3\xa9", "\xc3\xbcn\xc3\xaft-\xe2\x98\x83"), 0.8053287943519497);
  EXPECT_EQ(unit_id_text(-17), "-17");
  EXPECT_EQ(unit_id_text(INT64_MIN), "-9223372036854775808");
}

TEST(AssignArms, BoundariesWeightsAndHoldout) {
  const std::vector<double> w = {1, 1, 2};
  EXPECT_EQ(assign_uniform(0.0, w), 0);
  EXPECT_EQ(assign_uniform(0.2499, w), 0);
  EXPECT_EQ(assign_uniform(0.25, w), 1);
  EXPECT_EQ(assign_uniform(0.5, w), 2);
  EXPECT_EQ(assign_uniform(0.9999999, w), 2);
  // holdout 0.2: [0, 0.2) held out, then 0.2 + 0.8 * {0.25, 0.5, 1}
  EXPECT_EQ(assign_uniform(0.19, w, 0.2), -1);
  EXPECT_EQ(assign_uniform(0.2, w, 0.2), 0);
  EXPECT_EQ(assign_uniform(0.39, w, 0.2), 0);
  EXPECT_EQ(assign_uniform(0.41, w, 0.2), 1);
  EXPECT_EQ(assign_uniform(0.61, w, 0.2), 2);
  // A zero-weight arm is never chosen.
  const std::vector<double> w0 = {1, 0, 1};
  for (double u : {0.0, 0.3, 0.4999, 0.5, 0.9}) EXPECT_NE(assign_uniform(u, w0), 1);
}

TEST(AssignArms, VectorisedStringsAndIntsAgree) {
  std::vector<std::int64_t> ints;
  std::vector<std::string> texts;
  for (std::int64_t i = -500; i < 20000; ++i) {
    ints.push_back(i);
    texts.push_back(std::to_string(i));
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  const std::vector<double> w = {0.5, 0.3, 0.2};
  auto a = assign(ints, "salt", w, 0.1);
  auto b = assign(views, "salt", w, 0.1);
  ASSERT_EQ(a, b);
  // Shares match the design within 4 binomial standard errors (n = 20,500).
  std::vector<double> count(4, 0.0);
  for (auto arm : a) count[static_cast<std::size_t>(arm + 1)] += 1.0;
  const double n = static_cast<double>(a.size());
  const std::vector<double> want = {0.1, 0.45, 0.27, 0.18};
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_NEAR(count[i] / n, want[i], 4.0 * std::sqrt(want[i] * (1 - want[i]) / n)) << i;
  // Different salts give (nearly) independent assignments.
  auto c = assign(ints, "other salt", w, 0.1);
  double same = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == c[i];
  EXPECT_NEAR(same / n, 0.1 * 0.1 + 0.45 * 0.45 + 0.27 * 0.27 + 0.18 * 0.18, 0.02);
}

TEST(AssignArms, BadInputsAreClearErrors) {
  auto msg = [](std::vector<double> w, double holdout) -> std::string {
    try {
      (void)assign_uniform(0.5, w, holdout);
    } catch (const missionkit::domain_error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(msg({}, 0.0), "assign: weights must name at least one arm, got none");
  EXPECT_EQ(msg({1, -1}, 0.0), "assign: weights[1] must be a finite number >= 0, got -1");
  EXPECT_EQ(msg({0, 0}, 0.0), "assign: weights must not all be 0");
  EXPECT_EQ(msg({1, 1}, 1.0), "assign: holdout must be in [0, 1), got holdout=1");
}
