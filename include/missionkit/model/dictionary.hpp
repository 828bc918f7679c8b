// The data dictionary: which definition of a metric was in force on a date, and where a series
// crosses a definition change (a comparability break that a chart must mark).
#pragma once

#include <optional>
#include <vector>

#include "missionkit/core/date.hpp"
#include "missionkit/model/metric.hpp"

namespace missionkit::model {

/// \brief The definition in force on `on`: the one with the latest effective_from <= on, or
/// nullptr when the metric had no definition yet. Definitions need not be sorted.
[[nodiscard]] const definition* definition_at(const metric& m, const civil_date& on) noexcept;

/// \brief A version change inside a reporting range.
struct comparability_break {
  civil_date on;             // the first day of the new definition
  std::string from_version;  // in force the day before
  std::string to_version;    // in force from `on`
  std::string change_note;
  friend bool operator==(const comparability_break&, const comparability_break&) = default;
};

/// \brief Every definition change with first..last (inclusive) strictly after `first`: a series over
/// that range compares numbers computed under different rules at each of these dates.
[[nodiscard]] std::vector<comparability_break> comparability_breaks(const metric& m, const civil_date& first,
                                                                    const civil_date& last);

}  // namespace missionkit::model
