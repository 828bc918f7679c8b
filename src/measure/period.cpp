#include "missionkit/measure/period.hpp"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "missionkit/core/error.hpp"

namespace missionkit::measure {

const char* to_string(period_unit u) noexcept {
  switch (u) {
    case period_unit::none:
      return "none";
    case period_unit::day:
      return "day";
    case period_unit::week:
      return "week";
    case period_unit::month:
      return "month";
    case period_unit::quarter:
      return "quarter";
    case period_unit::year:
      return "year";
  }
  return "?";
}

std::optional<period_unit> parse_period_unit(std::string_view s) noexcept {
  for (auto u : {period_unit::none, period_unit::day, period_unit::week, period_unit::month,
                 period_unit::quarter, period_unit::year})
    if (s == to_string(u)) return u;
  return std::nullopt;
}

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// 1970-01-01 was a Thursday; ISO weekday 1 = Monday.
int iso_weekday(std::int64_t days) noexcept { return static_cast<int>(((days + 3) % 7 + 7) % 7) + 1; }

period_key key_of_date(period_unit u, const civil_date& d) noexcept {
  switch (u) {
    case period_unit::none:
      return 0;
    case period_unit::day:
      return static_cast<period_key>(d.days_since_epoch());
    case period_unit::week: {
      const auto days = d.days_since_epoch();
      return static_cast<period_key>(days - (iso_weekday(days) - 1));
    }
    case period_unit::month:
      return d.year * 12 + (d.month - 1);
    case period_unit::quarter:
      return d.year * 4 + (d.month - 1) / 3;
    case period_unit::year:
      return d.year;
  }
  return 0;
}

}  // namespace

std::string period_label(period_unit u, period_key k) {
  char buf[32];
  switch (u) {
    case period_unit::none:
      return "all";
    case period_unit::day:
      return civil_date::from_days(k).to_string();
    case period_unit::week: {
      // The ISO year of a week is the year of its Thursday; the week number counts Thursdays.
      const auto thursday = civil_date::from_days(static_cast<std::int64_t>(k) + 3);
      const auto jan1 = civil_date{thursday.year, 1, 1}.days_since_epoch();
      const auto week = (static_cast<std::int64_t>(k) + 3 - jan1) / 7 + 1;
      std::snprintf(buf, sizeof buf, "%04d-W%02d", thursday.year, static_cast<int>(week));
      return buf;
    }
    case period_unit::month:
      std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(floor_div(k, 12)),
                    static_cast<int>(k - floor_div(k, 12) * 12) + 1);
      return buf;
    case period_unit::quarter:
      std::snprintf(buf, sizeof buf, "%04d-Q%d", static_cast<int>(floor_div(k, 4)),
                    static_cast<int>(k - floor_div(k, 4) * 4) + 1);
      return buf;
    case period_unit::year:
      std::snprintf(buf, sizeof buf, "%04d", k);
      return buf;
  }
  return "?";
}

civil_date period_start(period_unit u, period_key k) {
  switch (u) {
    case period_unit::none:
      return civil_date{};
    case period_unit::day:
    case period_unit::week:
      return civil_date::from_days(k);
    case period_unit::month:
      return civil_date{static_cast<int>(floor_div(k, 12)), static_cast<int>(k - floor_div(k, 12) * 12) + 1,
                        1};
    case period_unit::quarter:
      return civil_date{static_cast<int>(floor_div(k, 4)), static_cast<int>(k - floor_div(k, 4) * 4) * 3 + 1,
                        1};
    case period_unit::year:
      return civil_date{k, 1, 1};
  }
  return civil_date{};
}

struct period_mapper::impl {
  const date::time_zone* zone = nullptr;  // nullptr: UTC, no look-ups at all
  // The cached interval [begin, end) of UTC seconds over which the zone's offset is `offset`.
  std::int64_t begin = 1, end = 0, offset = 0;
  // The cached local day [day_lo, day_hi) in UTC seconds and its period key: consecutive contacts mostly
  // fall on the same day, so most look-ups are two comparisons.
  std::int64_t day_lo = 1, day_hi = 0;
  period_key day_key = 0;
};

period_mapper::period_mapper(period_unit unit, std::string_view time_zone) : unit_(unit), impl_(new impl) {
  if (time_zone.empty() || time_zone == "UTC" || time_zone == "Etc/UTC") return;
  try {
    impl_->zone = date::locate_zone(std::string(time_zone));
  } catch (const std::exception&) {
    throw data_error("time zone '" + std::string(time_zone) +
                     "' is not in the tz database; use an IANA name such as 'Europe/London' or 'UTC'");
  }
}

period_mapper::~period_mapper() = default;
period_mapper::period_mapper(period_mapper&&) noexcept = default;
period_mapper& period_mapper::operator=(period_mapper&&) noexcept = default;

civil_date period_mapper::local_date(std::int64_t utc_seconds) {
  auto& z = *impl_;
  if (z.zone != nullptr && (utc_seconds < z.begin || utc_seconds >= z.end)) {
    const auto info = z.zone->get_info(date::sys_seconds{std::chrono::seconds{utc_seconds}});
    z.begin = info.begin.time_since_epoch().count();
    z.end = info.end.time_since_epoch().count();
    z.offset = info.offset.count();
  }
  const std::int64_t local = utc_seconds + (z.zone ? z.offset : 0);
  return civil_date::from_days(floor_div(local, 86400));
}

period_key period_mapper::key_of_seconds(std::int64_t utc_seconds) {
  if (unit_ == period_unit::none) return 0;
  auto& z = *impl_;
  if (utc_seconds >= z.day_lo && utc_seconds < z.day_hi) return z.day_key;
  const auto date = local_date(utc_seconds);  // refreshes the offset interval
  const std::int64_t offset = z.zone ? z.offset : 0;
  const std::int64_t local_midnight = floor_div(utc_seconds + offset, 86400) * 86400;
  z.day_lo = local_midnight - offset;
  z.day_hi = z.day_lo + 86400;
  if (z.zone) {  // a day that contains an offset change is only cached up to the change
    z.day_lo = std::max(z.day_lo, z.begin);
    z.day_hi = std::min(z.day_hi, z.end);
  }
  z.day_key = key_of_date(unit_, date);
  return z.day_key;
}

}  // namespace missionkit::measure
