// Lifecycle stages, exit evidence and advance(): success, failure, and the strong guarantee.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/model/lifecycle.hpp"

namespace mm = missionkit::model;
using mm::framework;

namespace {

std::vector<std::string> names(framework f) {
  std::vector<std::string> out;
  for (const auto& s : mm::stages(f)) out.emplace_back(s.name);
  return out;
}

mm::work_item crisp_item() {
  mm::work_item w;
  w.id = "W1";
  w.title = "Why do customers chase?";
  w.framework = framework::crisp_dm;
  w.stage = "business_understanding";
  return w;
}

// The message of the spec_error that `f` throws ("" when it throws nothing).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const missionkit::spec_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Lifecycle, FrameworkNamesRoundTrip) {
  for (framework f : {framework::crisp_dm, framework::dmaic, framework::ooda})
    EXPECT_EQ(mm::parse_framework(mm::to_string(f)), f);
  EXPECT_FALSE(mm::parse_framework("CRISP-DM"));
  EXPECT_FALSE(mm::parse_framework(""));
}

TEST(Lifecycle, StagesInOrder) {
  EXPECT_EQ(names(framework::crisp_dm),
            (std::vector<std::string>{"business_understanding", "data_understanding", "data_preparation",
                                      "modeling", "evaluation", "deployment"}));
  EXPECT_EQ(names(framework::dmaic),
            (std::vector<std::string>{"define", "measure", "analyze", "improve", "control"}));
  EXPECT_EQ(names(framework::ooda), (std::vector<std::string>{"observe", "orient", "decide", "act"}));
  EXPECT_EQ(mm::stage_index(framework::crisp_dm, "modeling"), 3u);
  EXPECT_EQ(mm::stage_index(framework::dmaic, "control"), 4u);
  EXPECT_FALSE(mm::stage_index(framework::dmaic, "modeling"));
}

TEST(Lifecycle, ExitEvidenceTables) {
  const auto crisp = mm::stages(framework::crisp_dm);
  ASSERT_EQ(crisp[1].exit_evidence.size(), 2u);
  EXPECT_EQ(crisp[1].exit_evidence[0], "data_description");
  EXPECT_EQ(crisp[1].exit_evidence[1], "data_quality_report");
  EXPECT_EQ(crisp[5].exit_evidence[1], "monitoring_plan");
  const auto dmaic = mm::stages(framework::dmaic);
  EXPECT_EQ(dmaic[1].exit_evidence[1], "msa");
  EXPECT_EQ(dmaic[4].exit_evidence[0], "control_plan");
  for (framework f : {framework::crisp_dm, framework::dmaic, framework::ooda})
    for (const auto& s : mm::stages(f)) EXPECT_FALSE(s.exit_evidence.empty()) << s.name;
}

TEST(Lifecycle, MissingEvidenceTreatsEmptyTextAsMissing) {
  auto w = crisp_item();
  EXPECT_EQ(mm::missing_evidence(w, "business_understanding"),
            (std::vector<std::string>{"business_objectives", "success_criteria"}));
  w.evidence["business_understanding"] = {{"business_objectives", "cut chasing"}, {"success_criteria", ""}};
  EXPECT_EQ(mm::missing_evidence(w, "business_understanding"),
            (std::vector<std::string>{"success_criteria"}));
  EXPECT_NE(error_of([&] {
              (void)mm::missing_evidence(w, "modelling");
            }).find("'modelling' is not a stage of crisp_dm"),
            std::string::npos);
}

TEST(Lifecycle, AdvanceRecordsEvidenceAndMovesOn) {
  auto w = crisp_item();
  w.evidence["business_understanding"]["business_objectives"] = "cut chasing";  // recorded earlier
  mm::advance(w, {{"success_criteria", "repeat contact 0.24 -> 0.16"}});
  EXPECT_EQ(w.stage, "data_understanding");
  EXPECT_EQ(w.cycle, 1);
  EXPECT_EQ(w.evidence["business_understanding"]["business_objectives"], "cut chasing");
  EXPECT_EQ(w.evidence["business_understanding"]["success_criteria"], "repeat contact 0.24 -> 0.16");
}

TEST(Lifecycle, AdvanceFailsWithoutEvidenceAndLeavesTheItemUnchanged) {
  auto w = crisp_item();
  w.evidence["business_understanding"]["business_objectives"] = "old text";
  const auto before = w;
  const std::string message = error_of([&] { mm::advance(w, {{"business_objectives", "new text"}}); });
  EXPECT_NE(message.find("work item 'W1' cannot leave stage 'business_understanding'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("'success_criteria'"), std::string::npos) << message;
  EXPECT_EQ(message.find("'business_objectives'"), std::string::npos) << message;  // supplied: not missing
  EXPECT_EQ(w, before);  // the merged evidence was not kept either

  const std::string none = error_of([&] { mm::advance(w); });
  EXPECT_NE(none.find("missing exit evidence 'success_criteria'"), std::string::npos) << none;
}

TEST(Lifecycle, AdvanceNamesEveryMissingArtefact) {
  auto w = crisp_item();
  const std::string message = error_of([&] { mm::advance(w); });
  EXPECT_NE(message.find("missing exit evidence 'business_objectives', 'success_criteria'; record them"),
            std::string::npos)
      << message;
}

TEST(Lifecycle, LinearFrameworkStopsAtItsLastStage) {
  mm::work_item w;
  w.id = "W2";
  w.framework = framework::dmaic;
  w.stage = "define";
  const std::vector<std::map<std::string, std::string>> evidence = {
      {{"charter", "signed"}, {"ctq", "dispatch < 24 h"}},
      {{"baseline", "31 h"}, {"msa", "gauge R&R"}},
      {{"root_causes", "bureau batch cut-off"}},
      {{"solution", "two cut-offs a day"}, {"pilot_results", "median 19 h"}}};
  for (const auto& e : evidence) mm::advance(w, e);
  EXPECT_EQ(w.stage, "control");
  const auto before = w;
  const std::string message = error_of([&] { mm::advance(w, {{"control_plan", "weekly SPC"}}); });
  EXPECT_NE(message.find("already at 'control', the last dmaic stage"), std::string::npos) << message;
  EXPECT_EQ(w, before);
}

TEST(Lifecycle, UnknownCurrentStageIsAnError) {
  auto w = crisp_item();
  w.stage = "scoping";
  const auto before = w;
  EXPECT_NE(error_of([&] { mm::advance(w); }).find("current stage 'scoping' is not a stage of crisp_dm"),
            std::string::npos);
  EXPECT_EQ(w, before);
}

TEST(Lifecycle, OodaLoopsBackToObserveAndCountsTheCycle) {
  mm::work_item w;
  w.id = "L1";
  w.framework = framework::ooda;
  w.stage = "observe";
  mm::advance(w, {{"observations", "chase calls up 8%"}});
  mm::advance(w, {{"assessment", "bureau outage"}});
  mm::advance(w, {{"decision", "push a delay notice"}});
  EXPECT_EQ(w.stage, "act");
  EXPECT_EQ(w.cycle, 1);
  mm::advance(w, {{"action_result", "notice sent; calls back to normal"}});
  EXPECT_EQ(w.stage, "observe");
  EXPECT_EQ(w.cycle, 2);
  // The new loop must earn its own evidence.
  EXPECT_TRUE(w.evidence.empty());
  EXPECT_THROW(mm::advance(w), missionkit::spec_error);
  EXPECT_EQ(w.cycle, 2);
}
