#include <cmath>
#include <string>

#include "detail/checks.hpp"
#include "missionkit/stats/distributions.hpp"
#include "missionkit/stats/srm.hpp"

namespace missionkit::stats {

srm_result srm_test(std::span<const double> counts, std::span<const double> weights, double threshold) {
  constexpr std::string_view fn = "srm";
  if (counts.size() != weights.size())
    detail::fail(fn, "counts and weights must have the same length, got " + std::to_string(counts.size()) +
                         " and " + std::to_string(weights.size()));
  if (counts.size() < 2) detail::fail(fn, "needs at least 2 arms, got " + std::to_string(counts.size()));
  detail::check_alpha(fn, threshold, "threshold");
  double total = 0.0, wsum = 0.0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    std::string at = std::to_string(i);
    at.insert(0, 1, '[').push_back(']');
    if (!std::isfinite(counts[i]) || counts[i] < 0.0)
      detail::fail(fn, "counts" + at + " must be a finite number >= 0, got " + detail::num(counts[i]));
    if (!std::isfinite(weights[i]) || weights[i] < 0.0)
      detail::fail(fn, "weights" + at + " must be a finite number >= 0, got " + detail::num(weights[i]));
    if (weights[i] == 0.0 && counts[i] > 0.0)
      detail::fail(fn, "arm " + std::to_string(i) + " has weight 0 but " + detail::num(counts[i]) +
                           " units; the design is violated outright (check the assignment)");
    total += counts[i];
    wsum += weights[i];
  }
  if (!(wsum > 0.0)) detail::fail(fn, "weights must not all be 0");
  if (!(total > 0.0)) detail::fail(fn, "counts must not all be 0");
  srm_result r;
  r.threshold = threshold;
  r.expected.resize(counts.size());
  r.observed_share.resize(counts.size());
  int active = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    r.expected[i] = total * weights[i] / wsum;
    r.observed_share[i] = counts[i] / total;
    if (weights[i] == 0.0) continue;
    ++active;
    double d = counts[i] - r.expected[i];
    r.statistic += d * d / r.expected[i];
  }
  if (active < 2) detail::fail(fn, "needs at least 2 arms with weight > 0");
  r.df = active - 1;
  r.pvalue = chi2_sf(r.statistic, r.df);
  r.ok = r.pvalue >= threshold;
  return r;
}

}  // namespace missionkit::stats
