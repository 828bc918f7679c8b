#include "bindings.hpp"
#include "missionkit/version.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "missionkit's C++ core. Use the public API in the missionkit package, not this module.";
  m.attr("__version__") = missionkit::version_string;
  missionkit::python::bind_errors(m);
  missionkit::python::bind_model(m);
  auto stats = m.def_submodule("stats", "Statistics engine (intervals, tests, power, regression).");
  missionkit::python::bind_stats(stats);
  missionkit::python::bind_stats_tests(stats);
  missionkit::python::bind_bootstrap(stats);
  missionkit::python::bind_stats_panel(stats);
  missionkit::python::bind_stats_ratio(stats);
  missionkit::python::bind_data(m);
  missionkit::python::bind_measure(m);
  missionkit::python::bind_experiment(m);
  missionkit::python::bind_stepped_wedge(m);
  auto ops = m.def_submodule("ops", "Operations: control charts and run rules.");
  missionkit::python::bind_ops(ops);
}
