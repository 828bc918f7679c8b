#include "missionkit/stats/contingency.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "detail/checks.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;

std::string cell(std::size_t i, std::size_t j) {
  return "table[" + std::to_string(i) + "][" + std::to_string(j) + "]";
}

// log C(n, k) for integer-valued 0 <= k <= n.
double log_choose(double n, double k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

// The hypergeometric law of the top-left cell given the margins: population N, n1 "successes" (the first
// row), n draws (the first column).
struct hypergeom {
  double N, n1, n;
  double lo() const { return std::max(0.0, n - (N - n1)); }
  double hi() const { return std::min(n, n1); }
  double logpmf(double x) const { return log_choose(n1, x) + log_choose(N - n1, n - x) - log_choose(N, n); }
  double pmf(double x) const { return std::exp(logpmf(x)); }
  double mode() const { return std::floor((n + 1.0) * (n1 + 1.0) / (N + 2.0)); }
  // Sum of pmf over [from, to], smallest terms first so that the small ones are not lost in the large.
  // Terms below exp(-750) are zero in double precision, so only the x where logpmf >= -750 are visited
  // (found by bisection on each side of the mode): ~80 standard deviations instead of the whole support.
  double sum(double from, double to) const {
    const double m = mode();
    double left = m;  // smallest x <= m with logpmf(x) >= -750 (logpmf increases up to m)
    for (double bad = lo() - 1.0; left - bad > 1.0;) {
      const double mid = std::floor((left + bad) / 2.0);
      (logpmf(mid) >= -750.0 ? left : bad) = mid;
    }
    double right = m;  // largest x >= m with logpmf(x) >= -750
    for (double bad = hi() + 1.0; bad - right > 1.0;) {
      const double mid = std::floor((right + bad) / 2.0);
      (logpmf(mid) >= -750.0 ? right : bad) = mid;
    }
    std::vector<double> terms;
    for (double x = std::max(from, left); x <= std::min(to, right); x += 1.0) terms.push_back(pmf(x));
    std::sort(terms.begin(), terms.end());
    double s = 0.0;
    for (const double t : terms) s += t;
    return s;
  }
};

void check_count(const char* fn, const char* name, double v) {
  detail::check_finite(fn, name, v);
  if (v < 0.0) fail(fn, std::string(name) + " must be >= 0, got " + std::string(name) + "=" + num(v));
  if (v != std::floor(v))
    fail(fn, std::string(name) + " must be a whole number (an exact test needs counts), got " + name + "=" +
                 num(v));
}

}  // namespace

chi2_contingency_result chi2_contingency(std::span<const double> table, std::size_t rows, std::size_t cols,
                                         bool correction) {
  constexpr const char* fn = "chi2_contingency";
  if (rows < 2 || cols < 2)
    fail(fn, "table must be at least 2 x 2, got " + std::to_string(rows) + " x " + std::to_string(cols));
  if (table.size() != rows * cols)
    fail(fn, "table has " + std::to_string(table.size()) +
                 " counts, expected rows * cols = " + std::to_string(rows * cols));
  std::vector<double> row(rows, 0.0);
  std::vector<double> col(cols, 0.0);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      const double v = table[i * cols + j];
      if (!std::isfinite(v)) fail(fn, cell(i, j) + " is " + num(v) + "; counts must be finite");
      if (v < 0.0) fail(fn, cell(i, j) + " must be >= 0, got " + num(v));
      row[i] += v;
      col[j] += v;
    }
  for (std::size_t i = 0; i < rows; ++i)
    if (row[i] == 0.0)
      fail(fn, "row " + std::to_string(i) + " sums to zero, so its expected counts are zero; drop it");
  for (std::size_t j = 0; j < cols; ++j)
    if (col[j] == 0.0)
      fail(fn, "column " + std::to_string(j) + " sums to zero, so its expected counts are zero; drop it");
  double total = 0.0;
  for (const double r : row) total += r;

  chi2_contingency_result res;
  res.df = static_cast<double>((rows - 1) * (cols - 1));
  res.corrected = correction && res.df == 1.0;
  res.expected.resize(rows * cols);
  double stat = 0.0;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      // Same order of operations as scipy.stats.contingency.expected_freq: outer(row, col) / total.
      const double e = row[i] * col[j] / total;
      res.expected[i * cols + j] = e;
      double o = table[i * cols + j];
      if (res.corrected) {
        // Yates (1934): move O towards E by at most 0.5, so that a correction never overshoots E.
        const double diff = e - o;
        o += std::copysign(std::min(0.5, std::abs(diff)), diff);
      }
      stat += (o - e) * (o - e) / e;
    }
  res.statistic = stat;
  res.pvalue = chi2_sf(stat, res.df);
  return res;
}

fisher_exact_result fisher_exact(double a, double b, double c, double d, alternative alt) {
  constexpr const char* fn = "fisher_exact";
  check_count(fn, "a", a);
  check_count(fn, "b", b);
  check_count(fn, "c", c);
  check_count(fn, "d", d);
  fisher_exact_result res;
  if (a + b == 0.0 || c + d == 0.0 || a + c == 0.0 || b + d == 0.0) {
    // As scipy: no information about association; the conditional distribution is a single point.
    res.odds_ratio = std::numeric_limits<double>::quiet_NaN();
    res.pvalue = 1.0;
    return res;
  }
  res.odds_ratio = (b > 0.0 && c > 0.0) ? a * d / (b * c) : std::numeric_limits<double>::infinity();

  const hypergeom h{a + b + c + d, a + b, a + c};
  const double lo = h.lo();
  const double hi = h.hi();
  double p = 1.0;
  switch (alt) {
    case alternative::smaller:
      p = h.sum(lo, a);
      break;
    case alternative::larger:
      p = h.sum(a, hi);
      break;
    case alternative::two_sided: {
      // Sum the tables at most as probable as the observed one (Fisher 1935; R's fisher.test tolerance).
      // Both tails by unimodality: walk in from each end while the terms stay below the threshold.
      const double limit = h.logpmf(a) + std::log1p(1e-7);
      const double mode = h.mode();
      if (h.logpmf(mode) <= limit) {
        p = 1.0;
        break;
      }
      // pmf increases up to the mode and decreases after it, so each tail ends where a binary search
      // finds the last term below the threshold (as scipy's _binary_search).
      const auto last_below = [&](double from, double to, double step) {
        // Largest t in [0, |to - from|] with logpmf(from + step t) <= limit; -1 if none.
        double good = -1.0;
        double bad = std::abs(to - from) + 1.0;
        while (bad - good > 1.0) {
          const double mid = std::floor((good + bad) / 2.0);
          (h.logpmf(from + step * mid) <= limit ? good : bad) = mid;
        }
        return good;
      };
      const double left_end = lo + last_below(lo, mode, 1.0);
      const double right_start = hi - last_below(hi, mode, -1.0);
      p = h.sum(lo, left_end) + h.sum(right_start, hi);
      break;
    }
  }
  res.pvalue = std::min(1.0, p);
  return res;
}

}  // namespace missionkit::stats
