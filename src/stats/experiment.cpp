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

// Rows per block: a block of codes and values (<= 24 KB) stays in L1/L2 cache between its two passes.
constexpr std::size_t block_rows = 2048;
// Independent accumulator sets, row i going to lane i % lanes: consecutive rows of the same arm would
// otherwise wait on each other's store-to-load round trip through the same accumulator.
constexpr std::size_t lanes = 4;

// One pass over memory, no division per row. The first block (and any block while an arm has no running
// mean yet) is summarised exactly by the two-pass algorithm while it is in cache (sums per arm, then
// squared deviations from the block's arm means); later blocks in one pass with the running means as
// shifts. Each block is merged into the running per-arm moments with Chan, Golub & LeVeque's formula
// (moments::operator+=). As accurate as Welford's update and several times faster. Rows [begin, end) only;
// returns false at the first bad row (arm code out of range, NaN), leaving the caller to report it.
enum class range_status : char { ok, bad_row, not_binary };

template <class A, class T>
range_status moments_range(const A* arm, const T* y, std::size_t begin, std::size_t end, std::size_t k,
                           bool binary, std::vector<moments>& out) {
  std::vector<double> cnt(lanes * k), sum(lanes * k), ss(lanes * k), mean(k);
  for (std::size_t b = begin; b < end; b += block_rows) {
    const std::size_t e = std::min(end, b + block_rows);
    std::fill(cnt.begin(), cnt.end(), 0.0);
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(ss.begin(), ss.end(), 0.0);
    if (std::all_of(out.begin(), out.end(), [](const moments& m) { return m.n > 0.0; })) {
      // Once every arm has a running mean K, one pass suffices: sums of d = y - K and d^2 give the block's
      // mean K + sum d / n and m2 = sum d^2 - (sum d)^2 / n. With K within a few standard errors of the
      // block mean, the subtraction loses nothing of note (the classic shifted-data algorithm).
      for (std::size_t a = 0; a < k; ++a) mean[a] = out[a].mean;
      for (std::size_t i = b; i < e; ++i) {
        const auto a = static_cast<std::uint32_t>(arm[i]);
        const auto v = static_cast<double>(y[i]);
        if (a >= k || v != v) return range_status::bad_row;
        const std::size_t j = (i % lanes) * k + a;
        const double d = v - mean[a];
        cnt[j] += 1.0;
        sum[j] += d;
        ss[j] += d * d;
      }
      if (binary) {
        std::size_t other = 0;
        for (std::size_t i = b; i < e; ++i)
          other += static_cast<std::size_t>((y[i] != T(0)) & (y[i] != T(1)));
        if (other > 0) return range_status::not_binary;
      }
      for (std::size_t a = 0; a < k; ++a) {
        double c = 0.0, s1 = 0.0, s2 = 0.0;
        for (std::size_t l = 0; l < lanes; ++l) {
          c += cnt[l * k + a];
          s1 += sum[l * k + a];
          s2 += ss[l * k + a];
        }
        if (c > 0.0) out[a] += moments{c, mean[a] + s1 / c, std::max(s2 - s1 * s1 / c, 0.0)};
      }
      continue;
    }
    for (std::size_t i = b; i < e; ++i) {
      const auto a = static_cast<std::uint32_t>(arm[i]);
      const auto v = static_cast<double>(y[i]);
      if (a >= k || v != v) return range_status::bad_row;  // v != v: NaN
      const std::size_t j = (i % lanes) * k + a;
      cnt[j] += 1.0;
      sum[j] += v;
    }
    if (binary) {  // a proportion: every value 0 or 1 (a separate, branch-free loop over the cached block)
      std::size_t other = 0;
      for (std::size_t i = b; i < e; ++i) other += static_cast<std::size_t>((y[i] != T(0)) & (y[i] != T(1)));
      if (other > 0) return range_status::not_binary;
    }
    for (std::size_t a = 0; a < k; ++a) {
      double c = 0.0, t = 0.0;
      for (std::size_t l = 0; l < lanes; ++l) {
        c += cnt[l * k + a];
        t += sum[l * k + a];
      }
      cnt[a] = c;  // lane 0 now holds the block totals
      mean[a] = c > 0.0 ? t / c : 0.0;
    }
    for (std::size_t i = b; i < e; ++i) {
      const auto a = static_cast<std::size_t>(arm[i]);
      const double d = static_cast<double>(y[i]) - mean[a];
      ss[(i % lanes) * k + a] += d * d;
    }
    for (std::size_t a = 0; a < k; ++a) {
      double m2 = 0.0;
      for (std::size_t l = 0; l < lanes; ++l) m2 += ss[l * k + a];
      if (cnt[a] > 0.0) out[a] += moments{cnt[a], mean[a], m2};
    }
  }
  return range_status::ok;
}

template <class A, class T>
bool comoments_range(const A* arm, const T* x, const T* y, std::size_t begin, std::size_t end, std::size_t k,
                     std::vector<comoments>& out) {
  std::vector<double> cnt(lanes * k), sx(lanes * k), sy(lanes * k), sxx(lanes * k), syy(lanes * k),
      sxy(lanes * k), mx(k), my(k);
  for (std::size_t b = begin; b < end; b += block_rows) {
    const std::size_t e = std::min(end, b + block_rows);
    for (auto* v : {&cnt, &sx, &sy, &sxx, &syy, &sxy}) std::fill(v->begin(), v->end(), 0.0);
    if (std::all_of(out.begin(), out.end(), [](const comoments& m) { return m.n > 0.0; })) {
      // One pass with the running means as shifts, as in moments_range.
      for (std::size_t a = 0; a < k; ++a) {
        mx[a] = out[a].mean_x;
        my[a] = out[a].mean_y;
      }
      for (std::size_t i = b; i < e; ++i) {
        const auto a = static_cast<std::uint32_t>(arm[i]);
        const auto xv = static_cast<double>(x[i]), yv = static_cast<double>(y[i]);
        if (a >= k || xv != xv || yv != yv) return false;
        const std::size_t j = (i % lanes) * k + a;
        const double dx = xv - mx[a], dy = yv - my[a];
        cnt[j] += 1.0;
        sx[j] += dx;
        sy[j] += dy;
        sxx[j] += dx * dx;
        syy[j] += dy * dy;
        sxy[j] += dx * dy;
      }
      for (std::size_t a = 0; a < k; ++a) {
        double c = 0.0, tx = 0.0, ty = 0.0, vxx = 0.0, vyy = 0.0, vxy = 0.0;
        for (std::size_t l = 0; l < lanes; ++l) {
          const std::size_t j = l * k + a;
          c += cnt[j];
          tx += sx[j];
          ty += sy[j];
          vxx += sxx[j];
          vyy += syy[j];
          vxy += sxy[j];
        }
        if (c > 0.0)
          out[a] += comoments{c,
                              mx[a] + tx / c,
                              my[a] + ty / c,
                              std::max(vxx - tx * tx / c, 0.0),
                              std::max(vyy - ty * ty / c, 0.0),
                              vxy - tx * ty / c};
      }
      continue;
    }
    for (std::size_t i = b; i < e; ++i) {
      const auto a = static_cast<std::uint32_t>(arm[i]);
      const auto xv = static_cast<double>(x[i]), yv = static_cast<double>(y[i]);
      if (a >= k || xv != xv || yv != yv) return false;
      const std::size_t j = (i % lanes) * k + a;
      cnt[j] += 1.0;
      sx[j] += xv;
      sy[j] += yv;
    }
    for (std::size_t a = 0; a < k; ++a) {
      double c = 0.0, tx = 0.0, ty = 0.0;
      for (std::size_t l = 0; l < lanes; ++l) {
        c += cnt[l * k + a];
        tx += sx[l * k + a];
        ty += sy[l * k + a];
      }
      cnt[a] = c;
      mx[a] = c > 0.0 ? tx / c : 0.0;
      my[a] = c > 0.0 ? ty / c : 0.0;
    }
    for (std::size_t i = b; i < e; ++i) {
      const auto a = static_cast<std::size_t>(arm[i]);
      const double dx = static_cast<double>(x[i]) - mx[a], dy = static_cast<double>(y[i]) - my[a];
      const std::size_t j = (i % lanes) * k + a;
      sxx[j] += dx * dx;
      syy[j] += dy * dy;
      sxy[j] += dx * dy;
    }
    for (std::size_t a = 0; a < k; ++a) {
      double vxx = 0.0, vyy = 0.0, vxy = 0.0;
      for (std::size_t l = 0; l < lanes; ++l) {
        vxx += sxx[l * k + a];
        vyy += syy[l * k + a];
        vxy += sxy[l * k + a];
      }
      if (cnt[a] > 0.0) out[a] += comoments{cnt[a], mx[a], my[a], vxx, vyy, vxy};
    }
  }
  return true;
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
  for (std::size_t t = 1; t < blocks; ++t)
    for (std::size_t a = 0; a < k; ++a) part[0][a] += part[t][a];
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
  metric_analysis out;
  out.arms.resize(static_cast<std::size_t>(n_arms));
  for (int a = 0; a < n_arms; ++a)
    if (a != control) out.treatments.push_back(a);
  auto need_units = [&](double n, int a) {
    if (n < 1.0) detail::fail(fn, "arm " + std::to_string(a) + " has no units");
  };
  auto rethrow = [&](auto&& body, int a) {
    try {
      return body();
    } catch (const missionkit::domain_error& e) {
      throw missionkit::domain_error(fn + ", arm " + std::to_string(a) + " vs control " +
                                     std::to_string(control) + ": " + e.what());
    }
  };
  const auto c = static_cast<std::size_t>(control);
  if (kind == metric_kind::ratio) {
    if (x.empty()) detail::fail(fn, "a ratio metric needs a denominator per unit");
    auto cm = blocked_comoments(arm, x, y, n_arms, metric, "denominator");
    for (int a = 0; a < n_arms; ++a) {
      const auto& m = cm[static_cast<std::size_t>(a)];
      need_units(m.n, a);
      double v = m.n >= 2.0 && m.mean_x > 0.0 ? ratio_variance(m) : nan;
      out.arms[static_cast<std::size_t>(a)] = {m.n, m.mean_y / m.mean_x, std::sqrt(v), m.mean_y / m.mean_x};
    }
    for (int a : out.treatments)
      out.comparisons.push_back(rethrow(
          [&] { return compare_ratios(cm[static_cast<std::size_t>(a)], cm[c], alpha, min_units); }, a));
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
  for (int a = 0; a < n_arms; ++a) {
    const auto& u = used[static_cast<std::size_t>(a)];
    need_units(u.n, a);
    out.arms[static_cast<std::size_t>(a)] = {u.n, u.mean, std::sqrt(u.variance() / u.n),
                                             plain[static_cast<std::size_t>(a)].mean};
  }
  if (kind == metric_kind::proportion && x.empty()) {
    // checked during the moments pass; located here only when a value is not 0/1
    for (std::size_t i = 0; not_binary && i < y.size(); ++i)
      if (y[i] != T(0) && y[i] != T(1))
        data_fail(fn, "is a proportion but row " + std::to_string(i) + " is " +
                          detail::num(static_cast<double>(y[i])) + "; use 0/1 values or the kind 'mean'");
  }
  for (int a : out.treatments) {
    const auto& t = used[static_cast<std::size_t>(a)];
    comparison r;
    if (kind == metric_kind::proportion && x.empty()) {
      // Counts recovered from means of 0/1 values carry rounding; round to the integers they are.
      const double ct = std::round(t.mean * t.n), cc = std::round(used[c].mean * used[c].n);
      r = rethrow([&] { return compare_proportions(ct, t.n, cc, used[c].n, alpha); }, a);
    } else {
      r = rethrow([&] { return compare_means(t, used[c], alpha); }, a);
      if (!x.empty()) {
        const auto& pt = plain[static_cast<std::size_t>(a)];
        const double v_plain = pt.variance() / pt.n + plain[c].variance() / plain[c].n;
        r.variance_reduction = v_plain > 0.0 ? 1.0 - r.std_error * r.std_error / v_plain : 0.0;
      }
    }
    out.comparisons.push_back(r);
  }
  return out;
}

}  // namespace

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
