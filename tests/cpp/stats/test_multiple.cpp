// adjust_pvalues against statsmodels 0.15.0 statsmodels.stats.multitest.multipletests(p, method=...)[1],
// printed with repr(); each row names its call.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/multiple.hpp"

using namespace missionkit::stats;

namespace {

std::string error_of(const std::vector<double>& p) {
  try {
    (void)adjust_pvalues(p);
  } catch (const missionkit::domain_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(MultiAdjust, MatchesStatsmodels) {
  using m = pvalue_adjustment;
  // Ties (0.04 twice), an exact 0 and 1, and p-values near the underflow limit.
  const std::vector<double> mixed = {0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 1.0, 0.0, 0.049};
  const std::vector<double> single = {0.03};
  const std::vector<double> tiny = {1e-300, 2e-12, 0.5, 3e-12};
  struct adj_case {
    const std::vector<double>* p;
    pvalue_adjustment method;
    std::vector<double> want;
  };
  const std::vector<adj_case> cases = {
      {&mixed,
       m::bonferroni,
       {0.1, 0.4, 0.3, 0.05, 1.0, 0.4, 1.0, 1.0, 0.0, 0.49}},  // multipletests(mixed, method="bonferroni")[1]
      {&mixed,
       m::holm,
       {0.08, 0.24, 0.21, 0.045, 0.6000000000000001, 0.24, 1.0, 1.0, 0.0,
        0.24}},  // multipletests(mixed, method="holm")[1]
      {&mixed,
       m::hochberg,
       {0.08, 0.196, 0.196, 0.045, 0.6000000000000001, 0.196, 1.0, 1.0, 0.0,
        0.196}},  // multipletests(mixed, method="simes-hochberg")[1]
      {&mixed,
       m::bh,
       {0.03333333333333333, 0.06666666666666667, 0.06666666666666667, 0.024999999999999998, 0.25,
        0.06666666666666667, 1.0, 1.0, 0.0, 0.07}},  // multipletests(mixed, method="fdr_bh")[1]
      {&mixed,
       m::by,
       {0.09763227513227513, 0.19526455026455025, 0.19526455026455025, 0.07322420634920634,
        0.7322420634920634, 0.19526455026455025, 1.0, 1.0, 0.0,
        0.20502777777777778}},           // multipletests(mixed, method="fdr_by")[1]
      {&single, m::bonferroni, {0.03}},  // multipletests(single, method="bonferroni")[1]
      {&single, m::holm, {0.03}},        // multipletests(single, method="holm")[1]
      {&single, m::hochberg, {0.03}},    // multipletests(single, method="simes-hochberg")[1]
      {&single, m::bh, {0.03}},          // multipletests(single, method="fdr_bh")[1]
      {&single, m::by, {0.03}},          // multipletests(single, method="fdr_by")[1]
      {&tiny, m::bonferroni, {4e-300, 8e-12, 1.0, 1.2e-11}},  // multipletests(tiny, method="bonferroni")[1]
      {&tiny, m::holm, {4e-300, 6e-12, 0.5, 6e-12}},          // multipletests(tiny, method="holm")[1]
      {&tiny, m::hochberg, {4e-300, 6e-12, 0.5, 6e-12}},  // multipletests(tiny, method="simes-hochberg")[1]
      {&tiny, m::bh, {4e-300, 4e-12, 0.5, 4e-12}},        // multipletests(tiny, method="fdr_bh")[1]
      {&tiny,
       m::by,
       {8.333333333333332e-300, 8.333333333333332e-12, 1.0,
        8.333333333333332e-12}},  // multipletests(tiny, method="fdr_by")[1]
  };
  int row = 0;
  for (const auto& c : cases) {
    const auto got = adjust_pvalues(*c.p, c.method);
    ASSERT_EQ(got.size(), c.want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
      EXPECT_NEAR(got[i], c.want[i], 1e-12 * std::abs(c.want[i])) << "row " << row << " index " << i;
    ++row;
  }
}

TEST(MultiAdjust, EmptyAndErrors) {
  EXPECT_TRUE(adjust_pvalues(std::vector<double>{}, pvalue_adjustment::bh).empty());
  EXPECT_EQ(error_of({0.1, std::numeric_limits<double>::quiet_NaN()}), "adjust_pvalues: pvalues[1] is nan");
  EXPECT_EQ(error_of({0.1, 1.5}), "adjust_pvalues: pvalues[1] must be in [0, 1], got 1.5");
  EXPECT_EQ(error_of({-0.1}), "adjust_pvalues: pvalues[0] must be in [0, 1], got -0.1");
}
