#include "bindings.hpp"

namespace missionkit::python {
void bind_stats(pybind11::module_& /*m*/) {}
}  // namespace missionkit::python
