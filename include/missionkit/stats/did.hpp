// Difference in differences on a panel: the two-way fixed-effects regression (unit and time effects) with
// a treatment indicator, and its event-study form with relative-time dummies, both estimated by ols_fe()
// with standard errors clustered by unit by default, so that they equal statsmodels' OLS on the same
// regression with explicit dummies and cov_type="cluster" (see fixed_effects.hpp for the df convention).
//
// With staggered adoption and heterogeneous effects the two-way FE coefficient is a weighted average that
// can have negative weights (Goodman-Bacon 2021; Sun & Abraham 2021); the event study with never-treated
// units as controls shows the dynamics, and its leads give the usual pre-trend check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "missionkit/stats/alternative.hpp"
#include "missionkit/stats/fixed_effects.hpp"
#include "missionkit/stats/regression.hpp"

namespace missionkit::stats {

/// \brief Options of did() and event_study().
struct did_options {
  /// cluster (by unit, the default), or nonrobust / hc0 / hc1.
  cov_type cov = cov_type::cluster;
  double alpha = 0.05;
  std::optional<bool> use_t;  ///< default as statsmodels: normal for robust covariances
};

/// \brief y_it = a_i + l_t + tau * D_it + e_it, with D_it = 1 when time_it >= treated_from_it.
/// treated_from holds, per row, the first treated period of the row's unit (NaN: never treated); it
/// must be the same on every row of a unit. The coefficient is named "treated".
/// \throws missionkit::domain_error for mismatched lengths, NaN/inf y, treated_from varying within a unit,
///   no treated or no untreated row, or D absorbed by the fixed effects (everyone treated at once and
///   never untreated after, for example).
[[nodiscard]] fe_result did(std::span<const double> y, std::span<const std::int64_t> unit,
                            std::span<const std::int64_t> time, std::span<const double> treated_from,
                            const did_options& options = {});

/// \brief Event study: y_it = a_i + l_t + sum_{r != reference} b_r 1{bin(t - E_i) = r} + e_it, where E_i
/// is the unit's first treated period (treat_time, NaN for never-treated units, whose dummies are all 0)
/// and bin() clamps relative time to [-leads, lags] (the end bins pool everything further away).
struct event_study_result {
  fe_result fit;                        ///< coefficients named "t-K" ... "t+L" (reference omitted)
  std::vector<std::int64_t> rel_time;   ///< relative time of each coefficient
  std::vector<std::size_t> lead_index;  ///< coefficients with relative time < 0 (the pre-trend test's)
  wald_result pretrend;                 ///< joint test that all lead coefficients are 0
};

[[nodiscard]] event_study_result event_study(std::span<const double> y, std::span<const std::int64_t> unit,
                                             std::span<const std::int64_t> time,
                                             std::span<const double> treat_time, std::size_t leads,
                                             std::size_t lags, std::int64_t reference = -1,
                                             const did_options& options = {});

/// \brief Power of a difference-in-differences comparison of two groups of units, each unit measured in
/// `pre` periods before and `post` periods after the change (Frison & Pocock 1992, "Repeated measures in
/// clinical trials", Statistics in Medicine 11:1685-1704, the CHANGE analysis). With outcome variance
/// sigma^2 per unit-period and a constant correlation rho between any two periods of the same unit
/// (compound symmetry), the change score "mean after - mean before" of a unit has variance
///   sigma^2 D,  D = (1 + (post - 1) rho) / post + (1 + (pre - 1) rho) / pre - 2 rho,
/// (D = 2 (1 - rho) for one period each side), and the DiD estimate with n_t treated and n_c = ratio n_t
/// control units, Var = sigma^2 D (1 / n_t + 1 / n_c), is what the two-way fixed-effects regression gives
/// on a balanced panel. A unit may be a cluster (then sigma^2 is the variance of a cluster-period mean and
/// rho the serial correlation of those means). Power is that of the two-sided (or one-sided) z-test, i.e.
/// solve_power(normal_ind) at effect size effect / (sigma sqrt(D)).
struct did_power_query {
  std::optional<double> effect;  ///< difference in differences to detect
  std::optional<double> n;       ///< treated units (control units = ratio * n)
  std::optional<double> power;
  double sigma = 1.0;  ///< outcome standard deviation per unit-period, > 0
  double rho = 0.0;    ///< correlation between periods of a unit, in (-1 / (pre + post - 1), 1)
  int pre = 1;         ///< periods before
  int post = 1;        ///< periods after
  double ratio = 1.0;  ///< control units per treated unit
  double alpha = 0.05;
  alternative alt = alternative::two_sided;
};

struct did_power_result {
  double effect = 0.0;
  double n_treated = 0.0;  ///< unrounded when solved for
  double n_control = 0.0;
  double power = 0.0;
  double std_error = 0.0;        ///< SE of the DiD estimate at these n
  double variance_factor = 0.0;  ///< D above
};

/// \brief Solves for the one empty field of effect / n / power (exactly one must be empty).
/// \throws missionkit::domain_error for a bad argument or an unreachable target.
[[nodiscard]] did_power_result did_power(const did_power_query& q);

}  // namespace missionkit::stats
