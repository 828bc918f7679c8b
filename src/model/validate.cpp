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
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "missionkit/core/date.hpp"
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
