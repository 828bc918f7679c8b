#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "missionkit/measure/partial.hpp"

using missionkit::measure::mean_state;
using missionkit::measure::nps_state;
using missionkit::measure::proportion_state;

TEST(MeasurePartial, MeanMergeIsExactAtAnySplit) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> handle(5.5, 0.8);  // handle-time-like seconds
  std::vector<double> x(10001);
  for (auto& v : x) v = std::round(handle(rng) * 1000) / 1000;
  mean_state all;
  for (double v : x) all.add(v);
  for (std::size_t split : {std::size_t{0}, std::size_t{1}, std::size_t{777}, std::size_t{5000}, x.size()}) {
    mean_state a, b;
    for (std::size_t i = 0; i < split; ++i) a.add(x[i]);
    for (std::size_t i = split; i < x.size(); ++i) b.add(x[i]);
    mean_state ba = b;
    ba += a;  // the other merge order
    a += b;
    EXPECT_EQ(a, all) << split;
    EXPECT_EQ(ba, all) << split;
  }
  // Oracle: two-pass mean and variance in long double over the same values (millisecond-rounded, so the
  // fixed-point quantisation is exact).
  long double s = 0;
  for (double v : x) s += v;
  const long double m = s / x.size();
  long double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  EXPECT_NEAR(all.mean(), static_cast<double>(m), 1e-12 * std::fabs(static_cast<double>(m)));
  EXPECT_NEAR(all.variance(), static_cast<double>(ss / (x.size() - 1)),
              1e-10 * static_cast<double>(ss / x.size()));
}

TEST(MeasurePartial, VarianceHasNoCancellationForLargeOffsets) {
  // Values 1e9 + {0.1, 0.2, 0.3}: a naive sum-of-squares formula loses every digit here.
  mean_state st;
  for (double v : {1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3}) st.add(v);
  EXPECT_NEAR(st.variance(), 0.01, 1e-9);
  EXPECT_NEAR(st.mean(), 1e9 + 0.2, 1e-6);
}

TEST(MeasurePartial, MeanRejectsValuesOutsideTheFixedPointRange) {
  mean_state st;
  EXPECT_THROW(st.add(1e13), missionkit::domain_error);
  EXPECT_THROW(st.add(std::nan("")), missionkit::domain_error);
  EXPECT_EQ(st.n, 0u);
}

TEST(MeasurePartial, ProportionAndNpsCountsAdd) {
  proportion_state a{3, 10, 1}, b{2, 5, 4};
  a += b;
  EXPECT_EQ(a, (proportion_state{5, 15, 5}));
  EXPECT_DOUBLE_EQ(a.value(), 5.0 / 15.0);
  nps_state n;
  for (double s : {10.0, 9.0, 8.0, 7.0, 6.0, 0.0}) n.add(s);
  EXPECT_EQ(n, (nps_state{2, 2, 2}));
}
