// Merging measure tables computed on separate partitions of the data (chunks, threads, Spark
// partitions), and a versioned text form of a table so that partial results can travel between
// processes. Episode measures (FCR, repeats, resolution, containment) merge correctly when every
// customer's contacts are in one partition (partition by customer); per-contact measures merge across
// any split.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "missionkit/measure/table.hpp"

namespace missionkit::measure {

/// \brief Combines tables of the same measure: rows with the same dimension labels and period are merged
/// by adding their exact partial states, then values and intervals are recomputed at `t`'s level.
/// Throws missionkit::data_error when the tables are of different measures, groupings, periods or row
/// filters (where).
[[nodiscard]] measure_table merge(const std::vector<measure_table>& parts, const table_options& t = {});

/// \brief A table as JSON with its exact states (128-bit sums as decimal strings): format version 1, or 2
/// when the table was computed under a row filter (version 2 adds "where").
[[nodiscard]] std::string to_json(const measure_table& table);
/// \brief The inverse of to_json; values and intervals are recomputed at `t`'s level. Throws
/// missionkit::data_error for text that is not a version-1 or version-2 measure table.
[[nodiscard]] measure_table table_from_json(std::string_view text, const table_options& t = {});

}  // namespace missionkit::measure
