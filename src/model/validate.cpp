// The semantic checks of a mission spec. The loader reports what is wrong with the text (types, keys,
// dates); this file reports what is wrong with the model: references, cycles, tiers, sprawl, owners,
// OKRs, X-matrix coverage, lifecycle evidence and the mission linter. Every check appends issues and
// carries on, so one run shows every problem. docs/model.md lists each check with its fix.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "missionkit/core/date.hpp"
#include "missionkit/measure/period.hpp"
#include "missionkit/model/dictionary.hpp"
#include "missionkit/model/spec.hpp"

namespace missionkit::model {

namespace {

// ---------------------------------------------------------------------------------------------------
// Small text helpers

std::string indexed(std::string_view base, std::size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "an outcome", "a driver": messages read as sentences.
std::string with_article(std::string_view word) {
  const bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(word);
}

bool blank(std::string_view s) { return trim(s).empty(); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string number_text(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, p) : std::string("?");
}

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// Levenshtein distance, case-insensitive: ids are short, so the O(n*m) table is cheap.
std::size_t edit_distance(std::string_view a_in, std::string_view b_in) {
  const std::string a = lower(a_in), b = lower(b_in);
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean 'fcr_7d'?)" when a candidate is within a third of the word's length, else "".
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(1, wrong.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(wrong, c);
    if (d < best_distance) {
      best_distance = d;
      best = &c;
    }
  }
  return best ? " (did you mean " + in_quotes(*best) + "?)" : std::string();
}

// ---------------------------------------------------------------------------------------------------
// Shared state of one validate() run

struct checker {
  const spec& s;
  std::vector<issue> out;
  std::map<std::string, std::size_t, std::less<>> metric_index;  // id -> position in s.metrics (first)
  std::vector<std::string> metric_ids;                           // for did-you-mean

  explicit checker(const spec& sp) : s(sp) {
    for (std::size_t i = 0; i < s.metrics.size(); ++i) {
      if (s.metrics[i].id.empty()) continue;
      // Duplicate ids are the loader's finding; the first definition is the one references resolve to.
      if (metric_index.emplace(s.metrics[i].id, i).second) metric_ids.push_back(s.metrics[i].id);
    }
  }

  void error(std::string path, std::string message) {
    out.push_back({std::move(path), severity::error, std::move(message), 0, 0});
  }
  void warning(std::string path, std::string message) {
    out.push_back({std::move(path), severity::warning, std::move(message), 0, 0});
  }

  [[nodiscard]] const metric* find(std::string_view id) const {
    const auto it = metric_index.find(id);
    return it == metric_index.end() ? nullptr : &s.metrics[it->second];
  }
  [[nodiscard]] std::string path_of(const metric& m) const {
    return indexed("metrics", static_cast<std::size_t>(&m - s.metrics.data()));
  }

  // "<what> 'x' is not a metric (did you mean 'y'?); define it under metrics or correct the id".
  [[nodiscard]] std::string unknown_metric(std::string_view what, std::string_view id) const {
    if (blank(id)) return std::string(what) + " names no metric; give a metric id from metrics";
    return std::string(what) + " " + in_quotes(id) + " is not a metric" + did_you_mean(id, metric_ids) +
           "; define it under metrics or correct the id";
  }
};

// ---------------------------------------------------------------------------------------------------
// Mission linter

// Phrases that name nobody in particular. A mission aimed at "customers" cannot be tested, because
// every customer is in scope and none is the focus (shared/seeds: "a mission is not a slogan").
constexpr std::string_view generic_phrases[] = {
    "customers", "all customers", "our customers", "clients", "all clients", "everyone", "everybody",
    "anyone",    "users",         "all users",     "people",  "general",     "n/a",      "na",
    "none",      "tbd",           "tbc",           "todo",    "various",     "any",      "-",
};

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

void lint_mission_text(checker& c, std::string_view field, std::string_view label, std::string_view value,
                       std::string_view example) {
  std::string key = lower(trim(value));
  while (!key.empty() && (key.back() == '.' || key.back() == '!')) key.pop_back();
  const std::string path = "mission." + std::string(field);
  const std::string fix = "; be specific, e.g. " + in_quotes(example);
  if (std::find(std::begin(generic_phrases), std::end(generic_phrases), key) != std::end(generic_phrases))
    c.warning(path,
              "the mission's " + std::string(label) + " " + in_quotes(trim(value)) + " is generic" + fix);
  else if (word_count(value) < 3)
    c.warning(path, "the mission's " + std::string(label) + " " + in_quotes(trim(value)) +
                        " is too short to be specific (fewer than 3 words)" + fix);
}

void check_mission_parts(checker& c) {
  const mission& m = c.s.mission;
  struct part {
    const char* field;
    const char* label;
    const std::string& value;
    const char* fix;
  };
  const part parts[] = {
      {"segment", "segment", m.segment, "say which customers, specifically"},
      {"situation", "situation", m.situation, "describe the moment or job they are in"},
      {"desired_progress", "desired progress", m.desired_progress, "say what they are trying to get done"},
      {"time_to_value", "time to value", m.time_to_value,
       "give the acceptable time to value as an ISO-8601 duration, e.g. P14D"},
      {"outcome", "outcome", m.outcome, "name the outcome-tier metric the mission is judged on"},
  };
  for (const auto& p : parts)
    if (blank(p.value))
      c.error("mission." + std::string(p.field), "the mission has no " + std::string(p.label) + "; " + p.fix);
  if (blank(m.name)) c.warning("mission.name", "the mission has no name; give it a short title for reports");

  if (!blank(m.segment))
    lint_mission_text(c, "segment", "segment", m.segment, "retail customers who report a lost debit card");
  if (!blank(m.situation))
    lint_mission_text(c, "situation", "situation", m.situation,
                      "they cannot pay until a replacement card arrives");
  if (!blank(m.desired_progress))
    lint_mission_text(c, "desired_progress", "desired progress", m.desired_progress,
                      "pay with a working card without contacting us again");
}

void check_time_to_value(checker& c) {
  const std::string_view text = trim(c.s.mission.time_to_value);
  if (text.empty()) return;  // reported as a missing part
  const auto d = parse_duration(text);
  if (!d)
    c.error("mission.time_to_value", "time to value " + in_quotes(text) +
                                         " is not an ISO-8601 duration; write e.g. P14D, PT48H or P2W");
  else if (d->approx_seconds() <= 0)
    c.error("mission.time_to_value",
            "time to value " + in_quotes(text) +
                " is zero; say how long customers may wait for the progress, e.g. P5D");
}

void check_mission_outcome(checker& c) {
  const std::string& id = c.s.mission.outcome;
  if (blank(id)) return;
  const metric* m = c.find(id);
  if (m == nullptr) {
    c.error("mission.outcome", c.unknown_metric("the mission's outcome", id));
  } else if (m->tier != tier::outcome) {
    c.error("mission.outcome", "the mission's outcome " + in_quotes(id) + " is " +
                                   with_article(to_string(m->tier)) +
                                   " metric; the north star must be tier outcome: set " + c.path_of(*m) +
                                   ".tier to outcome or choose an outcome metric");
  }
}

// ---------------------------------------------------------------------------------------------------
// Metrics

bool valid_id(std::string_view id) {
  if (id.empty() || id.front() < 'a' || id.front() > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

// The nearest valid id, offered as the fix: "Card-5d" -> "card_5d".
std::string suggested_id(std::string_view id) {
  std::string out;
  for (char ch : lower(trim(id))) out += (std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_');
  if (out.empty() || out.front() < 'a' || out.front() > 'z') out.insert(0, "m_");
  return out;
}

void check_metric_fields(checker& c, const metric& m, const std::string& path) {
  const std::string name = m.id.empty() ? "at " + path : in_quotes(m.id);
  if (m.id.empty())
    c.error(path + ".id", "metric at " + path + " has no id; give it one such as 'fcr_7d'");
  else if (!valid_id(m.id))
    c.error(path + ".id", "metric id " + in_quotes(m.id) +
                              " is not a valid id; use lower-case letters, digits and underscores starting "
                              "with a letter, e.g. " +
                              in_quotes(suggested_id(m.id)));
  if (blank(m.owner))
    c.error(path + ".owner", "metric " + name + " has no owner; name the accountable person or team");
  if (blank(m.name)) c.warning(path + ".name", "metric " + name + " has no name; give it a readable title");
  if (blank(m.unit))
    c.warning(path + ".unit",
              "metric " + name + " has no unit; say what it counts, e.g. ratio, seconds, GBP");
  if (blank(m.source))
    c.warning(path + ".source",
              "metric " + name + " has no source; name the system, table or report its numbers come from");
}

void check_definitions(checker& c, const metric& m, const std::string& path) {
  const std::string name = m.id.empty() ? "at " + path : in_quotes(m.id);
  if (m.definitions.empty()) {
    c.error(path + ".definitions",
            "metric " + name + " has no definition; add one with version, effective_from and rule");
    return;
  }
  for (std::size_t j = 0; j < m.definitions.size(); ++j) {
    const definition& d = m.definitions[j];
    const std::string dpath = indexed(path + ".definitions", j);
    const std::string which = "definition " + (d.version.empty() ? dpath : "version " + in_quotes(d.version));
    if (blank(d.version))
      c.error(dpath + ".version",
              "metric " + name + ": " + dpath + " has no version; key results cite definitions by version");
    if (blank(d.rule))
      c.error(dpath + ".rule", "metric " + name + ": " + which +
                                   " has an empty rule; write the calculation in words or pseudo-SQL");
    for (std::size_t k = 0; k < j; ++k) {
      if (m.definitions[k].effective_from == d.effective_from) {
        c.error(dpath + ".effective_from",
                "metric " + name + ": " + which + " takes effect on " + d.effective_from.to_string() +
                    ", the same day as " + indexed("definitions", k) +
                    "; only one rule can be in force on a day, give each version its own effective_from");
        break;
      }
    }
    if (j > 0 && d.effective_from < m.definitions[j - 1].effective_from)
      c.warning(dpath, "metric " + name + ": " + which + " (" + d.effective_from.to_string() +
                           ") is listed after a later definition (" +
                           m.definitions[j - 1].effective_from.to_string() +
                           "); list definitions oldest first so the file reads as a history");
  }
}

void check_metrics(checker& c) {
  for (std::size_t i = 0; i < c.s.metrics.size(); ++i) {
    const std::string path = indexed("metrics", i);
    check_metric_fields(c, c.s.metrics[i], path);
    check_definitions(c, c.s.metrics[i], path);
  }
}

// ---------------------------------------------------------------------------------------------------
// Metric tree

// Cascade rank: an edge runs from child to parent, so a child must sit at the parent's tier or below.
int rank(tier t) {
  switch (t) {
    case tier::outcome:
      return 0;
    case tier::driver:
      return 1;
    case tier::control:
      return 2;
  }
  return 0;
}

struct sound_edge {
  std::size_t index, child, parent;  // position in spec.tree; metric positions in spec.metrics
};

struct tree_graph {
  std::vector<sound_edge> edges;                                          // in file order
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> parents;  // child -> (parent, edge index)
  std::vector<std::vector<std::size_t>> children;                         // parent -> child
};

// Reports problems with single edges and returns the graph of the sound ones (known endpoints, no self
// loop, no duplicate, not leaving the north star), so the graph checks do not repeat these findings.
tree_graph check_edges(checker& c) {
  tree_graph g;
  g.parents.resize(c.s.metrics.size());
  g.children.resize(c.s.metrics.size());
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  const std::string& north_star = c.s.mission.outcome;
  for (std::size_t k = 0; k < c.s.tree.size(); ++k) {
    const tree_edge& e = c.s.tree[k];
    const std::string path = indexed("tree", k);
    const std::string arrow = in_quotes(e.from) + " -> " + in_quotes(e.to);
    if (e.sign != 0 && e.sign != 1 && e.sign != -1)
      c.error(path + ".sign", "edge " + arrow + " has sign " + std::to_string(e.sign) + "; use 1 or -1");
    else if (e.kind == edge_kind::influence && e.sign == 0)
      c.error(path + ".sign", "influence edge " + arrow + " has no sign; add sign: 1 if raising " +
                                  in_quotes(e.from) + " should raise " + in_quotes(e.to) +
                                  ", or -1 if it should lower it");

    const metric* from = c.find(e.from);
    const metric* to = c.find(e.to);
    if (from == nullptr) c.error(path + ".from", c.unknown_metric("edge source", e.from));
    if (to == nullptr) c.error(path + ".to", c.unknown_metric("edge target", e.to));
    if (from == nullptr || to == nullptr) continue;
    if (e.from == e.to) {
      c.error(path, "edge " + arrow + " points at itself; remove it or name the parent metric");
      continue;
    }
    const auto [it, fresh] = seen.emplace(std::make_pair(e.from, e.to), k);
    if (!fresh) {
      c.error(path, "edge " + arrow + " repeats " + indexed("tree", it->second) + "; keep one of them");
      continue;
    }
    if (e.from == north_star) {
      c.error(path, "the north star " + in_quotes(north_star) + " has an edge to " + in_quotes(e.to) +
                        "; the north star is the root of the tree, so remove the edge or reverse it");
      continue;
    }
    const auto child = static_cast<std::size_t>(from - c.s.metrics.data());
    const auto parent = static_cast<std::size_t>(to - c.s.metrics.data());
    g.edges.push_back({k, child, parent});
    g.parents[child].emplace_back(parent, k);
    g.children[parent].push_back(child);
  }
  return g;
}

void check_cascade(checker& c, const tree_graph& g) {
  for (const sound_edge& e : g.edges) {
    const metric& from = c.s.metrics[e.child];
    const metric& to = c.s.metrics[e.parent];
    if (rank(from.tier) >= rank(to.tier)) continue;
    c.error(indexed("tree", e.index),
            "edge " + in_quotes(from.id) + " -> " + in_quotes(to.id) + " is " +
                with_article(to_string(from.tier)) + " pointing at " + with_article(to_string(to.tier)) +
                ", which breaks the cascade (controls feed drivers, drivers feed outcomes); "
                "reverse the edge or change a tier");
  }
}

// Depth-first search that reports each cycle once, as the chain of ids that closes it.
class cycle_finder {
 public:
  cycle_finder(checker& c, const tree_graph& g) : c_(c), g_(g), state_(g.parents.size(), unvisited) {}

  void run() {
    for (std::size_t v = 0; v < g_.parents.size(); ++v)
      if (state_[v] == unvisited) visit(v);
  }

 private:
  enum mark { unvisited, on_stack, done };

  void visit(std::size_t v) {
    state_[v] = on_stack;
    stack_.push_back(v);
    for (const auto& [parent, k] : g_.parents[v]) {
      if (state_[parent] == unvisited)
        visit(parent);
      else if (state_[parent] == on_stack)
        report(parent, k);
    }
    stack_.pop_back();
    state_[v] = done;
  }

  void report(std::size_t start, std::size_t closing_edge) {
    const auto first = std::find(stack_.begin(), stack_.end(), start);
    std::vector<std::size_t> loop(first, stack_.end());
    // The same loop can be entered at different points; rotate to its smallest member to see it once.
    const auto smallest = std::min_element(loop.begin(), loop.end());
    std::rotate(loop.begin(), smallest, loop.end());
    if (!reported_.insert(loop).second) return;
    std::vector<std::string> ids;
    ids.reserve(loop.size() + 1);
    for (std::size_t v : loop) ids.push_back(c_.s.metrics[v].id);
    ids.push_back(c_.s.metrics[loop.front()].id);
    c_.error(indexed("tree", closing_edge),
             "the tree has a cycle: " + join(ids, " -> ") +
                 "; edges run from child to parent and must end at the north star, so remove or reverse one");
  }

  checker& c_;
  const tree_graph& g_;
  std::vector<mark> state_;
  std::vector<std::size_t> stack_;
  std::set<std::vector<std::size_t>> reported_;
};

// Drivers and outcomes exist to move the north star; one with no path to it is either a missing edge
// or a metric nobody needs. Controls are exempt: they are guard-rails watched beside the tree (service
// level while repeat contact falls), not levers expected to move the outcome.
void check_orphans(checker& c, const tree_graph& g) {
  const metric* north_star = c.find(c.s.mission.outcome);
  if (north_star == nullptr) return;  // the mission check reports it; every metric would be an orphan
  const auto root = static_cast<std::size_t>(north_star - c.s.metrics.data());
  std::vector<bool> reaches(c.s.metrics.size(), false);
  std::vector<std::size_t> todo{root};
  reaches[root] = true;
  while (!todo.empty()) {
    const std::size_t v = todo.back();
    todo.pop_back();
    for (std::size_t child : g.children[v])
      if (!reaches[child]) {
        reaches[child] = true;
        todo.push_back(child);
      }
  }
  for (std::size_t i = 0; i < c.s.metrics.size(); ++i) {
    const metric& m = c.s.metrics[i];
    if (reaches[i] || m.tier == tier::control || c.find(m.id) != &m) continue;  // duplicates: loader's
    c.warning(indexed("metrics", i),
              std::string(to_string(m.tier)) + " " + in_quotes(m.id) + " has no path to the north star " +
                  in_quotes(north_star->id) +
                  "; add a tree edge toward it, or make it a control if it is a guard-rail");
  }
}

void check_sprawl(checker& c, const tree_graph& g) {
  const int limit = c.s.settings.max_drivers_per_outcome;
  if (limit < 1) {
    c.error("settings.max_drivers_per_outcome",
            "max_drivers_per_outcome is " + std::to_string(limit) + "; it must be at least 1 (default 7)");
    return;
  }
  for (std::size_t parent = 0; parent < g.children.size(); ++parent) {
    const std::size_t n = g.children[parent].size();
    if (n <= static_cast<std::size_t>(limit)) continue;
    c.warning(indexed("metrics", parent),
              "metric " + in_quotes(c.s.metrics[parent].id) + " has " + std::to_string(n) +
                  " direct drivers, more than settings.max_drivers_per_outcome (" + std::to_string(limit) +
                  "); group related drivers under an intermediate metric or drop the weakest");
  }
}

void check_tree(checker& c) {
  const tree_graph g = check_edges(c);
  check_cascade(c, g);
  cycle_finder(c, g).run();
  check_orphans(c, g);
  check_sprawl(c, g);
}

// ---------------------------------------------------------------------------------------------------
// OKRs

std::vector<std::string> versions_of(const metric& m) {
  std::vector<std::string> out;
  for (const auto& d : m.definitions) out.push_back(in_quotes(d.version));
  return out;
}

void check_kr_version(checker& c, const key_result& kr, const metric& m, const std::string& path) {
  const bool known = std::any_of(m.definitions.begin(), m.definitions.end(),
                                 [&](const definition& d) { return d.version == kr.metric_version; });
  if (blank(kr.metric_version)) {
    c.error(path + ".metric_version",
            "key result on " + in_quotes(m.id) + " names no definition version; add metric_version: one of " +
                join(versions_of(m)) + ", so a redefinition cannot move the goalposts");
    return;
  }
  if (!known) {
    c.error(path + ".metric_version",
            "key result on " + in_quotes(m.id) + " cites version " + in_quotes(kr.metric_version) +
                ", which the metric does not have; use one of " + join(versions_of(m)));
    return;
  }
  const definition* in_force = definition_at(m, kr.due);
  if (in_force == nullptr)
    c.warning(path + ".due", "key result on " + in_quotes(m.id) + " is due " + kr.due.to_string() +
                                 ", before any definition of the metric takes effect; move the due date");
  else if (in_force->version != kr.metric_version)
    c.warning(path + ".metric_version", "key result on " + in_quotes(m.id) + " is set against version " +
                                            in_quotes(kr.metric_version) + " but version " +
                                            in_quotes(in_force->version) + " is in force on its due date " +
                                            kr.due.to_string() +
                                            ", so the result will not be comparable with the target; restate "
                                            "baseline and target under version " +
                                            in_quotes(in_force->version) + " or move the due date");
}

void check_kr_numbers(checker& c, const key_result& kr, const metric* m, const std::string& path) {
  const std::string what = "key result on " + in_quotes(kr.metric);
  if (!std::isfinite(kr.baseline) || !std::isfinite(kr.target)) {
    c.error(path, what + " has a baseline or target that is not a finite number; write plain numbers");
    return;
  }
  if (kr.target == kr.baseline) {
    c.error(path + ".target", what + " has target " + number_text(kr.target) +
                                  " equal to its baseline; set a target that moves the metric");
    return;
  }
  if (m != nullptr) {
    const bool up = kr.target > kr.baseline;
    const bool wants_up = m->direction == direction::increase;
    if (up != wants_up)
      c.error(path + ".target",
              what + " aims to " + (up ? "raise" : "lower") + " it from " + number_text(kr.baseline) +
                  " to " + number_text(kr.target) + ", but " + in_quotes(m->id) + " is better when it " +
                  (wants_up ? "increases" : "decreases") + "; fix the target or the metric's direction");
  }
  if (kr.stretch) {
    const double s = *kr.stretch;
    // Beyond the target, on the far side from the baseline: the same sign as target - baseline.
    if (!std::isfinite(s) || (s - kr.target) * (kr.target - kr.baseline) <= 0)
      c.error(path + ".stretch", what + " has stretch " + number_text(s) + ", which is not beyond target " +
                                     number_text(kr.target) + " (baseline " + number_text(kr.baseline) +
                                     "); set it further from the baseline than the target, or remove it");
  }
}

void check_key_result(checker& c, const key_result& kr, const std::string& path) {
  const metric* m = c.find(kr.metric);
  if (m == nullptr) c.error(path + ".metric", c.unknown_metric("key result metric", kr.metric));
  if (m != nullptr) check_kr_version(c, kr, *m, path);
  check_kr_numbers(c, kr, m, path);
}

void check_okrs(checker& c) {
  for (std::size_t i = 0; i < c.s.okrs.size(); ++i) {
    const objective& o = c.s.okrs[i];
    const std::string path = indexed("okrs", i);
    const std::string name = blank(o.objective) ? "objective " + path : "objective " + in_quotes(o.objective);
    if (blank(o.objective))
      c.error(path + ".objective", "objective " + path + " has no text; state the qualitative goal");
    if (blank(o.owner)) c.warning(path + ".owner", name + " has no owner; name who is accountable for it");
    if (o.key_results.empty())
      c.error(path + ".key_results", name + " has no key results; add at least one measurable key result");
    else if (o.key_results.size() > 5)
      c.warning(path + ".key_results", name + " has " + std::to_string(o.key_results.size()) +
                                           " key results; keep to 5 or fewer so the focus stays tight");
    for (std::size_t j = 0; j < o.key_results.size(); ++j)
      check_key_result(c, o.key_results[j], indexed(path + ".key_results", j));
  }
}

// ---------------------------------------------------------------------------------------------------
// Hoshin X-matrix

enum class hoshin_kind { breakthrough, annual, priority, metric, owner };

const char* kind_name(hoshin_kind k) {
  switch (k) {
    case hoshin_kind::breakthrough:
      return "breakthrough";
    case hoshin_kind::annual:
      return "annual";
    case hoshin_kind::priority:
      return "priority";
    case hoshin_kind::metric:
      return "metric";
    case hoshin_kind::owner:
      return "owner";
  }
  return "?";
}

bool allowed_pair(hoshin_kind from, hoshin_kind to) {
  using k = hoshin_kind;
  return (from == k::breakthrough && to == k::annual) || (from == k::annual && to == k::priority) ||
         (from == k::priority && to == k::metric) || (from == k::priority && to == k::owner);
}

// The matrix's cells as links between ids, kept only when both ends resolve and the pair is allowed.
struct hoshin_links {
  std::map<std::string, hoshin_kind, std::less<>> kinds;
  std::vector<std::string> names;  // every id a cell may name, for did-you-mean
  std::map<std::string, std::set<std::string>, std::less<>> linked;  // both directions
};

hoshin_links index_hoshin(const checker& c) {
  const hoshin& h = c.s.hoshin;
  hoshin_links l;
  auto add = [&l](const std::vector<hoshin_item>& items, hoshin_kind k) {
    for (const auto& item : items)
      if (!item.id.empty() && l.kinds.emplace(item.id, k).second) l.names.push_back(item.id);
  };
  add(h.breakthroughs, hoshin_kind::breakthrough);
  add(h.annual, hoshin_kind::annual);
  add(h.priorities, hoshin_kind::priority);
  add(h.owners, hoshin_kind::owner);
  for (const auto& id : c.metric_ids)
    if (l.kinds.emplace(id, hoshin_kind::metric).second) l.names.push_back(id);
  return l;
}

void check_hoshin_cells(checker& c, hoshin_links& l) {
  const hoshin& h = c.s.hoshin;
  for (std::size_t k = 0; k < h.cells.size(); ++k) {
    const hoshin_cell& cell = h.cells[k];
    const std::string path = indexed("hoshin.cells", k);
    const auto from = l.kinds.find(cell.from);
    const auto to = l.kinds.find(cell.to);
    for (const auto& [end, it] : {std::pair{&cell.from, from}, std::pair{&cell.to, to}})
      if (it == l.kinds.end())
        c.error(path + (end == &cell.from ? ".from" : ".to"),
                "cell names " + in_quotes(*end) + ", which is not an X-matrix item or metric" +
                    did_you_mean(*end, l.names) + "; add it to the matrix or correct the id");
    if (from == l.kinds.end() || to == l.kinds.end()) continue;
    const std::string pair = std::string(kind_name(from->second)) + "-" + kind_name(to->second);
    if (!allowed_pair(from->second, to->second)) {
      const std::string fix = allowed_pair(to->second, from->second)
                                  ? "write it the other way round: from: " + cell.to + ", to: " + cell.from
                                  : std::string(
                                        "cells tie breakthrough-annual, annual-priority, "
                                        "priority-metric or priority-owner");
      c.error(path, "cell " + in_quotes(cell.from) + " -> " + in_quotes(cell.to) + " is " +
                        with_article(pair) + " pair, which the X-matrix does not have; " + fix);
      continue;
    }
    if (to->second == hoshin_kind::metric &&
        std::find(h.metrics.begin(), h.metrics.end(), cell.to) == h.metrics.end())
      c.warning(path, "cell ties " + in_quotes(cell.from) + " to metric " + in_quotes(cell.to) +
                          ", which hoshin.metrics does not list; add it there so the matrix shows it");
    l.linked[cell.from].insert(cell.to);
    l.linked[cell.to].insert(cell.from);
  }
}

bool has_link(const hoshin_links& l, const std::string& id, hoshin_kind kind) {
  const auto it = l.linked.find(id);
  if (it == l.linked.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const std::string& other) { return l.kinds.at(other) == kind; });
}

// Hoshin's point is that every annual objective is worked on (a priority), measured (a metric) and
// resourced (an owner); an annual objective without that chain is a wish.
void check_hoshin_coverage(checker& c, const hoshin_links& l) {
  const hoshin& h = c.s.hoshin;
  for (std::size_t k = 0; k < h.annual.size(); ++k) {
    const hoshin_item& a = h.annual[k];
    const std::string name = "annual objective " + in_quotes(a.id);
    std::vector<std::string> priorities;
    bool served = false;
    if (const auto it = l.linked.find(a.id); it != l.linked.end())
      for (const auto& p : it->second)
        if (l.kinds.at(p) == hoshin_kind::priority) {
          priorities.push_back(in_quotes(p));
          served = served || (has_link(l, p, hoshin_kind::metric) && has_link(l, p, hoshin_kind::owner));
        }
    const std::string path = indexed("hoshin.annual", k);
    if (priorities.empty())
      c.error(path, name + " has no improvement priority; add an annual-priority cell from " +
                        in_quotes(a.id) + " to the priority that delivers it");
    else if (!served)
      c.error(path, name + ": none of its priorities (" + join(priorities) +
                        ") has both a metric and an owner; add priority-metric and priority-owner cells");
  }
  for (std::size_t k = 0; k < h.breakthroughs.size(); ++k)
    if (!has_link(l, h.breakthroughs[k].id, hoshin_kind::annual))
      c.warning(
          indexed("hoshin.breakthroughs", k),
          "breakthrough objective " + in_quotes(h.breakthroughs[k].id) +
              " has no annual objective; add a breakthrough-annual cell for this year's step toward it");
  for (std::size_t k = 0; k < h.priorities.size(); ++k)
    if (!has_link(l, h.priorities[k].id, hoshin_kind::annual))
      c.warning(indexed("hoshin.priorities", k),
                "priority " + in_quotes(h.priorities[k].id) +
                    " serves no annual objective; add an annual-priority cell or drop the priority");
  for (std::size_t k = 0; k < h.owners.size(); ++k)
    if (!has_link(l, h.owners[k].id, hoshin_kind::priority))
      c.warning(indexed("hoshin.owners", k),
                "owner " + in_quotes(h.owners[k].id) +
                    " resources no priority; add a priority-owner cell or remove them");
}

void check_hoshin_metrics(checker& c, const hoshin_links& l) {
  const hoshin& h = c.s.hoshin;
  for (std::size_t k = 0; k < h.metrics.size(); ++k) {
    const std::string path = indexed("hoshin.metrics", k);
    if (c.find(h.metrics[k]) == nullptr)
      c.error(path, c.unknown_metric("X-matrix metric", h.metrics[k]));
    else if (!has_link(l, h.metrics[k], hoshin_kind::priority))
      c.warning(path, "X-matrix metric " + in_quotes(h.metrics[k]) +
                          " has no cell; tie it to the priority it tracks or remove it from hoshin.metrics");
  }
}

void check_hoshin(checker& c) {
  if (c.s.hoshin.empty()) return;
  hoshin_links l = index_hoshin(c);
  check_hoshin_cells(c, l);
  check_hoshin_coverage(c, l);
  check_hoshin_metrics(c, l);
}

// ---------------------------------------------------------------------------------------------------
// Service blueprint

void check_blueprint(checker& c) {
  const blueprint& b = c.s.blueprint;
  if (b.empty()) return;
  if (b.stages.empty())
    c.warning("blueprint.stages",
              "blueprint " + in_quotes(b.name) + " has no stages; list the journey's stages");
  for (std::size_t i = 0; i < b.stages.size(); ++i) {
    const blueprint_stage& st = b.stages[i];
    const std::string path = indexed("blueprint.stages", i);
    if (st.customer.empty())
      c.warning(path + ".customer",
                "blueprint stage " + in_quotes(st.id.empty() ? path : st.id) +
                    " has no customer actions; a blueprint starts from what the customer does");
    const std::pair<const char*, const std::vector<blueprint_step>*> lanes[] = {
        {"customer", &st.customer},
        {"frontstage", &st.frontstage},
        {"backstage", &st.backstage},
        {"support", &st.support}};
    for (const auto& [lane, steps] : lanes)
      for (std::size_t j = 0; j < steps->size(); ++j)
        for (std::size_t k = 0; k < (*steps)[j].metrics.size(); ++k) {
          const std::string& id = (*steps)[j].metrics[k];
          if (c.find(id) == nullptr)
            c.error(indexed(indexed(path + "." + lane, j) + ".metrics", k),
                    c.unknown_metric("blueprint step metric", id));
        }
  }
}

// ---------------------------------------------------------------------------------------------------
// Logic model

void check_activity_refs(checker& c, const std::vector<std::string>& ids, tier wanted,
                         const std::string& base, std::string_view role) {
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const metric* m = c.find(ids[k]);
    const std::string path = indexed(base, k);
    if (m == nullptr)
      c.error(path, c.unknown_metric("activity " + std::string(role), ids[k]));
    else if (m->tier != wanted)
      c.error(path, "activity " + std::string(role) + " " + in_quotes(ids[k]) + " is " +
                        with_article(to_string(m->tier)) + " metric, not " + with_article(to_string(wanted)) +
                        "; pick " + with_article(to_string(wanted)) + " metric");
  }
}

void check_logic_model(checker& c) {
  const logic_model& lm = c.s.logic_model;
  for (std::size_t i = 0; i < lm.activities.size(); ++i) {
    const logic_activity& a = lm.activities[i];
    const std::string path = indexed("logic_model.activities", i);
    const std::string name = "activity " + in_quotes(a.id.empty() ? path : a.id);
    if (a.drivers.empty())
      c.warning(path + ".drivers", name + " names no driver metric; say which driver it is expected to move");
    if (blank(a.assumption))
      c.warning(
          path + ".assumption",
          name +
              " has no assumption; write down why its drivers should move the outcomes, so it can be tested");
    check_activity_refs(c, a.drivers, tier::driver, path + ".drivers", "driver");
    check_activity_refs(c, a.outcomes, tier::outcome, path + ".outcomes", "outcome");
  }
}

// ---------------------------------------------------------------------------------------------------
// Work items (lifecycle)

std::string stage_names(framework f) {
  std::vector<std::string> names;
  for (const auto& st : stages(f)) names.emplace_back(st.name);
  return join(names);
}

void check_work_item(checker& c, const work_item& w, const std::string& path) {
  const std::string name = "item " + in_quotes(w.id.empty() ? path : w.id);
  const bool linear = w.framework != framework::ooda;
  if (w.cycle < 1)
    c.error(path + ".cycle", name + " has cycle " + std::to_string(w.cycle) + "; cycles count from 1");
  else if (linear && w.cycle > 1)
    c.error(path + ".cycle", name + " has cycle " + std::to_string(w.cycle) + " but " +
                                 to_string(w.framework) +
                                 " is linear and has no cycles; set cycle to 1 or use ooda");

  for (const auto& [stage, artefacts] : w.evidence)
    if (!stage_index(w.framework, stage))
      c.error(path + ".evidence." + stage, name + " records evidence for " + in_quotes(stage) +
                                               ", which is not a stage of " + to_string(w.framework) +
                                               "; use one of " + stage_names(w.framework));

  const auto at = stage_index(w.framework, w.stage);
  if (!at) {
    c.error(path + ".stage", name + " is at " + in_quotes(w.stage) + ", which is not a stage of " +
                                 to_string(w.framework) + "; use one of " + stage_names(w.framework));
    return;
  }
  const auto all = stages(w.framework);
  for (std::size_t i = 0; i < *at; ++i) {
    const std::string earlier(all[i].name);
    for (const auto& artefact : missing_evidence(w, earlier))
      c.error(path, name + " is at " + in_quotes(w.stage) + " but stage " + in_quotes(earlier) +
                        " lacks exit evidence " + in_quotes(artefact) + "; record it under " + path +
                        ".evidence." + earlier + "." + artefact);
  }
}

void check_work(checker& c) {
  for (std::size_t i = 0; i < c.s.work.size(); ++i) check_work_item(c, c.s.work[i], indexed("work", i));
}

// ---------------------------------------------------------------------------------------------------
// Positions

// The line of `path`, or of its nearest ancestor in the file: "metrics[3].owner" is absent when the
// owner key is missing, and then the metric's own line is the most useful place to point at.
source_position position_of(const std::map<std::string, source_position>& positions, std::string path) {
  while (!path.empty()) {
    if (const auto it = positions.find(path); it != positions.end()) return it->second;
    const auto cut = path.find_last_of(".[");
    if (cut == std::string::npos) break;
    path.resize(cut);
  }
  return {};
}

// True when the loader already reported `path` or one of its ancestors: a value it could not read (a
// wrong type, a missing required key) is left empty or defaulted, and a semantic finding about it would
// only restate the loader's, less precisely.
bool follows_load_issue(const std::vector<issue>& load_issues, std::string_view path) {
  return std::any_of(load_issues.begin(), load_issues.end(), [path](const issue& i) {
    const std::string_view p = i.path;
    if (p.empty() || !path.starts_with(p)) return false;
    return path.size() == p.size() || path[p.size()] == '.' || path[p.size()] == '[';
  });
}

// Failure-demand reasons are names from the contact log, which the spec cannot check; it can check that
// each is written once and is not blank.
void check_failure_demand(checker& c) {
  const auto& reasons = c.s.failure_demand;
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const std::string path = indexed("failure_demand", i);
    if (blank(reasons[i])) {
      c.error(path, "a failure-demand reason is blank; write the reason as the contact log names it");
      continue;
    }
    for (std::size_t j = 0; j < i; ++j)
      if (reasons[j] == reasons[i]) {
        c.warning(path, "failure-demand reason " + in_quotes(reasons[i]) + " is listed twice (also at " +
                            indexed("failure_demand", j) + "); list it once");
        break;
      }
  }
}

// ---------------------------------------------------------------------------------------------------
// Analysis sections: data, analysis, measures, experiments, control charts

std::vector<std::string> words(std::span<const std::string_view> list) { return {list.begin(), list.end()}; }

bool among(std::string_view value, std::span<const std::string_view> list) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// "unknown <noun> 'x' (did you mean 'y'?); allowed: a, b, c".
std::string unknown_word(std::string_view noun, std::string_view value,
                         std::span<const std::string_view> list) {
  const std::vector<std::string> allowed = words(list);
  return "unknown " + std::string(noun) + " " + in_quotes(value) + did_you_mean(value, allowed) +
         "; allowed: " + join(allowed);
}

/// A groupable role (channel, reason, queue, site, agent) that `data.columns` maps, when data is given.
void check_groupable(checker& c, const std::string& path, std::string_view what, const std::string& role) {
  if (!among(role, groupable_roles())) {
    c.error(path, std::string(what) + " " + in_quotes(role) + " is not a groupable role" +
                      did_you_mean(role, words(groupable_roles())) + "; use one of " +
                      join(words(groupable_roles())));
    return;
  }
  if (c.s.data && c.s.data->column(role) == nullptr)
    c.error(path, std::string(what) + " " + in_quotes(role) +
                      " is not mapped to a column; add it under data.columns (" + role + ": <column>)");
}

void check_period(checker& c, const std::string& path, const std::string& period) {
  if (!period.empty() && !among(period, analysis_periods()))
    c.error(path, unknown_word("period", period, analysis_periods()));
}

void check_alpha(checker& c, const std::string& path, double alpha) {
  if (!(alpha > 0 && alpha < 1))
    c.error(path, "alpha must be between 0 and 1 (exclusive), got " + number_text(alpha) +
                      "; 0.05 gives 95% confidence");
}

void check_data(checker& c) {
  if (!c.s.data) return;
  const data_mapping& d = *c.s.data;
  if (!blank(d.time_zone)) {
    try {
      // The measures read periods through this mapper; constructing it is the check that they can.
      measure::period_mapper probe(measure::period_unit::day, d.time_zone);
    } catch (const std::exception&) {
      c.error("data.time_zone", "unknown time zone " + in_quotes(d.time_zone) +
                                    "; use an IANA zone name such as Europe/London or UTC");
    }
  } else if (!d.time_zone.empty()) {
    c.error("data.time_zone", "time_zone is blank; give an IANA zone such as Europe/London, or remove it");
  }
  for (std::size_t i = 0; i < d.columns.size(); ++i) {
    const auto& [role, column] = d.columns[i];
    const std::string path = "data.columns." + role;
    if (!among(role, contact_log_roles()))
      c.error(path, unknown_word("contact-log role", role, contact_log_roles()));
    else if (blank(column))
      c.error(path, "role " + in_quotes(role) + " maps to a blank column name; give the column name");
  }
  for (const char* required : {"customer", "start"})
    if (d.column(required) == nullptr)
      c.error("data.columns", std::string("data.columns does not map the required role '") + required +
                                  "'; add " + required + ": <column name>");
  for (std::size_t i = 0; i < d.channels.size(); ++i) {
    const std::string path = indexed("data.channels", i);
    if (blank(d.channels[i])) c.error(path, "a channel label is blank; write it as the data spells it");
    for (std::size_t j = 0; j < i; ++j)
      if (d.channels[j] == d.channels[i]) {
        c.warning(path, "channel " + in_quotes(d.channels[i]) + " is listed twice; list it once");
        break;
      }
  }
  static constexpr std::string_view scored[] = {"csat", "nps", "ces"};
  for (const score_scale& sc : d.scales) {
    const std::string path = "data.scales." + sc.role;
    if (!among(sc.role, scored))
      c.error(path, unknown_word("survey score", sc.role, scored));
    else if (!(sc.low < sc.high))
      c.error(path, "scale of " + in_quotes(sc.role) + " is [" + number_text(sc.low) + ", " +
                        number_text(sc.high) + "]; write [low, high] with low < high");
  }
}

void check_analysis_settings(checker& c) {
  if (!c.s.analysis) return;
  const analysis_settings& a = *c.s.analysis;
  if (a.period.empty())
    c.error("analysis.period", "analysis.period is empty; use one of " + join(words(analysis_periods())));
  else
    check_period(c, "analysis.period", a.period);
  for (std::size_t i = 0; i < a.segments.size(); ++i)
    check_groupable(c, indexed("analysis.segments", i), "segment", a.segments[i]);
  check_alpha(c, "analysis.alpha", a.alpha);
}

// Parameters with a closed set of values, as the Python measures check them.
struct choice_param {
  std::string_view name;
  std::initializer_list<std::string_view> values;
};
const choice_param choice_params[] = {
    {"anchor", {"start", "end"}},
    {"channels", {"any", "same"}},
    {"censoring", {"exclude", "include"}},
    {"part", {"handle", "talk", "hold", "wrap"}},
    {"convention", {"answered", "offered", "offered_excl_short_abandons", "short_abandons_as_met"}},
};

void check_param(checker& c, const std::string& path, const std::string& name, const param_value& v) {
  const auto* text = std::get_if<std::string>(&v);
  if (is_duration_param(name)) {
    if (const auto* seconds = std::get_if<double>(&v)) {
      if (*seconds < 0) c.error(path, name + " is negative; give a duration such as P7D or PT20S");
      return;
    }
    const auto d = text ? parse_duration(*text) : std::nullopt;
    if (!d)
      c.error(path, name + " must be an ISO 8601 duration such as P7D, PT48H or PT20S" +
                        (text ? ", got " + in_quotes(*text) : std::string(", got a non-duration value")));
    else if (d->years != 0 || d->months != 0)
      c.error(path,
              name + " " + in_quotes(*text) +
                  " uses years or months, which have no fixed length; write it in weeks, days or hours");
    return;
  }
  if (name == "same_reason" || name == "exclude_short" || name == "by_reason") {
    if (!std::holds_alternative<bool>(v)) c.error(path, name + " must be true or false");
    return;
  }
  if (name == "top_box_min") {
    if (!std::holds_alternative<double>(v)) c.error(path, name + " must be a number, e.g. 4 on a 1-5 scale");
    return;
  }
  if (name == "data_end") {
    if (!text || !parse_date(*text)) c.error(path, name + " must be a date, YYYY-MM-DD");
    return;
  }
  if (name == "digital" || name == "assisted" || name == "reasons") {
    const auto* list = std::get_if<std::vector<std::string>>(&v);
    if (!list || list->empty()) c.error(path, name + " must be a non-empty list of labels, e.g. [app, web]");
    return;
  }
  for (const choice_param& cp : choice_params) {
    if (cp.name != name) continue;
    std::vector<std::string_view> allowed(cp.values);
    if (!text || !among(*text, allowed)) c.error(path, name + " must be one of " + join(words(allowed)));
    return;
  }
}

void check_measure(checker& c, const measure_spec& ms, const std::string& path, const std::string& owner) {
  if (blank(ms.kind)) {
    c.error(path + ".kind", owner + ": measure has no kind; use one of " + join(words(measure_kinds())));
    return;
  }
  if (!among(ms.kind, measure_kinds())) {
    c.error(path + ".kind", owner + ": " + unknown_word("measure kind", ms.kind, measure_kinds()));
    return;
  }
  const auto allowed = measure_params(ms.kind);
  for (const auto& [name, value] : ms.params) {
    const std::string ppath = path + ".params." + name;
    if (!among(name, allowed)) {
      if (name == "by" || name == "period" || name == "tz" || name == "alpha" || name == "min_n" ||
          name == "output")
        c.error(ppath, owner + ": " + in_quotes(name) +
                           " is set by the run (analysis:, data.time_zone), not by a measure; remove it");
      else
        c.error(ppath, owner + ": measure " + in_quotes(ms.kind) + " has no parameter " + in_quotes(name) +
                           did_you_mean(name, words(allowed)) +
                           (allowed.empty() ? "; it takes none" : "; it takes " + join(words(allowed))));
      continue;
    }
    check_param(c, ppath, name, value);
  }
  if (ms.kind == "containment")
    for (const char* required : {"digital", "assisted"})
      if (std::none_of(ms.params.begin(), ms.params.end(),
                       [&](const auto& p) { return p.first == required; }))
        c.error(path + ".params",
                owner + ": a containment measure needs params." + required + " (a list of channels)");
  if (ms.kind == "failure_demand" && c.s.failure_demand.empty() &&
      std::none_of(ms.params.begin(), ms.params.end(), [](const auto& p) { return p.first == "reasons"; }))
    c.error(path + ".kind", owner +
                                ": a failure_demand measure needs reasons; declare them in the top-level "
                                "failure_demand list or in params.reasons");
  for (const auto& [dim, labels] : ms.where) {
    const std::string wpath = path + ".where." + dim;
    check_groupable(c, wpath, "filter dimension", dim);
    if (labels.empty()) c.error(wpath, owner + ": filter " + in_quotes(dim) + " lists no labels");
    if (dim == "channel" && c.s.data && !c.s.data->channels.empty())
      for (const std::string& label : labels)
        if (std::find(c.s.data->channels.begin(), c.s.data->channels.end(), label) ==
            c.s.data->channels.end())
          c.warning(wpath, owner + ": channel " + in_quotes(label) + " is not among data.channels (" +
                               join(c.s.data->channels) + "); no contact will match it");
  }
}

void check_measures(checker& c) {
  for (std::size_t i = 0; i < c.s.metrics.size(); ++i) {
    const metric& m = c.s.metrics[i];
    const std::string path = indexed("metrics", i);
    const std::string owner = "metric " + (m.id.empty() ? path : in_quotes(m.id));
    if (m.measure) check_measure(c, *m.measure, path + ".measure", owner);
    for (std::size_t j = 0; j < m.definitions.size(); ++j)
      if (m.definitions[j].measure)
        check_measure(c, *m.definitions[j].measure, indexed(path + ".definitions", j) + ".measure",
                      owner + " version " + in_quotes(m.definitions[j].version));
  }
}

// The measure that computes a metric under a definition version: the definition's own, else the metric's.
const measure_spec* measure_for(const metric& m, std::string_view version) {
  for (const definition& d : m.definitions)
    if (d.version == version && d.measure) return &*d.measure;
  return m.measure ? &*m.measure : nullptr;
}

void check_ref(checker& c, const metric_ref& r, const std::string& path, std::string_view role) {
  const metric* m = c.find(r.metric);
  if (m == nullptr) {
    c.error(path + ".metric", c.unknown_metric(std::string(role) + " metric", r.metric));
    return;
  }
  if (blank(r.version)) {
    c.error(path + ".version", std::string(role) + " metric " + in_quotes(m->id) +
                                   " names no definition version; add version: one of " +
                                   join(versions_of(*m)));
  } else if (std::none_of(m->definitions.begin(), m->definitions.end(),
                          [&](const definition& d) { return d.version == r.version; })) {
    c.error(path + ".version", std::string(role) + " metric " + in_quotes(m->id) + " has no version " +
                                   in_quotes(r.version) + "; use one of " + join(versions_of(*m)));
  }
  if (measure_for(*m, r.version) == nullptr)
    c.error(path + ".metric", std::string(role) + " metric " + in_quotes(m->id) +
                                  " has no measure, so it cannot be computed from the contact log; add "
                                  "measure: {kind: ...} to the metric");
  if (r.margin && *r.margin < 0)
    c.error(path + ".margin", std::string(role) + " margin on " + in_quotes(m->id) + " is negative (" +
                                  number_text(*r.margin) +
                                  "); give the largest tolerated harm as a positive number");
}

void check_experiment(checker& c, const experiment& e, const std::string& path) {
  const std::string name = "experiment " + (e.id.empty() ? path : in_quotes(e.id));
  if (e.id.empty()) c.error(path + ".id", name + " has no id; give it one such as 'dispatch_notifications'");
  if (e.design.empty()) {
    c.error(path + ".design", name + " has no design; use one of " + join(words(experiment_designs())));
  } else if (!among(e.design, experiment_designs())) {
    c.error(path + ".design", name + ": " + unknown_word("design", e.design, experiment_designs()));
  } else if (e.design == "ab_test") {
    if (blank(e.salt))
      c.error(path + ".assignment.salt",
              name + " (ab_test) has no assignment salt; give the salt the assignment was hashed with");
    if (e.arms.size() < 2)
      c.error(path + ".assignment.arms",
              name + " (ab_test) needs at least two arms with weights, e.g. {control: 0.5, treatment: 0.5}");
    for (const arm_weight& w : e.arms)
      if (!(w.weight > 0))
        c.error(path + ".assignment.arms." + w.name, name + ": arm " + in_quotes(w.name) + " has weight " +
                                                         number_text(w.weight) +
                                                         "; weights must be positive");
    if (!e.unit.empty() && e.unit != "customer" && !among(e.unit, groupable_roles()))
      c.error(path + ".unit", name + ": unit " + in_quotes(e.unit) +
                                  " cannot be randomised; use customer or one of " +
                                  join(words(groupable_roles())));
    else if (!e.unit.empty() && e.unit != "customer")
      check_groupable(c, path + ".unit", "unit", e.unit);
  } else if (e.design == "stepped_wedge" || e.design == "did") {
    if (blank(e.cluster))
      c.error(path + ".cluster",
              name + " (" + e.design + ") has no cluster; name the role rolled out by, e.g. site");
    else
      check_groupable(c, path + ".cluster", "cluster", e.cluster);
    if (e.rollout.size() < 2)
      c.error(path + ".rollout",
              name + " (" + e.design + ") needs at least two rollout entries (cluster label: go-live date)");
  } else if (e.design == "its") {
    if (!e.intervention)
      c.error(path + ".intervention",
              name + " (its) has no intervention date; write intervention: YYYY-MM-DD");
  }
  if (e.start && e.end && *e.start > *e.end)
    c.error(path + ".end", name + " ends (" + e.end->to_string() + ") before it starts (" +
                               e.start->to_string() + "); swap start and end");
  if (e.intervention && ((e.start && *e.intervention < *e.start) || (e.end && *e.intervention > *e.end)))
    c.warning(path + ".intervention",
              name + ": the intervention date is outside the analysis window [start, end]");
  if (!e.primary)
    c.error(path + ".primary", name + " has no primary metric; add primary: {metric: <id>, version: <v>}");
  else
    check_ref(c, *e.primary, path + ".primary", "primary");
  for (std::size_t i = 0; i < e.secondary.size(); ++i)
    check_ref(c, e.secondary[i], indexed(path + ".secondary", i), "secondary");
  for (std::size_t i = 0; i < e.guardrails.size(); ++i)
    check_ref(c, e.guardrails[i], indexed(path + ".guardrails", i), "guardrail");
  for (std::size_t i = 0; i < e.segments.size(); ++i)
    check_groupable(c, indexed(path + ".segments", i), "segment", e.segments[i]);
  if (e.alpha) check_alpha(c, path + ".alpha", *e.alpha);
  if (e.mde && !(*e.mde > 0))
    c.error(path + ".mde", name + ": mde must be positive, got " + number_text(*e.mde));
  check_period(c, path + ".period", e.period);
}

void check_experiments(checker& c) {
  for (std::size_t i = 0; i < c.s.experiments.size(); ++i)
    check_experiment(c, c.s.experiments[i], indexed("experiments", i));
}

void check_chart(checker& c, const control_chart_spec& ch, const std::string& path) {
  const std::string name = "control chart " + (ch.id.empty() ? path : in_quotes(ch.id));
  if (const metric* m = c.find(ch.metric); m == nullptr) {
    c.error(path + ".metric", c.unknown_metric(name + " metric", ch.metric));
  } else if (!m->measure && std::none_of(m->definitions.begin(), m->definitions.end(),
                                         [](const definition& d) { return d.measure.has_value(); })) {
    c.error(path + ".metric", name + ": metric " + in_quotes(m->id) +
                                  " has no measure, so it cannot be charted from the contact log; add "
                                  "measure: {kind: ...} to the metric");
  }
  if (ch.chart.empty())
    c.error(path + ".chart", name + " has no chart type; use one of " + join(words(chart_types())));
  else if (!among(ch.chart, chart_types()))
    c.error(path + ".chart", name + ": " + unknown_word("chart type", ch.chart, chart_types()));
  if (!ch.rules.empty() && !among(ch.rules, chart_rules()))
    c.error(path + ".rules", name + ": " + unknown_word("rule set", ch.rules, chart_rules()));
  check_period(c, path + ".period", ch.period);
  if (!ch.by.empty()) check_groupable(c, path + ".by", "by", ch.by);
  if (ch.baseline_from && ch.baseline_to && *ch.baseline_from > *ch.baseline_to)
    c.error(path + ".baseline.to", name + ": the baseline ends (" + ch.baseline_to->to_string() +
                                       ") before it starts (" + ch.baseline_from->to_string() + ")");
}

void check_control_charts(checker& c) {
  for (std::size_t i = 0; i < c.s.control_charts.size(); ++i)
    check_chart(c, c.s.control_charts[i], indexed("control_charts", i));
}

}  // namespace

std::vector<issue> validate(const spec& s) {
  checker c(s);
  check_mission_parts(c);
  check_time_to_value(c);
  check_mission_outcome(c);
  check_metrics(c);
  check_tree(c);
  check_okrs(c);
  check_hoshin(c);
  check_blueprint(c);
  check_logic_model(c);
  check_failure_demand(c);
  check_work(c);
  check_data(c);
  check_analysis_settings(c);
  check_measures(c);
  check_experiments(c);
  check_control_charts(c);

  std::vector<issue> all = s.load_issues;
  all.reserve(all.size() + c.out.size());
  for (auto& i : c.out) {
    if (follows_load_issue(s.load_issues, i.path)) continue;
    const source_position p = position_of(s.positions, i.path);
    i.line = p.line;
    i.column = p.column;
    all.push_back(std::move(i));
  }
  return all;
}

}  // namespace missionkit::model
