// ratio_ci, diff_ratio_ci and nps_ci against closed forms computed independently with numpy (np.cov with
// ddof=1, statistics.NormalDist().inv_cdf for z); the script is in each test's comment.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "missionkit/stats/ratio.hpp"

namespace ms = missionkit::stats;
using missionkit::testing::error_of;

namespace {

// Contacts (num_a) and customer-days (den_a) of ten units; a second group of six (num_b, den_b).
const std::vector<double> num_a = {3, 0, 5, 2, 7, 1, 4, 2, 0, 6};
const std::vector<double> den_a = {2, 1, 3, 1, 4, 1, 2, 2, 1, 3};
const std::vector<double> num_b = {1, 2, 0, 3, 1, 2};
const std::vector<double> den_b = {1, 2, 1, 2, 1, 1};

}  // namespace

// n = 10; mx, my = x.mean(), y.mean(); C = np.cov(x, y, ddof=1);
// v = (C[1,1]/mx**2 - 2*my*C[0,1]/mx**3 + my**2*C[0,0]/mx**4)/n; R = my/mx; R -+ z sqrt(v).
TEST(RatioCi, MatchesNumpyClosedForm) {
  const auto r = ms::ratio_ci(num_a, den_a);
  MK_EXPECT_REL(r.estimate, 1.5, 1e-14);
  MK_EXPECT_REL(r.se, 0.17078251276599338, 1e-12);
  MK_EXPECT_REL(r.low, 1.165272425789401, 1e-12);
  MK_EXPECT_REL(r.high, 1.834727574210599, 1e-12);
}

TEST(RatioCi, MergedMomentsMatchOnePass) {
  ms::ratio_moments all, a, b;
  for (std::size_t i = 0; i < num_a.size(); ++i) {
    all.add(num_a[i], den_a[i]);
    (i < 4 ? a : b).add(num_a[i], den_a[i]);
  }
  ms::ratio_moments empty;
  a += empty;
  empty += a;
  empty += b;
  EXPECT_EQ(empty.n, all.n);
  MK_EXPECT_REL(empty.m2x, all.m2x, 1e-13);
  MK_EXPECT_REL(empty.m2y, all.m2y, 1e-13);
  MK_EXPECT_REL(empty.cxy, all.cxy, 1e-13);
  const auto r = ms::ratio_ci(empty);
  MK_EXPECT_REL(r.se, 0.17078251276599338, 1e-12);
  MK_EXPECT_REL(r.low, 1.165272425789401, 1e-12);
}

TEST(RatioCi, ProportionalDataHasZeroWidth) {
  // y = 2x exactly: R = 2 and the delta-method variance is 0 (never a NaN from -1e-20 under the root).
  const std::vector<double> x = {1, 3, 2, 5, 4}, y = {2, 6, 4, 10, 8};
  const auto r = ms::ratio_ci(y, x);
  EXPECT_EQ(r.estimate, 2.0);
  EXPECT_NEAR(r.se, 0.0, 1e-15);
  EXPECT_FALSE(std::isnan(r.low));
}

TEST(RatioCi, RejectsBadInput) {
  const std::vector<double> one = {1.0}, two = {1.0, 2.0}, zeros = {0.0, 0.0};
  const std::vector<double> with_nan = {1.0, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_EQ(error_of([&] { (void)ms::ratio_ci(one, one); }), "ratio_ci: need at least 2 units, got 1");
  EXPECT_EQ(error_of([&] { (void)ms::ratio_ci(two, one); }),
            "ratio_ci: num and den must have the same length, got 2 and 1");
  EXPECT_EQ(error_of([&] { (void)ms::ratio_ci(two, zeros); }),
            "ratio_ci: the denominator sums to 0; the ratio is undefined");
  EXPECT_EQ(error_of([&] { (void)ms::ratio_ci(with_nan, two); }),
            "ratio_ci: num[1] is nan; drop or impute missing values first");
  EXPECT_EQ(error_of([&] { (void)ms::ratio_ci(two, two, 1.0); }).rfind("ratio_ci: alpha", 0), 0u);
  EXPECT_EQ(error_of([&] { (void)ms::diff_ratio_ci(two, two, two, with_nan); }),
            "diff_ratio_ci: den2[1] is nan; drop or impute missing values first");
}

// a, b = r(num_a, den_a), r(num_b, den_b); d = a.R - b.R; s = np.hypot(a.se, b.se); d -+ z s.
TEST(RatioCi, DifferenceOfIndependentRatios) {
  const auto r = ms::diff_ratio_ci(num_a, den_a, num_b, den_b);
  MK_EXPECT_REL(r.estimate, 0.375, 1e-14);
  MK_EXPECT_REL(r.se, 0.2820590216012718, 1e-12);
  MK_EXPECT_REL(r.low, -0.1778255238530977, 1e-12);
  MK_EXPECT_REL(r.high, 0.9278255238530977, 1e-12);
}

// Hand-checkable: 120 promoters, 50 passives, 30 detractors of 200: p+ = 0.6, p- = 0.15, NPS = 45,
// var = (0.75 - 0.45^2) / 200 = 0.0027375, se = 100 sqrt(0.0027375) = 5.232112384114088.
TEST(NpsCi, HandComputedExample) {
  const auto r = ms::nps_ci(120, 50, 30);
  MK_EXPECT_REL(r.estimate, 45.0, 1e-14);
  MK_EXPECT_REL(r.se, 5.232112384114088, 1e-13);
  MK_EXPECT_REL(r.low, 34.74524816407039, 1e-13);
  MK_EXPECT_REL(r.high, 55.254751835929596, 1e-13);
}

TEST(NpsCi, ClippedAndDegenerate) {
  const auto all_promoters = ms::nps_ci(10, 0, 0);
  EXPECT_EQ(all_promoters.estimate, 100.0);
  EXPECT_EQ(all_promoters.se, 0.0);
  EXPECT_EQ(all_promoters.high, 100.0);
  const auto wide = ms::nps_ci(2, 0, 1, 1e-6);
  EXPECT_EQ(wide.low, -100.0);
  EXPECT_EQ(wide.high, 100.0);
}

TEST(NpsCi, RejectsBadInput) {
  EXPECT_EQ(error_of([] { (void)ms::nps_ci(0, 0, 0); }),
            "nps_ci: promoters + passives + detractors must be > 0, got 0");
  EXPECT_EQ(error_of([] { (void)ms::nps_ci(-1, 2, 3); }), "nps_ci: promoters must be >= 0, got promoters=-1");
  EXPECT_EQ(error_of([] { (void)ms::nps_ci(1, std::nan(""), 3); }).rfind("nps_ci: passives", 0), 0u);
}
