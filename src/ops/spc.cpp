#include "missionkit/ops/spc.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <numbers>
#include <string>

#include "missionkit/core/error.hpp"

namespace missionkit::ops {
namespace {

std::string num(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return ec == std::errc{} ? std::string(buf.data(), end) : std::string("?");
}

[[noreturn]] void fail_domain(std::string_view fn, const std::string& what) {
  throw missionkit::domain_error(std::string(fn) + ": " + what);
}
[[noreturn]] void fail_data(std::string_view fn, const std::string& what) {
  throw missionkit::data_error(std::string(fn) + ": " + what);
}

std::string at(std::string_view name, std::size_t i) {
  return std::string(name) + "[" + std::to_string(i) + "]";
}

double phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

// The range integrals are negligible outside [-10, 10]: Phi(-10) ~ 7.6e-24, times n <= 1000. The
// integrands are smooth, so fixed 20-point Gauss-Legendre panels of width <= 1 reach ~1e-14 at a
// predictable cost (adaptive Gauss-Kronrod nested twice at that tolerance took seconds).
constexpr double lo = -10.0, hi = 10.0;
using gl = boost::math::quadrature::gauss<double, 20>;

template <typename F>
double panels(F&& f, double a, double b) {
  const int k = std::max(1, static_cast<int>(std::ceil(b - a)));
  const double h = (b - a) / k;
  double s = 0.0;
  for (int i = 0; i < k; ++i) s += gl::integrate(f, a + i * h, a + (i + 1) * h);
  return s;
}

// d2 = E[R] = integral of 1 - Phi(x)^n - (1 - Phi(x))^n (Tippett 1925; Montgomery appendix VI).
double range_mean(int n) {
  auto f = [n](double x) {
    const double p = phi(x);
    return 1.0 - std::pow(p, n) - std::pow(1.0 - p, n);
  };
  return panels(f, lo, hi);
}

// E[R^2] = 2 * double integral over x < y of 1 - Phi(y)^n - (1 - Phi(x))^n + (Phi(y) - Phi(x))^n
// (Tippett 1925; Harter 1960), so d3 = sqrt(E[R^2] - d2^2).
double range_second_moment(int n) {
  auto outer = [n](double x) {
    const double px = phi(x);
    const double qn = std::pow(1.0 - px, n);
    auto inner = [n, px, qn](double y) {
      const double py = phi(y);
      return 1.0 - std::pow(py, n) - qn + std::pow(py - px, n);
    };
    return panels(inner, x, hi);
  };
  return 2.0 * panels(outer, lo, hi);
}

// Median of the moving range of two N(0, 1) draws: |X1 - X2| = sqrt(2)|Z|, so its median is
// sqrt(2) * Phi^-1(0.75) = 2 erf^-1(0.5) = 0.9539 (NIST e-Handbook 6.3.2.2; Wheeler's 3.865 = D4-ish / this).
double median_mr_factor() { return 2.0 * boost::math::erf_inv(0.5); }

struct window {
  std::size_t start, stop;
};

window check_options(std::string_view fn, const chart_options& opt, std::size_t size,
                     std::size_t min_points) {
  if (!std::isfinite(opt.width) || !(opt.width > 0.0))
    fail_domain(fn, "width (sigma multiplier) must be a finite number > 0, got " + num(opt.width));
  const std::size_t stop = std::min(opt.baseline_stop, size);
  if (opt.baseline_start >= stop)
    fail_domain(fn, "baseline [" + std::to_string(opt.baseline_start) + ", " + std::to_string(stop) +
                        ") is empty for " + std::to_string(size) + " points; start must be < stop");
  if (stop - opt.baseline_start < min_points)
    fail_data(fn, "the baseline (phase I) window has " + std::to_string(stop - opt.baseline_start) +
                      " point(s); at least " + std::to_string(min_points) +
                      " are needed to estimate the limits (20-25 are recommended)");
  return {opt.baseline_start, stop};
}

void check_finite_values(std::string_view fn, std::string_view name, std::span<const double> x) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) fail_data(fn, at(name, i) + " must be a finite number, got " + num(x[i]));
}

void check_counts(std::string_view fn, std::span<const double> d) {
  for (std::size_t i = 0; i < d.size(); ++i)
    if (!std::isfinite(d[i]) || d[i] < 0.0)
      fail_data(fn, at("values", i) + " must be a finite count >= 0, got " + num(d[i]));
}

void check_sizes(std::string_view fn, std::span<const double> d, std::span<const double> n) {
  if (d.size() != n.size())
    fail_data(fn, "values and n must have the same length, got " + std::to_string(d.size()) + " and " +
                      std::to_string(n.size()));
  for (std::size_t i = 0; i < n.size(); ++i)
    if (!std::isfinite(n[i]) || !(n[i] > 0.0))
      fail_data(fn, at("n", i) + " (sample size) must be a finite number > 0, got " + num(n[i]));
}

void fill_limits(chart_result& r, double lower_clip, double upper_clip) {
  const std::size_t k = r.values.size();
  r.ucl.resize(k);
  r.lcl.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    r.ucl[i] = std::min(upper_clip, r.center + r.width * r.point_sigma[i]);
    r.lcl[i] = std::max(lower_clip, r.center - r.width * r.point_sigma[i]);
  }
}

void check_variation(std::string_view fn, double sigma, const std::string& what) {
  if (!(sigma > 0.0) || !std::isfinite(sigma))
    fail_data(fn, "the baseline shows no variation (" + what +
                      "), so control limits are undefined; widen the baseline window");
}

chart_result xbar_chart(std::string_view fn, chart_type type, std::span<const double> data, std::size_t m,
                        const chart_options& opt) {
  if (m < 2 || m > 1000)
    fail_domain(fn, "subgroup_size must be in [2, 1000], got " + std::to_string(m) +
                        " (for single observations use the individuals chart)");
  if (data.size() % m != 0)
    fail_data(fn, "values has " + std::to_string(data.size()) +
                      " observations, not a multiple of subgroup_size " + std::to_string(m));
  check_finite_values(fn, "values", data);
  const std::size_t k = data.size() / m;
  const window w = check_options(fn, opt, k, 2);
  const spc_constants c = constants(static_cast<int>(m));
  chart_result r;
  r.type = type;
  r.width = opt.width;
  r.baseline_start = w.start;
  r.baseline_stop = w.stop;
  r.values.resize(k);
  r.dispersion.resize(k);
  for (std::size_t g = 0; g < k; ++g) {
    auto sub = data.subspan(g * m, m);
    double mean = 0.0;
    for (double v : sub) mean += v;
    mean /= static_cast<double>(m);
    r.values[g] = mean;
    if (type == chart_type::xbar_r) {
      auto [mn, mx] = std::minmax_element(sub.begin(), sub.end());
      r.dispersion[g] = *mx - *mn;
    } else {
      double ss = 0.0;
      for (double v : sub) ss += (v - mean) * (v - mean);
      r.dispersion[g] = std::sqrt(ss / static_cast<double>(m - 1));
    }
  }
  double grand = 0.0, disp = 0.0;
  for (std::size_t g = w.start; g < w.stop; ++g) {
    grand += r.values[g];
    disp += r.dispersion[g];
  }
  const double kb = static_cast<double>(w.stop - w.start);
  r.center = grand / kb;
  r.dispersion_center = disp / kb;
  // sigma-hat = R-bar/d2 or s-bar/c4; the dispersion statistic's own sd is d3 sigma or sqrt(1-c4^2) sigma.
  const double unbias = type == chart_type::xbar_r ? c.d2 : c.c4;
  const double spread = type == chart_type::xbar_r ? c.d3 : std::sqrt(1.0 - c.c4 * c.c4);
  r.sigma = r.dispersion_center / unbias;
  check_variation(fn, r.sigma, type == chart_type::xbar_r ? "R-bar = 0" : "s-bar = 0");
  r.point_sigma.assign(k, r.sigma / std::sqrt(static_cast<double>(m)));
  fill_limits(r, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity());
  r.dispersion_ucl = r.dispersion_center * (1.0 + opt.width * spread / unbias);
  r.dispersion_lcl = std::max(0.0, r.dispersion_center * (1.0 - opt.width * spread / unbias));
  return r;
}

constexpr std::array<rule_info, 12> rule_table{{
    {run_rule::we1, "we1", "1 point beyond 3 sigma"},
    {run_rule::we2, "we2", "2 of 3 points in a row beyond 2 sigma on the same side"},
    {run_rule::we3, "we3", "4 of 5 points in a row beyond 1 sigma on the same side"},
    {run_rule::we4, "we4", "8 points in a row on one side of the centre line"},
    {run_rule::nelson1, "nelson1", "1 point beyond 3 sigma"},
    {run_rule::nelson2, "nelson2", "9 points in a row on one side of the centre line"},
    {run_rule::nelson3, "nelson3", "6 points in a row steadily increasing or decreasing"},
    {run_rule::nelson4, "nelson4", "14 points in a row alternating up and down"},
    {run_rule::nelson5, "nelson5", "2 of 3 points in a row beyond 2 sigma on the same side"},
    {run_rule::nelson6, "nelson6", "4 of 5 points in a row beyond 1 sigma on the same side"},
    {run_rule::nelson7, "nelson7", "15 points in a row within 1 sigma of the centre line"},
    {run_rule::nelson8, "nelson8", "8 points in a row beyond 1 sigma on either side of the centre line"},
}};

int side(double z) { return z > 0.0 ? 1 : (z < 0.0 ? -1 : 0); }

// "k of the last m points (fewer at the start of the series) beyond t on one side", counted only at a
// point that is itself beyond t: each pattern is then reported once, at its last point.
bool k_of_m(std::span<const double> z, std::size_t i, std::size_t k, std::size_t m, double t) {
  const int s = z[i] > t ? 1 : (z[i] < -t ? -1 : 0);
  if (s == 0) return false;
  const std::size_t first = i + 1 >= m ? i + 1 - m : 0;
  std::size_t count = 0;
  for (std::size_t j = first; j <= i; ++j) count += (s * z[j] > t) ? 1 : 0;
  return count >= k;
}

}  // namespace

spc_constants constants(int n) {
  if (n < 2 || n > 1000)
    fail_domain("constants", "subgroup size n must be in [2, 1000], got " + std::to_string(n));
  // The double integral for d3 costs ~10 ms; a job charting many series reuses the few sizes it meets.
  static std::mutex mutex;
  static std::map<int, spc_constants> cache;
  {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(n); it != cache.end()) return it->second;
  }
  spc_constants c;
  c.n = n;
  c.d2 = range_mean(n);
  c.d3 = std::sqrt(range_second_moment(n) - c.d2 * c.d2);
  const double nd = n;
  c.c4 = std::sqrt(2.0 / (nd - 1.0)) * std::exp(std::lgamma(nd / 2.0) - std::lgamma((nd - 1.0) / 2.0));
  c.A2 = 3.0 / (c.d2 * std::sqrt(nd));
  c.A3 = 3.0 / (c.c4 * std::sqrt(nd));
  c.D3 = std::max(0.0, 1.0 - 3.0 * c.d3 / c.d2);
  c.D4 = 1.0 + 3.0 * c.d3 / c.d2;
  const double sc = std::sqrt(1.0 - c.c4 * c.c4) / c.c4;
  c.B3 = std::max(0.0, 1.0 - 3.0 * sc);
  c.B4 = 1.0 + 3.0 * sc;
  std::lock_guard lock(mutex);
  cache.emplace(n, c);
  return c;
}

std::string_view to_string(chart_type t) noexcept {
  switch (t) {
    case chart_type::individuals:
      return "individuals";
    case chart_type::xbar_r:
      return "xbar_r";
    case chart_type::xbar_s:
      return "xbar_s";
    case chart_type::p:
      return "p";
    case chart_type::np:
      return "np";
    case chart_type::c:
      return "c";
    case chart_type::u:
      return "u";
  }
  return "?";
}

chart_type parse_chart_type(std::string_view name) {
  for (auto t : {chart_type::individuals, chart_type::xbar_r, chart_type::xbar_s, chart_type::p,
                 chart_type::np, chart_type::c, chart_type::u})
    if (to_string(t) == name) return t;
  fail_domain("control_chart",
              "chart must be one of 'individuals', 'xbar_r', 'xbar_s', 'p', 'np', 'c', 'u', got '" +
                  std::string(name) + "'");
}

std::vector<double> chart_result::standardized() const {
  std::vector<double> z(values.size());
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = (values[i] - center) / point_sigma[i];
  return z;
}

chart_result individuals_chart(std::span<const double> x, const chart_options& opt) {
  constexpr std::string_view fn = "individuals_chart";
  check_finite_values(fn, "values", x);
  const window w = check_options(fn, opt, x.size(), 2);
  const spc_constants c2 = constants(2);
  chart_result r;
  r.type = chart_type::individuals;
  r.width = opt.width;
  r.baseline_start = w.start;
  r.baseline_stop = w.stop;
  r.values.assign(x.begin(), x.end());
  r.dispersion.resize(x.size());
  if (!x.empty()) r.dispersion[0] = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 1; i < x.size(); ++i) r.dispersion[i] = std::abs(x[i] - x[i - 1]);
  double sum = 0.0;
  for (std::size_t i = w.start; i < w.stop; ++i) sum += x[i];
  r.center = sum / static_cast<double>(w.stop - w.start);
  // Only moving ranges of two baseline points enter phase I.
  std::vector<double> mr(r.dispersion.begin() + static_cast<std::ptrdiff_t>(w.start) + 1,
                         r.dispersion.begin() + static_cast<std::ptrdiff_t>(w.stop));
  if (opt.mr == mr_estimator::average) {
    double s = 0.0;
    for (double v : mr) s += v;
    r.dispersion_center = s / static_cast<double>(mr.size());
    r.sigma = r.dispersion_center / c2.d2;
  } else {
    std::sort(mr.begin(), mr.end());
    const std::size_t h = mr.size() / 2;
    r.dispersion_center = mr.size() % 2 ? mr[h] : 0.5 * (mr[h - 1] + mr[h]);
    r.sigma = r.dispersion_center / median_mr_factor();
  }
  check_variation(fn, r.sigma,
                  opt.mr == mr_estimator::average ? "average moving range = 0" : "median moving range = 0");
  r.point_sigma.assign(x.size(), r.sigma);
  fill_limits(r, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity());
  // MR chart: centre E[MR] = d2 sigma (or the median), limits (d2 +- width d3) sigma; with the average
  // estimator this is D4 MR-bar = 3.267 MR-bar.
  r.dispersion_ucl = (c2.d2 + opt.width * c2.d3) * r.sigma;
  r.dispersion_lcl = std::max(0.0, (c2.d2 - opt.width * c2.d3) * r.sigma);
  return r;
}

chart_result xbar_r_chart(std::span<const double> data, std::size_t subgroup_size, const chart_options& opt) {
  return xbar_chart("xbar_r_chart", chart_type::xbar_r, data, subgroup_size, opt);
}

chart_result xbar_s_chart(std::span<const double> data, std::size_t subgroup_size, const chart_options& opt) {
  return xbar_chart("xbar_s_chart", chart_type::xbar_s, data, subgroup_size, opt);
}

chart_result p_chart(std::span<const double> d, std::span<const double> n, const chart_options& opt) {
  constexpr std::string_view fn = "p_chart";
  check_sizes(fn, d, n);
  check_counts(fn, d);
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d[i] > n[i])
      fail_data(fn, at("values", i) + " = " + num(d[i]) + " nonconforming exceeds the sample size " +
                        at("n", i) + " = " + num(n[i]) + "; values are counts, not proportions");
  const window w = check_options(fn, opt, d.size(), 2);
  chart_result r;
  r.type = chart_type::p;
  r.width = opt.width;
  r.baseline_start = w.start;
  r.baseline_stop = w.stop;
  double sd = 0.0, sn = 0.0;
  for (std::size_t i = w.start; i < w.stop; ++i) sd += d[i], sn += n[i];
  r.center = sd / sn;
  r.sigma = std::sqrt(r.center * (1.0 - r.center));
  check_variation(fn, r.sigma, "p-bar = " + num(r.center));
  r.values.resize(d.size());
  r.point_sigma.resize(d.size());
  for (std::size_t i = 0; i < d.size(); ++i) {
    r.values[i] = d[i] / n[i];
    r.point_sigma[i] = r.sigma / std::sqrt(n[i]);
  }
  fill_limits(r, 0.0, 1.0);
  return r;
}

chart_result np_chart(std::span<const double> d, std::span<const double> n, const chart_options& opt) {
  constexpr std::string_view fn = "np_chart";
  check_sizes(fn, d, n);
  check_counts(fn, d);
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (n[i] != n[0])
      fail_data(fn, "the np chart needs one sample size, but n[0] = " + num(n[0]) + " and " + at("n", i) +
                        " = " + num(n[i]) + "; use the p chart for variable sample sizes");
    if (d[i] > n[i])
      fail_data(fn, at("values", i) + " = " + num(d[i]) +
                        " nonconforming exceeds the sample size n = " + num(n[i]));
  }
  const window w = check_options(fn, opt, d.size(), 2);
  chart_result r;
  r.type = chart_type::np;
  r.width = opt.width;
  r.baseline_start = w.start;
  r.baseline_stop = w.stop;
  double sd = 0.0;
  for (std::size_t i = w.start; i < w.stop; ++i) sd += d[i];
  const double p = sd / (n[0] * static_cast<double>(w.stop - w.start));
  r.center = n[0] * p;
  r.sigma = std::sqrt(n[0] * p * (1.0 - p));
  check_variation(fn, r.sigma, "p-bar = " + num(p));
  r.values.assign(d.begin(), d.end());
  r.point_sigma.assign(d.size(), r.sigma);
  fill_limits(r, 0.0, n[0]);
  return r;
}

chart_result c_chart(std::span<const double> counts, const chart_options& opt) {
  constexpr std::string_view fn = "c_chart";
  check_counts(fn, counts);
  const window w = check_options(fn, opt, counts.size(), 2);
  chart_result r;
  r.type = chart_type::c;
  r.width = opt.width;
  r.baseline_start = w.start;
  r.baseline_stop = w.stop;
  double s = 0.0;
  for (std::size_t i = w.start; i < w.stop; ++i) s += counts[i];
  r.center = s / static_cast<double>(w.stop - w.start);
  r.sigma = std::sqrt(r.center);
  check_variation(fn, r.sigma, "c-bar = 0");
  r.values.assign(counts.begin(), counts.end());
  r.point_sigma.assign(counts.size(), r.sigma);
  fill_limits(r, 0.0, std::numeric_limits<double>::infinity());
  return r;
}

chart_result u_chart(std::span<const double> counts, std::span<const double> n, const chart_options& opt) {
  constexpr std::string_view fn = "u_chart";
  check_sizes(fn, counts, n);
  check_counts(fn, counts);
  const window w = check_options(fn, opt, counts.size(), 2);
  chart_result r;
  r.type = chart_type::u;
  r.width = opt.width;
  r.baseline_start = w.start;
  r.baseline_stop = w.stop;
  double sc = 0.0, sn = 0.0;
  for (std::size_t i = w.start; i < w.stop; ++i) sc += counts[i], sn += n[i];
  r.center = sc / sn;
  r.sigma = std::sqrt(r.center);
  check_variation(fn, r.sigma, "u-bar = 0");
  r.values.resize(counts.size());
  r.point_sigma.resize(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    r.values[i] = counts[i] / n[i];
    r.point_sigma[i] = r.sigma / std::sqrt(n[i]);
  }
  fill_limits(r, 0.0, std::numeric_limits<double>::infinity());
  return r;
}

std::span<const rule_info> all_rules() noexcept { return rule_table; }

const rule_info& info(run_rule r) noexcept { return rule_table[static_cast<std::size_t>(r)]; }

run_rule parse_rule(std::string_view name) {
  for (const auto& r : rule_table)
    if (r.name == name) return r.rule;
  std::string names;
  for (const auto& r : rule_table) names += (names.empty() ? "'" : ", '") + std::string(r.name) + "'";
  fail_domain("run_rules", "unknown rule '" + std::string(name) + "'; the rules are " + names);
}

std::vector<run_rule> western_electric_rules() {
  return {run_rule::we1, run_rule::we2, run_rule::we3, run_rule::we4};
}

std::vector<run_rule> nelson_rules() {
  return {run_rule::nelson1, run_rule::nelson2, run_rule::nelson3, run_rule::nelson4,
          run_rule::nelson5, run_rule::nelson6, run_rule::nelson7, run_rule::nelson8};
}

std::vector<rule_signal> apply_rules(std::span<const double> z, std::span<const run_rule> rules,
                                     double limit) {
  constexpr std::string_view fn = "run_rules";
  if (std::isnan(limit) || !(limit > 0.0)) fail_domain(fn, "limit must be a number > 0, got " + num(limit));
  for (std::size_t i = 0; i < z.size(); ++i)
    if (std::isnan(z[i])) fail_data(fn, at("z", i) + " is NaN; standardised values must be numbers");
  // Running lengths ending at point i, updated in one pass.
  std::size_t same_side = 0, trend = 0, alternating = 0, inside1 = 0, outside1 = 0;
  int prev_side = 0, prev_step = 0;
  std::vector<rule_signal> out;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const int s = side(z[i]);
    same_side = (s != 0 && s == prev_side) ? same_side + 1 : (s != 0 ? 1 : 0);
    prev_side = s;
    const int step = i == 0 ? 0 : side(z[i] - z[i - 1]);
    // trend / alternating count the points in the current monotone / zig-zag run (1 for a lone point).
    trend = (step != 0 && step == prev_step) ? trend + 1 : (step != 0 ? 2 : 1);
    alternating = (step != 0 && step == -prev_step) ? alternating + 1 : (step != 0 ? 2 : 1);
    prev_step = step;
    inside1 = std::abs(z[i]) < 1.0 ? inside1 + 1 : 0;
    outside1 = std::abs(z[i]) > 1.0 ? outside1 + 1 : 0;
    for (run_rule r : rules) {
      bool hit = false;
      switch (r) {
        case run_rule::we1:
        case run_rule::nelson1:
          hit = std::abs(z[i]) > limit;
          break;
        case run_rule::we2:
        case run_rule::nelson5:
          hit = k_of_m(z, i, 2, 3, 2.0);
          break;
        case run_rule::we3:
        case run_rule::nelson6:
          hit = k_of_m(z, i, 4, 5, 1.0);
          break;
        case run_rule::we4:
          hit = same_side >= 8;
          break;
        case run_rule::nelson2:
          hit = same_side >= 9;
          break;
        case run_rule::nelson3:
          hit = trend >= 6;
          break;
        case run_rule::nelson4:
          hit = alternating >= 14;
          break;
        case run_rule::nelson7:
          hit = inside1 >= 15;
          break;
        case run_rule::nelson8:
          hit = outside1 >= 8;
          break;
      }
      if (hit) out.push_back({i, r});
    }
  }
  return out;
}

}  // namespace missionkit::ops
