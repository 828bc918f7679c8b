// OLS covariances against statsmodels 0.15, the chunked (mergeable) fit against the one-call fit, and the
// error messages. The data are a deterministic formula so that the Python call reproducing each oracle is
// in the comment: i = np.arange(12); x1 = (i*7 % 5) + 0.5*i; x2 = 3*np.sin(i);
// y = 1 + 2*x1 - x2 + np.cos(3*i)*(1 + i/4); g = i % 4; g2 = i % 3;
// sm.OLS(y, sm.add_constant(np.column_stack([x1, x2]))).fit(cov_type=..., cov_kwds=...).bse
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/regression.hpp"

namespace {

namespace ms = missionkit::stats;

struct data {
  std::vector<double> y, x;  // x column-major, 2 columns
  std::vector<std::int64_t> g, g2;
  std::size_t n;
};

data make(std::size_t n) {
  data d{{}, std::vector<double>(2 * n), {}, {}, n};
  for (std::size_t k = 0; k < n; ++k) {
    const double i = static_cast<double>(k);
    const double x1 = static_cast<double>(k * 7 % 5) + 0.5 * i;
    const double x2 = 3.0 * std::sin(i);
    d.x[k] = x1;
    d.x[n + k] = x2;
    d.y.push_back(1.0 + 2.0 * x1 - x2 + std::cos(3.0 * i) * (1.0 + i / 4.0));
    d.g.push_back(static_cast<std::int64_t>(k % 4));
    d.g2.push_back(static_cast<std::int64_t>(k % 3));
  }
  return d;
}

void expect_rel(const std::vector<double>& got, const std::vector<double>& want, double rtol) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t j = 0; j < got.size(); ++j) EXPECT_NEAR(got[j], want[j], rtol * std::abs(want[j])) << j;
}

TEST(OlsCov, MatchesStatsmodels) {
  const data d = make(12);
  const auto x = ms::matrix_view::column_major(d.x.data(), d.n, 2);
  ms::ols_options o;
  const ms::ols_result r = ms::ols(d.y, x, o);
  expect_rel(r.params, {1.022309065651716, 2.0055831068000796, -1.0246176732902765}, 1e-12);
  EXPECT_NEAR(r.rsquared, 0.9347491397132416, 1e-13);
  const std::vector<std::pair<ms::cov_type, std::vector<double>>> cases{
      {ms::cov_type::hc0, {0.8356167595121227, 0.14908353403197913, 0.17841069365086823}},
      {ms::cov_type::hc1, {0.9648871220873737, 0.17214683701020778, 0.20601092401127327}},
      {ms::cov_type::hc2, {1.0062152294510265, 0.17992752873268816, 0.2072154574553687}},
      {ms::cov_type::hc3, {1.2239038182888078, 0.2190511361216267, 0.24129778678178201}},
      {ms::cov_type::cluster, {1.0954337999748638, 0.10970124410571051, 0.08106833499662082}},  // groups=g
  };
  for (const auto& [cov, bse] : cases) {
    o.cov = cov;
    o.groups = d.g;
    expect_rel(ms::ols(d.y, x, o).bse, bse, 1e-11);
  }
}

// Pass 1 and pass 2 over three chunks, merged in a different order, give the one-call fit.
TEST(OlsMerge, ChunkedEqualsOneCall) {
  const data d = make(3000);
  ms::ols_options o;
  o.cov = ms::cov_type::cluster;
  o.groups = d.g;
  o.groups2 = d.g2;
  const auto full = ms::matrix_view::column_major(d.x.data(), d.n, 2);
  const ms::ols_result one = ms::ols(d.y, full, o);

  const std::size_t cuts[] = {0, 700, 2100, 3000};
  auto chunk = [&](std::size_t c) {
    ms::matrix_view v = full;
    v.data += cuts[c];
    v.rows = cuts[c + 1] - cuts[c];
    return v;
  };
  auto span_of = [&](const auto& v, std::size_t c) {
    return std::span(v).subspan(cuts[c], cuts[c + 1] - cuts[c]);
  };
  std::vector<ms::ols_partial> p1(3, ms::ols_partial(2, true));
  for (std::size_t c = 0; c < 3; ++c) p1[c].add(span_of(d.y, c), chunk(c), span_of(d.g, c), span_of(d.g2, c));
  p1[2] += p1[0];
  p1[2] += p1[1];
  const ms::ols_fit fit = p1[2].solve();
  std::vector<ms::ols_scores> p2(3, ms::ols_scores(fit, o.cov, true));
  for (std::size_t c = 0; c < 3; ++c) p2[c].add(span_of(d.y, c), chunk(c), span_of(d.g, c), span_of(d.g2, c));
  p2[1] += p2[2];
  p2[1] += p2[0];
  const ms::ols_result merged = p2[1].finish(o);
  // Rounding differs with the merge order; X (x1 up to 1500 next to the intercept) has condition ~1e4.
  expect_rel(merged.params, one.params, 1e-10);
  // Two-way V1 + V2 - V12 cancels a few digits, which a different summation order exposes.
  expect_rel(merged.bse, one.bse, 1e-10);
  EXPECT_EQ(merged.n_groups, 4u);
  EXPECT_EQ(merged.n_groups2, 3u);

  // The classical sufficient statistics, recovered from R.
  const std::vector<double> xtx = p1[2].xtx();
  double s00 = 0, s11 = 0, s12 = 0, sy = 0;
  for (std::size_t i = 0; i < d.n; ++i) {
    s00 += 1.0;
    s11 += d.x[i] * d.x[i];
    s12 += d.x[i] * d.x[d.n + i];
    sy += d.x[d.n + i] * d.y[i];
  }
  EXPECT_NEAR(xtx[0], s00, 1e-12 * s00);
  EXPECT_NEAR(xtx[4], s11, 1e-12 * s11);
  EXPECT_NEAR(xtx[7], s12, 1e-11 * std::abs(s11));
  EXPECT_NEAR(p1[2].xty()[2], sy, 1e-11 * std::abs(s11));
}

TEST(OlsMissing, NanRowsAndMissingLabelsAreDroppedAndCounted) {
  data d = make(40);
  d.y[3] = std::numeric_limits<double>::quiet_NaN();
  d.x[40 + 9] = std::numeric_limits<double>::quiet_NaN();
  d.g[20] = -1;
  ms::ols_options o;
  o.cov = ms::cov_type::cluster;
  o.groups = d.g;
  const ms::ols_result r = ms::ols(d.y, ms::matrix_view::column_major(d.x.data(), d.n, 2), o);
  EXPECT_EQ(r.nobs, 37u);
  EXPECT_EQ(r.nobs_dropped, 3u);
  o.cov = ms::cov_type::hc1;  // labels only matter for cluster
  EXPECT_EQ(ms::ols(d.y, ms::matrix_view::column_major(d.x.data(), d.n, 2), o).nobs, 38u);
}

TEST(OlsErrors, CollinearColumnIsNamed) {
  data d = make(30);
  for (std::size_t i = 0; i < 30; ++i) d.x[30 + i] = 2.0 * d.x[i] - 1.0;  // x2 = 2 x1 - const
  ms::ols_options o;
  o.names = {"tenure", "tenure_x2"};
  try {
    (void)ms::ols(d.y, ms::matrix_view::column_major(d.x.data(), d.n, 2), o);
    FAIL() << "expected domain_error";
  } catch (const missionkit::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("column 'tenure_x2' is a linear combination"), std::string::npos)
        << e.what();
  }
  o.cov = ms::cov_type::cluster;
  EXPECT_THROW((void)ms::ols(d.y, ms::matrix_view::column_major(d.x.data(), d.n, 2), o),
               missionkit::domain_error);
}

}  // namespace
