// The statistics engine (_core.stats). Translation only: strings to enums, numpy arrays to spans and views,
// results to dicts and arrays. The public, typed API is the missionkit.stats package, which broadcasts
// array arguments before calling the element-wise functions here.
//
// The GIL is released around every loop over C++ data: the arrays are held by the py::array_t arguments
// for the whole call and the C++ code touches nothing else of Python's.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/stats.hpp"

namespace py = pybind11;
namespace ms = missionkit::stats;

namespace missionkit::python {
namespace {

// ---- strings to enums --------------------------------------------------------------------------------

template <typename E>
struct choice {
  std::string_view name;
  E value;
  bool alias;  // accepted, not listed in messages
};

template <typename E, std::size_t N>
E parse(std::string_view fn, std::string_view arg, const std::string& s,
        const std::array<choice<E>, N>& table) {
  for (const auto& c : table)
    if (c.name == s) return c.value;
  std::string names;
  for (const auto& c : table) {
    if (c.alias) continue;
    names += (names.empty() ? "'" : ", '") + std::string(c.name) + "'";
  }
  fail(fn, std::string(arg) + " must be one of " + names + ", got '" + s + "'");
}

// statsmodels' names are the primary ones; scipy's "greater"/"less" are accepted as synonyms because they
// are unambiguous and scipy users type them by habit.
}  // namespace

ms::alternative parse_alternative(std::string_view fn, const std::string& s) {
  static constexpr std::array<choice<ms::alternative>, 5> table{{
      {"two-sided", ms::alternative::two_sided, false},
      {"larger", ms::alternative::larger, false},
      {"smaller", ms::alternative::smaller, false},
      {"greater", ms::alternative::larger, true},
      {"less", ms::alternative::smaller, true},
  }};
  return parse(fn, "alternative", s, table);
}

namespace {

ms::proportion_ci_method parse_proportion_method(const std::string& s) {
  using m = ms::proportion_ci_method;
  static constexpr std::array<choice<m>, 7> table{{
      {"wilson", m::wilson, false},
      {"wald", m::wald, false},
      {"agresti_coull", m::agresti_coull, false},
      {"clopper_pearson", m::clopper_pearson, false},
      {"jeffreys", m::jeffreys, false},
      {"normal", m::wald, true},  // statsmodels' names
      {"beta", m::clopper_pearson, true},
  }};
  return parse("proportion_ci", "method", s, table);
}

ms::diff_ci_method parse_diff_method(const std::string& s) {
  using m = ms::diff_ci_method;
  static constexpr std::array<choice<m>, 6> table{{
      {"newcombe", m::newcombe, false},
      {"wald", m::wald, false},
      {"agresti_caffo", m::agresti_caffo, false},
      {"score", m::score, false},
      {"newcomb", m::newcombe, true},
      {"agresti-caffo", m::agresti_caffo, true},
  }};
  return parse("diff_proportions_ci", "method", s, table);
}

ms::ratio_ci_method parse_ratio_method(std::string_view fn, const std::string& s) {
  using m = ms::ratio_ci_method;
  static constexpr std::array<choice<m>, 7> table{{
      {"score", m::score, false},
      {"log", m::log, false},
      {"log_adjusted", m::log_adjusted, false},
      {"logit", m::log, true},
      {"log-adjusted", m::log_adjusted, true},
      {"logit-adjusted", m::log_adjusted, true},
      {"logit_adjusted", m::log_adjusted, true},
  }};
  return parse(fn, "method", s, table);
}

ms::pvalue_adjustment parse_adjustment(const std::string& s) {
  using m = ms::pvalue_adjustment;
  static constexpr std::array<choice<m>, 8> table{{
      {"holm", m::holm, false},
      {"bonferroni", m::bonferroni, false},
      {"hochberg", m::hochberg, false},
      {"bh", m::bh, false},
      {"by", m::by, false},
      {"simes-hochberg", m::hochberg, true},
      {"fdr_bh", m::bh, true},
      {"fdr_by", m::by, true},
  }};
  return parse("adjust_pvalues", "method", s, table);
}

ms::power_test parse_power_test(const std::string& s) {
  static constexpr std::array<choice<ms::power_test>, 3> table{{
      {"ttest_ind", ms::power_test::ttest_ind, false},
      {"ttest_1samp", ms::power_test::ttest_1samp, false},
      {"normal_ind", ms::power_test::normal_ind, false},
  }};
  return parse("solve_power", "test", s, table);
}

ms::proportion_compare parse_compare(const std::string& s) {
  static constexpr std::array<choice<ms::proportion_compare>, 3> table{{
      {"diff", ms::proportion_compare::diff, false},
      {"ratio", ms::proportion_compare::ratio, false},
      {"odds_ratio", ms::proportion_compare::odds_ratio, false},
  }};
  return parse("proportions_2indep_test", "compare", s, table);
}

ms::cov_type parse_cov(const std::string& s) {
  static constexpr std::array<choice<ms::cov_type>, 7> table{{
      {"nonrobust", ms::cov_type::nonrobust, false},
      {"HC0", ms::cov_type::hc0, false},
      {"HC1", ms::cov_type::hc1, false},
      {"HC2", ms::cov_type::hc2, false},
      {"HC3", ms::cov_type::hc3, false},
      {"cluster", ms::cov_type::cluster, false},
      {"HAC", ms::cov_type::hac, false},
  }};
  return parse("ols", "cov", s, table);
}

// ---- arrays ------------------------------------------------------------------------------------------

// An element-wise argument: length n, or length 1 (then broadcast). The Python layer broadcasts shapes.
struct column {
  const double* p;
  py::ssize_t n;
  double operator[](py::ssize_t i) const { return p[n == 1 ? 0 : i]; }
};

py::ssize_t common_length(std::string_view fn,
                          std::initializer_list<std::pair<const char*, const darray*>> args) {
  py::ssize_t n = 1;
  for (const auto& [name, a] : args) {
    if (a->ndim() > 1)
      fail(fn, std::string(name) + " must be a scalar or 1-D, got " + std::to_string(a->ndim()) + "-D");
    if (a->size() == 0) return 0;
    if (a->size() != 1) {
      if (n != 1 && a->size() != n)
        fail(fn, std::string(name) + " has " + std::to_string(a->size()) +
                     " elements where the other arguments have " + std::to_string(n));
      n = a->size();
    }
  }
  return n;
}

column col(const darray& a) { return {a.data(), a.size()}; }

// Runs body(i) for i in [0, n) without the GIL; a domain_error in element i gets " (at index i)".
template <typename F>
void each(py::ssize_t n, F&& body) {
  py::gil_scoped_release nogil;
  for (py::ssize_t i = 0; i < n; ++i) {
    try {
      body(i);
    } catch (const missionkit::domain_error& e) {
      if (n == 1) throw;
      throw missionkit::domain_error(std::string(e.what()) + " (at index " + std::to_string(i) + ")");
    }
  }
}

std::pair<darray, darray> interval_arrays(py::ssize_t n) { return {darray(n), darray(n)}; }

py::dict ttest_dict(const ms::ttest_result& r) {
  py::dict d;
  d["statistic"] = r.statistic;
  d["pvalue"] = r.pvalue;
  d["df"] = r.df;
  d["ci_low"] = r.ci_low;
  d["ci_high"] = r.ci_high;
  d["estimate"] = r.estimate;
  d["std_error"] = r.std_error;
  return d;
}

py::tuple effect_tuple(const ms::effect_estimate& e) {
  return py::make_tuple(e.estimate, e.ci_low, e.ci_high);
}

// Two-proportion intervals share one shape.
template <typename F>
std::pair<darray, darray> two_prop_interval(std::string_view fn, const darray& c1, const darray& n1,
                                            const darray& c2, const darray& n2, const darray& alpha, F f) {
  const py::ssize_t n = common_length(
      fn, {{"count1", &c1}, {"nobs1", &n1}, {"count2", &c2}, {"nobs2", &n2}, {"alpha", &alpha}});
  auto [lo, hi] = interval_arrays(n);
  double* l = lo.mutable_data();
  double* h = hi.mutable_data();
  const column a = col(c1), b = col(n1), c = col(c2), d = col(n2), al = col(alpha);
  each(n, [&](py::ssize_t i) {
    const ms::interval ci = f(a[i], b[i], c[i], d[i], al[i]);
    l[i] = ci.low;
    h[i] = ci.high;
  });
  return {lo, hi};
}

void bind_intervals(py::module_& m) {
  m.def(
      "proportion_ci",
      [](const darray& count, const darray& nobs, const darray& alpha, const std::string& method,
         const std::string& alternative) {
        const auto meth = parse_proportion_method(method);
        const auto alt = parse_alternative("proportion_ci", alternative);
        const py::ssize_t n =
            common_length("proportion_ci", {{"count", &count}, {"nobs", &nobs}, {"alpha", &alpha}});
        auto [lo, hi] = interval_arrays(n);
        double* l = lo.mutable_data();
        double* h = hi.mutable_data();
        const column c = col(count), o = col(nobs), a = col(alpha);
        each(n, [&](py::ssize_t i) {
          const ms::interval ci = ms::proportion_ci(c[i], o[i], a[i], meth, alt);
          l[i] = ci.low;
          h[i] = ci.high;
        });
        return std::make_pair(lo, hi);
      },
      py::arg("count"), py::arg("nobs"), py::arg("alpha"), py::arg("method"), py::arg("alternative"));

  m.def(
      "diff_proportions_ci",
      [](const darray& c1, const darray& n1, const darray& c2, const darray& n2, const darray& alpha,
         const std::string& method, const std::string& alternative) {
        const auto meth = parse_diff_method(method);
        const auto alt = parse_alternative("diff_proportions_ci", alternative);
        return two_prop_interval("diff_proportions_ci", c1, n1, c2, n2, alpha,
                                 [&](double a, double b, double c, double d, double al) {
                                   return ms::diff_proportions_ci(a, b, c, d, al, meth, alt);
                                 });
      },
      py::arg("count1"), py::arg("nobs1"), py::arg("count2"), py::arg("nobs2"), py::arg("alpha"),
      py::arg("method"), py::arg("alternative"));

  for (const char* name : {"risk_ratio_ci", "odds_ratio_ci"}) {
    const bool odds = std::string_view(name) == "odds_ratio_ci";
    m.def(
        name,
        [name, odds](const darray& c1, const darray& n1, const darray& c2, const darray& n2,
                     const darray& alpha, const std::string& method, const std::string& alternative) {
          const auto meth = parse_ratio_method(name, method);
          const auto alt = parse_alternative(name, alternative);
          return two_prop_interval(name, c1, n1, c2, n2, alpha,
                                   [&](double a, double b, double c, double d, double al) {
                                     return odds ? ms::odds_ratio_ci(a, b, c, d, al, meth, alt)
                                                 : ms::risk_ratio_ci(a, b, c, d, al, meth, alt);
                                   });
        },
        py::arg("count1"), py::arg("nobs1"), py::arg("count2"), py::arg("nobs2"), py::arg("alpha"),
        py::arg("method"), py::arg("alternative"));
  }

  m.def(
      "proportions_2indep_test",
      [](double c1, double n1, double c2, double n2, double value, const std::string& compare,
         const std::string& alternative) {
        const auto r =
            ms::score_test_proportions_2indep(c1, n1, c2, n2, value, parse_compare(compare),
                                              parse_alternative("proportions_2indep_test", alternative));
        return std::make_pair(r.statistic, r.pvalue);
      },
      py::arg("count1"), py::arg("nobs1"), py::arg("count2"), py::arg("nobs2"), py::arg("value"),
      py::arg("compare"), py::arg("alternative"));
}

void bind_means(py::module_& m) {
  m.def(
      "ttest_1samp",
      [](const darray& x, double popmean, double alpha, const std::string& alternative) {
        const auto alt = parse_alternative("ttest_1samp", alternative);
        const auto xs = span_1d("ttest_1samp", "x", x);
        ms::ttest_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::ttest_1samp(xs, popmean, alpha, alt);
        }
        return ttest_dict(r);
      },
      py::arg("x"), py::arg("popmean"), py::arg("alpha"), py::arg("alternative"));
  m.def(
      "ttest_ind",
      [](const darray& x1, const darray& x2, bool equal_var, double alpha, const std::string& alternative) {
        const auto alt = parse_alternative("ttest_ind", alternative);
        const auto a = span_1d("ttest_ind", "x1", x1);
        const auto b = span_1d("ttest_ind", "x2", x2);
        ms::ttest_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::ttest_ind(a, b, equal_var, alpha, alt);
        }
        return ttest_dict(r);
      },
      py::arg("x1"), py::arg("x2"), py::arg("equal_var"), py::arg("alpha"), py::arg("alternative"));
  m.def(
      "ttest_ind_from_stats",
      [](double mean1, double std1, double nobs1, double mean2, double std2, double nobs2, bool equal_var,
         double alpha, const std::string& alternative) {
        return ttest_dict(ms::ttest_ind_from_stats(mean1, std1, nobs1, mean2, std2, nobs2, equal_var, alpha,
                                                   parse_alternative("ttest_ind_from_stats", alternative)));
      },
      py::arg("mean1"), py::arg("std1"), py::arg("nobs1"), py::arg("mean2"), py::arg("std2"),
      py::arg("nobs2"), py::arg("equal_var"), py::arg("alpha"), py::arg("alternative"));
  m.def(
      "ztest",
      [](const darray& x, double value, double alpha, const std::string& alternative) {
        const auto alt = parse_alternative("ztest", alternative);
        const auto xs = span_1d("ztest", "x1", x);
        ms::ttest_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::ztest(xs, value, alpha, alt);
        }
        return ttest_dict(r);
      },
      py::arg("x"), py::arg("value"), py::arg("alpha"), py::arg("alternative"));
  m.def(
      "ztest_ind",
      [](const darray& x1, const darray& x2, double value, bool pooled, double alpha,
         const std::string& alternative) {
        const auto alt = parse_alternative("ztest", alternative);
        const auto a = span_1d("ztest", "x1", x1);
        const auto b = span_1d("ztest", "x2", x2);
        ms::ttest_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::ztest_ind(a, b, value, pooled, alpha, alt);
        }
        return ttest_dict(r);
      },
      py::arg("x1"), py::arg("x2"), py::arg("value"), py::arg("pooled"), py::arg("alpha"),
      py::arg("alternative"));
}

void bind_power(py::module_& m) {
  // One call evaluates or solves the power equation element-wise: None marks the unknown (exactly one;
  // power=None evaluates the power). A 1,000-point power curve is one call and one GIL release.
  m.def(
      "solve_power",
      [](const std::string& test, const std::optional<darray>& effect_size,
         const std::optional<darray>& nobs1, const std::optional<darray>& alpha,
         const std::optional<darray>& power, const darray& ratio, const std::string& alternative) {
        const auto t = parse_power_test(test);
        const auto alt = parse_alternative("solve_power", alternative);
        const int unknown = !effect_size + !nobs1 + !alpha + !power;
        if (unknown != 1)
          fail("solve_power",
               "exactly one of effect_size, nobs1, alpha, power must be None (the unknown), got " +
                   std::to_string(unknown));
        const darray empty(py::ssize_t{1});
        const darray& es = effect_size ? *effect_size : empty;
        const darray& no = nobs1 ? *nobs1 : empty;
        const darray& al = alpha ? *alpha : empty;
        const darray& pw = power ? *power : empty;
        const py::ssize_t n = common_length(
            "solve_power",
            {{"effect_size", &es}, {"nobs1", &no}, {"alpha", &al}, {"power", &pw}, {"ratio", &ratio}});
        const column e = col(es), nn = col(no), a = col(al), p = col(pw), r = col(ratio);
        std::vector<ms::power_query> queries(static_cast<std::size_t>(n));
        for (py::ssize_t i = 0; i < n; ++i) {
          ms::power_query& q = queries[static_cast<std::size_t>(i)];
          if (effect_size) q.effect_size = e[i];
          if (nobs1) q.nobs1 = nn[i];
          if (alpha) q.alpha = a[i];
          if (power) q.power = p[i];
          q.ratio = r[i];
          q.alt = alt;
        }
        darray out(n);
        const std::span<double> o(out.mutable_data(), static_cast<std::size_t>(n));
        {
          py::gil_scoped_release nogil;
          ms::solve_power(t, queries, o);  // in parallel over missionkit's threads
        }
        return out;
      },
      py::arg("test"), py::arg("effect_size"), py::arg("nobs1"), py::arg("alpha"), py::arg("power"),
      py::arg("ratio"), py::arg("alternative"));

  m.def(
      "proportions_2indep_mde",
      [](const darray& prop2, const darray& nobs1, const darray& power, const darray& alpha,
         const darray& ratio, const std::string& alternative) {
        const auto alt = parse_alternative("proportions_2indep_mde", alternative);
        const py::ssize_t n = common_length(
            "proportions_2indep_mde",
            {{"prop2", &prop2}, {"nobs1", &nobs1}, {"power", &power}, {"alpha", &alpha}, {"ratio", &ratio}});
        darray out(n);
        double* o = out.mutable_data();
        const column p2 = col(prop2), n1 = col(nobs1), pw = col(power), a = col(alpha), r = col(ratio);
        each(n,
             [&](py::ssize_t i) { o[i] = ms::proportions_2indep_mde(p2[i], n1[i], pw[i], a[i], r[i], alt); });
        return out;
      },
      py::arg("prop2"), py::arg("nobs1"), py::arg("power"), py::arg("alpha"), py::arg("ratio"),
      py::arg("alternative"));

  m.def(
      "survey_sample_size",
      [](double p, double margin, double confidence, std::optional<double> population, double deff) {
        return ms::survey_sample_size(p, margin, confidence,
                                      population.value_or(std::numeric_limits<double>::infinity()), deff);
      },
      py::arg("p"), py::arg("margin"), py::arg("confidence"), py::arg("population"), py::arg("deff"));
}

void bind_effects(py::module_& m) {
  m.def(
      "adjust_pvalues",
      [](const darray& pvalues, const std::string& method) {
        const auto meth = parse_adjustment(method);
        const auto p = span_1d("adjust_pvalues", "pvalues", pvalues);
        std::vector<double> out;
        {
          py::gil_scoped_release nogil;
          out = ms::adjust_pvalues(p, meth);
        }
        darray arr(static_cast<py::ssize_t>(out.size()));
        std::copy(out.begin(), out.end(), arr.mutable_data());
        return arr;
      },
      py::arg("pvalues"), py::arg("method"));

  m.def(
      "cohens_h",
      [](const darray& prop1, const darray& prop2) {
        const py::ssize_t n = common_length("cohens_h", {{"prop1", &prop1}, {"prop2", &prop2}});
        darray out(n);
        double* o = out.mutable_data();
        const column a = col(prop1), b = col(prop2);
        each(n, [&](py::ssize_t i) { o[i] = ms::cohens_h(a[i], b[i]); });
        return out;
      },
      py::arg("prop1"), py::arg("prop2"));
  m.def(
      "cohens_h_ci",
      [](double c1, double n1, double c2, double n2, double alpha, const std::string& alternative) {
        return effect_tuple(
            ms::cohens_h_ci(c1, n1, c2, n2, alpha, parse_alternative("cohens_h", alternative)));
      },
      py::arg("count1"), py::arg("nobs1"), py::arg("count2"), py::arg("nobs2"), py::arg("alpha"),
      py::arg("alternative"));

  for (const bool hedges : {false, true}) {
    const char* fn = hedges ? "hedges_g" : "cohens_d";
    m.def(
        fn,
        [hedges, fn](const darray& x1, const darray& x2, double alpha, const std::string& alternative) {
          const auto alt = parse_alternative(fn, alternative);
          const auto a = span_1d(fn, "x1", x1);
          const auto b = span_1d(fn, "x2", x2);
          ms::effect_estimate e;
          {
            py::gil_scoped_release nogil;
            e = hedges ? ms::hedges_g(a, b, alpha, alt) : ms::cohens_d(a, b, alpha, alt);
          }
          return effect_tuple(e);
        },
        py::arg("x1"), py::arg("x2"), py::arg("alpha"), py::arg("alternative"));
    const std::string stats_name = std::string(fn) + "_from_stats";
    m.def(
        stats_name.c_str(),
        [hedges, fn](double mean1, double std1, double nobs1, double mean2, double std2, double nobs2,
                     double alpha, const std::string& alternative) {
          const auto alt = parse_alternative(fn, alternative);
          return effect_tuple(
              hedges ? ms::hedges_g_from_stats(mean1, std1, nobs1, mean2, std2, nobs2, alpha, alt)
                     : ms::cohens_d_from_stats(mean1, std1, nobs1, mean2, std2, nobs2, alpha, alt));
        },
        py::arg("mean1"), py::arg("std1"), py::arg("nobs1"), py::arg("mean2"), py::arg("std2"),
        py::arg("nobs2"), py::arg("alpha"), py::arg("alternative"));
  }

  for (const bool odds : {false, true}) {
    const char* fn = odds ? "odds_ratio" : "relative_lift";
    m.def(
        fn,
        [odds, fn](double c1, double n1, double c2, double n2, double alpha, const std::string& method,
                   const std::string& alternative) {
          const auto meth = parse_ratio_method(fn, method);
          const auto alt = parse_alternative(fn, alternative);
          return effect_tuple(odds ? ms::odds_ratio(c1, n1, c2, n2, alpha, meth, alt)
                                   : ms::relative_lift(c1, n1, c2, n2, alpha, meth, alt));
        },
        py::arg("count1"), py::arg("nobs1"), py::arg("count2"), py::arg("nobs2"), py::arg("alpha"),
        py::arg("method"), py::arg("alternative"));
  }
}

py::array_t<double> to_array(const std::vector<double>& v) {
  py::array_t<double> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

void bind_regression(py::module_& m) {
  // X is viewed in place whatever its memory order (C, Fortran or a strided slice): only the element strides
  // are passed on, so a 5M x 10 design is never copied.
  m.def(
      "ols",
      [](const darray& y, const py::array_t<double, py::array::forcecast>& x, const std::string& cov,
         bool add_intercept, double alpha, std::optional<bool> use_t, const std::optional<iarray>& groups,
         const std::optional<iarray>& groups2, std::vector<std::string> names, std::size_t maxlags,
         bool use_correction) {
        constexpr const char* fn = "ols";
        const auto yv = span_1d(fn, "y", y);
        if (x.ndim() != 2) fail(fn, "X must be 2-D (rows x columns), got " + std::to_string(x.ndim()) + "-D");
        if (x.strides(0) % static_cast<py::ssize_t>(sizeof(double)) != 0 ||
            x.strides(1) % static_cast<py::ssize_t>(sizeof(double)) != 0)
          fail(fn, "X has strides that are not whole elements; pass np.ascontiguousarray(X)");
        ms::matrix_view xv{x.data(), static_cast<std::size_t>(x.shape(0)),
                           static_cast<std::size_t>(x.shape(1)),
                           x.strides(0) / static_cast<py::ssize_t>(sizeof(double)),
                           x.strides(1) / static_cast<py::ssize_t>(sizeof(double))};
        ms::ols_options opt;
        opt.cov = parse_cov(cov);
        opt.add_intercept = add_intercept;
        opt.alpha = alpha;
        opt.use_t = use_t;
        opt.names = std::move(names);
        opt.maxlags = maxlags;
        opt.use_correction = use_correction;
        auto labels = [&](const std::optional<iarray>& g, const char* name) -> std::span<const std::int64_t> {
          if (!g) return {};
          if (g->ndim() != 1)
            fail(fn, std::string(name) + " must be 1-D, got " + std::to_string(g->ndim()) + "-D");
          return {g->data(), static_cast<std::size_t>(g->size())};
        };
        opt.groups = labels(groups, "groups");
        opt.groups2 = labels(groups2, "groups2");
        ms::ols_result r;
        {
          py::gil_scoped_release nogil;
          r = ms::ols(yv, xv, opt);
        }
        py::dict d;
        d["names"] = r.names;
        d["params"] = to_array(r.params);
        d["bse"] = to_array(r.bse);
        d["tvalues"] = to_array(r.tvalues);
        d["pvalues"] = to_array(r.pvalues);
        d["ci_low"] = to_array(r.ci_low);
        d["ci_high"] = to_array(r.ci_high);
        auto covm = to_array(r.cov_params);
        const auto k = static_cast<py::ssize_t>(r.params.size());
        d["cov_params"] = covm.reshape({k, k});
        d["nobs"] = r.nobs;
        d["nobs_dropped"] = r.nobs_dropped;
        d["df_model"] = r.df_model;
        d["df_resid"] = r.df_resid;
        d["df_inference"] = r.df_inference;
        d["ssr"] = r.ssr;
        d["tss"] = r.tss;
        d["rsquared"] = r.rsquared;
        d["rsquared_adj"] = r.rsquared_adj;
        d["sigma"] = r.sigma;
        d["has_constant"] = r.has_constant;
        d["use_t"] = r.use_t;
        d["n_groups"] = r.n_groups;
        d["n_groups2"] = r.n_groups2;
        d["maxlags"] = r.maxlags;
        d["use_correction"] = r.use_correction;
        return d;
      },
      py::arg("y"), py::arg("x"), py::arg("cov"), py::arg("add_intercept"), py::arg("alpha"),
      py::arg("use_t"), py::arg("groups"), py::arg("groups2"), py::arg("names"), py::arg("maxlags") = 0,
      py::arg("use_correction") = false);

  m.def(
      "t_isf", [](double p, double df) { return ms::t_isf(p, df); }, py::arg("p"), py::arg("df"));
  m.def(
      "normal_isf", [](double p) { return ms::normal_isf(p); }, py::arg("p"));
}

}  // namespace

void bind_stats(py::module_& m) {
  bind_intervals(m);
  bind_means(m);
  bind_power(m);
  bind_effects(m);
  bind_regression(m);
}

}  // namespace missionkit::python
