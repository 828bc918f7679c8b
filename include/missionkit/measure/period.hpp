// Calendar periods in a time zone: which day, ISO week, month, quarter or year a UTC instant falls in,
// as a local wall-clock reader would say. A contact at 23:30 UTC on 31 March is in April in Helsinki.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/core/date.hpp"

namespace missionkit::measure {

/// none: one period for everything. week: ISO 8601 weeks, Monday to Sunday, labelled with the ISO
/// week-numbering year ("2026-W01" can start in December 2025).
enum class period_unit { none, day, week, month, quarter, year };
[[nodiscard]] const char* to_string(period_unit u) noexcept;
[[nodiscard]] std::optional<period_unit> parse_period_unit(std::string_view s) noexcept;

/// \brief A period as an integer key that sorts in time order: days since 1970-01-01 for day, the
/// Monday's days since 1970-01-01 for week, year*12 + month-1 for month, year*4 + quarter-1 for quarter,
/// the year for year, 0 for none.
using period_key = std::int32_t;

/// "2026-03-15", "2026-W11", "2026-03", "2026-Q1", "2026", or "all" for none.
[[nodiscard]] std::string period_label(period_unit u, period_key k);
/// First local calendar day of the period (1970-01-01 for none).
[[nodiscard]] civil_date period_start(period_unit u, period_key k);

/// \brief Maps UTC instants to period keys in one IANA time zone ("UTC", "Europe/London", ...).
///
/// Fast on sorted or clustered input: it caches the zone's current offset interval and looks the zone
/// up again only when an instant falls outside it (a DST change), so a year of contacts costs a few
/// dozen look-ups, not one per row. Not thread-safe: use one per thread.
class period_mapper {
 public:
  /// Throws missionkit::data_error naming the zone when it is not in the tz database.
  period_mapper(period_unit unit, std::string_view time_zone);
  ~period_mapper();
  period_mapper(period_mapper&&) noexcept;
  period_mapper& operator=(period_mapper&&) noexcept;

  [[nodiscard]] period_unit unit() const noexcept { return unit_; }
  /// The key of an instant given as seconds since the epoch (floor for negative fractions).
  [[nodiscard]] period_key key_of_seconds(std::int64_t utc_seconds);
  /// The local calendar date of an instant.
  [[nodiscard]] civil_date local_date(std::int64_t utc_seconds);

 private:
  struct impl;
  period_unit unit_;
  std::unique_ptr<impl> impl_;
};

}  // namespace missionkit::measure
