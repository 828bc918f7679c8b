// The data dictionary: the definition in force on a date, and the breaks a series crosses.
#include <gtest/gtest.h>

#include "missionkit/model/dictionary.hpp"

namespace mm = missionkit::model;
using missionkit::civil_date;

namespace {

// Deliberately out of order: the functions must not rely on the list being sorted.
mm::metric versioned() {
  mm::metric m;
  m.id = "card_working_5d";
  m.definitions = {{"2", {2026, 4, 1}, "wallets count", "Apple/Google Pay launch"},
                   {"1", {2025, 1, 1}, "first use within 5 days", "first definition"},
                   {"3", {2026, 10, 1}, "7 days", "longer window"}};
  return m;
}

}  // namespace

TEST(Dictionary, DefinitionAtPicksTheLatestStartedVersion) {
  const auto m = versioned();
  EXPECT_EQ(mm::definition_at(m, {2024, 12, 31}), nullptr);
  EXPECT_EQ(mm::definition_at(m, {2025, 1, 1})->version, "1");
  EXPECT_EQ(mm::definition_at(m, {2026, 3, 31})->version, "1");
  EXPECT_EQ(mm::definition_at(m, {2026, 4, 1})->version, "2");
  EXPECT_EQ(mm::definition_at(m, {2026, 9, 30})->version, "2");
  EXPECT_EQ(mm::definition_at(m, {2030, 1, 1})->version, "3");
  EXPECT_EQ(mm::definition_at(mm::metric{}, {2030, 1, 1}), nullptr);
}

TEST(Dictionary, BreaksInsideTheRangeInDateOrder) {
  const auto m = versioned();
  const auto breaks = mm::comparability_breaks(m, {2025, 1, 1}, {2026, 12, 31});
  ASSERT_EQ(breaks.size(), 2u);
  EXPECT_EQ(breaks[0], (mm::comparability_break{{2026, 4, 1}, "1", "2", "Apple/Google Pay launch"}));
  EXPECT_EQ(breaks[1], (mm::comparability_break{{2026, 10, 1}, "2", "3", "longer window"}));
}

TEST(Dictionary, RangeIsHalfOpenAtTheStart) {
  const auto m = versioned();
  // A change on `first` is not a break: the whole series is under the new rule.
  EXPECT_TRUE(mm::comparability_breaks(m, {2026, 4, 1}, {2026, 9, 30}).empty());
  // A change on `last` is: the last day is computed under a different rule from the rest.
  const auto on_last = mm::comparability_breaks(m, {2026, 3, 1}, {2026, 4, 1});
  ASSERT_EQ(on_last.size(), 1u);
  EXPECT_EQ(on_last[0].to_version, "2");
  EXPECT_TRUE(mm::comparability_breaks(m, {2026, 12, 31}, {2025, 1, 1}).empty());
}

TEST(Dictionary, FirstDefinitionBreaksFromNothing) {
  const auto breaks = mm::comparability_breaks(versioned(), {2024, 6, 1}, {2026, 5, 1});
  ASSERT_EQ(breaks.size(), 2u);
  EXPECT_EQ(breaks[0].on, (civil_date{2025, 1, 1}));
  EXPECT_EQ(breaks[0].from_version, "");
  EXPECT_EQ(breaks[0].to_version, "1");
  EXPECT_EQ(breaks[1].from_version, "1");
}
