#include <gtest/gtest.h>

#include "missionkit/core/date.hpp"

using missionkit::civil_date;
using missionkit::parse_date;
using missionkit::parse_duration;

TEST(Date, EpochAndKnownDays) {
  // Oracle: Python's datetime.date(2026, 11, 25).toordinal() - date(1970, 1, 1).toordinal() == 20782.
  EXPECT_EQ((civil_date{1970, 1, 1}.days_since_epoch()), 0);
  EXPECT_EQ((civil_date{2026, 11, 25}.days_since_epoch()), 20782);
  EXPECT_EQ((civil_date{2000, 2, 29}.days_since_epoch()), 11016);
  EXPECT_EQ((civil_date{1969, 12, 31}.days_since_epoch()), -1);
  for (std::int64_t d = -800000; d < 800000; d += 997) {
    EXPECT_EQ(civil_date::from_days(d).days_since_epoch(), d);
  }
}

TEST(Date, ParseStrict) {
  EXPECT_EQ(parse_date("2024-02-29"), (civil_date{2024, 2, 29}));
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2026-13-01"));
  EXPECT_FALSE(parse_date("2026-1-01"));
  EXPECT_FALSE(parse_date("2026-01-01T00:00"));
  EXPECT_FALSE(parse_date("yesterday"));
  EXPECT_EQ(parse_date("2026-04-30")->to_string(), "2026-04-30");
}

TEST(Duration, ParseAndRoundTrip) {
  EXPECT_DOUBLE_EQ(parse_duration("P14D")->days, 14);
  EXPECT_DOUBLE_EQ(parse_duration("PT48H")->approx_seconds(), 48 * 3600.0);
  auto d = parse_duration("P1M2DT3H4M5.5S");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_string(), "P1M2DT3H4M5.5S");
  EXPECT_EQ(parse_duration(d->to_string()), d);
  EXPECT_DOUBLE_EQ(parse_duration("P2W")->approx_seconds(), 14 * 86400.0);
  for (const char* bad : {"P", "PT", "14D", "P14", "PT5D", "P1D2Y", "P-1D", "P1DT", "two weeks", "P1H"})
    EXPECT_FALSE(parse_duration(bad)) << bad;
}
