// Ratio metrics and NPS in _core.stats: ratio_ci, diff_ratio_ci, nps_ci. Translation only (arrays to
// spans, results to dicts); the typed API is missionkit.stats.ratio.
//
// The GIL is released around the C++ calls that loop over data: the py::array_t arguments hold their
// buffers for the whole call, and the C++ code touches no Python object.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/ratio.hpp"

namespace py = pybind11;
namespace ms = missionkit::stats;

namespace missionkit::python {
namespace {

py::dict to_dict(const ms::estimate_ci& r) {
  py::dict d;
  d["estimate"] = r.estimate;
  d["se"] = r.se;
  d["ci_low"] = r.low;
  d["ci_high"] = r.high;
  return d;
}

}  // namespace

void bind_stats_ratio(py::module_& m) {
  m.def(
      "ratio_ci",
      [](const darray& num, const darray& den, double alpha) {
        const auto y = span_1d("ratio_ci", "num", num);
        const auto x = span_1d("ratio_ci", "den", den);
        ms::estimate_ci r;
        {
          py::gil_scoped_release nogil;
          r = ms::ratio_ci(y, x, alpha);
        }
        return to_dict(r);
      },
      py::arg("num"), py::arg("den"), py::arg("alpha") = 0.05);

  m.def(
      "diff_ratio_ci",
      [](const darray& num1, const darray& den1, const darray& num2, const darray& den2, double alpha) {
        constexpr std::string_view fn = "diff_ratio_ci";
        const auto y1 = span_1d(fn, "num1", num1);
        const auto x1 = span_1d(fn, "den1", den1);
        const auto y2 = span_1d(fn, "num2", num2);
        const auto x2 = span_1d(fn, "den2", den2);
        ms::estimate_ci r;
        {
          py::gil_scoped_release nogil;
          r = ms::diff_ratio_ci(y1, x1, y2, x2, alpha);
        }
        return to_dict(r);
      },
      py::arg("num1"), py::arg("den1"), py::arg("num2"), py::arg("den2"), py::arg("alpha") = 0.05);

  m.def(
      "nps_ci",
      [](double promoters, double passives, double detractors, double alpha, const std::string& method) {
        if (method != "wald")
          throw missionkit::domain_error("nps_ci: method must be 'wald', got '" + method + "'");
        return to_dict(ms::nps_ci(promoters, passives, detractors, alpha));
      },
      py::arg("promoters"), py::arg("passives"), py::arg("detractors"), py::arg("alpha") = 0.05,
      py::arg("method") = "wald");
}

}  // namespace missionkit::python
