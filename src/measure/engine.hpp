// Internal machinery shared by the measures: group ids per row, time in one unit, parallel accumulation
// into per-group partial states, and turning states into a measure_table.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "missionkit/core/parallel.hpp"
#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/contact_values.hpp"
#include "missionkit/measure/partial.hpp"
#include "missionkit/measure/table.hpp"

namespace missionkit::measure::detail {

/// Every accepted row's group, and each group's key (dimension codes and period key), groups numbered in
/// key order so that tables come out sorted.
///
/// With a row filter (grouping::where), rows that fail it get group `dropped` and never form a group;
/// `kept` then lists the accepted rows that pass, so per-contact measures walk only those.
struct groups {
  static constexpr std::uint32_t dropped = 0xFFFFFFFFu;
  std::vector<std::uint32_t> of_row;             // indexed by input row; meaningful for accepted rows only
  std::vector<std::vector<std::int32_t>> codes;  // [dimension][group]
  std::vector<period_key> periods;               // [group]
  std::vector<const data::coded_column*> dims;
  std::size_t count = 0;
  bool filtered = false;
  std::vector<std::uint32_t> kept;  // accepted rows passing the filter, ascending (only when filtered)
};

/// Builds the groups of `g` over the log's accepted rows; throws data_error for a dimension that is not
/// a groupable role or is not mapped, and for a filter on an unknown dimension or label.
[[nodiscard]] groups make_groups(const data::contact_log& log, const grouping& g);

/// The rows a per-contact measure counts: the accepted rows, or those that pass the filter.
[[nodiscard]] inline std::span<const std::uint32_t> unit_rows(const data::contact_log& log,
                                                              const groups& gr) noexcept {
  if (gr.filtered) return gr.kept;
  return log.validation().accepted;
}

/// Appends one unit's contribution (a state holding that unit alone) to `out`; a state with no unit in it
/// (a row without a value, a censored episode) is skipped.
void record_unit(unit_values& out, std::uint32_t row, const proportion_state& s);
void record_unit(unit_values& out, std::uint32_t row, const mean_state& s);
void record_unit(unit_values& out, std::uint32_t row, const nps_state& s);
/// Appends `more` to `out`.
void append_units(unit_values& out, const unit_values& more);

/// make_groups, cached in the log: measures over the same grouping share one computation.
[[nodiscard]] std::shared_ptr<const groups> cached_groups(const data::contact_log& log, const grouping& g);

/// The group of each position of log.customer_sorted(), cached in the log like cached_groups; empty when
/// there is a single group and no filter (every position is then group 0). Rows dropped by the filter
/// have group `count`: episode measures size their states count + 1 and discard that last slot, so an
/// episode opened by a dropped contact is walked (it can still be repeated) but never counted.
[[nodiscard]] std::shared_ptr<const std::vector<std::uint32_t>> cached_sorted_groups(
    const data::contact_log& log, const grouping& g);

/// Converts ticks of one time column to ticks of another column's unit, and seconds to ticks.
struct time_base {
  std::int64_t tps = 1'000'000;  // ticks per second of the base (the start column)
  [[nodiscard]] std::int64_t from_seconds(double s) const noexcept {
    return static_cast<std::int64_t>(s * static_cast<double>(tps));
  }
  /// `ticks` from a column with `other_tps` ticks per second, in this base's ticks.
  [[nodiscard]] std::int64_t convert(std::int64_t ticks, std::int64_t other_tps) const noexcept;
};

/// Start and end of each row in the start column's unit; a missing or absent end is the start.
struct contact_times {
  const data::contact_log& log;
  time_base base;
  explicit contact_times(const data::contact_log& l);
  [[nodiscard]] std::int64_t start(std::uint32_t row) const noexcept {
    return log.columns().start.ticks[row];
  }
  [[nodiscard]] std::int64_t end(std::uint32_t row) const noexcept;
};

/// Accumulates fn(state_vector, row) over the accepted (and kept) rows in parallel blocks, merging in block
/// order.
template <typename State, typename Fn>
std::vector<State> accumulate_rows(const data::contact_log& log, const groups& gr, Fn fn) {
  const auto rows = unit_rows(log, gr);
  std::vector<std::vector<State>> partial(block_count(rows.size()), std::vector<State>(gr.count));
  parallel_blocks(rows.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    auto& states = partial[b];
    for (std::size_t i = begin; i < end; ++i) fn(states, rows[i]);
  });
  for (std::size_t b = 1; b < partial.size(); ++b)
    for (std::size_t k = 0; k < gr.count; ++k) partial[0][k] += partial[b][k];
  return std::move(partial[0]);
}

/// A table with the group keys of `gr` filled in and the value columns sized, ready for finish_*.
[[nodiscard]] measure_table start_table(const groups& gr, const grouping& g, std::string measure,
                                        std::string unit);

/// Sizes the value columns of `t` for `rows` groups (NaN values, zero counts).
void reset_values(measure_table& t, std::size_t rows);

/// Fills the value, numerator, denominator, interval, n, censored and small-cell columns from the states.
void finish(measure_table& t, const std::vector<proportion_state>& s, const table_options& o);
void finish(measure_table& t, const std::vector<mean_state>& s, const table_options& o);
void finish(measure_table& t, const std::vector<nps_state>& s, const table_options& o);

/// A measure computed contact by contact: add(state of the row's group, row) for every accepted row.
template <typename State, typename Add>
measure_table per_contact(const data::contact_log& log, const grouping& g, const table_options& t,
                          std::string measure, std::string unit, Add add) {
  const auto groups_ptr = cached_groups(log, g);
  const auto& gr = *groups_ptr;
  std::vector<State> states;
  if (t.units == nullptr) {
    states =
        accumulate_rows<State>(log, gr, [&](auto& s, std::uint32_t row) { add(s[gr.of_row[row]], row); });
  } else {
    // Recording: each row's contribution alone, then into its group (a separate loop keeps the plain
    // path free of the extra work).
    const auto rows = unit_rows(log, gr);
    std::vector<unit_values> recorded(block_count(rows.size()));
    std::vector<std::vector<State>> partial(recorded.size(), std::vector<State>(gr.count));
    parallel_blocks(rows.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        State one;
        add(one, rows[i]);
        partial[b][gr.of_row[rows[i]]] += one;
        record_unit(recorded[b], rows[i], one);
      }
    });
    for (std::size_t b = 1; b < partial.size(); ++b)
      for (std::size_t k = 0; k < gr.count; ++k) partial[0][k] += partial[b][k];
    states = std::move(partial[0]);
    for (const auto& r : recorded) append_units(*t.units, r);
  }
  auto table = start_table(gr, g, std::move(measure), std::move(unit));
  finish(table, states, t);
  return table;
}

}  // namespace missionkit::measure::detail
