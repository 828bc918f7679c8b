// One registration function per area; module.cpp calls them in order. Bindings translate, they do not
// compute: every function here forwards to the C++ core.
#pragma once

#include <pybind11/pybind11.h>

namespace missionkit::python {
void bind_errors(pybind11::module_& m);
void bind_model(pybind11::module_& m);
void bind_stats(pybind11::module_& m);
void bind_stats_tests(pybind11::module_& m);
void bind_stats_panel(pybind11::module_& m);
void bind_stats_ratio(pybind11::module_& m);
void bind_bootstrap(pybind11::module_& m);
void bind_data(pybind11::module_& m);
void bind_measure(pybind11::module_& m);
void bind_experiment(pybind11::module_& m);
void bind_stepped_wedge(pybind11::module_& m);
void bind_ops(pybind11::module_& m);
}  // namespace missionkit::python
