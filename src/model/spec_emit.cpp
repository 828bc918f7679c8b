// Writing a spec back out as canonical YAML or JSON.
//
// The document is built once, as an ordered JSON value, and both writers render that value: the two
// formats then cannot disagree about key order or about which optional fields are omitted.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "missionkit/model/spec.hpp"

namespace missionkit::model {

namespace {

using json = nlohmann::ordered_json;

void put_text(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

void put_list(json& j, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) j[key] = values;
}

json measure_json(const measure_spec& ms) {
  json j = json::object();
  j["kind"] = ms.kind;
  if (!ms.params.empty()) {
    json p = json::object();
    for (const auto& [name, value] : ms.params)
      std::visit([&p, &name](const auto& v) { p[name] = v; }, value);
    j["params"] = std::move(p);
  }
  if (!ms.where.empty()) {
    json w = json::object();
    for (const auto& [dim, labels] : ms.where) w[dim] = labels;
    j["where"] = std::move(w);
  }
  return j;
}

json metric_json(const metric& m) {
  json j = json::object();
  j["id"] = m.id;
  put_text(j, "name", m.name);
  j["tier"] = to_string(m.tier);
  j["lens"] = to_string(m.lens);
  if (m.heart) j["heart"] = to_string(*m.heart);
  put_text(j, "unit", m.unit);
  j["direction"] = to_string(m.direction);
  put_text(j, "owner", m.owner);
  put_text(j, "source", m.source);
  put_text(j, "description", m.description);
  if (!m.definitions.empty()) {
    json defs = json::array();
    for (const definition& d : m.definitions) {
      json dj = json::object();
      dj["version"] = d.version;
      dj["effective_from"] = d.effective_from.to_string();
      put_text(dj, "rule", d.rule);
      put_text(dj, "change_note", d.change_note);
      if (d.measure) dj["measure"] = measure_json(*d.measure);
      defs.push_back(std::move(dj));
    }
    j["definitions"] = std::move(defs);
  }
  if (m.measure) j["measure"] = measure_json(*m.measure);
  return j;
}

json objective_json(const objective& o) {
  json j = json::object();
  put_text(j, "objective", o.objective);
  put_text(j, "owner", o.owner);
  if (!o.key_results.empty()) {
    json krs = json::array();
    for (const key_result& kr : o.key_results) {
      json k = json::object();
      put_text(k, "metric", kr.metric);
      put_text(k, "metric_version", kr.metric_version);
      k["baseline"] = kr.baseline;
      k["target"] = kr.target;
      if (kr.stretch) k["stretch"] = *kr.stretch;
      k["due"] = kr.due.to_string();
      put_text(k, "description", kr.description);
      krs.push_back(std::move(k));
    }
    j["key_results"] = std::move(krs);
  }
  return j;
}

json hoshin_json(const hoshin& h) {
  json j = json::object();
  const auto items = [&](const char* key, const std::vector<hoshin_item>& list, const char* text_key) {
    if (list.empty()) return;
    json a = json::array();
    for (const hoshin_item& item : list) {
      json ij = json::object();
      ij["id"] = item.id;
      put_text(ij, text_key, item.text);
      a.push_back(std::move(ij));
    }
    j[key] = std::move(a);
  };
  items("breakthroughs", h.breakthroughs, "text");
  items("annual", h.annual, "text");
  items("priorities", h.priorities, "text");
  put_list(j, "metrics", h.metrics);
  items("owners", h.owners, "name");  // owners are people or teams: a name, not a statement
  if (!h.cells.empty()) {
    json a = json::array();
    for (const hoshin_cell& c : h.cells) {
      json cj = json::object();
      put_text(cj, "from", c.from);
      put_text(cj, "to", c.to);
      cj["strength"] = to_string(c.strength);
      a.push_back(std::move(cj));
    }
    j["cells"] = std::move(a);
  }
  return j;
}

json step_json(const blueprint_step& step) {
  // A step that is only text is written as a plain string, the way people write it by hand.
  if (step.metrics.empty() && !step.fail_point) return step.text;
  json j = json::object();
  j["text"] = step.text;
  put_list(j, "metrics", step.metrics);
  if (step.fail_point) j["fail_point"] = true;
  return j;
}

json blueprint_json(const blueprint& b) {
  json j = json::object();
  put_text(j, "name", b.name);
  if (!b.stages.empty()) {
    json stages = json::array();
    for (const blueprint_stage& st : b.stages) {
      json sj = json::object();
      sj["id"] = st.id;
      put_text(sj, "name", st.name);
      const auto lane = [&](const char* key, const std::vector<blueprint_step>& steps) {
        if (steps.empty()) return;
        json a = json::array();
        for (const blueprint_step& step : steps) a.push_back(step_json(step));
        sj[key] = std::move(a);
      };
      lane("customer", st.customer);
      lane("frontstage", st.frontstage);
      lane("backstage", st.backstage);
      lane("support", st.support);
      stages.push_back(std::move(sj));
    }
    j["stages"] = std::move(stages);
  }
  return j;
}

json logic_model_json(const logic_model& lm) {
  json j = json::object();
  put_list(j, "inputs", lm.inputs);
  if (!lm.activities.empty()) {
    json a = json::array();
    for (const logic_activity& act : lm.activities) {
      json aj = json::object();
      aj["id"] = act.id;
      put_text(aj, "text", act.text);
      put_list(aj, "outputs", act.outputs);
      put_list(aj, "drivers", act.drivers);
      put_list(aj, "outcomes", act.outcomes);
      put_text(aj, "assumption", act.assumption);
      a.push_back(std::move(aj));
    }
    j["activities"] = std::move(a);
  }
  return j;
}

json work_json(const work_item& w) {
  json j = json::object();
  j["id"] = w.id;
  put_text(j, "title", w.title);
  j["framework"] = to_string(w.framework);
  put_text(j, "stage", w.stage);
  put_text(j, "owner", w.owner);
  if (w.cycle != 1) j["cycle"] = w.cycle;
  if (!w.evidence.empty()) {
    json ev = json::object();
    for (const auto& [stage, artefacts] : w.evidence) {
      json aj = json::object();
      for (const auto& [artefact, text] : artefacts) aj[artefact] = text;
      ev[stage] = std::move(aj);
    }
    j["evidence"] = std::move(ev);
  }
  return j;
}

json data_json(const data_mapping& d) {
  json j = json::object();
  put_text(j, "time_zone", d.time_zone);
  if (!d.columns.empty()) {
    json c = json::object();
    for (const auto& [role, column] : d.columns) c[role] = column;
    j["columns"] = std::move(c);
  }
  put_list(j, "channels", d.channels);
  if (!d.scales.empty()) {
    json sc = json::object();
    for (const score_scale& x : d.scales) sc[x.role] = json::array({x.low, x.high});
    j["scales"] = std::move(sc);
  }
  return j;
}

json analysis_json(const analysis_settings& a) {
  // Every field is written, defaults included: the section is short and a reader should not have to
  // know the defaults to see what a run will do.
  json j = json::object();
  j["period"] = a.period;
  put_list(j, "segments", a.segments);
  j["alpha"] = a.alpha;
  j["min_n"] = a.min_n;
  return j;
}

json ref_json(const metric_ref& r) {
  json j = json::object();
  j["metric"] = r.metric;
  put_text(j, "version", r.version);
  if (r.margin) j["margin"] = *r.margin;
  if (r.relative) j["relative"] = true;
  return j;
}

json experiment_json(const experiment& e) {
  json j = json::object();
  j["id"] = e.id;
  j["design"] = e.design;
  put_text(j, "hypothesis", e.hypothesis);
  put_text(j, "unit", e.unit);
  if (!e.salt.empty() || !e.arms.empty()) {
    json a = json::object();
    put_text(a, "salt", e.salt);
    if (!e.arms.empty()) {
      json arms = json::object();
      for (const arm_weight& w : e.arms) arms[w.name] = w.weight;
      a["arms"] = std::move(arms);
    }
    j["assignment"] = std::move(a);
  }
  if (e.start) j["start"] = e.start->to_string();
  if (e.end) j["end"] = e.end->to_string();
  if (e.primary) j["primary"] = ref_json(*e.primary);
  const auto refs = [&j](const char* key, const std::vector<metric_ref>& list) {
    if (list.empty()) return;
    json a = json::array();
    for (const metric_ref& r : list) a.push_back(ref_json(r));
    j[key] = std::move(a);
  };
  refs("secondary", e.secondary);
  refs("guardrails", e.guardrails);
  put_list(j, "segments", e.segments);
  if (e.alpha) j["alpha"] = *e.alpha;
  if (e.mde) j["mde"] = *e.mde;
  put_text(j, "cluster", e.cluster);
  if (!e.rollout.empty()) {
    json r = json::object();
    for (const rollout_entry& x : e.rollout) r[x.cluster] = x.go_live.to_string();
    j["rollout"] = std::move(r);
  }
  put_text(j, "period", e.period);
  if (e.intervention) j["intervention"] = e.intervention->to_string();
  return j;
}

json chart_json(const control_chart_spec& c) {
  json j = json::object();
  j["id"] = c.id;
  j["metric"] = c.metric;
  j["chart"] = c.chart;
  put_text(j, "period", c.period);
  put_text(j, "by", c.by);
  if (c.baseline_from || c.baseline_to) {
    json b = json::object();
    if (c.baseline_from) b["from"] = c.baseline_from->to_string();
    if (c.baseline_to) b["to"] = c.baseline_to->to_string();
    j["baseline"] = std::move(b);
  }
  put_text(j, "rules", c.rules);
  return j;
}

json document(const spec& s) {
  json j = json::object();
  j["spec_version"] = s.spec_version;
  if (s.settings != model::settings{})
    j["settings"] = {{"max_drivers_per_outcome", s.settings.max_drivers_per_outcome}};
  const mission& mi = s.mission;
  if (mi != mission{}) {
    json mj = json::object();
    put_text(mj, "name", mi.name);
    put_text(mj, "segment", mi.segment);
    put_text(mj, "situation", mi.situation);
    put_text(mj, "desired_progress", mi.desired_progress);
    put_text(mj, "time_to_value", mi.time_to_value);
    put_text(mj, "outcome", mi.outcome);
    j["mission"] = std::move(mj);
  }
  if (!s.metrics.empty()) {
    json a = json::array();
    for (const metric& m : s.metrics) a.push_back(metric_json(m));
    j["metrics"] = std::move(a);
  }
  if (!s.tree.empty()) {
    json a = json::array();
    for (const tree_edge& e : s.tree) {
      json ej = json::object();
      put_text(ej, "from", e.from);
      put_text(ej, "to", e.to);
      ej["kind"] = to_string(e.kind);
      if (e.sign != 0) ej["sign"] = e.sign;
      a.push_back(std::move(ej));
    }
    j["tree"] = std::move(a);
  }
  if (!s.okrs.empty()) {
    json a = json::array();
    for (const objective& o : s.okrs) a.push_back(objective_json(o));
    j["okrs"] = std::move(a);
  }
  if (!s.hoshin.empty()) j["hoshin"] = hoshin_json(s.hoshin);
  if (!s.blueprint.empty()) j["blueprint"] = blueprint_json(s.blueprint);
  if (!s.logic_model.empty()) j["logic_model"] = logic_model_json(s.logic_model);
  if (!s.failure_demand.empty()) j["failure_demand"] = s.failure_demand;
  if (!s.work.empty()) {
    json a = json::array();
    for (const work_item& w : s.work) a.push_back(work_json(w));
    j["work"] = std::move(a);
  }
  if (s.data) j["data"] = data_json(*s.data);
  if (s.analysis) j["analysis"] = analysis_json(*s.analysis);
  if (!s.experiments.empty()) {
    json a = json::array();
    for (const experiment& e : s.experiments) a.push_back(experiment_json(e));
    j["experiments"] = std::move(a);
  }
  if (!s.control_charts.empty()) {
    json a = json::array();
    for (const control_chart_spec& c : s.control_charts) a.push_back(chart_json(c));
    j["control_charts"] = std::move(a);
  }
  return j;
}

// ---------------------------------------------------------------------------------------------------
// YAML rendering

/// True when a plain scalar with this text would be read back, by a YAML 1.1 or 1.2 parser (PyYAML,
/// ruamel, editors), as something other than a string: a null, a bool, a number or a timestamp.
/// Such text is double-quoted, so that version "1" or an owner called "No" survive other tools too.
bool reads_as_non_string(std::string_view s) {
  if (s.empty()) return true;
  std::string l(s);
  for (char& c : l)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  static constexpr std::string_view words[] = {"null", "~", "true", "false", "yes",   "no",   "on", "off",
                                               "y",    "n", ".inf", "-.inf", "+.inf", ".nan", "=",  "<<"};
  for (std::string_view w : words)
    if (l == w) return true;
  // Numbers in any YAML notation (1_000, 0x1f, 0o17, 1:30 sexagesimal, 1e3) and dates or timestamps
  // (2026-01-01, 2026-01-01 10:00:00Z) use only these characters. Quoting a little more than needed
  // ("1a") costs nothing; quoting less would change a type.
  bool digit = false;
  for (char c : l) {
    if (c >= '0' && c <= '9')
      digit = true;
    else if (std::strchr("+-._: abcdefxotz", c) == nullptr)
      return false;
  }
  return digit;
}

/// True when the text can be written as a plain (unquoted) scalar in block context and read back
/// unchanged. Deliberately stricter than YAML requires: yaml-cpp's own test lets some indicator-led
/// text through unquoted ("*<<" is emitted bare and then reads as an alias), so anything doubtful is
/// double-quoted instead.
bool plain_is_safe(std::string_view s) {
  if (s.empty() || reads_as_non_string(s)) return false;
  if (std::strchr("-?:,[]{}#&*!|>'\"%@`~= ", s.front()) != nullptr) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;  // tabs, newlines, controls
  return s.find(": ") == std::string_view::npos && s.find(" #") == std::string_view::npos;
}

std::string number_text(double v) {
  if (std::isnan(v)) return ".nan";  // not loadable (a spec holds finite numbers), but honest
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that round-trips
  return std::string(buf, ec == std::errc{} ? end : buf);
}

// Keys whose text values get a fixed style whatever they contain: dates stay bare so that they read as
// dates in every YAML tool, which is what they are; versions are always quoted so that "2" next to
// "2.1" is visibly the same kind of value, and never an integer next to a float.
enum class style { automatic, bare, quoted };

style style_for(std::string_view key) {
  if (key == "effective_from" || key == "due" || key == "intervention") return style::bare;
  if (key == "version" || key == "metric_version" || key == "spec_version") return style::quoted;
  return style::automatic;
}

void emit_scalar_text(YAML::Emitter& out, const std::string& text, style how) {
  if (how == style::quoted || (how == style::automatic && !plain_is_safe(text))) out << YAML::DoubleQuoted;
  out << text;
}

void emit(YAML::Emitter& out, const json& j, std::string_view key = {}) {
  switch (j.type()) {
    case json::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [k, v] : j.items()) {
        out << YAML::Key;
        emit_scalar_text(out, k, style::automatic);
        out << YAML::Value;
        emit(out, v, k);
      }
      out << YAML::EndMap;
      break;
    case json::value_t::array:
      out << YAML::BeginSeq;
      for (const json& v : j) emit(out, v);
      out << YAML::EndSeq;
      break;
    case json::value_t::string:
      emit_scalar_text(out, j.get_ref<const std::string&>(), style_for(key));
      break;
    case json::value_t::boolean:
      out << j.get<bool>();
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      out << j.get<std::int64_t>();
      break;
    case json::value_t::number_float:
      out << number_text(j.get<double>());
      break;
    case json::value_t::null:
    case json::value_t::binary:
    case json::value_t::discarded:
      out << YAML::Null;
      break;
  }
}

}  // namespace

std::string to_yaml(const spec& s) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, document(s));
  return std::string(out.c_str()) + "\n";
}

std::string to_json(const spec& s) {
  // Invalid UTF-8 in a text field (possible from a C++ host) becomes U+FFFD rather than an exception.
  return document(s).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace missionkit::model
