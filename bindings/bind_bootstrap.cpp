// Bootstrap intervals (_core.stats.bootstrap_mean_ci, bootstrap_stat_ci). Translation only: the method name
// to the enum, the numpy array to a span (read in place: a C-contiguous float64 array is not copied), the
// result to a dict.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/bootstrap.hpp"

namespace py = pybind11;
namespace ms = missionkit::stats;

namespace missionkit::python {
namespace {

ms::bootstrap_method parse_method(const std::string& s) {
  if (s == "bca" || s == "BCa") return ms::bootstrap_method::bca;
  if (s == "percentile") return ms::bootstrap_method::percentile;
  if (s == "basic") return ms::bootstrap_method::basic;
  throw missionkit::domain_error(
      "bootstrap_mean_ci: method must be one of 'bca', 'percentile', 'basic', got '" + s + "'");
}

py::dict to_dict(const ms::bootstrap_result& r) {
  py::dict d;
  d["ci_low"] = r.ci.low;
  d["ci_high"] = r.ci.high;
  d["estimate"] = r.estimate;
  d["standard_error"] = r.standard_error;
  d["z0"] = r.z0;
  d["acceleration"] = r.acceleration;
  d["n_resamples"] = r.n_resamples;
  return d;
}

void check_resamples(std::string_view fn, std::int64_t n_resamples) {
  if (n_resamples < 0)
    throw missionkit::domain_error(
        std::string(fn) + ": n_resamples must be >= 100, got n_resamples=" + std::to_string(n_resamples));
}

}  // namespace

void bind_bootstrap(py::module_& m) {
  m.def(
      "bootstrap_mean_ci",
      [](const darray& x, double alpha, const std::string& method, std::int64_t n_resamples,
         std::uint64_t seed, const std::string& alternative) {
        const auto how = parse_method(method);
        const auto alt = parse_alternative("bootstrap_mean_ci", alternative);
        const auto xs = span_1d("bootstrap_mean_ci", "x", x);
        check_resamples("bootstrap_mean_ci", n_resamples);
        ms::bootstrap_result r;
        {
          // Safe without the GIL: x is held by the darray argument for the whole call and the C++ code
          // touches nothing else of Python's.
          py::gil_scoped_release nogil;
          r = ms::bootstrap_mean_ci(xs, alpha, how, static_cast<std::size_t>(n_resamples), seed, alt);
        }
        return to_dict(r);
      },
      py::arg("x"), py::arg("alpha"), py::arg("method"), py::arg("n_resamples"), py::arg("seed"),
      py::arg("alternative") = "two-sided",
      "Poisson-bootstrap interval of the mean of x; see missionkit.stats.bootstrap_mean_ci.");
  m.def(
      "bootstrap_stat_ci",
      [](const std::string& statistic, const darray& x, const darray& y, double q, double alpha,
         const std::string& method, std::int64_t n_resamples, std::uint64_t seed,
         const std::string& alternative) {
        constexpr const char* fn = "bootstrap_ci";
        const auto how = parse_method(method);
        const auto alt = parse_alternative(fn, alternative);
        check_resamples(fn, n_resamples);
        const auto B = static_cast<std::size_t>(n_resamples);
        const auto xs = span_1d(fn, "x", x);
        const auto ys = span_1d(fn, "y", y);
        ms::bootstrap_result r;
        {
          // Safe without the GIL: x and y are held by the darray arguments for the whole call.
          py::gil_scoped_release nogil;
          if (statistic == "mean") {
            r = ms::bootstrap_mean_ci(xs, alpha, how, B, seed, alt);
          } else if (statistic == "quantile") {
            r = ms::bootstrap_quantile_ci(xs, q, alpha, how, B, seed, alt);
          } else if (statistic == "ratio") {
            r = ms::bootstrap_ratio_ci(xs, ys, alpha, how, B, seed, alt);
          } else if (statistic == "diff_means") {
            r = ms::bootstrap_diff_means_ci(xs, ys, alpha, how, B, seed, alt);
          } else {
            throw missionkit::domain_error(
                "bootstrap_ci: statistic must be one of 'mean', 'quantile', 'ratio', 'diff_means', got '" +
                statistic + "'");
          }
        }
        return to_dict(r);
      },
      py::arg("statistic"), py::arg("x"), py::arg("y"), py::arg("q"), py::arg("alpha"), py::arg("method"),
      py::arg("n_resamples"), py::arg("seed"), py::arg("alternative"),
      "Poisson-bootstrap interval of a statistic; see missionkit.stats.bootstrap_ci.");
  m.def(
      "poisson_bootstrap_weight",
      [](std::uint64_t seed, std::uint64_t replicate, std::uint64_t index) {
        return ms::poisson_bootstrap_weight(seed, replicate, index);
      },
      py::arg("seed"), py::arg("replicate"), py::arg("index"));
}

}  // namespace missionkit::python
