#include "missionkit/stats/did.hpp"

#include <cmath>
#include <string>
#include <unordered_map>

#include "detail/checks.hpp"
#include "missionkit/stats/power.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;

void check_panel(const char* fn, std::span<const double> y, std::span<const std::int64_t> unit,
                 std::span<const std::int64_t> time, std::span<const double> when, const char* when_name) {
  auto same = [&](std::size_t m, const char* name) {
    if (m != y.size())
      fail(fn, std::string(name) + " has " + std::to_string(m) + " entries but y has " +
                   std::to_string(y.size()));
  };
  same(unit.size(), "unit");
  same(time.size(), "time");
  same(when.size(), when_name);
  // The treatment date is a property of the unit: one value (or NaN, never treated) per unit.
  std::unordered_map<std::int64_t, double> first;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double w = when[i];
    if (std::isinf(w))
      fail(fn, std::string(when_name) + "[" + std::to_string(i) + "] is " + num(w) +
                   "; use NaN for a never-treated unit");
    if (unit[i] < 0) continue;
    auto [it, inserted] = first.try_emplace(unit[i], w);
    const double v = it->second;
    if (!inserted && !(v == w || (std::isnan(v) && std::isnan(w))))
      fail(fn, std::string(when_name) + " must be the same on every row of a unit; unit " +
                   std::to_string(unit[i]) + " has " + num(v) + " and " + num(w) + " (row " +
                   std::to_string(i) + ")");
  }
}

// Time periods are any integers (negative ones too), so the time fixed effect gets dense codes instead of
// the raw values, for which ols_fe would read a negative label as missing.
std::vector<std::int64_t> time_codes(std::span<const std::int64_t> time) {
  std::unordered_map<std::int64_t, std::int64_t> map;
  std::vector<std::int64_t> out(time.size());
  for (std::size_t i = 0; i < time.size(); ++i)
    out[i] = map.try_emplace(time[i], static_cast<std::int64_t>(map.size())).first->second;
  return out;
}

fe_options to_fe(const did_options& o, std::span<const std::int64_t> unit) {
  fe_options f;
  f.cov = o.cov;
  f.alpha = o.alpha;
  f.use_t = o.use_t;
  if (o.cov == cov_type::cluster) f.groups = unit;
  return f;
}

}  // namespace

fe_result did(std::span<const double> y, std::span<const std::int64_t> unit,
              std::span<const std::int64_t> time, std::span<const double> treated_from,
              const did_options& options) {
  constexpr const char* fn = "did";
  check_panel(fn, y, unit, time, treated_from, "treated_from");
  std::vector<double> d(y.size(), 0.0);
  std::size_t treated = 0;
  std::size_t used = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (!std::isnan(treated_from[i]) && static_cast<double>(time[i]) >= treated_from[i]) d[i] = 1.0;
    if (std::isnan(y[i]) || unit[i] < 0) continue;
    ++used;
    treated += d[i] > 0.0 ? 1 : 0;
  }
  if (treated == 0)
    fail(fn, "treated_from: no observation is treated (every value is NaN or after the unit's last period)");
  if (treated == used) fail(fn, "treated_from: every observation is treated; there is no comparison");
  fe_options fo = to_fe(options, unit);
  fo.names = {"treated"};
  const auto tc = time_codes(time);
  return ols_fe(y, matrix_view::column_major(d.data(), d.size(), 1), {unit, tc}, fo);
}

event_study_result event_study(std::span<const double> y, std::span<const std::int64_t> unit,
                               std::span<const std::int64_t> time, std::span<const double> treat_time,
                               std::size_t leads, std::size_t lags, std::int64_t reference,
                               const did_options& options) {
  constexpr const char* fn = "event_study";
  check_panel(fn, y, unit, time, treat_time, "treat_time");
  const auto lo = -static_cast<std::int64_t>(leads);
  const auto hi = static_cast<std::int64_t>(lags);
  if (leads == 0) fail(fn, "leads must be at least 1");
  if (reference < lo || reference > hi)
    fail(fn, "reference must lie in [-leads, lags] = [" + std::to_string(lo) + ", " + std::to_string(hi) +
                 "], got " + std::to_string(reference));
  event_study_result out;
  std::vector<std::string> names;
  std::unordered_map<std::int64_t, std::size_t> column;
  for (std::int64_t r = lo; r <= hi; ++r) {
    if (r == reference) continue;
    column[r] = out.rel_time.size();
    if (r < 0) out.lead_index.push_back(out.rel_time.size());
    out.rel_time.push_back(r);
    names.push_back(r < 0 ? "t" + std::to_string(r) : "t+" + std::to_string(r));
  }
  if (out.lead_index.empty())
    fail(fn, "leads=" + std::to_string(leads) + " with reference=" + std::to_string(reference) +
                 " leaves no lead coefficient for the pre-trend test; raise leads");
  const std::size_t n = y.size();
  const std::size_t m = out.rel_time.size();
  std::vector<double> x(n * m, 0.0);  // column-major
  std::vector<std::size_t> hits(m, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double e = treat_time[i];
    if (std::isnan(e)) continue;
    if (e != std::floor(e))
      fail(fn, "treat_time[" + std::to_string(i) + "] is " + num(e) + "; periods are integers");
    std::int64_t r = time[i] - static_cast<std::int64_t>(e);
    r = r < lo ? lo : (r > hi ? hi : r);  // end bins pool the rest
    if (r == reference) continue;
    const std::size_t c = column.at(r);
    x[c * n + i] = 1.0;
    if (!std::isnan(y[i]) && unit[i] >= 0) ++hits[c];
  }
  for (std::size_t c = 0; c < m; ++c)
    if (hits[c] == 0)
      fail(fn, "no observation at relative time " + names[c] + "; lower leads/lags to the periods observed");
  fe_options fo = to_fe(options, unit);
  fo.names = names;
  const auto tc = time_codes(time);
  out.fit = ols_fe(y, matrix_view::column_major(x.data(), n, m), {unit, tc}, fo);
  out.pretrend = wald_test(out.fit.ols, out.lead_index);
  return out;
}

did_power_result did_power(const did_power_query& q) {
  constexpr std::string_view fn = "did_power";
  const int empty = (q.effect ? 0 : 1) + (q.n ? 0 : 1) + (q.power ? 0 : 1);
  if (empty != 1) fail(fn, "leave exactly one of effect, n and power empty (it is solved for)");
  detail::check_positive(fn, "sigma", q.sigma);
  detail::check_finite(fn, "sigma", q.sigma);
  if (!(q.rho > -1.0 && q.rho < 1.0)) fail(fn, "rho must be in (-1, 1), got " + num(q.rho));
  if (q.pre < 1 || q.post < 1)
    fail(fn, "pre and post must be >= 1 periods, got " + std::to_string(q.pre) + " and " +
                 std::to_string(q.post));
  detail::check_positive(fn, "ratio", q.ratio);
  detail::check_alpha(fn, q.alpha);
  const double r = q.rho, pre = q.pre, post = q.post;
  // A compound-symmetric correlation matrix of pre + post periods is positive definite iff
  // -1 / (pre + post - 1) < rho < 1.
  if (!(r > -1.0 / (pre + post - 1.0)))
    fail(fn, "rho = " + num(r) + " is not a valid correlation for " + std::to_string(q.pre + q.post) +
                 " periods (compound symmetry needs rho > " + num(-1.0 / (pre + post - 1.0)) + ")");
  // Frison & Pocock (1992): variance of (mean after - mean before) for one unit, over sigma^2,
  // (1 + (post - 1) rho) / post + (1 + (pre - 1) rho) / pre - 2 rho = (1 - rho) (1 / pre + 1 / post).
  const double d = (1.0 + (post - 1.0) * r) / post + (1.0 + (pre - 1.0) * r) / pre - 2.0 * r;
  const double scale = q.sigma * std::sqrt(d);  // SD of a unit's change score
  power_query pq;
  pq.ratio = q.ratio;
  pq.alpha = q.alpha;
  pq.alt = q.alt;
  if (q.effect) {
    detail::check_finite(fn, "effect", *q.effect);
    pq.effect_size = *q.effect / scale;
  }
  if (q.n) {
    detail::check_positive(fn, "n", *q.n);
    pq.nobs1 = *q.n;
  }
  if (q.power) pq.power = *q.power;
  const double solved = solve_power(power_test::normal_ind, pq);
  did_power_result out;
  out.variance_factor = d;
  out.effect = q.effect ? *q.effect : solved * scale;
  out.n_treated = q.n ? *q.n : solved;
  out.n_control = out.n_treated * q.ratio;
  if (q.power) {
    out.power = *q.power;
  } else {
    out.power = solved;
  }
  out.std_error = q.sigma * std::sqrt(d * (1.0 / out.n_treated + 1.0 / out.n_control));
  return out;
}

}  // namespace missionkit::stats
