// mission::sentence(): the five parts read back as one sentence.
#include <gtest/gtest.h>

#include "missionkit/model/mission.hpp"

namespace mm = missionkit::model;

namespace {

mm::mission make(std::string ttv) {
  return {"Card replacement",
          "Retail current-account holders",
          "Have lost their debit card",
          "Pay with a working card.",
          std::move(ttv),
          "card_working_5d"};
}

}  // namespace

TEST(MissionSentence, FiveParts) {
  EXPECT_EQ(make("P5D").sentence(),
            "For retail current-account holders who have lost their debit card: pay with a working card, "
            "within 5 days, measured by card_working_5d.");
}

TEST(MissionSentence, DurationsInWords) {
  const std::pair<const char*, const char*> cases[] = {
      {"PT48H", "48 hours"},
      {"P2W", "2 weeks"},
      {"P1D", "1 day"},
      {"P1DT12H", "1 day and 12 hours"},
      {"P1Y2M3D", "1 year, 2 months and 3 days"},
      {"P1.5D", "1.5 days"},
      {"PT30M", "30 minutes"},
      {"P0D", "0 days"},
      {"soon", "soon"},  // not a duration: shown as written (the linter reports it)
  };
  for (const auto& [iso, words] : cases) {
    const std::string s = make(iso).sentence();
    EXPECT_NE(s.find(std::string(", within ") + words + ", measured by"), std::string::npos)
        << iso << ": " << s;
  }
}

TEST(MissionSentence, KeepsAcronymsAndAvoidsADoubleWho) {
  mm::mission m = make("P14D");
  m.segment = "SME owners with a business card";
  m.situation = "who are travelling abroad";
  EXPECT_EQ(
      m.sentence(),
      "For SME owners with a business card who are travelling abroad: pay with a working card, within 14 "
      "days, measured by card_working_5d.");
}

TEST(MissionSentence, SituationWrittenAboutTheSegmentBecomesAClause) {
  mm::mission m = make("P10D");
  m.situation = "They cannot pay until a replacement card arrives.";
  EXPECT_EQ(m.sentence(),
            "For retail current-account holders who cannot pay until a replacement card arrives: pay with a "
            "working card, within 10 days, measured by card_working_5d.");
}

TEST(MissionSentence, MissingPartsAreMarked) {
  const mm::mission m;
  EXPECT_EQ(m.sentence(),
            "For [segment?] who [situation?]: [desired progress?], within [time to value?], measured by "
            "[outcome?].");
}
