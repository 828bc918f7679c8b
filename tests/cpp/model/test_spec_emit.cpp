// Writing specs: canonical YAML and JSON that read back to the same model, for the reference example,
// for hand-picked awkward values and for seeded random specs.
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
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

// Both writers, read back: no load issue and the same model.
void expect_round_trip(const mm::spec& s) {
  const std::string yaml = mm::to_yaml(s);
  const mm::spec from_yaml = mm::parse_spec(yaml, "emitted.yaml");
  EXPECT_TRUE(from_yaml.load_issues.empty()) << dump(from_yaml.load_issues) << "\n" << yaml;
  EXPECT_TRUE(from_yaml.same_model(s)) << yaml;

  const std::string json = mm::to_json(s);
  const mm::spec from_json = mm::parse_spec(json, "emitted.json");
  EXPECT_TRUE(from_json.load_issues.empty()) << dump(from_json.load_issues) << "\n" << json;
  EXPECT_TRUE(from_json.same_model(s)) << json;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Text that YAML would read as something other than a string, or that needs quoting or escaping.
const std::vector<std::string> awkward_text = {
    "yes",
    "No",
    "ON",
    "y",
    "1.0",
    "1",
    "01",
    "2.1",
    "-0",
    "1e3",
    "1_000",
    "0x1F",
    "0o17",
    "1:30",
    ".inf",
    "-.inf",
    ".NaN",
    "null",
    "Null",
    "~",
    "true",
    "FALSE",
    "2026-01-01",
    "2026-01-01 10:00:00",
    "#hash",
    "a #comment",
    ": colon",
    "key: value",
    "- dash",
    "-",
    "?",
    "? q",
    "'single",
    "\"double",
    "back\\slash",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&anchor",
    "*alias",
    "!tag",
    "|pipe",
    ">fold",
    "%percent",
    "@at",
    "`tick",
    "=",
    "<<",
    "  leading",
    "trailing  ",
    "tab\there",
    "line one\nline two",
    "ends with newline\n",
    "\n",
    "carriage\r\nreturn",
    "Zürich — 東京 ✓ 👍",
    "control\x01char",
    "P14D",
    "",
};

mm::spec awkward_spec() {
  mm::spec s;
  s.settings.max_drivers_per_outcome = 3;
  s.mission = {"Zürich — 東京 ✓", "yes", "line one\nline two", "#hash", "P14D", "null"};
  for (std::size_t i = 0; i < awkward_text.size(); ++i) {
    mm::metric m;
    m.id = "m" + std::to_string(i);
    m.name = awkward_text[i];
    m.tier = static_cast<mm::tier>(i % 3);
    m.lens = static_cast<mm::lens>((i + 1) % 3);
    if (i % 2 == 0) m.heart = static_cast<mm::heart>(i % 5);
    m.unit = awkward_text[(i + 1) % awkward_text.size()];
    m.direction = i % 2 == 0 ? mm::direction::increase : mm::direction::decrease;
    m.owner = awkward_text[(i + 2) % awkward_text.size()];
    m.definitions.push_back(
        {awkward_text[i].empty() ? "v" : awkward_text[i], civil_date{2025, 1, 1}, "rule\n  indented", ""});
    m.definitions.push_back({"v2", civil_date{2024, 2, 29}, awkward_text[i], "why: it changed"});
    s.metrics.push_back(std::move(m));
  }
  s.tree = {{"a", "b", mm::edge_kind::influence, -1},
            {"c", "b", mm::edge_kind::formula, 0},
            {"yes", "no", mm::edge_kind::influence, 1}};
  const double values[] = {0.1 + 0.2,           1e-300,    -1e-300, 5e-324, DBL_MAX, -DBL_MAX, -0.0,
                           123456789.123456789, 1.0 / 3.0, 2.0,     -7.5e22};
  mm::objective o{"Objective: quoted", "1.0", {}};
  for (std::size_t i = 0; i + 1 < std::size(values); ++i) {
    mm::key_result kr{"m0", "1.0", values[i], values[i + 1], std::nullopt, civil_date{2000, 12, 31}, "~"};
    if (i % 2 == 0) kr.stretch = -values[i];
    o.key_results.push_back(kr);
  }
  s.okrs.push_back(o);
  s.hoshin.breakthroughs = {{"1", "yes"}, {"B-2", ""}};
  s.hoshin.annual = {{"true", "2026-01-01"}};
  s.hoshin.priorities = {{"null", "#x"}};
  s.hoshin.metrics = {"1.0", "yes", ""};
  s.hoshin.owners = {{"O1", "No"}};
  s.hoshin.cells = {{"1", "true", mm::correlation::weak}, {"true", "null", mm::correlation::medium}};
  s.blueprint.name = "- dash";
  mm::blueprint_stage st;
  st.id = "2026-01-01";
  st.name = "Stage: one";
  st.customer = {{"text only", {}, false}, {"yes", {"m0", "1"}, false}, {"fails", {}, true}};
  st.support = {{"", {}, false}, {"- dash", {}, false}};
  s.blueprint.stages.push_back(st);
  s.logic_model.inputs = {"1", "yes", "a: b"};
  s.logic_model.activities.push_back({"act", "", {"~"}, {"m0"}, {}, "multi\nline\n"});
  mm::work_item w;
  w.id = "W1";
  w.framework = mm::framework::ooda;
  w.stage = "act";
  w.cycle = 4;
  w.evidence["observe"] = {{"1", "yes"}, {"a: b", "#c"}, {"", "empty key"}};
  w.evidence["yes"] = {};
  s.work.push_back(w);
  return s;
}

TEST(SpecEmit, ExampleRoundTrips) {
  const mm::spec s = mm::load_spec(example_path());
  ASSERT_TRUE(s.load_issues.empty()) << dump(s.load_issues);
  expect_round_trip(s);
}

TEST(SpecEmit, AwkwardValuesRoundTrip) { expect_round_trip(awkward_spec()); }

TEST(SpecEmit, DefaultSpecRoundTrips) {
  expect_round_trip(mm::spec{});
  EXPECT_EQ(mm::to_yaml(mm::spec{}), "spec_version: \"1\"\n");
}

TEST(SpecEmit, YamlIsCanonical) {
  const std::string yaml = mm::to_yaml(mm::load_spec(example_path()));
  // Versions are text even to YAML tools that would read 1 as an integer; dates are bare dates.
  EXPECT_TRUE(contains(yaml, "spec_version: \"1\"\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "- version: \"2\"\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "effective_from: 2026-04-01\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "due: 2026-12-31\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "baseline: 0.71\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "sign: -1\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "fail_point: true\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "- Card management system\n")) << yaml;  // text-only steps stay strings
  EXPECT_TRUE(contains(yaml, "name: Digital Product Owner, Cards\n")) << yaml;
  // Sections in the documented order, keys in declaration order.
  const char* order[] = {"spec_version:", "mission:",   "metrics:",     "tree:", "okrs:",
                         "hoshin:",       "blueprint:", "logic_model:", "work:"};
  std::size_t last = 0;
  for (const char* key : order) {
    const std::size_t at = yaml.find(std::string("\n") + key);
    const std::size_t found = std::strcmp(key, "spec_version:") == 0 ? yaml.find(key) : at;
    ASSERT_NE(found, std::string::npos) << key;
    EXPECT_GE(found, last) << key;
    last = found;
  }
  // settings equal to the defaults are not written out
  EXPECT_FALSE(contains(yaml, "settings:"));
  // dispatch_hours has no HEART category, so no heart key between its lens and unit
  EXPECT_TRUE(contains(yaml,
                       "id: dispatch_hours\n    name: Hours from request to card dispatch\n"
                       "    tier: driver\n    lens: business\n    unit: hours\n"))
      << yaml;
}

TEST(SpecEmit, QuotesTextThatWouldReadAsAnotherType) {
  mm::spec s;
  s.mission.name = "yes";
  s.mission.segment = "1.0";
  s.mission.situation = "null";
  s.mission.desired_progress = "2026-01-01";
  s.mission.time_to_value = "P14D";
  s.mission.outcome = "No";
  const std::string yaml = mm::to_yaml(s);
  EXPECT_TRUE(contains(yaml, "name: \"yes\"\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "segment: \"1.0\"\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "situation: \"null\"\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "desired_progress: \"2026-01-01\"\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "time_to_value: P14D\n")) << yaml;
  s.metrics.push_back({"m",
                       "",
                       mm::tier::driver,
                       mm::lens::risk,
                       std::nullopt,
                       "",
                       mm::direction::increase,
                       "",
                       "",
                       "",
                       {{"v2", civil_date{2026, 1, 1}, "", ""}}});
  EXPECT_TRUE(contains(mm::to_yaml(s), "- version: \"v2\"\n")) << mm::to_yaml(s);  // versions always quoted
  EXPECT_TRUE(contains(yaml, "outcome: \"No\"\n")) << yaml;
}

TEST(SpecEmit, DoublesInShortestRoundTripForm) {
  mm::spec s;
  s.okrs.push_back({"o", "", {{"m", "1", 0.1 + 0.2, 1e-300, 0.5, civil_date{2026, 1, 1}, ""}}});
  const std::string yaml = mm::to_yaml(s);
  EXPECT_TRUE(contains(yaml, "baseline: 0.30000000000000004\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "target: 1e-300\n")) << yaml;
  EXPECT_TRUE(contains(yaml, "stretch: 0.5\n")) << yaml;
  const mm::spec back = mm::parse_spec(yaml);
  EXPECT_EQ(back.okrs[0].key_results[0].baseline, 0.1 + 0.2);  // exact, not approximately
  EXPECT_EQ(back.okrs[0].key_results[0].target, 1e-300);
}

TEST(SpecEmit, JsonHasTheSameStructureWithTypedValues) {
  const mm::spec s = mm::load_spec(example_path());
  const auto j = nlohmann::ordered_json::parse(mm::to_json(s));
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"spec_version", "mission", "metrics", "tree", "okrs", "hoshin",
                                            "blueprint", "logic_model", "failure_demand", "work", "data",
                                            "analysis", "experiments", "control_charts"}));
  EXPECT_TRUE(j["spec_version"].is_string());
  const auto& kr = j["okrs"][0]["key_results"][0];
  EXPECT_TRUE(kr["baseline"].is_number_float());
  EXPECT_EQ(kr["baseline"].get<double>(), 0.71);
  EXPECT_EQ(kr["due"], "2026-12-31");
  EXPECT_FALSE(j["okrs"][0]["key_results"][1].contains("stretch"));
  EXPECT_EQ(j["tree"][0]["sign"], -1);
  EXPECT_TRUE(j["tree"][0]["sign"].is_number_integer());
  EXPECT_EQ(j["metrics"][0]["definitions"][1]["version"], "2");
  EXPECT_EQ(j["hoshin"]["owners"][0]["name"], "Card Operations Manager");
  EXPECT_EQ(j["blueprint"]["stages"][0]["support"][0], "Card management system");
  EXPECT_EQ(j["blueprint"]["stages"][1]["customer"][0]["fail_point"], true);
  EXPECT_EQ(j["work"][1]["evidence"]["define"]["charter"], "Charter signed 2026-03-02");
  EXPECT_FALSE(j["work"][0].contains("cycle"));  // the default is omitted
  std::vector<std::string> metric_keys;
  for (const auto& [k, v] : j["metrics"][0].items()) metric_keys.push_back(k);
  EXPECT_EQ(metric_keys, (std::vector<std::string>{"id", "name", "tier", "lens", "heart", "unit", "direction",
                                                   "owner", "source", "definitions"}));
}

// ---------------------------------------------------------------------------------------------------
// Seeded random specs: text drawn from YAML's special characters, doubles from random bit patterns.

class random_spec {
 public:
  explicit random_spec(std::uint64_t seed) : rng_(seed) {}

  mm::spec make() {
    mm::spec s;
    s.settings.max_drivers_per_outcome = pick(1, 12);
    s.mission = {text(), text(), text(), text(), text(), text()};
    for (int i = 0, n = pick(0, 4); i < n; ++i) {
      mm::metric m;
      m.id = text() + "#" + std::to_string(i);
      m.name = text();
      m.tier = static_cast<mm::tier>(pick(0, 2));
      m.lens = static_cast<mm::lens>(pick(0, 2));
      if (pick(0, 1)) m.heart = static_cast<mm::heart>(pick(0, 4));
      m.unit = text();
      m.direction = static_cast<mm::direction>(pick(0, 1));
      m.owner = text();
      m.source = text();
      m.description = text();
      for (int d = 0, nd = pick(0, 3); d < nd; ++d)
        m.definitions.push_back({text() + "." + std::to_string(d), date(), text(), text()});
      s.metrics.push_back(std::move(m));
    }
    for (int i = 0, n = pick(0, 3); i < n; ++i)
      s.tree.push_back({text(), text(), static_cast<mm::edge_kind>(pick(0, 1)), pick(-1, 1)});
    for (int i = 0, n = pick(0, 2); i < n; ++i) {
      mm::objective o{text(), text(), {}};
      for (int k = 0, nk = pick(0, 3); k < nk; ++k) {
        mm::key_result kr{text(), text(), number(), number(), std::nullopt, date(), text()};
        if (pick(0, 1)) kr.stretch = number();
        o.key_results.push_back(kr);
      }
      s.okrs.push_back(o);
    }
    int hoshin_id = 0;
    for (auto* list : {&s.hoshin.breakthroughs, &s.hoshin.annual, &s.hoshin.priorities, &s.hoshin.owners})
      for (int i = 0, n = pick(0, 2); i < n; ++i)
        list->push_back({text() + "@" + std::to_string(hoshin_id++), text()});
    for (int i = 0, n = pick(0, 2); i < n; ++i) s.hoshin.metrics.push_back(text());
    for (int i = 0, n = pick(0, 2); i < n; ++i)
      s.hoshin.cells.push_back({text(), text(), static_cast<mm::correlation>(pick(0, 2))});
    if (pick(0, 1)) s.blueprint.name = text();
    for (int i = 0, n = pick(0, 2); i < n; ++i) {
      mm::blueprint_stage st{text() + "/" + std::to_string(i), text(), {}, {}, {}, {}};
      for (auto* lane : {&st.customer, &st.frontstage, &st.backstage, &st.support})
        for (int k = 0, nk = pick(0, 2); k < nk; ++k) {
          mm::blueprint_step step{text(), {}, pick(0, 1) == 1};
          for (int x = 0, nx = pick(0, 2); x < nx; ++x) step.metrics.push_back(text());
          lane->push_back(step);
        }
      s.blueprint.stages.push_back(st);
    }
    for (int i = 0, n = pick(0, 2); i < n; ++i) s.logic_model.inputs.push_back(text());
    for (int i = 0, n = pick(0, 2); i < n; ++i)
      s.logic_model.activities.push_back(
          {text() + "!" + std::to_string(i), text(), {text()}, {text(), text()}, {}, text()});
    for (int i = 0, n = pick(0, 2); i < n; ++i) {
      mm::work_item w;
      w.id = text() + "%" + std::to_string(i);
      w.title = text();
      w.framework = static_cast<mm::framework>(pick(0, 2));
      w.stage = text();
      w.owner = text();
      w.cycle = pick(1, 9);
      for (int k = 0, nk = pick(0, 2); k < nk; ++k) {
        auto& artefacts = w.evidence[text()];
        for (int a = 0, na = pick(0, 2); a < na; ++a) artefacts[text()] = text();
      }
      s.work.push_back(w);
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string text() {
    static const char* const pieces[] = {
        "a",   "Z",  " ",  "  ",  "-",  "- ", ":", ": ",   "#",    " #",         "?",    "'",
        "\"",  "\\", "\n", "\t",  "\r", "{",  "}", "[",    "]",    ",",          "&",    "*",
        "!",   "|",  ">",  "%",   "@",  "`",  "=", "<<",   "é",    "東",         "✓",    "👍",
        "yes", "No", "1",  "1.0", "0x", "e5", "~", "null", ".inf", "2026-01-01", "\x01", "-1"};
    std::string out;
    for (int i = 0, n = pick(0, 4); i < n; ++i)
      out += pieces[pick(0, static_cast<int>(std::size(pieces)) - 1)];
    return out;
  }

  double number() {
    // Half the time a random bit pattern (every exponent, subnormals included), else a "nice" value.
    if (pick(0, 1)) {
      for (;;) {
        const std::uint64_t bits = rng_();
        double v;
        std::memcpy(&v, &bits, sizeof v);
        if (std::isfinite(v)) return v;
      }
    }
    return pick(-1000, 1000) / 100.0;
  }

  civil_date date() { return civil_date::from_days(pick(-100000, 100000)); }
};

TEST(SpecEmit, RandomSpecsRoundTrip) {
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const mm::spec s = random_spec(seed).make();
    expect_round_trip(s);
    if (HasFailure()) break;  // one readable failure, not 150
  }
}

}  // namespace
