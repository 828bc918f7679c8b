// SRM check against scipy.stats.chisquare (scipy 1.17.1), values pasted with repr().
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/srm.hpp"

using namespace missionkit::stats;

TEST(SrmTest, MatchesScipyChisquare) {
  {
    // chisquare([5050, 4950]) -> statistic 1.0, pvalue 0.31731050786291115
    std::vector<double> c = {5050, 4950}, w = {1, 1};
    auto r = srm_test(c, w);
    EXPECT_NEAR(r.statistic, 1.0, 1e-12);
    EXPECT_NEAR(r.pvalue, 0.31731050786291115, 1e-12);
    EXPECT_EQ(r.df, 1.0);
    EXPECT_TRUE(r.ok);
  }
  {
    // c = [1000, 1100, 2050]; chisquare(c, c.sum() * w / w.sum()) with w = [1, 1, 2]
    std::vector<double> c = {1000, 1100, 2050}, w = {1, 1, 2};
    auto r = srm_test(c, w);
    EXPECT_NEAR(r.statistic, 5.421686746987952, 1e-12);
    EXPECT_NEAR(r.pvalue, 0.06648071499232043, 1e-12);
    EXPECT_EQ(r.df, 2.0);
    EXPECT_NEAR(r.expected[2], 2075.0, 1e-9);
  }
  {
    // chisquare([10250, 9750]) -> 12.5, 0.00040695201744495946: a mismatch at the default threshold
    std::vector<double> c = {10250, 9750}, w = {0.5, 0.5};
    auto r = srm_test(c, w);
    EXPECT_NEAR(r.pvalue, 0.00040695201744495946, 1e-15);
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(srm_test(c, w, 1e-4).ok);
  }
}

TEST(SrmTest, ZeroWeightArmsAreSkippedOrRejected) {
  std::vector<double> c = {5050, 0, 4950}, w = {1, 0, 1};
  auto r = srm_test(c, w);
  EXPECT_EQ(r.df, 1.0);
  EXPECT_NEAR(r.pvalue, 0.31731050786291115, 1e-12);
  std::vector<double> bad = {5050, 3, 4950};
  try {
    (void)srm_test(bad, w);
    FAIL() << "no error";
  } catch (const missionkit::domain_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "srm: arm 1 has weight 0 but 3 units; the design is violated outright (check the assignment)");
  }
  std::vector<double> one = {3}, w1 = {1};
  EXPECT_THROW((void)srm_test(one, w1), missionkit::domain_error);
  std::vector<double> neg = {3, -1}, w2 = {1, 1};
  EXPECT_THROW((void)srm_test(neg, w2), missionkit::domain_error);
}
