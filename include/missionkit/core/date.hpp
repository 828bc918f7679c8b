// Calendar dates and ISO-8601 durations as the mission spec writes them. Dates are proleptic
// Gregorian civil dates with no time zone: a definition "effective_from: 2026-03-01" means that
// calendar day wherever the data is, which is what a metric owner means when they write it.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace missionkit {

/// \brief A civil (calendar) date, year-month-day.
struct civil_date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31, valid for the month

  friend auto operator<=>(const civil_date&, const civil_date&) = default;
  friend bool operator==(const civil_date&, const civil_date&) = default;

  /// Days since 1970-01-01 (negative before). Howard Hinnant's days_from_civil algorithm.
  [[nodiscard]] std::int64_t days_since_epoch() const noexcept;
  /// The inverse of days_since_epoch().
  [[nodiscard]] static civil_date from_days(std::int64_t days) noexcept;
  /// "YYYY-MM-DD".
  [[nodiscard]] std::string to_string() const;
};

/// \brief Parses "YYYY-MM-DD" strictly (four-digit year, real calendar day); std::nullopt otherwise.
[[nodiscard]] std::optional<civil_date> parse_date(std::string_view text) noexcept;

/// \brief An ISO-8601 duration such as "P14D", "PT48H", "P1M2DT3H", "P2W".
///
/// Calendar parts (years, months) have no fixed length, so approx_seconds() uses the ISO 8601 / XSD
/// convention of 365.2425-day years and 30.436875-day months; exact arithmetic needs a start date.
struct iso_duration {
  double years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0;

  friend bool operator==(const iso_duration&, const iso_duration&) = default;
  [[nodiscard]] double approx_seconds() const noexcept;
  /// Canonical text, e.g. "P1DT12H"; round-trips through parse_duration().
  [[nodiscard]] std::string to_string() const;
};

/// \brief Parses an ISO-8601 duration ("P" followed by nY nM nW nD, then "T" nH nM nS); std::nullopt
/// for anything else, including "P" alone, "PT" and negative values. "P0D" parses (the mission
/// linter, not the parser, says a zero time to value makes no sense).
[[nodiscard]] std::optional<iso_duration> parse_duration(std::string_view text) noexcept;

}  // namespace missionkit
