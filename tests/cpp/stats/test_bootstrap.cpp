// Poisson bootstrap of the mean. Bootstrap output is random, so the oracles are (a) closed forms: the
// O(n) jackknife acceleration against a direct O(n^2) jackknife, the interval logic on a fixed replicate
// set against numpy/scipy formulas (values printed by the Python snippet quoted at the test); (b)
// statistics: the Poisson(1) weight frequencies, and the coverage of 95% intervals in seeded simulations;
// (c) exact reproducibility across seeds, thread counts and chunkings. Agreement with
// scipy.stats.bootstrap is checked from Python (tests/python/test_stats_bootstrap.py).
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <cstdint>
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
