#include "missionkit/stats/stepped_wedge.hpp"

#include <cmath>
#include <string>

#include "detail/checks.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {

sw_design stepped_wedge_design(std::span<const int> clusters_per_step, int baseline_periods) {
  constexpr std::string_view fn = "stepped_wedge_design";
  if (clusters_per_step.empty()) detail::fail(fn, "needs at least 1 step");
  if (baseline_periods < 1)
    detail::fail(fn, "baseline_periods must be >= 1, got " + std::to_string(baseline_periods));
  sw_design d;
  for (std::size_t s = 0; s < clusters_per_step.size(); ++s) {
    if (clusters_per_step[s] < 1)
      detail::fail(fn, "clusters_per_step[" + std::to_string(s) + "] must be >= 1, got " +
                           std::to_string(clusters_per_step[s]));
    d.clusters += clusters_per_step[s];
  }
  const int steps = static_cast<int>(clusters_per_step.size());
  d.periods = baseline_periods + steps;
  d.x.assign(static_cast<std::size_t>(d.clusters) * d.periods, 0);
  int row = 0;
  for (int s = 0; s < steps; ++s) {
    for (int c = 0; c < clusters_per_step[s]; ++c, ++row) {
      for (int j = baseline_periods + s; j < d.periods; ++j)
        d.x[static_cast<std::size_t>(row) * d.periods + j] = 1;
    }
  }
  return d;
}

sw_design stepped_wedge_design(int clusters, int steps, int baseline_periods) {
  constexpr std::string_view fn = "stepped_wedge_design";
  if (steps < 1) detail::fail(fn, "steps must be >= 1, got " + std::to_string(steps));
  if (clusters < steps || clusters % steps != 0)
    detail::fail(fn, "clusters (" + std::to_string(clusters) + ") must be a positive multiple of steps (" +
                         std::to_string(steps) + "); pass clusters_per_step for unequal groups");
  const std::vector<int> per(static_cast<std::size_t>(steps), clusters / steps);
  return stepped_wedge_design(per, baseline_periods);
}

sw_power_result stepped_wedge_power(const sw_design& design, double theta, double sigma_e, double tau,
                                    double m, double alpha) {
  constexpr std::string_view fn = "stepped_wedge_power";
  detail::check_finite(fn, "theta", theta);
  detail::check_positive(fn, "sigma_e", sigma_e);
  detail::check_finite(fn, "sigma_e", sigma_e);
  detail::check_finite(fn, "tau", tau);
  if (tau < 0.0) detail::fail(fn, "tau must be >= 0, got " + detail::num(tau));
  detail::check_positive(fn, "m", m);
  detail::check_finite(fn, "m", m);
  detail::check_alpha(fn, alpha);
  const int n_i = design.clusters;
  const int n_t = design.periods;
  if (n_i < 1 || n_t < 2)
    detail::fail(fn, "the design needs at least 1 cluster and 2 periods, got " + std::to_string(n_i) + " x " +
                         std::to_string(n_t));
  if (design.x.size() != static_cast<std::size_t>(n_i) * n_t)
    detail::fail(fn, "the design matrix has " + std::to_string(design.x.size()) + " cells, expected " +
                         std::to_string(n_i) + " x " + std::to_string(n_t));
  sw_power_result r;
  std::vector<double> col(static_cast<std::size_t>(n_t), 0.0);
  for (int i = 0; i < n_i; ++i) {
    double row = 0.0;
    for (int j = 0; j < n_t; ++j) {
      const int x = design.at(i, j);
      if (x != 0 && x != 1)
        detail::fail(fn, "design entries must be 0 or 1, got " + std::to_string(x) + " at cluster " +
                             std::to_string(i) + ", period " + std::to_string(j));
      row += x;
      col[static_cast<std::size_t>(j)] += x;
    }
    r.u += row;
    r.v += row * row;
  }
  for (double c : col) r.w += c * c;
  const double s2 = sigma_e * sigma_e / m;  // variance of a cluster-period mean
  const double t2 = tau * tau;
  const double ii = n_i, tt = n_t;
  // Hussey & Hughes (2007), eq. 8.
  const double denom = (ii * r.u - r.w) * s2 + (r.u * r.u + ii * tt * r.u - tt * r.w - ii * r.v) * t2;
  if (!(denom > 0.0))
    detail::fail(fn,
                 "the treatment effect is not identified by this design (no contrast between treated "
                 "and control cells within periods)");
  r.variance = ii * s2 * (s2 + tt * t2) / denom;
  r.std_error = std::sqrt(r.variance);
  r.power = normal_cdf(std::abs(theta) / r.std_error - normal_isf(alpha / 2.0));
  return r;
}

}  // namespace missionkit::stats
