// Stepped-wedge design and Hussey & Hughes (2007) power. Oracle: the GLS variance of theta computed
// directly, Var(theta_hat) = [(Z' V^-1 Z)^-1]_theta,theta with Z = [period dummies | X] and V block
// diagonal, V_i = sigma^2 I_T + tau^2 J_T (V_i^-1 = (I_T - tau^2 / (sigma^2 + T tau^2) J_T) / sigma^2),
// inverted by Gauss-Jordan elimination here; the closed form must agree to rounding.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../support.hpp"
#include "missionkit/stats/distributions.hpp"
#include "missionkit/stats/stepped_wedge.hpp"

using namespace missionkit::stats;
using missionkit::testing::error_of;

namespace {

double gls_variance(const sw_design& d, double sigma_e, double tau, double m) {
  const int n_t = d.periods, p = n_t + 1;
  const double s2 = sigma_e * sigma_e / m, t2 = tau * tau;
  const double k = t2 / (s2 + n_t * t2);
  std::vector<double> info(static_cast<std::size_t>(p * p), 0.0);
  for (int i = 0; i < d.clusters; ++i) {
    // Z_i rows: period dummy j and x_ij; accumulate Z_i' V_i^-1 Z_i.
    std::vector<double> z(static_cast<std::size_t>(n_t * p), 0.0);
    for (int j = 0; j < n_t; ++j) {
      z[j * p + j] = 1.0;
      z[j * p + n_t] = d.at(i, j);
    }
    for (int a = 0; a < p; ++a) {
      for (int b = 0; b < p; ++b) {
        double sab = 0.0, sa = 0.0, sb = 0.0;
        for (int j = 0; j < n_t; ++j) {
          sab += z[j * p + a] * z[j * p + b];
          sa += z[j * p + a];
          sb += z[j * p + b];
        }
        info[a * p + b] += (sab - k * sa * sb) / s2;
      }
    }
  }
  // Gauss-Jordan inverse, partial pivoting.
  std::vector<double> inv(static_cast<std::size_t>(p * p), 0.0);
  for (int a = 0; a < p; ++a) inv[a * p + a] = 1.0;
  for (int c = 0; c < p; ++c) {
    int piv = c;
    for (int r = c + 1; r < p; ++r)
      if (std::abs(info[r * p + c]) > std::abs(info[piv * p + c])) piv = r;
    for (int q = 0; q < p; ++q) {
      std::swap(info[c * p + q], info[piv * p + q]);
      std::swap(inv[c * p + q], inv[piv * p + q]);
    }
    const double f = info[c * p + c];
    for (int q = 0; q < p; ++q) {
      info[c * p + q] /= f;
      inv[c * p + q] /= f;
    }
    for (int r = 0; r < p; ++r) {
      if (r == c) continue;
      const double g = info[r * p + c];
      for (int q = 0; q < p; ++q) {
        info[r * p + q] -= g * info[c * p + q];
        inv[r * p + q] -= g * inv[c * p + q];
      }
    }
  }
  return inv[n_t * p + n_t];
}

}  // namespace

TEST(SteppedWedgeTest, DesignMatrixIsTheStandardStaircase) {
  auto d = stepped_wedge_design(6, 3, 1);  // 3 steps of 2 clusters, 4 periods
  ASSERT_EQ(d.clusters, 6);
  ASSERT_EQ(d.periods, 4);
  const int want[6][4] = {{0, 1, 1, 1}, {0, 1, 1, 1}, {0, 0, 1, 1}, {0, 0, 1, 1}, {0, 0, 0, 1}, {0, 0, 0, 1}};
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_EQ(d.at(i, j), want[i][j]) << i << "," << j;

  const std::vector<int> per = {1, 3};
  auto e = stepped_wedge_design(per, 2);
  ASSERT_EQ(e.clusters, 4);
  ASSERT_EQ(e.periods, 4);
  EXPECT_EQ(e.at(0, 1), 0);
  EXPECT_EQ(e.at(0, 2), 1);
  EXPECT_EQ(e.at(1, 2), 0);
  EXPECT_EQ(e.at(3, 3), 1);
}

TEST(SteppedWedgeTest, DesignErrorsNameTheProblem) {
  EXPECT_NE(error_of([] { (void)stepped_wedge_design(7, 3); }).find("multiple of steps"), std::string::npos);
  EXPECT_NE(error_of([] { (void)stepped_wedge_design(6, 3, 0); }).find("baseline_periods"),
            std::string::npos);
  const std::vector<int> bad = {2, 0};
  EXPECT_NE(error_of([&] { (void)stepped_wedge_design(bad); }).find("clusters_per_step[1]"),
            std::string::npos);
}

TEST(SteppedWedgeTest, ClosedFormMatchesGlsVariance) {
  struct Case {
    int clusters, steps, baseline;
    double sigma_e, tau, m;
  };
  for (const Case& c :
       {Case{6, 3, 1, 2.0, 0.5, 20}, Case{24, 4, 1, 1.0, 0.1, 50}, Case{10, 5, 2, 3.0, 1.0, 5},
        Case{12, 12, 1, 1.0, 0.0, 10}, Case{8, 2, 3, 0.5, 2.0, 1}}) {
    auto d = stepped_wedge_design(c.clusters, c.steps, c.baseline);
    auto r = stepped_wedge_power(d, 0.3, c.sigma_e, c.tau, c.m, 0.05);
    const double want = gls_variance(d, c.sigma_e, c.tau, c.m);
    MK_EXPECT_REL(r.variance, want, 1e-10) << c.clusters << " " << c.steps;
    EXPECT_NEAR(r.power, normal_cdf(0.3 / std::sqrt(want) - normal_ppf(0.975)), 1e-10);
  }
}

TEST(SteppedWedgeTest, SummariesAndArbitraryDesigns) {
  auto d = stepped_wedge_design(6, 3, 1);
  auto r = stepped_wedge_power(d, 0.5, 1.0, 0.2, 10);
  EXPECT_EQ(r.u, 12.0);                     // 2 * (3 + 2 + 1)
  EXPECT_EQ(r.w, 0.0 + 4.0 + 16.0 + 36.0);  // column sums 0, 2, 4, 6
  EXPECT_EQ(r.v, 2.0 * (9.0 + 4.0 + 1.0));
  EXPECT_GT(r.power, 0.0);
  EXPECT_LT(r.power, 1.0);
  // Power grows with the effect and the cluster-period size, symmetric in the sign of theta.
  EXPECT_LT(r.power, stepped_wedge_power(d, 0.8, 1.0, 0.2, 10).power);
  EXPECT_LT(r.power, stepped_wedge_power(d, 0.5, 1.0, 0.2, 40).power);
  EXPECT_DOUBLE_EQ(r.power, stepped_wedge_power(d, -0.5, 1.0, 0.2, 10).power);
  // A hand-made incomplete design goes through the same formula and oracle.
  sw_design h{3, 3, {0, 1, 1, 0, 0, 1, 0, 1, 0}};
  MK_EXPECT_REL(stepped_wedge_power(h, 1.0, 1.0, 0.7, 4).variance, gls_variance(h, 1.0, 0.7, 4), 1e-10);
}

TEST(SteppedWedgeTest, InvalidInputsAreErrors) {
  auto d = stepped_wedge_design(4, 2);
  EXPECT_NE(error_of([&] { (void)stepped_wedge_power(d, 1, 0.0, 0.1, 10); }).find("sigma_e"),
            std::string::npos);
  EXPECT_NE(error_of([&] { (void)stepped_wedge_power(d, 1, 1.0, -0.1, 10); }).find("tau"), std::string::npos);
  EXPECT_NE(error_of([&] { (void)stepped_wedge_power(d, 1, 1.0, 0.1, 0); }).find("m"), std::string::npos);
  EXPECT_NE(error_of([&] { (void)stepped_wedge_power(d, 1, 1.0, 0.1, 10, 1.5); }).find("alpha"),
            std::string::npos);
  sw_design none{2, 3, {0, 0, 0, 0, 0, 0}};
  EXPECT_NE(error_of([&] { (void)stepped_wedge_power(none, 1, 1.0, 0.1, 10); }).find("not identified"),
            std::string::npos);
  sw_design two{1, 2, {0, 2}};
  EXPECT_NE(error_of([&] { (void)stepped_wedge_power(two, 1, 1.0, 0.1, 10); }).find("0 or 1"),
            std::string::npos);
}
