// OKR scoring against hand-computed values: attainment = (actual - baseline) / (target - baseline),
// 0 when the metric moved the wrong way, capped at the stretch ratio (or 1 without a stretch).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "missionkit/core/error.hpp"
#include "missionkit/model/okr.hpp"

namespace mm = missionkit::model;
using mm::score_band;

namespace {

mm::key_result kr(double baseline, double target, std::optional<double> stretch = std::nullopt) {
  mm::key_result k;
  k.metric = "m";
  k.metric_version = "1";
  k.baseline = baseline;
  k.target = target;
  k.stretch = stretch;
  k.due = {2026, 12, 31};
  return k;
}

}  // namespace

TEST(OkrScore, IncreasingMetric) {
  const auto k = kr(0.71, 0.82, 0.88);  // span 0.11
  EXPECT_DOUBLE_EQ(mm::score(k, 0.71).attainment, 0.0);
  EXPECT_EQ(mm::score(k, 0.71).band, score_band::fail);
  // 0.055 / 0.11 = 0.5
  EXPECT_NEAR(mm::score(k, 0.765).attainment, 0.5, 1e-12);
  EXPECT_EQ(mm::score(k, 0.765).band, score_band::commit);
  // 0.088 / 0.11 = 0.8
  EXPECT_NEAR(mm::score(k, 0.798).attainment, 0.8, 1e-12);
  EXPECT_EQ(mm::score(k, 0.798).band, score_band::target);
  EXPECT_DOUBLE_EQ(mm::score(k, 0.82).attainment, 1.0);
  EXPECT_EQ(mm::score(k, 0.82).band, score_band::stretch);
  // 0.14 / 0.11 = 1.2727..., below the stretch ratio 0.17 / 0.11 = 1.5454...
  EXPECT_NEAR(mm::score(k, 0.85).attainment, 14.0 / 11.0, 1e-12);
}

TEST(OkrScore, WrongWayScoresZero) {
  const auto k = kr(0.71, 0.82);
  EXPECT_DOUBLE_EQ(mm::score(k, 0.60).attainment, 0.0);
  EXPECT_EQ(mm::score(k, 0.60).band, score_band::fail);
  const auto down = kr(0.24, 0.16);
  EXPECT_DOUBLE_EQ(mm::score(down, 0.30).attainment, 0.0);
}

TEST(OkrScore, CappedAtOneWithoutStretchAndAtTheStretchRatioWithIt) {
  EXPECT_DOUBLE_EQ(mm::score(kr(0.71, 0.82), 0.95).attainment, 1.0);
  EXPECT_EQ(mm::score(kr(0.71, 0.82), 0.95).band, score_band::stretch);
  // Stretch ratio (0.88 - 0.71) / (0.82 - 0.71) = 17 / 11 = 1.5454...
  EXPECT_NEAR(mm::score(kr(0.71, 0.82, 0.88), 0.95).attainment, 17.0 / 11.0, 1e-12);
  EXPECT_NEAR(mm::score(kr(0.71, 0.82, 0.88), 0.88).attainment, 17.0 / 11.0, 1e-12);
}

TEST(OkrScore, DecreasingMetric) {
  const auto k = kr(0.24, 0.16, 0.12);                     // span -0.08, stretch ratio -0.12 / -0.08 = 1.5
  EXPECT_NEAR(mm::score(k, 0.20).attainment, 0.5, 1e-12);  // -0.04 / -0.08
  EXPECT_EQ(mm::score(k, 0.20).band, score_band::commit);
  EXPECT_NEAR(mm::score(k, 0.18).attainment, 0.75, 1e-12);  // -0.06 / -0.08
  EXPECT_EQ(mm::score(k, 0.18).band, score_band::target);
  EXPECT_NEAR(mm::score(k, 0.14).attainment, 1.25, 1e-12);  // -0.10 / -0.08
  EXPECT_EQ(mm::score(k, 0.14).band, score_band::stretch);
  EXPECT_NEAR(mm::score(k, 0.05).attainment, 1.5, 1e-12);  // capped at the stretch ratio
  EXPECT_DOUBLE_EQ(mm::score(kr(0.24, 0.16), 0.05).attainment, 1.0);
}

TEST(OkrScore, BandEdges) {
  // On a 0 -> 10 key result the attainment is actual / 10, and 3 / 10 and 7 / 10 round to the same
  // doubles as the literals 0.3 and 0.7, so the edges are exact.
  const auto k = kr(0, 10);
  EXPECT_EQ(mm::score(k, 2.999).band, score_band::fail);
  EXPECT_EQ(mm::score(k, 3).band, score_band::commit);
  EXPECT_EQ(mm::score(k, 6.999).band, score_band::commit);
  EXPECT_EQ(mm::score(k, 7).band, score_band::target);
  EXPECT_EQ(mm::score(k, 9.999).band, score_band::target);
  EXPECT_EQ(mm::score(k, 10).band, score_band::stretch);
}

TEST(OkrScore, OutOfDomainThrows) {
  EXPECT_THROW((void)mm::score(kr(0.5, 0.5), 0.6), missionkit::domain_error);
  EXPECT_THROW((void)mm::score(kr(0.5, 0.6), std::nan("")), missionkit::domain_error);
  EXPECT_THROW((void)mm::score(kr(0.5, 0.6), std::numeric_limits<double>::infinity()),
               missionkit::domain_error);
  // A stretch short of the target would cap attainment below 1: refused rather than scored oddly.
  EXPECT_THROW((void)mm::score(kr(0.5, 0.6, 0.55), 0.6), missionkit::domain_error);
  try {
    (void)mm::score(kr(0.5, 0.5), 0.6);
  } catch (const missionkit::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("target equals baseline"), std::string::npos) << e.what();
  }
}

TEST(OkrScore, BandNames) {
  EXPECT_STREQ(mm::to_string(score_band::fail), "fail");
  EXPECT_STREQ(mm::to_string(score_band::commit), "commit");
  EXPECT_STREQ(mm::to_string(score_band::target), "target");
  EXPECT_STREQ(mm::to_string(score_band::stretch), "stretch");
}
