// Contingency tables and rank tests in _core.stats: chi2_contingency, fisher_exact, mann_whitney_u,
// quantile_ci. Translation only (strings to enums, arrays to spans, results to dicts); the typed API is
// missionkit.stats.tests.
//
// The GIL is released around the C++ calls that loop over data: the py::array_t arguments hold their
// buffers for the whole call, and the C++ code touches no Python object.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/contingency.hpp"
#include "missionkit/stats/nonparametric.hpp"

namespace py = pybind11;
namespace ms = missionkit::stats;

namespace missionkit::python {
namespace {

// statsmodels' names first; scipy's "greater"/"less" accepted as synonyms (as in bind_stats.cpp).

ms::mwu_method parse_mwu_method(const std::string& s) {
  if (s == "auto") return ms::mwu_method::automatic;
  if (s == "exact") return ms::mwu_method::exact;
  if (s == "asymptotic") return ms::mwu_method::asymptotic;
  fail("mann_whitney_u", "method must be one of 'auto', 'exact', 'asymptotic', got '" + s + "'");
}

const char* mwu_method_name(ms::mwu_method m) {
  switch (m) {
    case ms::mwu_method::exact:
      return "exact";
    case ms::mwu_method::asymptotic:
      return "asymptotic";
    case ms::mwu_method::automatic:
      break;
  }
  return "auto";
}

void check_table(std::string_view fn, const darray& t) {
  if (t.ndim() != 2) fail(fn, "table must be 2-D, got " + std::to_string(t.ndim()) + "-D");
}

}  // namespace

void bind_stats_tests(py::module_& m) {
  m.def(
      "chi2_contingency",
      [](const darray& table, bool correction) {
        check_table("chi2_contingency", table);
        const auto rows = static_cast<std::size_t>(table.shape(0));
        const auto cols = static_cast<std::size_t>(table.shape(1));
        const std::span<const double> cells(table.data(), rows * cols);
        ms::chi2_contingency_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::chi2_contingency(cells, rows, cols, correction);
        }
        darray expected({table.shape(0), table.shape(1)});
        std::copy(r.expected.begin(), r.expected.end(), expected.mutable_data());
        py::dict d;
        d["statistic"] = r.statistic;
        d["pvalue"] = r.pvalue;
        d["df"] = r.df;
        d["corrected"] = r.corrected;
        d["expected"] = expected;
        return d;
      },
      py::arg("table"), py::arg("correction") = true);

  m.def(
      "fisher_exact",
      [](const darray& table, const std::string& alternative, double max_work) {
        check_table("fisher_exact", table);
        const auto alt = parse_alternative("fisher_exact", alternative);
        const auto rows = static_cast<std::size_t>(table.shape(0));
        const auto cols = static_cast<std::size_t>(table.shape(1));
        ms::fisher_exact_result r;
        if (rows == 2 && cols == 2) {
          const double* t = table.data();
          r = ms::fisher_exact(t[0], t[1], t[2], t[3], alt);
        } else {
          if (alt != ms::alternative::two_sided)
            fail("fisher_exact", "only alternative='two-sided' exists for tables other than 2 x 2, got '" +
                                     alternative + "' for a " + std::to_string(rows) + " x " +
                                     std::to_string(cols) + " table");
          const std::span<const double> cells(table.data(), rows * cols);
          py::gil_scoped_release nogil;  // pure C++ enumeration over the held buffer
          r = ms::fisher_exact(cells, rows, cols, max_work);
        }
        py::dict d;
        d["odds_ratio"] = r.odds_ratio;
        d["pvalue"] = r.pvalue;
        d["table_probability"] = r.table_probability;
        return d;
      },
      py::arg("table"), py::arg("alternative") = "two-sided",
      py::arg("max_work") = ms::fisher_default_max_work);

  m.def(
      "mann_whitney_u",
      [](const darray& x, const darray& y, const std::string& alternative, const std::string& method,
         bool use_continuity) {
        const auto alt = parse_alternative("mann_whitney_u", alternative);
        const auto how = parse_mwu_method(method);
        const auto xs = span_1d("mann_whitney_u", "x", x);
        const auto ys = span_1d("mann_whitney_u", "y", y);
        ms::mann_whitney_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::mann_whitney_u(xs, ys, alt, how, use_continuity);
        }
        py::dict d;
        d["statistic"] = r.statistic;
        d["pvalue"] = r.pvalue;
        d["method"] = mwu_method_name(r.method);
        return d;
      },
      py::arg("x"), py::arg("y"), py::arg("alternative") = "two-sided", py::arg("method") = "auto",
      py::arg("use_continuity") = true);

  m.def(
      "quantile_ci",
      [](const darray& data, double q, double alpha, const std::string& alternative) {
        const auto alt = parse_alternative("quantile_ci", alternative);
        const auto xs = span_1d("quantile_ci", "data", data);
        ms::quantile_ci_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::quantile_ci(xs, q, alpha, alt);
        }
        py::dict d;
        d["low"] = r.low;
        d["high"] = r.high;
        d["low_rank"] = r.low_rank;
        d["high_rank"] = r.high_rank;
        return d;
      },
      py::arg("data"), py::arg("q"), py::arg("alpha") = 0.05, py::arg("alternative") = "two-sided");
}

}  // namespace missionkit::python
