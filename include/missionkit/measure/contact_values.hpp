// Per-unit values of a measure: one entry per unit that counts in it (a contact, an episode, an issue, a
// survey response), with that unit's own numerator and denominator. Unit-level analyses need them: an A/B
// test randomised by customer clusters on the customer, a stepped-wedge design on its cells, and both
// start from the units, not from the aggregate table.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "missionkit/measure/table.hpp"

namespace missionkit::measure {

/// \brief The units of a measure and their contributions, ordered by row.
///
/// Proportions: numerator 0 or 1, denominator 1. Means: numerator the value (rounded to 1e-6 units, as
/// the measure's exact sums hold it), denominator 1. NPS: numerator +100 (promoter), 0 (passive) or -100
/// (detractor), denominator 1, so that the mean of the numerators is the score. Units the measure leaves
/// out (censored episodes under the default censoring, rows without a value) are not listed.
///
/// Invariant: summing numerator and denominator over the units of any group gives the measure's
/// numerator and denominator for that group (for NPS, 100 x the table's promoters - detractors).
struct unit_values {
  std::string measure;             // as in measure_table::measure, e.g. "fcr"
  std::string unit;                // as in measure_table::unit
  std::vector<std::uint32_t> row;  // input row of the unit's (first) contact
  std::vector<double> numerator, denominator;
  [[nodiscard]] std::size_t size() const noexcept { return row.size(); }
};

/// A measure call with its options bound, e.g.
/// `[&](const grouping& g, const table_options& t) { return fcr(log, opt, g, t); }`.
using measure_call = std::function<measure_table(const grouping&, const table_options&)>;

/// \brief The per-unit values of `measure` over the contacts that pass `where` (see grouping::where).
///
/// Runs the measure once, ungrouped, recording each unit as it is counted, so the values agree with the
/// measure by construction. Memory O(units); threads as the measure's. Throws what the measure throws.
[[nodiscard]] unit_values contact_values(const measure_call& measure,
                                         const std::vector<dimension_filter>& where = {});

}  // namespace missionkit::measure
