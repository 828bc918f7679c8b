// Distribution functions against scipy.stats 1.17.1. Each row's oracle comes from the scipy call with the
// same name and arguments (normal -> stats.norm, binom -> stats.binom, nct -> stats.nct), printed with
// repr(); the generator was
//   for call in [...]: print(repr(float(eval("stats." + call.replace("normal_", "norm.")...))))
// i.e. normal_cdf(-1.5) is stats.norm.cdf(-1.5), t_isf(1e-10, 12.0) is stats.t.isf(1e-10, 12.0), etc.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/distributions.hpp"

using namespace missionkit::stats;

namespace {

struct dist_case {
  const char* call;
  std::function<double()> eval;
  double want;
};

}  // namespace

TEST(StatsDistributions, MatchScipy) {
  const std::vector<dist_case> cases = {
      {"normal_cdf(-1.5)", [] { return normal_cdf(-1.5); }, 0.06680720126885807},
      {"normal_sf(8.0)", [] { return normal_sf(8.0); }, 6.22096057427174e-16},
      {"normal_ppf(0.975)", [] { return normal_ppf(0.975); }, 1.959963984540054},
      {"normal_isf(1e-10)", [] { return normal_isf(1e-10); }, 6.361340902404056},
      {"t_cdf(-2.1, 7.5)", [] { return t_cdf(-2.1, 7.5); }, 0.035618535729039044},
      {"t_sf(2.1, 7.5)", [] { return t_sf(2.1, 7.5); }, 0.035618535729039044},
      {"t_ppf(0.025, 3.0)", [] { return t_ppf(0.025, 3.0); }, -3.1824463052837086},
      {"t_isf(1e-10, 12.0)", [] { return t_isf(1e-10, 12.0); }, 19.391546179047733},
      {"chi2_cdf(3.2, 4.0)", [] { return chi2_cdf(3.2, 4.0); }, 0.47506905321389586},
      {"chi2_sf(30.0, 4.0)", [] { return chi2_sf(30.0, 4.0); }, 4.894437128029217e-06},
      {"chi2_ppf(0.95, 1.0)", [] { return chi2_ppf(0.95, 1.0); }, 3.841458820694124},
      {"chi2_isf(1e-10, 2.5)", [] { return chi2_isf(1e-10, 2.5); }, 47.855951712898964},
      {"f_cdf(2.5, 3.0, 20.0)", [] { return f_cdf(2.5, 3.0, 20.0); }, 0.9111562480623107},
      {"f_sf(2.5, 3.0, 20.0)", [] { return f_sf(2.5, 3.0, 20.0); }, 0.08884375193768917},
      {"f_ppf(0.95, 3.0, 20.0)", [] { return f_ppf(0.95, 3.0, 20.0); }, 3.098391212140781},
      {"f_isf(0.01, 2.0, 7.5)", [] { return f_isf(0.01, 2.0, 7.5); }, 9.054558276876003},
      {"beta_cdf(0.3, 2.5, 4.0)", [] { return beta_cdf(0.3, 2.5, 4.0); }, 0.3521975859067672},
      {"beta_sf(0.3, 2.5, 4.0)", [] { return beta_sf(0.3, 2.5, 4.0); }, 0.6478024140932328},
      {"beta_ppf(0.025, 3.0, 8.0)", [] { return beta_ppf(0.025, 3.0, 8.0); }, 0.06673951117773447},
      {"beta_isf(1e-10, 0.5, 10.5)", [] { return beta_isf(1e-10, 0.5, 10.5); }, 0.8688485090668335},
      {"binom_pmf(3.0, 10.0, 0.3)", [] { return binom_pmf(3.0, 10.0, 0.3); }, 0.2668279319999998},
      {"binom_cdf(3.0, 10.0, 0.3)", [] { return binom_cdf(3.0, 10.0, 0.3); }, 0.6496107184000002},
      {"binom_sf(3.0, 10.0, 0.3)", [] { return binom_sf(3.0, 10.0, 0.3); }, 0.3503892815999998},
      {"binom_cdf(3.7, 10.0, 0.3)", [] { return binom_cdf(3.7, 10.0, 0.3); }, 0.6496107184000002},
      {"binom_ppf(0.5, 10.0, 0.3)", [] { return binom_ppf(0.5, 10.0, 0.3); }, 3.0},
      {"binom_ppf(0.95, 1000.0, 0.01)", [] { return binom_ppf(0.95, 1000.0, 0.01); }, 15.0},
      {"nct_cdf(1.5, 10.0, 2.0)", [] { return nct_cdf(1.5, 10.0, 2.0); }, 0.3047854473760421},
      {"nct_sf(2.2281388519649385, 18.0, 2.5)", [] { return nct_sf(2.2281388519649385, 18.0, 2.5); },
       0.6121742007434279},
      {"nct_cdf(-2.0, 30.0, -1.0)", [] { return nct_cdf(-2.0, 30.0, -1.0); }, 0.17044732714457886},
      {"nct_sf(1.97, 398.0, 2.8)", [] { return nct_sf(1.97, 398.0, 2.8); }, 0.796510025777708},
  };
  for (const auto& c : cases) {
    // Boost.Math and scipy (whose special functions are partly Boost.Math too) agree to a few ulps in
    // these regions; 1e-9 relative leaves room for the noncentral t series.
    EXPECT_NEAR(c.eval(), c.want, 1e-9 * std::abs(c.want)) << c.call;
  }
}

TEST(StatsDistributions, SupportEnds) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(normal_ppf(0.0), -inf);
  EXPECT_EQ(normal_ppf(1.0), inf);
  EXPECT_EQ(normal_isf(0.0), inf);
  EXPECT_EQ(t_ppf(1.0, 3.0), inf);
  EXPECT_EQ(chi2_ppf(0.0, 2.0), 0.0);
  EXPECT_EQ(chi2_isf(0.0, 2.0), inf);
  EXPECT_EQ(beta_ppf(0.0, 2.0, 3.0), 0.0);
  EXPECT_EQ(beta_isf(0.0, 2.0, 3.0), 1.0);
  EXPECT_EQ(beta_cdf(-0.5, 2.0, 3.0), 0.0);
  EXPECT_EQ(beta_sf(1.5, 2.0, 3.0), 0.0);
  EXPECT_EQ(chi2_cdf(-1.0, 2.0), 0.0);
  EXPECT_EQ(binom_cdf(-1.0, 10.0, 0.3), 0.0);
  EXPECT_EQ(binom_cdf(10.0, 10.0, 0.3), 1.0);
  EXPECT_EQ(binom_sf(10.0, 10.0, 0.3), 0.0);
  EXPECT_EQ(binom_ppf(1.0, 10.0, 0.3), 10.0);
  EXPECT_EQ(binom_ppf(0.5, 10.0, 0.0), 0.0);
  EXPECT_EQ(binom_ppf(0.5, 10.0, 1.0), 10.0);
  EXPECT_EQ(normal_cdf(-inf), 0.0);
  EXPECT_EQ(normal_sf(-inf), 1.0);
}

TEST(StatsDistributions, DomainErrorsNameTheArgument) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto message = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const missionkit::domain_error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message([] { (void)t_cdf(1.0, 0.0); }), "t_cdf: df must be > 0, got df=0");
  EXPECT_EQ(message([&] { (void)normal_cdf(nan); }), "normal_cdf: x must be a number, got nan");
  EXPECT_EQ(message([] { (void)normal_ppf(1.5); }), "normal_ppf: p must be in [0, 1], got p=1.5");
  EXPECT_EQ(message([] { (void)beta_ppf(0.5, -1.0, 2.0); }), "beta_ppf: a must be finite and > 0, got a=-1");
  EXPECT_EQ(message([] { (void)binom_cdf(1.0, 2.5, 0.5); }),
            "binom_cdf: n must be a non-negative integer, got n=2.5");
  EXPECT_EQ(message([&] { (void)nct_cdf(1.0, 5.0, nan); }), "nct_cdf: nc must be a number, got nan");
  EXPECT_EQ(message([] { (void)f_sf(1.0, 3.0, -2.0); }), "f_sf: dfd must be > 0, got dfd=-2");
}
