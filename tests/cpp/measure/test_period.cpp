#include <gtest/gtest.h>

#include "missionkit/core/error.hpp"
#include "missionkit/measure/period.hpp"

using missionkit::measure::period_label;
using missionkit::measure::period_mapper;
using missionkit::measure::period_start;
using missionkit::measure::period_unit;

namespace {
// Seconds since the epoch of a UTC wall-clock time (oracle: Python's calendar.timegm).
constexpr std::int64_t t_2026_03_31_2330 = 1774999800;  // 2026-03-31T23:30:00Z
constexpr std::int64_t t_2025_12_29_1200 = 1767009600;  // 2025-12-29T12:00:00Z, a Monday
constexpr std::int64_t t_2026_03_29_0030 =
    1774744200;  // 2026-03-29T00:30:00Z (UK clocks go forward at 01:00Z)
constexpr std::int64_t t_2026_03_29_0130 = 1774747800;  // 2026-03-29T01:30:00Z
}  // namespace

TEST(MeasurePeriod, UtcKeysAndLabels) {
  period_mapper month(period_unit::month, "UTC");
  EXPECT_EQ(period_label(period_unit::month, month.key_of_seconds(t_2026_03_31_2330)), "2026-03");
  period_mapper quarter(period_unit::quarter, "UTC");
  EXPECT_EQ(period_label(period_unit::quarter, quarter.key_of_seconds(t_2026_03_31_2330)), "2026-Q1");
  period_mapper day(period_unit::day, "UTC");
  EXPECT_EQ(period_label(period_unit::day, day.key_of_seconds(t_2026_03_31_2330)), "2026-03-31");
  period_mapper year(period_unit::year, "");
  EXPECT_EQ(period_label(period_unit::year, year.key_of_seconds(0)), "1970");
}

TEST(MeasurePeriod, IsoWeeksCrossTheYear) {
  // Oracle: datetime.date(2025, 12, 29).isocalendar() == (2026, 1, 1); date(2021, 1, 3) is in 2020-W53.
  period_mapper week(period_unit::week, "UTC");
  const auto k = week.key_of_seconds(t_2025_12_29_1200);
  EXPECT_EQ(period_label(period_unit::week, k), "2026-W01");
  EXPECT_EQ(period_start(period_unit::week, k), (missionkit::civil_date{2025, 12, 29}));
  EXPECT_EQ(period_label(period_unit::week, week.key_of_seconds(1609675200)), "2020-W53");  // 2021-01-03T12Z
  // Sunday 2026-01-04 belongs to the same ISO week as Monday 2025-12-29.
  EXPECT_EQ(week.key_of_seconds(t_2025_12_29_1200 + 6 * 86400), k);
  EXPECT_NE(week.key_of_seconds(t_2025_12_29_1200 + 7 * 86400), k);
}

TEST(MeasurePeriod, TimeZonesMoveContactsAcrossMonthsAndFollowDst) {
  // 23:30Z on 31 March is 02:30 on 1 April in Helsinki (UTC+3 in summer) and 19:30 on 31 March in New York.
  period_mapper helsinki(period_unit::month, "Europe/Helsinki");
  EXPECT_EQ(period_label(period_unit::month, helsinki.key_of_seconds(t_2026_03_31_2330)), "2026-04");
  period_mapper new_york(period_unit::month, "America/New_York");
  EXPECT_EQ(period_label(period_unit::month, new_york.key_of_seconds(t_2026_03_31_2330)), "2026-03");
  // London: 00:30Z on 29 March 2026 is 00:30 GMT; 01:30Z is 02:30 BST. 23:30Z on 28 March is still the 28th.
  period_mapper london(period_unit::day, "Europe/London");
  EXPECT_EQ(london.local_date(t_2026_03_29_0030), (missionkit::civil_date{2026, 3, 29}));
  EXPECT_EQ(london.local_date(t_2026_03_29_0130), (missionkit::civil_date{2026, 3, 29}));
  EXPECT_EQ(london.local_date(t_2026_03_29_0030 - 3600), (missionkit::civil_date{2026, 3, 28}));
  // In summer, 23:30Z is already the next day in London.
  EXPECT_EQ(london.local_date(t_2026_03_31_2330), (missionkit::civil_date{2026, 4, 1}));
}

TEST(MeasurePeriod, UnknownZoneIsADataError) {
  EXPECT_THROW(period_mapper(period_unit::day, "Mars/Olympus_Mons"), missionkit::data_error);
}
