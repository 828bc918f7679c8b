// Statistical process control: Shewhart control charts (individuals / moving range, xbar-R, xbar-S, p, np,
// c, u) with a phase I baseline window, and the Western Electric and Nelson run rules.
//
// Formulas follow Montgomery, "Introduction to Statistical Quality Control" (chapters 6-7), and the
// NIST/SEMATECH e-Handbook of Statistical Methods, section 6.3. The bias-correction constants (d2, d3, c4
// and the A2, A3, D3, D4, B3, B4 derived from them) are computed from their defining integrals, not read
// from a table, so any subgroup size works. See docs/ops.md.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace missionkit::ops {

/// \brief Bias-correction constants of the range and standard deviation of n independent N(0, 1) draws.
///
/// d2 = E[R], d3 = sd(R) (R the sample range), c4 = E[s] = sqrt(2/(n-1)) Gamma(n/2) / Gamma((n-1)/2).
/// The chart factors are for 3-sigma limits: A2 = 3/(d2 sqrt n), A3 = 3/(c4 sqrt n),
/// D3 = max(0, 1 - 3 d3/d2), D4 = 1 + 3 d3/d2, B3 = max(0, 1 - 3 sqrt(1 - c4^2)/c4),
/// B4 = 1 + 3 sqrt(1 - c4^2)/c4.
struct spc_constants {
  int n = 0;
  double d2 = 0.0, d3 = 0.0, c4 = 0.0;
  double A2 = 0.0, A3 = 0.0, D3 = 0.0, D4 = 0.0, B3 = 0.0, B4 = 0.0;
};

/// \brief The constants for subgroup size n (2 <= n <= 1000). d2 and d3 come from adaptive Gauss-Kronrod
/// quadrature of the range distribution (relative error below 1e-10), c4 from lgamma.
/// \throws missionkit::domain_error for n outside [2, 1000].
[[nodiscard]] spc_constants constants(int n);

/// \brief Which control chart.
enum class chart_type { individuals, xbar_r, xbar_s, p, np, c, u };

/// \brief "individuals", "xbar_r", "xbar_s", "p", "np", "c", "u".
[[nodiscard]] std::string_view to_string(chart_type t) noexcept;
/// \throws missionkit::domain_error for an unknown name (the message lists the valid ones).
[[nodiscard]] chart_type parse_chart_type(std::string_view name);

/// \brief How the individuals chart estimates sigma from the moving ranges MR_i = |x_i - x_{i-1}|.
enum class mr_estimator {
  average,  ///< sigma = mean(MR) / d2(2), d2(2) = 2/sqrt(pi) = 1.128 (Montgomery 6.4)
  median    ///< sigma = median(MR) / 0.954, robust to a few large jumps (Wheeler; NIST 6.3.2.2)
};

/// \brief Options shared by every chart.
struct chart_options {
  /// Limits at centre +- width * sigma_i (3 is Shewhart's choice).
  double width = 3.0;
  /// Phase I: the limits are estimated from points [baseline_start, baseline_stop) only, and then applied
  /// to every point (phase II). The default is every point. A stop past the end means "to the end".
  std::size_t baseline_start = 0;
  std::size_t baseline_stop = std::numeric_limits<std::size_t>::max();
  mr_estimator mr = mr_estimator::average;  ///< individuals chart only
};

/// \brief A control chart: the plotted statistic, its centre line and per-point limits, and the companion
/// dispersion chart (moving range for individuals, R for xbar-R, s for xbar-S; empty for attribute charts).
struct chart_result {
  chart_type type = chart_type::individuals;
  std::vector<double> values;  ///< plotted statistic: x_i, subgroup mean, p_i = d_i/n_i, np_i, c_i, u_i
  double center = 0.0;         ///< centre line (baseline mean, grand mean, p-bar, n p-bar, c-bar, u-bar)
  /// Process sigma on the scale of one unit: MR-bar/d2, R-bar/d2, s-bar/c4, sqrt(p(1-p)), sqrt(n p(1-p)),
  /// sqrt(c), sqrt(u). point_sigma[i] is the standard error of values[i] (sigma/sqrt(n) for xbar,
  /// sqrt(p(1-p)/n_i) for p, sqrt(u/n_i) for u, sigma otherwise).
  double sigma = 0.0;
  double width = 3.0;
  std::vector<double> point_sigma;
  std::vector<double> ucl, lcl;  ///< center +- width * point_sigma; attribute limits clipped at 0 (p at 1)
  std::size_t baseline_start = 0, baseline_stop = 0;  ///< the phase I window actually used, [start, stop)

  std::vector<double> dispersion;  ///< MR_i (NaN at i = 0), R_i or s_i; empty for attribute charts
  double dispersion_center = 0.0;  ///< MR-bar (or median MR), R-bar, s-bar
  double dispersion_ucl = 0.0, dispersion_lcl = 0.0;

  /// (values[i] - center) / point_sigma[i]: the input of the run rules (for p and u charts with
  /// variable n the raw values would mix different standard errors).
  [[nodiscard]] std::vector<double> standardized() const;
};

/// \brief Individuals chart of x (one observation per point) with its moving-range chart.
/// \throws missionkit::data_error for NaN/inf values, fewer than 2 baseline points or no variation in
/// the baseline; missionkit::domain_error for a bad width or window.
[[nodiscard]] chart_result individuals_chart(std::span<const double> x, const chart_options& opt = {});

/// \brief xbar-R chart: `data` holds k subgroups of `subgroup_size` observations, row after row.
/// Limits x-bar-bar +- A2 R-bar (for width 3); R chart D3 R-bar .. D4 R-bar.
[[nodiscard]] chart_result xbar_r_chart(std::span<const double> data, std::size_t subgroup_size,
                                        const chart_options& opt = {});

/// \brief xbar-S chart (layout as xbar_r_chart). Limits x-bar-bar +- A3 s-bar; s chart B3 s-bar .. B4 s-bar.
[[nodiscard]] chart_result xbar_s_chart(std::span<const double> data, std::size_t subgroup_size,
                                        const chart_options& opt = {});

/// \brief p chart of the fraction nonconforming d_i/n_i. p-bar = sum(d)/sum(n) over the baseline; limits
/// p-bar +- width sqrt(p-bar(1-p-bar)/n_i) per point, clipped to [0, 1].
/// \throws missionkit::data_error for a negative or NaN count, n_i <= 0, or d_i > n_i.
[[nodiscard]] chart_result p_chart(std::span<const double> defectives, std::span<const double> n,
                                   const chart_options& opt = {});

/// \brief np chart of the number nonconforming d_i; all n_i must be equal (use p_chart otherwise).
[[nodiscard]] chart_result np_chart(std::span<const double> defectives, std::span<const double> n,
                                    const chart_options& opt = {});

/// \brief c chart of counts of nonconformities per equal-sized unit: c-bar +- width sqrt(c-bar).
[[nodiscard]] chart_result c_chart(std::span<const double> counts, const chart_options& opt = {});

/// \brief u chart of nonconformities per unit c_i/n_i (n_i > 0, may be fractional, e.g. hours):
/// u-bar = sum(c)/sum(n) over the baseline, limits u-bar +- width sqrt(u-bar/n_i), LCL clipped at 0.
[[nodiscard]] chart_result u_chart(std::span<const double> counts, std::span<const double> n,
                                   const chart_options& opt = {});

/// \brief The Western Electric (1956) and Nelson (1984) run rules, on standardised values z.
enum class run_rule {
  we1,
  we2,
  we3,
  we4,
  nelson1,
  nelson2,
  nelson3,
  nelson4,
  nelson5,
  nelson6,
  nelson7,
  nelson8
};

/// \brief A rule's name ("we1" ... "nelson8") and its description ("1 point beyond 3 sigma", ...).
struct rule_info {
  run_rule rule;
  std::string_view name;
  std::string_view description;
};

/// \brief All twelve rules, Western Electric first.
[[nodiscard]] std::span<const rule_info> all_rules() noexcept;
[[nodiscard]] const rule_info& info(run_rule r) noexcept;
/// \throws missionkit::domain_error for an unknown name (the message lists the valid ones).
[[nodiscard]] run_rule parse_rule(std::string_view name);
[[nodiscard]] std::vector<run_rule> western_electric_rules();
[[nodiscard]] std::vector<run_rule> nelson_rules();

/// \brief One rule firing at one point.
struct rule_signal {
  std::size_t index;  ///< the point that completes the pattern
  run_rule rule;
  friend bool operator==(const rule_signal&, const rule_signal&) = default;
};

/// \brief Applies `rules` to standardised values z_i = (x_i - centre) / sigma_i.
///
/// Conventions (docs/ops.md): a signal is reported at the last point of the pattern, and for the
/// "k of m" rules only when that point is itself one of the k; a run continues to signal at every further
/// point that extends it; a point exactly on the centre line breaks a same-side run, and equal neighbours
/// break a trend or an alternation; "beyond 2 sigma" means |z| > 2 strictly. Rule 1 fires for
/// |z| > limit (the chart's width). Signals are sorted by index, then by the order of `rules`.
/// \throws missionkit::data_error for NaN in z.
[[nodiscard]] std::vector<rule_signal> apply_rules(std::span<const double> z, std::span<const run_rule> rules,
                                                   double limit = 3.0);

}  // namespace missionkit::ops
