// Group-sequential boundaries by recursive numerical integration (Armitage, McPherson & Rowe 1969), in the
// form of Jennison & Turnbull (2000), ch. 19: the sub-density of Z_k on the continuation region is
// carried on a grid of points with Simpson weights, and each boundary solves a one-dimensional equation.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "detail/checks.hpp"
#include "detail/roots.hpp"
#include "missionkit/stats/distributions.hpp"
#include "missionkit/stats/sequential.hpp"

namespace missionkit::stats {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr int grid_r = 32;  // J&T recommend r = 16 for 1e-6 accuracy; 32 costs little and gains digits

double phi(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }
double upper_tail(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }   // P(Z > x)
double lower_tail(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }  // P(Z < x)

// J&T (19.2.1) grid for a N(0, 1)-scaled variable: dense in the body, logarithmically spaced tails out to
// about -+(3 + 4 log r).
const std::vector<double>& base_grid() {
  static const std::vector<double> g = [] {
    const int r = grid_r;
    std::vector<double> x;
    for (int i = 1; i <= r - 1; ++i) x.push_back(-3.0 - 4.0 * std::log(static_cast<double>(r) / i));
    for (int i = r; i <= 5 * r; ++i) x.push_back(-3.0 + 3.0 * (i - r) / (2.0 * r));
    for (int i = 5 * r + 1; i <= 6 * r - 1; ++i)
      x.push_back(3.0 + 4.0 * std::log(static_cast<double>(r) / (6 * r - i)));
    return x;
  }();
  return g;
}

struct grid {
  std::vector<double> z;  // points, including midpoints
  std::vector<double> w;  // Simpson weights
};

// The grid on the continuation region (a, b): the base points inside, the finite ends, and midpoints,
// with J&T's Simpson weights for unequal spacing (19.2.2).
grid make_grid(double a, double b, double centre = 0.0) {
  const auto& base = base_grid();
  std::vector<double> pts;
  pts.push_back(std::isfinite(a) ? a : base.front() + centre);
  for (double x : base)
    if (x + centre > pts.front() && x + centre < b) pts.push_back(x + centre);
  double top = std::isfinite(b) ? b : base.back() + centre;
  if (top > pts.back()) pts.push_back(top);
  if (pts.size() < 2) pts.push_back(pts.back());  // a == b: a zero-width region
  grid g;
  const std::size_t m = 2 * pts.size() - 1;
  g.z.resize(m);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    g.z[2 * i] = pts[i];
    if (i + 1 < pts.size()) g.z[2 * i + 1] = 0.5 * (pts[i] + pts[i + 1]);
  }
  g.w.assign(m, 0.0);
  for (std::size_t i = 0; i + 2 < m; i += 2) {  // Simpson on each pair of half-intervals
    double d = g.z[i + 2] - g.z[i];
    g.w[i] += d / 6.0;
    g.w[i + 1] += 4.0 * d / 6.0;
    g.w[i + 2] += d / 6.0;
  }
  return g;
}

// Sub-density of Z_{k-1} on its continuation region, times the weights: P(continue to k-1, Z in dz).
struct state {
  grid g;
  std::vector<double> gh;  // w_i h(z_i)
  double t = 0.0;          // information fraction of that look
};

struct bounds_input {
  std::vector<double> info;   // fractions for the correlation structure
  std::vector<double> spend;  // fractions for the spending function
};

gs_boundaries compute(const bounds_input& in, double alpha, spending_function f, int sides) {
  constexpr std::string_view fn = "group_sequential";
  const double level = alpha / sides;
  gs_boundaries out;
  const std::size_t k = in.info.size();
  out.information_fraction = in.info;
  out.upper.resize(k);
  out.lower.resize(k);
  out.alpha_spent.resize(k);
  out.nominal_pvalue.resize(k);
  state s;
  double spent_prev = 0.0;
  for (std::size_t j = 0; j < k; ++j) {
    const double tk = in.info[j];
    const double spent = sides * alpha_spent(f, level, in.spend[j]);
    const double inc = std::max(spent - spent_prev, 0.0);
    double b = inf;
    if (j == 0) {
      if (inc > 0.0) b = normal_isf(inc / sides);
    } else if (inc > 0.0) {
      const double sq_prev = std::sqrt(s.t), sq_k = std::sqrt(tk), sd = std::sqrt(tk - s.t);
      auto cross = [&](double c) {
        double p = 0.0;
        for (std::size_t i = 0; i < s.g.z.size(); ++i) {
          double up = upper_tail((c * sq_k - s.g.z[i] * sq_prev) / sd);
          double lo = sides == 2 ? lower_tail((-c * sq_k - s.g.z[i] * sq_prev) / sd) : 0.0;
          p += s.gh[i] * (up + lo);
        }
        return p - inc;
      };
      const double lo = sides == 2 ? 0.0 : -40.0;
      if (cross(lo) <= 0.0)
        detail::fail(fn, "cannot spend " + detail::num(inc) + " at look " + std::to_string(j + 1) +
                             ": the remaining probability is too small");
      b = cross(40.0) >= 0.0 ? 40.0 : detail::find_root(cross, lo, 40.0, fn, "the boundary");
    }
    const double a = sides == 2 ? -b : -inf;
    out.upper[j] = b;
    out.lower[j] = a;
    out.alpha_spent[j] = spent_prev + inc;
    out.nominal_pvalue[j] = std::isfinite(b) ? sides * normal_sf(b) : 0.0;
    spent_prev += inc;
    // Carry the sub-density onto the new continuation region (a, b).
    grid g = make_grid(a, b);
    std::vector<double> gh(g.z.size());
    if (j == 0) {
      for (std::size_t i = 0; i < g.z.size(); ++i) gh[i] = g.w[i] * phi(g.z[i]);
    } else {
      const double sq_prev = std::sqrt(s.t), sq_k = std::sqrt(tk), sd = std::sqrt(tk - s.t);
      const double scale = sq_k / sd;
      for (std::size_t jj = 0; jj < g.z.size(); ++jj) {
        double h = 0.0;
        for (std::size_t i = 0; i < s.g.z.size(); ++i)
          h += s.gh[i] * phi((g.z[jj] * sq_k - s.g.z[i] * sq_prev) / sd);
        gh[jj] = g.w[jj] * h * scale;
      }
    }
    s.g = std::move(g);
    s.gh = std::move(gh);
    s.t = tk;
  }
  return out;
}

// Type-II error pass under the alternative (drift delta: E[Z_k] = delta sqrt(t_k)) for one-sided designs
// with efficacy bounds `upper`: each futility bound spends beta(spend_t[k]) - beta(spend_t[k-1]) given the
// continuation region of the earlier looks; at a final look the bound is upper and what it "spends" is
// P(reach K, Z_K < upper_K). The grid is centred on the mean of Z_k (J&T 19.2).
gs_futility futility_pass(std::span<const double> t, std::span<const double> spend_t,
                          std::span<const double> upper, double beta, spending_function f, double drift,
                          bool final_look) {
  constexpr std::string_view fn = "group_sequential";
  const std::size_t k = t.size();
  gs_futility out;
  out.drift = drift;
  out.lower.assign(k, -inf);
  out.beta_spent.assign(k, 0.0);
  state s;
  double spent_prev = 0.0;
  bool closed = false;  // the bounds met early: nothing continues
  for (std::size_t j = 0; j < k; ++j) {
    const double tk = t[j], mean = drift * std::sqrt(tk), b = upper[j];
    if (closed) {
      out.lower[j] = b;
      out.beta_spent[j] = spent_prev;
      continue;
    }
    const double sq_prev = std::sqrt(s.t), sq_k = std::sqrt(tk), dt = tk - s.t, sd = std::sqrt(dt);
    auto below = [&](double c) {  // P(continue to look j and Z_j < c) under the alternative
      if (j == 0) return lower_tail(c - mean);
      double p = 0.0;
      for (std::size_t i = 0; i < s.g.z.size(); ++i)
        p += s.gh[i] * lower_tail((c * sq_k - s.g.z[i] * sq_prev - drift * dt) / sd);
      return p;
    };
    double a = -inf, inc = 0.0;
    if (final_look && j + 1 == k) {
      a = b;
      inc = std::isfinite(b) ? below(b) : 0.0;
    } else {
      const double target = std::max(alpha_spent(f, beta, std::min(spend_t[j], 1.0)) - spent_prev, 0.0);
      const double at_upper = std::isfinite(b) ? below(b) : below(40.0 + mean);
      if (target <= 0.0) {
        a = -inf;
      } else if (at_upper <= target) {
        a = b;  // spending more than is left before the efficacy bound: the bounds meet here
        inc = at_upper;
      } else {
        const double hi = std::isfinite(b) ? b : 40.0 + mean;
        a = detail::find_root([&](double c) { return below(c) - target; }, mean - 40.0, hi, fn,
                              "the futility bound");
        inc = target;
      }
    }
    spent_prev += inc;
    out.lower[j] = a;
    out.beta_spent[j] = spent_prev;
    if (!(a < b)) {
      closed = true;
      continue;
    }
    grid g = make_grid(a, b, mean);
    std::vector<double> gh(g.z.size());
    if (j == 0) {
      for (std::size_t i = 0; i < g.z.size(); ++i) gh[i] = g.w[i] * phi(g.z[i] - mean);
    } else {
      for (std::size_t jj = 0; jj < g.z.size(); ++jj) {
        double h = 0.0;
        for (std::size_t i = 0; i < s.g.z.size(); ++i)
          h += s.gh[i] * phi((g.z[jj] * sq_k - s.g.z[i] * sq_prev - drift * dt) / sd);
        gh[jj] = g.w[jj] * h * sq_k / sd;
      }
    }
    s.g = std::move(g);
    s.gh = std::move(gh);
    s.t = tk;
  }
  return out;
}

void check_beta(std::string_view fn, double beta) {
  if (!(beta > 0.0 && beta < 1.0))
    detail::fail(fn, "the type-II error beta = 1 - power must be in (0, 1), got " + detail::num(beta));
}

void check_design(double alpha, int sides) {
  constexpr std::string_view fn = "group_sequential";
  if (sides != 1 && sides != 2) detail::fail(fn, "sides must be 1 or 2, got " + std::to_string(sides));
  detail::check_alpha(fn, alpha);
}

}  // namespace

double alpha_spent(spending_function f, double level, double t) {
  detail::check_alpha("alpha_spent", level, "level");
  detail::check_not_nan("alpha_spent", "t", t);
  if (t <= 0.0) return 0.0;
  if (t >= 1.0) return level;
  switch (f) {
    case spending_function::obrien_fleming:
      return 2.0 * normal_sf(normal_isf(level / 2.0) / std::sqrt(t));
    case spending_function::pocock:
      return level * std::log1p((std::numbers::e - 1.0) * t);
  }
  return level;
}

gs_boundaries group_sequential_bounds(std::span<const double> t, double alpha, spending_function f,
                                      int sides) {
  constexpr std::string_view fn = "group_sequential_bounds";
  check_design(alpha, sides);
  if (t.empty()) detail::fail(fn, "t must hold at least one information fraction");
  bounds_input in;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::string name = "t[" + std::to_string(i) + "]";
    detail::check_positive(fn, name, t[i]);
    if (i > 0 && !(t[i] > t[i - 1]))
      detail::fail(fn, "information fractions must increase, got " + name + "=" + detail::num(t[i]) +
                           " after " + detail::num(t[i - 1]));
    in.info.push_back(t[i]);
    in.spend.push_back(i + 1 == t.size() ? 1.0 : std::min(t[i], 1.0));
  }
  return compute(in, alpha, f, sides);
}

group_sequential::group_sequential(int k, double alpha, spending_function f, int sides,
                                   std::vector<double> information)
    : k_(k), alpha_(alpha), f_(f), sides_(sides), information_(std::move(information)) {
  constexpr std::string_view fn = "group_sequential";
  check_design(alpha, sides);
  if (k < 1) detail::fail(fn, "k (the number of looks) must be >= 1, got " + std::to_string(k));
  if (information_.empty())
    for (int i = 1; i <= k; ++i) information_.push_back(i);
  if (static_cast<int>(information_.size()) != k)
    detail::fail(fn, "information must have k=" + std::to_string(k) + " values, got " +
                         std::to_string(information_.size()));
  for (std::size_t i = 0; i < information_.size(); ++i) {
    detail::check_positive(fn, "information[" + std::to_string(i) + "]", information_[i]);
    if (i > 0 && !(information_[i] > information_[i - 1]))
      detail::fail(fn, "planned information must increase, got " + detail::num(information_[i]) + " after " +
                           detail::num(information_[i - 1]));
  }
}

gs_futility futility_bounds_for_drift(std::span<const double> t, std::span<const double> spend_t,
                                      std::span<const double> upper, double beta, spending_function f,
                                      double drift, bool final_look) {
  constexpr std::string_view fn = "futility_bounds";
  check_beta(fn, beta);
  detail::check_finite(fn, "drift", drift);
  if (t.empty() || spend_t.size() != t.size() || upper.size() != t.size())
    detail::fail(fn, "t, spend_t and upper must have the same (positive) length");
  return futility_pass(t, spend_t, upper, beta, f, drift, final_look);
}

gs_futility futility_bounds(std::span<const double> t, std::span<const double> upper, double alpha,
                            double beta, spending_function f) {
  constexpr std::string_view fn = "futility_bounds";
  check_beta(fn, beta);
  if (t.empty() || upper.size() != t.size())
    detail::fail(fn, "t and upper must have the same (positive) length");
  std::vector<double> spend(t.begin(), t.end());
  spend.back() = 1.0;
  // Total type-II error as a function of the drift decreases from P_0(Z_K < upper_K, ...) ~ 1 - alpha to 0.
  auto excess = [&](double d) {
    return futility_pass(t, spend, upper, beta, f, d, true).beta_spent.back() - beta;
  };
  if (excess(0.0) <= 0.0)
    detail::fail(fn, "beta = " + detail::num(beta) +
                         " is not below the type-II error at zero effect; power must exceed alpha");
  const double drift = detail::find_root(excess, 0.0, 40.0, fn, "the drift");
  gs_futility out = futility_pass(t, spend, upper, beta, f, drift, true);
  detail::check_alpha(fn, alpha);
  const double fixed = normal_isf(alpha) + normal_isf(beta);  // drift of the one-look design
  out.inflation = (drift / fixed) * (drift / fixed);
  return out;
}

group_sequential::group_sequential(int k, double alpha, spending_function f, int sides,
                                   std::vector<double> information, std::optional<spending_function> futility,
                                   double power)
    : group_sequential(k, alpha, f, sides, std::move(information)) {
  if (!futility) return;
  constexpr std::string_view fn = "group_sequential";
  if (sides != 1)
    detail::fail(fn, "futility bounds need a one-sided design (sides=1), got sides=" + std::to_string(sides));
  if (!(power > alpha && power < 1.0))
    detail::fail(fn, "power must be in (alpha, 1) for futility bounds, got " + detail::num(power));
  futility_ = futility;
  power_ = power;
  std::vector<double> t;
  for (double v : information_) t.push_back(v / information_.back());
  const auto up = group_sequential_bounds(t, alpha_, f_, 1).upper;
  const auto fb = futility_bounds(t, up, alpha_, 1.0 - power, *futility_);
  drift_ = fb.drift;
  inflation_ = fb.inflation;
}

void group_sequential::add_futility(gs_boundaries& b, const std::vector<double>& spend,
                                    bool final_look) const {
  if (!futility_) return;
  const auto fb = futility_bounds_for_drift(b.information_fraction, spend, b.upper, 1.0 - power_, *futility_,
                                            drift_, final_look);
  b.futility = fb.lower;
  b.beta_spent = fb.beta_spent;
}

std::vector<double> group_sequential::fractions_planned_after(double t_last) const {
  std::vector<double> out;
  const double imax = information_.back();
  for (std::size_t i = looks_.size(); i < information_.size(); ++i) {
    double t = information_[i] / imax;
    if (t > t_last) out.push_back(t);
  }
  return out;
}

gs_boundaries group_sequential::bounds() const {
  bounds_input in;
  in.info = fractions_;
  in.spend = fractions_;
  if (!finished()) {  // the looks still to come, at their planned fractions; the last spends everything
    auto rest = fractions_planned_after(fractions_.empty() ? 0.0 : fractions_.back());
    in.info.insert(in.info.end(), rest.begin(), rest.end());
    in.spend.insert(in.spend.end(), rest.begin(), rest.end());
  }
  for (double& s : in.spend) s = std::min(s, 1.0);
  if (final_ || !finished()) in.spend.back() = 1.0;  // a design stopped early keeps what it spent
  auto out = compute(in, alpha_, f_, sides_);
  add_futility(out, in.spend, final_ || !finished());
  return out;
}

gs_look group_sequential::record(double z, double information) {
  constexpr std::string_view fn = "group_sequential.record";
  if (stopped())
    detail::fail(fn, "the design stopped at look " + std::to_string(looks_.size()) +
                         " (the boundary was crossed); no further looks can be recorded");
  if (finished())
    detail::fail(fn, "all " + std::to_string(looks_.size()) + " looks of the design have been recorded");
  detail::check_finite(fn, "z", z);
  detail::check_positive(fn, "information", information);
  if (!looks_.empty() && !(information > looks_.back().information))
    detail::fail(fn, "information must increase from look to look, got " + detail::num(information) +
                         " after " + detail::num(looks_.back().information));
  const double t = information / information_.back();
  const bool is_final = static_cast<int>(looks_.size()) + 1 == k_ || t >= 1.0;
  bounds_input in;
  in.info = fractions_;
  in.info.push_back(t);
  in.spend = in.info;
  for (double& s : in.spend) s = std::min(s, 1.0);
  if (is_final) in.spend.back() = 1.0;
  auto b = compute(in, alpha_, f_, sides_);
  add_futility(b, in.spend, is_final);
  gs_look look;
  look.information = information;
  look.z = z;
  look.upper = b.upper.back();
  look.lower = b.lower.back();
  look.crossed = z >= look.upper || z <= look.lower;
  if (futility_) {
    look.futility = b.futility.back();
    look.futile = !look.crossed && z <= look.futility;
  }
  fractions_.push_back(t);
  looks_.push_back(look);
  final_ = is_final;
  return look;
}

msprt::msprt(double mixture_variance, double alpha, double null_value)
    : tau2_(mixture_variance), alpha_(alpha), null_(null_value) {
  detail::check_positive("msprt", "mixture_variance", mixture_variance);
  detail::check_alpha("msprt", alpha);
  detail::check_finite("msprt", "null_value", null_value);
}

msprt_step msprt::update(double estimate, double variance) {
  constexpr std::string_view fn = "msprt.update";
  detail::check_finite(fn, "estimate", estimate);
  detail::check_positive(fn, "variance", variance);
  msprt_step s;
  s.estimate = estimate;
  s.std_error = std::sqrt(variance);
  const double d = estimate - null_;
  const double v = variance, sum = variance + tau2_;
  const double log_lambda = 0.5 * std::log(v / sum) + tau2_ * d * d / (2.0 * v * sum);
  s.lambda = std::exp(log_lambda);
  const double p_now = log_lambda <= 0.0 ? 1.0 : std::exp(-log_lambda);
  const double radius = std::sqrt(v * sum / tau2_ * (2.0 * std::log(1.0 / alpha_) + std::log(sum / v)));
  s.pvalue = p_now;
  s.ci_low = estimate - radius;
  s.ci_high = estimate + radius;
  if (!steps_.empty()) {
    const auto& prev = steps_.back();
    s.pvalue = std::min(s.pvalue, prev.pvalue);
    s.ci_low = std::max(s.ci_low, prev.ci_low);
    s.ci_high = std::min(s.ci_high, prev.ci_high);
  }
  steps_.push_back(s);
  return s;
}

std::vector<msprt_step> msprt_path(std::span<const double> estimate, std::span<const double> variance,
                                   double mixture_variance, double alpha, double null_value) {
  if (estimate.size() != variance.size())
    detail::fail("msprt", "estimate and variance must have the same length, got " +
                              std::to_string(estimate.size()) + " and " + std::to_string(variance.size()));
  msprt m(mixture_variance, alpha, null_value);
  for (std::size_t i = 0; i < estimate.size(); ++i) (void)m.update(estimate[i], variance[i]);
  return m.steps();
}

}  // namespace missionkit::stats
