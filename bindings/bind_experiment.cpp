// Experiments (_core.experiment_*): assignment, SRM, group-sequential designs, mSPRT and the A/B/n
// analysis of one metric or of a batch of metrics in one sweep. Translation only; the typed public API
// is missionkit.experiment.
//
// The GIL is released around the C++ loops: their inputs are copied into C++ containers or held by the
// py::array_t arguments for the whole call, and the C++ code touches nothing of Python's.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/assignment.hpp"
#include "missionkit/stats/experiment.hpp"
#include "missionkit/stats/sequential.hpp"
#include "missionkit/stats/srm.hpp"

namespace py = pybind11;
namespace ms = missionkit::stats;

namespace missionkit::python {
namespace {

using i32array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using i64array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
// Exactly float32 and C-contiguous (no forcecast: isinstance must not accept other dtypes).
using f32array = py::array_t<float, py::array::c_style>;
using i8array = py::array_t<std::int8_t, py::array::c_style>;

std::span<const double> span_of(const darray& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }
std::span<const std::int32_t> span_of(const i32array& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}
std::span<const std::int64_t> span_of(const i64array& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}
std::span<const float> span_of(const f32array& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }

ms::spending_function parse_spending(const std::string& s) {
  if (s == "obrien_fleming" || s == "obf" || s == "of") return ms::spending_function::obrien_fleming;
  if (s == "pocock") return ms::spending_function::pocock;
  throw missionkit::domain_error("group_sequential: spending must be 'obrien_fleming' or 'pocock', got '" +
                                 s + "'");
}

std::string spending_name(ms::spending_function f) {
  return f == ms::spending_function::pocock ? "pocock" : "obrien_fleming";
}

ms::metric_kind parse_kind(const std::string& s) {
  if (s == "proportion") return ms::metric_kind::proportion;
  if (s == "mean") return ms::metric_kind::mean;
  if (s == "ratio") return ms::metric_kind::ratio;
  throw missionkit::domain_error("ab_test: metric kind must be 'proportion', 'mean' or 'ratio', got '" + s +
                                 "'");
}

// Integer numpy arrays are hashed as their decimal text; anything else must be a sequence of str.
bool is_integer_array(const py::handle& ids) {
  if (!py::isinstance<py::array>(ids)) return false;
  auto kind = py::reinterpret_borrow<py::array>(ids).dtype().kind();
  return kind == 'i' || kind == 'u';
}

std::vector<std::string> strings_of(const py::handle& ids) {
  std::vector<std::string> out;
  for (auto item : ids) {
    if (!py::isinstance<py::str>(item))
      throw missionkit::data_error("assign: unit ids must all be str or all be integers; got " +
                                   std::string(py::str(py::type::of(item).attr("__name__"))) +
                                   " at position " + std::to_string(out.size()));
    out.push_back(item.cast<std::string>());
  }
  return out;
}

py::dict gs_dict(const ms::gs_boundaries& b) {
  py::dict d;
  d["information_fraction"] = to_numpy(b.information_fraction);
  d["upper"] = to_numpy(b.upper);
  d["lower"] = to_numpy(b.lower);
  d["alpha_spent"] = to_numpy(b.alpha_spent);
  d["nominal_pvalue"] = to_numpy(b.nominal_pvalue);
  d["futility"] = to_numpy(b.futility);
  d["beta_spent"] = to_numpy(b.beta_spent);
  return d;
}

py::dict look_dict(const ms::gs_look& l) {
  py::dict d;
  d["information"] = l.information;
  d["z"] = l.z;
  d["upper"] = l.upper;
  d["lower"] = l.lower;
  d["crossed"] = l.crossed;
  d["futility"] = l.futility;
  d["futile"] = l.futile;
  return d;
}

// Calls run(codes) with the arm codes read in place: int8 as given, anything else as int32 (converted when
// it is not int32 already), so that every analysis binding accepts the same arm arrays.
template <class Run>
void with_arm_codes(const py::array& arm, Run&& run) {
  if (py::isinstance<i8array>(arm)) {
    auto a8 = py::cast<i8array>(arm);
    run(std::span<const std::int8_t>(a8.data(), static_cast<std::size_t>(a8.size())));
  } else {
    auto a32 = py::cast<i32array>(arm);
    run(span_of(a32));
  }
}

py::dict analysis_dict(const ms::metric_analysis& r) {
  std::vector<double> n, value, se, unadj;
  for (const auto& a : r.arms) {
    n.push_back(a.n);
    value.push_back(a.value);
    se.push_back(a.std_error);
    unadj.push_back(a.unadjusted);
  }
  py::dict arms;
  arms["n"] = to_numpy(n);
  arms["value"] = to_numpy(value);
  arms["std_error"] = to_numpy(se);
  arms["unadjusted"] = to_numpy(unadj);
  py::dict cmp;
  cmp["arm"] = to_numpy(r.treatments);
  auto col = [&](const char* key, double ms::comparison::*field) {
    std::vector<double> v;
    for (const auto& c : r.comparisons) v.push_back(c.*field);
    cmp[key] = to_numpy(v);
  };
  col("estimate", &ms::comparison::estimate);
  col("std_error", &ms::comparison::std_error);
  col("ci_low", &ms::comparison::ci_low);
  col("ci_high", &ms::comparison::ci_high);
  col("statistic", &ms::comparison::statistic);
  col("pvalue", &ms::comparison::pvalue);
  col("df", &ms::comparison::df);
  col("lift", &ms::comparison::lift);
  col("lift_ci_low", &ms::comparison::lift_ci_low);
  col("lift_ci_high", &ms::comparison::lift_ci_high);
  col("variance_reduction", &ms::comparison::variance_reduction);
  py::dict d;
  d["arms"] = arms;
  d["comparisons"] = cmp;
  d["cuped_theta"] = r.cuped_theta ? py::object(py::float_(*r.cuped_theta)) : py::none();
  d["variance_reduction"] = r.variance_reduction;
  return d;
}

}  // namespace

void bind_experiment(py::module_& m) {
  m.def(
      "experiment_assign",
      [](const py::object& ids, const std::string& salt, const darray& weights, double holdout) {
        const auto w = span_of(weights);
        std::vector<std::int32_t> out;
        if (is_integer_array(ids)) {
          i64array ints = py::cast<i64array>(ids);
          py::gil_scoped_release nogil;
          out = ms::assign(span_of(ints), salt, w, holdout);
        } else {
          auto texts = strings_of(ids);
          std::vector<std::string_view> views(texts.begin(), texts.end());
          py::gil_scoped_release nogil;
          out = ms::assign(std::span<const std::string_view>(views), salt, w, holdout);
        }
        return to_numpy(out);
      },
      py::arg("ids"), py::arg("salt"), py::arg("weights"), py::arg("holdout") = 0.0);

  m.def(
      "experiment_uniform",
      [](const py::object& ids, const std::string& salt) {
        std::vector<std::string> texts;
        if (is_integer_array(ids)) {
          i64array ints = py::cast<i64array>(ids);
          for (auto v : span_of(ints)) texts.push_back(ms::unit_id_text(v));
        } else {
          texts = strings_of(ids);
        }
        std::vector<double> out(texts.size());
        {
          py::gil_scoped_release nogil;
          for (std::size_t i = 0; i < texts.size(); ++i) out[i] = ms::assignment_uniform(salt, texts[i]);
        }
        return to_numpy(out);
      },
      py::arg("ids"), py::arg("salt"));

  m.def(
      "experiment_srm",
      [](const darray& counts, const darray& weights, double threshold) {
        auto r = ms::srm_test(span_of(counts), span_of(weights), threshold);
        py::dict d;
        d["statistic"] = r.statistic;
        d["df"] = r.df;
        d["pvalue"] = r.pvalue;
        d["ok"] = r.ok;
        d["threshold"] = r.threshold;
        d["expected"] = to_numpy(r.expected);
        d["observed_share"] = to_numpy(r.observed_share);
        return d;
      },
      py::arg("counts"), py::arg("weights"), py::arg("threshold") = 0.001);

  m.def(
      "experiment_alpha_spent",
      [](const std::string& spending, double level, const darray& t) {
        auto f = parse_spending(spending);
        std::vector<double> out;
        for (double x : span_of(t)) out.push_back(ms::alpha_spent(f, level, x));
        return to_numpy(out);
      },
      py::arg("spending"), py::arg("level"), py::arg("t"));

  m.def(
      "experiment_gs_futility",
      [](const darray& t, const darray& upper, double alpha, double beta, const std::string& spending) {
        auto f = parse_spending(spending);
        ms::gs_futility r;
        {
          py::gil_scoped_release nogil;  // pure C++ on buffers the arguments keep alive
          r = ms::futility_bounds(span_of(t), span_of(upper), alpha, beta, f);
        }
        py::dict d;
        d["lower"] = to_numpy(r.lower);
        d["beta_spent"] = to_numpy(r.beta_spent);
        d["drift"] = r.drift;
        d["inflation"] = r.inflation;
        return d;
      },
      py::arg("t"), py::arg("upper"), py::arg("alpha"), py::arg("beta"), py::arg("spending"));

  m.def(
      "experiment_gs_bounds",
      [](const darray& t, double alpha, const std::string& spending, int sides) {
        auto f = parse_spending(spending);
        ms::gs_boundaries b;
        {
          py::gil_scoped_release nogil;
          b = ms::group_sequential_bounds(span_of(t), alpha, f, sides);
        }
        return gs_dict(b);
      },
      py::arg("t"), py::arg("alpha"), py::arg("spending"), py::arg("sides"));

  py::class_<ms::group_sequential>(m, "GroupSequentialState",
                                   "Group-sequential design with its recorded looks (use "
                                   "missionkit.experiment.group_sequential).")
      .def(py::init([](int k, double alpha, const std::string& spending, int sides,
                       std::vector<double> information, const std::optional<std::string>& futility,
                       double power) {
             std::optional<ms::spending_function> fut;
             if (futility) fut = parse_spending(*futility);
             return ms::group_sequential(k, alpha, parse_spending(spending), sides, std::move(information),
                                         fut, power);
           }),
           py::arg("k"), py::arg("alpha"), py::arg("spending"), py::arg("sides"),
           py::arg("information") = std::vector<double>{}, py::arg("futility") = py::none(),
           py::arg("power") = 0.9)
      .def_property_readonly("futility",
                             [](const ms::group_sequential& g) -> std::optional<std::string> {
                               if (!g.futility()) return std::nullopt;
                               return spending_name(*g.futility());
                             })
      .def_property_readonly("power", &ms::group_sequential::power)
      .def_property_readonly("drift", &ms::group_sequential::drift)
      .def_property_readonly("inflation", &ms::group_sequential::inflation)
      .def(
          "record",
          [](ms::group_sequential& g, double z, double information) {
            return look_dict(g.record(z, information));
          },
          py::arg("z"), py::arg("information"))
      .def("bounds", [](const ms::group_sequential& g) { return gs_dict(g.bounds()); })
      .def_property_readonly("k", &ms::group_sequential::k)
      .def_property_readonly("alpha", &ms::group_sequential::alpha)
      .def_property_readonly("spending",
                             [](const ms::group_sequential& g) { return spending_name(g.spending()); })
      .def_property_readonly("sides", &ms::group_sequential::sides)
      .def_property_readonly("information", &ms::group_sequential::information)
      .def_property_readonly("looks",
                             [](const ms::group_sequential& g) {
                               py::list out;
                               for (const auto& l : g.looks()) out.append(look_dict(l));
                               return out;
                             })
      .def_property_readonly("stopped", &ms::group_sequential::stopped)
      .def_property_readonly("finished", &ms::group_sequential::finished);

  m.def(
      "experiment_msprt",
      [](const darray& estimate, const darray& variance, double mixture_variance, double alpha,
         double null_value) {
        std::vector<ms::msprt_step> steps;
        {
          py::gil_scoped_release nogil;
          steps = ms::msprt_path(span_of(estimate), span_of(variance), mixture_variance, alpha, null_value);
        }
        std::vector<double> est, se, lam, p, lo, hi;
        for (const auto& s : steps) {
          est.push_back(s.estimate);
          se.push_back(s.std_error);
          lam.push_back(s.lambda);
          p.push_back(s.pvalue);
          lo.push_back(s.ci_low);
          hi.push_back(s.ci_high);
        }
        py::dict d;
        d["estimate"] = to_numpy(est);
        d["std_error"] = to_numpy(se);
        d["lambda"] = to_numpy(lam);
        d["pvalue"] = to_numpy(p);
        d["ci_low"] = to_numpy(lo);
        d["ci_high"] = to_numpy(hi);
        return d;
      },
      py::arg("estimate"), py::arg("variance"), py::arg("mixture_variance"), py::arg("alpha") = 0.05,
      py::arg("null_value") = 0.0);

  m.def(
      "experiment_analyze_metric",
      [](const std::string& kind, const py::array& arm, int n_arms, int control, const py::array& y,
         const std::optional<py::array>& x, double alpha, const std::string& name, double min_units) {
        const auto k = parse_kind(kind);
        ms::metric_analysis r;
        // float32 columns are read in place (large experiments keep them to halve memory); anything else
        // is converted to float64 once. int8 arm codes are read in place too; other codes as int32.
        const bool f32 = py::isinstance<f32array>(y) && (!x || py::isinstance<f32array>(*x));
        auto run = [&](auto codes) {
          if (f32) {
            auto yf = py::cast<f32array>(y);
            std::optional<f32array> xf;
            if (x) xf = py::cast<f32array>(*x);
            py::gil_scoped_release nogil;
            r = ms::analyze_metric(k, codes, n_arms, control, span_of(yf),
                                   xf ? span_of(*xf) : std::span<const float>{}, alpha, name, min_units);
          } else {
            auto yd = py::cast<darray>(y);
            std::optional<darray> xd;
            if (x) xd = py::cast<darray>(*x);
            py::gil_scoped_release nogil;
            r = ms::analyze_metric(k, codes, n_arms, control, span_of(yd),
                                   xd ? span_of(*xd) : std::span<const double>{}, alpha, name, min_units);
          }
        };
        with_arm_codes(arm, run);
        return analysis_dict(r);
      },
      py::arg("kind"), py::arg("arm"), py::arg("n_arms"), py::arg("control"), py::arg("y"), py::arg("x"),
      py::arg("alpha") = 0.05, py::arg("name") = "metric", py::arg("min_units") = 10.0);

  m.def(
      "experiment_analyze_metrics",
      [](const std::vector<std::string>& kinds, const py::array& arm, int n_arms, int control,
         const std::vector<py::array>& columns, const std::vector<std::string>& names, double alpha) {
        std::vector<ms::metric_kind> k;
        for (const auto& s : kinds) k.push_back(parse_kind(s));
        std::vector<std::string_view> views(names.begin(), names.end());
        std::vector<ms::metric_analysis> r;
        // As experiment_analyze_metric: all-float32 columns and int8 codes are read in place; otherwise
        // the columns are converted to float64 (the same values: the C++ accumulates in double either way).
        bool f32 = true;
        for (const auto& c : columns) f32 = f32 && py::isinstance<f32array>(c);
        auto run = [&](auto codes) {
          if (f32) {
            std::vector<f32array> held;
            std::vector<std::span<const float>> ys;
            for (const auto& c : columns) held.push_back(py::cast<f32array>(c));
            for (const auto& h : held) ys.push_back(span_of(h));
            py::gil_scoped_release nogil;  // the arrays in `held` keep every buffer alive
            r = ms::analyze_metrics(k, codes, n_arms, control, ys, views, alpha);
          } else {
            std::vector<darray> held;
            std::vector<std::span<const double>> ys;
            for (const auto& c : columns) held.push_back(py::cast<darray>(c));
            for (const auto& h : held) ys.push_back(span_of(h));
            py::gil_scoped_release nogil;
            r = ms::analyze_metrics(k, codes, n_arms, control, ys, views, alpha);
          }
        };
        with_arm_codes(arm, run);
        py::list out;
        for (const auto& a : r) out.append(analysis_dict(a));
        return out;
      },
      py::arg("kinds"), py::arg("arm"), py::arg("n_arms"), py::arg("control"), py::arg("columns"),
      py::arg("names"), py::arg("alpha") = 0.05);

  m.def(
      "experiment_analyze_ratios",
      [](const py::array& arm, int n_arms, int control, const std::vector<py::array>& numerators,
         const py::array& denominator, const std::vector<std::string>& names, double alpha,
         double min_units) {
        std::vector<std::string_view> views(names.begin(), names.end());
        std::vector<ms::metric_analysis> r;
        bool f32 = py::isinstance<f32array>(denominator);
        for (const auto& c : numerators) f32 = f32 && py::isinstance<f32array>(c);
        auto run = [&](auto codes) {
          if (f32) {
            std::vector<f32array> held;
            std::vector<std::span<const float>> ys;
            for (const auto& c : numerators) held.push_back(py::cast<f32array>(c));
            for (const auto& h : held) ys.push_back(span_of(h));
            auto x = py::cast<f32array>(denominator);
            py::gil_scoped_release nogil;  // `held` and `x` keep every buffer alive
            r = ms::analyze_ratios(codes, n_arms, control, ys, span_of(x), views, alpha, min_units);
          } else {
            std::vector<darray> held;
            std::vector<std::span<const double>> ys;
            for (const auto& c : numerators) held.push_back(py::cast<darray>(c));
            for (const auto& h : held) ys.push_back(span_of(h));
            auto x = py::cast<darray>(denominator);
            py::gil_scoped_release nogil;
            r = ms::analyze_ratios(codes, n_arms, control, ys, span_of(x), views, alpha, min_units);
          }
        };
        with_arm_codes(arm, run);
        py::list out;
        for (const auto& a : r) out.append(analysis_dict(a));
        return out;
      },
      py::arg("arm"), py::arg("n_arms"), py::arg("control"), py::arg("numerators"), py::arg("denominator"),
      py::arg("names"), py::arg("alpha") = 0.05, py::arg("min_units") = 10.0);

  m.def(
      "experiment_cochran_q",
      [](const darray& estimate, const darray& std_error) {
        auto h = ms::cochran_q(span_of(estimate), span_of(std_error));
        py::dict d;
        d["q"] = h.q;
        d["df"] = h.df;
        d["pvalue"] = h.pvalue;
        d["i2"] = h.i2;
        d["pooled"] = h.pooled;
        return d;
      },
      py::arg("estimate"), py::arg("std_error"));

  m.def(
      "experiment_find_duplicate_unit",
      [](const i64array& unit,
         const i32array& arm) -> std::optional<std::tuple<std::size_t, std::size_t, bool>> {
        std::optional<ms::unit_conflict> c;
        {
          py::gil_scoped_release nogil;
          c = ms::find_duplicate_unit(span_of(unit), span_of(arm));
        }
        if (!c) return std::nullopt;
        return std::tuple{c->first, c->second, c->different_arms};
      },
      py::arg("unit"), py::arg("arm"));
}

}  // namespace missionkit::python
