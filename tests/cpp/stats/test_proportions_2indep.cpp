// Two independent proportions. Oracles:
// - statsmodels 0.15.0: cp = statsmodels.stats.proportion.confint_proportions_2indep and
//   st = statsmodels.stats.proportion.score_test_proportions_2indep (default correction=True), printed
//   with repr(); each row names its call.
// - For the Miettinen–Nurminen interval of p1 - p2 statsmodels is not an oracle: its restricted MLE for
//   compare="diff" has count0 where the likelihood cubic has nobs0 (see src/stats/proportions_2indep.cpp;
//   statsmodels' own test accepts 0.002 disagreement with R). The rows marked mn_ci/z_mn come from an
//   independent scipy implementation: restricted MLE by scipy.optimize.brentq on the derivative of the
//   constrained log-likelihood, MN variance with N/(N-1), bounds by brentq on z(delta) = -+crit, all at
//   xtol=1e-16, rtol=1e-15 (mn_ci(x1, n1, x2, n2, alpha) in the row comments). It reproduces R's
//   PropCIs::diffscoreci(7, 34, 1, 34, 0.95) = (0.0270416, 0.3452912) to the 7 digits R prints.
// - Where statsmodels' own interval solver fails (bad brackets) but its score test is right (ratio and
//   odds ratio), rows invert st with scipy brentq, as written in the row comment.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/proportions_2indep.hpp"

using namespace missionkit::stats;

namespace {

using missionkit::testing::error_of;

constexpr double inf = std::numeric_limits<double>::infinity();

struct diff_case {
  double c1, n1, c2, n2, alpha;
  diff_ci_method method;
  double low, high;
};

struct ratio_case {
  double c1, n1, c2, n2, alpha;
  ratio_ci_method method;
  double low, high;
};

std::string where(double c1, double n1, double c2, double n2, double alpha, int method) {
  return "(" + std::to_string(c1) + ", " + std::to_string(n1) + ", " + std::to_string(c2) + ", " +
         std::to_string(n2) + ") alpha=" + std::to_string(alpha) + " method=" + std::to_string(method);
}

}  // namespace

TEST(PropDiffCi, WaldNewcombeAgrestiCaffoMatchStatsmodels) {
  using m = diff_ci_method;
  const std::vector<diff_case> cases = {
      {15.0, 40.0, 8.0, 45.0, 0.05, m::wald, 0.01017489644285316,
       0.3842695480015913},  // cp(15, 40, 8, 45), method="wald", compare="diff", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::wald, 0.040247158064617844,
       0.3541972863798266},  // cp(15, 40, 8, 45), method="wald", compare="diff", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::wald, -0.269606710745955,
       0.6640511551903995},  // cp(15, 40, 8, 45), method="wald", compare="diff", alpha=1e-06
      {0.0, 10.0, 5.0, 10.0, 0.05, m::wald, -0.8098975161522808,
       -0.19010248384771916},  // cp(0, 10, 5, 10), method="wald", compare="diff", alpha=0.05
      {0.0, 10.0, 5.0, 10.0, 0.1, m::wald, -0.7600741939377789,
       -0.2399258060622212},  // cp(0, 10, 5, 10), method="wald", compare="diff", alpha=0.1
      {0.0, 10.0, 5.0, 10.0, 1e-06, m::wald, -1.273435953666088,
       0.27343595366608797},  // cp(0, 10, 5, 10), method="wald", compare="diff", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::wald, -0.001915024992840987,
       0.005915024992840987},  // cp(3, 1000, 1, 1000), method="wald", compare="diff", alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::wald, -0.0012855925465341416,
       0.005285592546534141},  // cp(3, 1000, 1, 1000), method="wald", compare="diff", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::wald, -0.007771040202453882,
       0.011771040202453882},  // cp(3, 1000, 1, 1000), method="wald", compare="diff", alpha=1e-06
      {1.0, 1.0, 0.0, 1.0, 0.05, m::wald, 1.0,
       1.0},  // cp(1, 1, 0, 1), method="wald", compare="diff", alpha=0.05
      {1.0, 1.0, 0.0, 1.0, 0.1, m::wald, 1.0,
       1.0},  // cp(1, 1, 0, 1), method="wald", compare="diff", alpha=0.1
      {1.0, 1.0, 0.0, 1.0, 1e-06, m::wald, 1.0,
       1.0},  // cp(1, 1, 0, 1), method="wald", compare="diff", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::wald, -0.13859038243496782,
       0.13859038243496782},  // cp(50, 100, 50, 100), method="wald", compare="diff", alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::wald, -0.11630871536766742,
       0.11630871536766742},  // cp(50, 100, 50, 100), method="wald", compare="diff", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::wald, -0.34589107372795,
       0.34589107372795},  // cp(50, 100, 50, 100), method="wald", compare="diff", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::wald, -0.4164432211646941,
       0.1564432211646941},  // cp(7, 20, 12, 25), method="wald", compare="diff", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::wald, -0.3703907290974924,
       0.1103907290974924},  // cp(7, 20, 12, 25), method="wald", compare="diff", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::wald, -0.8448991985590355,
       0.5848991985590355},  // cp(7, 20, 12, 25), method="wald", compare="diff", alpha=1e-06
      {10.0, 10.0, 0.0, 10.0, 0.05, m::wald, 1.0,
       1.0},  // cp(10, 10, 0, 10), method="wald", compare="diff", alpha=0.05
      {10.0, 10.0, 0.0, 10.0, 0.1, m::wald, 1.0,
       1.0},  // cp(10, 10, 0, 10), method="wald", compare="diff", alpha=0.1
      {10.0, 10.0, 0.0, 10.0, 1e-06, m::wald, 1.0,
       1.0},  // cp(10, 10, 0, 10), method="wald", compare="diff", alpha=1e-06
      {0.0, 12.0, 0.0, 9.0, 0.05, m::wald, 0.0,
       0.0},  // cp(0, 12, 0, 9), method="wald", compare="diff", alpha=0.05
      {0.0, 12.0, 0.0, 9.0, 0.1, m::wald, 0.0,
       0.0},  // cp(0, 12, 0, 9), method="wald", compare="diff", alpha=0.1
      {0.0, 12.0, 0.0, 9.0, 1e-06, m::wald, 0.0,
       0.0},  // cp(0, 12, 0, 9), method="wald", compare="diff", alpha=1e-06
      {4.0, 4.0, 2.0, 6.0, 0.05, m::wald, 0.2894714219746094,
       1.0438619113587242},  // cp(4, 4, 2, 6), method="wald", compare="diff", alpha=0.05
      {4.0, 4.0, 2.0, 6.0, 0.1, m::wald, 0.35011443856734503,
       0.9832188947659884},  // cp(4, 4, 2, 6), method="wald", compare="diff", alpha=0.1
      {4.0, 4.0, 2.0, 6.0, 1e-06, m::wald, -0.2747295969076373,
       1.6080629302409708},  // cp(4, 4, 2, 6), method="wald", compare="diff", alpha=1e-06
      {15.0, 40.0, 8.0, 45.0, 0.05, m::newcombe, 0.0075020978330069266,
       0.37363461279429355},  // cp(15, 40, 8, 45), method="newcomb", compare="diff", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::newcombe, 0.03787418616590418,
       0.3471278777364819},  // cp(15, 40, 8, 45), method="newcomb", compare="diff", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::newcombe, -0.24558579614310208,
       0.5709396764061662},  // cp(15, 40, 8, 45), method="newcomb", compare="diff", alpha=1e-06
      {0.0, 10.0, 5.0, 10.0, 0.05, m::newcombe, -0.7634069094874361,
       -0.11736746745022203},  // cp(0, 10, 5, 10), method="newcomb", compare="diff", alpha=0.05
      {0.0, 10.0, 5.0, 10.0, 0.1, m::newcombe, -0.7307281788617328,
       -0.18602583682115748},  // cp(0, 10, 5, 10), method="newcomb", compare="diff", alpha=0.1
      {0.0, 10.0, 5.0, 10.0, 1e-06, m::newcombe, -0.919898588024957,
       0.3207956506288421},  // cp(0, 10, 5, 10), method="newcomb", compare="diff", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::newcombe, -0.0030468452305013154,
       0.007841346370721765},  // cp(3, 1000, 1, 1000), method="newcomb", compare="diff", alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::newcombe, -0.0019090347065389666,
       0.006549314765275992},  // cp(3, 1000, 1, 1000), method="newcomb", compare="diff", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::newcombe, -0.022432798648916653,
       0.02794267744469977},  // cp(3, 1000, 1, 1000), method="newcomb", compare="diff", alpha=1e-06
      {1.0, 1.0, 0.0, 1.0, 0.05, m::newcombe, -0.12210872068194178,
       1.0},  // cp(1, 1, 0, 1), method="newcomb", compare="diff", alpha=0.05
      {1.0, 1.0, 0.0, 1.0, 0.1, m::newcombe, -0.03256547758000283,
       1.0},  // cp(1, 1, 0, 1), method="newcomb", compare="diff", alpha=0.1
      {1.0, 1.0, 0.0, 1.0, 1e-06, m::newcombe, -0.3574819208951123,
       1.0},  // cp(1, 1, 0, 1), method="newcomb", compare="diff", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::newcombe, -0.13600275402907416,
       0.13600275402907416},  // cp(50, 100, 50, 100), method="newcomb", compare="diff", alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::newcombe, -0.11476654735412746,
       0.11476654735412746},  // cp(50, 100, 50, 100), method="newcomb", compare="diff", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::newcombe, -0.3107094137528614,
       0.3107094137528614},  // cp(50, 100, 50, 100), method="newcomb", compare="diff", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::newcombe, -0.3804529651530275,
       0.1518505518890778},  // cp(7, 20, 12, 25), method="newcomb", compare="diff", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::newcombe, -0.34637681236034656,
       0.10966570952103297},  // cp(7, 20, 12, 25), method="newcomb", compare="diff", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::newcombe, -0.5853168165868607,
       0.42834449578005673},  // cp(7, 20, 12, 25), method="newcomb", compare="diff", alpha=1e-06
      {10.0, 10.0, 0.0, 10.0, 0.05, m::newcombe, 0.6075093504305241,
       1.0},  // cp(10, 10, 0, 10), method="newcomb", compare="diff", alpha=0.05
      {10.0, 10.0, 0.0, 10.0, 0.1, m::newcombe, 0.6988545779095998,
       1.0},  // cp(10, 10, 0, 10), method="newcomb", compare="diff", alpha=0.1
      {10.0, 10.0, 0.0, 10.0, 1e-06, m::newcombe, 0.002612737332312154,
       1.0},  // cp(10, 10, 0, 10), method="newcomb", compare="diff", alpha=1e-06
      {0.0, 12.0, 0.0, 9.0, 0.05, m::newcombe, -0.29914504841954415,
       0.24249400665524096},  // cp(0, 12, 0, 9), method="newcomb", compare="diff", alpha=0.05
      {0.0, 12.0, 0.0, 9.0, 0.1, m::newcombe, -0.23113351931975679,
       0.18398119474747707},  // cp(0, 12, 0, 9), method="newcomb", compare="diff", alpha=0.1
      {0.0, 12.0, 0.0, 9.0, 1e-06, m::newcombe, -0.7266774388259548,
       0.6659998444198394},  // cp(0, 12, 0, 9), method="newcomb", compare="diff", alpha=1e-06
      {4.0, 4.0, 2.0, 6.0, 0.05, m::newcombe, 0.05474969651208528,
       0.9032285888942196},  // cp(4, 4, 2, 6), method="newcomb", compare="diff", alpha=0.05
      {4.0, 4.0, 2.0, 6.0, 0.1, m::newcombe, 0.1519120280709858,
       0.8827239058977105},  // cp(4, 4, 2, 6), method="newcomb", compare="diff", alpha=0.1
      {4.0, 4.0, 2.0, 6.0, 1e-06, m::newcombe, -0.36535209502029775,
       0.9754851891120466},  // cp(4, 4, 2, 6), method="newcomb", compare="diff", alpha=1e-06
      {15.0, 40.0, 8.0, 45.0, 0.05, m::agresti_caffo, 0.004466793833853455,
       0.3744592446666531},  // cp(15, 40, 8, 45), method="agresti-caffo", compare="diff", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::agresti_caffo, 0.03420929277940399,
       0.34471674572110256},  // cp(15, 40, 8, 45), method="agresti-caffo", compare="diff", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::agresti_caffo, -0.2722468189120191,
       0.6511728574125256},  // cp(15, 40, 8, 45), method="agresti-caffo", compare="diff", alpha=1e-06
      {0.0, 10.0, 5.0, 10.0, 0.05, m::agresti_caffo, -0.7399067059819793,
       -0.09342662735135415},  // cp(0, 10, 5, 10), method="agresti-caffo", compare="diff", alpha=0.05
      {0.0, 10.0, 5.0, 10.0, 0.1, m::agresti_caffo, -0.6879382590212062,
       -0.14539507431212723},  // cp(0, 10, 5, 10), method="agresti-caffo", compare="diff", alpha=0.1
      {0.0, 10.0, 5.0, 10.0, 1e-06, m::agresti_caffo, -1.2234026198133583,
       0.39006928648002487},  // cp(0, 10, 5, 10), method="agresti-caffo", compare="diff", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::agresti_caffo, -0.002787344786008645,
       0.006779360754072517},  // cp(3, 1000, 1, 1000), method="agresti-caffo", compare="diff", alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::agresti_caffo, -0.002018308204862724,
       0.006010324172926596},  // cp(3, 1000, 1, 1000), method="agresti-caffo", compare="diff", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::agresti_caffo, -0.009942187124313821,
       0.013934203092377695},  // cp(3, 1000, 1, 1000), method="agresti-caffo", compare="diff", alpha=1e-06
      {1.0, 1.0, 0.0, 1.0, 0.05, m::agresti_caffo, -0.42105715605078137,
       1.087723822717448},  // cp(1, 1, 0, 1), method="agresti-caffo", compare="diff", alpha=0.05
      {1.0, 1.0, 0.0, 1.0, 0.1, m::agresti_caffo, -0.2997711228653101,
       0.9664377895319767},  // cp(1, 1, 0, 1), method="agresti-caffo", compare="diff", alpha=0.1
      {1.0, 1.0, 0.0, 1.0, 1e-06, m::agresti_caffo, -1.5494591938152749,
       2.2161258604819416},  // cp(1, 1, 0, 1), method="agresti-caffo", compare="diff", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::agresti_caffo, -0.137224926648181,
       0.137224926648181},  // cp(50, 100, 50, 100), method="agresti-caffo", compare="diff", alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::agresti_caffo, -0.11516278874806925,
       0.11516278874806925},  // cp(50, 100, 50, 100), method="agresti-caffo", compare="diff", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::agresti_caffo, -0.3424831967892934,
       0.3424831967892934},  // cp(50, 100, 50, 100), method="agresti-caffo", compare="diff", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::agresti_caffo, -0.3933923909931648,
       0.1577021553029292},  // cp(7, 20, 12, 25), method="agresti-caffo", compare="diff", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::agresti_caffo, -0.3490916791131883,
       0.11340144342295269},  // cp(7, 20, 12, 25), method="agresti-caffo", compare="diff", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::agresti_caffo, -0.805550429696102,
       0.5698601940058665},  // cp(7, 20, 12, 25), method="agresti-caffo", compare="diff", alpha=1e-06
      {10.0, 10.0, 0.0, 10.0, 0.05, m::agresti_caffo, 0.6121830183040732,
       1.0544836483625932},  // cp(10, 10, 0, 10), method="agresti-caffo", compare="diff", alpha=0.05
      {10.0, 10.0, 0.0, 10.0, 0.1, m::agresti_caffo, 0.6477381383977983,
       1.0189285282688683},  // cp(10, 10, 0, 10), method="agresti-caffo", compare="diff", alpha=0.1
      {10.0, 10.0, 0.0, 10.0, 1e-06, m::agresti_caffo, 0.2813908494698574,
       1.3852758171968091},  // cp(10, 10, 0, 10), method="agresti-caffo", compare="diff", alpha=1e-06
      {0.0, 12.0, 0.0, 9.0, 0.05, m::agresti_caffo, -0.2364154863208552,
       0.19745444735981624},  // cp(0, 12, 0, 9), method="agresti-caffo", compare="diff", alpha=0.05
      {0.0, 12.0, 0.0, 9.0, 0.1, m::agresti_caffo, -0.20153808269827436,
       0.1625770437372354},  // cp(0, 12, 0, 9), method="agresti-caffo", compare="diff", alpha=0.1
      {0.0, 12.0, 0.0, 9.0, 1e-06, m::agresti_caffo, -0.5609024225822792,
       0.5219413836212401},  // cp(0, 12, 0, 9), method="agresti-caffo", compare="diff", alpha=1e-06
      {4.0, 4.0, 2.0, 6.0, 0.05, m::agresti_caffo, 0.009484364554344926,
       0.9071823021123218},  // cp(4, 4, 2, 6), method="agresti-caffo", compare="diff", alpha=0.05
      {4.0, 4.0, 2.0, 6.0, 0.1, m::agresti_caffo, 0.08164740437081591,
       0.8350192622958508},  // cp(4, 4, 2, 6), method="agresti-caffo", compare="diff", alpha=0.1
      {4.0, 4.0, 2.0, 6.0, 1e-06, m::agresti_caffo, -0.6618948457432222,
       1.5785615124098888},  // cp(4, 4, 2, 6), method="agresti-caffo", compare="diff", alpha=1e-06
  };
  for (const auto& c : cases) {
    const auto ci = diff_proportions_ci(c.c1, c.n1, c.c2, c.n2, c.alpha, c.method);
    const auto w = where(c.c1, c.n1, c.c2, c.n2, c.alpha, static_cast<int>(c.method));
    // Closed forms: rounding-level agreement. Absolute floor 1e-15 for bounds that are 0 up to rounding.
    EXPECT_NEAR(ci.low, c.low, 1e-9 * std::abs(c.low) + 1e-15) << w;
    EXPECT_NEAR(ci.high, c.high, 1e-9 * std::abs(c.high) + 1e-15) << w;
  }
}

TEST(PropDiffCi, MiettinenNurminenScoreMatchesIndependentOracle) {
  struct mn_case {
    double c1, n1, c2, n2, alpha, low, high;
  };
  const std::vector<mn_case> cases = {
      {15.0, 40.0, 8.0, 45.0, 0.05, 0.006967050880667075, 0.38108254095706984},  // mn_ci(15, 40, 8, 45, 0.05)
      {15.0, 40.0, 8.0, 45.0, 1e-06, -0.27643695626103826,
       0.6089215201769071},                                                     // mn_ci(15, 40, 8, 45, 1e-06)
      {0.0, 10.0, 5.0, 10.0, 0.05, -0.7682973822468325, -0.14667799999622264},  // mn_ci(0, 10, 5, 10, 0.05)
      {0.0, 10.0, 5.0, 10.0, 1e-06, -0.9230272412393093, 0.46221283181405903},  // mn_ci(0, 10, 5, 10, 1e-06)
      {3.0, 1000.0, 1.0, 1000.0, 0.05, -0.002895307013765818,
       0.007890782609695819},  // mn_ci(3, 1000, 1, 1000, 0.05)
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, -0.02238814084919792,
       0.02799227991113588},                                  // mn_ci(3, 1000, 1, 1000, 1e-06)
      {1.0, 1.0, 0.0, 1.0, 0.05, -0.5869013712455253, 1.0},   // mn_ci(1, 1, 0, 1, 0.05)
      {1.0, 1.0, 0.0, 1.0, 1e-06, -0.9197693432061489, 1.0},  // mn_ci(1, 1, 0, 1, 1e-06)
      {50.0, 100.0, 50.0, 100.0, 0.05, -0.137616252879647,
       0.137616252879647},  // mn_ci(50, 100, 50, 100, 0.05)
      {50.0, 100.0, 50.0, 100.0, 1e-06, -0.32762114119943836,
       0.32762114119943836},  // mn_ci(50, 100, 50, 100, 1e-06)
      {7.0, 20.0, 12.0, 25.0, 0.05, -0.3965399952260869, 0.16170721924680123},  // mn_ci(7, 20, 12, 25, 0.05)
      {7.0, 20.0, 12.0, 25.0, 1e-06, -0.6692092326589449, 0.5097621148232748},  // mn_ci(7, 20, 12, 25, 1e-06)
      {10.0, 10.0, 0.0, 10.0, 0.05, 0.6636415518947671, 1.0},                   // mn_ci(10, 10, 0, 10, 0.05)
      {10.0, 10.0, 0.0, 10.0, 1e-06, -0.11479948751509023, 1.0},                // mn_ci(10, 10, 0, 10, 1e-06)
      {0.0, 12.0, 0.0, 9.0, 0.05, -0.30947342865060895, 0.25156851414088643},   // mn_ci(0, 12, 0, 9, 0.05)
      {0.0, 12.0, 0.0, 9.0, 1e-06, -0.7362601295062878, 0.6767636135733872},    // mn_ci(0, 12, 0, 9, 1e-06)
      {4.0, 4.0, 2.0, 6.0, 0.05, 0.014804294320246205, 0.909111835248861},      // mn_ci(4, 4, 2, 6, 0.05)
      {4.0, 4.0, 2.0, 6.0, 1e-06, -0.6303519491261116, 0.9776730216808264},     // mn_ci(4, 4, 2, 6, 1e-06)
      {7.0, 34.0, 1.0, 34.0, 0.05, 0.02704162658344669, 0.3452912169662238},    // mn_ci(7, 34, 1, 34, 0.05)
      {7.0, 34.0, 1.0, 34.0, 1e-06, -0.29871536165312307, 0.5981623815963255},  // mn_ci(7, 34, 1, 34, 1e-06)
  };
  for (const auto& c : cases) {
    const auto ci = diff_proportions_ci(c.c1, c.n1, c.c2, c.n2, c.alpha, diff_ci_method::score);
    const auto w = where(c.c1, c.n1, c.c2, c.n2, c.alpha, 3);
    // Both sides are roots found to ~1e-16: 1e-9 relative, with a 1e-12 absolute floor for bounds near 0.
    EXPECT_NEAR(ci.low, c.low, 1e-9 * std::abs(c.low) + 1e-12) << w;
    EXPECT_NEAR(ci.high, c.high, 1e-9 * std::abs(c.high) + 1e-12) << w;
  }
  // R 4.3, PropCIs 0.3-0: diffscoreci(7, 34, 1, 34, 0.95) prints 0.0270416 0.3452912 (7 digits).
  const auto r = diff_proportions_ci(7, 34, 1, 34, 0.05, diff_ci_method::score);
  EXPECT_NEAR(r.low, 0.0270416, 5e-8);
  EXPECT_NEAR(r.high, 0.3452912, 5e-8);
}

TEST(PropDiffCi, OneSidedIsTheTwoSidedBoundAtTwiceAlpha) {
  using dm = diff_ci_method;
  struct os_case {
    double c1, n1, c2, n2;
    diff_ci_method method;
    double low, high;  // two-sided at alpha = 0.1
  };
  const std::vector<os_case> cases = {
      {15.0, 40.0, 8.0, 45.0, dm::wald, 0.040247158064617844,
       0.3541972863798266},  // cp(15, 40, 8, 45), method="wald", compare="diff", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, dm::newcombe, 0.03787418616590418,
       0.3471278777364819},  // cp(15, 40, 8, 45), method="newcomb", compare="diff", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, dm::agresti_caffo, 0.03420929277940399,
       0.34471674572110256},  // cp(15, 40, 8, 45), method="agresti-caffo", compare="diff", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, dm::wald, -0.3703907290974924,
       0.1103907290974924},  // cp(7, 20, 12, 25), method="wald", compare="diff", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, dm::newcombe, -0.34637681236034656,
       0.10966570952103297},  // cp(7, 20, 12, 25), method="newcomb", compare="diff", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, dm::agresti_caffo, -0.3490916791131883,
       0.11340144342295269},  // cp(7, 20, 12, 25), method="agresti-caffo", compare="diff", alpha=0.1
  };
  for (const auto& c : cases) {
    const auto larger = diff_proportions_ci(c.c1, c.n1, c.c2, c.n2, 0.05, c.method, alternative::larger);
    const auto smaller = diff_proportions_ci(c.c1, c.n1, c.c2, c.n2, 0.05, c.method, alternative::smaller);
    MK_EXPECT_REL(larger.low, c.low, 1e-9);
    EXPECT_EQ(larger.high, 1.0);
    EXPECT_EQ(smaller.low, -1.0);
    MK_EXPECT_REL(smaller.high, c.high, 1e-9);
  }
  // Score, one-sided at 0.025 == two-sided at 0.05 (oracle row mn_ci(15, 40, 8, 45, 0.05) above).
  const auto s = diff_proportions_ci(15, 40, 8, 45, 0.025, dm::score, alternative::larger);
  MK_EXPECT_REL(s.low, 0.006967050880667075, 1e-9);
  EXPECT_EQ(s.high, 1.0);
}

TEST(PropRatioCi, RiskRatioMatchesStatsmodels) {
  using m = ratio_ci_method;
  // cp(4, 4, 2, 6, compare="ratio", method="score") is left out: with count1 == nobs1 statsmodels'
  // Koopman cubic picks a spurious root for the lower bound (1.6667; its own score test gives p-value
  // 0.19 at 1.6 and 0.23 at 1.7, not 0.05); ScoreWhereStatsmodelsSolverFails checks that case by
  // inverting st, whose p-value is 0.05 at our bound 1.02714068.
  const std::vector<ratio_case> cases = {
      {15.0, 40.0, 8.0, 45.0, 0.05, m::log, 1.0014918837477302,
       4.442834697745582},  // cp(15, 40, 8, 45), method="log", compare="ratio", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::log, 1.1289083840120382,
       3.9413852830218263},  // cp(15, 40, 8, 45), method="log", compare="ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::log, 0.32866477639158165,
       13.537997407193302},  // cp(15, 40, 8, 45), method="log", compare="ratio", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::log, 0.3125905274590003,
       28.791659405547573},  // cp(3, 1000, 1, 1000), method="log", compare="ratio", alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::log, 0.44965436895693023,
       20.0153731873604},  // cp(3, 1000, 1, 1000), method="log", compare="ratio", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::log, 0.010614572903813865,
       847.8909214299393},  // cp(3, 1000, 1, 1000), method="log", compare="ratio", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::log, 0.7579174798722588,
       1.3194048515262407},  // cp(50, 100, 50, 100), method="log", compare="ratio", alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::log, 0.7924566851113306,
       1.261898623341807},  // cp(50, 100, 50, 100), method="log", compare="ratio", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::log, 0.500682982592896,
       1.9972717962597448},  // cp(50, 100, 50, 100), method="log", compare="ratio", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::log, 0.35375243817229507,
       1.502983358997574},  // cp(7, 20, 12, 25), method="log", compare="ratio", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::log, 0.39737707789530563,
       1.337983636584738},  // cp(7, 20, 12, 25), method="log", compare="ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::log, 0.11990411328931387,
       4.4342434399634785},  // cp(7, 20, 12, 25), method="log", compare="ratio", alpha=1e-06
      {4.0, 4.0, 2.0, 6.0, 0.05, m::log, 0.967564252521797,
       9.301707846835992},  // cp(4, 4, 2, 6), method="log", compare="ratio", alpha=0.05
      {4.0, 4.0, 2.0, 6.0, 0.1, m::log, 1.1606214615444834,
       7.754466290863997},  // cp(4, 4, 2, 6), method="log", compare="ratio", alpha=0.1
      {4.0, 4.0, 2.0, 6.0, 1e-06, m::log, 0.17807036424507036,
       50.5418183320707},  // cp(4, 4, 2, 6), method="log", compare="ratio", alpha=1e-06
      {15.0, 40.0, 8.0, 45.0, 0.05, m::log_adjusted, 0.9957406886871285,
       4.214946221629413},  // cp(15, 40, 8, 45), method="log-adjusted", compare="ratio", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::log_adjusted, 1.1182020547862404,
       3.753340852433681},  // cp(15, 40, 8, 45), method="log-adjusted", compare="ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::log_adjusted, 0.33844196553590983,
       12.400925065125135},  // cp(15, 40, 8, 45), method="log-adjusted", compare="ratio", alpha=1e-06
      {0.0, 10.0, 5.0, 10.0, 0.05, m::log_adjusted, 0.005720512780349341,
       1.4447066420875405},  // cp(0, 10, 5, 10), method="log-adjusted", compare="ratio", alpha=0.05
      {0.0, 10.0, 5.0, 10.0, 0.1, m::log_adjusted, 0.008923838410618367,
       0.926110764184565},  // cp(0, 10, 5, 10), method="log-adjusted", compare="ratio", alpha=0.1
      {0.0, 10.0, 5.0, 10.0, 1e-06, m::log_adjusted, 9.135780233089973e-05,
       90.46258337063877},  // cp(0, 10, 5, 10), method="log-adjusted", compare="ratio", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::log_adjusted, 0.34527201653503486,
       15.768565605408668},  // cp(3, 1000, 1, 1000), method="log-adjusted", compare="ratio", alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::log_adjusted, 0.46943313960660604,
       11.597912429035144},  // cp(3, 1000, 1, 1000), method="log-adjusted", compare="ratio", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::log_adjusted, 0.01981254570786137,
       274.7978237992988},  // cp(3, 1000, 1, 1000), method="log-adjusted", compare="ratio", alpha=1e-06
      {1.0, 1.0, 0.0, 1.0, 0.05, m::log_adjusted, 0.3120601942526879,
       28.8405896226301},  // cp(1, 1, 0, 1), method="log-adjusted", compare="ratio", alpha=0.05
      {1.0, 1.0, 0.0, 1.0, 0.1, m::log_adjusted, 0.4490140589992176,
       20.043915818715337},  // cp(1, 1, 0, 1), method="log-adjusted", compare="ratio", alpha=0.1
      {1.0, 1.0, 0.0, 1.0, 1e-06, m::log_adjusted, 0.01056968487412401,
       851.4918001040123},  // cp(1, 1, 0, 1), method="log-adjusted", compare="ratio", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::log_adjusted, 0.7594823231977196,
       1.31668633943922},  // cp(50, 100, 50, 100), method="log-adjusted", compare="ratio", alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::log_adjusted, 0.793829562046385,
       1.2597162512090576},  // cp(50, 100, 50, 100), method="log-adjusted", compare="ratio", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::log_adjusted, 0.5032669578635662,
       1.987016998384178},  // cp(50, 100, 50, 100), method="log-adjusted", compare="ratio", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::log_adjusted, 0.37289519357640283,
       1.4937858937507817},  // cp(7, 20, 12, 25), method="log-adjusted", compare="ratio", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::log_adjusted, 0.4169039590959271,
       1.336100480359625},  // cp(7, 20, 12, 25), method="log-adjusted", compare="ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::log_adjusted, 0.13207857567350514,
       4.217380276638132},  // cp(7, 20, 12, 25), method="log-adjusted", compare="ratio", alpha=1e-06
      {10.0, 10.0, 0.0, 10.0, 0.05, m::log_adjusted, 1.4042665684615563,
       314.0429387869978},  // cp(10, 10, 0, 10), method="log-adjusted", compare="ratio", alpha=0.05
      {10.0, 10.0, 0.0, 10.0, 0.1, m::log_adjusted, 2.1693091688248582,
       203.2905250840272},  // cp(10, 10, 0, 10), method="log-adjusted", compare="ratio", alpha=0.1
      {10.0, 10.0, 0.0, 10.0, 1e-06, m::log_adjusted, 0.02456137863470702,
       17955.018183581724},  // cp(10, 10, 0, 10), method="log-adjusted", compare="ratio", alpha=1e-06
      {0.0, 12.0, 0.0, 9.0, 0.05, m::log_adjusted, 0.016531107657270856,
       34.94018743178139},  // cp(0, 12, 0, 9), method="log-adjusted", compare="ratio", alpha=0.05
      {0.0, 12.0, 0.0, 9.0, 0.1, m::log_adjusted, 0.030590730193752788,
       18.881536868902753},  // cp(0, 12, 0, 9), method="log-adjusted", compare="ratio", alpha=0.1
      {0.0, 12.0, 0.0, 9.0, 1e-06, m::log_adjusted, 5.389527191644247e-05,
       10717.08109934935},  // cp(0, 12, 0, 9), method="log-adjusted", compare="ratio", alpha=1e-06
      {4.0, 4.0, 2.0, 6.0, 0.05, m::log_adjusted, 0.9832390488096203,
       6.875235486410084},  // cp(4, 4, 2, 6), method="log-adjusted", compare="ratio", alpha=0.05
      {4.0, 4.0, 2.0, 6.0, 0.1, m::log_adjusted, 1.149624667251002,
       5.880180020984241},  // cp(4, 4, 2, 6), method="log-adjusted", compare="ratio", alpha=0.1
      {4.0, 4.0, 2.0, 6.0, 1e-06, m::log_adjusted, 0.22959902176961472,
       29.442634153655707},  // cp(4, 4, 2, 6), method="log-adjusted", compare="ratio", alpha=1e-06
      {15.0, 40.0, 8.0, 45.0, 0.05, m::score, 1.0250781887348412,
       4.456211611091298},  // cp(15, 40, 8, 45), method="score", compare="ratio", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::score, 1.1458744787999573,
       3.9606247029471846},  // cp(15, 40, 8, 45), method="score", compare="ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::score, 0.40572404714243987,
       11.807149819842738},  // cp(15, 40, 8, 45), method="score", compare="ratio", alpha=1e-06
      {0.0, 10.0, 5.0, 10.0, 0.05, m::score, -7.105427357600977e-15,
       0.6411778729679285},  // cp(0, 10, 5, 10), method="score", compare="ratio", alpha=0.05
      {0.0, 10.0, 5.0, 10.0, 0.1, m::score, 5.773159728050831e-15,
       0.47097742924909675},  // cp(0, 10, 5, 10), method="score", compare="ratio", alpha=0.1
      {0.0, 10.0, 5.0, 10.0, 1e-06, m::score, 4.440892098500627e-16,
       3.472098715196307},  // cp(0, 10, 5, 10), method="score", compare="ratio", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::score, 0.43049458457924417,
       20.9266858375877},  // cp(3, 1000, 1, 1000), method="score", compare="ratio", alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::score, 0.5538818334577204,
       16.262078959071918},  // cp(3, 1000, 1, 1000), method="score", compare="ratio", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::score, 0.08875689747577699,
       101.57424734640915},  // cp(3, 1000, 1, 1000), method="score", compare="ratio", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::score, 0.7561696509758838,
       1.322454555944471},  // cp(50, 100, 50, 100), method="score", compare="ratio", alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::score, 0.791216324426592,
       1.2638768553274036},  // cp(50, 100, 50, 100), method="score", compare="ratio", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::score, 0.4923362176393952,
       2.0311323119690474},  // cp(50, 100, 50, 100), method="score", compare="ratio", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::score, 0.3417434515808757,
       1.4626028239670614},  // cp(7, 20, 12, 25), method="score", compare="ratio", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::score, 0.3863465109239043,
       1.312698643863298},  // cp(7, 20, 12, 25), method="score", compare="ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::score, 0.12289718696211842,
       3.6921118517040434},  // cp(7, 20, 12, 25), method="score", compare="ratio", alpha=1e-06
  };
  for (const auto& c : cases) {
    const auto ci = risk_ratio_ci(c.c1, c.n1, c.c2, c.n2, c.alpha, c.method);
    // Koopman's interval comes from numpy.roots of a cubic (eigenvalues, ~1e-13 relative); the rest are
    // closed forms. 1e-9 relative holds for both; the 1e-14 absolute floor is for count1 = 0, where
    // numpy's root gives a lower bound of ~1e-15 and ours is exactly 0.
    EXPECT_NEAR(ci.low, c.low, 1e-9 * std::abs(c.low) + 1e-14)
        << where(c.c1, c.n1, c.c2, c.n2, c.alpha, static_cast<int>(c.method));
    MK_EXPECT_REL(ci.high, c.high, 1e-9)
        << where(c.c1, c.n1, c.c2, c.n2, c.alpha, static_cast<int>(c.method));
  }
}

TEST(PropRatioCi, OddsRatioMatchesStatsmodels) {
  using m = ratio_ci_method;
  const std::vector<ratio_case> cases = {
      {15.0, 40.0, 8.0, 45.0, 0.05, m::log, 1.0240599215652235,
       7.519701570031158},  // cp(15, 40, 8, 45), method="logit", compare="odds-ratio", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::log, 1.2020714572303286,
       6.406129147881831},  // cp(15, 40, 8, 45), method="logit", compare="odds-ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::log, 0.2305398658776085,
       33.40257430395222},  // cp(15, 40, 8, 45), method="logit", compare="odds-ratio", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::log, 0.31215503295988184,
       28.94761765097714},  // cp(3, 1000, 1, 1000), method="logit", compare="odds-ratio", alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::log, 0.44927330628472306,
       20.112800862075368},  // cp(3, 1000, 1, 1000), method="logit", compare="odds-ratio", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::log, 0.010546043982974923,
       856.8278831890315},  // cp(3, 1000, 1, 1000), method="logit", compare="odds-ratio", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::log, 0.5744389062959158,
       1.740829162230981},  // cp(50, 100, 50, 100), method="logit", compare="odds-ratio", alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::log, 0.6279875977776386,
       1.5923881355919478},  // cp(50, 100, 50, 100), method="logit", compare="odds-ratio", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::log, 0.25068344905811824,
       3.9890946281346276},  // cp(50, 100, 50, 100), method="logit", compare="odds-ratio", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::log, 0.1742511421410684,
       1.9528008459324722},  // cp(7, 20, 12, 25), method="logit", compare="odds-ratio", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::log, 0.21161192109854587,
       1.6080274495467264},  // cp(7, 20, 12, 25), method="logit", compare="odds-ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::log, 0.02859423074137162,
       11.900224938922602},  // cp(7, 20, 12, 25), method="logit", compare="odds-ratio", alpha=1e-06
      {15.0, 40.0, 8.0, 45.0, 0.05, m::log_adjusted, 1.010345685246578,
       7.117668027629504},  // cp(15, 40, 8, 45), method="logit-adjusted", compare="odds-ratio", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::log_adjusted, 1.182026850576034,
       6.0838763326133165},  // cp(15, 40, 8, 45), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::log_adjusted, 0.23461635524295057,
       30.651337897079813},  // cp(15, 40, 8, 45), method="logit-adjusted", compare="odds-ratio", alpha=1e-06
      {0.0, 10.0, 5.0, 10.0, 0.05, m::log_adjusted, 0.0022030720739671258,
       1.0292780354034665},  // cp(0, 10, 5, 10), method="logit-adjusted", compare="odds-ratio", alpha=0.05
      {0.0, 10.0, 5.0, 10.0, 0.1, m::log_adjusted, 0.003610950341298892,
       0.6279714429219924},  // cp(0, 10, 5, 10), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {0.0, 10.0, 5.0, 10.0, 1e-06, m::log_adjusted, 2.2209237947902945e-05,
       102.10047285117393},  // cp(0, 10, 5, 10), method="logit-adjusted", compare="odds-ratio", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::log_adjusted, 0.3445767392099349,
       15.863806427354072},  // cp(3, 1000, 1, 1000), method="logit-adjusted", compare="odds-ratio",
                             // alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::log_adjusted, 0.46879062936331234,
       11.660426526911008},  // cp(3, 1000, 1, 1000), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::log_adjusted, 0.019654149039986406,
       278.1244142941054},  // cp(3, 1000, 1, 1000), method="logit-adjusted", compare="odds-ratio",
                            // alpha=1e-06
      {1.0, 1.0, 0.0, 1.0, 0.05, m::log_adjusted, 0.09738156483702538,
       831.7796097809576},  // cp(1, 1, 0, 1), method="logit-adjusted", compare="odds-ratio", alpha=0.05
      {1.0, 1.0, 0.0, 1.0, 0.1, m::log_adjusted, 0.20161362517895293,
       401.758561347747},  // cp(1, 1, 0, 1), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {1.0, 1.0, 0.0, 1.0, 1e-06, m::log_adjusted, 0.00011171823833828611,
       725038.28564437},  // cp(1, 1, 0, 1), method="logit-adjusted", compare="odds-ratio", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::log_adjusted, 0.5760214733193163,
       1.7360463911831496},  // cp(50, 100, 50, 100), method="logit-adjusted", compare="odds-ratio",
                             // alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::log_adjusted, 0.6294392159926426,
       1.5887157561719014},  // cp(50, 100, 50, 100), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::log_adjusted, 0.2524106565103454,
       3.96179786473878},  // cp(50, 100, 50, 100), method="logit-adjusted", compare="odds-ratio", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::log_adjusted, 0.18466327660431042,
       1.949494272060354},  // cp(7, 20, 12, 25), method="logit-adjusted", compare="odds-ratio", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::log_adjusted, 0.22318228976946936,
       1.6130312148506636},  // cp(7, 20, 12, 25), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::log_adjusted, 0.03168722840355707,
       11.361044122104028},  // cp(7, 20, 12, 25), method="logit-adjusted", compare="odds-ratio", alpha=1e-06
      {10.0, 10.0, 0.0, 10.0, 0.05, m::log_adjusted, 7.979459570756917,
       24372.70322325253},  // cp(10, 10, 0, 10), method="logit-adjusted", compare="odds-ratio", alpha=0.05
      {10.0, 10.0, 0.0, 10.0, 0.1, m::log_adjusted, 15.209529211040424,
       12786.786316753905},  // cp(10, 10, 0, 10), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {10.0, 10.0, 0.0, 10.0, 1e-06, m::log_adjusted, 0.019752833556584352,
       9845726.662095658},  // cp(10, 10, 0, 10), method="logit-adjusted", compare="odds-ratio", alpha=1e-06
      {0.0, 12.0, 0.0, 9.0, 0.05, m::log_adjusted, 0.013785821430346306,
       41.89811995740396},  // cp(0, 12, 0, 9), method="logit-adjusted", compare="odds-ratio", alpha=0.05
      {0.0, 12.0, 0.0, 9.0, 0.1, m::log_adjusted, 0.026266404977336708,
       21.990066798192114},  // cp(0, 12, 0, 9), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {0.0, 12.0, 0.0, 9.0, 1e-06, m::log_adjusted, 3.425391768812003e-05,
       16862.304780989274},  // cp(0, 12, 0, 9), method="logit-adjusted", compare="odds-ratio", alpha=1e-06
      {4.0, 4.0, 2.0, 6.0, 0.05, m::log_adjusted, 0.5941863647921382,
       441.6796068550114},  // cp(4, 4, 2, 6), method="logit-adjusted", compare="odds-ratio", alpha=0.05
      {4.0, 4.0, 2.0, 6.0, 0.1, m::log_adjusted, 1.0109459805424248,
       259.59844052121076},  // cp(4, 4, 2, 6), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {4.0, 4.0, 2.0, 6.0, 1e-06, m::log_adjusted, 0.0042324584388474425,
       62006.515549262236},  // cp(4, 4, 2, 6), method="logit-adjusted", compare="odds-ratio", alpha=1e-06
      {15.0, 40.0, 8.0, 45.0, 0.05, m::score, 1.0350614065894645,
       7.413795870931333},  // cp(15, 40, 8, 45), method="score", compare="odds-ratio", alpha=0.05
      {15.0, 40.0, 8.0, 45.0, 0.1, m::score, 1.2081263389905386,
       6.362543386288813},  // cp(15, 40, 8, 45), method="score", compare="odds-ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, 1e-06, m::score, 0.28298360628143077,
       25.354611583169092},  // cp(15, 40, 8, 45), method="score", compare="odds-ratio", alpha=1e-06
      {3.0, 1000.0, 1.0, 1000.0, 0.05, m::score, 0.4295777842260375,
       21.01473857572139},  // cp(3, 1000, 1, 1000), method="score", compare="odds-ratio", alpha=0.05
      {3.0, 1000.0, 1.0, 1000.0, 0.1, m::score, 0.5530725414732937,
       16.32743821701384},  // cp(3, 1000, 1, 1000), method="score", compare="odds-ratio", alpha=0.1
      {3.0, 1000.0, 1.0, 1000.0, 1e-06, m::score, 0.0882733305103524,
       102.0647794428739},  // cp(3, 1000, 1, 1000), method="score", compare="odds-ratio", alpha=1e-06
      {50.0, 100.0, 50.0, 100.0, 0.05, m::score, 0.5746581227588062,
       1.7401650831962818},  // cp(50, 100, 50, 100), method="score", compare="odds-ratio", alpha=0.05
      {50.0, 100.0, 50.0, 100.0, 0.1, m::score, 0.6279141043255412,
       1.592574514748515},  // cp(50, 100, 50, 100), method="score", compare="odds-ratio", alpha=0.1
      {50.0, 100.0, 50.0, 100.0, 1e-06, m::score, 0.2564955178192225,
       3.8987036050450166},  // cp(50, 100, 50, 100), method="score", compare="odds-ratio", alpha=1e-06
      {7.0, 20.0, 12.0, 25.0, 0.05, m::score, 0.17603232563111265,
       1.9402472422644808},  // cp(7, 20, 12, 25), method="score", compare="odds-ratio", alpha=0.05
      {7.0, 20.0, 12.0, 25.0, 0.1, m::score, 0.21215036941185306,
       1.606954631560023},  // cp(7, 20, 12, 25), method="score", compare="odds-ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, 1e-06, m::score, 0.039354800930626016,
       9.593459904049027},  // cp(7, 20, 12, 25), method="score", compare="odds-ratio", alpha=1e-06
  };
  for (const auto& c : cases) {
    const auto ci = odds_ratio_ci(c.c1, c.n1, c.c2, c.n2, c.alpha, c.method);
    // statsmodels' score bounds are brentq roots at xtol=2e-12 (absolute, on the odds ratio); 1e-9
    // relative is above that for every bound here (all > 0.01).
    MK_EXPECT_REL(ci.low, c.low, 1e-9) << where(c.c1, c.n1, c.c2, c.n2, c.alpha, static_cast<int>(c.method));
    MK_EXPECT_REL(ci.high, c.high, 1e-9)
        << where(c.c1, c.n1, c.c2, c.n2, c.alpha, static_cast<int>(c.method));
  }
}

TEST(PropRatioCi, ScoreWhereStatsmodelsSolverFails) {
  enum class k { ratio, odds_ratio };
  struct inv_case {
    double c1, n1, c2, n2, alpha;
    k kind;
    bool lower;
    double want;
  };
  const std::vector<inv_case> cases = {
      {15.0, 40.0, 8.0, 45.0, 0.05, k::ratio, true,
       1.0250781887348428},  // exp(brentq(lambda t: st(15, 40, 8, 45), value=exp(t), compare='ratio').pvalue
                             // - 0.05, est-20, est, xtol=1e-15))
      {15.0, 40.0, 8.0, 45.0, 0.05, k::ratio, false,
       4.456211611091296},  // exp(brentq(lambda t: st(15, 40, 8, 45), value=exp(t), compare='ratio').pvalue -
                            // 0.05, est, est+20, xtol=1e-15))
      {4.0, 4.0, 2.0, 6.0, 0.05, k::ratio, true,
       1.0271406825199592},  // exp(brentq(lambda t: st(4, 4, 2, 6), value=exp(t), compare='ratio').pvalue -
                             // 0.05, est-20, est, xtol=1e-15))
      {4.0, 4.0, 2.0, 6.0, 0.05, k::ratio, false,
       11.002532648096679},  // exp(brentq(lambda t: st(4, 4, 2, 6), value=exp(t), compare='ratio').pvalue -
                             // 0.05, est, est+20, xtol=1e-15))
      {15.0, 40.0, 8.0, 45.0, 0.05, k::odds_ratio, true,
       1.0350614065894639},  // exp(brentq(lambda t: st(15, 40, 8, 45), value=exp(t),
                             // compare='odds-ratio').pvalue - 0.05, est-20, est, xtol=1e-15))
      {15.0, 40.0, 8.0, 45.0, 0.05, k::odds_ratio, false,
       7.4137958709313345},  // exp(brentq(lambda t: st(15, 40, 8, 45), value=exp(t),
                             // compare='odds-ratio').pvalue - 0.05, est, est+20, xtol=1e-15))
      {7.0, 20.0, 12.0, 25.0, 1e-06, k::odds_ratio, true,
       0.03935480093040788},  // exp(brentq(lambda t: st(7, 20, 12, 25), value=exp(t),
                              // compare='odds-ratio').pvalue - 1e-06, est-20, est, xtol=1e-15))
      {7.0, 20.0, 12.0, 25.0, 1e-06, k::odds_ratio, false,
       9.593459904049016},  // exp(brentq(lambda t: st(7, 20, 12, 25), value=exp(t),
                            // compare='odds-ratio').pvalue - 1e-06, est, est+20, xtol=1e-15))
  };
  for (const auto& c : cases) {
    const auto ci = c.kind == k::ratio
                        ? risk_ratio_ci(c.c1, c.n1, c.c2, c.n2, c.alpha, ratio_ci_method::score)
                        : odds_ratio_ci(c.c1, c.n1, c.c2, c.n2, c.alpha, ratio_ci_method::score);
    MK_EXPECT_REL(c.lower ? ci.low : ci.high, c.want, 1e-9) << where(c.c1, c.n1, c.c2, c.n2, c.alpha, 2);
  }
}

TEST(PropRatioCi, OneSidedIsTheTwoSidedBoundAtTwiceAlpha) {
  using rm = ratio_ci_method;
  struct os_case {
    double c1, n1, c2, n2;
    bool odds;
    ratio_ci_method method;
    double low, high;  // two-sided at alpha = 0.1
  };
  const std::vector<os_case> cases = {
      {15.0, 40.0, 8.0, 45.0, false, rm::log, 1.1289083840120382,
       3.9413852830218263},  // cp(15, 40, 8, 45), method="log", compare="ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, false, rm::log_adjusted, 1.1182020547862404,
       3.753340852433681},  // cp(15, 40, 8, 45), method="log-adjusted", compare="ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, false, rm::score, 1.1458744787999573,
       3.9606247029471846},  // cp(15, 40, 8, 45), method="score", compare="ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, true, rm::log, 1.2020714572303286,
       6.406129147881831},  // cp(15, 40, 8, 45), method="logit", compare="odds-ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, true, rm::log_adjusted, 1.182026850576034,
       6.0838763326133165},  // cp(15, 40, 8, 45), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {15.0, 40.0, 8.0, 45.0, true, rm::score, 1.2081263389905386,
       6.362543386288813},  // cp(15, 40, 8, 45), method="score", compare="odds-ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, false, rm::log, 0.39737707789530563,
       1.337983636584738},  // cp(7, 20, 12, 25), method="log", compare="ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, false, rm::log_adjusted, 0.4169039590959271,
       1.336100480359625},  // cp(7, 20, 12, 25), method="log-adjusted", compare="ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, false, rm::score, 0.3863465109239043,
       1.312698643863298},  // cp(7, 20, 12, 25), method="score", compare="ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, true, rm::log, 0.21161192109854587,
       1.6080274495467264},  // cp(7, 20, 12, 25), method="logit", compare="odds-ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, true, rm::log_adjusted, 0.22318228976946936,
       1.6130312148506636},  // cp(7, 20, 12, 25), method="logit-adjusted", compare="odds-ratio", alpha=0.1
      {7.0, 20.0, 12.0, 25.0, true, rm::score, 0.21215036941185306,
       1.606954631560023},  // cp(7, 20, 12, 25), method="score", compare="odds-ratio", alpha=0.1
  };
  for (const auto& c : cases) {
    auto f = c.odds ? odds_ratio_ci : risk_ratio_ci;
    const auto larger = f(c.c1, c.n1, c.c2, c.n2, 0.05, c.method, alternative::larger);
    const auto smaller = f(c.c1, c.n1, c.c2, c.n2, 0.05, c.method, alternative::smaller);
    MK_EXPECT_REL(larger.low, c.low, 1e-9);
    EXPECT_EQ(larger.high, inf);
    EXPECT_EQ(smaller.low, 0.0);
    MK_EXPECT_REL(smaller.high, c.high, 1e-9);
  }
}

TEST(PropRatioCi, ZeroCountsGiveOpenEnds) {
  // Risk ratio, count2 = 0: estimate infinite, so the score upper bound is +inf; the lower bound matches
  // cp(10, 10, 0, 10, method="score", compare="ratio") == (3.4730188304565512, inf).
  auto rr = risk_ratio_ci(10, 10, 0, 10, 0.05, ratio_ci_method::score);
  MK_EXPECT_REL(rr.low, 3.4730188304565512, 1e-9);
  EXPECT_EQ(rr.high, inf);
  // count1 = 0: lower bound 0 (statsmodels divides by zero here).
  rr = risk_ratio_ci(0, 10, 5, 10, 0.05, ratio_ci_method::score);
  EXPECT_EQ(rr.low, 0.0);
  EXPECT_GT(rr.high, 0.0);
  EXPECT_LT(rr.high, 1.0);
  // No successes anywhere: the data say nothing about the ratio.
  rr = risk_ratio_ci(0, 12, 0, 9, 0.05, ratio_ci_method::score);
  EXPECT_EQ(rr.low, 0.0);
  EXPECT_EQ(rr.high, inf);
  const auto orr = odds_ratio_ci(4, 4, 2, 6, 0.05, ratio_ci_method::score);  // all successes in group 1
  EXPECT_GT(orr.low, 1.0);
  EXPECT_EQ(orr.high, inf);
  // Diff score: all successes in group 1, none in group 2: upper bound is 1 exactly (also mn_ci rows).
  const auto d = diff_proportions_ci(10, 10, 0, 10, 0.05, diff_ci_method::score);
  EXPECT_EQ(d.high, 1.0);
}

TEST(PropScoreTest, MatchesStatsmodels) {
  using k = proportion_compare;
  using a = alternative;
  struct st_case {
    double c1, n1, c2, n2, value;
    proportion_compare compare;
    alternative alt;
    double statistic, pvalue;
  };
  const std::vector<st_case> cases = {
      {15.0, 40.0, 8.0, 45.0, 1.0, k::ratio, a::two_sided, 2.0308225671400333,
       0.04227299692157832},  // st(15, 40, 8, 45), value=1.0, compare="ratio", alternative="two-sided"
      {15.0, 40.0, 8.0, 45.0, 2.5, k::ratio, a::larger, -0.44265794881004955,
       0.6709934185645019},  // st(15, 40, 8, 45), value=2.5, compare="ratio", alternative="larger"
      {15.0, 40.0, 8.0, 45.0, 0.5, k::ratio, a::smaller, 4.168354583195364,
       0.9999846596800989},  // st(15, 40, 8, 45), value=0.5, compare="ratio", alternative="smaller"
      {7.0, 20.0, 12.0, 25.0, 1.0, k::odds_ratio, a::two_sided, -0.8675434161742964,
       0.38564433418585886},  // st(7, 20, 12, 25), value=1.0, compare="odds-ratio", alternative="two-sided"
      {7.0, 20.0, 12.0, 25.0, 0.2, k::odds_ratio, a::two_sided, 1.7438103478689881,
       0.08119216549323256},  // st(7, 20, 12, 25), value=0.2, compare="odds-ratio", alternative="two-sided"
      {7.0, 20.0, 12.0, 25.0, 3.0, k::odds_ratio, a::larger, -2.707448613351236,
       0.9966098716773562},  // st(7, 20, 12, 25), value=3.0, compare="odds-ratio", alternative="larger"
      {15.0, 40.0, 8.0, 45.0, 0.0, k::diff, a::two_sided, 2.0308225671400333,
       0.04227299692157832},  // st(15, 40, 8, 45), value=0.0, compare="diff", alternative="two-sided"
      {3.0, 1000.0, 1.0, 1000.0, 0.0, k::diff, a::larger, 1.0007512208396372,
       0.1584735487566119},  // st(3, 1000, 1, 1000), value=0.0, compare="diff", alternative="larger"
  };
  for (const auto& c : cases) {
    const auto r = score_test_proportions_2indep(c.c1, c.n1, c.c2, c.n2, c.value, c.compare, c.alt);
    MK_EXPECT_REL(r.statistic, c.statistic, 1e-9);
    MK_EXPECT_REL(r.pvalue, c.pvalue, 1e-9);
  }
  // diff at value != 0: the independent oracle (statsmodels' restricted MLE is wrong there, see top).
  struct z_case {
    double c1, n1, c2, n2, value, statistic, pvalue;
  };
  const std::vector<z_case> zs = {
      {15.0, 40.0, 8.0, 45.0, -0.3, 5.1545874723419,
       2.5418988668868415e-07},  // z_mn(15, 40, 8, 45, -0.3), pvalue 2 * stats.norm.sf(abs(z))
      {15.0, 40.0, 8.0, 45.0, 0.25, -0.5518098776068842,
       0.5810786190932427},  // z_mn(15, 40, 8, 45, 0.25), pvalue 2 * stats.norm.sf(abs(z))
      {7.0, 20.0, 12.0, 25.0, -0.5, 2.884627458719752,
       0.003918770900931731},  // z_mn(7, 20, 12, 25, -0.5), pvalue 2 * stats.norm.sf(abs(z))
      {0.0, 10.0, 5.0, 10.0, 0.1, -2.9223800425133595,
       0.0034736740001726084},  // z_mn(0, 10, 5, 10, 0.1), pvalue 2 * stats.norm.sf(abs(z))
  };
  for (const auto& c : zs) {
    const auto r = score_test_proportions_2indep(c.c1, c.n1, c.c2, c.n2, c.value, k::diff);
    MK_EXPECT_REL(r.statistic, c.statistic, 1e-9);
    MK_EXPECT_REL(r.pvalue, c.pvalue, 1e-9);
  }
}

TEST(PropRatioCi, ErrorsNameTheArgument) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_of([] { (void)risk_ratio_ci(0, 10, 5, 10, 0.05, ratio_ci_method::log); }),
            "risk_ratio_ci: method log needs count1 > 0 and count2 > 0, got count1=0, count2=5; use "
            "log_adjusted or score");
  EXPECT_EQ(error_of([] { (void)odds_ratio_ci(4, 4, 2, 6, 0.05, ratio_ci_method::log); }),
            "odds_ratio_ci: method log needs count1, nobs1 - count1, count2 and nobs2 - count2 all > 0, got "
            "count1=4, nobs1=4, count2=2, nobs2=6; use log_adjusted or score");
  EXPECT_EQ(error_of([] { (void)diff_proportions_ci(11, 10, 5, 10); }),
            "diff_proportions_ci: count1 must be in [0, nobs1], got count1=11, nobs1=10");
  EXPECT_EQ(error_of([&] { (void)diff_proportions_ci(1, 10, nan, 10); }),
            "diff_proportions_ci: count2 must be a number, got nan");
  EXPECT_EQ(error_of([] { (void)diff_proportions_ci(1, 10, 1, -3); }),
            "diff_proportions_ci: nobs2 must be > 0, got nobs2=-3");
  EXPECT_EQ(error_of([] { (void)risk_ratio_ci(1, 10, 1, 10, 1.5); }),
            "risk_ratio_ci: alpha must be in (0, 1), got alpha=1.5");
  EXPECT_EQ(
      error_of([] { (void)score_test_proportions_2indep(1, 10, 1, 10, 0.0, proportion_compare::ratio); }),
      "score_test_proportions_2indep: value must be > 0 for a ratio, got value=0");
}
