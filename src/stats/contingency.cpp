#include "missionkit/stats/contingency.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>
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

// FNV-style hash of a node key (the sorted row sums still to fill).
struct key_hash {
  std::size_t operator()(const std::vector<std::int32_t>& v) const noexcept {
    std::uint64_t h = 1469598103934665603ull;
    for (const std::int32_t x : v) h = (h ^ static_cast<std::uint32_t>(x)) * 1099511628211ull;
    return static_cast<std::size_t>(h);
  }
};

// Network for the r x c exact test (Mehta & Patel 1983): stage j fills column j; a node is the sorted
// (descending, zeros dropped) vector of row sums still to fill; an edge is a column vector x with log weight
// sum_i log C(r_i, x_i) - log C(sum r, C_j), the multivariate hypergeometric law of column j given the rows
// left, so that the product along a path is the table's probability P(n).
class rxc_network {
 public:
  using key = std::vector<std::int32_t>;
  struct bounds {
    double lo, hi;  // log of the least and most probable completion from a node
  };

  rxc_network(std::vector<std::int32_t> cols, std::int64_t total, double max_work)
      : cols_(std::move(cols)), memo_(cols_.size()), max_work_(max_work) {
    spend(static_cast<double>(total) + 1.0);
    lf_.resize(static_cast<std::size_t>(total) + 1);
    lf_[0] = 0.0;
    for (std::size_t k = 1; k < lf_.size(); ++k) lf_[k] = std::lgamma(static_cast<double>(k) + 1.0);
  }

  double log_factorial(std::int64_t k) const { return lf_[static_cast<std::size_t>(k)]; }

  // Exact longest and shortest completion of node `r` at `stage`, memoised per stage. The last column is
  // forced (its counts are the row sums left), so its only completion has probability 1.
  bounds bound(std::size_t stage, const key& r) {
    if (stage + 1 >= cols_.size()) return {0.0, 0.0};
    auto& memo = memo_[stage];
    if (const auto it = memo.find(r); it != memo.end()) return it->second;
    bounds b{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for_each_edge(r, cols_[stage], [&](const key& child, double lw) {
      const bounds c = bound(stage + 1, child);
      b.lo = std::min(b.lo, lw + c.lo);
      b.hi = std::max(b.hi, lw + c.hi);
    });
    memo.emplace(r, b);
    return b;
  }

  // Sum of P over the tables whose log P <= limit. Stage by stage, each node keeps its "past" list: the
  // distinct log probabilities of the partial paths reaching it (merged when within 1e-10 in log, the
  // merged weight kept exactly as a multiple of the representative's probability). A past whose every
  // completion is <= limit contributes its whole probability (completions sum to 1); one whose every
  // completion is > limit contributes nothing; only the others are extended.
  double tail(const key& root, double limit) {
    // q in (limit, 0] for every stored past (see below), so the keys fit in 64 bits.
    if (!(std::abs(limit) < 5e8)) fail("fisher_exact", "the table's probability is too small to enumerate");
    struct past {
      double logp, weight;  // representative log probability; paths merged, in units of exp(logp)
    };
    using pasts = std::unordered_map<std::int64_t, past>;
    std::unordered_map<key, pasts, key_hash> level, next;
    double p = 0.0;
    // Files the pasts q_k = base_k + lw (weights w_k) at `node`: resolved ones go to p, open ones to `next`.
    // One bound and (at most) one map lookup per edge, however many pasts come along it.
    const auto add = [&](std::size_t stage, const key& node, double lw, const auto& from) {
      const bounds b = bound(stage, node);
      pasts* ps = nullptr;
      for (const auto& entry : from) {
        const double q = entry.second.logp + lw;
        const double w = entry.second.weight;
        if (q + b.hi <= limit) {
          p += w * std::exp(q);
        } else if (q + b.lo <= limit) {
          if (ps == nullptr) ps = &next[node];
          const auto k = static_cast<std::int64_t>(std::llround(q * 1e10));
          const auto [it, fresh] = ps->try_emplace(k, past{q, w});
          if (!fresh) it->second.weight += w * std::exp(q - it->second.logp);
        }
      }
    };
    add(0, root, 0.0, pasts{{0, past{0.0, 1.0}}});
    for (std::size_t stage = 0; stage + 1 < cols_.size() && !next.empty(); ++stage) {
      level.swap(next);
      next.clear();
      for (const auto& [node, ps] : level) {
        spend(static_cast<double>(ps.size()));
        for_each_edge(node, cols_[stage], [&](const key& child, double lw) {
          spend(static_cast<double>(ps.size()));
          add(stage + 1, child, lw, ps);
        });
      }
    }
    return p;  // the last stage is forced, so add() resolved every past there (bounds 0, 0)
  }

 private:
  void spend(double steps) {
    work_ += steps;
    if (work_ > max_work_)
      fail("fisher_exact", "the exact r x c enumeration needs more than max_work=" + num(max_work_) +
                               " steps for this table; use chi2_contingency (or a Monte Carlo test) for "
                               "tables this large, or raise max_work");
  }

  double log_choose(std::int32_t n, std::int32_t k) const {
    return lf_[static_cast<std::size_t>(n)] - lf_[static_cast<std::size_t>(k)] -
           lf_[static_cast<std::size_t>(n - k)];
  }

  // Calls f(child, log weight) for every column vector x with 0 <= x_i <= r_i and sum x = c.
  template <class F>
  void for_each_edge(const key& r, std::int32_t c, F&& f) {
    const std::size_t k = r.size();
    std::vector<std::int32_t> suffix(k + 1, 0);  // suffix[i] = r_i + ... + r_{k-1}
    for (std::size_t i = k; i-- > 0;) suffix[i] = suffix[i + 1] + r[i];
    const double base = -log_choose(suffix[0], c);
    std::vector<std::int32_t> x(k);
    key child;
    child.reserve(k);
    const auto rec = [&](const auto& self, std::size_t i, std::int32_t rem, double lw) -> void {
      if (i + 1 == k) {  // the last row takes what is left (rem <= r_i by the lower bounds above)
        x[i] = rem;
        lw += log_choose(r[i], rem);
        child.clear();
        for (std::size_t l = 0; l < k; ++l)
          if (r[l] > x[l]) child.push_back(r[l] - x[l]);
        std::sort(child.begin(), child.end(), std::greater<>());
        spend(1.0);
        f(child, lw + base);
        return;
      }
      const std::int32_t lo = std::max<std::int32_t>(0, rem - suffix[i + 1]);
      const std::int32_t hi = std::min(r[i], rem);
      for (std::int32_t v = lo; v <= hi; ++v) {
        x[i] = v;
        self(self, i + 1, rem - v, lw + log_choose(r[i], v));
      }
    };
    rec(rec, 0, c, 0.0);
  }

  std::vector<std::int32_t> cols_;
  std::vector<double> lf_;  // lf_[k] = log k!
  std::vector<std::unordered_map<key, bounds, key_hash>> memo_;
  double work_ = 0.0;
  double max_work_;
};

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
    res.table_probability = 1.0;
    return res;
  }
  res.odds_ratio = (b > 0.0 && c > 0.0) ? a * d / (b * c) : std::numeric_limits<double>::infinity();

  const hypergeom h{a + b + c + d, a + b, a + c};
  res.table_probability = h.pmf(a);
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

fisher_exact_result fisher_exact(std::span<const double> table, std::size_t rows, std::size_t cols,
                                 double max_work) {
  constexpr const char* fn = "fisher_exact";
  if (rows < 2 || cols < 2)
    fail(fn, "table must be at least 2 x 2, got " + std::to_string(rows) + " x " + std::to_string(cols));
  if (table.size() != rows * cols)
    fail(fn, "table has " + std::to_string(table.size()) +
                 " counts, expected rows * cols = " + std::to_string(rows * cols));
  if (!(max_work > 0.0)) fail(fn, "max_work must be > 0, got max_work=" + num(max_work));
  constexpr double int_max = 2147483647.0;
  double total = 0.0;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      const double v = table[i * cols + j];
      if (!std::isfinite(v)) fail(fn, cell(i, j) + " is " + num(v) + "; counts must be finite");
      if (v < 0.0) fail(fn, cell(i, j) + " must be >= 0, got " + num(v));
      if (v != std::floor(v))
        fail(fn, cell(i, j) + " must be a whole number (an exact test needs counts), got " + num(v));
      total += v;
    }
  if (total > int_max) fail(fn, "the table's total must be at most 2^31 - 1, got " + num(total));
  if (rows == 2 && cols == 2) return fisher_exact(table[0], table[1], table[2], table[3]);

  // Integer margins; the smaller dimension becomes the "rows" of the network (shorter node keys, fewer
  // column vectors per node), and empty rows and columns are dropped (a factor 0! = 1 everywhere).
  const bool transpose = rows > cols;
  const std::size_t nr = transpose ? cols : rows;
  const std::size_t nc = transpose ? rows : cols;
  const auto at = [&](std::size_t i, std::size_t j) {
    return static_cast<std::int32_t>(transpose ? table[j * cols + i] : table[i * cols + j]);
  };
  std::vector<std::int32_t> row_sums;
  std::vector<std::int32_t> col_sums;
  for (std::size_t i = 0; i < nr; ++i) {
    std::int32_t s = 0;
    for (std::size_t j = 0; j < nc; ++j) s += at(i, j);
    if (s > 0) row_sums.push_back(s);
  }
  for (std::size_t j = 0; j < nc; ++j) {
    std::int32_t s = 0;
    for (std::size_t i = 0; i < nr; ++i) s += at(i, j);
    if (s > 0) col_sums.push_back(s);
  }
  fisher_exact_result res;
  res.odds_ratio = std::numeric_limits<double>::quiet_NaN();
  if (row_sums.size() < 2 || col_sums.size() < 2) {
    res.pvalue = 1.0;  // one table has these margins
    res.table_probability = 1.0;
    return res;
  }
  // Largest columns first: the early stages then branch most while the node keys are still few.
  std::sort(col_sums.begin(), col_sums.end(), std::greater<>());
  std::sort(row_sums.begin(), row_sums.end(), std::greater<>());
  rxc_network net(col_sums, static_cast<std::int64_t>(total), max_work);

  // log P(observed) = sum log R_i! + sum log C_j! - log N! - sum log n_ij!, directly from the counts.
  double logp = -net.log_factorial(static_cast<std::int64_t>(total));
  for (const auto r : row_sums) logp += net.log_factorial(r);
  for (const auto c : col_sums) logp += net.log_factorial(c);
  for (std::size_t i = 0; i < nr; ++i)
    for (std::size_t j = 0; j < nc; ++j) logp -= net.log_factorial(at(i, j));
  res.table_probability = std::exp(logp);
  res.pvalue = std::min(1.0, net.tail(row_sums, logp + std::log1p(1e-7)));
  return res;
}

}  // namespace missionkit::stats
