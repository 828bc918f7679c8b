// Stepped-wedge designs (_core.experiment_stepped_wedge_*): the design matrix, Hussey & Hughes power and
// mixed-model fit; and the power of difference-in-differences designs (_core.experiment_did_power).
// Translation only; the typed public API is missionkit.stepped_wedge.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/did.hpp"
#include "missionkit/stats/stepped_wedge.hpp"
#include "missionkit/stats/stepped_wedge_fit.hpp"

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

std::span<const std::int64_t> ispan(const iarray& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}
std::span<const double> dspan(const darray& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }

py::dict fit_dict(const ms::sw_fit_result& r) {
  py::dict d;
  d["theta"] = r.theta;
  d["std_error"] = r.std_error;
  d["std_error_observed"] = r.std_error_observed;
  d["z"] = r.z;
  d["pvalue"] = r.pvalue;
  d["ci_low"] = r.ci_low;
  d["ci_high"] = r.ci_high;
  d["tau2"] = r.tau2;
  d["sigma2"] = r.sigma2;
  d["icc"] = r.icc;
  d["intercept"] = r.intercept;
  d["period_effects"] = r.period_effects;
  d["clusters"] = r.clusters;
  d["periods"] = r.periods;
  d["cells"] = r.cells;
  d["n_obs"] = r.n_obs;
  d["log_likelihood"] = r.log_likelihood;
  d["converged"] = r.converged;
  d["iterations"] = r.iterations;
  d["boundary"] = r.boundary;
  d["reversals"] = r.reversals;
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

  m.def(
      "experiment_stepped_wedge_fit_rows",
      [](const iarray& cluster, const iarray& period, const iarray& treated, const darray& y, bool reml,
         double alpha) {
        ms::sw_fit_result r;
        {
          py::gil_scoped_release nogil;  // pure C++ on buffers the arguments keep alive
          const auto cells = ms::sw_cells_from_rows(ispan(cluster), ispan(period), ispan(treated), dspan(y));
          r = ms::stepped_wedge_fit(cells, reml, alpha);
        }
        return fit_dict(r);
      },
      py::arg("cluster"), py::arg("period"), py::arg("treated"), py::arg("y"), py::arg("reml") = true,
      py::arg("alpha") = 0.05, "Hussey & Hughes mixed-model fit from individual rows (0-based codes).");
  m.def(
      "experiment_stepped_wedge_fit_sums",
      [](const iarray& cluster, const iarray& period, const iarray& treated, const darray& n,
         const darray& sum, const darray& sum_sq, bool reml, double alpha) {
        ms::sw_fit_result r;
        {
          py::gil_scoped_release nogil;  // pure C++ on buffers the arguments keep alive
          const auto cells = ms::sw_cells_from_sums(ispan(cluster), ispan(period), ispan(treated), dspan(n),
                                                    dspan(sum), dspan(sum_sq));
          r = ms::stepped_wedge_fit(cells, reml, alpha);
        }
        return fit_dict(r);
      },
      py::arg("cluster"), py::arg("period"), py::arg("treated"), py::arg("n"), py::arg("sum"),
      py::arg("sum_sq"), py::arg("reml") = true, py::arg("alpha") = 0.05,
      "Hussey & Hughes mixed-model fit from cluster-period cell summaries (0-based codes).");
  m.def(
      "experiment_did_power",
      [](std::optional<double> effect, std::optional<double> n, std::optional<double> power, double sigma,
         double rho, int pre, int post, double ratio, double alpha, const std::string& alternative) {
        ms::did_power_query q;
        q.effect = effect;
        q.n = n;
        q.power = power;
        q.sigma = sigma;
        q.rho = rho;
        q.pre = pre;
        q.post = post;
        q.ratio = ratio;
        q.alpha = alpha;
        q.alt = parse_alternative("did_power", alternative);
        const auto r = ms::did_power(q);
        py::dict d;
        d["effect"] = r.effect;
        d["n_treated"] = r.n_treated;
        d["n_control"] = r.n_control;
        d["power"] = r.power;
        d["std_error"] = r.std_error;
        d["variance_factor"] = r.variance_factor;
        return d;
      },
      py::arg("effect"), py::arg("n"), py::arg("power"), py::arg("sigma"), py::arg("rho"), py::arg("pre"),
      py::arg("post"), py::arg("ratio"), py::arg("alpha"), py::arg("alternative"),
      "Power / sample size / effect of a difference-in-differences design (Frison & Pocock 1992).");
}

}  // namespace missionkit::python
