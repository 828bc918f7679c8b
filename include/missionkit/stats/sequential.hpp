// Sequential monitoring that keeps the false-positive rate at alpha however often one looks:
// - group-sequential designs with Lan–DeMets alpha spending (a planned number of looks, boundaries on the
//   z scale, state that can be saved and resumed between looks);
// - the mixture sequential probability ratio test (mSPRT) of Johari et al. (2017, 2022), whose p-values and
//   confidence sequences stay valid under continuous peeking.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace missionkit::stats {

/// \brief Lan & DeMets (1983) spending-function families.
///
/// For a one-sided level a (the level per side: a = alpha for one-sided designs, alpha/2 for two-sided),
/// the cumulative type-I error spent by information fraction t in (0, 1] is
/// - obrien_fleming: a(t) = 2 - 2 Phi(z_{a/2} / sqrt(t))   (Lan & DeMets 1983; O'Brien–Fleming-like)
/// - pocock:         a(t) = a log(1 + (e - 1) t)            (Lan & DeMets 1983; Pocock-like)
/// Both give a(1) = a. Two-sided designs are symmetric and spend a(t) on each side, so that the total is
/// 2 a(t) = alpha at t = 1. This is the convention of Reboussin et al.'s ld98 program (R ldbounds), R
/// gsDesign (sfLDOF/sfLDPocock), R rpact ("asOF"/"asP") and East, and it is what their published tables
/// print (e.g. 4.877, 3.357, 2.680, 2.290, 2.031 for five equally spaced looks, two-sided alpha = 0.05).
/// Lan & DeMets' formula read with alpha two-sided, 2 - 2 Phi(z_{alpha/2}/sqrt(t)) spent over both sides,
/// is a different (less conservative early) design that none of those tables shows.
enum class spending_function { obrien_fleming, pocock };

/// \brief Cumulative alpha a(t) spent per side by information fraction t (0 at t <= 0, a at t >= 1).
/// \param level  the per-side level a in (0, 1).
[[nodiscard]] double alpha_spent(spending_function f, double level, double t);

/// \brief Boundaries of a group-sequential design on the z scale.
struct gs_boundaries {
  std::vector<double> information_fraction;  ///< t_k, increasing, last = 1
  std::vector<double> upper;                 ///< reject H0 (efficacy) when Z_k >= upper[k]; +inf: cannot stop
  std::vector<double> lower;           ///< two-sided: -upper (reject when Z_k <= lower[k]); one-sided: -inf
  std::vector<double> alpha_spent;     ///< cumulative alpha spent by look k, both sides together
  std::vector<double> nominal_pvalue;  ///< the fixed-sample p-value at the boundary (one tail times sides)
  /// Non-binding futility bounds (one-sided designs with beta spending; empty otherwise): the trial may
  /// stop for futility when Z_k <= futility[k]. The last equals upper at the final analysis.
  std::vector<double> futility;
  std::vector<double> beta_spent;  ///< cumulative type-II error spent by look k under the alternative
};

/// \brief Non-binding beta-spending futility bounds of a one-sided design (gsDesign test.type = 4).
struct gs_futility {
  std::vector<double> lower;       ///< futility bound per look (the last equals the final efficacy bound)
  std::vector<double> beta_spent;  ///< cumulative beta spent by look k
  double drift = 0.0;              ///< E[Z_K] under the alternative = effect * sqrt(maximum information)
  /// maximum information of the design over that of the fixed-sample design with the same alpha and power,
  /// (drift / (z_{1-alpha} + z_{1-beta}))^2
  double inflation = 0.0;
};

/// \brief Futility bounds for efficacy bounds `upper` at fractions t (one-sided, the last look final).
///
/// As gsDesign's test.type = 4 (Anderson & Clark 2010; Jennison & Turnbull 2000, sec. 7.2): the efficacy
/// bounds ignore the futility bounds (non-binding, so stopping or not for futility never inflates alpha);
/// under the alternative, Z_k ~ N(drift sqrt(t_k), 1) with cov(Z_j, Z_k) = sqrt(t_j / t_k), the futility
/// bound of look k < K spends beta(t_k) - beta(t_{k-1}) of the type-II error given the continuation
/// region (lower, upper) of the earlier looks, beta(t) being the spending function f at level beta; the
/// drift is solved so that the total type-II error, including ending at look K below upper[K], is beta,
/// so the bounds meet at the final look.
/// alpha (one-sided) only serves the inflation factor.
/// \throws missionkit::domain_error for beta outside (0, 1 - alpha) or a bad t / upper.
[[nodiscard]] gs_futility futility_bounds(std::span<const double> t, std::span<const double> upper,
                                          double alpha, double beta, spending_function f);

/// \brief Futility bounds for a given drift (a design being monitored): beta is spent at the fractions
/// `spend_t` as above, without solving for the drift; when `final_look` the last bound is set to upper.
[[nodiscard]] gs_futility futility_bounds_for_drift(std::span<const double> t,
                                                    std::span<const double> spend_t,
                                                    std::span<const double> upper, double beta,
                                                    spending_function f, double drift, bool final_look);

/// \brief Efficacy boundaries for information fractions t (increasing, in (0, 1]; the last is the final
/// analysis, where all remaining alpha is spent), total level alpha and 1 or 2 sides.
///
/// Computed by the recursive numerical integration of Armitage, McPherson & Rowe (1969) as laid out in
/// Jennison & Turnbull (2000), "Group Sequential Methods with Applications to Clinical Trials", ch. 19:
/// the sub-density of Z_k on the continuation region is carried on J&T's grid (r = 32, Simpson's rule)
/// and each boundary solves P(first crossing at look k) = spent(t_k) - spent(t_{k-1}) to full precision
/// (TOMS748). The Z_k are the canonical joint distribution: cov(Z_j, Z_k) = sqrt(t_j / t_k).
/// \throws missionkit::domain_error for empty or non-increasing t, t outside (0, 1], alpha outside
/// (0, 1) (two-sided: alpha < 1 still, per side alpha/2), sides not 1 or 2.
[[nodiscard]] gs_boundaries group_sequential_bounds(std::span<const double> t, double alpha,
                                                    spending_function f, int sides);

/// \brief One recorded interim analysis.
struct gs_look {
  double information = 0.0;  ///< information at the look, in the design's units
  double z = 0.0;            ///< observed z statistic
  double upper = 0.0;        ///< the boundary that applied at this look
  double lower = 0.0;
  bool crossed = false;                                        ///< z reached the boundary: stop and reject H0
  double futility = -std::numeric_limits<double>::infinity();  ///< the futility bound at this look
  bool futile = false;  ///< z at or below the (non-binding) futility bound: the trial may stop
};

/// \brief A group-sequential design with its monitoring state: looks are recorded one at a time at their
/// actual information, the boundary of each look is computed then (spending by the actual information
/// fraction), and the remaining planned looks are re-derived. The state is the constructor arguments plus
/// the recorded (information, z) pairs, so saving them and replaying record() resumes exactly.
class group_sequential {
 public:
  /// \param k            planned number of looks (>= 1).
  /// \param information  planned information at each look (k increasing positive values, any unit:
  ///                     sample sizes, events, 1/variance); empty means equally spaced 1, 2, ..., k.
  group_sequential(int k, double alpha, spending_function f, int sides, std::vector<double> information = {});

  /// \brief As above with non-binding futility bounds (one-sided designs only): type-II error beta =
  /// 1 - power spent by the spending function `futility` (see futility_bounds()). The drift under the
  /// alternative is fixed at the design from the planned looks; recorded looks re-spend beta at their
  /// actual information fractions with that drift.
  group_sequential(int k, double alpha, spending_function f, int sides, std::vector<double> information,
                   std::optional<spending_function> futility, double power);

  /// \brief Record look number looks().size() + 1 at the given information (same units as the plan,
  /// larger than the previous look's). The information fraction is information / planned maximum; the
  /// k-th look, or any look at or beyond the planned maximum, is the final analysis and spends all
  /// remaining alpha. Returns the look with its boundary and whether z crossed it.
  /// \throws missionkit::domain_error if the design has stopped (a boundary was crossed), all k looks are
  /// recorded, information does not increase, or z is not finite.
  gs_look record(double z, double information);

  /// \brief Boundaries of all looks: those recorded (at their actual fractions) followed by the planned
  /// looks still to come (planned fractions beyond the last recorded one, the last at 1).
  [[nodiscard]] gs_boundaries bounds() const;

  [[nodiscard]] int k() const { return k_; }
  [[nodiscard]] double alpha() const { return alpha_; }
  [[nodiscard]] spending_function spending() const { return f_; }
  [[nodiscard]] int sides() const { return sides_; }
  [[nodiscard]] const std::vector<double>& information() const { return information_; }
  [[nodiscard]] const std::vector<gs_look>& looks() const { return looks_; }
  [[nodiscard]] std::optional<spending_function> futility() const { return futility_; }
  [[nodiscard]] double power() const { return power_; }
  [[nodiscard]] double drift() const { return drift_; }
  [[nodiscard]] double inflation() const { return inflation_; }
  [[nodiscard]] bool stopped() const { return !looks_.empty() && looks_.back().crossed; }
  [[nodiscard]] bool finished() const { return stopped() || static_cast<int>(looks_.size()) == k_ || final_; }

 private:
  [[nodiscard]] std::vector<double> fractions_planned_after(double t_last) const;
  void add_futility(gs_boundaries& b, const std::vector<double>& spend, bool final_look) const;

  int k_;
  double alpha_;
  spending_function f_;
  int sides_;
  std::vector<double> information_;
  std::vector<double> fractions_;  // actual fractions of the recorded looks
  std::vector<gs_look> looks_;
  bool final_ = false;
  std::optional<spending_function> futility_;
  double power_ = 0.0;
  double drift_ = 0.0;
  double inflation_ = 0.0;
};

/// \brief One step of the mSPRT.
struct msprt_step {
  double estimate = 0.0;   ///< the estimate at this look (e.g. mean difference)
  double std_error = 0.0;  ///< its standard error, sqrt(variance)
  double lambda = 1.0;     ///< mixture likelihood ratio against the null value
  double pvalue = 1.0;     ///< always-valid p-value: running minimum of min(1, 1/lambda)
  double ci_low = 0.0;     ///< confidence sequence at 1 - alpha: running intersection of the intervals
  double ci_high = 0.0;
};

/// \brief Mixture SPRT for an asymptotically normal estimate with a N(null, tau^2) mixing distribution
/// (Johari, Koomen, Pekelis & Walsh 2017, "Peeking at A/B tests", KDD; Johari et al. 2022, Operations
/// Research). With estimate d_n and its variance s_n^2 (for a difference of two means of n units per arm
/// with known variances, s_n^2 = (sigma_1^2 + sigma_2^2) / n, and this is their eq. for Lambda_n):
///   Lambda_n = sqrt(s_n^2 / (s_n^2 + tau^2)) exp(tau^2 (d_n - null)^2 / (2 s_n^2 (s_n^2 + tau^2))).
/// p_n = min(p_{n-1}, 1 / Lambda_n); by Ville's inequality P(some p_n <= alpha) <= alpha under H0, however
/// many looks. The confidence sequence is {theta : Lambda_n(theta) < 1/alpha}, i.e.
///   d_n -+ sqrt(s_n^2 (s_n^2 + tau^2) / tau^2 * (2 log(1/alpha) + log((s_n^2 + tau^2) / s_n^2))),
/// intersected over n. tau (the mixture standard deviation) should be of the order of the effects one
/// hopes to detect; any fixed tau > 0 gives validity, only power depends on it.
class msprt {
 public:
  msprt(double mixture_variance, double alpha = 0.05, double null_value = 0.0);
  /// \brief Add a look with the current estimate and its variance (> 0).
  msprt_step update(double estimate, double variance);
  [[nodiscard]] const std::vector<msprt_step>& steps() const { return steps_; }

 private:
  double tau2_;
  double alpha_;
  double null_;
  std::vector<msprt_step> steps_;
};

/// \brief The mSPRT over a whole sequence of (estimate, variance) looks.
[[nodiscard]] std::vector<msprt_step> msprt_path(std::span<const double> estimate,
                                                 std::span<const double> variance, double mixture_variance,
                                                 double alpha = 0.05, double null_value = 0.0);

}  // namespace missionkit::stats
