// chi2_contingency and fisher_exact. Oracle: scipy 1.17.1 (stats.chi2_contingency, stats.fisher_exact),
// printed with repr(); every row names its call. scipy's alternative 'greater'/'less' are our
// larger/smaller. tests/python/test_stats_tests.py runs the same calls live.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/contingency.hpp"

using namespace missionkit::stats;

namespace {

using missionkit::testing::error_of;
using a = alternative;
constexpr double inf = std::numeric_limits<double>::infinity();

const std::vector<double> t22 = {12, 5, 7, 15};
const std::vector<double> t22_small_diff = {10, 10, 10, 11};  // |O - E| < 0.5: Yates sets O = E
const std::vector<double> t22_weighted = {12.5, 3.25, 4.75, 9.0};
const std::vector<double> t22_large = {120000, 80000, 118500, 81500};
const std::vector<double> t23 = {10, 20, 30, 15, 25, 5};
const std::vector<double> t33 = {5, 8, 12, 9, 4, 7, 3, 10, 6};

struct chi2_row {
  const std::vector<double>* table;
  std::size_t rows, cols;
  bool correction;
  double statistic, pvalue, df;
  std::vector<double> expected;
};

const std::vector<chi2_row> chi2_rows = {
    {&t22,
     2,
     2,
     true,
     4.322120391218687,
     0.03762001663483994,
     1,
     {8.282051282051283, 8.717948717948717, 10.717948717948717,
      11.282051282051283}},  // stats.chi2_contingency([[12, 5], [7, 15]], correction=True)
    {&t22,
     2,
     2,
     false,
     5.769596115958342,
     0.01630578158465016,
     1,
     {8.282051282051283, 8.717948717948717, 10.717948717948717,
      11.282051282051283}},  // stats.chi2_contingency([[12, 5], [7, 15]], correction=False)
    {&t22_small_diff,
     2,
     2,
     true,
     0.0,
     1.0,
     1,
     {9.75609756097561, 10.24390243902439, 10.24390243902439,
      10.75609756097561}},  // stats.chi2_contingency([[10, 10], [10, 11]], correction=True)
    {&t22_small_diff,
     2,
     2,
     false,
     0.02324263038548757,
     0.8788278129295307,
     1,
     {9.75609756097561, 10.24390243902439, 10.24390243902439,
      10.75609756097561}},  // stats.chi2_contingency([[10, 10], [10, 11]], correction=False)
    {&t22_weighted,
     2,
     2,
     true,
     4.367623119264645,
     0.03662804952540284,
     1,
     {9.209745762711865, 6.540254237288136, 8.040254237288135,
      5.709745762711864}},  // stats.chi2_contingency([[12.5, 3.25], [4.75, 9.0]], correction=True)
    {&t22_weighted,
     2,
     2,
     false,
     6.073185098118549,
     0.01372492459186149,
     1,
     {9.209745762711865, 6.540254237288136, 8.040254237288135,
      5.709745762711864}},  // stats.chi2_contingency([[12.5, 3.25], [4.75, 9.0]], correction=False)
    {&t22_large,
     2,
     2,
     true,
     23.334706726119776,
     1.3612149284755225e-06,
     1,
     {119250.0, 80750.0, 119250.0,
      80750.0}},  // stats.chi2_contingency([[120000, 80000], [118500, 81500]], correction=True)
    {&t22_large,
     2,
     2,
     false,
     23.365850809042584,
     1.3393526331775617e-06,
     1,
     {119250.0, 80750.0, 119250.0,
      80750.0}},  // stats.chi2_contingency([[120000, 80000], [118500, 81500]], correction=False)
    {&t23,
     2,
     3,
     true,
     17.629629629629633,
     0.0001485164524699713,
     2,
     {14.285714285714286, 25.714285714285715, 20.0, 10.714285714285714, 19.285714285714285,
      15.0}},  // stats.chi2_contingency([[10, 20, 30], [15, 25, 5]], correction=True)
    {&t23,
     2,
     3,
     false,
     17.629629629629633,
     0.0001485164524699713,
     2,
     {14.285714285714286, 25.714285714285715, 20.0, 10.714285714285714, 19.285714285714285,
      15.0}},  // stats.chi2_contingency([[10, 20, 30], [15, 25, 5]], correction=False)
    {&t33,
     3,
     3,
     true,
     7.7487229946524065,
     0.10122875963738863,
     4,
     {6.640625, 8.59375, 9.765625, 5.3125, 6.875, 7.8125, 5.046875, 6.53125,
      7.421875}},  // stats.chi2_contingency([[5, 8, 12], [9, 4, 7], [3, 10, 6]], correction=True)
    {&t33,
     3,
     3,
     false,
     7.7487229946524065,
     0.10122875963738863,
     4,
     {6.640625, 8.59375, 9.765625, 5.3125, 6.875, 7.8125, 5.046875, 6.53125,
      7.421875}},  // stats.chi2_contingency([[5, 8, 12], [9, 4, 7], [3, 10, 6]], correction=False)
};

struct fisher_row {
  double a, b, c, d;
  alternative alt;
  double odds_ratio, pvalue;
};

const std::vector<fisher_row> fisher_rows = {
    {8, 2, 1, 5, a::two_sided, 20.0,
     0.034965034965034975},  // stats.fisher_exact([[8, 2], [1, 5]], alternative='two-sided')
    {8, 2, 1, 5, a::larger, 20.0,
     0.024475524475524483},  // stats.fisher_exact([[8, 2], [1, 5]], alternative='greater')
    {8, 2, 1, 5, a::smaller, 20.0,
     0.9991258741258742},  // stats.fisher_exact([[8, 2], [1, 5]], alternative='less')
    {3, 1, 1, 3, a::two_sided, 9.0,
     0.48571428571428565},  // stats.fisher_exact([[3, 1], [1, 3]], alternative='two-sided')
    {3, 1, 1, 3, a::larger, 9.0,
     0.24285714285714283},  // stats.fisher_exact([[3, 1], [1, 3]], alternative='greater')
    {3, 1, 1, 3, a::smaller, 9.0,
     0.9857142857142858},                  // stats.fisher_exact([[3, 1], [1, 3]], alternative='less')
    {5, 5, 5, 5, a::two_sided, 1.0, 1.0},  // stats.fisher_exact([[5, 5], [5, 5]], alternative='two-sided')
    {5, 5, 5, 5, a::larger, 1.0,
     0.6718591006516703},  // stats.fisher_exact([[5, 5], [5, 5]], alternative='greater')
    {5, 5, 5, 5, a::smaller, 1.0,
     0.6718591006516703},  // stats.fisher_exact([[5, 5], [5, 5]], alternative='less')
    {10, 3, 2, 15, a::two_sided, 25.0,
     0.0005367241191434357},  // stats.fisher_exact([[10, 3], [2, 15]], alternative='two-sided')
    {10, 3, 2, 15, a::larger, 25.0,
     0.000465180943362905},  // stats.fisher_exact([[10, 3], [2, 15]], alternative='greater')
    {10, 3, 2, 15, a::smaller, 25.0,
     0.9999845190186861},  // stats.fisher_exact([[10, 3], [2, 15]], alternative='less')
    {0, 10, 3, 7, a::two_sided, 0.0,
     0.21052631578947367},               // stats.fisher_exact([[0, 10], [3, 7]], alternative='two-sided')
    {0, 10, 3, 7, a::larger, 0.0, 1.0},  // stats.fisher_exact([[0, 10], [3, 7]], alternative='greater')
    {0, 10, 3, 7, a::smaller, 0.0,
     0.10526315789473684},  // stats.fisher_exact([[0, 10], [3, 7]], alternative='less')
    {4, 0, 2, 6, a::two_sided, inf,
     0.06060606060606061},  // stats.fisher_exact([[4, 0], [2, 6]], alternative='two-sided')
    {4, 0, 2, 6, a::larger, inf,
     0.030303030303030304},              // stats.fisher_exact([[4, 0], [2, 6]], alternative='greater')
    {4, 0, 2, 6, a::smaller, inf, 1.0},  // stats.fisher_exact([[4, 0], [2, 6]], alternative='less')
    {1200, 800, 1150, 850, a::two_sided, 1.108695652173913,
     0.11552056391009574},  // stats.fisher_exact([[1200, 800], [1150, 850]], alternative='two-sided')
    {1200, 800, 1150, 850, a::larger, 1.108695652173913,
     0.05776028195504787},  // stats.fisher_exact([[1200, 800], [1150, 850]], alternative='greater')
    {1200, 800, 1150, 850, a::smaller, 1.108695652173913,
     0.94929997523471},  // stats.fisher_exact([[1200, 800], [1150, 850]], alternative='less')
    {100000, 100100, 100200, 99900, a::two_sided, 0.9960099780459062,
     0.5292600307235086},  // stats.fisher_exact([[100000, 100100], [100200, 99900]], alternative='two-sided')
    {100000, 100100, 100200, 99900, a::larger, 0.9960099780459062,
     0.7374354392863239},  // stats.fisher_exact([[100000, 100100], [100200, 99900]], alternative='greater')
    {100000, 100100, 100200, 99900, a::smaller, 0.9960099780459062,
     0.2646300153617543},  // stats.fisher_exact([[100000, 100100], [100200, 99900]], alternative='less')
    {0, 5, 5, 0, a::two_sided, 0.0,
     0.007936507936507938},             // stats.fisher_exact([[0, 5], [5, 0]], alternative='two-sided')
    {0, 5, 5, 0, a::larger, 0.0, 1.0},  // stats.fisher_exact([[0, 5], [5, 0]], alternative='greater')
    {0, 5, 5, 0, a::smaller, 0.0,
     0.003968253968253969},  // stats.fisher_exact([[0, 5], [5, 0]], alternative='less')
    {2, 7, 8, 2, a::two_sided, 0.07142857142857142,
     0.02301413756522116},  // stats.fisher_exact([[2, 7], [8, 2]], alternative='two-sided')
    {2, 7, 8, 2, a::larger, 0.07142857142857142,
     0.9990149169715733},  // stats.fisher_exact([[2, 7], [8, 2]], alternative='greater')
    {2, 7, 8, 2, a::smaller, 0.07142857142857142,
     0.01852172595206651},                 // stats.fisher_exact([[2, 7], [8, 2]], alternative='less')
    {0, 0, 3, 4, a::two_sided, NAN, 1.0},  // stats.fisher_exact([[0, 0], [3, 4]], alternative='two-sided')
    {0, 0, 3, 4, a::larger, NAN, 1.0},     // stats.fisher_exact([[0, 0], [3, 4]], alternative='greater')
    {0, 0, 3, 4, a::smaller, NAN, 1.0},    // stats.fisher_exact([[0, 0], [3, 4]], alternative='less')
    {1, 9, 11, 3, a::two_sided, 0.030303030303030304,
     0.0027594561852200836},  // stats.fisher_exact([[1, 9], [11, 3]], alternative='two-sided')
    {1, 9, 11, 3, a::larger, 0.030303030303030304,
     0.9999663480953022},  // stats.fisher_exact([[1, 9], [11, 3]], alternative='greater')
    {1, 9, 11, 3, a::smaller, 0.030303030303030304,
     0.0013797280926100418},  // stats.fisher_exact([[1, 9], [11, 3]], alternative='less')
};

using missionkit::testing::expect_same;

}  // namespace

TEST(Contingency, Chi2MatchesScipy) {
  for (const auto& r : chi2_rows) {
    const auto got = chi2_contingency(*r.table, r.rows, r.cols, r.correction);
    const std::string where = std::to_string(r.rows) + "x" + std::to_string(r.cols) + " table starting " +
                              std::to_string((*r.table)[0]) + (r.correction ? " corrected" : " uncorrected");
    expect_same(got.statistic, r.statistic, 1e-12, where);
    expect_same(got.pvalue, r.pvalue, 1e-10, where);
    EXPECT_EQ(got.df, r.df) << where;
    EXPECT_EQ(got.corrected, r.correction && r.df == 1.0) << where;
    ASSERT_EQ(got.expected.size(), r.expected.size()) << where;
    for (std::size_t i = 0; i < r.expected.size(); ++i)
      expect_same(got.expected[i], r.expected[i], 1e-14, where);
  }
}

TEST(Contingency, Chi2Errors) {
  EXPECT_EQ(error_of([] {
              (void)chi2_contingency(std::vector<double>{1, 2}, 1, 2);
            }),
            "chi2_contingency: table must be at least 2 x 2, got 1 x 2");
  EXPECT_EQ(error_of([] {
              (void)chi2_contingency(std::vector<double>{1, 2, 3}, 2, 2);
            }),
            "chi2_contingency: table has 3 counts, expected rows * cols = 4");
  EXPECT_EQ(error_of([] {
              (void)chi2_contingency(std::vector<double>{1, 2, -3, 4}, 2, 2);
            }),
            "chi2_contingency: table[1][0] must be >= 0, got -3");
  EXPECT_EQ(error_of([] {
              (void)chi2_contingency(std::vector<double>{1, NAN, 3, 4}, 2, 2);
            }),
            "chi2_contingency: table[0][1] is nan; counts must be finite");
  EXPECT_EQ(error_of([] {
              (void)chi2_contingency(std::vector<double>{1, 2, 0, 0}, 2, 2);
            }),
            "chi2_contingency: row 1 sums to zero, so its expected counts are zero; drop it");
  EXPECT_EQ(error_of([] {
              (void)chi2_contingency(std::vector<double>{1, 0, 3, 3, 0, 4}, 2, 3);
            }),
            "chi2_contingency: column 1 sums to zero, so its expected counts are zero; drop it");
}

TEST(Contingency, FisherMatchesScipy) {
  for (const auto& r : fisher_rows) {
    const auto got = fisher_exact(r.a, r.b, r.c, r.d, r.alt);
    const std::string where = "[[" + std::to_string(r.a) + ", " + std::to_string(r.b) + "], [" +
                              std::to_string(r.c) + ", " + std::to_string(r.d) + "]] alt " +
                              std::to_string(static_cast<int>(r.alt));
    expect_same(got.odds_ratio, r.odds_ratio, 1e-15, where);
    expect_same(got.pvalue, r.pvalue, 1e-9, where);
  }
}

TEST(Contingency, FisherLargeCountsStayFinite) {
  // lgamma keeps counts in the millions finite. Its rounding (lgamma(4e6) ~ 6e7, ulp ~ 7e-9) bounds the
  // relative accuracy of each probability to ~1e-8 at this size, hence the tolerance.
  const auto r = fisher_exact(2e6, 2e6, 2e6, 2e6);
  EXPECT_EQ(r.odds_ratio, 1.0);
  EXPECT_EQ(r.pvalue, 1.0);  // stats.fisher_exact([[2000000, 2000000], [2000000, 2000000]]).pvalue
  MK_EXPECT_REL(fisher_exact(2e6, 1995000, 1995000, 2e6).pvalue, 0.0004046405780524397,
                1e-6);  // stats.fisher_exact([[2000000, 1995000], [1995000, 2000000]]).pvalue
  MK_EXPECT_REL(fisher_exact(2e6, 1990000, 1990000, 2e6, a::smaller).pvalue, 0.9999999999993028,
                1e-12);  // stats.fisher_exact([[2000000, 1990000], [1990000, 2000000]], alternative='less')
}

TEST(Contingency, FisherErrors) {
  EXPECT_EQ(error_of([] { (void)fisher_exact(1, -2, 3, 4); }), "fisher_exact: b must be >= 0, got b=-2");
  EXPECT_EQ(error_of([] { (void)fisher_exact(1, 2, 3.5, 4); }),
            "fisher_exact: c must be a whole number (an exact test needs counts), got c=3.5");
  EXPECT_EQ(error_of([] { (void)fisher_exact(1, 2, 3, NAN); }), "fisher_exact: d must be a number, got nan");
}

// ---- r x c Fisher ----------------------------------------------------------------------------------
// Oracle: brute force in Python, independent of the network code: every table with the margins listed by
// nested loops, each probability from scipy.stats.random_table(row_sums, col_sums).pmf, summed over those
// <= P(observed) (1 + 1e-7). tests/python/test_stats_tests.py runs the same enumeration live.
struct fisher_rxc_row {
  std::vector<double> table;
  std::size_t rows, cols;
  double pvalue, table_probability;
};

const std::vector<fisher_rxc_row> fisher_rxc_rows = {
    {{3, 1, 4, 1, 5, 9}, 2, 3, 0.24112711446134438, 0.034997980885718066},
    {{3, 1, 1, 5, 4, 9}, 3, 2, 0.24112711446134438, 0.034997980885718066},  // the transpose
    {{2, 0, 3, 1, 4, 0, 0, 2, 2}, 3, 3, 0.0473811902383329, 0.0017839303553589191},
    {{1, 2, 1, 0, 3, 3, 6, 1}, 2, 4, 0.8235294117647044, 0.1176470588235291},
    {{5, 0, 1, 0, 4, 2}, 2, 3, 0.0064935064935064905, 0.0032467532467532452},
    {{1, 1, 2, 0, 0, 3}, 3, 2, 0.14285714285714265, 0.05714285714285706},
    {{4, 2, 0, 1, 0, 1, 5, 2}, 2, 4, 0.009324009324009303, 0.0013986013986013951},
};

TEST(Contingency, FisherRxcMatchesBruteForce) {
  for (const auto& r : fisher_rxc_rows) {
    const auto got = fisher_exact(r.table, r.rows, r.cols);
    const std::string where =
        std::to_string(r.rows) + " x " + std::to_string(r.cols) + " starting " + std::to_string(r.table[0]);
    expect_same(got.pvalue, r.pvalue, 1e-12, where);
    expect_same(got.table_probability, r.table_probability, 1e-12, where);
    EXPECT_TRUE(std::isnan(got.odds_ratio)) << where;
  }
}

TEST(Contingency, FisherRxcMatchesR) {
  // R's ?fisher.test, "Job satisfaction" (Agresti 2002, p. 57), printed as p-value = 0.7827.
  const std::vector<double> job = {1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11};
  EXPECT_NEAR(fisher_exact(job, 4, 4).pvalue, 0.7827, 5e-5);
}

TEST(Contingency, FisherRxcStructure) {
  // A 2 x 2 table takes the 2 x 2 path: the same p-value, odds ratio and table probability.
  const auto a = fisher_exact(std::vector<double>{8, 2, 1, 5}, 2, 2);
  const auto b = fisher_exact(8, 2, 1, 5);
  EXPECT_EQ(a.pvalue, b.pvalue);
  EXPECT_EQ(a.odds_ratio, 20.0);
  MK_EXPECT_REL(b.table_probability, 0.023601398601398604, 1e-13);  // stats.hypergeom(16, 10, 9).pmf(8)
  // Empty rows and columns do not change anything.
  const auto full = fisher_exact(std::vector<double>{2, 0, 3, 1, 4, 0, 0, 2, 2}, 3, 3);
  const auto padded = fisher_exact(std::vector<double>{2, 0, 0, 3, 1, 4, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2}, 4, 4);
  EXPECT_NEAR(padded.pvalue, full.pvalue, 1e-15);
  // One non-empty row: a single table has these margins.
  EXPECT_EQ(fisher_exact(std::vector<double>{0, 0, 0, 3, 4, 5}, 2, 3).pvalue, 1.0);
}

TEST(Contingency, FisherRxcErrors) {
  EXPECT_EQ(error_of([] {
              (void)fisher_exact(std::vector<double>{1, 2, 3}, 1, 3);
            }),
            "fisher_exact: table must be at least 2 x 2, got 1 x 3");
  EXPECT_EQ(error_of([] {
              (void)fisher_exact(std::vector<double>{1, 2, 3, 4, 5}, 2, 3);
            }),
            "fisher_exact: table has 5 counts, expected rows * cols = 6");
  EXPECT_EQ(error_of([] {
              (void)fisher_exact(std::vector<double>{1, 2, 3, 4, 5.5, 6}, 2, 3);
            }),
            "fisher_exact: table[1][1] must be a whole number (an exact test needs counts), got 5.5");
  EXPECT_EQ(error_of([] {
              (void)fisher_exact(std::vector<double>{1, 2, -3, 4, 5, 6}, 2, 3);
            }),
            "fisher_exact: table[0][2] must be >= 0, got -3");
  // A table whose enumeration exceeds the budget is refused, not left running.
  const std::vector<double> big = {20, 15, 12, 8, 5, 10, 14, 18, 22, 9, 7, 11, 13, 16, 20};
  EXPECT_NE(error_of([&] {
              (void)fisher_exact(big, 3, 5, 1e5);
            }).find("fisher_exact: the exact r x c enumeration needs more than max_work=1e+05 steps"),
            std::string::npos);
}
