// The mission model. Structs are bound field by field; list fields come back as Python lists (copies),
// so a spec is built or edited as a dict/YAML and loaded, not by appending to spec.metrics.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <concepts>
#include <span>
#include <string_view>

#include "bindings.hpp"
#include "casters.hpp"
#include "missionkit/model/model.hpp"

namespace py = pybind11;
namespace mm = missionkit::model;

namespace missionkit::python {

namespace {

// Every model struct: default-constructible, copyable and compared by value from Python.
template <typename T>
py::class_<T> value_class(py::module_& m, const char* name, const char* doc) {
  py::class_<T> cls(m, name, doc);
  cls.def(py::init<>())
      .def("__copy__", [](const T& v) { return T(v); })
      .def("__deepcopy__", [](const T& v, const py::dict&) { return T(v); });
  if constexpr (std::equality_comparable<T>) {
    cls.def(
        "__eq__",
        [](const T& a, const py::object& b) { return py::isinstance<T>(b) && a == b.cast<const T&>(); },
        py::is_operator());
  }
  return cls;
}

std::string quoted(const std::string& s) { return py::repr(py::str(s)).cast<std::string>(); }

void bind_issue(py::module_& m) {
  py::class_<mm::issue>(m, "Issue", "One validation finding: path, severity, message and source line.")
      .def_readonly("path", &mm::issue::path)
      .def_property_readonly("severity", [](const mm::issue& i) { return mm::to_string(i.severity); })
      .def_readonly("message", &mm::issue::message)
      .def_readonly("line", &mm::issue::line)
      .def_readonly("column", &mm::issue::column)
      .def("__str__", &mm::issue::to_string)
      .def("__repr__",
           [](const mm::issue& i) {
             return "Issue(path=" + quoted(i.path) + ", severity='" + mm::to_string(i.severity) +
                    "', message=" + quoted(i.message) + ", line=" + std::to_string(i.line) + ")";
           })
      .def(
          "__eq__",
          [](const mm::issue& a, const py::object& b) {
            return py::isinstance<mm::issue>(b) && a == b.cast<const mm::issue&>();
          },
          py::is_operator());
  m.def("has_errors", &mm::has_errors, py::arg("issues"));
}

void bind_metric(py::module_& m) {
  value_class<mm::definition>(m, "Definition", "One dated version of a metric's calculation rule.")
      .def_readwrite("version", &mm::definition::version)
      .def_readwrite("effective_from", &mm::definition::effective_from)
      .def_readwrite("rule", &mm::definition::rule)
      .def_readwrite("change_note", &mm::definition::change_note)
      .def_readonly("measure", &mm::definition::measure)
      .def("__repr__", [](const mm::definition& d) {
        return "Definition(version=" + quoted(d.version) +
               ", effective_from=" + d.effective_from.to_string() + ")";
      });
  value_class<mm::metric>(m, "Metric",
                          "A governed metric: tier, lens, owner, source and versioned definitions.")
      .def_readwrite("id", &mm::metric::id)
      .def_readwrite("name", &mm::metric::name)
      .def_readwrite("tier", &mm::metric::tier)
      .def_readwrite("lens", &mm::metric::lens)
      .def_readwrite("heart", &mm::metric::heart)
      .def_readwrite("unit", &mm::metric::unit)
      .def_readwrite("direction", &mm::metric::direction)
      .def_readwrite("owner", &mm::metric::owner)
      .def_readwrite("source", &mm::metric::source)
      .def_readwrite("description", &mm::metric::description)
      .def_readwrite("definitions", &mm::metric::definitions)
      .def_readonly("measure", &mm::metric::measure)
      .def(
          "definition_at",
          [](const mm::metric& self, const civil_date& on) -> std::optional<mm::definition> {
            if (const auto* d = mm::definition_at(self, on)) return *d;
            return std::nullopt;
          },
          py::arg("on"), "The definition in force on a date, or None before the first one.")
      .def("comparability_breaks", &mm::comparability_breaks, py::arg("first"), py::arg("last"),
           "Definition changes after `first` and up to `last`: where a series stops being comparable.")
      .def("__repr__", [](const mm::metric& x) {
        return "Metric(id=" + quoted(x.id) + ", tier='" + mm::to_string(x.tier) +
               "', owner=" + quoted(x.owner) + ", versions=" + std::to_string(x.definitions.size()) + ")";
      });
  value_class<mm::comparability_break>(m, "ComparabilityBreak",
                                       "A definition change inside a reporting range.")
      .def_readwrite("on", &mm::comparability_break::on)
      .def_readwrite("from_version", &mm::comparability_break::from_version)
      .def_readwrite("to_version", &mm::comparability_break::to_version)
      .def_readwrite("change_note", &mm::comparability_break::change_note)
      .def("__repr__", [](const mm::comparability_break& b) {
        return "ComparabilityBreak(on=" + b.on.to_string() + ", " + quoted(b.from_version) + " -> " +
               quoted(b.to_version) + ")";
      });
}

void bind_mission_and_tree(py::module_& m) {
  value_class<mm::mission>(m, "Mission", "The five-part mission sentence.")
      .def_readwrite("name", &mm::mission::name)
      .def_readwrite("segment", &mm::mission::segment)
      .def_readwrite("situation", &mm::mission::situation)
      .def_readwrite("desired_progress", &mm::mission::desired_progress)
      .def_readwrite("time_to_value", &mm::mission::time_to_value)
      .def_readwrite("outcome", &mm::mission::outcome)
      .def("sentence", &mm::mission::sentence)
      .def("__repr__", [](const mm::mission& x) { return "Mission(" + quoted(x.sentence()) + ")"; });
  value_class<mm::tree_edge>(m, "TreeEdge", "An edge of the metric tree, from a child metric to its parent.")
      .def_readwrite("from_", &mm::tree_edge::from)
      .def_readwrite("to", &mm::tree_edge::to)
      .def_readwrite("kind", &mm::tree_edge::kind)
      .def_readwrite("sign", &mm::tree_edge::sign)
      .def("__repr__", [](const mm::tree_edge& e) {
        return "TreeEdge(" + quoted(e.from) + " -> " + quoted(e.to) + ", kind='" + mm::to_string(e.kind) +
               "', sign=" + std::to_string(e.sign) + ")";
      });
  value_class<mm::settings>(m, "Settings", "Knobs of the spec's checks.")
      .def_readwrite("max_drivers_per_outcome", &mm::settings::max_drivers_per_outcome);
}

void bind_okr(py::module_& m) {
  value_class<mm::key_result>(m, "KeyResult", "A key result bound to a metric id and definition version.")
      .def_readwrite("metric", &mm::key_result::metric)
      .def_readwrite("metric_version", &mm::key_result::metric_version)
      .def_readwrite("baseline", &mm::key_result::baseline)
      .def_readwrite("target", &mm::key_result::target)
      .def_readwrite("stretch", &mm::key_result::stretch)
      .def_readwrite("due", &mm::key_result::due)
      .def_readwrite("description", &mm::key_result::description)
      .def("score", &mm::score, py::arg("actual"), "Attainment and score band for an observed value.")
      .def("__repr__", [](const mm::key_result& k) {
        return "KeyResult(metric=" + quoted(k.metric) + ", version=" + quoted(k.metric_version) + ", " +
               py::repr(py::float_(k.baseline)).cast<std::string>() + " -> " +
               py::repr(py::float_(k.target)).cast<std::string>() + " by " + k.due.to_string() + ")";
      });
  value_class<mm::objective>(m, "Objective", "An objective and its key results.")
      .def_readwrite("objective", &mm::objective::objective)
      .def_readwrite("owner", &mm::objective::owner)
      .def_readwrite("key_results", &mm::objective::key_results)
      .def("__repr__", [](const mm::objective& o) {
        return "Objective(" + quoted(o.objective) + ", key_results=" + std::to_string(o.key_results.size()) +
               ")";
      });
  py::class_<mm::kr_score>(m, "KRScore", "A key result's attainment and score band.")
      .def_readonly("attainment", &mm::kr_score::attainment)
      .def_property_readonly("band", [](const mm::kr_score& s) { return mm::to_string(s.band); })
      .def("__repr__", [](const mm::kr_score& s) {
        return "KRScore(attainment=" + py::repr(py::float_(s.attainment)).cast<std::string>() + ", band='" +
               mm::to_string(s.band) + "')";
      });
}

void bind_hoshin_blueprint_logic(py::module_& m) {
  value_class<mm::hoshin_item>(m, "HoshinItem", "A row or column of the X-matrix: id and text.")
      .def_readwrite("id", &mm::hoshin_item::id)
      .def_readwrite("text", &mm::hoshin_item::text);
  value_class<mm::hoshin_cell>(m, "HoshinCell", "A correlation cell of the X-matrix.")
      .def_readwrite("from_", &mm::hoshin_cell::from)
      .def_readwrite("to", &mm::hoshin_cell::to)
      .def_readwrite("strength", &mm::hoshin_cell::strength);
  value_class<mm::hoshin>(m, "Hoshin", "The Hoshin Kanri X-matrix.")
      .def_readwrite("breakthroughs", &mm::hoshin::breakthroughs)
      .def_readwrite("annual", &mm::hoshin::annual)
      .def_readwrite("priorities", &mm::hoshin::priorities)
      .def_readwrite("metrics", &mm::hoshin::metrics)
      .def_readwrite("owners", &mm::hoshin::owners)
      .def_readwrite("cells", &mm::hoshin::cells)
      .def("empty", &mm::hoshin::empty);
  value_class<mm::blueprint_step>(m, "BlueprintStep", "A step in one lane of a blueprint stage.")
      .def_readwrite("text", &mm::blueprint_step::text)
      .def_readwrite("metrics", &mm::blueprint_step::metrics)
      .def_readwrite("fail_point", &mm::blueprint_step::fail_point);
  value_class<mm::blueprint_stage>(m, "BlueprintStage", "A journey stage with its four lanes.")
      .def_readwrite("id", &mm::blueprint_stage::id)
      .def_readwrite("name", &mm::blueprint_stage::name)
      .def_readwrite("customer", &mm::blueprint_stage::customer)
      .def_readwrite("frontstage", &mm::blueprint_stage::frontstage)
      .def_readwrite("backstage", &mm::blueprint_stage::backstage)
      .def_readwrite("support", &mm::blueprint_stage::support);
  value_class<mm::blueprint>(m, "Blueprint", "A service blueprint: stages in journey order.")
      .def_readwrite("name", &mm::blueprint::name)
      .def_readwrite("stages", &mm::blueprint::stages)
      .def("empty", &mm::blueprint::empty);
  value_class<mm::logic_activity>(m, "LogicActivity",
                                  "An activity of the logic model and the metrics it moves.")
      .def_readwrite("id", &mm::logic_activity::id)
      .def_readwrite("text", &mm::logic_activity::text)
      .def_readwrite("outputs", &mm::logic_activity::outputs)
      .def_readwrite("drivers", &mm::logic_activity::drivers)
      .def_readwrite("outcomes", &mm::logic_activity::outcomes)
      .def_readwrite("assumption", &mm::logic_activity::assumption);
  value_class<mm::logic_model>(m, "LogicModel", "Inputs and activities linked to driver and outcome metrics.")
      .def_readwrite("inputs", &mm::logic_model::inputs)
      .def_readwrite("activities", &mm::logic_model::activities)
      .def("empty", &mm::logic_model::empty);
}

void bind_lifecycle(py::module_& m) {
  value_class<mm::work_item>(m, "WorkItem", "CRISP-DM / DMAIC / OODA work tracked through its stages.")
      .def_readwrite("id", &mm::work_item::id)
      .def_readwrite("title", &mm::work_item::title)
      .def_readwrite("framework", &mm::work_item::framework)
      .def_readwrite("stage", &mm::work_item::stage)
      .def_readwrite("owner", &mm::work_item::owner)
      .def_readwrite("cycle", &mm::work_item::cycle)
      .def_readwrite("evidence", &mm::work_item::evidence)
      .def("missing_evidence", &mm::missing_evidence, py::arg("stage"))
      .def("advance", &mm::advance, py::arg("evidence") = std::map<std::string, std::string>{},
           "Record exit evidence for the current stage and move on; SpecError if evidence is missing.")
      .def("__repr__", [](const mm::work_item& w) {
        return "WorkItem(id=" + quoted(w.id) + ", framework='" + mm::to_string(w.framework) +
               "', stage=" + quoted(w.stage) + ")";
      });
  m.def(
      "stages",
      [](mm::framework f) {
        std::vector<std::pair<std::string, std::vector<std::string>>> out;
        for (const auto& s : mm::stages(f))
          out.emplace_back(std::string(s.name),
                           std::vector<std::string>(s.exit_evidence.begin(), s.exit_evidence.end()));
        return out;
      },
      py::arg("framework"), "The framework's stages in order, each with its required exit evidence.");
}

// Ordered (key, value) pairs -> a dict, which keeps insertion order: the order the spec wrote them.
template <typename V>
py::dict as_dict(const std::vector<std::pair<std::string, V>>& pairs) {
  py::dict d;
  for (const auto& [k, v] : pairs) d[py::str(k)] = py::cast(v);
  return d;
}

std::vector<std::string> as_strings(std::span<const std::string_view> list) {
  return {list.begin(), list.end()};
}

void bind_analysis(py::module_& m) {
  py::class_<mm::data_mapping>(m, "DataMapping", "How to read the contact log: the spec's `data:` section.")
      .def_readonly("time_zone", &mm::data_mapping::time_zone)
      .def_property_readonly(
          "columns", [](const mm::data_mapping& d) { return as_dict(d.columns); },
          "Contact-log role -> column name, in the order written.")
      .def_readonly("channels", &mm::data_mapping::channels)
      .def_property_readonly(
          "scales",
          [](const mm::data_mapping& d) {
            py::dict out;
            for (const auto& sc : d.scales) out[py::str(sc.role)] = py::make_tuple(sc.low, sc.high);
            return out;
          },
          "Survey score -> (low, high).")
      .def("__repr__", [](const mm::data_mapping& d) {
        return "DataMapping(time_zone=" + quoted(d.time_zone) +
               ", roles=" + std::to_string(d.columns.size()) + ")";
      });
  py::class_<mm::analysis_settings>(m, "AnalysisSettings",
                                    "Analysis defaults: the spec's `analysis:` section.")
      .def_readonly("period", &mm::analysis_settings::period)
      .def_readonly("segments", &mm::analysis_settings::segments)
      .def_readonly("alpha", &mm::analysis_settings::alpha)
      .def_readonly("min_n", &mm::analysis_settings::min_n)
      .def("__repr__", [](const mm::analysis_settings& a) {
        return "AnalysisSettings(period=" + quoted(a.period) +
               ", alpha=" + py::repr(py::float_(a.alpha)).cast<std::string>() +
               ", min_n=" + std::to_string(a.min_n) + ")";
      });
  py::class_<mm::measure_spec>(m, "MeasureSpec",
                               "How a metric is computed from the contact log: kind, params and where.")
      .def_readonly("kind", &mm::measure_spec::kind)
      .def_property_readonly(
          "params", [](const mm::measure_spec& x) { return as_dict(x.params); },
          "Keyword arguments as written (durations as ISO 8601 text).")
      .def_property_readonly(
          "where", [](const mm::measure_spec& x) { return as_dict(x.where); },
          "Dimension -> allowed labels of the unit contact.")
      .def("__repr__", [](const mm::measure_spec& x) { return "MeasureSpec(kind=" + quoted(x.kind) + ")"; });
  py::class_<mm::metric_ref>(m, "MetricRef",
                             "A metric cited by an experiment: id, version, guardrail margin.")
      .def_readonly("metric", &mm::metric_ref::metric)
      .def_readonly("version", &mm::metric_ref::version)
      .def_readonly("margin", &mm::metric_ref::margin)
      .def_readonly("relative", &mm::metric_ref::relative)
      .def("__repr__", [](const mm::metric_ref& r) {
        return "MetricRef(metric=" + quoted(r.metric) + ", version=" + quoted(r.version) + ")";
      });
  py::class_<mm::experiment>(m, "ExperimentSpec",
                             "An experiment to analyse: ab_test, stepped_wedge, did or its.")
      .def_readonly("id", &mm::experiment::id)
      .def_readonly("design", &mm::experiment::design)
      .def_readonly("hypothesis", &mm::experiment::hypothesis)
      .def_property_readonly(
          "unit", [](const mm::experiment& e) { return e.unit.empty() ? std::string("customer") : e.unit; })
      .def_readonly("salt", &mm::experiment::salt)
      .def_property_readonly(
          "arms",
          [](const mm::experiment& e) {
            py::dict out;
            for (const auto& w : e.arms) out[py::str(w.name)] = w.weight;
            return out;
          },
          "Arm -> weight, in the order written.")
      .def_readonly("start", &mm::experiment::start)
      .def_readonly("end", &mm::experiment::end)
      .def_readonly("primary", &mm::experiment::primary)
      .def_readonly("secondary", &mm::experiment::secondary)
      .def_readonly("guardrails", &mm::experiment::guardrails)
      .def_readonly("segments", &mm::experiment::segments)
      .def_readonly("alpha", &mm::experiment::alpha)
      .def_readonly("mde", &mm::experiment::mde)
      .def_readonly("cluster", &mm::experiment::cluster)
      .def_property_readonly(
          "rollout",
          [](const mm::experiment& e) {
            py::dict out;
            for (const auto& r : e.rollout) out[py::str(r.cluster)] = py::cast(r.go_live);
            return out;
          },
          "Cluster label -> go-live date, in the order written.")
      .def_readonly("period", &mm::experiment::period)
      .def_readonly("intervention", &mm::experiment::intervention)
      .def("__repr__", [](const mm::experiment& e) {
        return "ExperimentSpec(id=" + quoted(e.id) + ", design=" + quoted(e.design) + ")";
      });
  py::class_<mm::control_chart_spec>(m, "ControlChartSpec", "A control chart of a metric.")
      .def_readonly("id", &mm::control_chart_spec::id)
      .def_readonly("metric", &mm::control_chart_spec::metric)
      .def_readonly("chart", &mm::control_chart_spec::chart)
      .def_readonly("period", &mm::control_chart_spec::period)
      .def_readonly("by", &mm::control_chart_spec::by)
      .def_readonly("baseline_from", &mm::control_chart_spec::baseline_from)
      .def_readonly("baseline_to", &mm::control_chart_spec::baseline_to)
      .def_property_readonly("rules",
                             [](const mm::control_chart_spec& c) {
                               return c.rules.empty() ? std::string("western_electric") : c.rules;
                             })
      .def("__repr__", [](const mm::control_chart_spec& c) {
        return "ControlChartSpec(id=" + quoted(c.id) + ", metric=" + quoted(c.metric) +
               ", chart=" + quoted(c.chart) + ")";
      });
  m.def("contact_log_roles", [] { return as_strings(mm::contact_log_roles()); });
  m.def("groupable_roles", [] { return as_strings(mm::groupable_roles()); });
  m.def("measure_kinds", [] { return as_strings(mm::measure_kinds()); });
  m.def(
      "measure_params", [](const std::string& kind) { return as_strings(mm::measure_params(kind)); },
      py::arg("kind"), "The keyword arguments a measure kind accepts in a spec's params.");
  m.def(
      "is_duration_param", [](const std::string& name) { return mm::is_duration_param(name); },
      py::arg("name"));
}

void bind_spec(py::module_& m) {
  value_class<mm::spec>(m, "SpecModel", "A loaded mission spec (use missionkit.Spec, which wraps this).")
      .def_readwrite("spec_version", &mm::spec::spec_version)
      .def_readwrite("settings", &mm::spec::settings)
      .def_readwrite("mission", &mm::spec::mission)
      .def_readwrite("metrics", &mm::spec::metrics)
      .def_readwrite("tree", &mm::spec::tree)
      .def_readwrite("okrs", &mm::spec::okrs)
      .def_readwrite("hoshin", &mm::spec::hoshin)
      .def_readwrite("blueprint", &mm::spec::blueprint)
      .def_readwrite("logic_model", &mm::spec::logic_model)
      .def_readwrite("failure_demand", &mm::spec::failure_demand)
      .def_readwrite("work", &mm::spec::work)
      .def_readonly("data", &mm::spec::data)
      .def_readonly("analysis", &mm::spec::analysis)
      .def_readonly("experiments", &mm::spec::experiments)
      .def_readonly("control_charts", &mm::spec::control_charts)
      .def_readonly("source_name", &mm::spec::source_name)
      .def_readonly("load_issues", &mm::spec::load_issues)
      .def(
          "find_metric",
          [](const mm::spec& s, const std::string& id) -> std::optional<mm::metric> {
            if (const auto* x = s.find_metric(id)) return *x;
            return std::nullopt;
          },
          py::arg("id"))
      .def("same_model", &mm::spec::same_model, py::arg("other"));
  m.def("parse_spec", &mm::parse_spec, py::arg("text"), py::arg("source_name") = "<string>");
  m.def("load_spec", &mm::load_spec, py::arg("path"));
  m.def("validate", &mm::validate, py::arg("spec"));
  m.def("throw_if_errors", &mm::throw_if_errors, py::arg("issues"), py::arg("source_name"));
  m.def("to_yaml", &mm::to_yaml, py::arg("spec"));
  m.def("to_json", &mm::to_json, py::arg("spec"));
}

}  // namespace

void bind_model(py::module_& m) {
  bind_issue(m);
  bind_analysis(m);
  bind_metric(m);
  bind_mission_and_tree(m);
  bind_okr(m);
  bind_hoshin_blueprint_logic(m);
  bind_lifecycle(m);
  bind_spec(m);
}

}  // namespace missionkit::python
