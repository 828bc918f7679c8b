#include "missionkit/stats/nonparametric.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "detail/checks.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void check_sample(const char* fn, const char* name, std::span<const double> x, bool allow_inf) {
  if (x.empty()) fail(fn, std::string(name) + " is empty");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isnan(x[i]) || (!allow_inf && std::isinf(x[i])))
      fail(fn, std::string(name) + "[" + std::to_string(i) + "] is " + num(x[i]) +
                   "; drop or impute missing values first");
}

// P(U <= k) for k = 0..kmax, U the Mann-Whitney statistic of samples of sizes m and n without ties. The
// recursion conditions on whether the largest pooled value is an x (probability i / (i + j); it exceeds
// all j values of y) or a y (it exceeds none): p_{i,j}(u) = i/(i+j) p_{i-1,j}(u-j) + j/(i+j) p_{i,j-1}(u).
// Layers over i keep one array of length kmax + 1 per j. Only additions of positive terms: stable.
std::vector<double> mwu_cdf(std::size_t m, std::size_t n, std::size_t kmax) {
  if (m > n) std::swap(m, n);  // the law of U is symmetric in the two sample sizes
  const std::size_t width = kmax + 1;
  if (static_cast<double>(n + 1) * static_cast<double>(width) > 1e7)
    fail("mann_whitney_u", "the exact distribution for samples of " + std::to_string(m) + " and " +
                               std::to_string(n) +
                               " values is too large to tabulate; use method='asymptotic'");
  std::vector<double> prev((n + 1) * width, 0.0);
  std::vector<double> cur((n + 1) * width, 0.0);
  for (std::size_t j = 0; j <= n; ++j) prev[j * width] = 1.0;  // i = 0: U = 0
  for (std::size_t i = 1; i <= m; ++i) {
    std::fill(cur.begin(), cur.end(), 0.0);
    cur[0] = 1.0;  // j = 0: U = 0
    for (std::size_t j = 1; j <= n; ++j) {
      const double wx = static_cast<double>(i) / static_cast<double>(i + j);
      const double wy = static_cast<double>(j) / static_cast<double>(i + j);
      double* out = &cur[j * width];
      const double* left = &cur[(j - 1) * width];
      const double* up = &prev[j * width];
      for (std::size_t u = 0; u < width; ++u) out[u] = wy * left[u] + (u >= j ? wx * up[u - j] : 0.0);
    }
    std::swap(prev, cur);
  }
  std::vector<double> cdf(prev.begin() + static_cast<std::ptrdiff_t>(n * width), prev.end());
  std::partial_sum(cdf.begin(), cdf.end(), cdf.begin());
  return cdf;
}

// P(U' >= k) under H0 without ties, as scipy's _MWU.sf: sum whichever tail is shorter.
double mwu_exact_sf(std::size_t m, std::size_t n, double k) {
  const double mn = static_cast<double>(m) * static_cast<double>(n);
  if (k <= 0.0) return 1.0;
  if (k > mn) return 0.0;
  const double kc = mn - k;
  if (kc <= k) {  // upper tail: P(U >= k) = P(U <= mn - k) by symmetry
    const auto cdf = mwu_cdf(m, n, static_cast<std::size_t>(kc));
    return cdf.back();
  }
  const auto cdf = mwu_cdf(m, n, static_cast<std::size_t>(k) - 1);
  return 1.0 - cdf.back();
}

}  // namespace

mann_whitney_result mann_whitney_u(std::span<const double> x, std::span<const double> y, alternative alt,
                                   mwu_method method, bool use_continuity) {
  constexpr const char* fn = "mann_whitney_u";
  check_sample(fn, "x", x, false);
  check_sample(fn, "y", y, false);
  const std::size_t n1 = x.size();
  const std::size_t n2 = y.size();
  const std::size_t n = n1 + n2;

  // Mid-ranks of the pooled sample and the sizes of the tie groups.
  std::vector<double> pooled(x.begin(), x.end());
  pooled.insert(pooled.end(), y.begin(), y.end());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return pooled[a] < pooled[b]; });
  double r1 = 0.0;
  double tie_term = 0.0;  // sum of t^3 - t over tie groups
  bool ties = false;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && pooled[order[end]] == pooled[order[start]]) ++end;
    const double t = static_cast<double>(end - start);
    const double mid_rank = (static_cast<double>(start) + static_cast<double>(end) + 1.0) / 2.0;
    for (std::size_t k = start; k < end; ++k)
      if (order[k] < n1) r1 += mid_rank;
    if (t > 1.0) {
      ties = true;
      tie_term += t * t * t - t;
    }
    start = end;
  }
  const double dn1 = static_cast<double>(n1);
  const double dn2 = static_cast<double>(n2);
  const double dn = static_cast<double>(n);
  const double u1 = r1 - dn1 * (dn1 + 1.0) / 2.0;
  const double u2 = dn1 * dn2 - u1;

  double u = 0.0;
  double factor = 1.0;
  switch (alt) {
    case alternative::larger:
      u = u1;
      break;
    case alternative::smaller:
      u = u2;  // the law of U is symmetric: P(U1 <= u1) = P(U2 >= u2)
      break;
    case alternative::two_sided:
      u = std::max(u1, u2);
      factor = 2.0;
      break;
  }

  mann_whitney_result res;
  res.statistic = u1;
  if (method == mwu_method::automatic)
    // scipy.stats._mannwhitneyu._mwu_choose_method (scipy 1.17).
    method = (n1 > 8 && n2 > 8) || ties ? mwu_method::asymptotic : mwu_method::exact;
  res.method = method;
  double p = 0.0;
  if (method == mwu_method::exact) {
    p = mwu_exact_sf(n1, n2, std::trunc(u));  // scipy casts U to int64: ties are ignored
  } else {
    // Tie-corrected variance (e.g. Hollander, Wolfe & Chicken 2014, eq. 4.13); the continuity correction
    // always subtracts 1/2 because the p-value is always an upper tail.
    const double s = std::sqrt(dn1 * dn2 / 12.0 * ((dn + 1.0) - tie_term / (dn * (dn - 1.0))));
    if (!(s > 0.0)) fail(fn, "all values of x and y are equal, so the rank test is undefined");
    const double z = (u - dn1 * dn2 / 2.0 - (use_continuity ? 0.5 : 0.0)) / s;
    p = normal_sf(z);
  }
  res.pvalue = std::clamp(p * factor, 0.0, 1.0);
  return res;
}

quantile_ci_result quantile_ci(std::span<const double> data, double q, double alpha, alternative alt) {
  constexpr const char* fn = "quantile_ci";
  check_sample(fn, "data", data, true);
  detail::check_not_nan(fn, "q", q);
  if (!(q > 0.0 && q < 1.0)) fail(fn, "q must be in (0, 1), got q=" + num(q));
  detail::check_alpha(fn, alpha);
  std::vector<double> x(data.begin(), data.end());
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  const double tail = alt == alternative::two_sided ? alpha / 2.0 : alpha;

  quantile_ci_result r;
  r.low = -inf;
  r.high = inf;
  if (alt != alternative::smaller) {
    // P(x_(k) <= quantile) = P(B >= k) >= 1 - tail for k = binom_ppf(tail).
    const double k = binom_ppf(tail, n, q);
    if (k >= 1.0) {
      r.low_rank = static_cast<std::size_t>(k);
      r.low = x[r.low_rank - 1];
    } else {
      r.low = nan;
    }
  }
  if (alt != alternative::larger) {
    // isf: the smallest k with P(B > k) <= tail; then P(quantile <= x_(k+1)) = P(B <= k) >= 1 - tail.
    double k = binom_ppf(1.0 - tail, n, q);
    while (k > 0.0 && binom_sf(k - 1.0, n, q) <= tail) k -= 1.0;
    while (k < n && binom_sf(k, n, q) > tail) k += 1.0;
    if (k + 1.0 <= n) {
      r.high_rank = static_cast<std::size_t>(k) + 1;
      r.high = x[r.high_rank - 1];
    } else {
      r.high = nan;
    }
  }
  return r;
}

}  // namespace missionkit::stats
