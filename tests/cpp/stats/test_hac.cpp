// Newey-West (HAC) covariance of OLS against statsmodels 0.15, and the chunked fit (lag products across
// chunk boundaries formed on merge) against the one-call fit. Oracle (Python):
//   i = np.arange(40); x1 = (i*7 % 5) + 0.5*i; x2 = 3*np.sin(i)
//   y = 1 + 2*x1 - x2 + np.cos(3*i)*(1 + i/4) + np.sin(i*i % 7)
//   X = sm.add_constant(np.column_stack([x1, x2]))
//   sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L}).bse   # use_correction=False, normal
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "missionkit/stats/regression.hpp"

namespace {

namespace ms = missionkit::stats;

struct series {
  std::vector<double> y, x;  // x column-major, 2 columns
  std::size_t n;
};

series make(std::size_t n) {
  series d{{}, std::vector<double>(2 * n), n};
  for (std::size_t k = 0; k < n; ++k) {
    const double i = static_cast<double>(k);
    const double x1 = static_cast<double>(k * 7 % 5) + 0.5 * i;
    const double x2 = 3.0 * std::sin(i);
    d.x[k] = x1;
    d.x[n + k] = x2;
    d.y.push_back(1.0 + 2.0 * x1 - x2 + std::cos(3.0 * i) * (1.0 + i / 4.0) +
                  std::sin(static_cast<double>(k * k % 7)));
  }
  return d;
}

void expect_rel(const std::vector<double>& got, const std::vector<double>& want, double rtol) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t j = 0; j < got.size(); ++j) EXPECT_NEAR(got[j], want[j], rtol * std::abs(want[j])) << j;
}

ms::ols_options hac(std::size_t maxlags) {
  ms::ols_options o;
  o.cov = ms::cov_type::hac;
  o.maxlags = maxlags;
  return o;
}

TEST(HacOls, MatchesStatsmodels) {
  const series d = make(40);
  const auto x = ms::matrix_view::column_major(d.x.data(), d.n, 2);
  const struct {
    std::size_t lags;
    std::vector<double> bse;
  } cases[] = {
      {0, {0.9614527910786913, 0.10170390393261254, 0.31594437448437607}},
      {1, {0.521773535830544, 0.05068842804747496, 0.2267044120029}},
      {3, {0.5534331132802252, 0.05412055699118022, 0.16200008859457293}},
      {10, {0.3943878993894776, 0.038361661318238024, 0.09810527022142805}},
  };
  for (const auto& c : cases) {
    const ms::ols_result r = ms::ols(d.y, x, hac(c.lags));
    expect_rel(r.bse, c.bse, 1e-12);
    EXPECT_EQ(r.maxlags, c.lags);
    EXPECT_FALSE(r.use_t);  // statsmodels: normal reference for robust covariances
    EXPECT_EQ(r.df_inference, std::numeric_limits<double>::infinity());
  }
}

TEST(HacOls, UseCorrectionMatchesStatsmodels) {
  // sm.OLS(y, sm.add_constant(X)).fit(cov_type="HAC", cov_kwds={"maxlags": 3, "use_correction": True}).bse
  const series d = make(40);
  const auto x = ms::matrix_view::column_major(d.x.data(), d.n, 2);
  auto o = hac(3);
  o.use_correction = true;
  const ms::ols_result r = ms::ols(d.y, x, o);
  expect_rel(r.bse, {0.5754323506157619, 0.0562718756409148, 0.16843967146710237}, 1e-12);
  EXPECT_TRUE(r.use_correction);
  EXPECT_FALSE(ms::ols(d.y, x, hac(3)).use_correction);
}

TEST(HacOls, ZeroLagsIsHc0) {
  const series d = make(40);
  const auto x = ms::matrix_view::column_major(d.x.data(), d.n, 2);
  ms::ols_options o;
  o.cov = ms::cov_type::hc0;
  expect_rel(ms::ols(d.y, x, hac(0)).cov_params, ms::ols(d.y, x, o).cov_params, 1e-13);
}

// Every row in its own state, merged in time order: all lag products come from operator+= (states shorter
// than L, head and tail overlapping), none from the in-chunk path that the one-call fit (parallel blocks
// of 1,024-row chunks) uses. The two must agree.
TEST(HacOls, RowByRowMergeMatchesOneCall) {
  const series d = make(3000);
  const auto x = ms::matrix_view::column_major(d.x.data(), d.n, 2);
  constexpr std::size_t lags = 7;
  ms::ols_partial p1(2);
  p1.add(d.y, x);
  const ms::ols_fit fit = p1.solve();
  ms::ols_scores total(fit, ms::cov_type::hac, false, lags);
  for (std::size_t i = 0; i < d.n; ++i) {
    ms::matrix_view row = x;
    row.data = d.x.data() + i;
    row.rows = 1;
    ms::ols_scores s(fit, ms::cov_type::hac, false, lags);
    s.add(std::span<const double>(d.y).subspan(i, 1), row);
    total += s;
  }
  const ms::ols_result merged = total.finish(hac(lags));
  expect_rel(merged.cov_params, ms::ols(d.y, x, hac(lags)).cov_params, 1e-10);
}

// Uneven chunks added to one state in sequence (the tail carried between add() calls), then merged.
TEST(HacOls, SequentialAddsMatchOneCall) {
  const series d = make(2500);
  const auto x = ms::matrix_view::column_major(d.x.data(), d.n, 2);
  constexpr std::size_t lags = 12;
  ms::ols_partial p1(2);
  p1.add(d.y, x);
  const ms::ols_fit fit = p1.solve();
  const std::size_t cuts[] = {0, 3, 5, 1100, 1107, 2500};
  ms::ols_scores a(fit, ms::cov_type::hac, false, lags);
  ms::ols_scores b(fit, ms::cov_type::hac, false, lags);
  for (std::size_t c = 0; c + 1 < std::size(cuts); ++c) {
    ms::matrix_view part = x;
    part.data = d.x.data() + cuts[c];
    part.rows = cuts[c + 1] - cuts[c];
    (c < 3 ? a : b).add(std::span<const double>(d.y).subspan(cuts[c], part.rows), part);
  }
  a += b;
  expect_rel(a.finish(hac(lags)).cov_params, ms::ols(d.y, x, hac(lags)).cov_params, 1e-10);
}

}  // namespace
