// t-tests and z-tests. Oracles: scipy 1.17.1 (stats.ttest_1samp, ttest_ind, ttest_ind_from_stats and
// their .confidence_interval()) and statsmodels 0.15.0 (statsmodels.stats.weightstats.ztest, zconfint,
// CompareMeans(DescrStatsW(x1), DescrStatsW(x2)).zconfint_diff), printed with repr(); every row names its
// call. scipy's alternative 'greater'/'less' are our larger/smaller. Rows at confidence_level 0.9999999999
// pass scipy's own alpha = 1 - confidence_level = 1.000000082740371e-10 to match it bit for bit.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/ttest.hpp"

using namespace missionkit::stats;

namespace {

using missionkit::testing::error_of;

constexpr double inf = std::numeric_limits<double>::infinity();

const std::vector<double> x1 = {
    10.656, 10.742, 13.911, 8.283,  3.456,  11.599,
    7.305,  10.421, 7.491,  12.338, 12.369, 6.031};  // np.round(rng.normal(10.0, 2.0, 12), 3)
const std::vector<double> x2 = {6.924, 7.486, 7.754, 13.176, 12.699,
                                7.574, 8.225, 8.029, 8.983};  // np.round(rng.normal(8.5, 3.5, 9), 3)
const std::vector<double> x3 = {
    999999.994,  1000000.004, 999999.996, 1000000.014,
    1000000.006, 999999.991,  999999.997};  // np.round(1e6 + rng.normal(0.0, 0.01, 7), 3)
const std::vector<double> x4 = {1.5, 2.25};
const std::vector<double> one_value = {1.0};
// rng = np.random.default_rng(20260501), drawn in the order above

// Infinite bounds compare equal; finite ones to 1e-9 relative.
void expect_bound(double got, double want, const std::string& where) {
  if (std::isinf(want)) {
    EXPECT_EQ(got, want) << where;
  } else {
    EXPECT_NEAR(got, want, 1e-9 * std::abs(want)) << where;
  }
}

}  // namespace

TEST(TTest, OneSampleMatchesScipy) {
  using a = alternative;
  struct one_case {
    const std::vector<double>* x;
    double popmean, alpha;
    alternative alt;
    double statistic, pvalue, df, low, high;
  };
  const std::vector<one_case> cases = {
      {&x1, 9.0, 0.050000000000000044, a::two_sided, 0.6235950617110771, 0.5456071422763277, 11.0,
       7.608347779281938, 11.491985554051393},  // stats.ttest_1samp(x1, 9.0, alternative='two-sided'),
                                                // .confidence_interval(0.95)
      {&x1, 9.0, 1.000000082740371e-10, a::two_sided, 0.6235950617110771, 0.5456071422763277, 11.0,
       -11.067264054273945, 30.167597387607277},  // stats.ttest_1samp(x1, 9.0, alternative='two-sided'),
                                                  // .confidence_interval(0.9999999999)
      {&x1, 9.0, 0.050000000000000044, a::larger, 0.6235950617110771, 0.27280357113816384, 11.0,
       7.9657475057570055,
       inf},  // stats.ttest_1samp(x1, 9.0, alternative='greater'), .confidence_interval(0.95)
      {&x1, 9.0, 1.000000082740371e-10, a::larger, 0.6235950617110771, 0.27280357113816384, 11.0,
       -9.784024554009484,
       inf},  // stats.ttest_1samp(x1, 9.0, alternative='greater'), .confidence_interval(0.9999999999)
      {&x1, 9.0, 0.050000000000000044, a::smaller, 0.6235950617110771, 0.7271964288618362, 11.0, -inf,
       11.134585827576327},  // stats.ttest_1samp(x1, 9.0, alternative='less'), .confidence_interval(0.95)
      {&x1, 9.0, 1.000000082740371e-10, a::smaller, 0.6235950617110771, 0.7271964288618362, 11.0, -inf,
       28.884357887342816},  // stats.ttest_1samp(x1, 9.0, alternative='less'),
                             // .confidence_interval(0.9999999999)
      {&x2, 10.0, 0.050000000000000044, a::two_sided, -1.3178481945553313, 0.22403914308141323, 8.0,
       7.204344260734857, 10.762322405931812},  // stats.ttest_1samp(x2, 10.0, alternative='two-sided'),
                                                // .confidence_interval(0.95)
      {&x2, 10.0, 1.000000082740371e-10, a::two_sided, -1.3178481945553313, 0.22403914308141323, 8.0,
       -23.947997293393904, 41.91466396006057},  // stats.ttest_1samp(x2, 10.0, alternative='two-sided'),
                                                 // .confidence_interval(0.9999999999)
      {&x2, 10.0, 0.050000000000000044, a::larger, -1.3178481945553313, 0.8879804284592934, 8.0,
       7.548767111947734,
       inf},  // stats.ttest_1samp(x2, 10.0, alternative='greater'), .confidence_interval(0.95)
      {&x2, 10.0, 1.000000082740371e-10, a::larger, -1.3178481945553313, 0.8879804284592934, 8.0,
       -21.203544113744126,
       inf},  // stats.ttest_1samp(x2, 10.0, alternative='greater'), .confidence_interval(0.9999999999)
      {&x2, 10.0, 0.050000000000000044, a::smaller, -1.3178481945553313, 0.11201957154070662, 8.0, -inf,
       10.417899554718934},  // stats.ttest_1samp(x2, 10.0, alternative='less'), .confidence_interval(0.95)
      {&x2, 10.0, 1.000000082740371e-10, a::smaller, -1.3178481945553313, 0.11201957154070662, 8.0, -inf,
       39.1702107804108},  // stats.ttest_1samp(x2, 10.0, alternative='less'),
                           // .confidence_interval(0.9999999999)
      {&x3, 1000000.0, 0.050000000000000044, a::two_sided, 0.09383021056975688, 0.9282989195330132, 6.0,
       999999.992834834, 1000000.0077365945},  // stats.ttest_1samp(x3, 1000000.0, alternative='two-sided'),
                                               // .confidence_interval(0.95)
      {&x3, 1000000.0, 1.000000082740371e-10, a::two_sided, 0.09383021056975688, 0.9282989195330132, 6.0,
       999999.7151773965, 1000000.285394032},  // stats.ttest_1samp(x3, 1000000.0, alternative='two-sided'),
                                               // .confidence_interval(0.9999999999)
      {&x3, 1000000.0, 0.050000000000000044, a::larger, 0.09383021056975688, 0.4641494597665066, 6.0,
       999999.9943687036,
       inf},  // stats.ttest_1samp(x3, 1000000.0, alternative='greater'), .confidence_interval(0.95)
      {&x3, 1000000.0, 1.000000082740371e-10, a::larger, 0.09383021056975688, 0.4641494597665066, 6.0,
       999999.7463028469,
       inf},  // stats.ttest_1samp(x3, 1000000.0, alternative='greater'), .confidence_interval(0.9999999999)
      {&x3, 1000000.0, 0.050000000000000044, a::smaller, 0.09383021056975688, 0.5358505402334934, 6.0, -inf,
       1000000.006202725},  // stats.ttest_1samp(x3, 1000000.0, alternative='less'),
                            // .confidence_interval(0.95)
      {&x3, 1000000.0, 1.000000082740371e-10, a::smaller, 0.09383021056975688, 0.5358505402334934, 6.0, -inf,
       1000000.2542685816},  // stats.ttest_1samp(x3, 1000000.0, alternative='less'),
                             // .confidence_interval(0.9999999999)
      {&x4, 0.0, 0.050000000000000044, a::two_sided, 5.0, 0.1256659163780024, 1.0, -2.88982677606551,
       6.63982677606551},  // stats.ttest_1samp(x4, 0.0, alternative='two-sided'), .confidence_interval(0.95)
      {&x4, 0.0, 1.000000082740371e-10, a::two_sided, 5.0, 0.1256659163780024, 1.0, -2387323946.975361,
       2387323950.725361},  // stats.ttest_1samp(x4, 0.0, alternative='two-sided'),
                            // .confidence_interval(0.9999999999)
      {&x4, 0.0, 0.050000000000000044, a::larger, 5.0, 0.0628329581890012, 1.0, -0.49265681800313876,
       inf},  // stats.ttest_1samp(x4, 0.0, alternative='greater'), .confidence_interval(0.95)
      {&x4, 0.0, 1.000000082740371e-10, a::larger, 5.0, 0.0628329581890012, 1.0, -1193661972.5501804,
       inf},  // stats.ttest_1samp(x4, 0.0, alternative='greater'), .confidence_interval(0.9999999999)
      {&x4, 0.0, 0.050000000000000044, a::smaller, 5.0, 0.9371670418109987, 1.0, -inf,
       4.242656818003139},  // stats.ttest_1samp(x4, 0.0, alternative='less'), .confidence_interval(0.95)
      {&x4, 0.0, 1.000000082740371e-10, a::smaller, 5.0, 0.9371670418109987, 1.0, -inf,
       1193661976.3001804},  // stats.ttest_1samp(x4, 0.0, alternative='less'),
                             // .confidence_interval(0.9999999999)
  };
  int row = 0;
  for (const auto& c : cases) {
    const auto r = ttest_1samp(*c.x, c.popmean, c.alpha, c.alt);
    const std::string w = "row " + std::to_string(row++);
    // x3 sits at 1e6 with a spread of 0.01, where a one-pass variance would lose about 8 digits; the
    // corrected two-pass variance keeps the house tolerance there too.
    const double tol = 1e-9;
    EXPECT_NEAR(r.statistic, c.statistic, tol * std::abs(c.statistic)) << w;
    EXPECT_NEAR(r.pvalue, c.pvalue, tol * std::abs(c.pvalue)) << w;
    EXPECT_EQ(r.df, c.df) << w;
    expect_bound(r.ci_low, c.low, w);
    expect_bound(r.ci_high, c.high, w);
  }
}

TEST(TTest, TwoSampleMatchesScipy) {
  using a = alternative;
  struct ind_case {
    const std::vector<double>* x1;
    const std::vector<double>* x2;
    bool equal_var;
    alternative alt;
    double statistic, pvalue, df, low, high;
  };
  const std::vector<ind_case> cases = {
      {&x1, &x2, true, a::two_sided, 0.4643668918895383, 0.6476617119176887, 19.0, -1.5438471058824832,
       2.677513772549144},  // stats.ttest_ind(x1, x2, equal_var=True, alternative='two-sided'),
                            // .confidence_interval(0.9)
      {&x1, &x2, true, a::larger, 0.4643668918895383, 0.32383085595884437, 19.0, -1.0538692180931388,
       inf},  // stats.ttest_ind(x1, x2, equal_var=True, alternative='greater'), .confidence_interval(0.9)
      {&x1, &x2, true, a::smaller, 0.4643668918895383, 0.6761691440411557, 19.0, -inf,
       2.187535884759802},  // stats.ttest_ind(x1, x2, equal_var=True, alternative='less'),
                            // .confidence_interval(0.9)
      {&x1, &x2, false, a::two_sided, 0.4836583738437656, 0.6341589317787384, 18.988307554146754,
       -1.4597231429681337, 2.593389809634796},  // stats.ttest_ind(x1, x2, equal_var=False,
                                                 // alternative='two-sided'), .confidence_interval(0.9)
      {&x1, &x2, false, a::larger, 0.4836583738437656, 0.3170794658893692, 18.988307554146754,
       -0.9892594457501667,
       inf},  // stats.ttest_ind(x1, x2, equal_var=False, alternative='greater'), .confidence_interval(0.9)
      {&x1, &x2, false, a::smaller, 0.4836583738437656, 0.6829205341106308, 18.988307554146754, -inf,
       2.1229261124168297},  // stats.ttest_ind(x1, x2, equal_var=False, alternative='less'),
                             // .confidence_interval(0.9)
      {&x2, &x1, true, a::two_sided, -0.4643668918895383, 0.6476617119176887, 19.0, -2.6775137725491462,
       1.543847105882481},  // stats.ttest_ind(x2, x1, equal_var=True, alternative='two-sided'),
                            // .confidence_interval(0.9)
      {&x2, &x1, true, a::larger, -0.4643668918895383, 0.6761691440411557, 19.0, -2.187535884759802,
       inf},  // stats.ttest_ind(x2, x1, equal_var=True, alternative='greater'), .confidence_interval(0.9)
      {&x2, &x1, true, a::smaller, -0.4643668918895383, 0.32383085595884437, 19.0, -inf,
       1.0538692180931388},  // stats.ttest_ind(x2, x1, equal_var=True, alternative='less'),
                             // .confidence_interval(0.9)
      {&x2, &x1, false, a::two_sided, -0.4836583738437656, 0.6341589317787384, 18.988307554146754,
       -2.5933898096347967, 1.4597231429681328},  // stats.ttest_ind(x2, x1, equal_var=False,
                                                  // alternative='two-sided'), .confidence_interval(0.9)
      {&x2, &x1, false, a::larger, -0.4836583738437656, 0.6829205341106308, 18.988307554146754,
       -2.1229261124168297,
       inf},  // stats.ttest_ind(x2, x1, equal_var=False, alternative='greater'), .confidence_interval(0.9)
      {&x2, &x1, false, a::smaller, -0.4836583738437656, 0.3170794658893692, 18.988307554146754, -inf,
       0.9892594457501667},  // stats.ttest_ind(x2, x1, equal_var=False, alternative='less'),
                             // .confidence_interval(0.9)
      {&x1, &x4, true, a::two_sided, 3.429634710895714, 0.0049890226493965115, 12.0, 3.686592025152775,
       11.663741308180555},  // stats.ttest_ind(x1, x4, equal_var=True, alternative='two-sided'),
                             // .confidence_interval(0.9)
      {&x1, &x4, true, a::larger, 3.429634710895714, 0.0024945113246982557, 12.0, 4.640092977395579,
       inf},  // stats.ttest_ind(x1, x4, equal_var=True, alternative='greater'), .confidence_interval(0.9)
      {&x1, &x4, true, a::smaller, 3.429634710895714, 0.9975054886753018, 12.0, -inf,
       10.710240355937753},  // stats.ttest_ind(x1, x4, equal_var=True, alternative='less'),
                             // .confidence_interval(0.9)
      {&x1, &x4, false, a::two_sided, 8.006311047488985, 5.525572418236673e-06, 11.282704163201421,
       5.957499352173081, 9.39283398116025},  // stats.ttest_ind(x1, x4, equal_var=False,
                                              // alternative='two-sided'), .confidence_interval(0.9)
      {&x1, &x4, false, a::larger, 8.006311047488985, 2.7627862091183363e-06, 11.282704163201421,
       6.370214900627861,
       inf},  // stats.ttest_ind(x1, x4, equal_var=False, alternative='greater'), .confidence_interval(0.9)
      {&x1, &x4, false, a::smaller, 8.006311047488985, 0.9999972372137909, 11.282704163201421, -inf,
       8.98011843270547},  // stats.ttest_ind(x1, x4, equal_var=False, alternative='less'),
                           // .confidence_interval(0.9)
  };
  int row = 0;
  for (const auto& c : cases) {
    const auto r = ttest_ind(*c.x1, *c.x2, c.equal_var, 0.1, c.alt);
    const std::string w = "row " + std::to_string(row++);
    MK_EXPECT_REL(r.statistic, c.statistic, 1e-9) << w;
    MK_EXPECT_REL(r.pvalue, c.pvalue, 1e-9) << w;
    MK_EXPECT_REL(r.df, c.df, 1e-12) << w;
    expect_bound(r.ci_low, c.low, w);
    expect_bound(r.ci_high, c.high, w);
  }
}

TEST(TTest, FromStatsMatchesScipy) {
  struct stats_case {
    double m1, s1, n1, m2, s2, n2;
    bool equal_var;
    double statistic, pvalue, df, low, high;
  };
  const std::vector<stats_case> cases = {
      {9.550166666666666, 3.0562032248388116, 12.0, 8.983333333333334, 2.314378858354872, 9.0, true,
       0.4643668918895383, 0.6476617119176887, 19.0, -1.9880339972801546,
       3.1217006639468177},  // stats.ttest_ind_from_stats(x1.mean(), x1.std(ddof=1), 12, x2.mean(),
                             // x2.std(ddof=1), 9, equal_var=True); df, CI from stats.ttest_ind(x1, x2,
                             // equal_var=True).confidence_interval(0.95)
      {9.550166666666666, 3.0562032248388116, 12.0, 8.983333333333334, 2.314378858354872, 9.0, false,
       0.4836583738437656, 0.6341589317787385, 18.988307554146754, -1.8862312947884639,
       3.019897961455127},  // stats.ttest_ind_from_stats(x1.mean(), x1.std(ddof=1), 12, x2.mean(),
                            // x2.std(ddof=1), 9, equal_var=False); df, CI from stats.ttest_ind(x1, x2,
                            // equal_var=False).confidence_interval(0.95)
      {9.550166666666666, 3.0562032248388116, 12.0, 1.875, 0.5303300858899106, 2.0, true, 3.429634710895714,
       0.0049890226493965115, 12.0, 2.7992096004401805,
       12.551123732893151},  // stats.ttest_ind_from_stats(x1.mean(), x1.std(ddof=1), 12, x4.mean(),
                             // x4.std(ddof=1), 2, equal_var=True); df, CI from stats.ttest_ind(x1, x4,
                             // equal_var=True).confidence_interval(0.95)
      {9.550166666666666, 3.0562032248388116, 12.0, 1.875, 0.5303300858899106, 2.0, false, 8.006311047488985,
       5.525572418236673e-06, 11.282704163201421, 5.571647484095024,
       9.778685849238308},  // stats.ttest_ind_from_stats(x1.mean(), x1.std(ddof=1), 12, x4.mean(),
                            // x4.std(ddof=1), 2, equal_var=False); df, CI from stats.ttest_ind(x1, x4,
                            // equal_var=False).confidence_interval(0.95)
  };
  for (const auto& c : cases) {
    const auto r = ttest_ind_from_stats(c.m1, c.s1, c.n1, c.m2, c.s2, c.n2, c.equal_var);
    MK_EXPECT_REL(r.statistic, c.statistic, 1e-9);
    MK_EXPECT_REL(r.pvalue, c.pvalue, 1e-9);
    MK_EXPECT_REL(r.df, c.df, 1e-12);
    MK_EXPECT_REL(r.ci_low, c.low, 1e-9);
    MK_EXPECT_REL(r.ci_high, c.high, 1e-9);
  }
}

TEST(TTest, ZTestsMatchStatsmodels) {
  using a = alternative;
  struct z_case {
    const std::vector<double>* x1;
    const std::vector<double>* x2;  // nullptr: one-sample
    double value;
    bool pooled;
    alternative alt;
    double statistic, pvalue, low, high;
  };
  const std::vector<z_case> cases = {
      {&x1, nullptr, 9.0, true, a::two_sided, 0.6235950617110771, 0.5328935545698261, 7.820988681834071,
       11.27934465149926},  // ztest(x1, value=9.0, alternative='two-sided'); zconfint(x1, alpha=0.05,
                            // alternative='two-sided')
      {&x1, nullptr, 9.0, true, a::larger, 0.6235950617110771, 0.26644677728491306, 8.098994756146078,
       inf},  // ztest(x1, value=9.0, alternative='larger'); zconfint(x1, alpha=0.05, alternative='larger')
      {&x1, nullptr, 9.0, true, a::smaller, 0.6235950617110771, 0.7335532227150869, -inf,
       11.001338577187251},  // ztest(x1, value=9.0, alternative='smaller'); zconfint(x1, alpha=0.05,
                             // alternative='smaller')
      {&x2, nullptr, 10.0, true, a::two_sided, -1.3178481945553313, 0.1875544707799115, 7.471300263681176,
       10.495366402985493},  // ztest(x2, value=10.0, alternative='two-sided'); zconfint(x2, alpha=0.05,
                             // alternative='two-sided')
      {&x2, nullptr, 10.0, true, a::larger, -1.3178481945553313, 0.9062227646100443, 7.714395180231728,
       inf},  // ztest(x2, value=10.0, alternative='larger'); zconfint(x2, alpha=0.05, alternative='larger')
      {&x2, nullptr, 10.0, true, a::smaller, -1.3178481945553313, 0.09377723538995575, -inf,
       10.25227148643494},  // ztest(x2, value=10.0, alternative='smaller'); zconfint(x2, alpha=0.05,
                            // alternative='smaller')
      {&x1, &x2, 0.5, true, a::two_sided, 0.05475187405107333, 0.9563361417927957, -1.8256131092834065,
       2.9592797759500695},  // ztest(x1, x2, value=0.5, alternative='two-sided', usevar='pooled');
                             // CompareMeans(DescrStatsW(x1), DescrStatsW(x2)).zconfint_diff(alpha=0.05,
                             // alternative='two-sided', usevar='pooled')
      {&x1, &x2, 0.5, false, a::two_sided, 0.05702646513123945, 0.9545241133143455, -1.7301865853768752,
       2.8638532520435382},  // ztest(x1, x2, value=0.5, alternative='two-sided', usevar='unequal');
                             // CompareMeans(DescrStatsW(x1), DescrStatsW(x2)).zconfint_diff(alpha=0.05,
                             // alternative='two-sided', usevar='unequal')
      {&x1, &x2, 0.5, true, a::larger, 0.05475187405107333, 0.47816807089639785, -1.4409710138209206,
       inf},  // ztest(x1, x2, value=0.5, alternative='larger', usevar='pooled');
              // CompareMeans(DescrStatsW(x1), DescrStatsW(x2)).zconfint_diff(alpha=0.05,
              // alternative='larger', usevar='pooled')
      {&x1, &x2, 0.5, false, a::larger, 0.05702646513123945, 0.47726205665717275, -1.3608865504363223,
       inf},  // ztest(x1, x2, value=0.5, alternative='larger', usevar='unequal');
              // CompareMeans(DescrStatsW(x1), DescrStatsW(x2)).zconfint_diff(alpha=0.05,
              // alternative='larger', usevar='unequal')
      {&x1, &x2, 0.5, true, a::smaller, 0.05475187405107333, 0.5218319291036022, -inf,
       2.574637680487583},  // ztest(x1, x2, value=0.5, alternative='smaller', usevar='pooled');
                            // CompareMeans(DescrStatsW(x1), DescrStatsW(x2)).zconfint_diff(alpha=0.05,
                            // alternative='smaller', usevar='pooled')
      {&x1, &x2, 0.5, false, a::smaller, 0.05702646513123945, 0.5227379433428273, -inf,
       2.4945532171029843},  // ztest(x1, x2, value=0.5, alternative='smaller', usevar='unequal');
                             // CompareMeans(DescrStatsW(x1), DescrStatsW(x2)).zconfint_diff(alpha=0.05,
                             // alternative='smaller', usevar='unequal')
  };
  int row = 0;
  for (const auto& c : cases) {
    const auto r = c.x2 == nullptr ? ztest(*c.x1, c.value, 0.05, c.alt)
                                   : ztest_ind(*c.x1, *c.x2, c.value, c.pooled, 0.05, c.alt);
    const std::string w = "row " + std::to_string(row++);
    MK_EXPECT_REL(r.statistic, c.statistic, 1e-9) << w;
    MK_EXPECT_REL(r.pvalue, c.pvalue, 1e-9) << w;
    EXPECT_EQ(r.df, inf) << w;
    expect_bound(r.ci_low, c.low, w);
    expect_bound(r.ci_high, c.high, w);
  }
}

TEST(TTest, ErrorsAreClear) {
  const std::vector<double> same = {3.0, 3.0, 3.0};
  const std::vector<double> one = {1.0};
  const std::vector<double> with_nan = {1.0, std::numeric_limits<double>::quiet_NaN(), 2.0};
  EXPECT_EQ(error_of([&] { (void)ttest_1samp(same); }),
            "ttest_1samp: x (all values equal 3) has zero variance, so the test statistic is undefined");
  EXPECT_EQ(error_of([&] { (void)ttest_ind(same, same); }),
            "ttest_ind: the pooled sample has zero variance, so the test statistic is undefined");
  EXPECT_EQ(error_of([&] { (void)ttest_1samp(one); }), "ttest_1samp: x needs at least 2 observations, got 1");
  EXPECT_EQ(error_of([&] { (void)ttest_1samp(with_nan); }),
            "ttest_1samp: x[1] is nan; drop or impute missing values first");
  EXPECT_EQ(error_of([&] { (void)ttest_ind(x1, with_nan); }),
            "ttest_ind: x2[1] is nan; drop or impute missing values first");
  EXPECT_EQ(
      error_of([&] { (void)ttest_ind(one, x2, false); }),
      "ttest_ind: Welch's test (equal_var=false) needs at least 2 observations per sample, got nobs1=1, "
      "nobs2=9");
  EXPECT_EQ(error_of([&] { (void)ttest_ind(one, one); }),
            "ttest_ind: the pooled test needs nobs1 + nobs2 > 2, got nobs1=1, nobs2=1");
  EXPECT_EQ(error_of([&] { (void)ttest_1samp(x1, 0.0, 0.0); }),
            "ttest_1samp: alpha must be in (0, 1), got alpha=0");
  EXPECT_EQ(error_of([&] { (void)ttest_ind_from_stats(1, -1, 5, 2, 1, 5); }),
            "ttest_ind_from_stats: std1 must be >= 0, got std1=-1");
  EXPECT_EQ(error_of([&] { (void)ttest_ind_from_stats(1, 1, 0.5, 2, 1, 5); }),
            "ttest_ind_from_stats: nobs1 must be >= 1, got nobs1=0.5");
  EXPECT_EQ(error_of([&] { (void)ttest_ind_from_stats(1, 0, 5, 2, 0, 5); }),
            "ttest_ind_from_stats: the pooled sample has zero variance, so the test statistic is undefined");
  EXPECT_EQ(error_of([&] { (void)ztest(std::vector<double>{}); }), "ztest: x is empty");
}

TEST(TTest, SingletonSampleInPooledTest) {
  // A sample of one has no variance of its own but the pooled test is defined (scipy gives the same):
  // stats.ttest_ind([1.0], x4) -> statistic, pvalue below.
  const auto r = ttest_ind(one_value, x4);
  MK_EXPECT_REL(r.statistic, -1.3471506281091268, 1e-9);
  MK_EXPECT_REL(r.pvalue, 0.4065197283736607, 1e-9);
  EXPECT_EQ(r.df, 1.0);
}
