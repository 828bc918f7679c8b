#include "missionkit/stats/ratio.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "detail/checks.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

// The moments of one group, checked element by element so that the error names the first bad index.
ratio_moments moments_of(const char* fn, const char* num_name, const char* den_name,
                         std::span<const double> num, std::span<const double> den) {
  if (num.size() != den.size())
    detail::fail(fn, std::string(num_name) + " and " + den_name + " must have the same length, got " +
                         std::to_string(num.size()) + " and " + std::to_string(den.size()));
  ratio_moments m;
  for (std::size_t i = 0; i < num.size(); ++i) {
    if (!std::isfinite(num[i]))
      detail::fail(fn, std::string(num_name) + "[" + std::to_string(i) + "] is " + detail::num(num[i]) +
                           "; drop or impute missing values first");
    if (!std::isfinite(den[i]))
      detail::fail(fn, std::string(den_name) + "[" + std::to_string(i) + "] is " + detail::num(den[i]) +
                           "; drop or impute missing values first");
    m.add(num[i], den[i]);
  }
  return m;
}

estimate_ci ratio_from(const char* fn, const ratio_moments& m) {
  if (m.n < 2) detail::fail(fn, "need at least 2 units, got " + std::to_string(m.n));
  if (m.mean_x == 0.0) detail::fail(fn, "the denominator sums to 0; the ratio is undefined");
  const double n = static_cast<double>(m.n);
  const double mx = m.mean_x, my = m.mean_y;
  const double var_x = m.m2x / (n - 1.0), var_y = m.m2y / (n - 1.0), cov = m.cxy / (n - 1.0);
  // Deng, Knoblich & Lu (2018), sec. 3: first-order Taylor expansion of mean(y)/mean(x).
  const double var_r =
      (var_y / (mx * mx) - 2.0 * my * cov / (mx * mx * mx) + my * my * var_x / (mx * mx * mx * mx)) / n;
  // The quadratic form is >= 0 in exact arithmetic (a variance); rounding can leave -1e-20 when y is
  // proportional to x.
  return {my / mx, std::sqrt(std::max(var_r, 0.0)), 0.0, 0.0};
}

estimate_ci with_interval(estimate_ci r, double alpha) {
  const double z = normal_ppf(1.0 - alpha / 2.0);
  r.low = r.estimate - z * r.se;
  r.high = r.estimate + z * r.se;
  return r;
}

}  // namespace

void ratio_moments::add(double y, double x) noexcept {
  ++n;
  const double nn = static_cast<double>(n);
  const double dx = x - mean_x;
  const double dy = y - mean_y;
  mean_x += dx / nn;
  mean_y += dy / nn;
  // Welford: the product of the deviation before and after the update.
  m2x += dx * (x - mean_x);
  m2y += dy * (y - mean_y);
  cxy += dx * (y - mean_y);
}

ratio_moments& ratio_moments::operator+=(const ratio_moments& o) noexcept {
  if (o.n == 0) return *this;
  if (n == 0) return *this = o;
  const double na = static_cast<double>(n), nb = static_cast<double>(o.n);
  const double nt = na + nb;
  const double dx = o.mean_x - mean_x, dy = o.mean_y - mean_y;
  const double w = na * nb / nt;
  m2x += o.m2x + dx * dx * w;
  m2y += o.m2y + dy * dy * w;
  cxy += o.cxy + dx * dy * w;
  mean_x += dx * nb / nt;
  mean_y += dy * nb / nt;
  n += o.n;
  return *this;
}

estimate_ci ratio_ci(const ratio_moments& m, double alpha) {
  detail::check_alpha("ratio_ci", alpha);
  return with_interval(ratio_from("ratio_ci", m), alpha);
}

estimate_ci ratio_ci(std::span<const double> num, std::span<const double> den, double alpha) {
  detail::check_alpha("ratio_ci", alpha);
  return with_interval(ratio_from("ratio_ci", moments_of("ratio_ci", "num", "den", num, den)), alpha);
}

estimate_ci diff_ratio_ci(std::span<const double> num1, std::span<const double> den1,
                          std::span<const double> num2, std::span<const double> den2, double alpha) {
  constexpr const char* fn = "diff_ratio_ci";
  detail::check_alpha(fn, alpha);
  const auto r1 = ratio_from(fn, moments_of(fn, "num1", "den1", num1, den1));
  const auto r2 = ratio_from(fn, moments_of(fn, "num2", "den2", num2, den2));
  // Independent groups: the variances add (Welch-style, normal reference as in Deng et al. 2018).
  return with_interval({r1.estimate - r2.estimate, std::hypot(r1.se, r2.se), 0.0, 0.0}, alpha);
}

estimate_ci nps_ci(double promoters, double passives, double detractors, double alpha) {
  constexpr const char* fn = "nps_ci";
  detail::check_finite(fn, "promoters", promoters);
  detail::check_finite(fn, "passives", passives);
  detail::check_finite(fn, "detractors", detractors);
  if (promoters < 0.0) detail::fail(fn, "promoters must be >= 0, got promoters=" + detail::num(promoters));
  if (passives < 0.0) detail::fail(fn, "passives must be >= 0, got passives=" + detail::num(passives));
  if (detractors < 0.0)
    detail::fail(fn, "detractors must be >= 0, got detractors=" + detail::num(detractors));
  detail::check_alpha(fn, alpha);
  const double n = promoters + passives + detractors;
  if (!(n > 0.0)) detail::fail(fn, "promoters + passives + detractors must be > 0, got 0");
  // Written exactly as finish(nps) in src/measure/engine.cpp so that the two agree to the last bit.
  const double z = normal_ppf(1 - alpha / 2);
  const double pp = promoters / n, pd = detractors / n;
  estimate_ci r;
  r.estimate = 100 * (pp - pd);
  // Var(p+ - p-) for one multinomial draw: (p+ + p- - (p+ - p-)^2) / n.
  r.se = 100 * std::sqrt((pp + pd - (pp - pd) * (pp - pd)) / n);
  r.low = std::max(-100.0, r.estimate - z * r.se);
  r.high = std::min(100.0, r.estimate + z * r.se);
  return r;
}

}  // namespace missionkit::stats
