// What `missionkit run` needs to compute a mission from a contact log: how the data file's columns map
// to contact-log roles, the analysis defaults, how each metric is measured, which experiments to read
// and which control charts to draw. Every section is optional; a spec without them stays valid.
//
// Enumerated values (measure kinds, designs, chart types, periods) are kept as text here and checked by
// validate(), which can name the allowed spellings and point at the line; the loader only checks types.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "missionkit/core/date.hpp"

namespace missionkit::model {

/// An allowed range of a survey score, e.g. csat 1..5.
struct score_scale {
  std::string role;  // csat, nps or ces
  double low = 0;
  double high = 0;
  friend bool operator==(const score_scale&, const score_scale&) = default;
};

/// \brief The top-level `data:` section: how to read the contact log.
struct data_mapping {
  std::string time_zone;  // IANA zone for periods; empty means UTC
  /// contact-log role -> column name, in the order written (roles as ContactLog.from_frame names them).
  std::vector<std::pair<std::string, std::string>> columns;
  std::vector<std::string> channels;  // allowed channel labels; empty means any
  std::vector<score_scale> scales;
  friend bool operator==(const data_mapping&, const data_mapping&) = default;

  /// The column mapped to a role, or nullptr.
  [[nodiscard]] const std::string* column(std::string_view role) const noexcept;
};

/// \brief The top-level `analysis:` section: defaults for every measure, experiment and chart.
struct analysis_settings {
  std::string period = "month";       // day | week | month | quarter | year
  std::vector<std::string> segments;  // groupable roles to break results down by
  double alpha = 0.05;                // 1 - confidence
  int min_n = 30;                     // groups with fewer units are flagged small
  friend bool operator==(const analysis_settings&, const analysis_settings&) = default;
};

/// A measure parameter: text (durations as ISO 8601, dates, labels), a number, a flag, or a list of labels.
using param_value = std::variant<std::string, double, bool, std::vector<std::string>>;

/// \brief How a metric is computed from the contact log: a ContactLog measure method, its keyword
/// arguments, and a filter on the unit contact.
struct measure_spec {
  std::string kind;                                                     // e.g. repeat_rate, fcr, aht
  std::vector<std::pair<std::string, param_value>> params;              // in the order written
  std::vector<std::pair<std::string, std::vector<std::string>>> where;  // dimension -> allowed labels
  friend bool operator==(const measure_spec&, const measure_spec&) = default;
};

/// \brief A metric as an experiment cites it: id and definition version (and, for a guardrail, the
/// largest tolerated harm).
struct metric_ref {
  std::string metric;
  std::string version;
  std::optional<double> margin;  // guardrails: non-inferiority margin
  bool relative = false;         // margin as a fraction of the control value rather than absolute
  friend bool operator==(const metric_ref&, const metric_ref&) = default;
};

struct arm_weight {
  std::string name;
  double weight = 0;
  friend bool operator==(const arm_weight&, const arm_weight&) = default;
};

/// A cluster's go-live date in a staggered rollout.
struct rollout_entry {
  std::string cluster;
  civil_date go_live;
  friend bool operator==(const rollout_entry&, const rollout_entry&) = default;
};

/// \brief An experiment or quasi-experiment to analyse: an A/B test, a stepped wedge, a staggered
/// difference-in-differences or an interrupted time series. Fields not used by a design stay empty.
struct experiment {
  std::string id;
  std::string design;  // ab_test | stepped_wedge | did | its
  std::string hypothesis;
  std::string unit;                 // ab_test: the randomised role (empty means customer)
  std::string salt;                 // ab_test: assignment.salt
  std::vector<arm_weight> arms;     // ab_test: assignment.arms, in the order written
  std::optional<civil_date> start;  // analysis window: contacts starting in [start, end]
  std::optional<civil_date> end;
  std::optional<metric_ref> primary;
  std::vector<metric_ref> secondary;
  std::vector<metric_ref> guardrails;
  std::vector<std::string> segments;       // declared segments for heterogeneous effects
  std::optional<double> alpha;             // default analysis.alpha
  std::optional<double> mde;               // minimum detectable effect, absolute
  std::string cluster;                     // stepped_wedge / did: the groupable role rolled out by
  std::vector<rollout_entry> rollout;      // stepped_wedge / did: cluster label -> go-live
  std::string period;                      // stepped_wedge / did / its: default analysis.period
  std::optional<civil_date> intervention;  // its
  friend bool operator==(const experiment&, const experiment&) = default;
};

/// \brief A statistical process control chart of a metric.
struct control_chart_spec {
  std::string id;
  std::string metric;
  std::string chart;                        // individuals | mr | xbar_r | xbar_s | p | np | c | u
  std::string period;                       // default analysis.period
  std::string by;                           // one chart per label of this groupable role (empty: one chart)
  std::optional<civil_date> baseline_from;  // phase-I window
  std::optional<civil_date> baseline_to;
  std::string rules;  // western_electric | nelson (empty means western_electric)
  friend bool operator==(const control_chart_spec&, const control_chart_spec&) = default;
};

// The vocabularies, in one place so that the loader, validator, docs and Python agree.

/// Contact-log roles (ContactLog.from_frame keyword names).
[[nodiscard]] std::span<const std::string_view> contact_log_roles() noexcept;
/// Roles a measure can be grouped or filtered by.
[[nodiscard]] std::span<const std::string_view> groupable_roles() noexcept;
/// Measure kinds (ContactLog measure method names).
[[nodiscard]] std::span<const std::string_view> measure_kinds() noexcept;
/// The keyword arguments a measure kind accepts in `params` (empty for an unknown kind).
[[nodiscard]] std::span<const std::string_view> measure_params(std::string_view kind) noexcept;
/// Parameters whose value is a duration (ISO 8601 in the spec, seconds in Python).
[[nodiscard]] bool is_duration_param(std::string_view name) noexcept;
[[nodiscard]] std::span<const std::string_view> experiment_designs() noexcept;
[[nodiscard]] std::span<const std::string_view> chart_types() noexcept;
[[nodiscard]] std::span<const std::string_view> chart_rules() noexcept;
[[nodiscard]] std::span<const std::string_view> analysis_periods() noexcept;

}  // namespace missionkit::model
