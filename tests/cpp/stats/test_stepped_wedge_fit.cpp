// Hussey & Hughes mixed-model fit against statsmodels 0.14 MixedLM on a deterministic panel reproduced by:
//   rows: cluster i in 0..5, period j in 0..3, x = j >= 1 + i // 2, individual k in 0..(3 + (i+j) % 3 - 1),
//   y = 1 + 0.1 j + 0.4 x + 0.5 sin(7 i) + sin(13 i + 7 j + 3 k)
//   smf.mixedlm("y ~ C(period) + treat", df, groups=df["cluster"]).fit(reml=..., method="bfgs", gtol=1e-12)
// statsmodels' optimiser stops at a gradient tolerance, so values agree to ~1e-6 relative; the
// log-likelihood, flat at the optimum, to 1e-9. Also: the power of a DiD design and futility bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/did.hpp"
#include "missionkit/stats/sequential.hpp"
#include "missionkit/stats/stepped_wedge_fit.hpp"

namespace ms = missionkit::stats;

namespace {

struct panel {
  std::vector<std::int64_t> c, p, x;
  std::vector<double> y;
};

panel make_panel() {
  panel d;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 4; ++j) {
      const int x = j >= 1 + i / 2 ? 1 : 0;
      for (int k = 0; k < 3 + (i + j) % 3; ++k) {
        d.c.push_back(i);
        d.p.push_back(j);
        d.x.push_back(x);
        d.y.push_back(1 + 0.1 * j + 0.4 * x + 0.5 * std::sin(7.0 * i) +
                      std::sin(13.0 * i + 7.0 * j + 3.0 * k));
      }
    }
  return d;
}

}  // namespace

TEST(SteppedWedgeFit, MatchesStatsmodelsReml) {
  const auto d = make_panel();
  const auto r = ms::stepped_wedge_fit(ms::sw_cells_from_rows(d.c, d.p, d.x, d.y), true);
  EXPECT_NEAR(r.theta, 0.49936034890244746, 1e-6 * 0.5);
  EXPECT_NEAR(r.std_error_observed, 0.26747412667836595, 1e-6 * 0.27);
  EXPECT_NEAR(r.tau2, 0.05338311989439649, 1e-5 * 0.053);
  EXPECT_NEAR(r.sigma2, 0.5563393426092765, 1e-6 * 0.56);
  EXPECT_NEAR(r.log_likelihood, -112.1620292417303, 1e-9 * 112);
  EXPECT_EQ(r.clusters, 6);
  EXPECT_EQ(r.periods, 4);
  EXPECT_EQ(r.n_obs, 96.0);
  EXPECT_EQ(r.reversals, 0);
}

TEST(SteppedWedgeFit, MatchesStatsmodelsMl) {
  const auto d = make_panel();
  const auto r = ms::stepped_wedge_fit(ms::sw_cells_from_rows(d.c, d.p, d.x, d.y), false);
  EXPECT_NEAR(r.theta, 0.5171501150458491, 1e-6 * 0.52);
  EXPECT_NEAR(r.std_error_observed, 0.2577934757373018, 1e-6 * 0.26);
  EXPECT_NEAR(r.tau2, 0.03677215870588468, 1e-5 * 0.037);
  EXPECT_NEAR(r.sigma2, 0.5330418154938, 1e-6 * 0.53);
  EXPECT_NEAR(r.log_likelihood, -108.24875407898423, 1e-9 * 108);
}

TEST(SteppedWedgeFit, SumsEqualRows) {
  const auto d = make_panel();
  const auto a = ms::stepped_wedge_fit(ms::sw_cells_from_rows(d.c, d.p, d.x, d.y));
  std::vector<double> n(d.y.size(), 1.0), sq(d.y.size());
  for (std::size_t i = 0; i < d.y.size(); ++i) sq[i] = d.y[i] * d.y[i];
  // one summary row per individual: merged into cells by the library
  const auto b = ms::stepped_wedge_fit(ms::sw_cells_from_sums(d.c, d.p, d.x, n, d.y, sq));
  EXPECT_NEAR(a.theta, b.theta, 1e-12);
  EXPECT_NEAR(a.log_likelihood, b.log_likelihood, 1e-10);
  EXPECT_NEAR(a.tau2, b.tau2, 1e-10);
}

TEST(SteppedWedgeFit, Errors) {
  auto d = make_panel();
  auto x = d.x;
  x[0] = 1 - x[0];
  EXPECT_THROW((void)ms::sw_cells_from_rows(d.c, d.p, x, d.y), missionkit::data_error);
  std::vector<std::int64_t> all(d.x.size(), 1);
  EXPECT_THROW((void)ms::stepped_wedge_fit(ms::sw_cells_from_rows(d.c, d.p, all, d.y)),
               missionkit::data_error);
  std::vector<std::int64_t> one(d.c.size(), 0);
  EXPECT_THROW((void)ms::stepped_wedge_fit(ms::sw_cells_from_rows(one, d.p, d.x, d.y)),
               missionkit::data_error);
  auto y = d.y;
  y[3] = std::nan("");
  EXPECT_THROW((void)ms::sw_cells_from_rows(d.c, d.p, d.x, y), missionkit::data_error);
}

TEST(DidPower, OnePeriodEachSide) {
  // D = 2 (1 - rho) = 1 at rho = 0.5: n = 392.443... per group for effect 0.2, power 0.8
  // (statsmodels NormalIndPower().solve_power(0.2, power=0.8, alpha=0.05) = 392.4430232577885).
  ms::did_power_query q;
  q.effect = 0.2;
  q.power = 0.8;
  q.rho = 0.5;
  const auto r = ms::did_power(q);
  EXPECT_NEAR(r.n_treated, 392.4430232577885, 1e-4);
  EXPECT_DOUBLE_EQ(r.variance_factor, 1.0);
}

TEST(Futility, OneLookMeetsFixedDesign) {
  // With a single look the design is the fixed-sample one: drift = z_alpha + z_beta, inflation 1.
  const std::vector<double> t{1.0};
  const auto up = ms::group_sequential_bounds(t, 0.025, ms::spending_function::obrien_fleming, 1).upper;
  const auto f = ms::futility_bounds(t, up, 0.025, 0.1, ms::spending_function::obrien_fleming);
  EXPECT_NEAR(f.drift, 1.959963984540054 + 1.2815515655446004, 1e-9);
  EXPECT_NEAR(f.inflation, 1.0, 1e-9);
  EXPECT_DOUBLE_EQ(f.lower[0], up[0]);
}
