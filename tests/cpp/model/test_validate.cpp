// validate(): one test per check, each asserting the path, the severity and a key phrase of the
// message. The specs are built in code so that these tests do not depend on the YAML loader; the
// tests at the end go through parse_spec to check that issues carry the line of their path.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/model/spec.hpp"

namespace mm = missionkit::model;
using missionkit::civil_date;
using mm::severity;

namespace {

mm::metric make_metric(std::string id, mm::tier t, mm::direction d, mm::lens l = mm::lens::customer) {
  mm::metric m;
  m.id = std::move(id);
  m.name = "Metric " + m.id;
  m.tier = t;
  m.lens = l;
  m.unit = "ratio";
  m.direction = d;
  m.owner = "Owner of " + m.id;
  m.source = "warehouse." + m.id;
  m.definitions.push_back({"1", {2025, 1, 1}, "rule of " + m.id, "first definition"});
  return m;
}

mm::key_result make_kr(std::string metric, std::string version, double baseline, double target) {
  mm::key_result kr;
  kr.metric = std::move(metric);
  kr.metric_version = std::move(version);
  kr.baseline = baseline;
  kr.target = target;
  kr.due = {2026, 12, 31};
  return kr;
}

// A small version of examples/missions/bank_card_replacement.yaml that passes every check. Metric
// indices: 0 card_working_5d (the north star), 1 repeat_contact_7d, 2 fcr_7d, 3 dispatch_hours,
// 4 service_level (control, in the tree), 5 fraud_loss_bp (control, outside the tree).
mm::spec clean_spec() {
  mm::spec s;
  s.mission = {"Card replacement without chasing",
               "Retail current-account holders who report a lost debit card",
               "They cannot pay until a replacement card arrives",
               "Pay with a working replacement card without contacting us again",
               "P5D",
               "card_working_5d"};
  using mm::direction;
  using mm::tier;
  s.metrics.push_back(make_metric("card_working_5d", tier::outcome, direction::increase));
  s.metrics[0].definitions.push_back({"2", {2026, 4, 1}, "as version 1, wallets count", "wallet launch"});
  s.metrics.push_back(make_metric("repeat_contact_7d", tier::driver, direction::decrease));
  s.metrics.push_back(make_metric("fcr_7d", tier::driver, direction::increase));
  s.metrics.push_back(make_metric("dispatch_hours", tier::driver, direction::decrease, mm::lens::business));
  s.metrics.push_back(make_metric("service_level", tier::control, direction::increase, mm::lens::business));
  s.metrics.push_back(make_metric("fraud_loss_bp", tier::control, direction::decrease, mm::lens::risk));

  using mm::edge_kind;
  s.tree = {{"repeat_contact_7d", "card_working_5d", edge_kind::influence, -1},
            {"fcr_7d", "card_working_5d", edge_kind::influence, 1},
            {"dispatch_hours", "card_working_5d", edge_kind::influence, -1},
            {"service_level", "fcr_7d", edge_kind::influence, 1}};

  mm::objective o{"Replacement cards just work, first time", "Head of Card Servicing", {}};
  o.key_results.push_back(make_kr("card_working_5d", "2", 0.71, 0.82));
  o.key_results[0].stretch = 0.88;
  o.key_results.push_back(make_kr("repeat_contact_7d", "1", 0.24, 0.16));
  s.okrs.push_back(o);

  s.hoshin.breakthroughs = {{"B1", "Cards that never leave a customer stranded"}};
  s.hoshin.annual = {{"A1", "Cut card repeat contacts by a third"}};
  s.hoshin.priorities = {{"P1", "Proactive dispatch notifications"}};
  s.hoshin.metrics = {"repeat_contact_7d"};
  s.hoshin.owners = {{"O1", "Card Operations Manager"}};
  s.hoshin.cells = {{"B1", "A1", mm::correlation::strong},
                    {"A1", "P1", mm::correlation::strong},
                    {"P1", "repeat_contact_7d", mm::correlation::strong},
                    {"P1", "O1", mm::correlation::medium}};

  s.blueprint.name = "Replace a lost card";
  mm::blueprint_stage wait{"wait", "Wait for the card", {}, {}, {}, {}};
  wait.customer.push_back({"Calls to chase the card", {"repeat_contact_7d"}, true});
  wait.backstage.push_back({"Bureau posts the card", {"dispatch_hours"}, false});
  s.blueprint.stages.push_back(wait);

  s.logic_model.inputs = {"Notification service"};
  s.logic_model.activities.push_back({"notify",
                                      "Send dispatch notifications",
                                      {"notifications sent"},
                                      {"repeat_contact_7d"},
                                      {"card_working_5d"},
                                      "Customers who know where their card is do not call"});

  mm::work_item w1;
  w1.id = "W1";
  w1.title = "Why do customers chase?";
  w1.framework = mm::framework::crisp_dm;
  w1.stage = "data_preparation";
  w1.owner = "CX Analytics";
  w1.evidence["business_understanding"] = {{"business_objectives", "Reduce chasing"},
                                           {"success_criteria", "repeat contact 0.24 -> 0.16"}};
  w1.evidence["data_understanding"] = {{"data_description", "contact_log 2025"},
                                       {"data_quality_report", "docs/dq.html"}};
  s.work.push_back(w1);

  mm::work_item w2;
  w2.id = "W2";
  w2.title = "Weekly chase-call review";
  w2.framework = mm::framework::ooda;
  w2.stage = "orient";
  w2.cycle = 3;
  w2.evidence["observe"] = {{"observations", "chase calls up 8% after bureau outage"}};
  s.work.push_back(w2);
  return s;
}

std::string dump(const std::vector<mm::issue>& issues) {
  std::string out;
  for (const auto& i : issues) out += "\n  " + i.to_string();
  return out;
}

// Asserts an issue with this path and severity whose message contains `phrase`; returns it.
const mm::issue* expect_issue(const std::vector<mm::issue>& issues, std::string_view path, severity sev,
                              std::string_view phrase) {
  const auto it = std::find_if(issues.begin(), issues.end(), [&](const mm::issue& i) {
    return i.path == path && i.severity == sev && i.message.find(phrase) != std::string::npos;
  });
  if (it == issues.end()) {
    ADD_FAILURE() << "no " << mm::to_string(sev) << " at '" << path << "' containing '" << phrase
                  << "'; got:" << dump(issues);
    return nullptr;
  }
  return &*it;
}

// Asserts that `s` has exactly one issue, with this path, severity and phrase.
void expect_only(const mm::spec& s, std::string_view path, severity sev, std::string_view phrase) {
  const auto issues = mm::validate(s);
  EXPECT_EQ(issues.size(), 1u) << dump(issues);
  expect_issue(issues, path, sev, phrase);
}

}  // namespace

// ------------------------------------------------------------------------------------------------------
// The whole

TEST(Validate, CleanSpecHasNoIssues) {
  const auto issues = mm::validate(clean_spec());
  EXPECT_TRUE(issues.empty()) << dump(issues);
}

TEST(Validate, ReportsEveryProblemNotJustTheFirst) {
  mm::spec s = clean_spec();
  s.mission.time_to_value = "two weeks";           // 1: not a duration
  s.metrics[2].owner.clear();                      // 2: no owner
  s.tree[1].to = "card_working_5";                 // 3: unknown metric
  s.okrs[0].key_results[1].target = 0.24;          // 4: target == baseline
  s.work[0].stage = "modelling";                   // 5: not a CRISP-DM stage
  s.logic_model.activities[0].assumption.clear();  // 6: a warning
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 7u) << dump(issues);  // 3 also leaves fcr_7d with no path to the north star
  expect_issue(issues, "mission.time_to_value", severity::error, "not an ISO-8601 duration");
  expect_issue(issues, "metrics[2].owner", severity::error, "has no owner");
  expect_issue(issues, "tree[1].to", severity::error, "did you mean 'card_working_5d'");
  expect_issue(issues, "metrics[2]", severity::warning, "no path to the north star");
  expect_issue(issues, "okrs[0].key_results[1].target", severity::error, "equal to its baseline");
  expect_issue(issues, "work[0].stage", severity::error, "not a stage of crisp_dm");
  expect_issue(issues, "logic_model.activities[0].assumption", severity::warning, "no assumption");
  EXPECT_TRUE(mm::has_errors(issues));
}

TEST(Validate, LoadIssuesComeFirstAndHideTheirConsequences) {
  mm::spec s = clean_spec();
  s.metrics[1].owner.clear();
  s.metrics[2].owner.clear();
  // The loader could not read metrics[2].owner (say it was a list); "has no owner" would restate that.
  s.load_issues.push_back({"metrics[2].owner", severity::error, "expected text, got a sequence", 40, 12});
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 2u) << dump(issues);
  EXPECT_EQ(issues[0], s.load_issues[0]);
  EXPECT_EQ(issues[1].path, "metrics[1].owner");
}

TEST(Validate, AttachesLineOfPathOrNearestAncestor) {
  mm::spec s = clean_spec();
  s.metrics[1].owner.clear();
  s.tree[3].sign = 0;
  s.positions["metrics[1]"] = {30, 5};
  s.positions["tree[3]"] = {88, 5};
  s.positions["tree[3].sign"] = {88, 60};
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 2u) << dump(issues);
  const auto* owner = expect_issue(issues, "metrics[1].owner", severity::error, "no owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->line, 30);  // no "owner:" key in the file: the metric's own line
  EXPECT_EQ(owner->column, 5);
  const auto* sign = expect_issue(issues, "tree[3].sign", severity::error, "has no sign");
  ASSERT_NE(sign, nullptr);
  EXPECT_EQ(sign->line, 88);
  EXPECT_EQ(sign->column, 60);
}

// ------------------------------------------------------------------------------------------------------
// Mission linter

TEST(ValidateMission, EachMissingPartIsAnError) {
  const std::pair<std::string mm::mission::*, std::string> parts[] = {
      {&mm::mission::segment, "segment"},
      {&mm::mission::situation, "situation"},
      {&mm::mission::desired_progress, "desired_progress"},
      {&mm::mission::time_to_value, "time_to_value"},
  };
  for (const auto& [member, field] : parts) {
    mm::spec s = clean_spec();
    s.mission.*member = "  ";
    expect_only(s, "mission." + field, severity::error, "the mission has no");
  }
  mm::spec s = clean_spec();
  s.mission.outcome.clear();
  // Without a north star there is nothing to be orphaned from, so the outcome error stands alone.
  expect_only(s, "mission.outcome", severity::error, "the mission has no outcome");
}

TEST(ValidateMission, TimeToValueMustBeANonZeroDuration) {
  mm::spec s = clean_spec();
  s.mission.time_to_value = "two weeks";
  expect_only(s, "mission.time_to_value", severity::error, "'two weeks' is not an ISO-8601 duration");
  s.mission.time_to_value = "P0D";
  expect_only(s, "mission.time_to_value", severity::error, "is zero");
  s.mission.time_to_value = "PT0H0M";
  expect_only(s, "mission.time_to_value", severity::error, "is zero");
}

TEST(ValidateMission, OutcomeMustBeAKnownOutcomeMetric) {
  mm::spec s = clean_spec();
  s.mission.outcome = "card_working_5";
  expect_only(s, "mission.outcome", severity::error,
              "the mission's outcome 'card_working_5' is not a metric (did you mean 'card_working_5d'?)");

  s = clean_spec();
  s.metrics[0].tier = mm::tier::driver;
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 2u) << dump(issues);  // the logic model names it as an outcome too
  expect_issue(issues, "mission.outcome", severity::error,
               "is a driver metric; the north star must be tier outcome");
  expect_issue(issues, "logic_model.activities[0].outcomes[0]", severity::error, "not an outcome");
}

TEST(ValidateMission, VagueTextIsAWarning) {
  mm::spec s = clean_spec();
  s.mission.segment = "All customers.";
  expect_only(s, "mission.segment", severity::warning, "'All customers.' is generic");
  s.mission.segment = "TBD";
  expect_only(s, "mission.segment", severity::warning, "is generic");
  s = clean_spec();
  s.mission.situation = "card lost";
  expect_only(s, "mission.situation", severity::warning, "too short to be specific");
  s = clean_spec();
  s.mission.desired_progress = "faster resolution";
  expect_only(s, "mission.desired_progress", severity::warning, "too short to be specific");
}

TEST(ValidateMission, MissingNameIsAWarning) {
  mm::spec s = clean_spec();
  s.mission.name.clear();
  expect_only(s, "mission.name", severity::warning, "has no name");
}

// ------------------------------------------------------------------------------------------------------
// Metrics

TEST(ValidateMetrics, MissingOwnerIsAnErrorWithTheDocumentedMessage) {
  mm::spec s = clean_spec();
  s.metrics[3].owner.clear();
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 1u) << dump(issues);
  EXPECT_EQ(
      issues[0].to_string(),
      "metrics[3].owner: error: metric 'dispatch_hours' has no owner; name the accountable person or team");
}

TEST(ValidateMetrics, MissingNameUnitSourceAreWarnings) {
  mm::spec s = clean_spec();
  s.metrics[1].name.clear();
  s.metrics[1].unit.clear();
  s.metrics[1].source.clear();
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 3u) << dump(issues);
  expect_issue(issues, "metrics[1].name", severity::warning, "has no name");
  expect_issue(issues, "metrics[1].unit", severity::warning, "has no unit");
  expect_issue(issues, "metrics[1].source", severity::warning, "has no source");
}

TEST(ValidateMetrics, IdMustMatchTheFormat) {
  mm::spec s = clean_spec();
  s.metrics[5].id = "Fraud-Loss";  // a control outside the tree, so nothing else refers to it
  expect_only(s, "metrics[5].id", severity::error, "is not a valid id; use lower-case letters");
  EXPECT_NE(mm::validate(s)[0].message.find("e.g. 'fraud_loss'"), std::string::npos);
  s.metrics[5].id = "9lives";
  expect_only(s, "metrics[5].id", severity::error, "'9lives' is not a valid id");
  s.metrics[5].id.clear();
  expect_only(s, "metrics[5].id", severity::error, "has no id");
}

TEST(ValidateMetrics, DefinitionsAreRequired) {
  mm::spec s = clean_spec();
  s.metrics[5].definitions.clear();
  expect_only(s, "metrics[5].definitions", severity::error, "has no definition");
}

TEST(ValidateMetrics, DuplicateEffectiveFromIsAnError) {
  mm::spec s = clean_spec();
  s.metrics[5].definitions.push_back({"2", {2025, 1, 1}, "another rule", "oops"});
  expect_only(s, "metrics[5].definitions[1].effective_from", severity::error,
              "the same day as definitions[0]");
}

TEST(ValidateMetrics, DefinitionsOutOfOrderAreAWarning) {
  mm::spec s = clean_spec();
  std::swap(s.metrics[0].definitions[0], s.metrics[0].definitions[1]);
  expect_only(s, "metrics[0].definitions[1]", severity::warning, "list definitions oldest first");
}

TEST(ValidateMetrics, EmptyRuleAndVersionAreErrors) {
  mm::spec s = clean_spec();
  s.metrics[5].definitions[0].rule = " ";
  expect_only(s, "metrics[5].definitions[0].rule", severity::error, "has an empty rule");
  s = clean_spec();
  s.metrics[5].definitions[0].version.clear();
  expect_only(s, "metrics[5].definitions[0].version", severity::error, "has no version");
}

TEST(ValidateMetrics, RiskLensOutcomeIsAccepted) {
  // Outcomes that matter to a regulator (fewer customers in financial difficulty) are legitimate
  // north stars; docs/model.md says why this is not a warning.
  mm::spec s = clean_spec();
  s.metrics[0].lens = mm::lens::risk;
  s.metrics[0].heart = mm::heart::task_success;
  EXPECT_TRUE(mm::validate(s).empty());
}

// ------------------------------------------------------------------------------------------------------
// Tree

TEST(ValidateTree, NorthStarMustNotPointAnywhere) {
  mm::spec s = clean_spec();
  s.tree.push_back({"card_working_5d", "fcr_7d", mm::edge_kind::influence, 1});
  // Reported once, as a root problem, not again as a cascade break or a cycle.
  expect_only(s, "tree[4]", severity::error, "the north star 'card_working_5d' has an edge to 'fcr_7d'");
}

TEST(ValidateTree, UnknownEndpointsSuggestTheNearestId) {
  mm::spec s = clean_spec();
  s.tree[3].from = "service_levle";
  s.tree[3].to = "nothing_like_it";
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 2u) << dump(issues);  // service_level is a control: no orphan warning
  expect_issue(issues, "tree[3].from", severity::error,
               "'service_levle' is not a metric (did you mean 'service_level'?)");
  const auto* to = expect_issue(issues, "tree[3].to", severity::error, "'nothing_like_it' is not a metric;");
  ASSERT_NE(to, nullptr);
  EXPECT_EQ(to->message.find("did you mean"), std::string::npos);
}

TEST(ValidateTree, SelfLoopIsAnError) {
  mm::spec s = clean_spec();
  s.tree.push_back({"fcr_7d", "fcr_7d", mm::edge_kind::influence, 1});
  expect_only(s, "tree[4]", severity::error, "points at itself");
}

TEST(ValidateTree, DuplicateEdgeIsAnError) {
  mm::spec s = clean_spec();
  s.tree.push_back({"fcr_7d", "card_working_5d", mm::edge_kind::formula, 0});
  expect_only(s, "tree[4]", severity::error, "edge 'fcr_7d' -> 'card_working_5d' repeats tree[1]");
}

TEST(ValidateTree, CycleIsNamedAsAPath) {
  mm::spec s = clean_spec();
  s.tree.push_back({"repeat_contact_7d", "fcr_7d", mm::edge_kind::influence, -1});
  s.tree.push_back({"fcr_7d", "repeat_contact_7d", mm::edge_kind::influence, -1});
  expect_only(s, "tree[5]", severity::error, "cycle: repeat_contact_7d -> fcr_7d -> repeat_contact_7d");
}

TEST(ValidateTree, LongerCycleIsReportedOnce) {
  mm::spec s = clean_spec();
  s.metrics.push_back(make_metric("aht", mm::tier::driver, mm::direction::decrease));  // metrics[6]
  s.tree.push_back({"fcr_7d", "dispatch_hours", mm::edge_kind::influence, -1});
  s.tree.push_back({"dispatch_hours", "aht", mm::edge_kind::influence, 1});
  s.tree.push_back({"aht", "fcr_7d", mm::edge_kind::influence, -1});
  expect_only(s, "tree[6]", severity::error, "cycle: fcr_7d -> dispatch_hours -> aht -> fcr_7d");
}

TEST(ValidateTree, TiersMustCascade) {
  mm::spec s = clean_spec();
  s.tree.push_back({"dispatch_hours", "fraud_loss_bp", mm::edge_kind::influence, 1});
  expect_only(s, "tree[4]", severity::error, "is a driver pointing at a control, which breaks the cascade");

  s = clean_spec();
  s.metrics.push_back(make_metric("nps_card", mm::tier::outcome, mm::direction::increase));
  s.tree.push_back({"nps_card", "fcr_7d", mm::edge_kind::influence, 1});
  expect_only(s, "tree[4]", severity::error, "is an outcome pointing at a driver");

  // Controls feed drivers (tree[3]) and outcomes may feed outcomes: neither is reported.
  s = clean_spec();
  s.metrics.push_back(make_metric("nps_card", mm::tier::outcome, mm::direction::increase));
  s.tree.push_back({"nps_card", "card_working_5d", mm::edge_kind::influence, 1});
  EXPECT_TRUE(mm::validate(s).empty()) << dump(mm::validate(s));
}

TEST(ValidateTree, InfluenceEdgeNeedsASignFormulaDoesNot) {
  mm::spec s = clean_spec();
  s.tree[2].sign = 0;
  expect_only(s, "tree[2].sign", severity::error,
              "influence edge 'dispatch_hours' -> 'card_working_5d' has no sign");
  s.tree[2].kind = mm::edge_kind::formula;
  EXPECT_TRUE(mm::validate(s).empty());
  s.tree[2].sign = 2;
  expect_only(s, "tree[2].sign", severity::error, "use 1 or -1");
}

TEST(ValidateTree, DriversAndOutcomesOffTheTreeAreOrphans) {
  mm::spec s = clean_spec();
  s.metrics.push_back(make_metric("aht", mm::tier::driver, mm::direction::decrease));        // metrics[6]
  s.metrics.push_back(make_metric("nps_card", mm::tier::outcome, mm::direction::increase));  // metrics[7]
  s.metrics.push_back(make_metric("sl_guard", mm::tier::control, mm::direction::increase));  // exempt
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 2u) << dump(issues);
  expect_issue(issues, "metrics[6]", severity::warning,
               "driver 'aht' has no path to the north star 'card_working_5d'");
  expect_issue(issues, "metrics[7]", severity::warning, "outcome 'nps_card' has no path to the north star");
}

TEST(ValidateTree, OrphanReachesOnlyThroughSoundEdges) {
  // An edge into a metric that does not reach the north star does not rescue its source.
  mm::spec s = clean_spec();
  s.metrics.push_back(make_metric("aht", mm::tier::driver, mm::direction::decrease));
  s.metrics.push_back(make_metric("talk_time", mm::tier::driver, mm::direction::decrease));
  s.tree.push_back({"talk_time", "aht", mm::edge_kind::formula, 0});
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 2u) << dump(issues);
  expect_issue(issues, "metrics[6]", severity::warning, "'aht' has no path");
  expect_issue(issues, "metrics[7]", severity::warning, "'talk_time' has no path");
}

TEST(ValidateTree, SprawlBeyondTheLimitIsAWarning) {
  mm::spec s = clean_spec();
  s.settings.max_drivers_per_outcome = 2;
  expect_only(s, "metrics[0]", severity::warning,
              "'card_working_5d' has 3 direct drivers, more than settings.max_drivers_per_outcome (2)");
  s.settings.max_drivers_per_outcome = 3;
  EXPECT_TRUE(mm::validate(s).empty());
  s.settings.max_drivers_per_outcome = 0;
  expect_only(s, "settings.max_drivers_per_outcome", severity::error, "must be at least 1");
}

// ------------------------------------------------------------------------------------------------------
// OKRs

TEST(ValidateOkrs, ObjectiveNeedsTextAndKeyResults) {
  mm::spec s = clean_spec();
  s.okrs[0].objective.clear();
  expect_only(s, "okrs[0].objective", severity::error, "has no text");
  s = clean_spec();
  s.okrs[0].key_results.clear();
  expect_only(s, "okrs[0].key_results", severity::error, "has no key results");
  s = clean_spec();
  s.okrs[0].owner.clear();
  expect_only(s, "okrs[0].owner", severity::warning, "has no owner");
}

TEST(ValidateOkrs, MoreThanFiveKeyResultsIsAWarning) {
  mm::spec s = clean_spec();
  while (s.okrs[0].key_results.size() < 6) s.okrs[0].key_results.push_back(s.okrs[0].key_results[1]);
  expect_only(s, "okrs[0].key_results", severity::warning, "has 6 key results; keep to 5 or fewer");
}

TEST(ValidateOkrs, KeyResultMetricMustExist) {
  mm::spec s = clean_spec();
  s.okrs[0].key_results[1].metric = "repeat_contacts_7d";
  expect_only(s, "okrs[0].key_results[1].metric", severity::error, "did you mean 'repeat_contact_7d'");
}

TEST(ValidateOkrs, VersionMustBeOneOfTheMetricsDefinitions) {
  mm::spec s = clean_spec();
  s.okrs[0].key_results[0].metric_version = "3";
  expect_only(s, "okrs[0].key_results[0].metric_version", severity::error,
              "cites version '3', which the metric does not have; use one of '1', '2'");
}

TEST(ValidateOkrs, VersionIsRequired) {
  mm::spec s = clean_spec();
  s.okrs[0].key_results[1].metric_version.clear();
  expect_only(s, "okrs[0].key_results[1].metric_version", severity::error,
              "names no definition version; add metric_version: one of '1'");
}

TEST(ValidateOkrs, NumbersMustBeFinite) {
  mm::spec s = clean_spec();
  s.okrs[0].key_results[1].baseline = std::numeric_limits<double>::quiet_NaN();
  expect_only(s, "okrs[0].key_results[1]", severity::error, "not a finite number");
}

TEST(ValidateOkrs, VersionNotInForceAtTheDueDateIsAWarning) {
  mm::spec s = clean_spec();
  s.okrs[0].key_results[0].metric_version = "1";  // version 2 takes over on 2026-04-01
  expect_only(s, "okrs[0].key_results[0].metric_version", severity::warning,
              "version '2' is in force on its due date 2026-12-31");
  s.okrs[0].key_results[0].due = {2026, 3, 31};  // due before the change: comparable
  EXPECT_TRUE(mm::validate(s).empty());
  s.okrs[0].key_results[0].due = {2024, 6, 30};  // before any definition
  expect_only(s, "okrs[0].key_results[0].due", severity::warning, "before any definition");
}

TEST(ValidateOkrs, TargetMustMoveTheRightWay) {
  mm::spec s = clean_spec();
  s.okrs[0].key_results[1].target = 0.24;
  expect_only(s, "okrs[0].key_results[1].target", severity::error, "equal to its baseline");
  s.okrs[0].key_results[1].target = 0.30;  // repeat contact is better when it decreases
  expect_only(s, "okrs[0].key_results[1].target", severity::error,
              "aims to raise it from 0.24 to 0.3, but 'repeat_contact_7d' is better when it decreases");
  s = clean_spec();
  s.okrs[0].key_results[0].target = 0.6;
  s.okrs[0].key_results[0].stretch.reset();
  expect_only(s, "okrs[0].key_results[0].target", severity::error, "is better when it increases");
}

TEST(ValidateOkrs, StretchMustLieBeyondTheTarget) {
  mm::spec s = clean_spec();
  s.okrs[0].key_results[0].stretch = 0.80;  // target 0.82
  expect_only(s, "okrs[0].key_results[0].stretch", severity::error,
              "stretch 0.8, which is not beyond target 0.82");
  s.okrs[0].key_results[0].stretch = 0.82;
  expect_only(s, "okrs[0].key_results[0].stretch", severity::error, "not beyond target");
  s.okrs[0].key_results[1].stretch = 0.12;  // decreasing: beyond means lower
  s.okrs[0].key_results[0].stretch = 0.9;
  EXPECT_TRUE(mm::validate(s).empty());
}

// ------------------------------------------------------------------------------------------------------
// Hoshin X-matrix

TEST(ValidateHoshin, EmptyMatrixIsNotChecked) {
  mm::spec s = clean_spec();
  s.hoshin = {};
  EXPECT_TRUE(mm::validate(s).empty());
}

TEST(ValidateHoshin, CellEndpointsMustExist) {
  mm::spec s = clean_spec();
  s.hoshin.cells[3].to = "O2";
  const auto issues = mm::validate(s);
  expect_issue(issues, "hoshin.cells[3].to", severity::error,
               "cell names 'O2', which is not an X-matrix item or metric (did you mean 'O1'?)");
  // Consequences: P1 now has no owner, so A1 is not served, and O1 resources nothing.
  expect_issue(issues, "hoshin.annual[0]", severity::error,
               "none of its priorities ('P1') has both a metric and an owner");
  expect_issue(issues, "hoshin.owners[0]", severity::warning, "resources no priority");
  EXPECT_EQ(issues.size(), 3u) << dump(issues);
}

TEST(ValidateHoshin, CellPairMustBeOneOfTheFour) {
  mm::spec s = clean_spec();
  s.hoshin.cells.push_back({"B1", "P1", mm::correlation::weak});
  expect_only(
      s, "hoshin.cells[4]", severity::error,
      "is a breakthrough-priority pair, which the X-matrix does not have; cells tie breakthrough-annual");
  s = clean_spec();
  s.hoshin.cells[1] = {"P1", "A1", mm::correlation::strong};
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 3u) << dump(issues);  // the cell does not count, so A1 and P1 are unlinked
  expect_issue(issues, "hoshin.cells[1]", severity::error, "write it the other way round: from: A1, to: P1");
  expect_issue(issues, "hoshin.annual[0]", severity::error, "'A1' has no improvement priority");
  expect_issue(issues, "hoshin.priorities[0]", severity::warning, "'P1' serves no annual objective");
}

TEST(ValidateHoshin, MatrixMetricsMustBeMetricsWithCells) {
  mm::spec s = clean_spec();
  s.hoshin.metrics.push_back("fcr7d");
  expect_only(s, "hoshin.metrics[1]", severity::error, "'fcr7d' is not a metric (did you mean 'fcr_7d'?)");
  s.hoshin.metrics[1] = "fcr_7d";
  expect_only(s, "hoshin.metrics[1]", severity::warning, "'fcr_7d' has no cell");
  s.hoshin.metrics.pop_back();
  s.hoshin.cells.push_back({"P1", "fcr_7d", mm::correlation::weak});
  expect_only(s, "hoshin.cells[4]", severity::warning, "which hoshin.metrics does not list");
}

TEST(ValidateHoshin, EveryAnnualObjectiveNeedsAMeasuredResourcedPriority) {
  mm::spec s = clean_spec();
  s.hoshin.annual.push_back({"A2", "Half of replacements self-served"});
  s.hoshin.cells.push_back({"B1", "A2", mm::correlation::medium});
  expect_only(s, "hoshin.annual[1]", severity::error, "annual objective 'A2' has no improvement priority");

  s.hoshin.priorities.push_back({"P2", "In-app replacement"});
  s.hoshin.cells.push_back({"A2", "P2", mm::correlation::strong});
  s.hoshin.cells.push_back({"P2", "O1", mm::correlation::strong});  // an owner but no metric
  expect_only(s, "hoshin.annual[1]", severity::error,
              "annual objective 'A2': none of its priorities ('P2') has both a metric and an owner");

  s.hoshin.cells.push_back({"P2", "repeat_contact_7d", mm::correlation::weak});
  EXPECT_TRUE(mm::validate(s).empty()) << dump(mm::validate(s));
}

TEST(ValidateHoshin, UnlinkedItemsAreWarnings) {
  mm::spec s = clean_spec();
  s.hoshin.breakthroughs.push_back({"B2", "Zero lost-card fraud"});
  expect_only(s, "hoshin.breakthroughs[1]", severity::warning, "'B2' has no annual objective");
  s = clean_spec();
  s.hoshin.priorities.push_back({"P9", "Nice to have"});
  expect_only(s, "hoshin.priorities[1]", severity::warning, "'P9' serves no annual objective");
  s = clean_spec();
  s.hoshin.owners.push_back({"O9", "Nobody in particular"});
  expect_only(s, "hoshin.owners[1]", severity::warning, "'O9' resources no priority");
}

// ------------------------------------------------------------------------------------------------------
// Blueprint

TEST(ValidateBlueprint, StagesAndCustomerActionsAreExpected) {
  mm::spec s = clean_spec();
  s.blueprint.stages.clear();
  expect_only(s, "blueprint.stages", severity::warning, "has no stages");
  s = clean_spec();
  s.blueprint.stages[0].customer.clear();
  expect_only(s, "blueprint.stages[0].customer", severity::warning, "'wait' has no customer actions");
  s = clean_spec();
  s.blueprint = {};
  EXPECT_TRUE(mm::validate(s).empty());
}

TEST(ValidateBlueprint, StepMetricMustExist) {
  mm::spec s = clean_spec();
  s.blueprint.stages[0].backstage[0].metrics.push_back("dispatch_hrs");
  expect_only(s, "blueprint.stages[0].backstage[0].metrics[1]", severity::error,
              "'dispatch_hrs' is not a metric (did you mean 'dispatch_hours'?)");
}

// ------------------------------------------------------------------------------------------------------
// Logic model

TEST(ValidateLogicModel, DriversMustBeDriverMetrics) {
  mm::spec s = clean_spec();
  s.logic_model.activities[0].drivers = {"card_working_5d", "repeat_contact", "repeat_contact_7d"};
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 2u) << dump(issues);
  expect_issue(issues, "logic_model.activities[0].drivers[0]", severity::error,
               "'card_working_5d' is an outcome metric, not a driver");
  expect_issue(issues, "logic_model.activities[0].drivers[1]", severity::error,
               "'repeat_contact' is not a metric");
}

TEST(ValidateLogicModel, OutcomesMustBeOutcomeMetrics) {
  mm::spec s = clean_spec();
  s.logic_model.activities[0].outcomes = {"fcr_7d", "card_working"};
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 2u) << dump(issues);
  expect_issue(issues, "logic_model.activities[0].outcomes[0]", severity::error,
               "'fcr_7d' is a driver metric, not an outcome");
  expect_issue(issues, "logic_model.activities[0].outcomes[1]", severity::error,
               "did you mean 'card_working_5d'");
}

TEST(ValidateLogicModel, DriversAndAssumptionAreExpected) {
  mm::spec s = clean_spec();
  s.logic_model.activities[0].drivers.clear();
  expect_only(s, "logic_model.activities[0].drivers", severity::warning, "'notify' names no driver metric");
  s = clean_spec();
  s.logic_model.activities[0].assumption.clear();
  expect_only(s, "logic_model.activities[0].assumption", severity::warning, "has no assumption");
}

// ------------------------------------------------------------------------------------------------------
// Work items

TEST(ValidateWork, StageMustBelongToTheFramework) {
  mm::spec s = clean_spec();
  s.work[1].stage = "decision";
  expect_only(
      s, "work[1].stage", severity::error,
      "item 'W2' is at 'decision', which is not a stage of ooda; use one of observe, orient, decide, act");
}

TEST(ValidateWork, EveryEarlierStageNeedsItsExitEvidence) {
  mm::spec s = clean_spec();
  s.work[0].stage = "modeling";
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 1u) << dump(issues);
  EXPECT_EQ(issues[0].to_string(),
            "work[0]: error: item 'W1' is at 'modeling' but stage 'data_preparation' lacks exit evidence "
            "'dataset_description'; record it under work[0].evidence.data_preparation.dataset_description");

  s.work[0].evidence["business_understanding"]["success_criteria"] = "";  // empty counts as missing
  const auto more = mm::validate(s);
  ASSERT_EQ(more.size(), 2u) << dump(more);
  expect_issue(more, "work[0]", severity::error,
               "stage 'business_understanding' lacks exit evidence 'success_criteria'");
}

TEST(ValidateWork, EvidenceForAForeignStageIsAnError) {
  mm::spec s = clean_spec();
  s.work[1].evidence["measure"]["baseline"] = "31 h";
  expect_only(s, "work[1].evidence.measure", severity::error, "'measure', which is not a stage of ooda");
}

TEST(ValidateWork, CycleRules) {
  mm::spec s = clean_spec();
  s.work[1].cycle = 0;
  expect_only(s, "work[1].cycle", severity::error, "cycles count from 1");
  s = clean_spec();
  s.work[0].cycle = 2;
  expect_only(s, "work[0].cycle", severity::error, "crisp_dm is linear and has no cycles");
}

// ------------------------------------------------------------------------------------------------------
// Through the loader: the example validates clean, and issues carry the line of their path.

TEST(ValidateYaml, BankCardExampleHasNoIssues) {
  const auto s =
      mm::load_spec(std::string(MISSIONKIT_SOURCE_DIR) + "/examples/missions/bank_card_replacement.yaml");
  const auto issues = mm::validate(s);
  EXPECT_TRUE(issues.empty()) << dump(issues);
}

TEST(ValidateYaml, MissingOwnerPointsAtTheMetricsLine) {
  const char* text = R"(spec_version: "1"
mission:
  name: Card replacement
  segment: Retail customers who report a lost debit card
  situation: They cannot pay until a replacement arrives
  desired_progress: Pay with a working card without calling again
  time_to_value: P5D
  outcome: card_ok
metrics:
  - id: card_ok
    name: Card working in 5 days
    tier: outcome
    lens: customer
    unit: ratio
    direction: increase
    owner: Head of Cards
    source: cards_dw
    definitions:
      - {version: "1", effective_from: 2025-01-01, rule: share of cards used within 5 days}
  - id: fcr_7d
    name: First contact resolution
    tier: driver
    lens: customer
    unit: ratio
    direction: increase
    source: contact_log
    definitions:
      - {version: "1", effective_from: 2025-01-01, rule: no repeat within 7 days}
tree:
  - {from: fcr_7d, to: card_okk, kind: influence, sign: 1}
)";
  const auto s = mm::parse_spec(text);
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 3u) << dump(issues);
  const auto* owner = expect_issue(issues, "metrics[1].owner", severity::error, "'fcr_7d' has no owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->line, 20);  // no owner key: the line of "- id: fcr_7d"
  const auto* to = expect_issue(issues, "tree[0].to", severity::error, "did you mean 'card_ok'");
  ASSERT_NE(to, nullptr);
  EXPECT_EQ(to->line, 30);
  EXPECT_GT(to->column, 1);
  const auto* orphan = expect_issue(issues, "metrics[1]", severity::warning, "no path to the north star");
  ASSERT_NE(orphan, nullptr);
  EXPECT_EQ(orphan->line, 20);
}

TEST(ValidateYaml, WorkEvidenceIssuePointsAtTheItem) {
  const char* text = R"(mission:
  name: Card replacement
  segment: Retail customers who report a lost debit card
  situation: They cannot pay until a replacement arrives
  desired_progress: Pay with a working card without calling again
  time_to_value: P5D
  outcome: card_ok
metrics:
  - id: card_ok
    name: Card working in 5 days
    tier: outcome
    lens: customer
    unit: ratio
    direction: increase
    owner: Head of Cards
    source: cards_dw
    definitions:
      - {version: "1", effective_from: 2025-01-01, rule: share of cards used within 5 days}
work:
  - id: W2
    title: Dispatch delay
    framework: dmaic
    stage: analyze
    cycle: 1
    evidence:
      define: {charter: signed 2026-03-02, ctq: dispatched within 24 h}
      measure:
        baseline: median 31 h
      improve:
        solution: early
)";
  const auto s = mm::parse_spec(text);
  const auto issues = mm::validate(s);
  ASSERT_EQ(issues.size(), 1u) << dump(issues);
  EXPECT_EQ(issues[0].path, "work[0]");
  EXPECT_EQ(issues[0].line, 20);
  EXPECT_NE(issues[0].message.find("stage 'measure' lacks exit evidence 'msa'"), std::string::npos);
  EXPECT_EQ(issues[0].to_string().rfind("line 20: work[0]: error: ", 0), 0u) << issues[0].to_string();
}
