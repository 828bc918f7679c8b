// A/B/n analysis of randomised experiments: per-arm summaries as mergeable moments, and the comparison of
// each treatment arm with the control for proportions, means (Welch), ratio metrics (delta method) and
// means adjusted for a pre-period covariate (CUPED). Assignment, SRM and sequential monitoring are in
// assignment.hpp, srm.hpp and sequential.hpp.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace missionkit::stats {

/// \brief Count, mean and sum of squared deviations of one variable: a mergeable partial state.
/// add() is Welford's update; operator+= is the exact merge of Chan, Golub & LeVeque (1979):
/// n = na + nb, d = mean_b - mean_a, mean = mean_a + d nb / n, m2 = m2_a + m2_b + d^2 na nb / n.
struct moments {
  double n = 0.0;
  double mean = 0.0;
  double m2 = 0.0;
  void add(double x);
  moments& operator+=(const moments& o);
  /// Sample variance m2 / (n - 1) (NaN for n < 2).
  [[nodiscard]] double variance() const;
};

/// \brief Joint moments of (x, y): counts, means, squared deviations and the co-deviation
/// cxy = sum (x - mean_x)(y - mean_y). Merge as moments, with cxy = cxy_a + cxy_b + dx dy na nb / n.
struct comoments {
  double n = 0.0;
  double mean_x = 0.0;
  double mean_y = 0.0;
  double m2x = 0.0;
  double m2y = 0.0;
  double cxy = 0.0;
  void add(double x, double y);
  comoments& operator+=(const comoments& o);
  [[nodiscard]] double variance_x() const;  ///< ddof = 1
  [[nodiscard]] double variance_y() const;  ///< ddof = 1
  [[nodiscard]] double covariance() const;  ///< ddof = 1
};

/// \brief What a metric measures, and so how arms are compared.
/// - proportion: y is 0/1 per unit; difference with the Newcombe (1998) hybrid-score interval,
///   Miettinen–Nurminen score test, relative lift with the Koopman score interval for p_t / p_c minus 1.
/// - mean: Welch (1947) t-test and interval for the difference; relative lift by the delta method.
/// - ratio: sum(numerator) / sum(denominator) over units (clicks per session, revenue per order) where the
///   unit of randomisation is not the unit of the denominator; delta-method variance (Deng, Knoblich &
///   Lu 2018, "Applying the Delta Method in Metric Analytics", KDD, eq. for var of a ratio of means):
///   var(R) = (s_nn / mu_d^2 - 2 mu_n s_nd / mu_d^3 + mu_n^2 s_dd / mu_d^4) / n, and a normal test.
enum class metric_kind { proportion, mean, ratio };

/// \brief One arm of one metric.
struct arm_stat {
  double n = 0.0;           ///< units in the arm
  double value = 0.0;       ///< proportion, mean or ratio (CUPED: the adjusted mean)
  double std_error = 0.0;   ///< of value
  double unadjusted = 0.0;  ///< the plain value (equal to value without CUPED)
};

/// \brief A treatment arm against the control.
struct comparison {
  double estimate = 0.0;  ///< treatment value - control value
  double std_error = 0.0;
  double ci_low = 0.0;  ///< two-sided 1 - alpha interval for the difference
  double ci_high = 0.0;
  double statistic = 0.0;
  double pvalue = 1.0;                                  ///< two-sided, H0: no difference
  double df = std::numeric_limits<double>::infinity();  ///< Welch df for means, +inf for normal tests
  double lift = 0.0;                                    ///< relative lift, treatment / control - 1
  double lift_ci_low = 0.0;
  double lift_ci_high = 0.0;
  double variance_reduction = 0.0;  ///< CUPED: 1 - var(adjusted estimate) / var(unadjusted estimate)
};

/// \brief Proportions: count successes out of n per arm (see metric_kind::proportion).
/// std_error is the unpooled Wald standard error of the difference.
[[nodiscard]] comparison compare_proportions(double count_t, double n_t, double count_c, double n_c,
                                             double alpha = 0.05);

/// \brief Means by Welch's t-test. Lift: (m_t / m_c - 1) -+ z se with the delta-method variance
/// var_t / m_c^2 + m_t^2 var_c / m_c^4 (var_* the variances of the arm means); NaN if m_c = 0.
/// \throws missionkit::domain_error for an arm with fewer than 2 units or zero variance.
[[nodiscard]] comparison compare_means(const moments& t, const moments& c, double alpha = 0.05);

/// \brief Ratio metrics (x = denominator, y = numerator per unit) by the delta method; lift as means.
/// \param min_units  fewer randomisation units (clusters) than this in an arm is an error: the delta
///                   method is a large-sample approximation over units, not over denominator events.
[[nodiscard]] comparison compare_ratios(const comoments& t, const comoments& c, double alpha = 0.05,
                                        double min_units = 10.0);

/// \brief CUPED (Deng, Xu, Kohavi & Walker 2013, "Improving the Sensitivity of Online Controlled
/// Experiments by Utilizing Pre-Experiment Data", WSDM) with x = the pre-period covariate, y = the metric.
///
/// theta = sum_a cxy_a / sum_a m2x_a, the pooled within-arm regression slope (so a treatment effect on y
/// cannot leak into theta), and for each arm the adjusted mean y_a - theta (x_a - x_all) with the variance
/// of y - theta x: (m2y - 2 theta cxy + theta^2 m2x) / (n - 1). The difference of adjusted means is then
/// exactly the arm coefficient of the ANCOVA regression y ~ arm + x. theta is treated as known (its
/// estimation error is O(1/n), as in the paper).
struct cuped_fit {
  double theta = 0.0;
  double x_mean = 0.0;              ///< pooled covariate mean
  std::vector<moments> adjusted;    ///< per arm, moments of y - theta (x - x_mean)
  double variance_reduction = 0.0;  ///< 1 - sum of adjusted m2 / sum of unadjusted m2 (within arms)
};
[[nodiscard]] cuped_fit cuped(std::span<const comoments> arms);

/// \brief Per-arm moments of y by arm code in [0, n_arms). Codes outside are an error, NaN values are an
/// error naming the metric, the row and the fix.
[[nodiscard]] std::vector<moments> arm_moments(std::span<const std::int32_t> arm, std::span<const double> y,
                                               int n_arms, std::string_view metric = "metric");
/// \brief Per-arm joint moments of (x, y); NaN in x is reported as a missing x_name (e.g. "pre-period").
[[nodiscard]] std::vector<comoments> arm_comoments(std::span<const std::int32_t> arm,
                                                   std::span<const double> x, std::span<const double> y,
                                                   int n_arms, std::string_view metric = "metric",
                                                   std::string_view x_name = "x");
/// \brief float32 columns (large experiments: half the memory); accumulated in double, same results as
/// the double overloads on the same values.
[[nodiscard]] std::vector<moments> arm_moments(std::span<const std::int32_t> arm, std::span<const float> y,
                                               int n_arms, std::string_view metric = "metric");
[[nodiscard]] std::vector<comoments> arm_comoments(std::span<const std::int32_t> arm,
                                                   std::span<const float> x, std::span<const float> y,
                                                   int n_arms, std::string_view metric = "metric",
                                                   std::string_view x_name = "x");

/// \brief Full analysis of one metric: per-arm summaries and every arm against the control arm.
struct metric_analysis {
  std::vector<arm_stat> arms;
  std::vector<int> treatments;          ///< arm codes compared with the control, in order
  std::vector<comparison> comparisons;  ///< one per treatment
  std::optional<double> cuped_theta;    ///< set when a covariate was used
  double variance_reduction = 0.0;      ///< CUPED, within-arm variance reduction of the metric
};

/// \brief Analyse one metric over units with arm codes in [0, n_arms).
/// \param x  ratio: the denominator per unit; mean/proportion: the pre-period covariate for CUPED, or
///           empty for none. (Ratio metrics with CUPED are not supported.)
/// \throws missionkit::domain_error / data_error with messages naming the metric and the arm.
[[nodiscard]] metric_analysis analyze_metric(metric_kind kind, std::span<const std::int32_t> arm, int n_arms,
                                             int control, std::span<const double> y,
                                             std::span<const double> x, double alpha = 0.05,
                                             std::string_view metric = "metric", double min_units = 10.0);
/// \brief The same with float32 columns (accumulated in double).
[[nodiscard]] metric_analysis analyze_metric(metric_kind kind, std::span<const std::int32_t> arm, int n_arms,
                                             int control, std::span<const float> y, std::span<const float> x,
                                             double alpha = 0.05, std::string_view metric = "metric",
                                             double min_units = 10.0);
/// \brief The same with 8-bit arm codes (up to 127 arms): a quarter of the memory traffic for the codes,
/// which every metric reads again.
[[nodiscard]] metric_analysis analyze_metric(metric_kind kind, std::span<const std::int8_t> arm, int n_arms,
                                             int control, std::span<const float> y, std::span<const float> x,
                                             double alpha = 0.05, std::string_view metric = "metric",
                                             double min_units = 10.0);
[[nodiscard]] metric_analysis analyze_metric(metric_kind kind, std::span<const std::int8_t> arm, int n_arms,
                                             int control, std::span<const double> y,
                                             std::span<const double> x, double alpha = 0.05,
                                             std::string_view metric = "metric", double min_units = 10.0);

/// \brief Many plain (no covariate) proportion or mean metrics of the same units in one parallel sweep:
/// each thread reads a block of arm codes once and summarises that block of every column while the codes
/// are in cache, instead of one sweep (and one re-read of the codes) per metric.
///
/// Results are bit-identical to analyze_metric(kinds[i], arm, n_arms, control, ys[i], {}, alpha, names[i])
/// for each i (same blocks, same per-block algorithm, same merge order), and so are the errors: the first
/// metric (in order) that cannot be analysed throws exactly what analyze_metric throws for it (a missing
/// value or an arm code out of range names the metric and the row). A ratio kind is such an error (it needs
/// a denominator: use analyze_metric).
/// \param names  one per column (the metric names used in messages).
/// \throws missionkit::domain_error if kinds, ys and names differ in length.
[[nodiscard]] std::vector<metric_analysis> analyze_metrics(std::span<const metric_kind> kinds,
                                                           std::span<const std::int32_t> arm, int n_arms,
                                                           int control,
                                                           std::span<const std::span<const double>> ys,
                                                           std::span<const std::string_view> names,
                                                           double alpha = 0.05);
[[nodiscard]] std::vector<metric_analysis> analyze_metrics(
    std::span<const metric_kind> kinds, std::span<const std::int32_t> arm, int n_arms, int control,
    std::span<const std::span<const float>> ys, std::span<const std::string_view> names, double alpha = 0.05);
[[nodiscard]] std::vector<metric_analysis> analyze_metrics(std::span<const metric_kind> kinds,
                                                           std::span<const std::int8_t> arm, int n_arms,
                                                           int control,
                                                           std::span<const std::span<const double>> ys,
                                                           std::span<const std::string_view> names,
                                                           double alpha = 0.05);
[[nodiscard]] std::vector<metric_analysis> analyze_metrics(
    std::span<const metric_kind> kinds, std::span<const std::int8_t> arm, int n_arms, int control,
    std::span<const std::span<const float>> ys, std::span<const std::string_view> names, double alpha = 0.05);

/// \brief Many ratio metrics over one shared denominator column (e.g. clicks, revenue and errors per
/// session) in one sweep: the denominator's per-arm sums are accumulated once per block for all numerators.
/// Results and errors are bit-identical to analyze_metric(metric_kind::ratio, arm, n_arms, control,
/// numerators[i], denominator, alpha, names[i], min_units) for each i, in order.
/// \throws missionkit::domain_error if numerators and names differ in length.
[[nodiscard]] std::vector<metric_analysis> analyze_ratios(std::span<const std::int32_t> arm, int n_arms,
                                                          int control,
                                                          std::span<const std::span<const double>> numerators,
                                                          std::span<const double> denominator,
                                                          std::span<const std::string_view> names,
                                                          double alpha = 0.05, double min_units = 10.0);
[[nodiscard]] std::vector<metric_analysis> analyze_ratios(std::span<const std::int32_t> arm, int n_arms,
                                                          int control,
                                                          std::span<const std::span<const float>> numerators,
                                                          std::span<const float> denominator,
                                                          std::span<const std::string_view> names,
                                                          double alpha = 0.05, double min_units = 10.0);
[[nodiscard]] std::vector<metric_analysis> analyze_ratios(std::span<const std::int8_t> arm, int n_arms,
                                                          int control,
                                                          std::span<const std::span<const double>> numerators,
                                                          std::span<const double> denominator,
                                                          std::span<const std::string_view> names,
                                                          double alpha = 0.05, double min_units = 10.0);
[[nodiscard]] std::vector<metric_analysis> analyze_ratios(std::span<const std::int8_t> arm, int n_arms,
                                                          int control,
                                                          std::span<const std::span<const float>> numerators,
                                                          std::span<const float> denominator,
                                                          std::span<const std::string_view> names,
                                                          double alpha = 0.05, double min_units = 10.0);

/// \brief Cochran's Q test of heterogeneity across k independent estimates (e.g. one treatment effect per
/// segment): weights w_i = 1 / se_i^2, pooled = sum w_i est_i / sum w_i, Q = sum w_i (est_i - pooled)^2,
/// chi-squared with k - 1 df under "the same effect everywhere" (Cochran 1954); I^2 = max(0, (Q - df) / Q)
/// (Higgins & Thompson 2002). As statsmodels' combine_effects (fixed effect) computes them.
struct heterogeneity {
  double q = 0.0;
  double df = 0.0;
  double pvalue = 1.0;
  double i2 = 0.0;
  double pooled = 0.0;  ///< the fixed-effect (inverse-variance) pooled estimate
};
/// \throws missionkit::domain_error for fewer than 2 estimates, sizes that differ, a non-finite estimate
/// or a standard error that is not finite and > 0.
[[nodiscard]] heterogeneity cochran_q(std::span<const double> estimate, std::span<const double> std_error);

/// \brief Rows (i, j), i < j, where one unit (integer code) appears twice, and whether in two different
/// arms; nullopt when every unit appears once. Unit-level analysis needs one row per unit.
struct unit_conflict {
  std::size_t first = 0;
  std::size_t second = 0;
  bool different_arms = false;
};
[[nodiscard]] std::optional<unit_conflict> find_duplicate_unit(std::span<const std::int64_t> unit,
                                                               std::span<const std::int32_t> arm);

}  // namespace missionkit::stats
