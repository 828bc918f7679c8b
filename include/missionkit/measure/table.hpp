// The tidy result of a grouped measure: one row per (dimension codes..., period) group with the value,
// its numerator and denominator, a confidence interval with its method named, and a small-cell flag.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/partial.hpp"
#include "missionkit/measure/period.hpp"

namespace missionkit::measure {

/// \brief A row filter: only contacts whose `dimension` label ("channel", "reason", "queue", "site",
/// "agent") is one of `values` count. A contact with no label in that dimension is left out.
struct dimension_filter {
  std::string dimension;
  std::vector<std::string> values;
  friend bool operator==(const dimension_filter&, const dimension_filter&) = default;
};

/// \brief How to group: by mapped dimensions ("channel", "reason", "queue", "site", "agent") and/or a
/// calendar period of the contact's start, in a time zone; and which contacts count at all (`where`:
/// every filter must hold).
///
/// A filter selects the units of a measure: contacts for per-contact measures, and for the episode
/// measures the episode (or issue) whose FIRST contact passes. Repeats are still looked for among all of
/// the customer's contacts, so `where = {{"channel", {"chat"}}}` gives the FCR of chat contacts, a later
/// phone call about the same reason counting as their repeat. An unknown dimension or value is a
/// data_error (a typo must not silently give an empty table).
struct grouping {
  std::vector<std::string> by;
  period_unit period = period_unit::none;
  std::string time_zone = "UTC";
  std::vector<dimension_filter> where;
};

/// The filters in canonical form: sorted by dimension, each one's values sorted and without duplicates,
/// so that equal filters compare equal whatever order they were written in.
[[nodiscard]] std::vector<dimension_filter> canonical_where(std::vector<dimension_filter> where);

struct unit_values;  // contact_values.hpp

/// \brief Interval level and small-cell threshold shared by every measure.
struct table_options {
  double alpha = 0.05;       // 1 - confidence level
  std::uint64_t min_n = 30;  // a group with fewer units than this is flagged small_cell
  /// When set, the measure also appends every unit's own contribution here (see contact_values.hpp);
  /// the table itself is unchanged.
  unit_values* units = nullptr;
};

struct measure_table {
  std::string measure;    // e.g. "fcr"
  std::string ci_method;  // e.g. "wilson", "t", "wald (trinomial variance)"
  std::string unit;       // "proportion", "seconds", "score", "currency", "nps points", "contacts"
  std::vector<std::string> by;
  period_unit period = period_unit::none;
  /// The row filter the table was computed under, in canonical form (canonical_where). Tables merge only
  /// when their filters are equal.
  std::vector<dimension_filter> where;
  /// Episode measures: the end of observation used for censoring (seconds since the epoch). Partitions
  /// merge only when they used the same one: pass data_end explicitly when computing per partition.
  std::optional<double> data_end_s;
  std::vector<data::labels> by_labels;              // labels of each dimension (code -> text)
  std::vector<std::vector<std::int32_t>> by_codes;  // [dimension][row]; -1 = missing
  std::vector<period_key> period_keys;              // [row]
  std::vector<double> value, numerator, denominator, ci_low, ci_high;
  std::vector<std::uint64_t> n;         // units behind the value (contacts, episodes, responses...)
  std::vector<std::uint64_t> censored;  // units left out because their outcome is not yet observable
  std::vector<std::uint8_t> small_cell;

  /// The exact partial state behind each row (one of the three vectors is filled, per `kind`), so that
  /// tables computed on separate partitions can be merged without losing a bit (see merge.hpp).
  enum class state_kind : std::uint8_t { proportion, mean, nps };
  state_kind kind = state_kind::proportion;
  std::vector<proportion_state> proportions;
  std::vector<mean_state> means;
  std::vector<nps_state> nps_counts;

  [[nodiscard]] std::size_t rows() const noexcept { return value.size(); }
};

}  // namespace missionkit::measure
