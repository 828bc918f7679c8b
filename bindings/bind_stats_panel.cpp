// Fixed effects and difference in differences (_core.stats.ols_fe / did / event_study). Translation only:
// numpy arrays to spans, results to dicts; the public, typed API is missionkit.stats.panel, which also turns
// arbitrary labels into int64 codes.
//
// The GIL is released around the C++ calls: the arrays are held by the py::array_t arguments for the whole
// call and the C++ code touches nothing else of Python's.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/did.hpp"
#include "missionkit/stats/fixed_effects.hpp"

namespace py = pybind11;
namespace ms = missionkit::stats;

namespace missionkit::python {
namespace {

ms::cov_type parse_cov(const std::string& fn, const std::string& s) {
  if (s == "nonrobust") return ms::cov_type::nonrobust;
  if (s == "HC0") return ms::cov_type::hc0;
  if (s == "HC1") return ms::cov_type::hc1;
  if (s == "cluster") return ms::cov_type::cluster;
  fail(fn, "cov must be one of 'nonrobust', 'HC0', 'HC1', 'cluster', got '" + s + "'");
}

py::dict fe_dict(const ms::fe_result& f) {
  const ms::ols_result& r = f.ols;
  py::dict d;
  d["names"] = r.names;
  d["params"] = to_numpy(r.params);
  d["bse"] = to_numpy(r.bse);
  d["tvalues"] = to_numpy(r.tvalues);
  d["pvalues"] = to_numpy(r.pvalues);
  d["ci_low"] = to_numpy(r.ci_low);
  d["ci_high"] = to_numpy(r.ci_high);
  const auto k = static_cast<py::ssize_t>(r.params.size());
  d["cov_params"] = to_numpy(r.cov_params).reshape({k, k});
  d["nobs"] = r.nobs;
  d["nobs_dropped"] = r.nobs_dropped;
  d["df_model"] = r.df_model;
  d["df_resid"] = r.df_resid;
  d["df_inference"] = r.df_inference;
  d["ssr"] = r.ssr;
  d["rsquared"] = r.rsquared;
  d["rsquared_adj"] = r.rsquared_adj;
  d["rsquared_within"] = f.rsquared_within;
  d["sigma"] = r.sigma;
  d["use_t"] = r.use_t;
  d["n_groups"] = r.n_groups;
  d["n_groups2"] = r.n_groups2;
  d["n_levels"] = f.n_levels;
  d["n_absorbed"] = f.n_absorbed;
  d["iterations"] = f.iterations;
  return d;
}

ms::did_options did_opts(const std::string& fn, const std::string& cov, double alpha,
                         std::optional<bool> use_t) {
  ms::did_options o;
  o.cov = parse_cov(fn, cov);
  o.alpha = alpha;
  o.use_t = use_t;
  return o;
}

}  // namespace

void bind_stats_panel(py::module_& m) {
  m.def(
      "ols_fe",
      [](const darray& y, const py::array_t<double, py::array::forcecast>& x, const std::vector<iarray>& fe,
         const std::string& cov, double alpha, std::optional<bool> use_t, const std::optional<iarray>& groups,
         const std::optional<iarray>& groups2, std::vector<std::string> names) {
        const std::string fn = "ols_fe";
        const auto yv = span_1d(fn, "y", y);
        if (x.ndim() != 2) fail(fn, "X must be 2-D (rows x columns), got " + std::to_string(x.ndim()) + "-D");
        if (x.strides(0) % static_cast<py::ssize_t>(sizeof(double)) != 0 ||
            x.strides(1) % static_cast<py::ssize_t>(sizeof(double)) != 0)
          fail(fn, "X has strides that are not whole elements; pass np.ascontiguousarray(X)");
        const ms::matrix_view xv{x.data(), static_cast<std::size_t>(x.shape(0)),
                                 static_cast<std::size_t>(x.shape(1)),
                                 x.strides(0) / static_cast<py::ssize_t>(sizeof(double)),
                                 x.strides(1) / static_cast<py::ssize_t>(sizeof(double))};
        std::vector<std::span<const std::int64_t>> fes;
        for (const auto& f : fe) fes.push_back(span_1d(fn, "fe", f));
        ms::fe_options o;
        o.cov = parse_cov(fn, cov);
        o.alpha = alpha;
        o.use_t = use_t;
        o.names = std::move(names);
        if (groups) o.groups = span_1d(fn, "groups", *groups);
        if (groups2) o.groups2 = span_1d(fn, "groups2", *groups2);
        ms::fe_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::ols_fe(yv, xv, fes, o);
        }
        return fe_dict(r);
      },
      py::arg("y"), py::arg("x"), py::arg("fe"), py::arg("cov"), py::arg("alpha"), py::arg("use_t"),
      py::arg("groups"), py::arg("groups2"), py::arg("names"));

  m.def(
      "did",
      [](const darray& y, const iarray& unit, const iarray& time, const darray& treated_from,
         const std::string& cov, double alpha, std::optional<bool> use_t) {
        const std::string fn = "did";
        const auto o = did_opts(fn, cov, alpha, use_t);
        const auto yv = span_1d(fn, "y", y);
        const auto uv = span_1d(fn, "unit", unit);
        const auto tv = span_1d(fn, "time", time);
        const auto wv = span_1d(fn, "treated_from", treated_from);
        ms::fe_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::did(yv, uv, tv, wv, o);
        }
        return fe_dict(r);
      },
      py::arg("y"), py::arg("unit"), py::arg("time"), py::arg("treated_from"), py::arg("cov"),
      py::arg("alpha"), py::arg("use_t"));

  m.def(
      "event_study",
      [](const darray& y, const iarray& unit, const iarray& time, const darray& treat_time, std::size_t leads,
         std::size_t lags, std::int64_t reference, const std::string& cov, double alpha,
         std::optional<bool> use_t) {
        const std::string fn = "event_study";
        const auto o = did_opts(fn, cov, alpha, use_t);
        const auto yv = span_1d(fn, "y", y);
        const auto uv = span_1d(fn, "unit", unit);
        const auto tv = span_1d(fn, "time", time);
        const auto wv = span_1d(fn, "treat_time", treat_time);
        ms::event_study_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::event_study(yv, uv, tv, wv, leads, lags, reference, o);
        }
        py::dict d = fe_dict(r.fit);
        d["rel_time"] = r.rel_time;
        d["lead_index"] = r.lead_index;
        py::dict w;
        w["statistic"] = r.pretrend.statistic;
        w["df"] = r.pretrend.df;
        w["pvalue"] = r.pretrend.pvalue;
        w["f_statistic"] = r.pretrend.f_statistic;
        w["df_denom"] = r.pretrend.df_denom;
        w["f_pvalue"] = r.pretrend.f_pvalue;
        d["pretrend"] = w;
        return d;
      },
      py::arg("y"), py::arg("unit"), py::arg("time"), py::arg("treat_time"), py::arg("leads"),
      py::arg("lags"), py::arg("reference"), py::arg("cov"), py::arg("alpha"), py::arg("use_t"));
}

}  // namespace missionkit::python
