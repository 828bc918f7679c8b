// Stepped-wedge designs (_core.experiment_stepped_wedge_*): the design matrix and Hussey & Hughes power.
// Translation only; the typed public API is missionkit.stepped_wedge.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/stepped_wedge.hpp"

namespace py = pybind11;
namespace ms = missionkit::stats;

namespace missionkit::python {
namespace {

using i64matrix = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

py::array_t<std::int64_t> to_numpy(const ms::sw_design& d) {
  py::array_t<std::int64_t> out({static_cast<py::ssize_t>(d.clusters), static_cast<py::ssize_t>(d.periods)});
  auto* p = out.mutable_data();
  for (std::size_t k = 0; k < d.x.size(); ++k) p[k] = d.x[k];
  return out;
}

ms::sw_design from_numpy(const i64matrix& a) {
  if (a.ndim() != 2)
    throw missionkit::domain_error(
        "stepped_wedge_power: design must be a 2-D clusters x periods matrix, got " +
        std::to_string(a.ndim()) + " dimension(s)");
  ms::sw_design d;
  d.clusters = static_cast<int>(a.shape(0));
  d.periods = static_cast<int>(a.shape(1));
  d.x.resize(static_cast<std::size_t>(a.size()));
  const auto* p = a.data();
  for (std::size_t k = 0; k < d.x.size(); ++k) {
    if (p[k] != 0 && p[k] != 1)
      throw missionkit::domain_error("stepped_wedge_power: design entries must be 0 or 1, got " +
                                     std::to_string(p[k]) + " at cluster " +
                                     std::to_string(k / static_cast<std::size_t>(d.periods)) + ", period " +
                                     std::to_string(k % static_cast<std::size_t>(d.periods)));
    d.x[k] = static_cast<std::uint8_t>(p[k]);
  }
  return d;
}

}  // namespace

void bind_stepped_wedge(py::module_& m) {
  m.def(
      "experiment_stepped_wedge_design",
      [](const std::vector<int>& clusters_per_step, int baseline_periods) {
        return to_numpy(ms::stepped_wedge_design(clusters_per_step, baseline_periods));
      },
      py::arg("clusters_per_step"), py::arg("baseline_periods") = 1,
      "Clusters x periods 0/1 matrix of the standard stepped-wedge design.");
  m.def(
      "experiment_stepped_wedge_power",
      [](const i64matrix& design, double theta, double sigma_e, double tau, double m_, double alpha) {
        const auto r = ms::stepped_wedge_power(from_numpy(design), theta, sigma_e, tau, m_, alpha);
        py::dict out;
        out["variance"] = r.variance;
        out["std_error"] = r.std_error;
        out["power"] = r.power;
        out["u"] = r.u;
        out["w"] = r.w;
        out["v"] = r.v;
        return out;
      },
      py::arg("design"), py::arg("theta"), py::arg("sigma_e"), py::arg("tau"), py::arg("m"),
      py::arg("alpha") = 0.05, "Hussey & Hughes (2007) power of a cross-sectional stepped-wedge design.");
}

}  // namespace missionkit::python
