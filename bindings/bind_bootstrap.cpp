// Bootstrap intervals (_core.stats.bootstrap_mean_ci). Translation only: the method name to the enum, the
// numpy array to a span (read in place: a C-contiguous float64 array is not copied), the result to a dict.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <span>
#include <string>

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

}  // namespace

void bind_bootstrap(py::module_& m) {
  m.def(
      "bootstrap_mean_ci",
      [](const darray& x, double alpha, const std::string& method, std::int64_t n_resamples,
         std::uint64_t seed) {
        const auto how = parse_method(method);
        if (x.ndim() != 1)
          throw missionkit::domain_error("bootstrap_mean_ci: x must be 1-D, got " + std::to_string(x.ndim()) +
                                         "-D");
        if (n_resamples < 0)
          throw missionkit::domain_error("bootstrap_mean_ci: n_resamples must be >= 100, got n_resamples=" +
                                         std::to_string(n_resamples));
        const std::span<const double> xs(x.data(), static_cast<std::size_t>(x.size()));
        ms::bootstrap_result r;
        {
          // Safe without the GIL: x is held by the darray argument for the whole call and the C++ code
          // touches nothing else of Python's.
          py::gil_scoped_release nogil;
          r = ms::bootstrap_mean_ci(xs, alpha, how, static_cast<std::size_t>(n_resamples), seed);
        }
        py::dict d;
        d["ci_low"] = r.ci.low;
        d["ci_high"] = r.ci.high;
        d["estimate"] = r.estimate;
        d["standard_error"] = r.standard_error;
        d["z0"] = r.z0;
        d["acceleration"] = r.acceleration;
        d["n_resamples"] = r.n_resamples;
        return d;
      },
      py::arg("x"), py::arg("alpha"), py::arg("method"), py::arg("n_resamples"), py::arg("seed"),
      "Poisson-bootstrap interval of the mean of x; see missionkit.stats.bootstrap_mean_ci.");
  m.def(
      "poisson_bootstrap_weight",
      [](std::uint64_t seed, std::uint64_t replicate, std::uint64_t index) {
        return ms::poisson_bootstrap_weight(seed, replicate, index);
      },
      py::arg("seed"), py::arg("replicate"), py::arg("index"));
}

}  // namespace missionkit::python
