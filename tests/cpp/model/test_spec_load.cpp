// Loading mission specs: the reference example, and every class of problem the loader must report with
// its path and line instead of throwing.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <filesystem>
#include <string>
#include <string_view>

#include "missionkit/core/error.hpp"
#include "missionkit/model/spec.hpp"

namespace {

using missionkit::testing::example_path;

namespace mm = missionkit::model;
using missionkit::civil_date;

std::string dump(const std::vector<mm::issue>& issues) {
  std::string out;
  for (const mm::issue& i : issues) out += "\n  " + i.to_string();
  return out;
}

// Asserts that the spec has exactly one issue, at `path` and `line`, whose message contains `needle`.
void expect_single(const mm::spec& s, std::string_view path, int line, std::string_view needle) {
  ASSERT_EQ(s.load_issues.size(), 1u) << dump(s.load_issues);
  const mm::issue& i = s.load_issues.front();
  EXPECT_EQ(i.path, path) << i.to_string();
  EXPECT_EQ(i.line, line) << i.to_string();
  EXPECT_EQ(i.severity, mm::severity::error);
  EXPECT_NE(i.message.find(needle), std::string::npos) << "message: " << i.message << "\nwanted: " << needle;
}

// The spec_error message that parse_spec throws, or "" when it does not throw.
std::string parse_error(std::string_view text, std::string_view name = "mission.yaml") {
  try {
    (void)mm::parse_spec(text, name);
  } catch (const missionkit::spec_error& e) {
    return e.what();
  }
  return "";
}

// A minimal valid metric, so that the cases below can break one thing at a time.
constexpr const char* metric_head =
    "metrics:\n"
    "  - id: fcr\n"  // line 2
    "    name: First contact resolution\n"
    "    tier: driver\n"  // line 4
    "    lens: customer\n"
    "    direction: increase\n";  // line 6

// ---------------------------------------------------------------------------------------------------
// The reference example

TEST(SpecLoad, ExampleLoadsWithoutIssues) {
  const mm::spec s = mm::load_spec(example_path());
  ASSERT_TRUE(s.load_issues.empty()) << dump(s.load_issues);
  EXPECT_EQ(s.source_name, example_path().string());
  EXPECT_EQ(s.spec_version, "1");
  EXPECT_EQ(s.settings.max_drivers_per_outcome, 7);
  EXPECT_EQ(s.mission.name, "Card replacement without chasing");
  EXPECT_EQ(s.mission.time_to_value, "P5D");
  EXPECT_EQ(s.mission.outcome, "card_working_5d");

  ASSERT_EQ(s.metrics.size(), 9u);
  const mm::metric& north = s.metrics[0];
  EXPECT_EQ(north.id, "card_working_5d");
  EXPECT_EQ(north.tier, mm::tier::outcome);
  EXPECT_EQ(north.heart, mm::heart::task_success);
  ASSERT_EQ(north.definitions.size(), 2u);
  EXPECT_EQ(north.definitions[1].version, "2");
  EXPECT_EQ(north.definitions[1].effective_from, (civil_date{2026, 4, 1}));
  // A folded block scalar (>-): lines joined by spaces, no trailing newline.
  EXPECT_EQ(
      north.definitions[0].rule,
      "share of replacement requests whose new card has a first authorised transaction within 5 calendar "
      "days of the request and no assisted contact about the card in between");
  const mm::metric& dispatch = s.metrics[3];
  EXPECT_EQ(dispatch.id, "dispatch_hours");
  EXPECT_FALSE(dispatch.heart.has_value());
  EXPECT_EQ(dispatch.lens, mm::lens::business);
  EXPECT_EQ(dispatch.direction, mm::direction::decrease);
  EXPECT_EQ(s.metrics[7].lens, mm::lens::risk);
  EXPECT_EQ(s.metrics[7].unit, "basis points of spend");
  EXPECT_EQ(s.find_metric("fcr_7d")->name, "First contact resolution (7-day, same reason)");
  EXPECT_EQ(s.find_metric("no_such_metric"), nullptr);

  ASSERT_EQ(s.tree.size(), 6u);
  EXPECT_EQ(s.tree[0].from, "repeat_contact_7d");
  EXPECT_EQ(s.tree[0].sign, -1);
  EXPECT_EQ(s.tree[1].sign, 1);
  EXPECT_EQ(s.tree[1].kind, mm::edge_kind::influence);

  ASSERT_EQ(s.okrs.size(), 2u);
  const mm::key_result& kr = s.okrs[0].key_results[0];
  EXPECT_EQ(kr.metric_version, "2");
  EXPECT_DOUBLE_EQ(kr.baseline, 0.71);
  EXPECT_DOUBLE_EQ(kr.target, 0.82);
  EXPECT_EQ(kr.stretch, 0.88);
  EXPECT_EQ(kr.due, (civil_date{2026, 12, 31}));
  EXPECT_FALSE(s.okrs[0].key_results[1].stretch.has_value());

  EXPECT_EQ(s.hoshin.owners[1].text, "Digital Product Owner, Cards");
  EXPECT_EQ(s.hoshin.metrics.size(), 3u);
  ASSERT_EQ(s.hoshin.cells.size(), 9u);
  EXPECT_EQ(s.hoshin.cells[1].strength, mm::correlation::medium);

  ASSERT_EQ(s.blueprint.stages.size(), 3u);
  EXPECT_EQ(s.blueprint.stages[0].support[0].text, "Card management system");
  EXPECT_TRUE(s.blueprint.stages[1].customer[0].fail_point);
  EXPECT_FALSE(s.blueprint.stages[0].customer[0].fail_point);
  EXPECT_EQ(s.blueprint.stages[0].frontstage[1].metrics,
            (std::vector<std::string>{"service_level", "fcr_7d"}));

  EXPECT_EQ(s.logic_model.inputs.size(), 3u);
  EXPECT_EQ(s.logic_model.activities[1].drivers,
            (std::vector<std::string>{"app_self_service", "dispatch_hours"}));

  ASSERT_EQ(s.work.size(), 2u);
  EXPECT_EQ(s.work[1].framework, mm::framework::dmaic);
  EXPECT_EQ(s.work[1].evidence.at("define").at("charter"), "Charter signed 2026-03-02");
  EXPECT_EQ(s.work[0].cycle, 1);
}

TEST(SpecLoad, ExamplePositionsAreOneBasedLinesAndColumns) {
  const mm::spec s = mm::load_spec(example_path());
  // Lines from the file itself: "  - id: dispatch_hours" is line 74, its owner line 80.
  EXPECT_EQ(s.positions.at("metrics[3]"), (mm::source_position{74, 5}));
  EXPECT_EQ(s.positions.at("metrics[3].owner"), (mm::source_position{80, 5}));
  EXPECT_EQ(s.positions.at("metrics[3].id"), (mm::source_position{74, 5}));
  EXPECT_EQ(s.positions.at("okrs[0].key_results[0].stretch").line, 178);
  EXPECT_EQ(s.positions.at("hoshin.breakthroughs[0].text").line, 197);
  EXPECT_EQ(s.positions.at("blueprint.stages[1].customer[0].fail_point").line, 236);
  EXPECT_EQ(s.positions.at("work[1]").line, 286);
  EXPECT_EQ(s.positions.at("work[1].evidence.define.charter"), (mm::source_position{293, 9}));
  EXPECT_EQ(s.positions.at("data.columns.customer").line, 303);
  EXPECT_EQ(s.positions.at("experiments[0].assignment.salt").line, 338);
  EXPECT_EQ(s.positions.at("metrics").line, 16);
  EXPECT_EQ(s.positions.at("mission.time_to_value").line, 10);
}

TEST(SpecLoad, JsonTextLoads) {
  const std::string text = R"({
  "spec_version": "1",
  "mission": {"name": "Cards", "outcome": "card_ok"},
  "metrics": [
    {"id": "card_ok", "tier": "outcome", "lens": "customer", "direction": "increase",
     "definitions": [{"version": "1", "effective_from": "2025-01-01", "rule": "share ok"}]}
  ],
  "tree": [{"from": "x", "to": "card_ok", "kind": "influence", "sign": -1}],
  "okrs": [{"objective": "o", "key_results": [{"metric": "card_ok", "baseline": 0.5, "target": 0.75,
            "due": "2026-12-31"}]}],
  "blueprint": {"stages": [{"id": "s1", "customer": ["waits", {"text": "calls", "fail_point": true}]}]}
})";
  const mm::spec s = mm::parse_spec(text, "mission.json");
  ASSERT_TRUE(s.load_issues.empty()) << dump(s.load_issues);
  EXPECT_EQ(s.metrics[0].definitions[0].effective_from, (civil_date{2025, 1, 1}));
  EXPECT_EQ(s.tree[0].sign, -1);
  EXPECT_DOUBLE_EQ(s.okrs[0].key_results[0].target, 0.75);
  EXPECT_TRUE(s.blueprint.stages[0].customer[1].fail_point);
  EXPECT_EQ(s.positions.at("okrs[0].key_results[0].baseline").line, 9);

  // A type error in JSON is reported with its line like any other.
  const mm::spec bad = mm::parse_spec(
      "{\n\"okrs\": [{\"key_results\": [\n {\"baseline\": \"high\", \"target\": 1,"
      " \"due\": \"2026-01-01\"}]}]\n}");
  expect_single(bad, "okrs[0].key_results[0].baseline", 3, "expected a number");
}

// ---------------------------------------------------------------------------------------------------
// Text that is not a spec at all: the only cases that throw

TEST(SpecLoadErrors, MalformedYamlThrowsWithLineAndColumn) {
  const std::string message = parse_error("spec_version: \"1\"\nmission:\n  name: [unclosed\n  segment: x\n");
  EXPECT_EQ(message.rfind("mission.yaml:", 0), 0u) << message;
  EXPECT_NE(message.find("malformed YAML"), std::string::npos) << message;
  // The flow sequence opened on line 3 is never closed; yaml-cpp notices at the end of line 4 at the
  // latest, and never before line 3.
  const int line = std::stoi(message.substr(std::string("mission.yaml:").size()));
  EXPECT_GE(line, 3);
  EXPECT_LE(line, 5);

  const std::string tab = parse_error("mission:\n  name: a\n\tsegment: b\n");
  EXPECT_NE(tab.find("mission.yaml:3:"), std::string::npos) << tab;
}

TEST(SpecLoadErrors, TopLevelMustBeAMapping) {
  const std::string message = parse_error("- id: a\n- id: b\n");
  EXPECT_NE(message.find("mission.yaml:1:1"), std::string::npos) << message;
  EXPECT_NE(message.find("top level"), std::string::npos) << message;
  EXPECT_NE(message.find("got a list"), std::string::npos) << message;
  EXPECT_NE(parse_error("just words").find("top level"), std::string::npos);
}

TEST(SpecLoadErrors, EmptyDocumentThrows) {
  EXPECT_NE(parse_error("").find("empty spec"), std::string::npos);
  EXPECT_NE(parse_error("# only a comment\n\n").find("empty spec"), std::string::npos);
  EXPECT_NE(parse_error("~\n").find("empty spec"), std::string::npos);
}

TEST(SpecLoadErrors, SeveralDocumentsThrow) {
  EXPECT_NE(parse_error("spec_version: \"1\"\n---\nspec_version: \"1\"\n").find("one YAML document"),
            std::string::npos);
}

TEST(SpecLoadErrors, UnreadableFileNamesThePath) {
  const auto missing = std::filesystem::path(MISSIONKIT_SOURCE_DIR) / "no" / "such" / "spec.yaml";
  try {
    (void)mm::load_spec(missing);
    FAIL() << "load_spec did not throw";
  } catch (const missionkit::spec_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)mm::load_spec(MISSIONKIT_SOURCE_DIR), missionkit::spec_error);  // a directory
}

// ---------------------------------------------------------------------------------------------------
// Content problems: recorded as issues, loading goes on

TEST(SpecLoadErrors, UnknownTopLevelKeySuggestsTheNearestKey) {
  const mm::spec s = mm::parse_spec("spec_version: \"1\"\nmision:\n  name: x\n");
  expect_single(s, "mision", 2, "unknown key 'mision'; did you mean 'mission'?");
}

TEST(SpecLoadErrors, UnknownKeyWithoutNeighbourListsAllowedKeys) {
  const mm::spec s = mm::parse_spec("colour: blue\n");
  expect_single(s, "colour", 1, "allowed keys: spec_version, settings, mission, metrics, tree, okrs");
}

TEST(SpecLoadErrors, UnknownMetricKeySuggests) {
  const mm::spec s = mm::parse_spec(std::string(metric_head) + "    ownr: CX lead\n");
  expect_single(s, "metrics[0].ownr", 7, "did you mean 'owner'?");
  EXPECT_EQ(s.load_issues[0].column, 5);
  EXPECT_EQ(s.metrics[0].owner, "");  // an unknown key is not read under a guessed name
}

TEST(SpecLoadErrors, UnknownKeysAreCaughtInEveryKindOfMapping) {
  struct probe {
    const char* text;
    const char* path;
    int line;
  };
  const probe probes[] = {
      {"settings:\n  max_driver_per_outcome: 3\n", "settings.max_driver_per_outcome", 2},
      {"mission:\n  timetovalue: P1D\n", "mission.timetovalue", 2},
      {"metrics:\n  - id: a\n    tier: driver\n    lens: risk\n    direction: increase\n    definitions:\n"
       "      - {version: '1', effective_from: 2025-01-01, rules: x}\n",
       "metrics[0].definitions[0].rules", 7},
      {"tree:\n  - {from: a, to: b, knd: formula}\n", "tree[0].knd", 2},
      {"okrs:\n  - objective: o\n    key_results:\n      - {baseline: 0, target: 1, due: 2026-01-01, dew: "
       "x}\n",
       "okrs[0].key_results[0].dew", 4},
      {"hoshin:\n  annual:\n    - {id: A1, txt: x}\n", "hoshin.annual[0].txt", 3},
      {"hoshin:\n  cells:\n    - {from: a, to: b, strength: weak, strenght: weak}\n",
       "hoshin.cells[0].strenght", 3},
      {"blueprint:\n  stages:\n    - id: s\n      frontstag: []\n", "blueprint.stages[0].frontstag", 4},
      {"blueprint:\n  stages:\n    - id: s\n      support:\n        - {text: t, metric: [a]}\n",
       "blueprint.stages[0].support[0].metric", 5},
      {"logic_model:\n  activities:\n    - {id: a, assumptions: x}\n",
       "logic_model.activities[0].assumptions", 3},
      {"work:\n  - {id: w, framework: ooda, owners: x}\n", "work[0].owners", 2},
  };
  for (const probe& p : probes) {
    SCOPED_TRACE(p.text);
    const mm::spec s = mm::parse_spec(p.text);
    ASSERT_EQ(s.load_issues.size(), 1u) << dump(s.load_issues);
    EXPECT_EQ(s.load_issues[0].path, p.path);
    EXPECT_EQ(s.load_issues[0].line, p.line);
    EXPECT_NE(s.load_issues[0].message.find("did you mean"), std::string::npos) << s.load_issues[0].message;
  }
}

TEST(SpecLoadErrors, HoshinOwnersTakeANameNotText) {
  const mm::spec s = mm::parse_spec("hoshin:\n  owners:\n    - {id: O1, text: Ops}\n");
  expect_single(s, "hoshin.owners[0].text", 3, "allowed keys: id, name");
}

TEST(SpecLoadErrors, WrongEnumValueSuggestsAndListsAllowed) {
  std::string text = metric_head;
  text.replace(text.find("tier: driver"), 12, "tier: outcom");
  const mm::spec s = mm::parse_spec(text);
  expect_single(s, "metrics[0].tier", 4, "unknown tier 'outcom'; did you mean 'outcome'?");
  EXPECT_NE(s.load_issues[0].message.find("allowed: outcome, driver, control"), std::string::npos);
  EXPECT_EQ(s.load_issues[0].column, 11);  // the value, not the key

  // Case is a typo too, but never silently accepted.
  const mm::spec upper = mm::parse_spec("hoshin:\n  cells:\n    - {from: a, to: b, strength: Strong}\n");
  expect_single(upper, "hoshin.cells[0].strength", 3, "did you mean 'strong'?");
}

TEST(SpecLoadErrors, BadFrameworkSuggests) {
  const mm::spec s = mm::parse_spec("work:\n  - id: w1\n    framework: crispdm\n");
  expect_single(s, "work[0].framework", 3, "did you mean 'crisp_dm'?");
}

TEST(SpecLoadErrors, DateMustBeYearMonthDay) {
  const std::string defs = std::string(metric_head) + "    definitions:\n      - version: \"1\"\n";
  const mm::spec words = mm::parse_spec(defs + "        effective_from: next week\n");
  expect_single(words, "metrics[0].definitions[0].effective_from", 9, "'next week' is not a date");
  const mm::spec short_form = mm::parse_spec(defs + "        effective_from: 2026-3-1\n");
  expect_single(short_form, "metrics[0].definitions[0].effective_from", 9, "not a date");
}

TEST(SpecLoadErrors, FebruaryThirtiethIsNotADate) {
  const mm::spec s = mm::parse_spec(
      "okrs:\n  - objective: o\n    key_results:\n      - baseline: 1\n        target: 2\n"
      "        due: 2026-02-30\n");
  expect_single(s, "okrs[0].key_results[0].due", 6, "'2026-02-30' is not a date");
}

TEST(SpecLoadErrors, NumberExpected) {
  const mm::spec s =
      mm::parse_spec("okrs:\n  - key_results:\n      - {baseline: abc, target: 2, due: 2026-01-01}\n");
  expect_single(s, "okrs[0].key_results[0].baseline", 3, "expected a number, got 'abc'");
  // A quoted number is text: accepting it would hide a spreadsheet export that quoted every cell.
  const mm::spec quoted =
      mm::parse_spec("okrs:\n  - key_results:\n      - {baseline: \"0.5\", target: 2, due: 2026-01-01}\n");
  expect_single(quoted, "okrs[0].key_results[0].baseline", 3, "the quoted text '0.5'");
  const mm::spec hex =
      mm::parse_spec("okrs:\n  - key_results:\n      - {baseline: 0x10, target: 2, due: 2026-01-01}\n");
  expect_single(hex, "okrs[0].key_results[0].baseline", 3, "expected a number");
  const mm::spec huge =
      mm::parse_spec("okrs:\n  - key_results:\n      - {baseline: 1e999, target: 2, due: 2026-01-01}\n");
  expect_single(huge, "okrs[0].key_results[0].baseline", 3, "out of the range");
}

TEST(SpecLoadErrors, NotANumberAndInfinityAreRefused) {
  for (const char* v : {".nan", ".NaN", "nan", ".inf", "-.inf", "inf", "-infinity"}) {
    SCOPED_TRACE(v);
    const mm::spec s = mm::parse_spec(std::string("okrs:\n  - key_results:\n      - baseline: ") + v +
                                      "\n        target: 1\n        due: 2026-01-01\n");
    expect_single(s, "okrs[0].key_results[0].baseline", 3, "expected a finite number");
  }
}

TEST(SpecLoad, NumberSpellings) {
  const mm::spec s = mm::parse_spec(
      "okrs:\n  - key_results:\n      - {baseline: +1.5, target: -0.25, stretch: 1e-300, due: 2026-01-01}\n"
      "      - {baseline: 3, target: 1E2, stretch: .5, due: 2026-01-01}\n");
  ASSERT_TRUE(s.load_issues.empty()) << dump(s.load_issues);
  const auto& krs = s.okrs[0].key_results;
  EXPECT_EQ(krs[0].baseline, 1.5);
  EXPECT_EQ(krs[0].target, -0.25);
  EXPECT_EQ(krs[0].stretch, 1e-300);
  EXPECT_EQ(krs[1].baseline, 3.0);
  EXPECT_EQ(krs[1].target, 100.0);
  EXPECT_EQ(krs[1].stretch, 0.5);
}

TEST(SpecLoadErrors, ListExpected) {
  const mm::spec s = mm::parse_spec("metrics:\n  id: fcr\n  tier: driver\n");
  expect_single(s, "metrics", 1, "expected a list, got a mapping");
  EXPECT_TRUE(s.metrics.empty());
  const mm::spec scalar = mm::parse_spec("logic_model:\n  inputs: budget\n");
  expect_single(scalar, "logic_model.inputs", 2, "expected a list, got 'budget'");
}

TEST(SpecLoadErrors, ScalarExpected) {
  const mm::spec s = mm::parse_spec(std::string(metric_head) + "    owner: [Ann, Bob]\n");
  expect_single(s, "metrics[0].owner", 7, "expected text, got a list");
  const mm::spec m = mm::parse_spec(std::string(metric_head) + "    unit:\n      name: GBP\n");
  expect_single(m, "metrics[0].unit", 7, "expected text, got a mapping");
}

TEST(SpecLoadErrors, MappingExpected) {
  const mm::spec s = mm::parse_spec("mission: Make cards work\n");
  expect_single(s, "mission", 1, "expected a mapping, got 'Make cards work'");
  const mm::spec item = mm::parse_spec("metrics:\n  - fcr\n");
  expect_single(item, "metrics[0]", 2, "expected a metric (a mapping), got 'fcr'");
}

TEST(SpecLoadErrors, DuplicateKeyIsReportedAtItsSecondLine) {
  const mm::spec s = mm::parse_spec(std::string(metric_head) + "    owner: Ann\n    owner: Bob\n");
  expect_single(s, "metrics[0].owner", 8, "duplicate key 'owner' (first given at line 7)");
  EXPECT_EQ(s.metrics[0].owner, "Ann");
  EXPECT_EQ(s.positions.at("metrics[0].owner").line, 7);

  const mm::spec top = mm::parse_spec("spec_version: \"1\"\nmission: {}\nspec_version: \"1\"\n");
  expect_single(top, "spec_version", 3, "duplicate key 'spec_version'");
}

TEST(SpecLoadErrors, DuplicateMetricIdNamesBothPositions) {
  const mm::spec s = mm::parse_spec(
      "metrics:\n  - {id: fcr, tier: driver, lens: customer, direction: increase}\n"
      "  - {id: aht, tier: control, lens: business, direction: decrease}\n"
      "  - {id: fcr, tier: driver, lens: customer, direction: increase}\n");
  expect_single(s, "metrics[2].id", 4, "metric id 'fcr' is already used by metrics[0]");
  EXPECT_EQ(s.metrics.size(), 3u);
}

TEST(SpecLoadErrors, DuplicateDefinitionVersion) {
  const mm::spec s = mm::parse_spec(std::string(metric_head) +
                                    "    definitions:\n"
                                    "      - {version: \"1\", effective_from: 2025-01-01}\n"
                                    "      - {version: \"1\", effective_from: 2026-01-01}\n");
  expect_single(s, "metrics[0].definitions[1].version", 9,
                "definition version '1' is already used by metrics[0].definitions[0]");
}

TEST(SpecLoadErrors, DuplicateHoshinIdAcrossLists) {
  const mm::spec s = mm::parse_spec(
      "hoshin:\n  breakthroughs:\n    - {id: X1, text: a}\n  annual:\n    - {id: A1, text: b}\n"
      "  owners:\n    - {id: X1, name: Ops}\n");
  expect_single(s, "hoshin.owners[0].id", 7, "hoshin id 'X1' is already used by hoshin.breakthroughs[0]");
}

TEST(SpecLoadErrors, DuplicateStageActivityAndWorkIds) {
  const mm::spec s = mm::parse_spec(
      "blueprint:\n  stages:\n    - {id: s1}\n    - {id: s1}\n"
      "logic_model:\n  activities:\n    - {id: a1}\n    - {id: a1}\n"
      "work:\n  - {id: w1, framework: ooda}\n  - {id: w1, framework: dmaic}\n");
  ASSERT_EQ(s.load_issues.size(), 3u) << dump(s.load_issues);
  EXPECT_EQ(s.load_issues[0].path, "blueprint.stages[1].id");
  EXPECT_EQ(s.load_issues[0].line, 4);
  EXPECT_EQ(s.load_issues[1].path, "logic_model.activities[1].id");
  EXPECT_EQ(s.load_issues[1].line, 8);
  EXPECT_EQ(s.load_issues[2].path, "work[1].id");
  EXPECT_EQ(s.load_issues[2].line, 11);
  EXPECT_NE(s.load_issues[2].message.find("already used by work[0]"), std::string::npos);
}

TEST(SpecLoadErrors, MissingRequiredKeysPointAtTheirParent) {
  const mm::spec s = mm::parse_spec("metrics:\n  - name: no id\n    tier: driver\n    lens: risk\n");
  ASSERT_EQ(s.load_issues.size(), 2u) << dump(s.load_issues);
  EXPECT_EQ(s.load_issues[0].path, "metrics[0].id");
  EXPECT_EQ(s.load_issues[0].line, 2);
  EXPECT_NE(s.load_issues[0].message.find("missing required key 'id'"), std::string::npos);
  EXPECT_EQ(s.load_issues[1].path, "metrics[0].direction");

  const mm::spec kr = mm::parse_spec("okrs:\n  - key_results:\n      - {metric: fcr, baseline: 0.5}\n");
  ASSERT_EQ(kr.load_issues.size(), 2u) << dump(kr.load_issues);
  EXPECT_EQ(kr.load_issues[0].path, "okrs[0].key_results[0].target");
  EXPECT_EQ(kr.load_issues[1].path, "okrs[0].key_results[0].due");
  EXPECT_EQ(kr.load_issues[1].line, 3);
}

TEST(SpecLoadErrors, RequiredKeyWithEmptyValue) {
  const mm::spec s = mm::parse_spec("work:\n  - id:\n    framework: ooda\n");
  expect_single(s, "work[0].id", 2, "required key 'id' has no value");
}

TEST(SpecLoad, EmptyOptionalValuesAreAbsent) {
  const mm::spec s =
      mm::parse_spec(std::string(metric_head) + "    heart:\n    owner: ~\n    definitions:\n");
  ASSERT_TRUE(s.load_issues.empty()) << dump(s.load_issues);
  EXPECT_FALSE(s.metrics[0].heart.has_value());
  EXPECT_EQ(s.metrics[0].owner, "");
  EXPECT_TRUE(s.metrics[0].definitions.empty());
}

TEST(SpecLoad, SignSpellings) {
  const mm::spec s = mm::parse_spec(
      "tree:\n  - {sign: 1}\n  - {sign: -1}\n  - {sign: +1}\n  - {sign: '+'}\n  - {sign: '-'}\n"
      "  - {sign: positive}\n  - {sign: negative}\n  - {kind: formula}\n");
  ASSERT_TRUE(s.load_issues.empty()) << dump(s.load_issues);
  const int expected[] = {1, -1, 1, 1, -1, 1, -1, 0};
  ASSERT_EQ(s.tree.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(s.tree[i].sign, expected[i]) << i;
  EXPECT_EQ(s.tree[7].kind, mm::edge_kind::formula);
  EXPECT_EQ(s.tree[0].kind, mm::edge_kind::influence);  // the default
}

TEST(SpecLoadErrors, BadSign) {
  const mm::spec s = mm::parse_spec("tree:\n  - {from: a, to: b}\n  - {from: a, to: c, sign: 2}\n");
  expect_single(s, "tree[1].sign", 3, "expected a sign (1, -1, \"+\", \"-\", positive or negative), got '2'");
}

TEST(SpecLoadErrors, FailPointMustBeTrueOrFalse) {
  const mm::spec s = mm::parse_spec(
      "blueprint:\n  stages:\n    - id: s\n      customer:\n        - {text: waits, fail_point: yes}\n");
  expect_single(s, "blueprint.stages[0].customer[0].fail_point", 5, "expected true or false, got 'yes'");
  EXPECT_FALSE(s.blueprint.stages[0].customer[0].fail_point);
}

TEST(SpecLoadErrors, BlueprintStepShapes) {
  const mm::spec s = mm::parse_spec(
      "blueprint:\n  stages:\n    - id: s\n      backstage:\n        - plain text\n"
      "        - {metrics: [a]}\n        - [a, b]\n        -\n");
  // Sorted by line: the empty item has no position of its own and is reported at its list's key.
  ASSERT_EQ(s.load_issues.size(), 3u) << dump(s.load_issues);
  EXPECT_EQ(s.load_issues[0].path, "blueprint.stages[0].backstage[3]");
  EXPECT_EQ(s.load_issues[0].line, 4);
  EXPECT_EQ(s.load_issues[1].path, "blueprint.stages[0].backstage[1].text");
  EXPECT_EQ(s.load_issues[1].line, 6);
  EXPECT_NE(s.load_issues[1].message.find("missing required key 'text'"), std::string::npos);
  EXPECT_EQ(s.load_issues[2].path, "blueprint.stages[0].backstage[2]");
  EXPECT_EQ(s.load_issues[2].line, 7);
  ASSERT_EQ(s.blueprint.stages[0].backstage.size(), 4u);  // one entry per item, so indices match the file
  EXPECT_EQ(s.blueprint.stages[0].backstage[0].text, "plain text");
  EXPECT_EQ(s.blueprint.stages[0].backstage[1].metrics, std::vector<std::string>{"a"});
}

TEST(SpecLoadErrors, CycleMustBeAPositiveWholeNumber) {
  for (const char* v : {"abc", "1.5", "0", "-2", "\"2\""}) {
    SCOPED_TRACE(v);
    const mm::spec s =
        mm::parse_spec(std::string("work:\n  - id: w\n    framework: ooda\n    cycle: ") + v + "\n");
    expect_single(s, "work[0].cycle", 4, "expected a whole number >= 1");
    EXPECT_EQ(s.work[0].cycle, 1);
  }
  const mm::spec ok = mm::parse_spec("work:\n  - {id: w, framework: ooda, cycle: 3}\n");
  EXPECT_TRUE(ok.load_issues.empty());
  EXPECT_EQ(ok.work[0].cycle, 3);
}

TEST(SpecLoadErrors, EvidenceMustBeStageToArtefactToText) {
  const mm::spec list = mm::parse_spec("work:\n  - id: w\n    framework: dmaic\n    evidence: [charter]\n");
  expect_single(list, "work[0].evidence", 4,
                "expected a mapping of stage -> artefact -> evidence, got a list");
  const mm::spec flat =
      mm::parse_spec("work:\n  - id: w\n    framework: dmaic\n    evidence:\n      define: done\n");
  expect_single(flat, "work[0].evidence.define", 5, "expected a mapping of artefact -> evidence, got 'done'");
  const mm::spec deep = mm::parse_spec(
      "work:\n  - id: w\n    framework: dmaic\n    evidence:\n      define:\n        charter: [a, b]\n"
      "        ctq:\n");
  ASSERT_EQ(deep.load_issues.size(), 2u) << dump(deep.load_issues);
  EXPECT_EQ(deep.load_issues[0].path, "work[0].evidence.define.charter");
  EXPECT_EQ(deep.load_issues[0].line, 6);
  EXPECT_EQ(deep.load_issues[1].path, "work[0].evidence.define.ctq");
  EXPECT_NE(deep.load_issues[1].message.find("has no value"), std::string::npos);
}

TEST(SpecLoadErrors, UnsupportedSpecVersion) {
  const mm::spec s = mm::parse_spec("spec_version: \"2\"\n");
  expect_single(s, "spec_version", 1, "unsupported spec_version '2'");
  EXPECT_TRUE(mm::parse_spec("spec_version: 1\n").load_issues.empty());  // unquoted is the same text
}

TEST(SpecLoadErrors, SettingsMustBeWholeNumbers) {
  const mm::spec s = mm::parse_spec("settings:\n  max_drivers_per_outcome: many\n");
  expect_single(s, "settings.max_drivers_per_outcome", 2, "expected a whole number >= 1, got 'many'");
  EXPECT_EQ(s.settings.max_drivers_per_outcome, 7);
}

TEST(SpecLoadErrors, EveryProblemIsReportedInDocumentOrder) {
  const mm::spec s = mm::parse_spec(
      "spec_version: \"1\"\n"
      "mision: {}\n"  // 2: unknown key
      "metrics:\n"
      "  - {id: a, tier: outcom, lens: customer, direction: increase}\n"  // 4: bad enum
      "  - {id: a, tier: driver, lens: customer, direction: up}\n"        // 5: duplicate id, bad enum
      "okrs:\n"
      "  - key_results:\n"
      "      - {baseline: x, target: 1, due: 2026-02-30}\n");  // 8: number, date
  ASSERT_EQ(s.load_issues.size(), 6u) << dump(s.load_issues);
  const std::pair<const char*, int> expected[] = {
      {"mision", 2},
      {"metrics[0].tier", 4},
      {"metrics[1].id", 5},
      {"metrics[1].direction", 5},
      {"okrs[0].key_results[0].baseline", 8},
      {"okrs[0].key_results[0].due", 8},
  };
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(s.load_issues[i].path, expected[i].first) << i;
    EXPECT_EQ(s.load_issues[i].line, expected[i].second) << i;
  }
  // The rest of the spec was still read.
  EXPECT_EQ(s.metrics.size(), 2u);
  EXPECT_EQ(s.metrics[1].tier, mm::tier::driver);
  EXPECT_EQ(s.okrs[0].key_results[0].target, 1.0);
}

TEST(SpecLoadErrors, KeyProblemsAndValueProblemsAreSortedByLine) {
  // The duplicate key (line 4) is found while the mapping's keys are scanned, before the tier (line 3)
  // is read; the report still lists them in file order.
  const mm::spec s = mm::parse_spec(
      "metrics:\n  - id: a\n    tier: outcom\n    id: b\n    lens: risk\n    direction: increase\n");
  ASSERT_EQ(s.load_issues.size(), 2u) << dump(s.load_issues);
  EXPECT_EQ(s.load_issues[0].path, "metrics[0].tier");
  EXPECT_EQ(s.load_issues[1].path, "metrics[0].id");
  EXPECT_EQ(s.load_issues[1].line, 4);
}

TEST(SpecLoad, ItemsStayAlignedWithTheFileAfterABadItem) {
  const mm::spec s = mm::parse_spec(
      "metrics:\n  - [not, a, metric]\n  - {id: b, tier: driver, lens: risk, direction: decrease}\n");
  ASSERT_EQ(s.load_issues.size(), 1u);
  ASSERT_EQ(s.metrics.size(), 2u);
  EXPECT_EQ(s.metrics[1].id, "b");
  EXPECT_EQ(s.positions.at("metrics[1].id").line, 3);
}

// ---------------------------------------------------------------------------------------------------
// Issues and strict mode

TEST(Issue, ToStringWithAndWithoutLine) {
  const mm::issue with_line{"metrics[3].owner", mm::severity::error, "metric 'fcr' has no owner", 12, 5};
  EXPECT_EQ(with_line.to_string(), "line 12: metrics[3].owner: error: metric 'fcr' has no owner");
  const mm::issue without{"tree[0]", mm::severity::warning, "sprawl", 0, 0};
  EXPECT_EQ(without.to_string(), "tree[0]: warning: sprawl");
}

TEST(Issue, HasErrorsIgnoresWarnings) {
  EXPECT_FALSE(mm::has_errors({}));
  EXPECT_FALSE(mm::has_errors({mm::issue{"a", mm::severity::warning, "w"}}));
  EXPECT_TRUE(
      mm::has_errors({mm::issue{"a", mm::severity::warning, "w"}, mm::issue{"b", mm::severity::error, "e"}}));
}

TEST(Issue, ThrowIfErrorsListsEveryErrorButNoWarning) {
  const std::vector<mm::issue> issues{{"a", mm::severity::error, "first", 3, 1},
                                      {"b", mm::severity::warning, "just a warning", 4, 1},
                                      {"c", mm::severity::error, "second", 0, 0}};
  try {
    mm::throw_if_errors(issues, "mission.yaml");
    FAIL() << "no exception";
  } catch (const missionkit::spec_error& e) {
    EXPECT_STREQ(e.what(), "mission.yaml: 2 errors\nline 3: a: error: first\nc: error: second");
  }
  EXPECT_NO_THROW(mm::throw_if_errors({issues[1]}, "mission.yaml"));
  EXPECT_THROW(mm::throw_if_errors(mm::parse_spec("colour: blue\n").load_issues, "x"),
               missionkit::spec_error);
}

TEST(EnumText, EverySpellingParsesBack) {
  for (mm::tier v : {mm::tier::outcome, mm::tier::driver, mm::tier::control})
    EXPECT_EQ(mm::parse_tier(mm::to_string(v)), v);
  for (mm::heart v : {mm::heart::happiness, mm::heart::engagement, mm::heart::adoption, mm::heart::retention,
                      mm::heart::task_success})
    EXPECT_EQ(mm::parse_heart(mm::to_string(v)), v);
  EXPECT_STREQ(mm::to_string(mm::heart::task_success), "task_success");
  EXPECT_STREQ(mm::to_string(mm::lens::risk), "risk");
  EXPECT_STREQ(mm::to_string(mm::direction::decrease), "decrease");
  EXPECT_STREQ(mm::to_string(mm::edge_kind::formula), "formula");
  EXPECT_STREQ(mm::to_string(mm::correlation::weak), "weak");
  EXPECT_STREQ(mm::to_string(mm::severity::warning), "warning");
  EXPECT_EQ(mm::parse_lens("business"), mm::lens::business);
  EXPECT_EQ(mm::parse_direction("increase"), mm::direction::increase);
  EXPECT_EQ(mm::parse_edge_kind("influence"), mm::edge_kind::influence);
  EXPECT_EQ(mm::parse_correlation("medium"), mm::correlation::medium);
  EXPECT_FALSE(mm::parse_tier("Outcome"));  // spellings are exact: the loader suggests, it doesn't guess
  EXPECT_FALSE(mm::parse_lens(""));
  EXPECT_FALSE(mm::parse_heart("task success"));
}

TEST(EnumText, HoshinEmpty) {
  mm::hoshin h;
  EXPECT_TRUE(h.empty());
  h.metrics.push_back("fcr");
  EXPECT_FALSE(h.empty());
  h = {};
  h.cells.push_back({"a", "b", mm::correlation::weak});
  EXPECT_FALSE(h.empty());
}

}  // namespace
