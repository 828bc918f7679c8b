// Power and sample size. Oracles: statsmodels 0.15.0 statsmodels.stats.power (TTestIndPower, TTestPower,
// NormalIndPower) on scipy 1.17.1, printed with repr(); each row names its call.
// Solved values are NOT statsmodels' solve_power(), whose brentq_expanding stops at xtol=1e-5 (its answers
// are quoted in the comments and agree to ~1e-7); the oracle is scipy.optimize.brentq at xtol=1e-12 (or
// 1e-15), rtol=1e-15 applied to statsmodels' own power function, as each row says.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/effect.hpp"
#include "missionkit/stats/power.hpp"

using namespace missionkit::stats;

namespace {

using missionkit::testing::error_of;

constexpr double inf = std::numeric_limits<double>::infinity();

double power_of(power_test t, double es, double n, double alpha, double ratio, alternative alt) {
  switch (t) {
    case power_test::ttest_ind:
      return ttest_ind_power(es, n, alpha, ratio, alt);
    case power_test::ttest_1samp:
      return ttest_1samp_power(es, n, alpha, alt);
    case power_test::normal_ind:
      break;
  }
  return normal_ind_power(es, n, alpha, ratio, alt);
}

}  // namespace

TEST(Power, MatchesStatsmodels) {
  using t = power_test;
  using a = alternative;
  struct power_case {
    power_test test;
    double effect_size, nobs1, alpha, ratio;
    alternative alt;
    double power;
  };
  const std::vector<power_case> cases = {
      {t::ttest_ind, 0.5, 64.0, 0.05, 1.0, a::two_sided,
       0.8014595579222542},  // TTestIndPower().power(0.5, 64, 0.05, ratio=1.0, alternative='two-sided')
      {t::ttest_ind, 0.2, 300.0, 0.01, 2.0, a::larger,
       0.6906934011956735},  // TTestIndPower().power(0.2, 300, 0.01, ratio=2.0, alternative='larger')
      {t::ttest_ind, -0.3, 40.0, 0.05, 0.5, a::smaller,
       0.28699719747806823},  // TTestIndPower().power(-0.3, 40, 0.05, ratio=0.5, alternative='smaller')
      {t::ttest_ind, 0.8, 5.0, 0.1, 1.0, a::two_sided,
       0.3157920716928026},  // TTestIndPower().power(0.8, 5, 0.1, ratio=1.0, alternative='two-sided')
      {t::ttest_ind, -0.5, 64.0, 0.05, 1.0, a::two_sided,
       0.8014595579222543},  // TTestIndPower().power(-0.5, 64, 0.05, ratio=1.0, alternative='two-sided')
      {t::ttest_ind, 0.01, 150000.0, 0.05, 1.0, a::two_sided,
       0.7819054159009444},  // TTestIndPower().power(0.01, 150000, 0.05, ratio=1.0, alternative='two-sided')
      {t::ttest_ind, 1.2, 3.5, 1e-06, 1.0, a::larger,
       2.2823776965941178e-05},  // TTestIndPower().power(1.2, 3.5, 1e-06, ratio=1.0, alternative='larger')
      {t::ttest_1samp, 0.5, 34.0, 0.05, 1.0, a::two_sided,
       0.8077775012792737},  // TTestPower().power(0.5, 34, 0.05, alternative='two-sided')
      {t::ttest_1samp, 0.3, 80.0, 0.025, 1.0, a::larger,
       0.7550820377191261},  // TTestPower().power(0.3, 80, 0.025, alternative='larger')
      {t::ttest_1samp, -0.6, 12.0, 0.05, 1.0, a::smaller,
       0.6192461442463031},  // TTestPower().power(-0.6, 12, 0.05, alternative='smaller')
      {t::ttest_1samp, 2.0, 2.5, 0.05, 1.0, a::two_sided,
       0.3085102933248884},  // TTestPower().power(2.0, 2.5, 0.05, alternative='two-sided')
      {t::normal_ind, 0.5, 64.0, 0.05, 1.0, a::two_sided,
       0.807430419432557},  // NormalIndPower().power(0.5, 64, 0.05, ratio=1.0, alternative='two-sided')
      {t::normal_ind, 0.1, 1000.0, 0.05, 3.0, a::larger,
       0.862969690064215},  // NormalIndPower().power(0.1, 1000, 0.05, ratio=3.0, alternative='larger')
      {t::normal_ind, -0.25, 120.0, 0.01, 1.0, a::smaller,
       0.3483214414491857},  // NormalIndPower().power(-0.25, 120, 0.01, ratio=1.0, alternative='smaller')
      {t::normal_ind, 0.3, 50.0, 0.05, 0.0, a::two_sided,
       0.5641160254310036},  // NormalIndPower().power(0.3, 50, 0.05, ratio=0.0, alternative='two-sided')
      {t::normal_ind, 0.05, 2000.0, 1e-08, 1.0, a::two_sided,
       1.6653563063261196e-05},  // NormalIndPower().power(0.05, 2000, 1e-08, ratio=1.0,
                                 // alternative='two-sided')
  };
  int row = 0;
  for (const auto& c : cases) {
    // Boost's noncentral t against scipy's nctdtr: ~1e-13 apart here; the house 1e-9 relative holds,
    // including the 2e-5 power at alpha = 1e-6.
    MK_EXPECT_REL(power_of(c.test, c.effect_size, c.nobs1, c.alpha, c.ratio, c.alt), c.power, 1e-9)
        << "row " << row;
    power_query q{c.effect_size, c.nobs1, c.alpha, std::nullopt, c.ratio, c.alt};
    MK_EXPECT_REL(solve_power(c.test, q), c.power, 1e-9) << "row " << row++;
  }
}

TEST(Power, SolveNobsMatchesPreciseInversionAndRoundTrips) {
  using t = power_test;
  using a = alternative;
  struct n_case {
    power_test test;
    double effect_size, power, alpha, ratio;
    alternative alt;
    double nobs1;
  };
  const std::vector<n_case> cases = {
      {t::ttest_ind, 0.5, 0.8, 0.05, 1.0, a::two_sided,
       63.76561019095222},  // brentq(lambda n: TTestIndPower().power(0.5, n, 0.05, ratio=1.0,
                            // alternative='two-sided') - 0.8, 2, <first 2*2^k with power above>, xtol=1e-12,
                            // rtol=1e-15); solve_power gives 63.76561058891169
      {t::ttest_ind, 0.2, 0.9, 0.01, 2.0, a::larger,
       489.0383062038162},  // brentq(lambda n: TTestIndPower().power(0.2, n, 0.01, ratio=2.0,
                            // alternative='larger') - 0.9, 2, <first 2*2^k with power above>, xtol=1e-12,
                            // rtol=1e-15); solve_power gives 489.0383082424862
      {t::ttest_ind, -0.35, 0.8, 0.05, 0.5, a::smaller,
       152.31948878608438},  // brentq(lambda n: TTestIndPower().power(-0.35, n, 0.05, ratio=0.5,
                             // alternative='smaller') - 0.8, 3, <first 3*2^k with power above>, xtol=1e-12,
                             // rtol=1e-15); solve_power gives 152.31948878701715
      {t::ttest_1samp, 0.5, 0.8, 0.05, 1.0, a::two_sided,
       33.367128953330834},  // brentq(lambda n: TTestPower().power(0.5, n, 0.05, alternative='two-sided') -
                             // 0.8, 2, <first 2*2^k with power above>, xtol=1e-12, rtol=1e-15); solve_power
                             // gives 33.36713118431779
      {t::ttest_1samp, 1.5, 0.9, 0.05, 1.0, a::larger,
       5.471712919510699},  // brentq(lambda n: TTestPower().power(1.5, n, 0.05, alternative='larger') - 0.9,
                            // 2, <first 2*2^k with power above>, xtol=1e-12, rtol=1e-15); solve_power
                            // gives 5.471712445036183
      {t::normal_ind, 0.5, 0.8, 0.05, 1.0, a::two_sided,
       62.7908840746096},  // brentq(lambda n: NormalIndPower().power(0.5, n, 0.05, ratio=1.0,
                           // alternative='two-sided') - 0.8, 1, <first 1*2^k with power above>, xtol=1e-12,
                           // rtol=1e-15); solve_power gives 62.79088416571135
      {t::normal_ind, 0.02, 0.95, 0.001, 1.5, a::two_sided,
       101491.58034378572},  // brentq(lambda n: NormalIndPower().power(0.02, n, 0.001, ratio=1.5,
                             // alternative='two-sided') - 0.95, 1, <first 1*2^k with power above>,
                             // xtol=1e-12, rtol=1e-15); solve_power gives 101491.58034384072
  };
  int row = 0;
  for (const auto& c : cases) {
    const double n = solve_power(c.test, {c.effect_size, std::nullopt, c.alpha, c.power, c.ratio, c.alt});
    MK_EXPECT_REL(n, c.nobs1, 1e-9) << "row " << row;
    // Round trip: the power at the solved n is the requested power.
    EXPECT_NEAR(power_of(c.test, c.effect_size, n, c.alpha, c.ratio, c.alt), c.power, 1e-10)
        << "row " << row++;
  }
}

TEST(Power, SolveEffectSizeAndAlpha) {
  using t = power_test;
  using a = alternative;
  struct es_case {
    power_test test;
    double nobs1, power, alpha, ratio;
    alternative alt;
    double effect_size;
  };
  const std::vector<es_case> es_cases = {
      {t::ttest_ind, 30.0, 0.8, 0.05, 1.0, a::two_sided,
       0.7356210695976684},  // -+brentq(lambda e: TTestIndPower().power(+-e, 30, 0.05, ratio=1.0,
                             // alternative='two-sided') - 0.8, 1e-6, 1.5, xtol=1e-15, rtol=1e-15)
      {t::ttest_1samp, 15.0, 0.9, 0.01, 1.0, a::larger,
       1.034870662623038},  // -+brentq(lambda e: TTestPower().power(+-e, 15, 0.01, alternative='larger') -
                            // 0.9, 1e-6, 1.5, xtol=1e-15, rtol=1e-15)
      {t::normal_ind, 200.0, 0.8, 0.05, 2.0, a::smaller,
       -0.21533503950854882},  // -+brentq(lambda e: NormalIndPower().power(+-e, 200, 0.05, ratio=2.0,
                               // alternative='smaller') - 0.8, 1e-6, 1.5, xtol=1e-15, rtol=1e-15)
  };
  for (const auto& c : es_cases) {
    const double es = solve_power(c.test, {std::nullopt, c.nobs1, c.alpha, c.power, c.ratio, c.alt});
    MK_EXPECT_REL(es, c.effect_size, 1e-9);
    EXPECT_NEAR(power_of(c.test, es, c.nobs1, c.alpha, c.ratio, c.alt), c.power, 1e-10);
  }
  struct alpha_case {
    power_test test;
    double effect_size, nobs1, power, ratio;
    alternative alt;
    double alpha;
  };
  const std::vector<alpha_case> alpha_cases = {
      {t::ttest_ind, 0.5, 64.0, 0.8, 1.0, a::two_sided,
       0.0494054205056697},  // exp(brentq(lambda la: TTestIndPower().power(0.5, 64, exp(la), ratio=1.0,
                             // alternative='two-sided') - 0.8, log(1e-6), log(0.999), xtol=1e-15,
                             // rtol=1e-15))
      {t::normal_ind, 0.4, 100.0, 0.99, 1.0, a::larger,
       0.3078058875617586},  // exp(brentq(lambda la: NormalIndPower().power(0.4, 100, exp(la), ratio=1.0,
                             // alternative='larger') - 0.99, log(1e-6), log(0.999), xtol=1e-15, rtol=1e-15))
      {t::ttest_1samp, 0.3, 50.0, 0.3, 1.0, a::two_sided,
       0.010041945503341027},  // exp(brentq(lambda la: TTestPower().power(0.3, 50, exp(la),
                               // alternative='two-sided') - 0.3, log(1e-6), log(0.999), xtol=1e-15,
                               // rtol=1e-15))
  };
  for (const auto& c : alpha_cases) {
    const double al = solve_power(c.test, {c.effect_size, c.nobs1, std::nullopt, c.power, c.ratio, c.alt});
    MK_EXPECT_REL(al, c.alpha, 1e-9);
    EXPECT_NEAR(power_of(c.test, c.effect_size, c.nobs1, al, c.ratio, c.alt), c.power, 1e-10);
  }
}

TEST(Power, RoundTripsAcrossARange) {
  // No oracle needed: solving each unknown from a power computed by the forward function must return the
  // input (to 1e-10 in power, i.e. the solver is exact to rounding), over a grid of designs.
  for (const auto test : {power_test::ttest_ind, power_test::ttest_1samp, power_test::normal_ind}) {
    for (const auto alt : {alternative::two_sided, alternative::larger, alternative::smaller}) {
      for (const double es : {0.05, 0.2, 0.8, 1.5}) {
        for (const double target : {0.5, 0.8, 0.99}) {
          const double e = alt == alternative::smaller ? -es : es;
          const double alpha = 0.05;
          const double ratio = 1.5;
          const double n = solve_power(test, {e, std::nullopt, alpha, target, ratio, alt});
          EXPECT_NEAR(power_of(test, e, n, alpha, ratio, alt), target, 1e-10) << es << " " << target;
          const double back_es = solve_power(test, {std::nullopt, n, alpha, target, ratio, alt});
          MK_EXPECT_REL(back_es, e, 1e-8) << es << " " << target;
          const double back_alpha = solve_power(test, {e, n, std::nullopt, target, ratio, alt});
          MK_EXPECT_REL(back_alpha, alpha, 1e-8) << es << " " << target;
        }
      }
    }
  }
}

TEST(Power, TwoSidedTTestViaNoncentralF) {
  // Two-sided t-test power is computed as one noncentral-F tail, P[F'(1, df, nc^2) > c^2], falling back to
  // the two noncentral-t tails for |nc| < 1e-10 or an overflowing c^2. Oracle rows on both sides of the
  // switch and at small df, large df, tiny alpha and power near 1.
  struct case_ {
    power_test test;
    double effect_size, nobs1, alpha, power;
  };
  const std::vector<case_> cases = {
      {power_test::ttest_ind, 1e-11, 4.0, 0.05,
       0.04999999999999935},  // TTestIndPower().power(1e-11, 4, 0.05)
      {power_test::ttest_ind, 3e-9, 4.0, 0.05,
       0.049999999999999364},  // TTestIndPower().power(3e-09, 4, 0.05)
      {power_test::ttest_ind, 0.5, 1.6, 1e-6,
       1.1184293623204795e-06},  // TTestIndPower().power(0.5, 1.6, 1e-06)
      {power_test::ttest_ind, 0.02, 50000.0, 1e-4,
       0.23317401080558484},  // TTestIndPower().power(0.02, 50000, 0.0001)
      {power_test::ttest_ind, 2.0, 40.0, 0.05, 0.99999999999681},   // TTestIndPower().power(2.0, 40, 0.05)
      {power_test::ttest_ind, 0.3, 2.2, 0.2, 0.21525087150407762},  // TTestIndPower().power(0.3, 2.2, 0.2)
      {power_test::ttest_1samp, 1e-11, 4.0, 0.05,
       0.050000000000000044},                            // TTestPower().power(1e-11, 4, 0.05)
      {power_test::ttest_1samp, 3e-9, 4.0, 0.05, 0.05},  // TTestPower().power(3e-09, 4, 0.05)
      {power_test::ttest_1samp, 1.5, 2.3, 0.001,
       0.0036741497023533545},  // TTestPower().power(1.5, 2.3, 0.001)
  };
  for (const auto& c : cases)
    MK_EXPECT_REL(power_of(c.test, c.effect_size, c.nobs1, c.alpha, 1.0, alternative::two_sided), c.power,
                  1e-9)
        << c.effect_size << " " << c.nobs1 << " " << c.alpha;
  // Against the two one-sided powers at alpha/2 (each a single noncentral-t tail, a different Boost code
  // path): two_sided(alpha) = larger(alpha/2) + smaller(alpha/2), over a grid that includes negative
  // effects and df from 0.6 to 2e5.
  for (const double es : {-1.3, -0.2, 1e-9, 0.01, 0.3, 1.0, 4.0}) {
    for (const double n : {1.3, 2.0, 7.5, 40.0, 600.0, 1e5}) {
      for (const double alpha : {1e-8, 0.01, 0.05, 0.5}) {
        const double two = ttest_ind_power(es, n, alpha, 1.0, alternative::two_sided);
        const double tails = ttest_ind_power(es, n, alpha / 2.0, 1.0, alternative::larger) +
                             ttest_ind_power(es, n, alpha / 2.0, 1.0, alternative::smaller);
        MK_EXPECT_REL(two, tails, 1e-11) << es << " " << n << " " << alpha;
      }
    }
  }
}

TEST(Power, ProportionsViaCohensH) {
  using a = alternative;
  struct prop_case {
    double p1, p2, nobs1, alpha, ratio;
    alternative alt;
    double power, h;
  };
  const std::vector<prop_case> cases = {
      {0.12, 0.1, 3000.0, 0.05, 1.0, a::two_sided, 0.6977936186610995,
       0.06398210298605855},  // NormalIndPower().power(proportion_effectsize(0.12, 0.1), 3000, 0.05,
                              // ratio=1.0, alternative='two-sided'); h = proportion_effectsize(0.12, 0.1)
      {0.3, 0.2, 150.0, 0.05, 2.0, a::larger, 0.7501586232735811,
       0.2319842627257963},  // NormalIndPower().power(proportion_effectsize(0.3, 0.2), 150, 0.05, ratio=2.0,
                             // alternative='larger'); h = proportion_effectsize(0.3, 0.2)
  };
  for (const auto& c : cases) {
    MK_EXPECT_REL(cohens_h(c.p1, c.p2), c.h, 1e-12);
    MK_EXPECT_REL(proportions_2indep_power(c.p1, c.p2, c.nobs1, c.alpha, c.ratio, c.alt), c.power, 1e-9);
  }
  // brentq(lambda n: NormalIndPower().power(proportion_effectsize(0.12, 0.10), n, 0.05) - 0.8, 1, 1e8,
  // xtol=1e-12, rtol=1e-15); solve_power gives 3834.595739884031
  MK_EXPECT_REL(proportions_2indep_nobs1(0.12, 0.10, 0.8), 3834.595739877142, 1e-9);
}

TEST(Power, SurveySampleSize) {
  struct survey_case {
    double p, margin, confidence, population, deff;
    std::int64_t n;
  };
  const std::vector<survey_case> cases = {
      {0.5, 0.05, 0.95, inf, 1.0, 385},  // ceil(n), n0 = 1.0 * samplesize_confint_proportion(0.5, 0.05,
                                         // alpha=1 - 0.95) = 384.1458820694125, n = n0 = 384.1458820694125
      {0.5, 0.05, 0.95, 1000.0, 1.0,
       278},  // ceil(n), n0 = 1.0 * samplesize_confint_proportion(0.5, 0.05, alpha=1 - 0.95) =
              // 384.1458820694125, n = n0 / (1 + (n0 - 1) / 1000) = 277.7334531731876
      {0.3, 0.03, 0.99, inf, 1.0, 1549},  // ceil(n), n0 = 1.0 * samplesize_confint_proportion(0.3, 0.03,
                                          // alpha=1 - 0.99) = 1548.142540238283, n = n0 = 1548.142540238283
      {0.2, 0.02, 0.9, 5000.0, 1.5,
       1226},  // ceil(n), n0 = 1.5 * samplesize_confint_proportion(0.2, 0.02, alpha=1 - 0.9) =
               // 1623.3260724572492, n = n0 / (1 + (n0 - 1) / 5000) = 1225.646438045979
      {0.5, 0.1, 0.95, 50.0, 2.0,
       40},  // ceil(n), n0 = 2.0 * samplesize_confint_proportion(0.5, 0.1, alpha=1 - 0.95) =
             // 192.07294103470625, n = n0 / (1 + (n0 - 1) / 50) = 39.83710079827132
      {0.5, 0.01, 0.999, inf, 1.0,
       27069},  // ceil(n), n0 = 1.0 * samplesize_confint_proportion(0.5, 0.01, alpha=1 - 0.999) =
                // 27068.915426656822, n = n0 = 27068.915426656822
  };
  for (const auto& c : cases)
    EXPECT_EQ(survey_sample_size(c.p, c.margin, c.confidence, c.population, c.deff), c.n);
  EXPECT_EQ(survey_sample_size(), 385);                    // the textbook 95% / +-5% answer
  EXPECT_EQ(survey_sample_size(0.5, 0.05, 0.95, 1.0), 1);  // a population of one needs one interview
}

TEST(Power, ErrorsAreClear) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(
      error_of([] {
        (void)solve_power(power_test::ttest_ind, {0.5, std::nullopt, 0.05, std::nullopt});
      }),
      "solve_power: exactly one of effect_size, nobs1, alpha, power must be empty (the one to solve for), "
      "got 2 empty");
  EXPECT_EQ(error_of([] {
              (void)solve_power(power_test::ttest_ind, {0.0, std::nullopt, 0.05, 0.8});
            }),
            "solve_power: effect_size is 0, which no sample size can detect");
  EXPECT_EQ(
      error_of([] {
        (void)solve_power(power_test::normal_ind, {-0.2, std::nullopt, 0.05, 0.8, 1.0, alternative::larger});
      }),
      "solve_power: effect_size=-0.2 has the wrong sign for alternative larger: power stays below alpha at "
      "every sample size");
  EXPECT_EQ(
      error_of([] {
        (void)solve_power(power_test::ttest_1samp, {20.0, std::nullopt, 0.05, 0.5});
      }),
      "solve_power: power=0.5 is already exceeded at the smallest admissible nobs1=2 (df = 1); the t-test "
      "has no smaller design");
  EXPECT_EQ(error_of([] {
              (void)solve_power(power_test::ttest_ind, {0.5, std::nullopt, 0.05, 0.01});
            }),
            "solve_power: power must exceed alpha to solve for nobs1, got power=0.01, alpha=0.05");
  EXPECT_EQ(error_of([] { (void)ttest_ind_power(0.5, 1.0, 0.05); }),
            "ttest_ind_power: nobs1 + nobs2 must be > 2, got nobs1=1, nobs2=1");
  EXPECT_EQ(error_of([&] { (void)ttest_1samp_power(nan, 10, 0.05); }),
            "ttest_1samp_power: effect_size must be a number, got nan");
  EXPECT_EQ(error_of([] { (void)normal_ind_power(0.5, 10, 1e-320 * 0.0); }),
            "normal_ind_power: alpha must be in (0, 1), got alpha=0");
  EXPECT_EQ(error_of([] { (void)survey_sample_size(0.0); }),
            "survey_sample_size: p must be in (0, 1), got p=0; use 0.5 when unknown (the largest size)");
  EXPECT_EQ(error_of([] { (void)survey_sample_size(0.5, 0.05, 0.95, 0.5); }),
            "survey_sample_size: population must be >= 1, got population=0.5");
  EXPECT_EQ(error_of([] { (void)survey_sample_size(0.5, 0.05, 0.95, inf, 0.0); }),
            "survey_sample_size: deff must be > 0, got deff=0");
}
