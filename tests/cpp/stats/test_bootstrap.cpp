// Poisson bootstrap of the mean. Bootstrap output is random, so the oracles are (a) closed forms: the
// O(n) jackknife acceleration against a direct O(n^2) jackknife, the interval logic on a fixed replicate
// set against numpy/scipy formulas (values printed by the Python snippet quoted at the test); (b)
// statistics: the Poisson(1) weight frequencies, and the coverage of 95% intervals in seeded simulations;
// (c) exact reproducibility across seeds, thread counts and chunkings. Agreement with
// scipy.stats.bootstrap is checked from Python (tests/python/test_stats_bootstrap.py).
#include <gtest/gtest.h>

#include "../support.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/stats/bootstrap.hpp"

using namespace missionkit::stats;

namespace {

using missionkit::testing::error_of;

std::vector<double> normal_sample(std::size_t n, std::uint64_t seed, double mu = 0.0, double sd = 1.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> d(mu, sd);
  std::vector<double> x(n);
  for (auto& v : x) v = d(rng);
  return x;
}

std::vector<double> exponential_sample(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> d(1.0);
  std::vector<double> x(n);
  for (auto& v : x) v = d(rng);
  return x;
}

// Restores the default thread count however the test ends.
struct thread_guard {
  ~thread_guard() { missionkit::set_threads(0); }
};

TEST(BootstrapWeights, FollowPoissonOne) {
  // 1e6 draws: P(k) = e^-1 / k!; the standard error of a frequency p is sqrt(p (1 - p) / 1e6) <= 5e-4.
  constexpr int n = 1000000;
  std::vector<double> freq(20, 0.0);
  double sum = 0.0;
  double sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const unsigned w = poisson_bootstrap_weight(7, static_cast<std::uint64_t>(i % 1000),
                                                static_cast<std::uint64_t>(i / 1000));
    ASSERT_LT(w, 20U);
    freq[w] += 1.0 / n;
    sum += w;
    sum2 += static_cast<double>(w) * w;
  }
  double p = std::exp(-1.0);
  for (int k = 0; k < 6; ++k) {
    EXPECT_NEAR(freq[k], p, 5 * std::sqrt(p * (1 - p) / n)) << "k=" << k;
    p /= (k + 1);
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 1.0, 0.005);                   // sd of the mean of 1e6 Poisson(1) = 0.001
  EXPECT_NEAR(sum2 / n - mean * mean, 1.0, 0.01);  // variance 1
}

TEST(BootstrapWeights, DependOnlyOnSeedReplicateIndex) {
  EXPECT_EQ(poisson_bootstrap_weight(1, 2, 3), poisson_bootstrap_weight(1, 2, 3));
  int differ = 0;
  for (std::uint64_t i = 0; i < 1000; ++i)
    differ += poisson_bootstrap_weight(1, 2, i) != poisson_bootstrap_weight(2, 2, i);
  EXPECT_GT(differ, 400);  // independent draws differ with probability 1 - sum P(k)^2 = 0.69
}

TEST(BootstrapJackknife, AccelerationMatchesDirectJackknife) {
  for (const auto& x :
       {exponential_sample(57, 3), normal_sample(200, 4, 1e6, 0.01), std::vector<double>{1, 2}}) {
    const std::size_t n = x.size();
    // Direct O(n^2) jackknife (Efron & Tibshirani 1993, eq. 14.15).
    std::vector<double> theta(n);
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0.0;
      for (std::size_t j = 0; j < n; ++j)
        if (j != i) s += x[j];
      theta[i] = s / static_cast<double>(n - 1);
    }
    double bar = 0.0;
    for (const double t : theta) bar += t / static_cast<double>(n);
    double s2 = 0.0;
    double s3 = 0.0;
    for (const double t : theta) {
      s2 += (bar - t) * (bar - t);
      s3 += (bar - t) * (bar - t) * (bar - t);
    }
    const double want = s2 > 0 ? s3 / (6.0 * std::pow(s2, 1.5)) : 0.0;
    // data at 1e6 +- 0.01: the direct leave-one-out means lose ~8 digits, so compare with an absolute 1e-6
    EXPECT_NEAR(jackknife_acceleration_mean(x), want, 1e-6 + 1e-9 * std::abs(want)) << "n=" << n;
  }
  EXPECT_EQ(jackknife_acceleration_mean(std::vector<double>{3, 3, 3}), 0.0);
}

TEST(BootstrapInterval, FixedReplicateSet) {
  // v = np.arange(1, 101.); np.percentile(v, [2.5, 97.5]) -> 3.475, 97.52499999999999
  std::vector<double> v(100);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(100 - i);  // unsorted input
  auto r = bootstrap_interval(v, 50.5, 0.0, 0.05, bootstrap_method::percentile);
  EXPECT_NEAR(r.ci.low, 3.475, 1e-12);
  EXPECT_NEAR(r.ci.high, 97.525, 1e-12);
  EXPECT_NEAR(r.standard_error, 29.011491975882016, 1e-12);  // np.std(v, ddof=1)
  EXPECT_EQ(r.z0, 0.0);
  r = bootstrap_interval(v, 50.5, 0.0, 0.05, bootstrap_method::basic);
  EXPECT_NEAR(r.ci.low, 101.0 - 97.525, 1e-12);
  EXPECT_NEAR(r.ci.high, 101.0 - 3.475, 1e-12);
  // z0 = norm.ppf((39 + 40) / 200) (ties half); a = 0.1;
  // adj(p) = norm.cdf(z0 + (z0 + norm.ppf(p)) / (1 - a (z0 + norm.ppf(p)))); np.percentile(v, 100 adj(p))
  r = bootstrap_interval(v, 40.0, 0.1, 0.05, bootstrap_method::bca);
  EXPECT_NEAR(r.z0, -0.26631061320409494, 1e-12);
  EXPECT_NEAR(r.ci.low, 2.825048804234239, 1e-9);
  EXPECT_NEAR(r.ci.high, 96.22402477884287, 1e-9);
  // NaN replicates (no observation drawn) are skipped
  v.push_back(std::nan(""));
  EXPECT_EQ(bootstrap_interval(v, 50.5, 0.0, 0.05, bootstrap_method::bca).n_resamples, 100U);
}

TEST(BootstrapMean, DeterministicBySeed) {
  const auto x = exponential_sample(1000, 11);
  const auto a = bootstrap_mean_ci(x, 0.05, bootstrap_method::bca, 500, 42);
  const auto b = bootstrap_mean_ci(x, 0.05, bootstrap_method::bca, 500, 42);
  const auto c = bootstrap_mean_ci(x, 0.05, bootstrap_method::bca, 500, 43);
  EXPECT_EQ(a.ci.low, b.ci.low);
  EXPECT_EQ(a.ci.high, b.ci.high);
  EXPECT_EQ(a.standard_error, b.standard_error);
  EXPECT_NE(a.ci.low, c.ci.low);
}

TEST(BootstrapMean, SameBitsForAnyThreadCount) {
  thread_guard guard;
  const auto x = normal_sample(300001, 5, 10.0, 2.0);  // large enough for 4 blocks of replicates
  missionkit::set_threads(1);
  const auto one = bootstrap_mean_ci(x, 0.05, bootstrap_method::bca, 400, 9);
  missionkit::set_threads(4);
  ASSERT_EQ(missionkit::block_count(400, (std::size_t{1} << 20) / x.size()), 4U);
  const auto four = bootstrap_mean_ci(x, 0.05, bootstrap_method::bca, 400, 9);
  EXPECT_EQ(one.ci.low, four.ci.low);
  EXPECT_EQ(one.ci.high, four.ci.high);
  EXPECT_EQ(one.standard_error, four.standard_error);
  EXPECT_EQ(one.z0, four.z0);
}

TEST(BootstrapMean, ChunkedEqualsOnePass) {
  thread_guard guard;
  const auto x = exponential_sample(10007, 6);
  bootstrap_mean_accumulator whole(200, 3, 1.0);
  whole.add(x, 0);
  const auto want = whole.replicate_means();

  // Chunks of odd sizes added in order to one state: the same bits.
  bootstrap_mean_accumulator seq(200, 3, 1.0);
  std::size_t at = 0;
  for (const std::size_t len : {1U, 2U, 1001U, 3U, 5000U}) {
    seq.add(std::span(x).subspan(at, len), at);
    at += len;
  }
  seq.add(std::span(x).subspan(at), at);
  EXPECT_EQ(seq.replicate_means(), want);

  // Disjoint chunks in separate states, merged out of order with 2 threads: equal to rounding.
  missionkit::set_threads(2);
  bootstrap_mean_accumulator a(200, 3, 1.0);
  bootstrap_mean_accumulator b(200, 3, 1.0);
  b.add(std::span(x).subspan(6000), 6000);
  a.add(std::span(x).subspan(0, 6000), 0);
  b += a;
  const auto got = b.replicate_means();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-13) << i;
  EXPECT_EQ(b.count(), whole.count());
  EXPECT_NEAR(b.mean(), whole.mean(), 1e-14);
  EXPECT_NEAR(b.acceleration(), whole.acceleration(), 1e-12);
  EXPECT_NEAR(b.acceleration(), jackknife_acceleration_mean(x), 1e-12);
}

TEST(BootstrapMean, StandardErrorNearTheory) {
  // The bootstrap SE of a mean estimates sd / sqrt(n) (ddof 0); with B = 4000 its MC error is ~1.1%.
  const auto x = normal_sample(5000, 8, 3.0, 2.0);
  const auto r = bootstrap_mean_ci(x, 0.05, bootstrap_method::percentile, 4000, 1);
  double m = 0.0;
  for (const double v : x) m += v / static_cast<double>(x.size());
  double ss = 0.0;
  for (const double v : x) ss += (v - m) * (v - m);
  const double se = std::sqrt(ss / static_cast<double>(x.size())) / std::sqrt(static_cast<double>(x.size()));
  EXPECT_NEAR(r.estimate, m, 1e-12);
  EXPECT_NEAR(r.standard_error / se, 1.0, 0.05);
  EXPECT_NEAR((r.ci.high - r.ci.low) / (2 * 1.959963984540054 * se), 1.0, 0.06);
  EXPECT_EQ(r.n_resamples, 4000U);
}

// Coverage of nominal 95% intervals over 400 seeded repetitions, n = 200, B = 500. The Monte-Carlo SE of
// a coverage near 0.95 is sqrt(0.95 * 0.05 / 400) = 0.011. For the normal mean every method should
// cover 0.95 -+ 3 SE (minus the known ~0.5% small-sample undercoverage of bootstrap intervals). For the
// exponential mean (skewness 2) the percentile interval undercovers (~0.93 at n = 200; Efron &
// Tibshirani 1993, table 14.2 shows the same pattern) and BCa corrects part of it.
TEST(BootstrapMean, CoverageSimulation) {
  constexpr int reps = 400;
  int cover_norm_pct = 0, cover_norm_bca = 0, cover_exp_pct = 0, cover_exp_bca = 0, cover_exp_basic = 0;
  for (int r = 0; r < reps; ++r) {
    const auto xn = normal_sample(200, 1000 + r, 5.0, 3.0);
    const auto xe = exponential_sample(200, 5000 + r);
    auto covers = [](const bootstrap_result& b, double mu) { return b.ci.low <= mu && mu <= b.ci.high; };
    const auto seed = static_cast<std::uint64_t>(r);
    cover_norm_pct += covers(bootstrap_mean_ci(xn, 0.05, bootstrap_method::percentile, 500, seed), 5.0);
    cover_norm_bca += covers(bootstrap_mean_ci(xn, 0.05, bootstrap_method::bca, 500, seed), 5.0);
    cover_exp_pct += covers(bootstrap_mean_ci(xe, 0.05, bootstrap_method::percentile, 500, seed), 1.0);
    cover_exp_bca += covers(bootstrap_mean_ci(xe, 0.05, bootstrap_method::bca, 500, seed), 1.0);
    cover_exp_basic += covers(bootstrap_mean_ci(xe, 0.05, bootstrap_method::basic, 500, seed), 1.0);
  }
  const double mc = std::sqrt(0.95 * 0.05 / reps);
  EXPECT_NEAR(cover_norm_pct / double(reps), 0.95, 3 * mc);
  EXPECT_NEAR(cover_norm_bca / double(reps), 0.95, 3 * mc);
  EXPECT_NEAR(cover_exp_pct / double(reps), 0.94, 3 * mc);
  EXPECT_NEAR(cover_exp_bca / double(reps), 0.945, 3 * mc);
  EXPECT_GE(cover_exp_bca, cover_exp_basic);  // basic reverses the skew: the worst of the three
}

TEST(BootstrapMean, ConstantDataGiveAPointInterval) {
  const std::vector<double> x(50, 2.5);
  for (const auto m : {bootstrap_method::percentile, bootstrap_method::basic, bootstrap_method::bca}) {
    const auto r = bootstrap_mean_ci(x, 0.05, m, 100, 0);
    EXPECT_DOUBLE_EQ(r.ci.low, 2.5);
    EXPECT_DOUBLE_EQ(r.ci.high, 2.5);
    EXPECT_EQ(r.acceleration, 0.0);
  }
}

TEST(BootstrapMean, Errors) {
  const std::vector<double> x{1, 2, 3, std::nan(""), 5};
  EXPECT_EQ(error_of([&] { (void)bootstrap_mean_ci(x); }),
            "bootstrap_mean_ci: x[3] is nan; drop or impute missing values first");
  const std::vector<double> ok{1, 2, 3};
  EXPECT_EQ(error_of([&] { (void)bootstrap_mean_ci(ok, 1.0); }),
            "bootstrap_mean_ci: alpha must be in (0, 1), got alpha=1");
  EXPECT_EQ(error_of([&] { (void)bootstrap_mean_ci(ok, 0.05, bootstrap_method::bca, 99); }),
            "bootstrap_mean_ci: n_resamples must be >= 100, got n_resamples=99 (the tail quantiles of the "
            "interval need enough replicates)");
  EXPECT_EQ(error_of([&] { (void)bootstrap_mean_ci(std::vector<double>{1.0}); }),
            "bootstrap_mean_ci: x needs at least 2 values, got 1");
  bootstrap_mean_accumulator acc(100, 0);
  EXPECT_EQ(error_of([&] { acc.add(x, 10); }),
            "bootstrap_mean_accumulator: x[13] is nan; drop or impute missing values first");
  bootstrap_mean_accumulator other(100, 1);
  EXPECT_NE(error_of([&] { acc += other; }), "no error");
}

}  // namespace

// ---- other statistics: quantile, ratio of sums, difference of means ---------------------------------
// Oracle: the replicates rebuilt the slow, obvious way (each resample materialised by repeating x_i
// poisson_bootstrap_weight(seed, b, i) times, then sorted or summed), the jackknife by an O(n^2)
// leave-one-out loop; the engine computes neither way (cumulative weights over one sort, closed-form
// leave-one-out).
namespace {

double np_quantile(std::vector<double> v, double q) {  // numpy's default "linear" method
  std::sort(v.begin(), v.end());
  const double h = static_cast<double>(v.size() - 1) * q;
  const auto k = static_cast<std::size_t>(std::floor(h));
  const double f = h - static_cast<double>(k);
  return k + 1 < v.size() ? v[k] + f * (v[k + 1] - v[k]) : v[k];
}

double accel_one(const std::vector<double>& jack) {  // sum d^3 / (6 (sum d^2)^1.5), d = mean - theta_(-i)
  double m = 0.0;
  for (const double t : jack) m += t;
  m /= static_cast<double>(jack.size());
  double s2 = 0.0;
  double s3 = 0.0;
  for (const double t : jack) {
    s2 += (m - t) * (m - t);
    s3 += (m - t) * (m - t) * (m - t);
  }
  return s3 / (6.0 * std::pow(s2, 1.5));
}

}  // namespace

TEST(BootstrapQuantile, MatchesExplicitResamples) {
  const auto x = exponential_sample(41, 17);
  constexpr std::size_t B = 300;
  constexpr std::uint64_t seed = 5;
  for (const double q : {0.5, 0.1, 0.9, 0.0, 1.0}) {
    std::vector<double> reps;
    for (std::size_t b = 0; b < B; ++b) {
      std::vector<double> res;
      for (std::size_t i = 0; i < x.size(); ++i)
        for (unsigned k = 0; k < poisson_bootstrap_weight(seed, b, i); ++k) res.push_back(x[i]);
      reps.push_back(res.empty() ? NAN : np_quantile(res, q));
    }
    std::vector<double> jack;
    for (std::size_t i = 0; i < x.size(); ++i) {
      auto rest = x;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
      jack.push_back(np_quantile(rest, q));
    }
    const double est = np_quantile(x, q);
    for (const auto m : {bootstrap_method::percentile, bootstrap_method::basic}) {
      const auto got = bootstrap_quantile_ci(x, q, 0.1, m, B, seed);
      const auto want = bootstrap_interval(reps, est, 0.0, 0.1, m);
      EXPECT_DOUBLE_EQ(got.estimate, est) << q;
      EXPECT_DOUBLE_EQ(got.ci.low, want.ci.low) << q;
      EXPECT_DOUBLE_EQ(got.ci.high, want.ci.high) << q;
      EXPECT_DOUBLE_EQ(got.standard_error, want.standard_error) << q;
      if (q > 0.0 && q < 1.0) EXPECT_NEAR(got.acceleration, accel_one(jack), 1e-12) << q;
    }
  }
}

TEST(BootstrapRatio, MatchesExplicitResamples) {
  const auto num = exponential_sample(30, 2);
  auto den = exponential_sample(30, 3);
  for (auto& d : den) d += 0.5;
  constexpr std::size_t B = 300;
  std::vector<double> reps;
  for (std::size_t b = 0; b < B; ++b) {
    double a = 0.0;
    double c = 0.0;
    for (std::size_t i = 0; i < num.size(); ++i) {
      const double w = poisson_bootstrap_weight(8, b, i);
      a += w * num[i];
      c += w * den[i];
    }
    reps.push_back(c == 0.0 ? NAN : a / c);
  }
  double sn = 0.0;
  double sd = 0.0;
  for (std::size_t i = 0; i < num.size(); ++i) {
    sn += num[i];
    sd += den[i];
  }
  std::vector<double> jack;
  for (std::size_t i = 0; i < num.size(); ++i) jack.push_back((sn - num[i]) / (sd - den[i]));
  const auto got = bootstrap_ratio_ci(num, den, 0.05, bootstrap_method::bca, B, 8);
  const auto want = bootstrap_interval(reps, sn / sd, accel_one(jack), 0.05, bootstrap_method::bca);
  EXPECT_NEAR(got.acceleration, accel_one(jack), 1e-12);
  EXPECT_NEAR(got.ci.low, want.ci.low, 1e-12);
  EXPECT_NEAR(got.ci.high, want.ci.high, 1e-12);
  EXPECT_NEAR(got.standard_error, want.standard_error, 1e-12);
}

TEST(BootstrapDiffMeans, MatchesExplicitResamplesAndScipyAcceleration) {
  const auto x = exponential_sample(25, 4);
  const auto y = normal_sample(31, 6, 1.0, 1.0);
  constexpr std::size_t B = 300;
  const auto mean_of = [](const std::vector<double>& v) {
    double s = 0.0;
    for (const double t : v) s += t;
    return s / static_cast<double>(v.size());
  };
  std::vector<double> reps;
  for (std::size_t b = 0; b < B; ++b) {
    std::vector<double> rx;
    std::vector<double> ry;
    for (std::size_t i = 0; i < x.size(); ++i)
      for (unsigned k = 0; k < poisson_bootstrap_weight(1, b, i); ++k) rx.push_back(x[i]);
    for (std::size_t j = 0; j < y.size(); ++j)
      for (unsigned k = 0; k < poisson_bootstrap_weight(1, b, x.size() + j); ++k) ry.push_back(y[j]);
    reps.push_back(rx.empty() || ry.empty() ? NAN : mean_of(rx) - mean_of(ry));
  }
  // scipy's _bca_interval for two samples: U_gi = (n_g - 1)(mean jackknife_g - theta_(g,-i)),
  // a = sum_g sum U^3 / n_g^3 / (6 (sum_g sum U^2 / n_g^2)^1.5); jackknife by deleting each value.
  double num = 0.0;
  double den = 0.0;
  for (int g = 0; g < 2; ++g) {
    const auto& v = g == 0 ? x : y;
    const double n = static_cast<double>(v.size());
    std::vector<double> jack;
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto rest = v;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
      jack.push_back(g == 0 ? mean_of(rest) - mean_of(y) : mean_of(x) - mean_of(rest));
    }
    const double m = mean_of(jack);
    for (const double t : jack) {
      const double u = (n - 1.0) * (m - t);
      num += u * u * u / (n * n * n);
      den += u * u / (n * n);
    }
  }
  const double accel = num / (6.0 * std::pow(den, 1.5));
  const auto got = bootstrap_diff_means_ci(x, y, 0.05, bootstrap_method::bca, B, 1);
  const auto want = bootstrap_interval(reps, mean_of(x) - mean_of(y), accel, 0.05, bootstrap_method::bca);
  EXPECT_NEAR(got.estimate, mean_of(x) - mean_of(y), 1e-14);
  EXPECT_NEAR(got.acceleration, accel, 1e-12);
  EXPECT_NEAR(got.ci.low, want.ci.low, 1e-12);
  EXPECT_NEAR(got.ci.high, want.ci.high, 1e-12);
}

TEST(BootstrapQuantile, SameBitsForAnyThreadCount) {
  thread_guard guard;
  const auto x = normal_sample(5000, 21);
  const auto y = normal_sample(4000, 22);
  missionkit::set_threads(1);
  const auto q1 = bootstrap_quantile_ci(x, 0.5, 0.05, bootstrap_method::bca, 400, 3);
  const auto d1 = bootstrap_diff_means_ci(x, y, 0.05, bootstrap_method::bca, 400, 3);
  missionkit::set_threads(4);
  const auto q4 = bootstrap_quantile_ci(x, 0.5, 0.05, bootstrap_method::bca, 400, 3);
  const auto d4 = bootstrap_diff_means_ci(x, y, 0.05, bootstrap_method::bca, 400, 3);
  EXPECT_EQ(q1.ci.low, q4.ci.low);
  EXPECT_EQ(q1.ci.high, q4.ci.high);
  EXPECT_EQ(q1.standard_error, q4.standard_error);
  EXPECT_EQ(d1.ci.low, d4.ci.low);
  EXPECT_EQ(d1.standard_error, d4.standard_error);
}

TEST(BootstrapInterval, OneSided) {
  // v = np.arange(1, 101.); np.percentile(v, [5, 95]) -> 5.95, 95.05
  std::vector<double> v(100);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i + 1);
  const double inf = std::numeric_limits<double>::infinity();
  auto r = bootstrap_interval(v, 50.5, 0.0, 0.05, bootstrap_method::percentile, alternative::larger);
  EXPECT_NEAR(r.ci.low, 5.95, 1e-12);
  EXPECT_EQ(r.ci.high, inf);
  r = bootstrap_interval(v, 50.5, 0.0, 0.05, bootstrap_method::percentile, alternative::smaller);
  EXPECT_EQ(r.ci.low, -inf);
  EXPECT_NEAR(r.ci.high, 95.05, 1e-12);
  r = bootstrap_interval(v, 50.5, 0.0, 0.05, bootstrap_method::basic, alternative::larger);
  EXPECT_NEAR(r.ci.low, 101.0 - 95.05, 1e-12);
  EXPECT_EQ(r.ci.high, inf);
}

TEST(BootstrapQuantile, Errors) {
  const std::vector<double> x = {1, 2, 3};
  EXPECT_EQ(error_of([&] { (void)bootstrap_quantile_ci(x, 1.5); }),
            "bootstrap_quantile_ci: q must be in [0, 1], got q=1.5");
  EXPECT_EQ(error_of([&] {
              (void)bootstrap_quantile_ci(std::vector<double>{1, NAN, 3}, 0.5);
            }),
            "bootstrap_quantile_ci: x[1] is nan; drop or impute missing values first");
  EXPECT_EQ(error_of([&] {
              (void)bootstrap_ratio_ci(x, std::vector<double>{1, 2});
            }),
            "bootstrap_ratio_ci: num and den must have the same size, got 3 and 2");
  EXPECT_EQ(error_of([&] {
              (void)bootstrap_ratio_ci(x, std::vector<double>{1, -1, 0});
            }),
            "bootstrap_ratio_ci: sum(den) is 0, so the ratio is undefined");
  EXPECT_EQ(error_of([&] { (void)bootstrap_diff_means_ci(x, std::vector<double>{1}); }),
            "bootstrap_diff_means_ci: y needs at least 2 values, got 1");
}
