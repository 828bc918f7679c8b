#include "missionkit/stats/multiple.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>

#include "detail/checks.hpp"

namespace missionkit::stats {

std::vector<double> adjust_pvalues(std::span<const double> pvalues, pvalue_adjustment method) {
  constexpr const char* fn = "adjust_pvalues";
  const std::size_t m = pvalues.size();
  for (std::size_t i = 0; i < m; ++i) {
    const double p = pvalues[i];
    if (std::isnan(p)) detail::fail(fn, "pvalues[" + std::to_string(i) + "] is nan");
    if (!(p >= 0.0 && p <= 1.0))
      detail::fail(fn, "pvalues[" + std::to_string(i) + "] must be in [0, 1], got " + detail::num(p));
  }
  std::vector<double> out(m);
  if (m == 0) return out;
  const double md = static_cast<double>(m);
  if (method == pvalue_adjustment::bonferroni) {
    for (std::size_t i = 0; i < m; ++i) out[i] = std::min(1.0, pvalues[i] * md);
    return out;
  }
  // Step-wise methods work on the ascending order; a stable sort keeps ties in input order, and the
  // running max/min below gives tied p-values the same adjusted value whatever their order.
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return pvalues[a] < pvalues[b]; });
  std::vector<double> adj(m);  // in sorted order
  switch (method) {
    case pvalue_adjustment::holm: {
      double running = 0.0;
      for (std::size_t k = 0; k < m; ++k) {
        running = std::max(running, pvalues[order[k]] * static_cast<double>(m - k));
        adj[k] = running;
      }
      break;
    }
    case pvalue_adjustment::hochberg:
    case pvalue_adjustment::bh:
    case pvalue_adjustment::by: {
      // by's constant c(m) = sum 1/k (Benjamini & Yekutieli 2001, Theorem 1.3).
      double c = 1.0;
      if (method == pvalue_adjustment::by) {
        c = 0.0;
        for (std::size_t k = 1; k <= m; ++k) c += 1.0 / static_cast<double>(k);
      }
      double running = std::numeric_limits<double>::infinity();
      for (std::size_t k = m; k-- > 0;) {
        const double p = pvalues[order[k]];
        // bh divides by the ecdf k/m as statsmodels does (p / (k/m)), which keeps the rounding identical.
        const double raw = method == pvalue_adjustment::hochberg ? p * static_cast<double>(m - k)
                                                                 : p / (static_cast<double>(k + 1) / md / c);
        running = std::min(running, raw);
        adj[k] = running;
      }
      break;
    }
    case pvalue_adjustment::bonferroni:
      break;
  }
  for (std::size_t k = 0; k < m; ++k) out[order[k]] = std::min(1.0, adj[k]);
  return out;
}

}  // namespace missionkit::stats
