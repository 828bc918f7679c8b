// Fixed effects, DiD and event study against statsmodels 0.15 OLS with explicit dummies. The panel is a
// deterministic formula, reproduced in Python by:
//   E = {2: 3, 3: 3, 5: 2, 6: 4}  # first treated period of the treated units; others never treated
//   rows = [(u, t) for u in range(8) for t in range(6) if (u, t) != (1, 2)]   # one row missing
//   d = t >= E[u] (False for never treated); y = 0.5*u + 0.2*t + 1.5*d + np.sin(13*u + 7*t);
//   x = np.cos(5*u + 3*t)
//   D = pd.get_dummies(df[["unit", "time"]].astype(str), drop_first=True, dtype=float)
//   sm.OLS(y, sm.add_constant(pd.concat([df[["x", "D"]], D], axis=1))).fit(cov_type=..., cov_kwds=...)
// and for the event study (leads=2, lags=1, reference=-1) the dummies 1{clip(t - E, -2, 1) = r} for
// r = -2, 0, 1 in place of x and D, cov_type="cluster" by unit; wald_test(R for "t-2", use_f=False).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/did.hpp"
#include "missionkit/stats/fixed_effects.hpp"

namespace {

namespace ms = missionkit::stats;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct panel {
  std::vector<double> y, xd, e;  // xd: column-major [x, D]
  std::vector<std::int64_t> unit, time;
  std::size_t n = 0;
};

panel make() {
  panel p;
  std::vector<double> x, d;
  for (int u = 0; u < 8; ++u)
    for (int t = 0; t < 6; ++t) {
      if (u == 1 && t == 2) continue;
      const double e = u == 2 || u == 3 ? 3.0 : u == 5 ? 2.0 : u == 6 ? 4.0 : nan;
      const double dv = !std::isnan(e) && t >= e ? 1.0 : 0.0;
      p.y.push_back(0.5 * u + 0.2 * t + 1.5 * dv + std::sin(13.0 * u + 7.0 * t));
      x.push_back(std::cos(5.0 * u + 3.0 * t));
      d.push_back(dv);
      p.e.push_back(e);
      p.unit.push_back(u);
      p.time.push_back(t);
    }
  p.n = p.y.size();
  p.xd = x;
  p.xd.insert(p.xd.end(), d.begin(), d.end());
  return p;
}

void near_rel(double got, double want) { EXPECT_NEAR(got, want, 1e-8 * std::abs(want)) << want; }

TEST(FixedEffects, TwoWayMatchesDummyRegression) {
  const panel p = make();
  const auto xv = ms::matrix_view::column_major(p.xd.data(), p.n, 2);
  ms::fe_options o;
  o.names = {"x", "D"};
  const auto r = ms::ols_fe(p.y, xv, {p.unit, p.time}, o);
  near_rel(r.ols.params[0], 0.027272604176517362);
  near_rel(r.ols.params[1], 1.0818006432581195);
  near_rel(r.ols.bse[0], 0.10501357591943984);
  near_rel(r.ols.bse[1], 0.28932497251893324);
  EXPECT_EQ(r.n_absorbed, 8u + 6u - 1u);
  EXPECT_DOUBLE_EQ(r.ols.df_resid, 47.0 - 2.0 - 13.0);
  o.cov = ms::cov_type::hc1;
  const auto h = ms::ols_fe(p.y, xv, {p.unit, p.time}, o);
  near_rel(h.ols.bse[0], 0.10549877674501786);
  near_rel(h.ols.bse[1], 0.28752607749300313);
  o.cov = ms::cov_type::cluster;
  o.groups = p.unit;
  const auto c = ms::ols_fe(p.y, xv, {p.unit, p.time}, o);
  near_rel(c.ols.bse[0], 0.03242469371856877);
  near_rel(c.ols.bse[1], 0.4843065546261242);
}

TEST(FixedEffects, OneWay) {
  const panel p = make();
  const auto r = ms::ols_fe(p.y, ms::matrix_view::column_major(p.xd.data(), p.n, 1), {p.unit});
  near_rel(r.ols.params[0], 0.09090224720928367);
  near_rel(r.ols.bse[0], 0.1253218879171919);
  near_rel(r.ols.rsquared, 0.7562634762567931);
}

TEST(FixedEffects, Errors) {
  const panel p = make();
  std::vector<double> absorbed(p.n);
  for (std::size_t i = 0; i < p.n; ++i) absorbed[i] = static_cast<double>(p.unit[i]) * 2.0;
  ms::fe_options o;
  o.names = {"size"};
  try {
    (void)ms::ols_fe(p.y, ms::matrix_view::column_major(absorbed.data(), p.n, 1), {p.unit, p.time}, o);
    FAIL() << "expected domain_error";
  } catch (const missionkit::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("'size' is absorbed"), std::string::npos) << e.what();
  }
  o.cov = ms::cov_type::hc3;
  EXPECT_THROW((void)ms::ols_fe(p.y, ms::matrix_view::column_major(p.xd.data(), p.n, 1), {p.unit}, o),
               missionkit::domain_error);
  std::vector<std::int64_t> short_fe(p.unit.begin(), p.unit.end() - 1);
  EXPECT_THROW((void)ms::ols_fe(p.y, ms::matrix_view::column_major(p.xd.data(), p.n, 1), {short_fe}),
               missionkit::domain_error);
}

TEST(Did, MatchesDummyRegressionClustered) {
  const panel p = make();
  // statsmodels: treated alone with unit and time dummies, cov_type="cluster", groups=unit.
  const auto r = ms::did(p.y, p.unit, p.time, p.e);
  ASSERT_EQ(r.ols.names.at(0), "treated");
  // Consistency with ols_fe on the explicit indicator (the pasted oracle above includes x).
  ms::fe_options o;
  o.cov = ms::cov_type::cluster;
  o.groups = p.unit;
  const auto f =
      ms::ols_fe(p.y, ms::matrix_view::column_major(p.xd.data() + p.n, p.n, 1), {p.unit, p.time}, o);
  near_rel(r.ols.params[0], f.ols.params[0]);
  near_rel(r.ols.bse[0], f.ols.bse[0]);
}

TEST(Did, Errors) {
  panel p = make();
  std::vector<double> never(p.n, nan);
  EXPECT_THROW((void)ms::did(p.y, p.unit, p.time, never), missionkit::domain_error);
  p.e[3] = 1.0;  // unit 0 gets two different treatment dates
  try {
    (void)ms::did(p.y, p.unit, p.time, p.e);
    FAIL() << "expected domain_error";
  } catch (const missionkit::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("treated_from must be the same"), std::string::npos) << e.what();
  }
}

TEST(DidEventStudy, MatchesDummyRegressionAndWald) {
  const panel p = make();
  const auto r = ms::event_study(p.y, p.unit, p.time, p.e, 2, 1, -1);
  ASSERT_EQ(r.fit.ols.names, (std::vector<std::string>{"t-2", "t+0", "t+1"}));
  near_rel(r.fit.ols.params[0], 0.0877493594165043);
  near_rel(r.fit.ols.params[1], 1.2993123596863234);
  near_rel(r.fit.ols.params[2], 0.9914397894916365);
  near_rel(r.fit.ols.bse[0], 0.28014165382733863);
  near_rel(r.fit.ols.bse[1], 0.3091535880894819);
  near_rel(r.fit.ols.bse[2], 0.5461789380736064);
  ASSERT_EQ(r.lead_index, (std::vector<std::size_t>{0}));
  near_rel(r.pretrend.statistic, 0.09811435046221624);
  near_rel(r.pretrend.pvalue, 0.7541043299304041);
  EXPECT_DOUBLE_EQ(r.pretrend.df_denom, 7.0);  // clusters - 1
  EXPECT_THROW((void)ms::event_study(p.y, p.unit, p.time, p.e, 1, 1, -1), missionkit::domain_error);
  EXPECT_THROW((void)ms::event_study(p.y, p.unit, p.time, p.e, 2, 1, 5), missionkit::domain_error);
}

}  // namespace
