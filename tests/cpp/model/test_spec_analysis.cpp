// The analysis sections of a mission spec (data, analysis, measures, experiments, control charts):
// loading, the semantic checks with their paths and lines, and round-tripping through YAML and JSON.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

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

std::vector<mm::issue> errors_of(const std::vector<mm::issue>& issues) {
  std::vector<mm::issue> out;
  std::copy_if(issues.begin(), issues.end(), std::back_inserter(out),
               [](const mm::issue& i) { return i.severity == mm::severity::error; });
  return out;
}

// A valid spec with every analysis section, so that each case below can break one thing at a time by
// appending or replacing text. Line numbers in comments are 1-based.
const std::string base =
    "spec_version: \"1\"\n"                                                                // 1
    "data:\n"                                                                              // 2
    "  time_zone: Europe/London\n"                                                         // 3
    "  columns:\n"                                                                         // 4
    "    customer: customer_id\n"                                                          // 5
    "    start: start_time\n"                                                              // 6
    "    reason: reason\n"                                                                 // 7
    "    channel: channel\n"                                                               // 8
    "    queue: queue\n"                                                                   // 9
    "    site: site\n"                                                                     // 10
    "  channels: [phone, chat, app]\n"                                                     // 11
    "  scales: {csat: [1, 5]}\n"                                                           // 12
    "analysis:\n"                                                                          // 13
    "  period: month\n"                                                                    // 14
    "  segments: [channel]\n"                                                              // 15
    "  alpha: 0.1\n"                                                                       // 16
    "  min_n: 20\n"                                                                        // 17
    "metrics:\n"                                                                           // 18
    "  - id: rep\n"                                                                        // 19
    "    name: Repeat rate\n"                                                              // 20
    "    tier: outcome\n"                                                                  // 21
    "    lens: customer\n"                                                                 // 22
    "    direction: decrease\n"                                                            // 23
    "    owner: Ops\n"                                                                     // 24
    "    unit: ratio\n"                                                                    // 25
    "    source: contact_log\n"                                                            // 26
    "    measure:\n"                                                                       // 27
    "      kind: repeat_rate\n"                                                            // 28
    "      params: {window: P7D, same_reason: true}\n"                                     // 29
    "      where: {reason: [card_lost, card_late]}\n"                                      // 30
    "    definitions:\n"                                                                   // 31
    "      - version: \"1\"\n"                                                             // 32
    "        effective_from: 2026-01-01\n"                                                 // 33
    "        rule: repeats over contacts\n"                                                // 34
    "      - version: \"2\"\n"                                                             // 35
    "        effective_from: 2026-04-01\n"                                                 // 36
    "        rule: any-reason repeats over contacts\n"                                     // 37
    "        measure: {kind: repeat_rate, params: {window: PT48H, same_reason: false}}\n"  // 38
    "  - id: csat\n"                                                                       // 39
    "    name: CSAT\n"                                                                     // 40
    "    tier: driver\n"                                                                   // 41
    "    lens: customer\n"                                                                 // 42
    "    direction: increase\n"                                                            // 43
    "    owner: VoC\n"                                                                     // 44
    "    unit: ratio\n"                                                                    // 45
    "    source: survey\n"                                                                 // 46
    "    measure: {kind: csat, params: {top_box_min: 4}}\n"                                // 47
    "    definitions:\n"                                                                   // 48
    "      - {version: \"1\", effective_from: 2026-01-01, rule: top-2-box share}\n"        // 49
    "  - id: nps_ext\n"                                                                    // 50
    "    name: External NPS\n"                                                             // 51
    "    tier: driver\n"                                                                   // 52
    "    lens: customer\n"                                                                 // 53
    "    direction: increase\n"                                                            // 54
    "    owner: Brand\n"                                                                   // 55
    "    unit: points\n"                                                                   // 56
    "    source: panel\n"                                                                  // 57
    "    definitions:\n"                                                                   // 58
    "      - {version: \"1\", effective_from: 2026-01-01, rule: panel NPS}\n"              // 59
    "experiments:\n"                                                                       // 60
    "  - id: ab\n"                                                                         // 61
    "    design: ab_test\n"                                                                // 62
    "    hypothesis: notifications cut repeats\n"                                          // 63
    "    assignment: {salt: s-2026, arms: {control: 0.5, treatment: 0.5}}\n"               // 64
    "    start: 2026-02-01\n"                                                              // 65
    "    end: 2026-03-31\n"                                                                // 66
    "    primary: {metric: rep, version: \"1\"}\n"                                         // 67
    "    guardrails: [{metric: csat, version: \"1\", margin: 0.02, relative: false}]\n"    // 68
    "    segments: [channel]\n"                                                            // 69
    "    mde: 0.02\n"                                                                      // 70
    "  - id: sw\n"                                                                         // 71
    "    design: stepped_wedge\n"                                                          // 72
    "    cluster: site\n"                                                                  // 73
    "    rollout: {leeds: 2026-02-01, glasgow: 2026-03-01}\n"                              // 74
    "    primary: {metric: rep, version: \"2\"}\n"                                         // 75
    "  - id: its\n"                                                                        // 76
    "    design: its\n"                                                                    // 77
    "    intervention: 2026-05-01\n"                                                       // 78
    "    primary: {metric: csat, version: \"1\"}\n"                                        // 79
    "control_charts:\n"                                                                    // 80
    "  - id: rep_by_queue\n"                                                               // 81
    "    metric: rep\n"                                                                    // 82
    "    chart: p\n"                                                                       // 83
    "    period: day\n"                                                                    // 84
    "    by: queue\n"                                                                      // 85
    "    baseline: {from: 2026-01-01, to: 2026-03-31}\n"                                   // 86
    "    rules: nelson\n"                                                                  // 87
    "mission:\n"                                                                           // 88
    "  name: Sorted first time\n"
    "  segment: Bank customers with a card problem\n"
    "  situation: cannot pay until the card problem is fixed\n"
    "  desired_progress: Get the card problem sorted without calling back\n"
    "  time_to_value: P7D\n"
    "  outcome: rep\n";

// Replaces the first occurrence of `from` (which must exist) in the base spec.
std::string with(std::string_view from, std::string_view to, std::string text = base) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Asserts that validate() finds exactly one error, at `path` and `line`, whose message has `needle`.
void expect_error(const std::string& text, std::string_view path, int line, std::string_view needle) {
  const mm::spec s = mm::parse_spec(text, "t.yaml");
  const auto errs = errors_of(mm::validate(s));
  ASSERT_EQ(errs.size(), 1u) << dump(errs);
  EXPECT_EQ(errs[0].path, path) << errs[0].to_string();
  EXPECT_EQ(errs[0].line, line) << errs[0].to_string();
  EXPECT_NE(errs[0].message.find(needle), std::string::npos) << errs[0].message << "\nwanted: " << needle;
}

TEST(SpecAnalysis, BaseLoadsEveryField) {
  const mm::spec s = mm::parse_spec(base, "t.yaml");
  ASSERT_TRUE(s.load_issues.empty()) << dump(s.load_issues);
  EXPECT_TRUE(errors_of(mm::validate(s)).empty()) << dump(mm::validate(s));

  ASSERT_TRUE(s.data.has_value());
  EXPECT_EQ(s.data->time_zone, "Europe/London");
  ASSERT_EQ(s.data->columns.size(), 6u);
  EXPECT_EQ(s.data->columns[1], (std::pair<std::string, std::string>{"start", "start_time"}));
  EXPECT_EQ(*s.data->column("customer"), "customer_id");
  EXPECT_EQ(s.data->column("agent"), nullptr);
  EXPECT_EQ(s.data->channels, (std::vector<std::string>{"phone", "chat", "app"}));
  ASSERT_EQ(s.data->scales.size(), 1u);
  EXPECT_EQ(s.data->scales[0], (mm::score_scale{"csat", 1, 5}));

  ASSERT_TRUE(s.analysis.has_value());
  EXPECT_EQ(s.analysis->period, "month");
  EXPECT_EQ(s.analysis->segments, std::vector<std::string>{"channel"});
  EXPECT_EQ(s.analysis->alpha, 0.1);
  EXPECT_EQ(s.analysis->min_n, 20);

  const mm::metric& rep = s.metrics[0];
  ASSERT_TRUE(rep.measure.has_value());
  EXPECT_EQ(rep.measure->kind, "repeat_rate");
  ASSERT_EQ(rep.measure->params.size(), 2u);
  EXPECT_EQ(rep.measure->params[0].first, "window");
  EXPECT_EQ(std::get<std::string>(rep.measure->params[0].second), "P7D");
  EXPECT_EQ(std::get<bool>(rep.measure->params[1].second), true);
  ASSERT_EQ(rep.measure->where.size(), 1u);
  EXPECT_EQ(rep.measure->where[0].second, (std::vector<std::string>{"card_lost", "card_late"}));
  EXPECT_FALSE(rep.definitions[0].measure.has_value());
  ASSERT_TRUE(rep.definitions[1].measure.has_value());
  EXPECT_EQ(std::get<bool>(rep.definitions[1].measure->params[1].second), false);
  EXPECT_EQ(std::get<double>(s.metrics[1].measure->params[0].second), 4.0);
  EXPECT_FALSE(s.metrics[2].measure.has_value());

  ASSERT_EQ(s.experiments.size(), 3u);
  const mm::experiment& ab = s.experiments[0];
  EXPECT_EQ(ab.design, "ab_test");
  EXPECT_EQ(ab.salt, "s-2026");
  ASSERT_EQ(ab.arms.size(), 2u);
  EXPECT_EQ(ab.arms[1], (mm::arm_weight{"treatment", 0.5}));
  EXPECT_EQ(ab.start, (civil_date{2026, 2, 1}));
  EXPECT_EQ(ab.end, (civil_date{2026, 3, 31}));
  EXPECT_EQ(ab.primary, (mm::metric_ref{"rep", "1", std::nullopt, false}));
  EXPECT_EQ(ab.guardrails.at(0), (mm::metric_ref{"csat", "1", 0.02, false}));
  EXPECT_EQ(ab.mde, 0.02);
  const mm::experiment& sw = s.experiments[1];
  EXPECT_EQ(sw.cluster, "site");
  ASSERT_EQ(sw.rollout.size(), 2u);
  EXPECT_EQ(sw.rollout[0], (mm::rollout_entry{"leeds", civil_date{2026, 2, 1}}));
  EXPECT_EQ(s.experiments[2].intervention, (civil_date{2026, 5, 1}));

  ASSERT_EQ(s.control_charts.size(), 1u);
  const mm::control_chart_spec& ch = s.control_charts[0];
  EXPECT_EQ(ch.chart, "p");
  EXPECT_EQ(ch.by, "queue");
  EXPECT_EQ(ch.baseline_to, (civil_date{2026, 3, 31}));
  EXPECT_EQ(ch.rules, "nelson");
}

TEST(SpecAnalysis, SectionsAreOptional) {
  const mm::spec s = mm::parse_spec("spec_version: \"1\"\n", "t.yaml");
  EXPECT_FALSE(s.data.has_value());
  EXPECT_FALSE(s.analysis.has_value());
  EXPECT_TRUE(s.experiments.empty());
  EXPECT_TRUE(s.control_charts.empty());
}

TEST(SpecAnalysis, RoundTripsThroughYamlAndJson) {
  const mm::spec s = mm::parse_spec(base, "t.yaml");
  const std::string yaml = mm::to_yaml(s);
  const mm::spec again = mm::parse_spec(yaml, "again.yaml");
  EXPECT_TRUE(again.load_issues.empty()) << dump(again.load_issues) << yaml;
  EXPECT_TRUE(again.same_model(s)) << yaml;
  const mm::spec from_json = mm::parse_spec(mm::to_json(s), "again.json");
  EXPECT_TRUE(from_json.load_issues.empty()) << dump(from_json.load_issues);
  EXPECT_TRUE(from_json.same_model(s)) << mm::to_json(s);
  // Text that looks like another type stays text; a whole-number double stays a number.
  const mm::spec odd = mm::parse_spec(with("params: {window: P7D, same_reason: true}",
                                           "params: {window: P7D, anchor: \"true\", channels: \"7\"}"),
                                      "t.yaml");
  const mm::spec odd_again = mm::parse_spec(mm::to_yaml(odd), "again.yaml");
  EXPECT_TRUE(odd_again.same_model(odd)) << mm::to_yaml(odd);
  EXPECT_TRUE(std::holds_alternative<std::string>(odd_again.metrics[0].measure->params[1].second));
}

// Values that YAML would read as another type, or that need quoting, survive both writers.
TEST(SpecAnalysis, AwkwardValuesRoundTrip) {
  mm::spec s;
  mm::data_mapping& d = s.data.emplace();
  d.time_zone = "America/Argentina/Buenos_Aires";
  d.columns = {{"customer", "null"}, {"start", "yes"}, {"reason", "a: b # c"}, {"site", "'quoted'"}};
  d.channels = {"true", "1", "-"};
  d.scales = {{"nps", -0.5, 1e-300}};
  s.analysis.emplace().segments = {"site"};
  mm::metric& m = s.metrics.emplace_back();
  m.id = "m";
  m.definitions.push_back({"1", civil_date{2026, 1, 1}, "r", "", std::nullopt});
  m.measure = mm::measure_spec{"fcr",
                               {{"window", std::string("P7D")},
                                {"anchor", std::string("true")},
                                {"channels", std::string("1e3")},
                                {"same_reason", false},
                                {"data_end", 0.1},
                                {"x", std::vector<std::string>{"on", "", "[a]"}}},
                               {{"reason", {"no", "~", "x: y"}}}};
  mm::experiment& e = s.experiments.emplace_back();
  e.id = "e";
  e.design = "ab_test";
  e.salt = "2026";
  e.arms = {{"yes", 1.0 / 3.0}, {"a: b", 2}};
  e.primary = mm::metric_ref{"m", "1", 0.0, true};
  e.rollout = {{"null", civil_date{2026, 2, 29 - 1}}};
  e.intervention = civil_date{2026, 12, 31};
  mm::control_chart_spec& c = s.control_charts.emplace_back();
  c.id = "c";
  c.metric = "m";
  c.chart = "u";
  c.baseline_to = civil_date{2026, 3, 1};

  const std::string yaml = mm::to_yaml(s);
  const mm::spec from_yaml = mm::parse_spec(yaml, "a.yaml");
  EXPECT_TRUE(from_yaml.load_issues.empty()) << dump(from_yaml.load_issues) << yaml;
  EXPECT_TRUE(from_yaml.same_model(s)) << yaml;
  const mm::spec from_json = mm::parse_spec(mm::to_json(s), "a.json");
  EXPECT_TRUE(from_json.load_issues.empty()) << dump(from_json.load_issues);
  EXPECT_TRUE(from_json.same_model(s)) << mm::to_json(s);
}

TEST(SpecAnalysis, SameModelSeesEveryNewField) {
  const mm::spec s = mm::parse_spec(base, "t.yaml");
  const auto differs = [&](std::string_view from, std::string_view to) {
    return !mm::parse_spec(with(from, to), "t.yaml").same_model(s);
  };
  EXPECT_TRUE(differs("time_zone: Europe/London", "time_zone: UTC"));
  EXPECT_TRUE(differs("min_n: 20", "min_n: 21"));
  EXPECT_TRUE(differs("same_reason: true}\n      where", "same_reason: false}\n      where"));
  EXPECT_TRUE(differs("PT48H", "PT47H"));
  EXPECT_TRUE(differs("treatment: 0.5", "treatment: 0.6"));
  EXPECT_TRUE(differs("glasgow: 2026-03-01", "glasgow: 2026-03-02"));
  EXPECT_TRUE(differs("rules: nelson", "rules: western_electric"));
  EXPECT_TRUE(differs("margin: 0.02, relative: false", "margin: 0.02, relative: true"));
}

// ---------------------------------------------------------------------------------------------------
// Loader findings: types and unknown keys, with their lines

TEST(SpecAnalysis, LoaderReportsUnknownKeysAndWrongTypes) {
  const auto single = [](const std::string& text, std::string_view path, int line, std::string_view needle) {
    const mm::spec s = mm::parse_spec(text, "t.yaml");
    ASSERT_EQ(s.load_issues.size(), 1u) << dump(s.load_issues);
    EXPECT_EQ(s.load_issues[0].path, path);
    EXPECT_EQ(s.load_issues[0].line, line);
    EXPECT_NE(s.load_issues[0].message.find(needle), std::string::npos) << s.load_issues[0].message;
  };
  single(with("  channels: [phone", "  chanels: [phone"), "data.chanels", 11, "did you mean 'channels'");
  single(with("  alpha: 0.1", "  alpha: high"), "analysis.alpha", 16, "expected a number");
  single(with("  min_n: 20", "  min_n: 0"), "analysis.min_n", 17, "whole number >= 1");
  single(with("      params: {window", "      paramz: {window"), "metrics[0].measure.paramz", 29,
         "did you mean 'params'");
  single(with("  scales: {csat: [1, 5]}", "  scales: {csat: [1, 5, 7]}"), "data.scales.csat", 12,
         "[low, high]");
  single(with("    start: 2026-02-01", "    start: 2026-02-30"), "experiments[0].start", 65, "not a date");
  single(with("leeds: 2026-02-01", "leeds: soon"), "experiments[1].rollout.leeds", 74, "not a date");
  single(with("treatment: 0.5", "treatment: half"), "experiments[0].assignment.arms.treatment", 64,
         "expected a number");
  single(with("    mde: 0.02", "    mdee: 0.02"), "experiments[0].mdee", 70, "did you mean 'mde'");
  single(with("    rules: nelson", "    rule: nelson"), "control_charts[0].rule", 87, "did you mean 'rules'");
  single(with("  - id: sw\n", "  - id: ab\n"), "experiments[1].id", 71, "already used");
  single(with("relative: false", "relative: maybe"), "experiments[0].guardrails[0].relative", 68,
         "true or false");
}

// ---------------------------------------------------------------------------------------------------
// Semantic checks: one per case, with path and line

TEST(SpecAnalysis, DataChecks) {
  expect_error(with("    site: site\n", "    site: site\n    sitee: x\n"), "data.columns.sitee", 11,
               "unknown contact-log role 'sitee' (did you mean 'site'?)");
  expect_error(with("    customer: customer_id\n", ""), "data.columns", 4, "required role 'customer'");
  expect_error(with("    start: start_time\n", ""), "data.columns", 4, "required role 'start'");
  expect_error(with("time_zone: Europe/London", "time_zone: Europe/Lundun"), "data.time_zone", 3,
               "unknown time zone");
  expect_error(with("{csat: [1, 5]}", "{csat: [5, 1]}"), "data.scales.csat", 12, "low < high");
  expect_error(with("{csat: [1, 5]}", "{csats: [1, 5]}"), "data.scales.csats", 12, "unknown survey score");
}

TEST(SpecAnalysis, AnalysisChecks) {
  expect_error(with("  period: month", "  period: fortnight"), "analysis.period", 14, "unknown period");
  expect_error(with("  segments: [channel]\n  alpha", "  segments: [customer]\n  alpha"),
               "analysis.segments[0]", 15, "not a groupable role");
  expect_error(with("  segments: [channel]\n  alpha", "  segments: [agent]\n  alpha"), "analysis.segments[0]",
               15, "not mapped to a column");
  expect_error(with("  alpha: 0.1", "  alpha: 1.5"), "analysis.alpha", 16, "between 0 and 1");
}

TEST(SpecAnalysis, MeasureChecks) {
  expect_error(with("      kind: repeat_rate\n", "      kind: repeat_rat\n"), "metrics[0].measure.kind", 28,
               "unknown measure kind 'repeat_rat' (did you mean 'repeat_rate'?)");
  expect_error(
      with("{window: P7D, same_reason: true}", "{window: P7D, same_reason: true, censoring: exclude}"),
      "metrics[0].measure.params.censoring", 29, "has no parameter 'censoring'");
  expect_error(with("{window: P7D, same_reason: true}", "{window: 7 days, same_reason: true}"),
               "metrics[0].measure.params.window", 29, "ISO 8601 duration");
  expect_error(with("{window: P7D, same_reason: true}", "{window: P1M, same_reason: true}"),
               "metrics[0].measure.params.window", 29, "years or months");
  expect_error(with("{window: P7D, same_reason: true}", "{window: P7D, same_reason: yes}"),
               "metrics[0].measure.params.same_reason", 29, "true or false");
  expect_error(with("{window: P7D, same_reason: true}", "{window: P7D, period: week}"),
               "metrics[0].measure.params.period", 29, "set by the run");
  expect_error(with("where: {reason: [", "where: {customer: ["), "metrics[0].measure.where.customer", 30,
               "not a groupable role");
  // A definition's own measure is checked too, at its own path.
  expect_error(with("window: PT48H", "window: PT48X"), "metrics[0].definitions[1].measure.params.window", 38,
               "ISO 8601 duration");
  expect_error(with("{kind: csat, params: {top_box_min: 4}}", "{kind: csat, params: {top_box_min: four}}"),
               "metrics[1].measure.params.top_box_min", 47, "must be a number");
  expect_error(
      with("{kind: csat, params: {top_box_min: 4}}", "{kind: containment, params: {digital: [app]}}"),
      "metrics[1].measure.params", 47, "params.assisted");
  expect_error(with("{kind: csat, params: {top_box_min: 4}}", "{kind: failure_demand}"),
               "metrics[1].measure.kind", 47, "needs reasons");
}

TEST(SpecAnalysis, ExperimentChecks) {
  expect_error(with("design: ab_test", "design: ab_tests"), "experiments[0].design", 62,
               "unknown design 'ab_tests' (did you mean 'ab_test'?)");
  expect_error(with("{salt: s-2026, arms", "{arms"), "experiments[0].assignment.salt", 64,
               "no assignment salt");
  expect_error(with("{control: 0.5, treatment: 0.5}", "{control: 1}"), "experiments[0].assignment.arms", 64,
               "at least two arms");
  expect_error(with("{control: 0.5, treatment: 0.5}", "{control: 0.5, treatment: 0}"),
               "experiments[0].assignment.arms.treatment", 64, "weights must be positive");
  expect_error(with("    cluster: site\n", ""), "experiments[1].cluster", 71, "has no cluster");
  expect_error(with("cluster: site", "cluster: customer"), "experiments[1].cluster", 73,
               "not a groupable role");
  expect_error(with("{leeds: 2026-02-01, glasgow: 2026-03-01}", "{leeds: 2026-02-01}"),
               "experiments[1].rollout", 74, "at least two rollout entries");
  expect_error(with("    intervention: 2026-05-01\n", ""), "experiments[2].intervention", 76,
               "no intervention date");
  expect_error(with("primary: {metric: rep, version: \"1\"}", "primary: {metric: repp, version: \"1\"}"),
               "experiments[0].primary.metric", 67, "'repp' is not a metric (did you mean 'rep'?)");
  expect_error(with("primary: {metric: rep, version: \"1\"}", "primary: {metric: rep, version: \"3\"}"),
               "experiments[0].primary.version", 67, "has no version '3'");
  expect_error(with("primary: {metric: rep, version: \"1\"}", "primary: {metric: nps_ext, version: \"1\"}"),
               "experiments[0].primary.metric", 67, "cannot be computed from the contact log");
  expect_error(with("margin: 0.02", "margin: -0.02"), "experiments[0].guardrails[0].margin", 68, "negative");
  expect_error(with("    end: 2026-03-31\n", "    end: 2026-01-31\n"), "experiments[0].end", 66,
               "before it starts");
  expect_error(with("    primary: {metric: csat, version: \"1\"}\n", ""), "experiments[2].primary", 76,
               "no primary metric");
  expect_error(with("  segments: [channel]\n  alpha", "  segments: [channel]\n  alpha",
                    with("    segments: [channel]\n    mde", "    segments: [agent]\n    mde")),
               "experiments[0].segments[0]", 69, "not mapped");
}

TEST(SpecAnalysis, ControlChartChecks) {
  expect_error(with("    metric: rep\n", "    metric: nps_ext\n"), "control_charts[0].metric", 82,
               "cannot be charted");
  expect_error(with("    metric: rep\n", "    metric: rpe\n"), "control_charts[0].metric", 82,
               "is not a metric");
  expect_error(with("    chart: p\n", "    chart: pie\n"), "control_charts[0].chart", 83,
               "unknown chart type");
  expect_error(with("    rules: nelson", "    rules: shewhart"), "control_charts[0].rules", 87,
               "unknown rule set");
  expect_error(with("    period: day\n", "    period: hour\n"), "control_charts[0].period", 84,
               "unknown period");
  expect_error(with("    by: queue\n", "    by: agent\n"), "control_charts[0].by", 85, "not mapped");
  expect_error(with("to: 2026-03-31}\n    rules", "to: 2025-03-31}\n    rules"),
               "control_charts[0].baseline.to", 86, "before it starts");
}

// ---------------------------------------------------------------------------------------------------
// The bundled examples

TEST(SpecAnalysis, DemoMissionValidatesWithoutErrors) {
  for (const char* name : {"demo_contact_centre", "bank_card_replacement"}) {
    const mm::spec s = mm::load_spec(example_path(name));
    EXPECT_TRUE(s.load_issues.empty()) << name << dump(s.load_issues);
    EXPECT_TRUE(errors_of(mm::validate(s)).empty()) << name << dump(mm::validate(s));
    const mm::spec again = mm::parse_spec(mm::to_yaml(s), "again.yaml");
    EXPECT_TRUE(again.same_model(s)) << name;
  }
  const mm::spec demo = mm::load_spec(example_path("demo_contact_centre"));
  ASSERT_TRUE(demo.data.has_value());
  EXPECT_EQ(demo.experiments.size(), 2u);
  EXPECT_EQ(demo.control_charts.size(), 1u);
  // The mid-year redefinition of the north star is a comparability break.
  const mm::metric* fcr = demo.find_metric("fcr_7d");
  ASSERT_NE(fcr, nullptr);
  EXPECT_EQ(fcr->definitions.size(), 2u);
  EXPECT_TRUE(fcr->definitions[1].measure.has_value());
}

TEST(SpecAnalysis, VocabularyTables) {
  EXPECT_EQ(mm::measure_kinds().size(), 16u);
  for (std::string_view kind : mm::measure_kinds())
    for (std::string_view p : mm::measure_params(kind)) EXPECT_FALSE(p.empty()) << kind;
  EXPECT_TRUE(mm::measure_params("nope").empty());
  EXPECT_TRUE(mm::is_duration_param("window"));
  EXPECT_FALSE(mm::is_duration_param("anchor"));
  EXPECT_EQ(mm::contact_log_roles().size(), 22u);
}

}  // namespace
