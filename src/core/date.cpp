#include "missionkit/core/date.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace missionkit {

namespace {

constexpr bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(int y, int m) noexcept {
  constexpr int table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : table[m - 1];
}

bool parse_int(std::string_view s, int& out) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

// Shortest text for a duration component: integers without a decimal point.
std::string number_text(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, p) : std::string("0");
}

}  // namespace

// Hinnant, "chrono-Compatible Low-Level Date Algorithms" (days_from_civil / civil_from_days).
std::int64_t civil_date::days_since_epoch() const noexcept {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

civil_date civil_date::from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return civil_date{y, m, d};
}

std::string civil_date::to_string() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::optional<civil_date> parse_date(std::string_view t) noexcept {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!parse_int(t.substr(0, 4), y) || !parse_int(t.substr(5, 2), m) || !parse_int(t.substr(8, 2), d))
    return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return civil_date{y, m, d};
}

double iso_duration::approx_seconds() const noexcept {
  constexpr double day = 86400.0;
  return years * 365.2425 * day + months * 30.436875 * day + weeks * 7 * day + days * day + hours * 3600.0 +
         minutes * 60.0 + seconds;
}

std::string iso_duration::to_string() const {
  std::string out = "P";
  auto put = [&out](double v, char unit) {
    if (v != 0) out += number_text(v) + unit;
  };
  put(years, 'Y');
  put(months, 'M');
  put(weeks, 'W');
  put(days, 'D');
  if (hours != 0 || minutes != 0 || seconds != 0) {
    out += 'T';
    put(hours, 'H');
    put(minutes, 'M');
    put(seconds, 'S');
  }
  if (out == "P") out = "P0D";
  return out;
}

std::optional<iso_duration> parse_duration(std::string_view t) noexcept {
  if (t.size() < 3 || t[0] != 'P') return std::nullopt;
  iso_duration d;
  bool in_time = false, any = false;
  // Designators must appear in this order; each at most once.
  const std::string_view date_order = "YMWD", time_order = "HMS";
  std::size_t date_pos = 0, time_pos = 0;
  std::size_t i = 1;
  while (i < t.size()) {
    if (t[i] == 'T') {
      if (in_time || i + 1 == t.size()) return std::nullopt;
      in_time = true;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < t.size() && ((t[j] >= '0' && t[j] <= '9') || t[j] == '.' || t[j] == ',')) ++j;
    if (j == i || j == t.size()) return std::nullopt;
    std::string num(t.substr(i, j - i));
    for (char& c : num)
      if (c == ',') c = '.';  // ISO 8601 allows a decimal comma
    double v = 0;
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
    if (ec != std::errc{} || p != num.data() + num.size() || !std::isfinite(v)) return std::nullopt;
    const char unit = t[j];
    const std::string_view order = in_time ? time_order : date_order;
    std::size_t& pos = in_time ? time_pos : date_pos;
    const auto k = order.find(unit, pos);
    if (k == std::string_view::npos) return std::nullopt;
    pos = k + 1;
    if (!in_time) {
      (unit == 'Y' ? d.years : unit == 'M' ? d.months : unit == 'W' ? d.weeks : d.days) = v;
    } else {
      (unit == 'H' ? d.hours : unit == 'M' ? d.minutes : d.seconds) = v;
    }
    any = true;
    i = j + 1;
  }
  if (!any) return std::nullopt;
  return d;
}

}  // namespace missionkit
