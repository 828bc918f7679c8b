#include "missionkit/stats/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "detail/checks.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/stats/distributions.hpp"
#include "missionkit/stats/effect.hpp"
#include "missionkit/stats/proportions_2indep.hpp"
#include "missionkit/stats/ttest.hpp"

namespace missionkit::stats {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void data_fail(std::string_view fn, const std::string& what) {
  throw missionkit::data_error(std::string(fn) + ": " + what);
}

// Delta-method relative lift t / c - 1 for independent estimates with variances vt, vc (Deng et al. 2018,
// sec. 3.3: var(t/c) ~ vt / c^2 + t^2 vc / c^4), normal interval.
void delta_lift(comparison& r, double t, double vt, double c, double vc, double alpha) {
  if (c == 0.0) {
    r.lift = r.lift_ci_low = r.lift_ci_high = nan;
    return;
  }
  r.lift = t / c - 1.0;
  const double se = std::sqrt(vt / (c * c) + t * t * vc / (c * c * c * c));
  const double z = normal_isf(alpha / 2.0);
  r.lift_ci_low = r.lift - z * se;
  r.lift_ci_high = r.lift + z * se;
}

void normal_test(comparison& r, double alpha) {
  const double z = normal_isf(alpha / 2.0);
  r.ci_low = r.estimate - z * r.std_error;
  r.ci_high = r.estimate + z * r.std_error;
  r.statistic = r.estimate / r.std_error;
  r.pvalue = std::min(1.0, 2.0 * normal_sf(std::abs(r.statistic)));
  r.df = std::numeric_limits<double>::infinity();
}

double ratio_variance(const comoments& a) {
  // x = denominator, y = numerator; variance of mean_y / mean_x (Deng et al. 2018).
  const double mx = a.mean_x, my = a.mean_y;
  const double v = a.variance_y() / (mx * mx) - 2.0 * my * a.covariance() / (mx * mx * mx) +
                   my * my * a.variance_x() / (mx * mx * mx * mx);
  return std::max(v, 0.0) / a.n;
}

void check_mean_arm(std::string_view fn, std::string_view which, const moments& m) {
  if (m.n < 2.0)
    detail::fail(fn, std::string(which) + " arm has " + detail::num(m.n) +
                         " units; a mean needs at least 2 to estimate its variance");
  if (!(m.m2 > 0.0))
    detail::fail(fn, std::string(which) + " arm has zero variance (every value is " + detail::num(m.mean) +
                         "); a t-test is undefined. Check that the metric is populated for this arm");
}

}  // namespace

void moments::add(double x) {
  n += 1.0;
  const double d = x - mean;
  mean += d / n;
  m2 += d * (x - mean);
}

moments& moments::operator+=(const moments& o) {
  if (o.n == 0.0) return *this;
  if (n == 0.0) return *this = o;
  const double tot = n + o.n, d = o.mean - mean;
  mean += d * o.n / tot;
  m2 += o.m2 + d * d * n * o.n / tot;
  n = tot;
  return *this;
}

double moments::variance() const { return n < 2.0 ? nan : m2 / (n - 1.0); }

void comoments::add(double x, double y) {
  n += 1.0;
  const double dx = x - mean_x, dy = y - mean_y;
  mean_x += dx / n;
  mean_y += dy / n;
  m2x += dx * (x - mean_x);
  m2y += dy * (y - mean_y);
  cxy += dx * (y - mean_y);
}

comoments& comoments::operator+=(const comoments& o) {
  if (o.n == 0.0) return *this;
  if (n == 0.0) return *this = o;
  const double tot = n + o.n, dx = o.mean_x - mean_x, dy = o.mean_y - mean_y, f = n * o.n / tot;
  mean_x += dx * o.n / tot;
  mean_y += dy * o.n / tot;
  m2x += o.m2x + dx * dx * f;
  m2y += o.m2y + dy * dy * f;
  cxy += o.cxy + dx * dy * f;
  n = tot;
  return *this;
}

double comoments::variance_x() const { return n < 2.0 ? nan : m2x / (n - 1.0); }
double comoments::variance_y() const { return n < 2.0 ? nan : m2y / (n - 1.0); }
double comoments::covariance() const { return n < 2.0 ? nan : cxy / (n - 1.0); }

comparison compare_proportions(double count_t, double n_t, double count_c, double n_c, double alpha) {
  comparison r;
  auto ci = diff_proportions_ci(count_t, n_t, count_c, n_c, alpha, diff_ci_method::newcombe);
  const double pt = count_t / n_t, pc = count_c / n_c;
  r.estimate = pt - pc;
  r.std_error = std::sqrt(pt * (1.0 - pt) / n_t + pc * (1.0 - pc) / n_c);
  r.ci_low = ci.low;
  r.ci_high = ci.high;
  auto test = score_test_proportions_2indep(count_t, n_t, count_c, n_c, 0.0);
  r.statistic = test.statistic;
  r.pvalue = test.pvalue;
  auto lift = relative_lift(count_t, n_t, count_c, n_c, alpha);
  r.lift = lift.estimate;
  r.lift_ci_low = lift.ci_low;
  r.lift_ci_high = lift.ci_high;
  return r;
}

comparison compare_means(const moments& t, const moments& c, double alpha) {
  constexpr std::string_view fn = "compare_means";
  detail::check_alpha(fn, alpha);
  check_mean_arm(fn, "treatment", t);
  check_mean_arm(fn, "control", c);
  const double sdt = std::sqrt(t.variance()), sdc = std::sqrt(c.variance());
  auto w = ttest_ind_from_stats(t.mean, sdt, t.n, c.mean, sdc, c.n, false, alpha);
  comparison r;
  r.estimate = w.estimate;
  r.std_error = w.std_error;
  r.ci_low = w.ci_low;
  r.ci_high = w.ci_high;
  r.statistic = w.statistic;
  r.pvalue = w.pvalue;
  r.df = w.df;
  delta_lift(r, t.mean, t.variance() / t.n, c.mean, c.variance() / c.n, alpha);
  return r;
}

comparison compare_ratios(const comoments& t, const comoments& c, double alpha, double min_units) {
  constexpr std::string_view fn = "compare_ratios";
  detail::check_alpha(fn, alpha);
  for (const auto& [a, which] : {std::pair<const comoments*, const char*>{&t, "treatment"},
                                 std::pair<const comoments*, const char*>{&c, "control"}}) {
    if (a->n < std::max(min_units, 2.0))
      detail::fail(fn, std::string(which) + " arm has " + detail::num(a->n) +
                           " randomisation units (clusters); the delta method needs at least " +
                           detail::num(std::max(min_units, 2.0)) +
                           ". Pool more units or analyse at the unit level");
    if (!(a->mean_x > 0.0))
      detail::fail(fn, std::string(which) + " arm has a denominator mean of " + detail::num(a->mean_x) +
                           "; a ratio metric needs a positive denominator");
  }
  comparison r;
  const double rt = t.mean_y / t.mean_x, rc = c.mean_y / c.mean_x;
  const double vt = ratio_variance(t), vc = ratio_variance(c);
  if (!(vt + vc > 0.0)) detail::fail(fn, "both arms have zero variance; the ratio cannot be compared");
  r.estimate = rt - rc;
  r.std_error = std::sqrt(vt + vc);
  normal_test(r, alpha);
  delta_lift(r, rt, vt, rc, vc, alpha);
  return r;
}

cuped_fit cuped(std::span<const comoments> arms) {
  constexpr std::string_view fn = "cuped";
  cuped_fit f;
  double sxy = 0.0, sxx = 0.0, syy = 0.0, n = 0.0, xsum = 0.0;
  for (const auto& a : arms) {
    sxy += a.cxy;
    sxx += a.m2x;
    syy += a.m2y;
    n += a.n;
    xsum += a.n * a.mean_x;
  }
  if (!(sxx > 0.0))
    detail::fail(fn,
                 "the pre-period covariate is constant within every arm; it cannot reduce variance. "
                 "Drop it or choose another covariate");
  f.theta = sxy / sxx;
  f.x_mean = xsum / n;
  double adj_total = 0.0;
  for (const auto& a : arms) {
    moments m;
    m.n = a.n;
    m.mean = a.mean_y - f.theta * (a.mean_x - f.x_mean);
    m.m2 = std::max(a.m2y - 2.0 * f.theta * a.cxy + f.theta * f.theta * a.m2x, 0.0);
    adj_total += m.m2;
    f.adjusted.push_back(m);
  }
  f.variance_reduction = syy > 0.0 ? 1.0 - adj_total / syy : 0.0;
  return f;
}

namespace {

// Row-by-row reference (Welford), kept for its error messages: the blocked pass below hands any block
// with a bad row to it, and it throws naming the first offending row exactly as before.
template <class A, class T>
std::vector<moments> reference_moments(std::span<const A> arm, std::span<const T> y, int n_arms,
                                       std::string_view metric) {
  const std::string fn = "metric '" + std::string(metric) + "'";
  if (arm.size() != y.size())
    data_fail(fn, "has " + std::to_string(y.size()) + " values for " + std::to_string(arm.size()) + " units");
  std::vector<moments> out(static_cast<std::size_t>(n_arms));
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (arm[i] < 0 || arm[i] >= n_arms)
      data_fail(fn, "row " + std::to_string(i) + " has arm code " + std::to_string(arm[i]) + " outside [0, " +
                        std::to_string(n_arms) + ")");
    if (std::isnan(y[i]))
      data_fail(fn, "row " + std::to_string(i) + " is missing (NaN); drop or impute missing values first");
    out[static_cast<std::size_t>(arm[i])].add(static_cast<double>(y[i]));
  }
  return out;
}

template <class A, class T>
std::vector<comoments> reference_comoments(std::span<const A> arm, std::span<const T> x, std::span<const T> y,
                                           int n_arms, std::string_view metric, std::string_view x_name) {
  const std::string fn = "metric '" + std::string(metric) + "'";
  if (arm.size() != y.size() || arm.size() != x.size())
    data_fail(fn, "needs one value and one " + std::string(x_name) + " value per unit, got " +
                      std::to_string(y.size()) + " and " + std::to_string(x.size()) + " for " +
                      std::to_string(arm.size()) + " units");
  std::vector<comoments> out(static_cast<std::size_t>(n_arms));
  std::size_t missing = 0, first_missing = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (arm[i] < 0 || arm[i] >= n_arms)
      data_fail(fn, "row " + std::to_string(i) + " has arm code " + std::to_string(arm[i]) + " outside [0, " +
                        std::to_string(n_arms) + ")");
    if (std::isnan(y[i]))
      data_fail(fn, "row " + std::to_string(i) + " is missing (NaN); drop or impute missing values first");
    if (std::isnan(x[i])) {
      if (missing++ == 0) first_missing = i;
      continue;
    }
    out[static_cast<std::size_t>(arm[i])].add(static_cast<double>(x[i]), static_cast<double>(y[i]));
  }
  if (missing > 0)
    data_fail(fn, std::to_string(missing) + " unit(s) have no " + std::string(x_name) +
                      " value (first: row " + std::to_string(first_missing) +
                      "); every unit needs one. Impute (e.g. the pre-period mean plus a 'was missing' "
                      "indicator) or analyse without the covariate");
  return out;
}

// Rows per block: a block of codes and values (<= 224 KB, with the arm-sorted row order) stays in L2 cache
// between its passes. Long enough for the hardware prefetcher: a batch reads each column in runs of a block,
// and with 2,048 rows (8 KB of float32) the stream restarts too often (16,384 measured 1.2-1.6x faster).
constexpr std::size_t block_rows = 16384;
// Independent accumulator sets, row i going to lane i % lanes: consecutive rows of the same arm would
// otherwise wait on each other's store-to-load round trip through the same accumulator.
constexpr std::size_t lanes = 4;

// One pass over memory, no division per row. The first block (and any block while an arm has no running
// mean yet) is summarised exactly by the two-pass algorithm while it is in cache (sums per arm, then
// squared deviations from the block's arm means); later blocks in one pass with the running means as
// shifts. Each block is merged into the running per-arm moments with Chan, Golub & LeVeque's formula
// (moments::operator+=). As accurate as Welford's update and several times faster. Rows [begin, end) only;
// a bad row (arm code out of range, NaN) stops the pass, leaving the caller to report it.
//
// Proportions (binary: every value 0 or 1) need no moments pass at all: per arm the count n and the sum s
// of the values are integers, exact in double in any order (< 2^53), so the state holds (n, s) until
// binary_finish turns it into mean s / n and m2 = s (n - s) / n once, from the exact totals.
enum class range_status : char { ok, bad_row, not_binary };

// Accumulators of one thread, reused block after block (and column after column in analyze_metrics).
// count: the rows of each arm in the current block, from the arm codes alone (block_counts), so that a
// batch of columns counts each block once.
// order/start: the block's rows (offsets from its first row) sorted by arm, stable, arm a's rows at
// order[start[a], start[a + 1]); built at most once per block (sorted_rows), for every column of a batch.
struct moments_scratch {
  std::vector<double> cnt, sum, ss, mean, count;
  std::vector<std::uint16_t> order;
  std::vector<std::size_t> start;
  bool sorted = false;
  explicit moments_scratch(std::size_t k)
      : cnt(lanes * k), sum(lanes * k), ss(lanes * k), mean(k), count(k), order(block_rows), start(k + 1) {}
};

// Calls f(i, i % lanes) for every row i in [b, e), four rows per step so that each call's lane is a
// constant: the four accumulator sets then stay apart in the generated code (measured ~1.3-1.6x faster
// than computing the lane per row). Every accumulator still sees its rows in increasing order, so the
// sums, and the results, are bit-identical to the plain loop.
static_assert(lanes == 4);
template <class F>
inline void for_lanes(std::size_t b, std::size_t e, F&& f) {
  std::size_t i = b;
  for (; i < e && i % lanes != 0; ++i) f(i, i % lanes);
  for (; i + lanes <= e; i += lanes) {
    f(i, 0);
    f(i + 1, 1);
    f(i + 2, 2);
    f(i + 3, 3);
  }
  for (; i < e; ++i) f(i, i % lanes);
}

// Is any value in [b, e) NaN? A separate branch-free loop over the cached block, so the accumulation
// loops have no early exit.
template <class T>
bool block_has_nan(const T* y, std::size_t b, std::size_t e) {
  std::size_t nan_rows = 0;
  for (std::size_t i = b; i < e; ++i) nan_rows += static_cast<std::size_t>(y[i] != y[i]);
  return nan_rows > 0;
}

// Rows of each arm in [b, e) into s.count (exact: integers); false at an arm code outside [0, k).
template <class A>
bool block_counts(const A* arm, std::size_t b, std::size_t e, std::size_t k, moments_scratch& s) {
  std::size_t bad = 0;
  for (std::size_t i = b; i < e; ++i)  // a negative code wraps to >= k
    bad += static_cast<std::size_t>(static_cast<std::uint32_t>(arm[i]) >= k);
  if (bad > 0) return false;
  double* cnt = s.cnt.data();
  std::fill(s.cnt.begin(), s.cnt.end(), 0.0);
  for_lanes(b, e,
            [&](std::size_t i, std::size_t l) { cnt[l * k + static_cast<std::size_t>(arm[i])] += 1.0; });
  for (std::size_t a = 0; a < k; ++a) {
    double c = 0.0;
    for (std::size_t l = 0; l < lanes; ++l) c += cnt[l * k + a];
    s.count[a] = c;
  }
  s.sorted = false;
  return true;
}

// Counting sort of the rows [b, e) by arm into s.order / s.start (counts from block_counts), once per block.
static_assert(block_rows <= (std::size_t{1} << 16));
template <class A>
void sorted_rows(const A* arm, std::size_t b, std::size_t e, std::size_t k, moments_scratch& s) {
  if (s.sorted) return;
  std::size_t* start = s.start.data();
  start[0] = 0;
  for (std::size_t a = 0; a < k; ++a) start[a + 1] = start[a] + static_cast<std::size_t>(s.count[a]);
  std::size_t* next = s.start.data();  // moved on below, then restored from the counts
  std::uint16_t* order = s.order.data();
  for (std::size_t i = b; i < e; ++i)
    order[next[static_cast<std::size_t>(arm[i])]++] = static_cast<std::uint16_t>(i - b);
  // next[a] is now start[a + 1]: shift back
  for (std::size_t a = k; a > 0; --a) start[a] = start[a - 1];
  start[0] = 0;
  s.sorted = true;
}

// Rows [b, e) of one block (at most block_rows, codes already checked by block_counts) merged into out.
template <class A, class T>
range_status moments_block(const A* arm, const T* y, std::size_t b, std::size_t e, std::size_t k, bool binary,
                           std::vector<moments>& out, moments_scratch& s) {
  double* sum = s.sum.data();
  double* ss = s.ss.data();
  double* mean = s.mean.data();
  const double* count = s.count.data();
  if (block_has_nan(y, b, e)) return range_status::bad_row;
  std::fill(s.sum.begin(), s.sum.end(), 0.0);
  auto arm_of = [&](std::size_t i) { return static_cast<std::size_t>(arm[i]); };
  if (binary) {
    // every value 0 or 1
    std::size_t other = 0;
    for (std::size_t i = b; i < e; ++i) other += static_cast<std::size_t>((y[i] != T(0)) & (y[i] != T(1)));
    if (other > 0) return range_status::not_binary;
    if (k <= 4) {
      // Up to 4 arms: the ones of arm a are counted in bits [16 a, 16 a + 16) of one integer (a block has
      // at most block_rows < 2^16 rows), so there is no store per row; four accumulators for throughput.
      static_assert(block_rows < (std::size_t{1} << 16));
      std::uint64_t acc[4] = {0, 0, 0, 0};
      for_lanes(b, e, [&](std::size_t i, std::size_t l) {
        acc[l] += static_cast<std::uint64_t>(y[i] == T(1)) << (16 * arm_of(i));
      });
      const std::uint64_t ones = acc[0] + acc[1] + acc[2] + acc[3];
      for (std::size_t a = 0; a < k; ++a) {
        out[a].n += count[a];
        out[a].mean += static_cast<double>((ones >> (16 * a)) & 0xFFFF);  // the sum until binary_finish
      }
      return range_status::ok;
    }
    for_lanes(b, e,
              [&](std::size_t i, std::size_t l) { sum[l * k + arm_of(i)] += static_cast<double>(y[i]); });
    for (std::size_t a = 0; a < k; ++a) {
      double t = 0.0;
      for (std::size_t l = 0; l < lanes; ++l) t += sum[l * k + a];
      out[a].n += count[a];
      out[a].mean += t;  // the sum until binary_finish
    }
    return range_status::ok;
  }
  if (std::all_of(out.begin(), out.end(), [](const moments& m) { return m.n > 0.0; })) {
    // Once every arm has a running mean K, one pass suffices: sums of d = y - K and d^2 give the block's
    // mean K + sum d / n and m2 = sum d^2 - (sum d)^2 / n. With K within a few standard errors of the
    // block mean, the subtraction loses nothing of note (the classic shifted-data algorithm).
    // Per arm over its contiguous run of the block's rows sorted by arm (built once per block for all
    // columns): four independent accumulator pairs in registers, no store per row (measured ~15-20% faster
    // than a scatter-add into per-arm accumulators in memory).
    sorted_rows(arm, b, e, k, s);
    const std::uint16_t* order = s.order.data();
    const T* yb = y + b;
    for (std::size_t a = 0; a < k; ++a) {
      const std::size_t r0 = s.start[a], r1 = s.start[a + 1];
      if (r1 == r0) continue;
      const double ka = out[a].mean;
      double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, q0 = 0.0, q1 = 0.0, q2 = 0.0, q3 = 0.0;
      std::size_t r = r0;
      for (; r + 4 <= r1; r += 4) {
        const double d0 = static_cast<double>(yb[order[r]]) - ka;
        const double d1 = static_cast<double>(yb[order[r + 1]]) - ka;
        const double d2 = static_cast<double>(yb[order[r + 2]]) - ka;
        const double d3 = static_cast<double>(yb[order[r + 3]]) - ka;
        s0 += d0;
        s1 += d1;
        s2 += d2;
        s3 += d3;
        q0 += d0 * d0;
        q1 += d1 * d1;
        q2 += d2 * d2;
        q3 += d3 * d3;
      }
      for (; r < r1; ++r) {
        const double d = static_cast<double>(yb[order[r]]) - ka;
        s0 += d;
        q0 += d * d;
      }
      const double c = static_cast<double>(r1 - r0), t1 = (s0 + s1) + (s2 + s3), t2 = (q0 + q1) + (q2 + q3);
      out[a] += moments{c, ka + t1 / c, std::max(t2 - t1 * t1 / c, 0.0)};
    }
    return range_status::ok;
  }
  std::fill(s.ss.begin(), s.ss.end(), 0.0);
  for_lanes(b, e, [&](std::size_t i, std::size_t l) { sum[l * k + arm_of(i)] += static_cast<double>(y[i]); });
  for (std::size_t a = 0; a < k; ++a) {
    double t = 0.0;
    for (std::size_t l = 0; l < lanes; ++l) t += sum[l * k + a];
    mean[a] = count[a] > 0.0 ? t / count[a] : 0.0;
  }
  for_lanes(b, e, [&](std::size_t i, std::size_t l) {
    const std::size_t a = arm_of(i);
    const double d = static_cast<double>(y[i]) - mean[a];
    ss[l * k + a] += d * d;
  });
  for (std::size_t a = 0; a < k; ++a) {
    double m2 = 0.0;
    for (std::size_t l = 0; l < lanes; ++l) m2 += ss[l * k + a];
    if (count[a] > 0.0) out[a] += moments{count[a], mean[a], m2};
  }
  return range_status::ok;
}

// Merges a thread's state into the one before it (binary: (n, sum) states add exactly).
void merge_moments(std::vector<moments>& into, const std::vector<moments>& from, bool binary) {
  for (std::size_t a = 0; a < into.size(); ++a) {
    if (binary) {
      into[a].n += from[a].n;
      into[a].mean += from[a].mean;
    } else {
      into[a] += from[a];
    }
  }
}

// (n, sum of 0/1 values) -> moments: mean s / n, m2 = sum (y - mean)^2 = s - s^2 / n = s (n - s) / n.
void binary_finish(std::vector<moments>& m) {
  for (auto& x : m) {
    const double n = x.n, s = x.mean;
    x.mean = n > 0.0 ? s / n : 0.0;
    x.m2 = n > 0.0 ? s * (n - s) / n : 0.0;
  }
}

template <class A, class T>
range_status moments_range(const A* arm, const T* y, std::size_t begin, std::size_t end, std::size_t k,
                           bool binary, std::vector<moments>& out) {
  moments_scratch s(k);
  for (std::size_t b = begin; b < end; b += block_rows) {
    const std::size_t e = std::min(end, b + block_rows);
    if (!block_counts(arm, b, e, k, s)) return range_status::bad_row;
    const auto st = moments_block(arm, y, b, e, k, binary, out, s);
    if (st != range_status::ok) return st;
  }
  return range_status::ok;
}

// Per-arm comoments of (x, y_j) for m columns y_j sharing one x (ratio metrics over the same denominator),
// rows [begin, end). The x parts of every column's state (n, mean_x, m2x) depend on x and the arms only, so
// they are accumulated once per block and each column adds just its y sums; per accumulator the additions
// are the ones, in the order, of a single-column pass, so each column's result is bit-identical to it.
// ok[j] is cleared at the first bad row for column j (a NaN in y_j; an arm code or NaN in x: every column).
template <class A, class T>
void comoments_range_multi(const A* arm, const T* x, const T* const* ys, std::size_t m, std::size_t begin,
                           std::size_t end, std::size_t k, std::vector<comoments>* outs, char* ok) {
  const std::size_t w = lanes * k;
  std::vector<double> cnt(w), sx(w), sxx(w), mx(k), sy(m * w), syy(m * w), sxy(m * w), my(m * k);
  for (std::size_t b = begin; b < end; b += block_rows) {
    const std::size_t e = std::min(end, b + block_rows);
    std::size_t bad = 0;  // an arm code out of range (negative ones wrap) or a NaN in x; branch-free
    for (std::size_t i = b; i < e; ++i)
      bad += static_cast<std::size_t>((static_cast<std::uint32_t>(arm[i]) >= k) | (x[i] != x[i]));
    if (bad > 0) {
      std::fill(ok, ok + m, 0);
      return;
    }
    for (std::size_t j = 0; j < m; ++j)
      if (ok[j] && block_has_nan(ys[j], b, e)) ok[j] = 0;
    for (auto* v : {&cnt, &sx, &sxx, &sy, &syy, &sxy}) std::fill(v->begin(), v->end(), 0.0);
    if (std::all_of(outs[0].begin(), outs[0].end(), [](const comoments& c) { return c.n > 0.0; })) {
      // One pass with the running means as shifts, as in moments_block (the x state is the same in
      // every column).
      for (std::size_t a = 0; a < k; ++a) mx[a] = outs[0][a].mean_x;
      for_lanes(b, e, [&](std::size_t i, std::size_t l) {
        const std::size_t q = l * k + static_cast<std::size_t>(arm[i]);
        const double dx = static_cast<double>(x[i]) - mx[static_cast<std::size_t>(arm[i])];
        cnt[q] += 1.0;
        sx[q] += dx;
        sxx[q] += dx * dx;
      });
      for (std::size_t j = 0; j < m; ++j) {
        if (!ok[j]) continue;
        const T* y = ys[j];
        double* myj = my.data() + j * k;
        double *syj = sy.data() + j * w, *syyj = syy.data() + j * w, *sxyj = sxy.data() + j * w;
        for (std::size_t a = 0; a < k; ++a) myj[a] = outs[j][a].mean_y;
        for_lanes(b, e, [&](std::size_t i, std::size_t l) {
          const auto a = static_cast<std::size_t>(arm[i]);
          const std::size_t q = l * k + a;
          const double dx = static_cast<double>(x[i]) - mx[a], dy = static_cast<double>(y[i]) - myj[a];
          syj[q] += dy;
          syyj[q] += dy * dy;
          sxyj[q] += dx * dy;
        });
        for (std::size_t a = 0; a < k; ++a) {
          double c = 0.0, tx = 0.0, ty = 0.0, vxx = 0.0, vyy = 0.0, vxy = 0.0;
          for (std::size_t l = 0; l < lanes; ++l) {
            const std::size_t q = l * k + a;
            c += cnt[q];
            tx += sx[q];
            ty += syj[q];
            vxx += sxx[q];
            vyy += syyj[q];
            vxy += sxyj[q];
          }
          if (c > 0.0)
            outs[j][a] += comoments{c,
                                    mx[a] + tx / c,
                                    myj[a] + ty / c,
                                    std::max(vxx - tx * tx / c, 0.0),
                                    std::max(vyy - ty * ty / c, 0.0),
                                    vxy - tx * ty / c};
        }
      }
      continue;
    }
    // Two passes over the cached block: sums, then squared and cross deviations from the block means.
    for_lanes(b, e, [&](std::size_t i, std::size_t l) {
      const std::size_t q = l * k + static_cast<std::size_t>(arm[i]);
      cnt[q] += 1.0;
      sx[q] += static_cast<double>(x[i]);
    });
    std::vector<double> c(k);
    for (std::size_t a = 0; a < k; ++a) {
      double cc = 0.0, tx = 0.0;
      for (std::size_t l = 0; l < lanes; ++l) {
        cc += cnt[l * k + a];
        tx += sx[l * k + a];
      }
      c[a] = cc;
      mx[a] = cc > 0.0 ? tx / cc : 0.0;
    }
    for_lanes(b, e, [&](std::size_t i, std::size_t l) {
      const auto a = static_cast<std::size_t>(arm[i]);
      const double dx = static_cast<double>(x[i]) - mx[a];
      sxx[l * k + a] += dx * dx;
    });
    for (std::size_t j = 0; j < m; ++j) {
      if (!ok[j]) continue;
      const T* y = ys[j];
      double* myj = my.data() + j * k;
      double *syj = sy.data() + j * w, *syyj = syy.data() + j * w, *sxyj = sxy.data() + j * w;
      for_lanes(b, e, [&](std::size_t i, std::size_t l) {
        syj[l * k + static_cast<std::size_t>(arm[i])] += static_cast<double>(y[i]);
      });
      for (std::size_t a = 0; a < k; ++a) {
        double ty = 0.0;
        for (std::size_t l = 0; l < lanes; ++l) ty += syj[l * k + a];
        myj[a] = c[a] > 0.0 ? ty / c[a] : 0.0;
      }
      for_lanes(b, e, [&](std::size_t i, std::size_t l) {
        const auto a = static_cast<std::size_t>(arm[i]);
        const double dx = static_cast<double>(x[i]) - mx[a], dy = static_cast<double>(y[i]) - myj[a];
        syyj[l * k + a] += dy * dy;
        sxyj[l * k + a] += dx * dy;
      });
      for (std::size_t a = 0; a < k; ++a) {
        double vxx = 0.0, vyy = 0.0, vxy = 0.0;
        for (std::size_t l = 0; l < lanes; ++l) {
          vxx += sxx[l * k + a];
          vyy += syyj[l * k + a];
          vxy += sxyj[l * k + a];
        }
        if (c[a] > 0.0) outs[j][a] += comoments{c[a], mx[a], myj[a], vxx, vyy, vxy};
      }
    }
  }
}

template <class A, class T>
bool comoments_range(const A* arm, const T* x, const T* y, std::size_t begin, std::size_t end, std::size_t k,
                     std::vector<comoments>& out) {
  char ok = 1;
  comoments_range_multi(arm, x, &y, 1, begin, end, k, &out, &ok);
  return ok != 0;
}

// Large columns are split into one contiguous range per thread (missionkit::parallel_blocks); the
// per-thread states are merged in range order, so the result does not depend on scheduling (the thread
// count can move the last bits, as any change of summation order does). The GIL-free C++ loops touch only
// their own range and state.
// binary: also check that every value is 0 or 1; *not_binary is set when one is not (the caller locates
// and reports it, after any missing value, which is reported first as before).
template <class A, class T>
std::vector<moments> blocked_moments(std::span<const A> arm, std::span<const T> y, int n_arms,
                                     std::string_view metric, bool binary = false,
                                     bool* not_binary = nullptr) {
  if (arm.size() != y.size() || n_arms < 1) return reference_moments(arm, y, n_arms, metric);
  const auto k = static_cast<std::size_t>(n_arms);
  const std::size_t blocks = block_count(y.size(), std::size_t{1} << 18);
  std::vector<std::vector<moments>> part(blocks, std::vector<moments>(k));
  std::vector<range_status> st(blocks, range_status::ok);
  parallel_blocks(
      y.size(),
      [&](std::size_t t, std::size_t b, std::size_t e) {
        st[t] = moments_range(arm.data(), y.data(), b, e, k, binary, part[t]);
      },
      std::size_t{1} << 18);
  bool other = false;
  for (auto s : st) {
    if (s == range_status::bad_row)
      return reference_moments(arm, y, n_arms, metric);  // throws, naming the row
    other = other || s == range_status::not_binary;
  }
  if (other) {
    if (not_binary != nullptr) *not_binary = true;
    return reference_moments(arm, y, n_arms, metric);  // throws if a value is missing anywhere
  }
  for (std::size_t t = 1; t < blocks; ++t) merge_moments(part[0], part[t], binary);
  if (binary) binary_finish(part[0]);
  return std::move(part[0]);
}

template <class A, class T>
std::vector<comoments> blocked_comoments(std::span<const A> arm, std::span<const T> x, std::span<const T> y,
                                         int n_arms, std::string_view metric, std::string_view x_name) {
  if (arm.size() != y.size() || arm.size() != x.size() || n_arms < 1)
    return reference_comoments(arm, x, y, n_arms, metric, x_name);
  const auto k = static_cast<std::size_t>(n_arms);
  const std::size_t blocks = block_count(y.size(), std::size_t{1} << 18);
  std::vector<std::vector<comoments>> part(blocks, std::vector<comoments>(k));
  std::vector<char> ok(blocks, 1);
  parallel_blocks(
      y.size(),
      [&](std::size_t t, std::size_t b, std::size_t e) {
        ok[t] = comoments_range(arm.data(), x.data(), y.data(), b, e, k, part[t]) ? 1 : 0;
      },
      std::size_t{1} << 18);
  for (std::size_t t = 0; t < blocks; ++t)
    if (!ok[t]) return reference_comoments(arm, x, y, n_arms, metric, x_name);
  for (std::size_t t = 1; t < blocks; ++t)
    for (std::size_t a = 0; a < k; ++a) part[0][a] += part[t][a];
  return std::move(part[0]);
}

}  // namespace

std::vector<moments> arm_moments(std::span<const std::int32_t> arm, std::span<const double> y, int n_arms,
                                 std::string_view metric) {
  return blocked_moments(arm, y, n_arms, metric);
}

std::vector<moments> arm_moments(std::span<const std::int32_t> arm, std::span<const float> y, int n_arms,
                                 std::string_view metric) {
  return blocked_moments(arm, y, n_arms, metric);
}

std::vector<comoments> arm_comoments(std::span<const std::int32_t> arm, std::span<const double> x,
                                     std::span<const double> y, int n_arms, std::string_view metric,
                                     std::string_view x_name) {
  return blocked_comoments(arm, x, y, n_arms, metric, x_name);
}

std::vector<comoments> arm_comoments(std::span<const std::int32_t> arm, std::span<const float> x,
                                     std::span<const float> y, int n_arms, std::string_view metric,
                                     std::string_view x_name) {
  return blocked_comoments(arm, x, y, n_arms, metric, x_name);
}

namespace {

void need_arm_units(const std::string& fn, double n, int a) {
  if (n < 1.0) detail::fail(fn, "arm " + std::to_string(a) + " has no units");
}

// Runs body(), prefixing a domain_error with the metric and the comparison it came from.
template <class F>
auto arm_context(const std::string& fn, int a, int control, F&& body) {
  try {
    return body();
  } catch (const missionkit::domain_error& e) {
    throw missionkit::domain_error(fn + ", arm " + std::to_string(a) + " vs control " +
                                   std::to_string(control) + ": " + e.what());
  }
}

// The per-arm summaries and comparisons of a proportion or mean metric from its per-arm moments (plain)
// and the moments compared (used: the CUPED-adjusted ones with a covariate, else plain).
template <class T>
void finish_means(metric_analysis& out, metric_kind kind, int control, double alpha, const std::string& fn,
                  const std::vector<moments>& plain, const std::vector<moments>& used, bool covariate,
                  std::span<const T> y, bool not_binary) {
  const auto n_arms = static_cast<int>(used.size());
  const auto c = static_cast<std::size_t>(control);
  auto rethrow = [&](auto&& body, int a) { return arm_context(fn, a, control, body); };
  for (int a = 0; a < n_arms; ++a) {
    const auto& u = used[static_cast<std::size_t>(a)];
    need_arm_units(fn, u.n, a);
    out.arms[static_cast<std::size_t>(a)] = {u.n, u.mean, std::sqrt(u.variance() / u.n),
                                             plain[static_cast<std::size_t>(a)].mean};
  }
  if (kind == metric_kind::proportion && !covariate) {
    // checked during the moments pass; located here only when a value is not 0/1
    for (std::size_t i = 0; not_binary && i < y.size(); ++i)
      if (y[i] != T(0) && y[i] != T(1))
        data_fail(fn, "is a proportion but row " + std::to_string(i) + " is " +
                          detail::num(static_cast<double>(y[i])) + "; use 0/1 values or the kind 'mean'");
  }
  for (int a : out.treatments) {
    const auto& t = used[static_cast<std::size_t>(a)];
    comparison r;
    if (kind == metric_kind::proportion && !covariate) {
      // Counts recovered from means of 0/1 values carry rounding; round to the integers they are.
      const double ct = std::round(t.mean * t.n), cc = std::round(used[c].mean * used[c].n);
      r = rethrow([&] { return compare_proportions(ct, t.n, cc, used[c].n, alpha); }, a);
    } else {
      r = rethrow([&] { return compare_means(t, used[c], alpha); }, a);
      if (covariate) {
        const auto& pt = plain[static_cast<std::size_t>(a)];
        const double v_plain = pt.variance() / pt.n + plain[c].variance() / plain[c].n;
        r.variance_reduction = v_plain > 0.0 ? 1.0 - r.std_error * r.std_error / v_plain : 0.0;
      }
    }
    out.comparisons.push_back(r);
  }
}

// The per-arm summaries and comparisons of a ratio metric from its per-arm comoments (x = denominator).
void finish_ratio(metric_analysis& out, const std::vector<comoments>& cm, int control, double alpha,
                  double min_units, const std::string& fn) {
  const auto c = static_cast<std::size_t>(control);
  for (std::size_t a = 0; a < cm.size(); ++a) {
    const auto& m = cm[a];
    need_arm_units(fn, m.n, static_cast<int>(a));
    double v = m.n >= 2.0 && m.mean_x > 0.0 ? ratio_variance(m) : nan;
    out.arms[a] = {m.n, m.mean_y / m.mean_x, std::sqrt(v), m.mean_y / m.mean_x};
  }
  for (int a : out.treatments)
    out.comparisons.push_back(arm_context(fn, a, control, [&] {
      return compare_ratios(cm[static_cast<std::size_t>(a)], cm[c], alpha, min_units);
    }));
}

// An analysis with a state per arm and every non-control arm listed as a treatment, ready to be finished.
metric_analysis empty_analysis(int n_arms, int control) {
  metric_analysis out;
  out.arms.resize(static_cast<std::size_t>(n_arms));
  for (int a = 0; a < n_arms; ++a)
    if (a != control) out.treatments.push_back(a);
  return out;
}

template <class A, class T>
metric_analysis analyze_impl(metric_kind kind, std::span<const A> arm, int n_arms, int control,
                             std::span<const T> y, std::span<const T> x, double alpha,
                             std::string_view metric, double min_units) {
  const std::string fn = "metric '" + std::string(metric) + "'";
  if (n_arms < 2) detail::fail(fn, "needs at least 2 arms, got " + std::to_string(n_arms));
  if (control < 0 || control >= n_arms)
    detail::fail(fn,
                 "control arm " + std::to_string(control) + " is not in [0, " + std::to_string(n_arms) + ")");
  detail::check_alpha(fn, alpha);
  metric_analysis out = empty_analysis(n_arms, control);
  auto need_units = [&](double n, int a) { need_arm_units(fn, n, a); };
  if (kind == metric_kind::ratio) {
    if (x.empty()) detail::fail(fn, "a ratio metric needs a denominator per unit");
    finish_ratio(out, blocked_comoments(arm, x, y, n_arms, metric, "denominator"), control, alpha, min_units,
                 fn);
    return out;
  }
  std::vector<moments> plain;
  std::vector<moments> used;
  bool not_binary = false;
  if (!x.empty()) {
    auto cm = blocked_comoments(arm, x, y, n_arms, metric, "pre-period");
    for (int a = 0; a < n_arms; ++a) need_units(cm[static_cast<std::size_t>(a)].n, a);
    auto fit = cuped(cm);
    out.cuped_theta = fit.theta;
    out.variance_reduction = fit.variance_reduction;
    for (const auto& m : cm) plain.push_back({m.n, m.mean_y, m.m2y});
    used = fit.adjusted;
  } else {
    plain = blocked_moments(arm, y, n_arms, metric, kind == metric_kind::proportion, &not_binary);
    used = plain;
  }
  finish_means(out, kind, control, alpha, fn, plain, used, !x.empty(), y, not_binary);
  return out;
}

// One sweep for many columns. The rows are split into exactly the per-thread ranges blocked_moments uses,
// and each range into the same block_rows blocks; per block, the arm codes are counted once and every
// column is summarised by moments_block while that block's codes are in cache. Each column's state therefore
// sees the same blocks in the same order as in its own blocked_moments call, and its thread states are merged
// in the same order: the results are bit-identical. Anything but the plain, valid case (wrong arguments, a
// ratio, a bad row, a value that is not 0/1) is handed to analyze_impl for that column, which throws exactly
// its own error.
template <class A, class T>
std::vector<metric_analysis> analyze_batch(std::span<const metric_kind> kinds, std::span<const A> arm,
                                           int n_arms, int control, std::span<const std::span<const T>> ys,
                                           std::span<const std::string_view> names, double alpha) {
  constexpr std::string_view fn = "analyze_metrics";
  if (kinds.size() != ys.size() || names.size() != ys.size())
    detail::fail(fn, "needs one kind and one name per column, got " + std::to_string(kinds.size()) +
                         " kinds and " + std::to_string(names.size()) + " names for " +
                         std::to_string(ys.size()) + " columns");
  const std::size_t m = ys.size();
  std::vector<metric_analysis> out;
  out.reserve(m);
  auto one = [&](std::size_t j) {
    return analyze_impl(kinds[j], arm, n_arms, control, ys[j], std::span<const T>{}, alpha, names[j], 10.0);
  };
  bool simple = n_arms >= 2 && control >= 0 && control < n_arms;
  for (std::size_t j = 0; j < m; ++j)
    simple = simple && ys[j].size() == arm.size() && kinds[j] != metric_kind::ratio;
  if (!simple || m == 0) {
    for (std::size_t j = 0; j < m; ++j) out.push_back(one(j));
    return out;
  }
  detail::check_alpha("metric '" + std::string(names[0]) + "'", alpha);
  const auto k = static_cast<std::size_t>(n_arms);
  const std::size_t n = arm.size(), per_block = std::size_t{1} << 18;
  const std::size_t blocks = block_count(n, per_block);
  // part[t * m + j]: thread t's moments of column j
  std::vector<std::vector<moments>> part(blocks * m, std::vector<moments>(k));
  std::vector<range_status> st(blocks * m, range_status::ok);
  parallel_blocks(
      n,
      [&](std::size_t t, std::size_t begin, std::size_t end) {
        moments_scratch s(k);
        for (std::size_t b = begin; b < end; b += block_rows) {
          const std::size_t e = std::min(end, b + block_rows);
          if (!block_counts(arm.data(), b, e, k, s)) {  // every column reports it (the first one throws)
            for (std::size_t j = 0; j < m; ++j) st[t * m + j] = range_status::bad_row;
            return;
          }
          for (std::size_t j = 0; j < m; ++j) {
            auto& sj = st[t * m + j];
            if (sj == range_status::ok)
              sj = moments_block(arm.data(), ys[j].data(), b, e, k, kinds[j] == metric_kind::proportion,
                                 part[t * m + j], s);
          }
        }
      },
      per_block);
  for (std::size_t j = 0; j < m; ++j) {
    bool ok = true;
    for (std::size_t t = 0; t < blocks; ++t) ok = ok && st[t * m + j] == range_status::ok;
    if (!ok) {
      out.push_back(one(j));  // throws, as analyze_metric would
      continue;
    }
    auto& plain = part[j];  // thread 0's state
    const bool binary = kinds[j] == metric_kind::proportion;
    for (std::size_t t = 1; t < blocks; ++t) merge_moments(plain, part[t * m + j], binary);
    if (binary) binary_finish(plain);
    metric_analysis r = empty_analysis(n_arms, control);
    finish_means(r, kinds[j], control, alpha, "metric '" + std::string(names[j]) + "'", plain, plain, false,
                 ys[j], false);
    out.push_back(std::move(r));
  }
  return out;
}

// Ratio metrics over one shared denominator in one sweep (comoments_range_multi); the thread ranges,
// blocks and merge order are those of blocked_comoments, so each result is bit-identical to analyze_impl's,
// and anything unusual is handed to analyze_impl for that metric, which throws its own error.
template <class A, class T>
std::vector<metric_analysis> ratio_batch(std::span<const A> arm, int n_arms, int control,
                                         std::span<const std::span<const T>> ys, std::span<const T> x,
                                         std::span<const std::string_view> names, double alpha,
                                         double min_units) {
  constexpr std::string_view fn = "analyze_ratios";
  if (names.size() != ys.size())
    detail::fail(fn, "needs one name per numerator column, got " + std::to_string(names.size()) +
                         " names for " + std::to_string(ys.size()) + " columns");
  const std::size_t m = ys.size();
  std::vector<metric_analysis> out;
  out.reserve(m);
  auto one = [&](std::size_t j) {
    return analyze_impl(metric_kind::ratio, arm, n_arms, control, ys[j], x, alpha, names[j], min_units);
  };
  bool simple = n_arms >= 2 && control >= 0 && control < n_arms && !x.empty() && x.size() == arm.size();
  for (std::size_t j = 0; j < m; ++j) simple = simple && ys[j].size() == arm.size();
  if (!simple || m == 0) {
    for (std::size_t j = 0; j < m; ++j) out.push_back(one(j));
    return out;
  }
  detail::check_alpha("metric '" + std::string(names[0]) + "'", alpha);
  const auto k = static_cast<std::size_t>(n_arms);
  const std::size_t n = arm.size(), per_block = std::size_t{1} << 18;
  const std::size_t blocks = block_count(n, per_block);
  std::vector<std::vector<comoments>> part(blocks * m, std::vector<comoments>(k));
  std::vector<char> ok(blocks * m, 1);
  std::vector<const T*> yp;
  for (const auto& y : ys) yp.push_back(y.data());
  parallel_blocks(
      n,
      [&](std::size_t t, std::size_t begin, std::size_t end) {
        comoments_range_multi(arm.data(), x.data(), yp.data(), m, begin, end, k, &part[t * m], &ok[t * m]);
      },
      per_block);
  for (std::size_t j = 0; j < m; ++j) {
    bool good = true;
    for (std::size_t t = 0; t < blocks; ++t) good = good && ok[t * m + j] != 0;
    if (!good) {
      out.push_back(one(j));  // throws, as analyze_metric would
      continue;
    }
    auto& cm = part[j];
    for (std::size_t t = 1; t < blocks; ++t)
      for (std::size_t a = 0; a < k; ++a) cm[a] += part[t * m + j][a];
    metric_analysis r = empty_analysis(n_arms, control);
    finish_ratio(r, cm, control, alpha, min_units, "metric '" + std::string(names[j]) + "'");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::vector<metric_analysis> analyze_ratios(std::span<const std::int32_t> arm, int n_arms, int control,
                                            std::span<const std::span<const double>> numerators,
                                            std::span<const double> denominator,
                                            std::span<const std::string_view> names, double alpha,
                                            double min_units) {
  return ratio_batch(arm, n_arms, control, numerators, denominator, names, alpha, min_units);
}

std::vector<metric_analysis> analyze_ratios(std::span<const std::int32_t> arm, int n_arms, int control,
                                            std::span<const std::span<const float>> numerators,
                                            std::span<const float> denominator,
                                            std::span<const std::string_view> names, double alpha,
                                            double min_units) {
  return ratio_batch(arm, n_arms, control, numerators, denominator, names, alpha, min_units);
}

std::vector<metric_analysis> analyze_ratios(std::span<const std::int8_t> arm, int n_arms, int control,
                                            std::span<const std::span<const double>> numerators,
                                            std::span<const double> denominator,
                                            std::span<const std::string_view> names, double alpha,
                                            double min_units) {
  return ratio_batch(arm, n_arms, control, numerators, denominator, names, alpha, min_units);
}

std::vector<metric_analysis> analyze_ratios(std::span<const std::int8_t> arm, int n_arms, int control,
                                            std::span<const std::span<const float>> numerators,
                                            std::span<const float> denominator,
                                            std::span<const std::string_view> names, double alpha,
                                            double min_units) {
  return ratio_batch(arm, n_arms, control, numerators, denominator, names, alpha, min_units);
}

std::vector<metric_analysis> analyze_metrics(std::span<const metric_kind> kinds,
                                             std::span<const std::int32_t> arm, int n_arms, int control,
                                             std::span<const std::span<const double>> ys,
                                             std::span<const std::string_view> names, double alpha) {
  return analyze_batch(kinds, arm, n_arms, control, ys, names, alpha);
}

std::vector<metric_analysis> analyze_metrics(std::span<const metric_kind> kinds,
                                             std::span<const std::int32_t> arm, int n_arms, int control,
                                             std::span<const std::span<const float>> ys,
                                             std::span<const std::string_view> names, double alpha) {
  return analyze_batch(kinds, arm, n_arms, control, ys, names, alpha);
}

std::vector<metric_analysis> analyze_metrics(std::span<const metric_kind> kinds,
                                             std::span<const std::int8_t> arm, int n_arms, int control,
                                             std::span<const std::span<const double>> ys,
                                             std::span<const std::string_view> names, double alpha) {
  return analyze_batch(kinds, arm, n_arms, control, ys, names, alpha);
}

std::vector<metric_analysis> analyze_metrics(std::span<const metric_kind> kinds,
                                             std::span<const std::int8_t> arm, int n_arms, int control,
                                             std::span<const std::span<const float>> ys,
                                             std::span<const std::string_view> names, double alpha) {
  return analyze_batch(kinds, arm, n_arms, control, ys, names, alpha);
}

metric_analysis analyze_metric(metric_kind kind, std::span<const std::int32_t> arm, int n_arms, int control,
                               std::span<const double> y, std::span<const double> x, double alpha,
                               std::string_view metric, double min_units) {
  return analyze_impl(kind, arm, n_arms, control, y, x, alpha, metric, min_units);
}

metric_analysis analyze_metric(metric_kind kind, std::span<const std::int32_t> arm, int n_arms, int control,
                               std::span<const float> y, std::span<const float> x, double alpha,
                               std::string_view metric, double min_units) {
  return analyze_impl(kind, arm, n_arms, control, y, x, alpha, metric, min_units);
}

metric_analysis analyze_metric(metric_kind kind, std::span<const std::int8_t> arm, int n_arms, int control,
                               std::span<const float> y, std::span<const float> x, double alpha,
                               std::string_view metric, double min_units) {
  return analyze_impl(kind, arm, n_arms, control, y, x, alpha, metric, min_units);
}

metric_analysis analyze_metric(metric_kind kind, std::span<const std::int8_t> arm, int n_arms, int control,
                               std::span<const double> y, std::span<const double> x, double alpha,
                               std::string_view metric, double min_units) {
  return analyze_impl(kind, arm, n_arms, control, y, x, alpha, metric, min_units);
}

heterogeneity cochran_q(std::span<const double> estimate, std::span<const double> std_error) {
  constexpr std::string_view fn = "cochran_q";
  if (estimate.size() != std_error.size())
    detail::fail(fn, "got " + std::to_string(estimate.size()) + " estimates and " +
                         std::to_string(std_error.size()) + " standard errors");
  if (estimate.size() < 2)
    detail::fail(fn, "needs at least 2 estimates to compare, got " + std::to_string(estimate.size()));
  double sw = 0.0, swe = 0.0;
  for (std::size_t i = 0; i < estimate.size(); ++i) {
    if (!std::isfinite(estimate[i])) detail::fail(fn, "estimate " + std::to_string(i) + " is not finite");
    if (!(std::isfinite(std_error[i]) && std_error[i] > 0.0))
      detail::fail(fn, "standard error " + std::to_string(i) + " must be finite and > 0, got " +
                           detail::num(std_error[i]));
    const double w = 1.0 / (std_error[i] * std_error[i]);
    sw += w;
    swe += w * estimate[i];
  }
  heterogeneity h;
  h.pooled = swe / sw;
  for (std::size_t i = 0; i < estimate.size(); ++i) {
    const double d = estimate[i] - h.pooled;
    h.q += d * d / (std_error[i] * std_error[i]);
  }
  h.df = static_cast<double>(estimate.size() - 1);
  h.pvalue = chi2_sf(h.q, h.df);
  h.i2 = h.q > 0.0 ? std::max(0.0, (h.q - h.df) / h.q) : 0.0;
  return h;
}

std::optional<unit_conflict> find_duplicate_unit(std::span<const std::int64_t> unit,
                                                 std::span<const std::int32_t> arm) {
  if (unit.size() != arm.size())
    data_fail("units", "got " + std::to_string(unit.size()) + " unit ids for " + std::to_string(arm.size()) +
                           " arm labels");
  std::unordered_map<std::int64_t, std::size_t> first;
  first.reserve(unit.size());
  std::optional<unit_conflict> same_arm;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    auto [it, inserted] = first.emplace(unit[i], i);
    if (inserted) continue;
    unit_conflict u{it->second, i, arm[it->second] != arm[i]};
    if (u.different_arms) return u;  // the worse problem: report it first
    if (!same_arm) same_arm = u;
  }
  return same_arm;
}

}  // namespace missionkit::stats
