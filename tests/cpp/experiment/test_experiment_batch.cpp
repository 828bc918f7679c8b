// analyze_metrics (many plain metrics in one sweep) against analyze_metric called once per metric: the
// per-metric function is the oracle here (it is checked against scipy/statsmodels in test_experiment.cpp
// and tests/python/test_experiment.py); the batched one must give the same bits and the same errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/stats/experiment.hpp"

using namespace missionkit::stats;

namespace {

// Bitwise equality (NaN equals NaN of the same bits): the batch must not move a single bit.
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_same(const metric_analysis& got, const metric_analysis& want, const std::string& what) {
  ASSERT_EQ(got.arms.size(), want.arms.size()) << what;
  for (std::size_t a = 0; a < want.arms.size(); ++a) {
    EXPECT_TRUE(same_bits(got.arms[a].n, want.arms[a].n)) << what << " arm " << a;
    EXPECT_TRUE(same_bits(got.arms[a].value, want.arms[a].value)) << what << " arm " << a;
    EXPECT_TRUE(same_bits(got.arms[a].std_error, want.arms[a].std_error)) << what << " arm " << a;
    EXPECT_TRUE(same_bits(got.arms[a].unadjusted, want.arms[a].unadjusted)) << what << " arm " << a;
  }
  EXPECT_EQ(got.treatments, want.treatments) << what;
  ASSERT_EQ(got.comparisons.size(), want.comparisons.size()) << what;
  for (std::size_t i = 0; i < want.comparisons.size(); ++i) {
    const auto &g = got.comparisons[i], &w = want.comparisons[i];
    for (auto f : {&comparison::estimate, &comparison::std_error, &comparison::ci_low, &comparison::ci_high,
                   &comparison::statistic, &comparison::pvalue, &comparison::df, &comparison::lift,
                   &comparison::lift_ci_low, &comparison::lift_ci_high, &comparison::variance_reduction})
      EXPECT_TRUE(same_bits(g.*f, w.*f)) << what << " comparison " << i << ": " << g.*f << " vs " << w.*f;
  }
  EXPECT_FALSE(got.cuped_theta.has_value()) << what;
}

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

// Three arms (control = 1) over enough rows that several threads and many 2048-row blocks are used,
// with unequal arm shares; proportions near 0.1, a normal mean, a skewed (lognormal) mean with an offset
// of 1e4 (where a careless one-pass sum would lose digits).
struct columns {
  std::vector<std::int32_t> arm;
  std::vector<std::int8_t> arm8;
  std::vector<std::vector<double>> yd;
  std::vector<std::vector<float>> yf;
  std::vector<metric_kind> kinds{metric_kind::proportion, metric_kind::mean, metric_kind::mean,
                                 metric_kind::proportion};
  std::vector<std::string_view> names{"conv", "score", "revenue", "retained"};
};

columns make_columns(std::size_t n) {
  columns c;
  std::mt19937_64 rng(20261125);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> z(0.0, 1.0);
  c.yd.assign(4, std::vector<double>(n));
  c.yf.assign(4, std::vector<float>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const double r = u(rng);
    const int a = r < 0.3 ? 0 : (r < 0.75 ? 1 : 2);
    c.arm.push_back(a);
    c.arm8.push_back(static_cast<std::int8_t>(a));
    c.yd[0][i] = u(rng) < 0.1 + 0.01 * a ? 1.0 : 0.0;
    c.yd[1][i] = 0.05 * a + z(rng);
    c.yd[2][i] = 1e4 + std::exp(1.0 + 0.8 * z(rng)) * (1.0 + 0.02 * a);
    c.yd[3][i] = u(rng) < 0.6 ? 1.0 : 0.0;
    for (std::size_t j = 0; j < 4; ++j) c.yf[j][i] = static_cast<float>(c.yd[j][i]);
  }
  return c;
}

template <class T>
std::vector<std::span<const T>> spans(const std::vector<std::vector<T>>& cols) {
  return {cols.begin(), cols.end()};
}

template <class A, class T>
void check_batch(const std::vector<A>& arm, const columns& c, const std::vector<std::vector<T>>& ys,
                 const std::string& what) {
  const auto yspans = spans(ys);
  const auto got = analyze_metrics(c.kinds, std::span<const A>(arm), 3, 1, yspans, c.names, 0.05);
  ASSERT_EQ(got.size(), ys.size());
  for (std::size_t j = 0; j < ys.size(); ++j) {
    const auto want =
        analyze_metric(c.kinds[j], std::span<const A>(arm), 3, 1, yspans[j], {}, 0.05, c.names[j]);
    expect_same(got[j], want, what + " column " + std::to_string(j));
  }
}

}  // namespace

TEST(ExperimentBatch, BitIdenticalToPerMetric) {
  const auto c = make_columns(700'000);  // > 2 x 2^18 rows: split over threads when there are several
  for (unsigned threads : {1u, 3u}) {
    missionkit::set_threads(threads);
    const std::string t = " threads=" + std::to_string(threads);
    check_batch(c.arm, c, c.yd, "int32/double" + t);
    check_batch(c.arm, c, c.yf, "int32/float" + t);
    check_batch(c.arm8, c, c.yd, "int8/double" + t);
    check_batch(c.arm8, c, c.yf, "int8/float" + t);
  }
  missionkit::set_threads(0);
}

TEST(ExperimentBatch, SmallAndSingleColumn) {
  const auto c = make_columns(5000);  // one thread range, a few blocks, the last one partial
  check_batch(c.arm, c, c.yd, "small");
  const std::vector<std::vector<double>> one{c.yd[2]};
  columns c1 = c;
  c1.kinds = {metric_kind::mean};
  c1.names = {"revenue"};
  check_batch(c.arm, c1, one, "one column");
  EXPECT_TRUE(analyze_metrics({}, std::span<const std::int32_t>(c.arm), 3, 1,
                              std::span<const std::span<const double>>{}, {}, 0.05)
                  .empty());
}

TEST(ExperimentBatch, ErrorsAreThoseOfThePerMetricCall) {
  auto c = make_columns(300'000);
  auto per_metric = [&](std::size_t j, const std::vector<std::vector<double>>& ys) {
    return error_of([&] {
      (void)analyze_metric(c.kinds[j], std::span<const std::int32_t>(c.arm), 3, 1,
                           std::span<const double>(ys[j]), {}, 0.05, c.names[j]);
    });
  };
  auto batched = [&](const std::vector<std::vector<double>>& ys) {
    return error_of([&] {
      (void)analyze_metrics(c.kinds, std::span<const std::int32_t>(c.arm), 3, 1, spans(ys), c.names, 0.05);
    });
  };
  // A missing value in a later block of column 2 and a non-0/1 value in column 3: column 2 is reported
  // (the first in order), naming the metric and the row.
  auto ys = c.yd;
  ys[2][250'123] = std::nan("");
  ys[3][17] = 0.5;
  const auto e2 = per_metric(2, ys);
  EXPECT_NE(e2.find("metric 'revenue'"), std::string::npos) << e2;
  EXPECT_NE(e2.find("row 250123"), std::string::npos) << e2;
  EXPECT_EQ(batched(ys), e2);
  // Fixed, the non-binary proportion is next.
  ys[2] = c.yd[2];
  const auto e3 = per_metric(3, ys);
  EXPECT_NE(e3.find("metric 'retained': is a proportion but row 17 is 0.5"), std::string::npos) << e3;
  EXPECT_EQ(batched(ys), e3);
  // An arm code out of range is an error of the first column.
  auto arm = c.arm;
  arm[123'456] = 7;
  std::swap(arm, c.arm);
  const auto ea = per_metric(0, ys);
  EXPECT_NE(ea.find("row 123456 has arm code 7"), std::string::npos) << ea;
  EXPECT_EQ(batched(ys), ea);
  std::swap(arm, c.arm);
  // An arm with no units, a bad control, a ratio without a denominator, a short column.
  EXPECT_EQ(error_of([&] {
              (void)analyze_metrics(c.kinds, std::span<const std::int32_t>(c.arm), 4, 1, spans(c.yd),
                                    c.names);
            }),
            error_of([&] {
              (void)analyze_metric(c.kinds[0], std::span<const std::int32_t>(c.arm), 4, 1,
                                   std::span<const double>(c.yd[0]), {}, 0.05, c.names[0]);
            }));
  EXPECT_NE(error_of([&] {
              (void)analyze_metrics(c.kinds, std::span<const std::int32_t>(c.arm), 3, 3, spans(c.yd),
                                    c.names);
            }).find("metric 'conv': control arm 3 is not in [0, 3)"),
            std::string::npos);
  auto kinds = c.kinds;
  kinds[1] = metric_kind::ratio;
  EXPECT_NE(error_of([&] {
              (void)analyze_metrics(kinds, std::span<const std::int32_t>(c.arm), 3, 1, spans(c.yd), c.names);
            }).find("metric 'score': a ratio metric needs a denominator per unit"),
            std::string::npos);
  auto short_cols = c.yd;
  short_cols[1].resize(10);
  EXPECT_NE(error_of([&] {
              (void)analyze_metrics(c.kinds, std::span<const std::int32_t>(c.arm), 3, 1, spans(short_cols),
                                    c.names);
            }).find("metric 'score': has 10 values for 300000 units"),
            std::string::npos);
  const std::vector<std::string_view> two_names{"a", "b"};
  EXPECT_THROW(
      (void)analyze_metrics(c.kinds, std::span<const std::int32_t>(c.arm), 3, 1, spans(c.yd), two_names),
      missionkit::domain_error);
  EXPECT_NE(error_of([&] {
              (void)analyze_metrics(c.kinds, std::span<const std::int32_t>(c.arm), 3, 1, spans(c.yd), c.names,
                                    1.5);
            }).find("metric 'conv'"),
            std::string::npos);
}

namespace {

template <class A, class T>
void check_ratios(const std::vector<A>& arm, const std::vector<std::vector<T>>& nums,
                  const std::vector<T>& den, const std::string& what) {
  const std::vector<std::string_view> names{"clicks", "revenue", "errors"};
  const auto spans_ = spans(nums);
  const auto got = analyze_ratios(std::span<const A>(arm), 3, 1, spans_, std::span<const T>(den), names);
  ASSERT_EQ(got.size(), nums.size());
  for (std::size_t j = 0; j < nums.size(); ++j) {
    const auto want = analyze_metric(metric_kind::ratio, std::span<const A>(arm), 3, 1, spans_[j],
                                     std::span<const T>(den), 0.05, names[j]);
    expect_same(got[j], want, what + " numerator " + std::to_string(j));
  }
}

}  // namespace

TEST(ExperimentBatch, RatiosBitIdenticalToPerMetric) {
  const auto c = make_columns(700'000);
  // a positive denominator (sessions 1..5) and three numerators: counts, skewed amounts, rare events
  std::vector<double> den(c.arm.size());
  std::vector<std::vector<double>> nums(3, std::vector<double>(c.arm.size()));
  for (std::size_t i = 0; i < den.size(); ++i) {
    den[i] = 1.0 + static_cast<double>((i * 2654435761u) % 5);
    nums[0][i] = std::floor(den[i] * (0.5 + 0.5 * c.yd[0][i]) + c.yd[3][i]);
    nums[1][i] = den[i] * (c.yd[2][i] - 1e4);
    nums[2][i] = c.yd[0][i];
  }
  std::vector<float> denf(den.begin(), den.end());
  std::vector<std::vector<float>> numsf;
  for (const auto& v : nums) numsf.emplace_back(v.begin(), v.end());
  for (unsigned threads : {1u, 3u}) {
    missionkit::set_threads(threads);
    const std::string t = " threads=" + std::to_string(threads);
    check_ratios(c.arm, nums, den, "int32/double" + t);
    check_ratios(c.arm8, numsf, denf, "int8/float" + t);
    check_ratios(c.arm, numsf, denf, "int32/float" + t);
    check_ratios(c.arm8, nums, den, "int8/double" + t);
  }
  missionkit::set_threads(0);
  // Errors: a NaN in the second numerator is reported for it (the first is fine), naming the row; a NaN
  // denominator is the first metric's error; a short denominator likewise.
  const std::vector<std::string_view> names{"clicks", "revenue", "errors"};
  auto err = [&](const std::vector<std::vector<double>>& ys, const std::vector<double>& x) {
    return error_of([&] {
      (void)analyze_ratios(std::span<const std::int32_t>(c.arm), 3, 1, spans(ys), std::span<const double>(x),
                           names);
    });
  };
  auto one = [&](std::size_t j, const std::vector<std::vector<double>>& ys, const std::vector<double>& x) {
    return error_of([&] {
      (void)analyze_metric(metric_kind::ratio, std::span<const std::int32_t>(c.arm), 3, 1,
                           std::span<const double>(ys[j]), std::span<const double>(x), 0.05, names[j]);
    });
  };
  auto bad = nums;
  bad[1][654'321] = std::nan("");
  EXPECT_NE(one(1, bad, den).find("metric 'revenue': row 654321 is missing"), std::string::npos);
  EXPECT_EQ(err(bad, den), one(1, bad, den));
  auto bad_den = den;
  bad_den[42] = std::nan("");
  EXPECT_NE(one(0, nums, bad_den).find("metric 'clicks'"), std::string::npos);
  EXPECT_EQ(err(nums, bad_den), one(0, nums, bad_den));
  std::vector<double> short_den(den.begin(), den.begin() + 100);
  EXPECT_EQ(err(nums, short_den), one(0, nums, short_den));
  EXPECT_NE(err(nums, {}).find("metric 'clicks': a ratio metric needs a denominator per unit"),
            std::string::npos);
}

TEST(ExperimentBatch, ProportionsWithManyArmsCountExactly) {
  // 6 arms take the general path (up to 4 arms pack the counts into one integer); both must give the
  // exact counts, so the arm values are exactly ones / n, checked against counting by hand.
  for (int arms : {2, 4, 6}) {
    const std::size_t n = 40'000;
    std::vector<std::int32_t> arm(n);
    std::vector<double> y(n);
    std::vector<double> ones(static_cast<std::size_t>(arms)), units(static_cast<std::size_t>(arms));
    for (std::size_t i = 0; i < n; ++i) {
      arm[i] = static_cast<std::int32_t>((i * 7 + i / 13) % static_cast<std::size_t>(arms));
      y[i] = (i * 2654435761u) % 10 < 3 ? 1.0 : 0.0;
      ones[static_cast<std::size_t>(arm[i])] += y[i];
      units[static_cast<std::size_t>(arm[i])] += 1.0;
    }
    const std::vector<metric_kind> kinds{metric_kind::proportion};
    const std::vector<std::string_view> names{"p"};
    const std::vector<std::span<const double>> ys{std::span<const double>(y)};
    const auto got = analyze_metrics(kinds, std::span<const std::int32_t>(arm), arms, 0, ys, names);
    const auto want = analyze_metric(metric_kind::proportion, std::span<const std::int32_t>(arm), arms, 0,
                                     std::span<const double>(y), {}, 0.05, "p");
    expect_same(got[0], want, "arms=" + std::to_string(arms));
    for (std::size_t a = 0; a < static_cast<std::size_t>(arms); ++a) {
      EXPECT_EQ(got[0].arms[a].n, units[a]);
      EXPECT_EQ(got[0].arms[a].value, ones[a] / units[a]);
      const double p = ones[a] / units[a];
      EXPECT_NEAR(got[0].arms[a].std_error, std::sqrt(p * (1 - p) / (units[a] - 1)), 1e-15);
    }
  }
}
