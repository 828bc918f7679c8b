// Control charts and run rules. Oracles: (a) published limits of textbook examples — Montgomery,
// "Introduction to Statistical Quality Control" (piston rings xbar-R / xbar-S, orange-juice cans p chart,
// circuit boards c chart, personal computers and dyed cloth u charts, loan-processing costs individuals
// chart), with the data as shipped in R's qcc package; (b) closed forms of the constants for n = 2, 3 and
// Montgomery's Appendix VI table; (c) hand-built sequences where exactly one rule fires at a known point.
// Random sequences against an independent implementation of the rules are in tests/python/test_ops_spc.py.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/ops/spc.hpp"

using namespace missionkit::ops;
using missionkit::testing::error_of;

namespace {

// qcc::pistonrings, samples 1-25 (phase I) and 26-40 (phase II), 5 rings each (Montgomery table 6.3/6.4).
const std::vector<double> piston = {
    74.030, 74.002, 74.019, 73.992, 74.008, 73.995, 73.992, 74.001, 74.011, 74.004, 73.988, 74.024, 74.021,
    74.005, 74.002, 74.002, 73.996, 73.993, 74.015, 74.009, 73.992, 74.007, 74.015, 73.989, 74.014, 74.009,
    73.994, 73.997, 73.985, 73.993, 73.995, 74.006, 73.994, 74.000, 74.005, 73.985, 74.003, 73.993, 74.015,
    73.988, 74.008, 73.995, 74.009, 74.005, 74.004, 73.998, 74.000, 73.990, 74.007, 73.995, 73.994, 73.998,
    73.994, 73.995, 73.990, 74.004, 74.000, 74.007, 74.000, 73.996, 73.983, 74.002, 73.998, 73.997, 74.012,
    74.006, 73.967, 73.994, 74.000, 73.984, 74.012, 74.014, 73.998, 73.999, 74.007, 74.000, 73.984, 74.005,
    73.998, 73.996, 73.994, 74.012, 73.986, 74.005, 74.007, 74.006, 74.010, 74.018, 74.003, 74.000, 73.984,
    74.002, 74.003, 74.005, 73.997, 74.000, 74.010, 74.013, 74.020, 74.003, 73.988, 74.001, 74.009, 74.005,
    73.996, 74.004, 73.999, 73.990, 74.006, 74.009, 74.010, 73.989, 73.990, 74.009, 74.014, 74.015, 74.008,
    73.993, 74.000, 74.010, 73.982, 73.984, 73.995, 74.017, 74.013,
    // phase II
    74.012, 74.015, 74.030, 73.986, 74.000, 73.995, 74.010, 73.990, 74.015, 74.001, 73.987, 73.999, 73.985,
    74.000, 73.990, 74.008, 74.010, 74.003, 73.991, 74.006, 74.003, 74.000, 74.001, 73.986, 73.997, 73.994,
    74.003, 74.015, 74.020, 74.004, 74.008, 74.002, 74.018, 73.995, 74.005, 74.001, 74.004, 73.990, 73.996,
    73.998, 74.015, 74.000, 74.016, 74.025, 74.000, 74.030, 74.005, 74.000, 74.016, 74.012, 74.001, 73.990,
    73.995, 74.010, 74.024, 74.015, 74.020, 74.024, 74.005, 74.019, 74.035, 74.010, 74.012, 74.015, 74.026,
    74.017, 74.013, 74.036, 74.025, 74.026, 74.010, 74.005, 74.029, 74.000, 74.020};

// qcc::orangejuice, samples 1-30: nonconforming cans out of 50 (Montgomery table 7.1).
const std::vector<double> juice = {12, 15, 8, 10, 4,  7,  16, 9,  14, 10, 5,  6, 17, 12, 22,
                                   8,  10, 5, 13, 11, 20, 18, 24, 15, 9,  12, 7, 13, 9,  6};

std::vector<std::size_t> indices(const std::vector<rule_signal>& s, run_rule r) {
  std::vector<std::size_t> out;
  for (const auto& x : s)
    if (x.rule == r) out.push_back(x.index);
  return out;
}

}  // namespace

TEST(SpcConstants, ClosedForms) {
  const double pi = std::numbers::pi;
  const auto c2 = constants(2);
  EXPECT_NEAR(c2.d2, 2.0 / std::sqrt(pi), 1e-12);
  EXPECT_NEAR(c2.d3, std::sqrt(2.0 - 4.0 / pi), 1e-10);
  EXPECT_NEAR(c2.c4, std::sqrt(2.0 / pi), 1e-14);
  EXPECT_NEAR(constants(3).d2, 3.0 / std::sqrt(pi), 1e-12);
  EXPECT_NEAR(constants(3).c4, std::sqrt(pi) / 2.0, 1e-14);
  // Harter (1960), d2 to 9 digits.
  EXPECT_NEAR(constants(4).d2, 2.058750746, 1e-9);
  EXPECT_NEAR(constants(5).d2, 2.325928947, 1e-9);
}

TEST(SpcConstants, MatchMontgomeryAppendixVI) {
  struct row {
    int n;
    double A2, A3, c4, B3, B4, d2, d3, D3, D4;
  };
  // Montgomery, Introduction to SQC, Appendix VI (the tabled digits).
  const row table[] = {
      {2, 1.880, 2.659, 0.7979, 0.000, 3.267, 1.128, 0.853, 0.000, 3.267},
      {5, 0.577, 1.427, 0.9400, 0.000, 2.089, 2.326, 0.864, 0.000, 2.114},
      {10, 0.308, 0.975, 0.9727, 0.284, 1.716, 3.078, 0.797, 0.223, 1.777},
      {25, 0.153, 0.606, 0.9896, 0.565, 1.435, 3.931, 0.708, 0.459, 1.541},
  };
  for (const auto& t : table) {
    const auto c = constants(t.n);
    SCOPED_TRACE(t.n);
    EXPECT_NEAR(c.A2, t.A2, 5.1e-4);
    EXPECT_NEAR(c.A3, t.A3, 5.1e-4);
    EXPECT_NEAR(c.c4, t.c4, 5.1e-5);
    EXPECT_NEAR(c.B3, t.B3, 5.1e-4);
    EXPECT_NEAR(c.B4, t.B4, 5.1e-4);
    EXPECT_NEAR(c.d2, t.d2, 5.1e-4);
    EXPECT_NEAR(c.d3, t.d3, 5.1e-4);
    EXPECT_NEAR(c.D3, t.D3, 5.1e-4);
    EXPECT_NEAR(c.D4, t.D4, 5.1e-4);
  }
  EXPECT_NE(error_of([] { (void)constants(1); }).find("[2, 1000]"), std::string::npos);
}

// Per-subgroup range and sample standard deviation of the first k subgroups of 5, averaged (a direct loop,
// for the exact checks next to the textbook's rounded numbers).
std::pair<double, double> mean_range_and_sd(std::size_t k) {
  double rsum = 0.0, ssum = 0.0;
  for (std::size_t g = 0; g < k; ++g) {
    const double* x = piston.data() + 5 * g;
    const double m = (x[0] + x[1] + x[2] + x[3] + x[4]) / 5.0;
    double lo = x[0], hi = x[0], ss = 0.0;
    for (int j = 0; j < 5; ++j)
      lo = std::min(lo, x[j]), hi = std::max(hi, x[j]), ss += (x[j] - m) * (x[j] - m);
    rsum += hi - lo;
    ssum += std::sqrt(ss / 4.0);
  }
  return {rsum / k, ssum / k};
}

TEST(SpcCharts, PistonRingsXbarR) {
  // Montgomery example 6.1: x-bar-bar = 74.001, R-bar = 0.023, limits 74.001 +- 0.577 * 0.023 = 73.988 /
  // 74.014, R chart UCL 2.114 * 0.023 = 0.049. The book rounds R-bar to 2 digits (0.02276 from the data),
  // so the tolerances are those of the rounding; the exact values are checked against a direct loop.
  chart_options opt;
  opt.baseline_stop = 25;
  const auto r = xbar_r_chart(piston, 5, opt);
  ASSERT_EQ(r.values.size(), 40u);
  const auto [rbar, sbar] = mean_range_and_sd(25);
  EXPECT_NEAR(r.center, 74.001, 5e-4);
  EXPECT_NEAR(r.dispersion_center, 0.023, 5e-4);
  EXPECT_NEAR(r.dispersion_center, rbar, 1e-13);
  EXPECT_NEAR(r.ucl[0], 74.014, 5e-4);
  EXPECT_NEAR(r.lcl[39], 73.988, 5e-4);
  EXPECT_NEAR(r.ucl[0] - r.center, constants(5).A2 * rbar, 1e-13);
  EXPECT_NEAR(r.dispersion_ucl, 0.049, 1.1e-3);  // 2.114 * (0.023 +- 0.0005)
  EXPECT_NEAR(r.dispersion_ucl, constants(5).D4 * rbar, 1e-13);
  EXPECT_EQ(r.dispersion_lcl, 0.0);
  // Phase II: samples 37, 38, 39 are above the UCL (Montgomery figure 6.5).
  const auto z = r.standardized();
  const auto s = apply_rules(z, std::vector{run_rule::we1});
  EXPECT_EQ(indices(s, run_rule::we1), (std::vector<std::size_t>{36, 37, 38}));
  (void)sbar;
}

TEST(SpcCharts, PistonRingsXbarS) {
  // Montgomery example 6.3: x-bar limits 74.001 +- A3 s-bar = 73.988 / 74.014 (A3 = 1.427), s chart
  // LCL 0 and UCL B4 s-bar (B4 = 2.089).
  chart_options opt;
  opt.baseline_stop = 25;
  const auto r = xbar_s_chart(piston, 5, opt);
  const auto [rbar, sbar] = mean_range_and_sd(25);
  EXPECT_NEAR(r.dispersion_center, sbar, 1e-13);
  EXPECT_NEAR(r.ucl[0], 74.014, 5e-4);
  EXPECT_NEAR(r.lcl[0], 73.988, 5e-4);
  EXPECT_NEAR(r.ucl[0] - r.center, 1.427 * sbar, 5e-4 * sbar);
  EXPECT_NEAR(r.dispersion_ucl, 2.089 * sbar, 5e-4 * sbar);
  EXPECT_EQ(r.dispersion_lcl, 0.0);
  EXPECT_NEAR(r.sigma, sbar / constants(5).c4, 1e-15);
  (void)rbar;
}

TEST(SpcCharts, OrangeJuicePChart) {
  // Montgomery example 7.1: p-bar = 0.2313, UCL = 0.4102, LCL = 0.0524; samples 15 and 23 are above.
  const std::vector<double> n(juice.size(), 50.0);
  const auto r = p_chart(juice, n);
  EXPECT_NEAR(r.center, 347.0 / 1500.0, 1e-15);
  EXPECT_NEAR(r.ucl[0], 0.4102, 5e-5);
  EXPECT_NEAR(r.lcl[0], 0.0524, 5e-5);
  const auto s = apply_rules(r.standardized(), western_electric_rules());
  EXPECT_EQ(indices(s, run_rule::we1), (std::vector<std::size_t>{14, 22}));
  // np chart of the same data: n p-bar = 11.567, limits 11.567 +- 3 sqrt(11.567 (1 - 0.2313)).
  const auto np = np_chart(juice, n);
  EXPECT_NEAR(np.center, 347.0 / 30.0, 1e-12);
  EXPECT_NEAR(np.ucl[0], 50 * 0.4102, 50 * 5e-5);
  EXPECT_NEAR(np.lcl[0], 50 * 0.0524, 50 * 5e-5);
}

TEST(SpcCharts, VariableSamplePChartAndClipping) {
  // Pyzdek, The Handbook for Quality Management, table 9.6: bruised peaches, 1 or 2 crates of 250.
  const std::vector<double> d = {47, 42, 55, 51, 46, 61, 39, 44, 41,  51, 88,  101, 101,
                                 40, 48, 47, 50, 48, 57, 45, 43, 105, 98, 100, 96};
  std::vector<double> n(25, 250.0);
  for (int i : {10, 11, 12, 21, 22, 23, 24}) n[i] = 500.0;
  const auto r = p_chart(d, n);
  EXPECT_NEAR(r.center, 0.193, 1e-15);  // 1544 / 8000
  const double s250 = std::sqrt(0.193 * 0.807 / 250), s500 = std::sqrt(0.193 * 0.807 / 500);
  EXPECT_NEAR(r.ucl[0], 0.193 + 3 * s250, 1e-14);
  EXPECT_NEAR(r.ucl[10], 0.193 + 3 * s500, 1e-14);
  EXPECT_NEAR(r.lcl[10], 0.193 - 3 * s500, 1e-14);
  EXPECT_NEAR(r.standardized()[10], (88.0 / 500 - 0.193) / s500, 1e-12);
  // Small samples: 0.05 - 3 sqrt(0.05 * 0.95 / 10) < 0 is clipped to 0, and a UCL above 1 to 1.
  const auto small = p_chart(std::vector<double>{0, 1, 0, 1}, std::vector<double>{10, 10, 10, 10});
  EXPECT_EQ(small.lcl[0], 0.0);
  const auto big = p_chart(std::vector<double>{1, 1, 1, 0}, std::vector<double>{2, 2, 2, 2});
  EXPECT_EQ(big.ucl[0], 1.0);
}

TEST(SpcCharts, CircuitBoardsCChart) {
  // Montgomery example 7.3: c-bar = 19.85, UCL = 33.22, LCL = 6.48; samples 6 and 20 are outside.
  const std::vector<double> c = {21, 24, 16, 12, 15, 5,  28, 20, 31, 25, 20, 24, 16,
                                 19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15};
  const auto r = c_chart(c);
  EXPECT_NEAR(r.center, 516.0 / 26.0, 1e-13);
  // The book computes from c-bar rounded to 19.85 (sqrt(19.85) = 4.455): tolerance 0.01.
  EXPECT_NEAR(r.ucl[0], 33.22, 1e-2);
  EXPECT_NEAR(r.lcl[0], 6.48, 1e-2);
  EXPECT_NEAR(r.ucl[0], 516.0 / 26.0 + 3.0 * std::sqrt(516.0 / 26.0), 1e-12);
  EXPECT_EQ(indices(apply_rules(r.standardized(), std::vector{run_rule::nelson1}), run_rule::nelson1),
            (std::vector<std::size_t>{5, 19}));
}

TEST(SpcCharts, UCharts) {
  // Montgomery example 7.4 (personal computers, 5 units per sample): u-bar = 1.93, UCL 3.79, LCL 0.07.
  const std::vector<double> pc = {10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5};
  const auto r = u_chart(pc, std::vector<double>(pc.size(), 5.0));
  EXPECT_NEAR(r.center, 1.93, 1e-12);
  EXPECT_NEAR(r.ucl[0], 3.79, 5e-3);
  EXPECT_NEAR(r.lcl[0], 0.07, 5e-3);
  // Montgomery example 7.5 (dyed cloth, variable inspection units): u-bar = 153/107.5 = 1.42; limits
  // per roll, e.g. 10 units 0.29 .. 2.55, 8 units 0.16 .. 2.69, 13 units 0.43 .. 2.41.
  const std::vector<double> cloth = {14, 12, 20, 11, 7, 10, 21, 16, 19, 23};
  const std::vector<double> units = {10, 8, 13, 10, 9.5, 10, 12, 10.5, 12, 12.5};
  const auto u = u_chart(cloth, units);
  EXPECT_NEAR(u.center, 153.0 / 107.5, 1e-14);
  EXPECT_NEAR(u.ucl[0], 2.55, 6e-3);
  EXPECT_NEAR(u.lcl[0], 0.29, 6e-3);
  EXPECT_NEAR(u.ucl[1], 2.69, 6e-3);
  EXPECT_NEAR(u.lcl[1], 0.16, 6e-3);
  EXPECT_NEAR(u.ucl[2], 2.41, 6e-3);
  EXPECT_NEAR(u.lcl[2], 0.43, 6e-3);
}

TEST(SpcCharts, IndividualsLoanCosts) {
  // Montgomery example 6.5 (mortgage loan processing cost): x-bar = 300.5, MR-bar = 7.79,
  // limits 279.78 .. 321.22, MR chart UCL = 3.267 * 7.79 = 25.45.
  const std::vector<double> x = {310, 288, 297, 298, 307, 303, 294, 297, 308, 306,
                                 294, 299, 297, 299, 314, 295, 293, 306, 301, 304};
  const auto r = individuals_chart(x);
  EXPECT_NEAR(r.center, 300.5, 1e-12);
  EXPECT_NEAR(r.dispersion_center, 148.0 / 19.0, 1e-12);
  // The book uses 3/d2 = 3/1.128 and D4 = 3.267 (tabled digits): half-width 20.72 vs 20.71 exact.
  EXPECT_NEAR(r.ucl[0], 321.22, 1.5e-2);
  EXPECT_NEAR(r.lcl[0], 279.78, 1.5e-2);
  EXPECT_NEAR(r.dispersion_ucl, 25.45, 1e-2);
  EXPECT_NEAR(r.ucl[0], 300.5 + 3.0 * (148.0 / 19.0) * std::sqrt(std::numbers::pi) / 2.0, 1e-11);
  EXPECT_TRUE(std::isnan(r.dispersion[0]));
  EXPECT_EQ(r.dispersion[1], 22.0);
  // Median moving range: sigma = median(MR) / (2 erfinv(0.5)) = median / 0.9538725524.
  chart_options med;
  med.mr = mr_estimator::median;
  const auto m = individuals_chart(x, med);
  EXPECT_EQ(m.dispersion_center, 5.0);  // sorted MRs: the 10th of 19
  EXPECT_NEAR(m.sigma, 5.0 / 0.9538725524, 1e-9);
  // Wheeler's factor 3.865 for the MR chart from the median (3.8641 unrounded: (d2 + 3 d3) / 0.9539).
  EXPECT_NEAR(m.dispersion_ucl / m.dispersion_center, 3.865, 1e-3);
}

TEST(SpcCharts, BaselineWindowIsPhaseOneOnly) {
  std::vector<double> x = {1, 2, 1, 2, 1, 2, 100, 200};
  chart_options opt;
  opt.baseline_start = 1;
  opt.baseline_stop = 6;
  const auto r = individuals_chart(x, opt);
  EXPECT_EQ(r.baseline_start, 1u);
  EXPECT_EQ(r.baseline_stop, 6u);
  EXPECT_NEAR(r.center, 8.0 / 5.0, 1e-15);
  EXPECT_NEAR(r.sigma, 1.0 / constants(2).d2, 1e-12);  // the 4 MRs inside [1, 6) are all 1
  EXPECT_EQ(r.ucl.size(), 8u);                         // limits applied to every point (phase II)
  opt.baseline_stop = 2;
  EXPECT_NE(error_of([&] { (void)individuals_chart(x, opt); }).find("at least 2"), std::string::npos);
}

TEST(SpcCharts, ValidationNamesTheArgument) {
  const std::vector<double> ok = {1, 2, 3};
  EXPECT_NE(error_of([] {
              (void)individuals_chart(std::vector<double>{1, NAN, 2});
            }).find("values[1]"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              (void)p_chart(std::vector<double>{1, -1, 2}, ok);
            }).find("values[1]"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              (void)p_chart(ok, std::vector<double>{1, 0, 3});
            }).find("n[1]"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              (void)p_chart(std::vector<double>{1, 3, 2}, ok);
            }).find("exceeds"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              (void)np_chart(ok, std::vector<double>{5, 6, 5});
            }).find("p chart"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              (void)c_chart(std::vector<double>{0, 0, 0});
            }).find("no variation"),
            std::string::npos);
  EXPECT_NE(error_of([&] { (void)xbar_r_chart(ok, 2); }).find("multiple"), std::string::npos);
  EXPECT_THROW((void)individuals_chart(std::vector<double>{1, NAN}), missionkit::data_error);
  chart_options bad;
  bad.width = 0.0;
  EXPECT_THROW((void)c_chart(ok, bad), missionkit::domain_error);
  EXPECT_NE(error_of([] { (void)parse_rule("we9"); }).find("'nelson8'"), std::string::npos);
  EXPECT_EQ(parse_chart_type("xbar_s"), chart_type::xbar_s);
}

// Each sequence makes exactly one Nelson rule fire, at a known point.
TEST(SpcRules, EachRuleFiresAloneWhereExpected) {
  struct c {
    std::vector<double> z;
    run_rule rule;
    std::size_t index;
  };
  const std::vector<c> cases = {
      {{0.5, -0.5, 3.2, 0.1}, run_rule::nelson1, 2},
      {{0.5, -0.5, 2.5, 0.1, 2.2, -0.3}, run_rule::nelson5, 4},
      {{-0.5, 1.5, 0.5, 1.2, 1.1, 1.3, -0.2}, run_rule::nelson6, 5},
      {{-0.1, 0.2, 0.3, 0.1, 0.4, 0.2, 0.3, 0.1, 0.2, 0.3, -0.3}, run_rule::nelson2, 9},
      {{0.0, -1.9, -1.2, -0.5, 0.1, 0.6, 1.0, 0.3}, run_rule::nelson3, 6},
      {{0.9, 0.5, -0.8, 1.2, -0.4, 0.7, -1.1, 0.8, -0.7, 1.3, -0.5, 0.9, -1.2, 0.5, -0.8, -0.9, -0.8},
       run_rule::nelson4,
       14},
      {{1.6, -1.2, 1.5, -1.1, 1.3, -1.4, 1.2, -1.5, 0.0}, run_rule::nelson8, 7},
  };
  for (const auto& t : cases) {
    const auto s = apply_rules(t.z, nelson_rules());
    ASSERT_EQ(s.size(), 1u) << info(t.rule).name;
    EXPECT_EQ(s[0].rule, t.rule);
    EXPECT_EQ(s[0].index, t.index) << info(t.rule).name;
  }
  // Nelson 7: 15 points hugging the centre line (alternating, but with a tie to break rule 4).
  std::vector<double> hug = {0.5, -0.5, 0.5, 0.5, -0.3, 0.2, -0.2, 0.3, -0.1, 0.1, 0.4, -0.6, 0.2, -0.5, 0.3};
  auto s7 = apply_rules(hug, nelson_rules());
  ASSERT_EQ(s7.size(), 1u);
  EXPECT_EQ(s7[0], (rule_signal{14, run_rule::nelson7}));
  // Western Electric 4: 8 on one side (one short of Nelson 2).
  std::vector<double> eight = {-0.2, 0.3, 0.5, 0.2, 0.6, 0.1, 0.4, 0.2, 0.3, -0.4};
  auto s4 = apply_rules(eight, western_electric_rules());
  ASSERT_EQ(s4.size(), 1u);
  EXPECT_EQ(s4[0], (rule_signal{8, run_rule::we4}));
  EXPECT_TRUE(apply_rules(eight, nelson_rules()).empty());
}

TEST(SpcRules, ConventionsAtTheEdges) {
  // 2 of 3 at the very start (a partial window) is reported at the second point, once.
  auto s = apply_rules(std::vector<double>{2.5, 2.4, 0.0}, std::vector{run_rule::we2});
  EXPECT_EQ(s, (std::vector<rule_signal>{{1, run_rule::we2}}));
  // Opposite sides do not count together.
  EXPECT_TRUE(apply_rules(std::vector<double>{2.5, -2.4, 0.0}, std::vector{run_rule::we2}).empty());
  // A point on the centre line breaks a run; a run of 10 signals at its 9th and 10th points.
  std::vector<double> run(10, 0.5);
  EXPECT_EQ(indices(apply_rules(run, std::vector{run_rule::nelson2}), run_rule::nelson2),
            (std::vector<std::size_t>{8, 9}));
  run[4] = 0.0;
  EXPECT_TRUE(apply_rules(run, std::vector{run_rule::nelson2}).empty());
  // A tie breaks a trend.
  EXPECT_TRUE(
      apply_rules(std::vector<double>{0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5}, std::vector{run_rule::nelson3})
          .empty());
  // The rule-1 limit follows the chart width.
  EXPECT_TRUE(apply_rules(std::vector<double>{3.5}, std::vector{run_rule::we1}, 4.0).empty());
  EXPECT_THROW((void)apply_rules(std::vector<double>{NAN}, std::vector{run_rule::we1}),
               missionkit::data_error);
}
