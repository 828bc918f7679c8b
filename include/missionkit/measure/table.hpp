// The tidy result of a grouped measure: one row per (dimension codes..., period) group with the value,
// its numerator and denominator, a confidence interval with its method named, and a small-cell flag.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/period.hpp"

namespace missionkit::measure {

/// \brief How to group: by mapped dimensions ("channel", "reason", "queue", "site", "agent") and/or a
/// calendar period of the contact's start, in a time zone.
struct grouping {
  std::vector<std::string> by;
  period_unit period = period_unit::none;
  std::string time_zone = "UTC";
};

/// \brief Interval level and small-cell threshold shared by every measure.
struct table_options {
  double alpha = 0.05;       // 1 - confidence level
  std::uint64_t min_n = 30;  // a group with fewer units than this is flagged small_cell
};

struct measure_table {
  std::string measure;    // e.g. "fcr"
  std::string ci_method;  // e.g. "wilson", "t", "wald (trinomial variance)"
  std::string unit;       // "proportion", "seconds", "score", "currency", "nps points", "contacts"
  std::vector<std::string> by;
  period_unit period = period_unit::none;
  std::vector<data::labels> by_labels;              // labels of each dimension (code -> text)
  std::vector<std::vector<std::int32_t>> by_codes;  // [dimension][row]; -1 = missing
  std::vector<period_key> period_keys;              // [row]
  std::vector<double> value, numerator, denominator, ci_low, ci_high;
  std::vector<std::uint64_t> n;         // units behind the value (contacts, episodes, responses...)
  std::vector<std::uint64_t> censored;  // units left out because their outcome is not yet observable
  std::vector<std::uint8_t> small_cell;

  [[nodiscard]] std::size_t rows() const noexcept { return value.size(); }
};

}  // namespace missionkit::measure
