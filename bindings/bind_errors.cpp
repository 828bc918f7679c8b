#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "missionkit/core/error.hpp"

namespace py = pybind11;

namespace missionkit::python {

// pybind11 tries translators newest first, so the base class is registered before its children and
// a spec_error surfaces as SpecError, not the generic Error.
void bind_errors(py::module_& m) {
  auto base = py::register_exception<missionkit::error>(m, "Error", PyExc_ValueError);
  py::register_exception<missionkit::spec_error>(m, "SpecError", base.ptr());
  py::register_exception<missionkit::data_error>(m, "DataError", base.ptr());
  py::register_exception<missionkit::domain_error>(m, "DomainError", base.ptr());
}

}  // namespace missionkit::python
