// Reading a mission spec from YAML (or JSON) text.
//
// The document is walked against the schema by hand instead of through yaml-cpp's as<T>() conversions,
// because (1) every content problem must become an issue with a path and a line, and loading must go on
// so that a user sees all problems at once; (2) yaml-cpp keeps duplicate mapping keys without a word,
// so they can only be found by iterating the keys; and (3) numbers must parse identically in every
// locale, which std::from_chars guarantees and stream extraction does not.
//
// Division of labour with validate(): this file reports syntax, types, enum spellings, dates, unknown
// and duplicate keys, duplicate ids, and missing values the model cannot represent as "absent" (ids,
// enums without a default, dates, numbers). Empty text fields and references to other objects are left
// to the validator, so no problem is reported twice.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "missionkit/core/date.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/model/spec.hpp"

namespace missionkit::model {

namespace {

using key_list = std::span<const std::string_view>;

// The allowed keys of every mapping, in the order the emitter writes them.
constexpr std::string_view top_keys[] = {"spec_version", "settings",       "mission",       "metrics",
                                         "tree",         "okrs",           "hoshin",        "blueprint",
                                         "logic_model",  "failure_demand", "work",          "data",
                                         "analysis",     "experiments",    "control_charts"};
constexpr std::string_view data_keys[] = {"time_zone", "columns", "channels", "scales"};
constexpr std::string_view analysis_keys[] = {"period", "segments", "alpha", "min_n"};
constexpr std::string_view measure_keys[] = {"kind", "params", "where"};
constexpr std::string_view experiment_keys[] = {
    "id",  "design",  "hypothesis", "unit",       "assignment",  "start",
    "end", "primary", "secondary",  "guardrails", "segments",    "alpha",
    "mde", "cluster", "rollout",    "period",     "intervention"};
constexpr std::string_view assignment_keys[] = {"salt", "arms"};
constexpr std::string_view metric_ref_keys[] = {"metric", "version", "margin", "relative"};
constexpr std::string_view chart_keys[] = {"id", "metric", "chart", "period", "by", "baseline", "rules"};
constexpr std::string_view baseline_keys[] = {"from", "to"};
constexpr std::string_view settings_keys[] = {"max_drivers_per_outcome"};
constexpr std::string_view mission_keys[] = {"name",          "segment", "situation", "desired_progress",
                                             "time_to_value", "outcome"};
constexpr std::string_view metric_keys[] = {"id",     "name",        "tier",        "lens",
                                            "heart",  "unit",        "direction",   "owner",
                                            "source", "description", "definitions", "measure"};
constexpr std::string_view definition_keys[] = {"version", "effective_from", "rule", "change_note",
                                                "measure"};
constexpr std::string_view edge_keys[] = {"from", "to", "kind", "sign"};
constexpr std::string_view objective_keys[] = {"objective", "owner", "key_results"};
constexpr std::string_view key_result_keys[] = {"metric", "metric_version", "baseline", "target", "stretch",
                                                "due",    "description"};
constexpr std::string_view hoshin_keys[] = {"breakthroughs", "annual", "priorities",
                                            "metrics",       "owners", "cells"};
constexpr std::string_view hoshin_item_keys[] = {"id", "text"};
constexpr std::string_view hoshin_owner_keys[] = {"id", "name"};
constexpr std::string_view cell_keys[] = {"from", "to", "strength"};
constexpr std::string_view blueprint_keys[] = {"name", "stages"};
constexpr std::string_view stage_keys[] = {"id", "name", "customer", "frontstage", "backstage", "support"};
constexpr std::string_view step_keys[] = {"text", "metrics", "fail_point"};
constexpr std::string_view logic_keys[] = {"inputs", "activities"};
constexpr std::string_view activity_keys[] = {"id", "text", "outputs", "drivers", "outcomes", "assumption"};
constexpr std::string_view work_keys[] = {"id", "title", "framework", "stage", "owner", "cycle", "evidence"};

// The lanes of a blueprint stage, paired with their members so that reading stays one loop.
constexpr std::pair<std::string_view, std::vector<blueprint_step> blueprint_stage::*> lanes[] = {
    {"customer", &blueprint_stage::customer},
    {"frontstage", &blueprint_stage::frontstage},
    {"backstage", &blueprint_stage::backstage},
    {"support", &blueprint_stage::support}};

// ---------------------------------------------------------------------------------------------------
// Suggestions

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Optimal string alignment distance: Levenshtein plus transposition of adjacent characters, the typo a
// keyboard makes most ("teir" for "tier" is one edit, not two).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

// The nearest candidate when it is plausibly a typo: at most two edits, or a third of the word for long
// words, and never a complete rewrite of a short word ("x" is not a typo of "id").
std::optional<std::string_view> closest(std::string_view word, key_list candidates) {
  const std::string w = lower(word);
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (std::string_view c : candidates) {
    const std::size_t d = edit_distance(w, lower(c));
    if (!best || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, w.size() / 3);
  if (!best || best_distance > limit || best_distance >= w.size()) return std::nullopt;
  return best;
}

std::string join(key_list words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Enumerations: the allowed spellings come from the model's own to_string(), so they cannot drift.

template <typename E>
struct enum_info;
template <>
struct enum_info<tier> {
  static constexpr const char* noun = "tier";
  static constexpr tier values[] = {tier::outcome, tier::driver, tier::control};
  static std::optional<tier> parse(std::string_view s) { return parse_tier(s); }
};
template <>
struct enum_info<lens> {
  static constexpr const char* noun = "lens";
  static constexpr lens values[] = {lens::customer, lens::business, lens::risk};
  static std::optional<lens> parse(std::string_view s) { return parse_lens(s); }
};
template <>
struct enum_info<heart> {
  static constexpr const char* noun = "HEART category";
  static constexpr heart values[] = {heart::happiness, heart::engagement, heart::adoption, heart::retention,
                                     heart::task_success};
  static std::optional<heart> parse(std::string_view s) { return parse_heart(s); }
};
template <>
struct enum_info<direction> {
  static constexpr const char* noun = "direction";
  static constexpr direction values[] = {direction::increase, direction::decrease};
  static std::optional<direction> parse(std::string_view s) { return parse_direction(s); }
};
template <>
struct enum_info<edge_kind> {
  static constexpr const char* noun = "edge kind";
  static constexpr edge_kind values[] = {edge_kind::formula, edge_kind::influence};
  static std::optional<edge_kind> parse(std::string_view s) { return parse_edge_kind(s); }
};
template <>
struct enum_info<correlation> {
  static constexpr const char* noun = "strength";
  static constexpr correlation values[] = {correlation::strong, correlation::medium, correlation::weak};
  static std::optional<correlation> parse(std::string_view s) { return parse_correlation(s); }
};
template <>
struct enum_info<framework> {
  static constexpr const char* noun = "framework";
  static constexpr framework values[] = {framework::crisp_dm, framework::dmaic, framework::ooda};
  static std::optional<framework> parse(std::string_view s) { return parse_framework(s); }
};

template <typename E>
std::vector<std::string_view> enum_names() {
  std::vector<std::string_view> names;
  for (E v : enum_info<E>::values) names.emplace_back(to_string(v));
  return names;
}

// ---------------------------------------------------------------------------------------------------
// Nodes with their place in the document

source_position position_of(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.is_null() || m.line < 0) return {};
  return {m.line + 1, m.column + 1};  // yaml-cpp counts from 0; editors and our issues from 1
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// "an empty value", "a list", "a mapping" or the scalar itself, for "expected X, got Y" messages.
std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "an empty value";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      break;
  }
  // One line, and short: the message is printed after a path, and a whole paragraph would drown it.
  std::string text;
  for (char c : n.Scalar()) {
    if (text.size() >= 57) {
      text += "...";
      break;
    }
    if (c == '\n')
      text += "\\n";
    else
      text += c;
  }
  return (n.Tag() == "!" ? "the quoted text '" : "'") + text + "'";
}

bool is_plain(const YAML::Node& n) { return n.Tag() == "?"; }

/// A value to read: the node, its path in the spec, and where to point when it is wrong (see open()).
struct slot {
  YAML::Node node;
  std::string path;
  source_position at;
};

/// The accepted keys of one mapping, first occurrence only, in document order.
struct mapping {
  std::string path;
  source_position at;
  bool valid = false;  // false when the node was absent or not a mapping (already reported)
  std::vector<std::pair<std::string, slot>> fields;

  [[nodiscard]] const slot* find(std::string_view key) const {
    for (const auto& [name, s] : fields)
      if (name == key) return &s;
    return nullptr;
  }
};

// Text -> number, the YAML 1.2 core schema's decimal forms (a leading '+' included), no locale.
enum class number_status { ok, malformed, not_finite, out_of_range };

template <typename T>
number_status parse_number(std::string_view text, T& out) {
  std::string_view t = text;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  if (t.empty() || t.front() == '+' || (t.front() == '-' && t.size() > 1 && t[1] == '+'))
    return number_status::malformed;
  if constexpr (std::is_floating_point_v<T>) {
    // from_chars accepts "inf" and "nan"; YAML writes them ".inf" and ".nan". Both are refused with the
    // same explanation, because a baseline or target that is not a real number cannot be scored.
    std::string_view unsigned_text = t.front() == '-' ? t.substr(1) : t;
    const std::string l = lower(unsigned_text);
    if (l == ".inf" || l == ".nan" || l == "inf" || l == "nan" || l == "infinity")
      return number_status::not_finite;
  }
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  if (ec == std::errc::result_out_of_range) return number_status::out_of_range;
  if (ec != std::errc{} || end != t.data() + t.size()) return number_status::malformed;
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(out)) return number_status::not_finite;
  }
  return number_status::ok;
}

// ---------------------------------------------------------------------------------------------------
// The reader

class reader {
 public:
  explicit reader(spec& out) : out_(out) {}

  void document(const YAML::Node& root) {
    const mapping top = open({root, "", position_of(root)}, top_keys);
    if (const slot* s = top.find("spec_version")) read_spec_version(*s);
    if (const slot* s = top.find("settings")) read_settings(*s);
    if (const slot* s = top.find("data")) read_data(*s);
    if (const slot* s = top.find("analysis")) read_analysis(*s);
    if (const slot* s = top.find("mission")) read_mission(*s);
    if (const slot* s = top.find("metrics"))
      each(*s, [&](const slot& item) { read_metric(item, out_.metrics.emplace_back()); });
    if (const slot* s = top.find("tree"))
      each(*s, [&](const slot& item) { read_edge(item, out_.tree.emplace_back()); });
    if (const slot* s = top.find("okrs"))
      each(*s, [&](const slot& item) { read_objective(item, out_.okrs.emplace_back()); });
    if (const slot* s = top.find("hoshin")) read_hoshin(*s);
    if (const slot* s = top.find("blueprint")) read_blueprint(*s);
    if (const slot* s = top.find("logic_model")) read_logic_model(*s);
    read_text_list(top, "failure_demand", out_.failure_demand);
    if (const slot* s = top.find("work")) {
      std::map<std::string, std::string> ids;
      each(*s, [&](const slot& item) { read_work(item, out_.work.emplace_back(), ids); });
    }
    if (const slot* s = top.find("experiments")) {
      std::map<std::string, std::string> ids;
      each(*s, [&](const slot& item) { read_experiment(item, out_.experiments.emplace_back(), ids); });
    }
    if (const slot* s = top.find("control_charts")) {
      std::map<std::string, std::string> ids;
      each(*s, [&](const slot& item) { read_chart(item, out_.control_charts.emplace_back(), ids); });
    }
  }

 private:
  spec& out_;
  std::map<std::string, std::string> metric_ids_;  // id -> path of the metric that declared it first

  void report(const std::string& path, source_position at, std::string message) {
    out_.load_issues.push_back(issue{path, severity::error, std::move(message), at.line, at.column});
  }

  void record(const std::string& path, source_position at) {
    if (at.line > 0) out_.positions.emplace(path, at);  // emplace: the first of duplicate keys wins
  }

  // -- structure ------------------------------------------------------------------------------------

  /// Opens a mapping, reporting a wrong type, keys that are not text, duplicate keys and (unless
  /// any_key) keys not in `allowed`. An empty value is an absent section, not an error.
  mapping open(const slot& s, key_list allowed, bool any_key = false,
               std::string_view expected = "a mapping") {
    mapping m{s.path, s.at, false, {}};
    if (s.node.IsNull()) return m;
    if (!s.node.IsMap()) {
      report(s.path, s.at, "expected " + std::string(expected) + ", got " + describe(s.node));
      return m;
    }
    m.valid = true;
    std::map<std::string, int> first_line;
    for (auto it = s.node.begin(); it != s.node.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      const source_position key_at = position_of(key).line > 0 ? position_of(key) : s.at;
      if (!key.IsScalar()) {
        report(s.path, key_at, "a key must be plain text, got " + describe(key));
        continue;
      }
      const std::string& name = key.Scalar();
      const std::string path = child(s.path, name);
      if (const auto seen = first_line.find(name); seen != first_line.end()) {
        report(path, key_at,
               "duplicate key '" + name + "' (first given at line " + std::to_string(seen->second) +
                   "); remove one, only the first is read");
        continue;
      }
      first_line.emplace(name, key_at.line);
      if (!any_key && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string message = "unknown key '" + name + "'";
        if (const auto guess = closest(name, allowed))
          message += "; did you mean '" + std::string(*guess) + "'?";
        else
          message += "; allowed keys: " + join(allowed);
        report(path, key_at, std::move(message));
        continue;
      }
      record(path, key_at);
      // Point at a scalar value itself (the column of "outcom" in "tier: outcom"), but at the key of a
      // collection, whose first token may be on a later line, and of an empty value, which yaml-cpp
      // places at the next token.
      const source_position value_at =
          value.IsScalar() && position_of(value).line > 0 ? position_of(value) : key_at;
      m.fields.emplace_back(name, slot{value, path, value_at});
    }
    return m;
  }

  /// Opens a list item that must be a mapping: unlike a section, an empty item is an error.
  mapping open_item(const slot& s, key_list allowed, std::string_view what) {
    if (s.node.IsNull()) {
      report(s.path, s.at, "expected " + std::string(what) + " (a mapping), got an empty value");
      return mapping{s.path, s.at, false, {}};
    }
    return open(s, allowed, false, std::string(what) + " (a mapping)");
  }

  /// Calls fn for each item of a list, with its path and position recorded. An empty value is an
  /// empty list.
  void each(const slot& s, const std::function<void(const slot&)>& fn) {
    if (s.node.IsNull()) return;
    if (!s.node.IsSequence()) {
      report(s.path, s.at, "expected a list, got " + describe(s.node));
      return;
    }
    for (std::size_t i = 0; i < s.node.size(); ++i) {
      const YAML::Node item = s.node[i];
      const source_position p = position_of(item);
      const slot entry{item, index(s.path, i), p.line > 0 && !item.IsNull() ? p : s.at};
      record(entry.path, entry.at);
      fn(entry);
    }
  }

  /// The field's slot when it has a value; reports a required one that is absent or empty.
  const slot* field(const mapping& m, std::string_view key, bool required) {
    const slot* s = m.find(key);
    if (s && !s->node.IsNull()) return s;
    if (required && m.valid) {
      if (s)
        report(s->path, s->at, "required key '" + std::string(key) + "' has no value");
      else
        report(child(m.path, key), m.at, "missing required key '" + std::string(key) + "'");
    }
    return nullptr;
  }

  // -- scalars --------------------------------------------------------------------------------------

  std::optional<std::string> text(const slot& s) {
    if (s.node.IsScalar()) return s.node.Scalar();
    report(s.path, s.at, "expected text, got " + describe(s.node));
    return std::nullopt;
  }

  const slot* read_text(const mapping& m, std::string_view key, std::string& out, bool required = false) {
    const slot* s = field(m, key, required);
    if (!s) return nullptr;
    auto v = text(*s);
    if (!v) return nullptr;
    out = std::move(*v);
    return s;
  }

  std::optional<double> number(const slot& s) {
    if (!s.node.IsScalar() || !is_plain(s.node)) {
      report(s.path, s.at,
             "expected a number, got " + describe(s.node) +
                 (s.node.IsScalar() ? "; write numbers without quotes" : ""));
      return std::nullopt;
    }
    double v = 0;
    switch (parse_number(s.node.Scalar(), v)) {
      case number_status::ok:
        return v;
      case number_status::not_finite:
        report(s.path, s.at, "expected a finite number, got " + describe(s.node));
        break;
      case number_status::out_of_range:
        report(s.path, s.at, "number " + describe(s.node) + " is out of the range of a double");
        break;
      case number_status::malformed:
        report(s.path, s.at, "expected a number, got " + describe(s.node));
        break;
    }
    return std::nullopt;
  }

  void read_number(const mapping& m, std::string_view key, double& out) {
    if (const slot* s = field(m, key, true))
      if (auto v = number(*s)) out = *v;
  }

  void read_number(const mapping& m, std::string_view key, std::optional<double>& out) {
    if (const slot* s = field(m, key, false))
      if (auto v = number(*s)) out = *v;
  }

  void read_count(const mapping& m, std::string_view key, int& out) {
    const slot* s = field(m, key, false);
    if (!s) return;
    int v = 0;
    if (!s->node.IsScalar() || !is_plain(s->node) || parse_number(s->node.Scalar(), v) != number_status::ok ||
        v < 1) {
      report(s->path, s->at, "expected a whole number >= 1, got " + describe(s->node));
      return;
    }
    out = v;
  }

  void read_bool(const mapping& m, std::string_view key, bool& out) {
    const slot* s = field(m, key, false);
    if (!s) return;
    // The YAML 1.2 core schema's spellings only: YAML 1.1's yes/no/on/off are exactly the values that
    // surprise people (a country code "NO" read as false), so they are refused rather than guessed.
    if (s->node.IsScalar() && is_plain(s->node)) {
      const std::string& t = s->node.Scalar();
      if (t == "true" || t == "True" || t == "TRUE") {
        out = true;
        return;
      }
      if (t == "false" || t == "False" || t == "FALSE") {
        out = false;
        return;
      }
    }
    report(s->path, s->at, "expected true or false, got " + describe(s->node));
  }

  void read_date(const mapping& m, std::string_view key, civil_date& out) {
    const slot* s = field(m, key, true);
    if (!s) return;
    if (s->node.IsScalar()) {
      if (auto d = parse_date(s->node.Scalar())) {
        out = *d;
        return;
      }
      report(s->path, s->at, describe(s->node) + " is not a date; write a real calendar day as YYYY-MM-DD");
      return;
    }
    report(s->path, s->at, "expected a date (YYYY-MM-DD), got " + describe(s->node));
  }

  std::optional<civil_date> date(const slot& s) {
    if (s.node.IsScalar()) {
      if (auto d = parse_date(s.node.Scalar())) return d;
      report(s.path, s.at, describe(s.node) + " is not a date; write a real calendar day as YYYY-MM-DD");
      return std::nullopt;
    }
    report(s.path, s.at, "expected a date (YYYY-MM-DD), got " + describe(s.node));
    return std::nullopt;
  }

  void read_date(const mapping& m, std::string_view key, std::optional<civil_date>& out) {
    if (const slot* s = field(m, key, false))
      if (auto d = date(*s)) out = *d;
  }

  template <typename E>
  std::optional<E> choice(const slot& s) {
    const std::vector<std::string_view> names = enum_names<E>();
    const std::string allowed = join(names);
    if (!s.node.IsScalar()) {
      report(s.path, s.at, "expected one of " + allowed + ", got " + describe(s.node));
      return std::nullopt;
    }
    const std::string& t = s.node.Scalar();
    if (auto v = enum_info<E>::parse(t)) return v;
    std::string message = "unknown " + std::string(enum_info<E>::noun) + " '" + t + "'";
    if (const auto guess = closest(t, names)) message += "; did you mean '" + std::string(*guess) + "'?";
    message += " (allowed: " + allowed + ")";
    report(s.path, s.at, std::move(message));
    return std::nullopt;
  }

  template <typename E>
  void read_choice(const mapping& m, std::string_view key, E& out, bool required) {
    if (const slot* s = field(m, key, required))
      if (auto v = choice<E>(*s)) out = *v;
  }

  template <typename E>
  void read_choice(const mapping& m, std::string_view key, std::optional<E>& out) {
    if (const slot* s = field(m, key, false))
      if (auto v = choice<E>(*s)) out = *v;
  }

  void read_text_list(const mapping& m, std::string_view key, std::vector<std::string>& out) {
    const slot* s = field(m, key, false);
    if (!s) return;
    each(*s, [&](const slot& item) {
      // Keep one entry per item, even a wrong one, so that indices in later messages match the file.
      std::string& entry = out.emplace_back();
      if (item.node.IsNull())
        report(item.path, item.at, "expected text, got an empty value");
      else if (auto v = text(item))
        entry = std::move(*v);
    });
  }

  /// Reports an id that an earlier object already declared; `holder` is the path of the declaring
  /// object (e.g. "metrics[1]"), which the message names so the user can find both.
  void unique(std::map<std::string, std::string>& ids, std::string_view noun, const std::string& id,
              const slot* where, const std::string& holder) {
    if (!where || id.empty()) return;
    const auto [it, inserted] = ids.emplace(id, holder);
    if (!inserted)
      report(where->path, where->at,
             std::string(noun) + " '" + id + "' is already used by " + it->second + "; ids must be unique");
  }

  // -- sections -------------------------------------------------------------------------------------

  void read_spec_version(const slot& s) {
    if (s.node.IsNull()) return;
    auto v = text(s);
    if (!v) return;
    out_.spec_version = *v;
    if (*v != "1")
      report(s.path, s.at,
             "unsupported spec_version '" + *v + "'; this version of missionkit reads spec_version \"1\"");
  }

  void read_settings(const slot& s) {
    const mapping m = open(s, settings_keys);
    read_count(m, "max_drivers_per_outcome", out_.settings.max_drivers_per_outcome);
  }

  void read_mission(const slot& s) {
    const mapping m = open(s, mission_keys);
    mission& mi = out_.mission;
    read_text(m, "name", mi.name);
    read_text(m, "segment", mi.segment);
    read_text(m, "situation", mi.situation);
    read_text(m, "desired_progress", mi.desired_progress);
    read_text(m, "time_to_value", mi.time_to_value);
    read_text(m, "outcome", mi.outcome);
  }

  void read_metric(const slot& s, metric& me) {
    const mapping m = open_item(s, metric_keys, "a metric");
    if (!m.valid) return;
    const slot* id = read_text(m, "id", me.id, true);
    unique(metric_ids_, "metric id", me.id, id, s.path);
    read_text(m, "name", me.name);
    read_choice(m, "tier", me.tier, true);
    read_choice(m, "lens", me.lens, true);
    read_choice(m, "heart", me.heart);
    read_text(m, "unit", me.unit);
    read_choice(m, "direction", me.direction, true);
    read_text(m, "owner", me.owner);
    read_text(m, "source", me.source);
    read_text(m, "description", me.description);
    if (const slot* defs = field(m, "definitions", false)) {
      std::map<std::string, std::string> versions;
      each(*defs, [&](const slot& item) {
        definition& d = me.definitions.emplace_back();
        const mapping dm = open_item(item, definition_keys, "a definition");
        if (!dm.valid) return;
        const slot* version = read_text(dm, "version", d.version, true);
        unique(versions, "definition version", d.version, version, item.path);
        read_date(dm, "effective_from", d.effective_from);
        read_text(dm, "rule", d.rule);
        read_text(dm, "change_note", d.change_note);
        if (const slot* ms = field(dm, "measure", false)) read_measure(*ms, d.measure);
      });
    }
    if (const slot* ms = field(m, "measure", false)) read_measure(*ms, me.measure);
  }

  void read_edge(const slot& s, tree_edge& e) {
    const mapping m = open_item(s, edge_keys, "a tree edge");
    if (!m.valid) return;
    read_text(m, "from", e.from);
    read_text(m, "to", e.to);
    read_choice(m, "kind", e.kind, false);
    const slot* sign = field(m, "sign", false);
    if (!sign) return;
    // Signs are written the way people think of them: 1 / -1, "+" / "-", or the words.
    const std::string t = sign->node.IsScalar() ? sign->node.Scalar() : std::string();
    if (t == "1" || t == "+1" || t == "+" || t == "positive")
      e.sign = 1;
    else if (t == "-1" || t == "-" || t == "negative")
      e.sign = -1;
    else
      report(sign->path, sign->at,
             "expected a sign (1, -1, \"+\", \"-\", positive or negative), got " + describe(sign->node));
  }

  void read_objective(const slot& s, objective& o) {
    const mapping m = open_item(s, objective_keys, "an objective");
    if (!m.valid) return;
    read_text(m, "objective", o.objective);
    read_text(m, "owner", o.owner);
    const slot* krs = field(m, "key_results", false);
    if (!krs) return;
    each(*krs, [&](const slot& item) {
      key_result& kr = o.key_results.emplace_back();
      const mapping km = open_item(item, key_result_keys, "a key result");
      if (!km.valid) return;
      read_text(km, "metric", kr.metric);
      read_text(km, "metric_version", kr.metric_version);
      read_number(km, "baseline", kr.baseline);
      read_number(km, "target", kr.target);
      read_number(km, "stretch", kr.stretch);
      read_date(km, "due", kr.due);
      read_text(km, "description", kr.description);
    });
  }

  void read_hoshin(const slot& s) {
    const mapping m = open(s, hoshin_keys);
    hoshin& h = out_.hoshin;
    // One id space across the lists: a cell's from/to names an item without saying which list it is in.
    std::map<std::string, std::string> ids;
    const auto items = [&](std::string_view key, std::vector<hoshin_item>& out, bool owners) {
      const slot* list = field(m, key, false);
      if (!list) return;
      each(*list, [&](const slot& item) {
        hoshin_item& hi = out.emplace_back();
        const mapping im = open_item(item, owners ? key_list(hoshin_owner_keys) : key_list(hoshin_item_keys),
                                     owners ? "an owner {id, name}" : "an item {id, text}");
        if (!im.valid) return;
        const slot* id = read_text(im, "id", hi.id, true);
        unique(ids, "hoshin id", hi.id, id, item.path);
        read_text(im, owners ? "name" : "text", hi.text);
      });
    };
    items("breakthroughs", h.breakthroughs, false);
    items("annual", h.annual, false);
    items("priorities", h.priorities, false);
    read_text_list(m, "metrics", h.metrics);
    items("owners", h.owners, true);
    if (const slot* cells = field(m, "cells", false)) {
      each(*cells, [&](const slot& item) {
        hoshin_cell& c = h.cells.emplace_back();
        const mapping cm = open_item(item, cell_keys, "a cell {from, to, strength}");
        if (!cm.valid) return;
        read_text(cm, "from", c.from);
        read_text(cm, "to", c.to);
        read_choice(cm, "strength", c.strength, true);
      });
    }
  }

  void read_step(const slot& s, blueprint_step& step) {
    if (s.node.IsScalar()) {
      step.text = s.node.Scalar();
      return;
    }
    constexpr std::string_view expected = "a step (text, or a mapping with text, metrics, fail_point)";
    if (s.node.IsNull()) {
      report(s.path, s.at, "expected " + std::string(expected) + ", got an empty value");
      return;
    }
    const mapping m = open(s, step_keys, false, expected);
    if (!m.valid) return;
    read_text(m, "text", step.text, true);
    read_text_list(m, "metrics", step.metrics);
    read_bool(m, "fail_point", step.fail_point);
  }

  void read_blueprint(const slot& s) {
    const mapping m = open(s, blueprint_keys);
    blueprint& b = out_.blueprint;
    read_text(m, "name", b.name);
    const slot* stages = field(m, "stages", false);
    if (!stages) return;
    std::map<std::string, std::string> ids;
    each(*stages, [&](const slot& item) {
      blueprint_stage& st = b.stages.emplace_back();
      const mapping sm = open_item(item, stage_keys, "a stage");
      if (!sm.valid) return;
      const slot* id = read_text(sm, "id", st.id, true);
      unique(ids, "stage id", st.id, id, item.path);
      read_text(sm, "name", st.name);
      for (const auto& lane : lanes) {
        std::vector<blueprint_step>& steps = st.*lane.second;
        if (const slot* list = field(sm, lane.first, false))
          each(*list, [&](const slot& step) { read_step(step, steps.emplace_back()); });
      }
    });
  }

  void read_logic_model(const slot& s) {
    const mapping m = open(s, logic_keys);
    logic_model& lm = out_.logic_model;
    read_text_list(m, "inputs", lm.inputs);
    const slot* activities = field(m, "activities", false);
    if (!activities) return;
    std::map<std::string, std::string> ids;
    each(*activities, [&](const slot& item) {
      logic_activity& a = lm.activities.emplace_back();
      const mapping am = open_item(item, activity_keys, "an activity");
      if (!am.valid) return;
      const slot* id = read_text(am, "id", a.id, true);
      unique(ids, "activity id", a.id, id, item.path);
      read_text(am, "text", a.text);
      read_text_list(am, "outputs", a.outputs);
      read_text_list(am, "drivers", a.drivers);
      read_text_list(am, "outcomes", a.outcomes);
      read_text(am, "assumption", a.assumption);
    });
  }

  // -- analysis sections ----------------------------------------------------------------------------

  void read_data(const slot& s) {
    const mapping m = open(s, data_keys);
    if (!m.valid) return;
    data_mapping& d = out_.data.emplace();
    read_text(m, "time_zone", d.time_zone);
    if (const slot* cols = field(m, "columns", false)) {
      // Roles are free keys here: an unknown role is a semantic finding (validate() offers the nearest).
      const mapping cm = open(*cols, {}, true, "a mapping of contact-log role -> column name");
      for (const auto& [role, value] : cm.fields) {
        std::string& column = d.columns.emplace_back(role, std::string()).second;
        if (value.node.IsNull())
          report(value.path, value.at,
                 "role '" + role + "' has no column; give the column name or remove it");
        else if (auto t = text(value))
          column = std::move(*t);
      }
    }
    read_text_list(m, "channels", d.channels);
    if (const slot* scales = field(m, "scales", false)) {
      const mapping sm = open(*scales, {}, true, "a mapping of score -> [low, high]");
      for (const auto& [role, value] : sm.fields) {
        score_scale& sc = d.scales.emplace_back();
        sc.role = role;
        if (!value.node.IsSequence() || value.node.size() != 2) {
          report(value.path, value.at, "expected [low, high], got " + describe(value.node));
          continue;
        }
        std::vector<double> bounds;
        each(value, [&](const slot& item) {
          if (auto v = number(item)) bounds.push_back(*v);
        });
        if (bounds.size() == 2) {
          sc.low = bounds[0];
          sc.high = bounds[1];
        }
      }
    }
  }

  void read_analysis(const slot& s) {
    const mapping m = open(s, analysis_keys);
    if (!m.valid) return;
    analysis_settings& a = out_.analysis.emplace();
    read_text(m, "period", a.period);
    read_text_list(m, "segments", a.segments);
    read_number(m, "alpha", a.alpha, false);
    read_count(m, "min_n", a.min_n);
  }

  void read_number(const mapping& m, std::string_view key, double& out, bool required) {
    if (const slot* s = field(m, key, required))
      if (auto v = number(*s)) out = *v;
  }

  /// A list of labels; a single label is accepted as a one-item list.
  std::vector<std::string> labels(const slot& s) {
    std::vector<std::string> out;
    if (s.node.IsScalar()) {
      out.push_back(s.node.Scalar());
      return out;
    }
    each(s, [&](const slot& item) {
      std::string& entry = out.emplace_back();
      if (item.node.IsNull())
        report(item.path, item.at, "expected text, got an empty value");
      else if (auto v = text(item))
        entry = std::move(*v);
    });
    return out;
  }

  // A parameter keeps the type it was written with, so that it is emitted back the same way: plain
  // true/false is a flag, a plain decimal number a number, a list a list of labels, anything else text
  // (durations, dates, choices).
  std::optional<param_value> param(const slot& s) {
    if (s.node.IsSequence()) return labels(s);
    if (!s.node.IsScalar()) {
      report(s.path, s.at,
             "expected a value (text, number, true/false or a list of labels), got " + describe(s.node));
      return std::nullopt;
    }
    const std::string& t = s.node.Scalar();
    if (is_plain(s.node)) {
      if (t == "true" || t == "True" || t == "TRUE") return param_value(true);
      if (t == "false" || t == "False" || t == "FALSE") return param_value(false);
      double v = 0;
      switch (parse_number(t, v)) {
        case number_status::ok:
          return param_value(v);
        case number_status::not_finite:
        case number_status::out_of_range:
          report(s.path, s.at, "expected a finite number, got " + describe(s.node));
          return std::nullopt;
        case number_status::malformed:
          break;
      }
    }
    return param_value(t);
  }

  void read_measure(const slot& s, std::optional<measure_spec>& out) {
    const mapping m = open(s, measure_keys, false, "a measure {kind, params, where}");
    if (!m.valid) return;
    measure_spec& ms = out.emplace();
    read_text(m, "kind", ms.kind, true);
    if (const slot* params = field(m, "params", false)) {
      // Parameter names depend on the kind; validate() checks them against the kind's table.
      const mapping pm = open(*params, {}, true, "a mapping of parameter -> value");
      for (const auto& [name, value] : pm.fields) {
        if (value.node.IsNull()) {
          report(value.path, value.at, "parameter '" + name + "' has no value; give one or remove it");
          continue;
        }
        if (auto v = param(value)) ms.params.emplace_back(name, std::move(*v));
      }
    }
    if (const slot* where = field(m, "where", false)) {
      const mapping wm = open(*where, {}, true, "a mapping of dimension -> allowed labels");
      for (const auto& [dim, value] : wm.fields) {
        if (value.node.IsNull()) {
          report(value.path, value.at, "filter '" + dim + "' lists no labels; give at least one");
          continue;
        }
        ms.where.emplace_back(dim, labels(value));
      }
    }
  }

  // Any cited metric may carry a margin: a guardrail's tolerated harm, or a non-inferiority margin on a
  // primary; the message names what the place expects.
  void read_metric_ref(const slot& s, metric_ref& r, bool guardrail) {
    const mapping m = open_item(s, metric_ref_keys,
                                guardrail ? "a guardrail {metric, version, margin, relative}"
                                          : "a metric reference {metric, version}");
    if (!m.valid) return;
    read_text(m, "metric", r.metric, true);
    read_text(m, "version", r.version);
    read_number(m, "margin", r.margin);
    read_bool(m, "relative", r.relative);
  }

  void read_experiment(const slot& s, experiment& e, std::map<std::string, std::string>& ids) {
    const mapping m = open_item(s, experiment_keys, "an experiment");
    if (!m.valid) return;
    const slot* id = read_text(m, "id", e.id, true);
    unique(ids, "experiment id", e.id, id, s.path);
    read_text(m, "design", e.design, true);
    read_text(m, "hypothesis", e.hypothesis);
    read_text(m, "unit", e.unit);
    if (const slot* a = field(m, "assignment", false)) {
      const mapping am = open(*a, assignment_keys, false, "an assignment {salt, arms}");
      read_text(am, "salt", e.salt);
      if (const slot* arms = field(am, "arms", false)) {
        const mapping arm_map = open(*arms, {}, true, "a mapping of arm -> weight");
        for (const auto& [name, value] : arm_map.fields) {
          arm_weight& w = e.arms.emplace_back();
          w.name = name;
          if (value.node.IsNull())
            report(value.path, value.at, "arm '" + name + "' has no weight; give a positive number");
          else if (auto v = number(value))
            w.weight = *v;
        }
      }
    }
    read_date(m, "start", e.start);
    read_date(m, "end", e.end);
    if (const slot* p = field(m, "primary", false)) read_metric_ref(*p, e.primary.emplace(), false);
    if (const slot* list = field(m, "secondary", false))
      each(*list, [&](const slot& item) { read_metric_ref(item, e.secondary.emplace_back(), false); });
    if (const slot* list = field(m, "guardrails", false))
      each(*list, [&](const slot& item) { read_metric_ref(item, e.guardrails.emplace_back(), true); });
    read_text_list(m, "segments", e.segments);
    read_number(m, "alpha", e.alpha);
    read_number(m, "mde", e.mde);
    read_text(m, "cluster", e.cluster);
    if (const slot* r = field(m, "rollout", false)) {
      const mapping rm = open(*r, {}, true, "a mapping of cluster label -> go-live date");
      for (const auto& [label, value] : rm.fields) {
        rollout_entry& entry = e.rollout.emplace_back();
        entry.cluster = label;
        if (value.node.IsNull())
          report(value.path, value.at, "cluster '" + label + "' has no go-live date; write YYYY-MM-DD");
        else if (auto d = date(value))
          entry.go_live = *d;
      }
    }
    read_text(m, "period", e.period);
    read_date(m, "intervention", e.intervention);
  }

  void read_chart(const slot& s, control_chart_spec& c, std::map<std::string, std::string>& ids) {
    const mapping m = open_item(s, chart_keys, "a control chart");
    if (!m.valid) return;
    const slot* id = read_text(m, "id", c.id, true);
    unique(ids, "control chart id", c.id, id, s.path);
    read_text(m, "metric", c.metric, true);
    read_text(m, "chart", c.chart, true);
    read_text(m, "period", c.period);
    read_text(m, "by", c.by);
    if (const slot* b = field(m, "baseline", false)) {
      const mapping bm = open(*b, baseline_keys, false, "a baseline window {from, to}");
      read_date(bm, "from", c.baseline_from);
      read_date(bm, "to", c.baseline_to);
    }
    read_text(m, "rules", c.rules);
  }

  void read_work(const slot& s, work_item& w, std::map<std::string, std::string>& ids) {
    const mapping m = open_item(s, work_keys, "a work item");
    if (!m.valid) return;
    const slot* id = read_text(m, "id", w.id, true);
    unique(ids, "work item id", w.id, id, s.path);
    read_text(m, "title", w.title);
    read_choice(m, "framework", w.framework, true);
    read_text(m, "stage", w.stage);
    read_text(m, "owner", w.owner);
    read_count(m, "cycle", w.cycle);
    const slot* evidence = field(m, "evidence", false);
    if (!evidence) return;
    // Stage and artefact names are free keys here: whether they belong to the framework is a semantic
    // check (validate()), which can say which stage list they should come from.
    const mapping stages = open(*evidence, {}, true, "a mapping of stage -> artefact -> evidence");
    for (const auto& [stage, stage_slot] : stages.fields) {
      const mapping artefacts = open(stage_slot, {}, true, "a mapping of artefact -> evidence");
      auto& recorded = w.evidence[stage];
      for (const auto& [artefact, value] : artefacts.fields) {
        if (value.node.IsNull()) {
          report(value.path, value.at,
                 "evidence '" + artefact + "' has no value; give a link, id or sentence");
          continue;
        }
        if (auto t = text(value)) recorded[artefact] = std::move(*t);
      }
    }
  }
};

}  // namespace

spec parse_spec(std::string_view text, std::string_view source_name) {
  const std::string name(source_name);
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp counts lines and columns from 0; editors and compilers from 1.
    const std::string where = e.mark.is_null() ? name
                                               : name + ":" + std::to_string(e.mark.line + 1) + ":" +
                                                     std::to_string(e.mark.column + 1);
    throw spec_error(where + ": malformed YAML: " + e.msg);
  }
  if (documents.empty() || documents.front().IsNull())
    throw spec_error(name + ": empty spec; expected a mapping with spec_version, mission, metrics, ...");
  if (documents.size() > 1) {
    const source_position p = position_of(documents[1]);
    throw spec_error(name + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
                     ": a spec is one YAML document, found " + std::to_string(documents.size()) +
                     "; remove the extra '---' sections");
  }
  const YAML::Node& root = documents.front();
  if (!root.IsMap()) {
    const source_position p = position_of(root);
    throw spec_error(
        name + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
        ": the top level of a spec must be a mapping (spec_version, mission, metrics, ...), got " +
        describe(root));
  }
  spec s;
  s.source_name = name;
  reader(s).document(root);
  // A mapping's key problems are found before its values are read; list everything in file order, as
  // a compiler does, so the first issue printed is the first one in the file.
  std::stable_sort(s.load_issues.begin(), s.load_issues.end(), [](const issue& a, const issue& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return s;
}

}  // namespace missionkit::model
