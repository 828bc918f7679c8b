// Operations in _core.ops: control charts and run rules. Translation only (arrays to spans, results to
// dicts); the typed API is missionkit.ops. The C++ core validates the data (NaN, negative counts,
// n_i <= 0, counts above n, too few baseline points) and its errors surface as mk.DataError /
// mk.DomainError; here only the argument combinations are checked.
//
// The GIL is released around the chart computation: the array arguments hold their buffers for the
// whole call, and the C++ code touches no Python object.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/ops/spc.hpp"

namespace py = pybind11;
namespace mo = missionkit::ops;

namespace missionkit::python {
namespace {

py::dict chart_dict(const mo::chart_result& r) {
  py::dict d;
  d["chart"] = std::string(mo::to_string(r.type));
  d["values"] = to_numpy(r.values);
  d["center"] = r.center;
  d["sigma"] = r.sigma;
  d["width"] = r.width;
  d["point_sigma"] = to_numpy(r.point_sigma);
  d["ucl"] = to_numpy(r.ucl);
  d["lcl"] = to_numpy(r.lcl);
  d["z"] = to_numpy(r.standardized());
  d["baseline_start"] = r.baseline_start;
  d["baseline_stop"] = r.baseline_stop;
  d["dispersion"] = to_numpy(r.dispersion);
  d["dispersion_center"] = r.dispersion_center;
  d["dispersion_ucl"] = r.dispersion_ucl;
  d["dispersion_lcl"] = r.dispersion_lcl;
  return d;
}

std::vector<mo::run_rule> parse_rules(const std::vector<std::string>& names) {
  std::vector<mo::run_rule> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(mo::parse_rule(n));
  return out;
}

}  // namespace

void bind_ops(py::module_& m) {
  m.def(
      "control_chart",
      [](const std::string& chart, const darray& values, const std::optional<darray>& n,
         std::size_t subgroup_size, std::size_t baseline_start, std::optional<std::size_t> baseline_stop,
         double width, const std::string& mr) {
        constexpr std::string_view fn = "control_chart";
        const mo::chart_type type = mo::parse_chart_type(chart);
        const bool needs_n =
            type == mo::chart_type::p || type == mo::chart_type::np || type == mo::chart_type::u;
        if (needs_n && !n)
          fail(fn, "the " + chart + " chart needs n, the sample size of each point (items inspected, units)");
        if (!needs_n && n)
          fail(fn, "n is only used by the p, np and u charts, not by the " + chart + " chart");
        if (mr != "average" && mr != "median") fail(fn, "mr must be 'average' or 'median', got '" + mr + "'");
        mo::chart_options opt;
        opt.width = width;
        opt.baseline_start = baseline_start;
        opt.baseline_stop = baseline_stop.value_or(std::numeric_limits<std::size_t>::max());
        opt.mr = mr == "median" ? mo::mr_estimator::median : mo::mr_estimator::average;
        const auto x = span_1d(fn, "values", values);
        const auto sizes = n ? span_1d(fn, "n", *n) : std::span<const double>{};
        mo::chart_result r;
        {
          py::gil_scoped_release nogil;
          switch (type) {
            case mo::chart_type::individuals:
              r = mo::individuals_chart(x, opt);
              break;
            case mo::chart_type::xbar_r:
              r = mo::xbar_r_chart(x, subgroup_size, opt);
              break;
            case mo::chart_type::xbar_s:
              r = mo::xbar_s_chart(x, subgroup_size, opt);
              break;
            case mo::chart_type::p:
              r = mo::p_chart(x, sizes, opt);
              break;
            case mo::chart_type::np:
              r = mo::np_chart(x, sizes, opt);
              break;
            case mo::chart_type::c:
              r = mo::c_chart(x, opt);
              break;
            case mo::chart_type::u:
              r = mo::u_chart(x, sizes, opt);
              break;
          }
        }
        return chart_dict(r);
      },
      py::arg("chart"), py::arg("values"), py::arg("n") = py::none(), py::arg("subgroup_size") = 0,
      py::arg("baseline_start") = 0, py::arg("baseline_stop") = py::none(), py::arg("width") = 3.0,
      py::arg("mr") = "average");

  m.def(
      "run_rules",
      [](const darray& z, const std::vector<std::string>& rules, double limit) {
        const auto parsed = parse_rules(rules);
        const auto zs = span_1d("run_rules", "z", z);
        std::vector<mo::rule_signal> s;
        {
          py::gil_scoped_release nogil;
          s = mo::apply_rules(zs, parsed, limit);
        }
        std::vector<std::pair<std::size_t, std::string>> out;
        out.reserve(s.size());
        for (const auto& x : s) out.emplace_back(x.index, std::string(mo::info(x.rule).name));
        return out;
      },
      py::arg("z"), py::arg("rules"), py::arg("limit") = 3.0);

  m.def("rules", [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : mo::all_rules()) out.emplace_back(std::string(r.name), std::string(r.description));
    return out;
  });
  m.def("rule_sets", [] {
    auto names = [](const std::vector<mo::run_rule>& rs) {
      std::vector<std::string> v;
      for (auto r : rs) v.emplace_back(mo::info(r).name);
      return v;
    };
    py::dict d;
    d["western_electric"] = names(mo::western_electric_rules());
    d["nelson"] = names(mo::nelson_rules());
    return d;
  });

  m.def(
      "constants",
      [](int n) {
        const mo::spc_constants c = mo::constants(n);
        py::dict d;
        d["n"] = c.n;
        d["d2"] = c.d2;
        d["d3"] = c.d3;
        d["c4"] = c.c4;
        d["A2"] = c.A2;
        d["A3"] = c.A3;
        d["D3"] = c.D3;
        d["D4"] = c.D4;
        d["B3"] = c.B3;
        d["B4"] = c.B4;
        return d;
      },
      py::arg("n"));
}

}  // namespace missionkit::python
