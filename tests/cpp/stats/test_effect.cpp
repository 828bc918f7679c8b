// Effect sizes. Oracles, printed with repr() (each row names its source):
// - Cohen's d / Hedges' g intervals: scipy 1.17.1 stats.nct.cdf inverted with scipy.optimize.brentq
//   (xtol=1e-15, rtol=1e-15) at the observed t = d / sqrt(1/n1 + 1/n2); d itself from numpy; Hedges' J
//   from mpmath at 40 digits.
// - Cohen's h: statsmodels 0.15.0 proportion_effectsize; its interval h -+ z sqrt(1/n1 + 1/n2) with
//   z = scipy stats.norm.isf.
// - Lift and odds ratio: statsmodels confint_proportions_2indep (compare="ratio" minus 1, and
//   compare="odds-ratio").
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/effect.hpp"

using namespace missionkit::stats;

namespace {

using missionkit::testing::error_of;

constexpr double inf = std::numeric_limits<double>::infinity();

// rng = np.random.default_rng(20260501); the same samples as test_ttest.cpp.
const std::vector<double> x1 = {
    10.656, 10.742, 13.911, 8.283,  3.456,  11.599,
    7.305,  10.421, 7.491,  12.338, 12.369, 6.031};  // np.round(rng.normal(10.0, 2.0, 12), 3)
const std::vector<double> x2 = {6.924, 7.486, 7.754, 13.176, 12.699,
                                7.574, 8.225, 8.029, 8.983};  // np.round(rng.normal(8.5, 3.5, 9), 3)

void expect_bound(double got, double want) {
  if (std::isinf(want)) {
    EXPECT_EQ(got, want);
  } else {
    // Boost's and scipy's noncentral t agree to ~1e-13; both roots are solved to full precision.
    EXPECT_NEAR(got, want, 1e-9 * std::abs(want));
  }
}

}  // namespace

TEST(EffectSize, HedgesCorrectionMatchesMpmath) {
  const std::vector<std::pair<double, double>> cases = {
      {2.0, 0.5641895835477563},         // mpmath (dps=40): gamma(df/2) / (sqrt(df/2) gamma((df-1)/2))
      {10.0, 0.9227456080530871},        // mpmath (dps=40): gamma(df/2) / (sqrt(df/2) gamma((df-1)/2))
      {19.0, 0.9599103529242536},        // mpmath (dps=40): gamma(df/2) / (sqrt(df/2) gamma((df-1)/2))
      {57.5, 0.9868899920435313},        // mpmath (dps=40): gamma(df/2) / (sqrt(df/2) gamma((df-1)/2))
      {10000.0, 0.9999249978124297},     // mpmath (dps=40): gamma(df/2) / (sqrt(df/2) gamma((df-1)/2))
      {10000000.0, 0.9999999249999978},  // mpmath (dps=40): gamma(df/2) / (sqrt(df/2) gamma((df-1)/2))
  };
  // Boost's tgamma_delta_ratio keeps full precision where lgamma differences would lose digits (df=1e7).
  for (const auto& [df, j] : cases) MK_EXPECT_REL(hedges_correction(df), j, 1e-13) << df;
}

TEST(EffectSize, CohensDAndHedgesGWithNoncentralTIntervals) {
  using a = alternative;
  struct d_case {
    const std::vector<double>* x1;
    const std::vector<double>* x2;
    double alpha;
    alternative alt;
    double d, low, high, j;
  };
  const std::vector<d_case> cases = {
      {&x1, &x2, 0.05, a::two_sided, 0.20476655217195577, -0.6645729154628437, 1.0687843164611994,
       0.9599103529242536},  // d from numpy (ddof=1 pooled sd); bounds nc*sqrt(1/n1+1/n2), nc = brentq(lambda
                             // nc: stats.nct.cdf(t, 19, nc) - p, t-30, t+30, xtol=1e-15, rtol=1e-15) at p =
                             // 1-a (low) and a (high); J by mpmath
      {&x2, &x1, 0.1, a::two_sided, -0.20476655217195577, -0.9294394953756748, 0.5252397455414441,
       0.9599103529242536},  // d from numpy (ddof=1 pooled sd); bounds nc*sqrt(1/n1+1/n2), nc = brentq(lambda
                             // nc: stats.nct.cdf(t, 19, nc) - p, t-30, t+30, xtol=1e-15, rtol=1e-15) at p =
                             // 1-a (low) and a (high); J by mpmath
      {&x1, &x2, 0.05, a::larger, 0.20476655217195577, -0.5252397455414437, inf,
       0.9599103529242536},  // d from numpy (ddof=1 pooled sd); bounds nc*sqrt(1/n1+1/n2), nc = brentq(lambda
                             // nc: stats.nct.cdf(t, 19, nc) - p, t-30, t+30, xtol=1e-15, rtol=1e-15) at p =
                             // 1-a (low) and a (high); J by mpmath
      {&x1, &x2, 1e-06, a::smaller, 0.20476655217195577, -inf, 2.304123827724342,
       0.9599103529242536},  // d from numpy (ddof=1 pooled sd); bounds nc*sqrt(1/n1+1/n2), nc = brentq(lambda
                             // nc: stats.nct.cdf(t, 19, nc) - p, t-30, t+30, xtol=1e-15, rtol=1e-15) at p =
                             // 1-a (low) and a (high); J by mpmath
  };
  for (const auto& c : cases) {
    const auto d = cohens_d(*c.x1, *c.x2, c.alpha, c.alt);
    MK_EXPECT_REL(d.estimate, c.d, 1e-12);
    expect_bound(d.ci_low, c.low);
    expect_bound(d.ci_high, c.high);
    const auto g = hedges_g(*c.x1, *c.x2, c.alpha, c.alt);
    MK_EXPECT_REL(g.estimate, c.d * c.j, 1e-12);
    expect_bound(g.ci_low, c.low * c.j);
    expect_bound(g.ci_high, c.high * c.j);
  }
  // From summary statistics: the same numbers (means and ddof=1 standard deviations of x1 and x2).
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  auto sd = [&](const std::vector<double>& v) {
    const double m = mean(v);
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
  };
  const auto& c = cases.front();
  const auto d = cohens_d_from_stats(mean(x1), sd(x1), 12, mean(x2), sd(x2), 9, c.alpha, c.alt);
  MK_EXPECT_REL(d.estimate, c.d, 1e-12);
  expect_bound(d.ci_low, c.low);
  expect_bound(d.ci_high, c.high);
  const auto g = hedges_g_from_stats(mean(x1), sd(x1), 12, mean(x2), sd(x2), 9, c.alpha, c.alt);
  MK_EXPECT_REL(g.estimate, c.d * c.j, 1e-12);
}

TEST(EffectSize, CohensH) {
  struct h_case {
    double c1, n1, c2, n2, alpha, h, low, high;
  };
  const std::vector<h_case> cases = {
      {30.0, 200.0, 18.0, 210.0, 0.05, 0.201153797489939, 0.007504745970456833,
       0.3948028490094212},  // h = proportion_effectsize(30/200, 18/210); h -+ stats.norm.isf(0.05/2) *
                             // sqrt(1/200 + 1/210)
      {0.0, 50.0, 5.0, 40.0, 0.1, -0.7227342478134157, -1.071660393916418,
       -0.3738081017104134},  // h = proportion_effectsize(0/50, 5/40); h -+ stats.norm.isf(0.1/2) * sqrt(1/50
                              // + 1/40)
      {12.0, 12.0, 3.0, 10.0, 0.05, 1.9823131728623846, 1.1431067319549104,
       2.821519613769859},  // h = proportion_effectsize(12/12, 3/10); h -+ stats.norm.isf(0.05/2) * sqrt(1/12
                            // + 1/10)
  };
  for (const auto& c : cases) {
    const auto e = cohens_h_ci(c.c1, c.n1, c.c2, c.n2, c.alpha);
    MK_EXPECT_REL(e.estimate, c.h, 1e-12);
    MK_EXPECT_REL(e.ci_low, c.low, 1e-12);
    MK_EXPECT_REL(e.ci_high, c.high, 1e-12);
  }
  const auto one = cohens_h_ci(30, 200, 18, 210, 0.025, alternative::larger);  // = two-sided 0.05 low
  MK_EXPECT_REL(one.ci_low, 0.007504745970456833, 1e-12);
  EXPECT_EQ(one.ci_high, inf);
}

TEST(EffectSize, LiftAndOddsRatio) {
  using rm = ratio_ci_method;
  struct l_case {
    double c1, n1, c2, n2;
    ratio_ci_method method;
    double lift, lift_low, lift_high, odds, odds_low, odds_high;
  };
  const std::vector<l_case> cases = {
      {30.0, 200.0, 18.0, 210.0, rm::score, 0.75, 0.01664606428951987, 2.0257431403399733, 1.8823529411764706,
       1.0189521715814345,
       3.475533610339507},  // lift: cp(30, 200, 18, 210), method="score", compare="ratio") - 1; odds: cp(30,
                            // 200, 18, 210), method="score", compare="odds-ratio")
      {30.0, 200.0, 18.0, 210.0, rm::log, 0.75, 0.008321780889525732, 2.0372248800361232, 1.8823529411764706,
       1.0128729782365278,
       3.498220084145915},  // lift: cp(30, 200, 18, 210), method="log", compare="ratio") - 1; odds: cp(30,
                            // 200, 18, 210), method="logit", compare="odds-ratio")
      {7.0, 34.0, 1.0, 34.0, rm::score, 6.0, 0.20856797509002845, 42.03297223869471, 8.555555555555555,
       1.2466223602451691,
       56.46157554538696},  // lift: cp(7, 34, 1, 34), method="score", compare="ratio") - 1; odds: cp(7, 34,
                            // 1, 34), method="score", compare="odds-ratio")
      {7.0, 34.0, 1.0, 34.0, rm::log, 6.0, -0.09039448815792372, 52.86950646414646, 8.555555555555555,
       0.9904902816539896,
       73.90030192115287},  // lift: cp(7, 34, 1, 34), method="log", compare="ratio") - 1; odds: cp(7, 34, 1,
                            // 34), method="logit", compare="odds-ratio")
      {15.0, 40.0, 8.0, 45.0, rm::score, 1.109375, 0.025078188734841245, 3.456211611091298, 2.775,
       1.0350614065894645,
       7.413795870931333},  // lift: cp(15, 40, 8, 45), method="score", compare="ratio") - 1; odds: cp(15, 40,
                            // 8, 45), method="score", compare="odds-ratio")
      {15.0, 40.0, 8.0, 45.0, rm::log, 1.109375, 0.0014918837477302382, 3.4428346977455817, 2.775,
       1.0240599215652235,
       7.519701570031158},  // lift: cp(15, 40, 8, 45), method="log", compare="ratio") - 1; odds: cp(15, 40,
                            // 8, 45), method="logit", compare="odds-ratio")
  };
  for (const auto& c : cases) {
    const auto l = relative_lift(c.c1, c.n1, c.c2, c.n2, 0.05, c.method);
    MK_EXPECT_REL(l.estimate, c.lift, 1e-12);
    // Koopman's bound from numpy.roots (~1e-13) and a closed form: 1e-9 relative, plus 1e-12 absolute
    // because subtracting 1 can leave a bound near 0.
    EXPECT_NEAR(l.ci_low, c.lift_low, 1e-9 * std::abs(c.lift_low) + 1e-12);
    EXPECT_NEAR(l.ci_high, c.lift_high, 1e-9 * std::abs(c.lift_high) + 1e-12);
    const auto o = odds_ratio(c.c1, c.n1, c.c2, c.n2, 0.05, c.method);
    MK_EXPECT_REL(o.estimate, c.odds, 1e-12);
    MK_EXPECT_REL(o.ci_low, c.odds_low, 1e-9);
    MK_EXPECT_REL(o.ci_high, c.odds_high, 1e-9);
  }
  // Zero counts: the estimates are +inf or NaN by definition, the score intervals stay usable.
  const auto l = relative_lift(5, 50, 0, 50);
  EXPECT_EQ(l.estimate, inf);
  EXPECT_GT(l.ci_low, -1.0);
  EXPECT_EQ(l.ci_high, inf);
  EXPECT_TRUE(std::isnan(relative_lift(0, 50, 0, 40).estimate));
  EXPECT_EQ(odds_ratio(0, 50, 5, 40).estimate, 0.0);
}

TEST(EffectSize, ErrorsAreClear) {
  const std::vector<double> same = {2.0, 2.0};
  EXPECT_EQ(error_of([&] { (void)cohens_d(same, same); }),
            "cohens_d: the pooled sample has zero variance, so the standardized difference is undefined");
  EXPECT_EQ(error_of([] { (void)hedges_g_from_stats(1, 1, 2, 2, 1, 1); }),
            "hedges_g_from_stats: needs nobs1 + nobs2 > 3, got nobs1=2, nobs2=1");
  EXPECT_EQ(error_of([] { (void)cohens_h(1.2, 0.5); }), "cohens_h: prop1 must be in [0, 1], got prop1=1.2");
  EXPECT_EQ(error_of([] { (void)hedges_correction(1.0); }), "hedges_correction: df must be > 1, got df=1");
  EXPECT_EQ(error_of([] { (void)cohens_d_from_stats(1, 1, 10, 2, 1, 10, 2.0); }),
            "cohens_d_from_stats: alpha must be in (0, 1), got alpha=2");
}
