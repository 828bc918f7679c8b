// CX measures over a ContactLogCore. Each function takes the measure's options as keyword arguments,
// releases the GIL for the computation (it reads only immutable C++ data) and returns the measure_table
// as a dict of numpy arrays that python/missionkit/measures.py turns into a result or a data frame.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/measure/contact_values.hpp"
#include "missionkit/measure/cx.hpp"
#include "missionkit/measure/merge.hpp"

namespace py = pybind11;
namespace ms = missionkit::measure;

namespace missionkit::python {

namespace {

py::dict to_dict(const ms::measure_table& t) {
  py::dict d;
  d["measure"] = t.measure;
  d["ci_method"] = t.ci_method;
  d["unit"] = t.unit;
  d["by"] = t.by;
  d["period"] = ms::to_string(t.period);
  py::list where;
  for (const auto& f : t.where) where.append(py::make_tuple(f.dimension, f.values));
  d["where"] = where;
  py::list labels, codes;
  for (std::size_t i = 0; i < t.by.size(); ++i) {
    labels.append(t.by_labels[i] ? py::cast(*t.by_labels[i]) : py::cast(std::vector<std::string>{}));
    codes.append(to_numpy(t.by_codes[i]));
  }
  d["by_labels"] = labels;
  d["by_codes"] = codes;
  std::vector<std::string> period_labels;
  period_labels.reserve(t.period_keys.size());
  for (auto k : t.period_keys) period_labels.push_back(ms::period_label(t.period, k));
  d["period_labels"] = period_labels;
  d["value"] = to_numpy(t.value);
  d["numerator"] = to_numpy(t.numerator);
  d["denominator"] = to_numpy(t.denominator);
  d["ci_low"] = to_numpy(t.ci_low);
  d["ci_high"] = to_numpy(t.ci_high);
  d["n"] = to_numpy(t.n);
  d["censored"] = to_numpy(t.censored);
  d["small_cell"] = to_numpy(t.small_cell);
  d["partial"] = py::cast(t);  // the exact states, for merging partitions (a copy: tables are small)
  return d;
}

// A row filter as Python passes it: [(dimension, [labels...]), ...].
using where_t = std::vector<std::pair<std::string, std::vector<std::string>>>;

ms::grouping make_grouping(std::vector<std::string> by, const std::string& period, std::string time_zone,
                           const where_t& where) {
  const auto unit = ms::parse_period_unit(period);
  if (!unit)
    throw py::value_error("period must be one of 'none', 'day', 'week', 'month', 'quarter', 'year', got '" +
                          period + "'");
  ms::grouping g{std::move(by), *unit, std::move(time_zone), {}};
  for (const auto& [dimension, values] : where) g.where.push_back({dimension, values});
  return g;
}

// Start ticks (the start column's unit) as microseconds since the epoch, rounding down.
std::int64_t to_microseconds(std::int64_t ticks, std::int64_t tps) {
  if (tps == 1'000'000) return ticks;
  if (tps > 1'000'000) {
    const std::int64_t d = tps / 1'000'000, q = ticks / d;
    return (ticks % d != 0 && ticks < 0) ? q - 1 : q;
  }
  return ticks * (1'000'000 / tps);
}

// The per-unit values as numpy arrays: row, the customer's original id, start (datetime64[us], UTC),
// numerator and denominator.
py::dict values_dict(const data::contact_log& log, const ms::unit_values& u) {
  const auto& c = log.columns();
  const auto n = static_cast<py::ssize_t>(u.size());
  py::array_t<std::int64_t> row(n), customer(n), start(n);
  {
    auto r = row.mutable_unchecked<1>();
    auto k = customer.mutable_unchecked<1>();
    auto s = start.mutable_unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      const auto x = u.row[static_cast<std::size_t>(i)];
      r(i) = x;
      k(i) = c.customer[x];
      s(i) = to_microseconds(c.start.ticks[x], c.start.ticks_per_second);
    }
  }
  py::dict d;
  d["measure"] = u.measure;
  d["unit"] = u.unit;
  d["row"] = row;
  if (c.customer_labels) {  // string ids: their labels, gathered by numpy's take (no Python loop)
    py::array labels =
        py::module_::import("numpy").attr("array")(*c.customer_labels, py::arg("dtype") = "object");
    d["customer"] = labels.attr("take")(customer);
  } else {
    d["customer"] = customer;
  }
  d["start"] = start.attr("view")("datetime64[us]");
  d["numerator"] = to_numpy(u.numerator);
  d["denominator"] = to_numpy(u.denominator);
  return d;
}

ms::table_options make_table(double alpha, std::uint64_t min_n) {
  if (!(alpha > 0 && alpha < 1))
    throw py::value_error("alpha must be in (0, 1), got " + std::to_string(alpha));
  return ms::table_options{alpha, min_n};
}

ms::episode_options make_episode(double window_s, const std::string& anchor, bool same_reason,
                                 const std::string& channels, double transfer_gap_s,
                                 std::optional<double> data_end_s, bool exclude_censored) {
  ms::episode_options o;
  o.window_s = window_s;
  if (anchor != "end" && anchor != "start")
    throw py::value_error("anchor must be 'end' or 'start', got '" + anchor + "'");
  o.anchor = anchor == "end" ? ms::anchor::end : ms::anchor::start;
  o.same_reason = same_reason;
  if (channels != "any" && channels != "same")
    throw py::value_error("channels must be 'any' or 'same', got '" + channels + "'");
  o.channels = channels == "any" ? ms::channel_scope::any : ms::channel_scope::same;
  o.transfer_gap_s = transfer_gap_s;
  o.data_end_s = data_end_s;
  o.exclude_censored = exclude_censored;
  return o;
}

// Runs a measure, fn(grouping, table_options) -> measure_table, with the GIL released: the log and
// options are immutable C++ values for the duration. With `values`, returns the per-unit values under
// g.where instead of the table (ungrouped: the caller groups the units as it likes).
template <typename Fn>
py::dict run(const data::contact_log& log, const ms::grouping& g, const ms::table_options& t, bool values,
             Fn fn) {
  if (values) {
    ms::unit_values u;
    {
      py::gil_scoped_release release;
      u = ms::contact_values(fn, g.where);
    }
    return values_dict(log, u);
  }
  ms::measure_table table;
  {
    py::gil_scoped_release release;
    table = fn(g, t);
  }
  return to_dict(table);
}

#define MISSIONKIT_GROUP_ARGS                                                                         \
  py::kw_only(), py::arg("by") = std::vector<std::string>{}, py::arg("period") = "none",              \
                 py::arg("time_zone") = "UTC", py::arg("where") = where_t{}, py::arg("alpha") = 0.05, \
                 py::arg("min_n") = 30, py::arg("values") = false
#define MISSIONKIT_EPISODE_ARGS                                                                     \
  py::arg("window_s") = 7 * 86400.0, py::arg("anchor") = "end", py::arg("same_reason") = true,      \
  py::arg("channels") = "any", py::arg("transfer_gap_s") = 0.0, py::arg("data_end_s") = py::none(), \
  py::arg("exclude_censored") = true

}  // namespace

void bind_measure(py::module_& m) {
  py::class_<ms::measure_table>(
      m, "MeasureTable",
      "A measure's exact partial states by group: merge partitions with MeasureTable.merge, then finish().")
      .def_readonly("measure", &ms::measure_table::measure)
      .def_readonly("by", &ms::measure_table::by)
      .def_property_readonly(
          "where",
          [](const ms::measure_table& t) {
            py::dict d;
            for (const auto& f : t.where) d[py::str(f.dimension)] = f.values;
            return d;
          },
          "The row filter the table was computed under: {dimension: [labels]} (empty: none).")
      .def_property_readonly("rows", &ms::measure_table::rows)
      .def(
          "finish",
          [](const ms::measure_table& t, double alpha, std::uint64_t min_n) {
            return to_dict(ms::merge({t}, make_table(alpha, min_n)));
          },
          py::arg("alpha") = 0.05, py::arg("min_n") = 30, "Values and intervals at this level, as a dict.")
      .def_static(
          "merge",
          [](const std::vector<ms::measure_table>& parts) {
            py::gil_scoped_release release;  // pure C++ over copied tables
            return ms::merge(parts);
          },
          py::arg("parts"), "Adds the states of tables computed on separate partitions.")
      .def("to_json", [](const ms::measure_table& t) { return ms::to_json(t); })
      .def_static(
          "from_json", [](const std::string& text) { return ms::table_from_json(text); }, py::arg("text"))
      .def(py::pickle([](const ms::measure_table& t) { return ms::to_json(t); },
                      [](const std::string& text) { return ms::table_from_json(text); }))
      .def("__repr__", [](const ms::measure_table& t) {
        return "MeasureTable(" + t.measure + ", groups=" + std::to_string(t.rows()) + ")";
      });

  using log_t = const data::contact_log&;
  using strs = std::vector<std::string>;
  auto episode_measure = [&m](const char* name, auto fn) {
    m.def(
        name,
        [fn](log_t log, double window_s, const std::string& anchor, bool same_reason,
             const std::string& channels, double transfer_gap_s, std::optional<double> data_end_s,
             bool exclude_censored, strs by, const std::string& period, std::string tz, const where_t& where,
             double alpha, std::uint64_t min_n, bool values) {
          const auto o = make_episode(window_s, anchor, same_reason, channels, transfer_gap_s, data_end_s,
                                      exclude_censored);
          const auto g = make_grouping(std::move(by), period, std::move(tz), where);
          const auto t = make_table(alpha, min_n);
          return run(log, g, t, values,
                     [&](const ms::grouping& gg, const ms::table_options& tt) { return fn(log, o, gg, tt); });
        },
        py::arg("log"), MISSIONKIT_EPISODE_ARGS, MISSIONKIT_GROUP_ARGS);
  };
  episode_measure("measure_fcr", [](log_t l, auto& o, auto& g, auto& t) { return ms::fcr(l, o, g, t); });
  episode_measure("measure_repeat_rate",
                  [](log_t l, auto& o, auto& g, auto& t) { return ms::repeat_rate(l, o, g, t); });
  episode_measure("measure_repeats_per_issue",
                  [](log_t l, auto& o, auto& g, auto& t) { return ms::repeats_per_issue(l, o, g, t); });
  episode_measure("measure_resolution_time",
                  [](log_t l, auto& o, auto& g, auto& t) { return ms::resolution_time(l, o, g, t); });

  m.def(
      "measure_containment",
      [](log_t log, strs digital, strs assisted, double window_s, const std::string& anchor, bool same_reason,
         const std::string& channels, double transfer_gap_s, std::optional<double> data_end_s,
         bool exclude_censored, strs by, const std::string& period, std::string tz, const where_t& where,
         double alpha, std::uint64_t min_n, bool values) {
        const auto o = make_episode(window_s, anchor, same_reason, channels, transfer_gap_s, data_end_s,
                                    exclude_censored);
        const auto g = make_grouping(std::move(by), period, std::move(tz), where);
        const auto t = make_table(alpha, min_n);
        return run(log, g, t, values, [&](const ms::grouping& gg, const ms::table_options& tt) {
          return ms::containment(log, digital, assisted, o, gg, tt);
        });
      },
      py::arg("log"), py::arg("digital"), py::arg("assisted"), MISSIONKIT_EPISODE_ARGS,
      MISSIONKIT_GROUP_ARGS);

  m.def(
      "measure_aht",
      [](log_t log, const std::string& part, strs by, const std::string& period, std::string tz,
         const where_t& where, double alpha, std::uint64_t min_n, bool values) {
        const ms::handle_part p =
            part == "handle" ? ms::handle_part::handle
            : part == "talk" ? ms::handle_part::talk
            : part == "hold" ? ms::handle_part::hold
            : part == "wrap" ? ms::handle_part::wrap
                             : throw py::value_error(
                                   "part must be 'handle', 'talk', 'hold' or 'wrap', got '" + part + "'");
        const auto g = make_grouping(std::move(by), period, std::move(tz), where);
        const auto t = make_table(alpha, min_n);
        return run(log, g, t, values, [&](const ms::grouping& gg, const ms::table_options& tt) {
          return ms::aht(log, p, gg, tt);
        });
      },
      py::arg("log"), py::arg("part") = "handle", MISSIONKIT_GROUP_ARGS);

  m.def(
      "measure_service_level",
      [](log_t log, const std::string& convention, double threshold_s, double short_abandon_s, strs by,
         const std::string& period, std::string tz, const where_t& where, double alpha, std::uint64_t min_n,
         bool values) {
        const ms::sl_convention c =
            convention == "answered"                      ? ms::sl_convention::answered
            : convention == "offered"                     ? ms::sl_convention::offered
            : convention == "offered_excl_short_abandons" ? ms::sl_convention::offered_excl_short_abandons
            : convention == "short_abandons_as_met"
                ? ms::sl_convention::short_abandons_as_met
                : throw py::value_error(
                      "convention must be 'answered', 'offered', 'offered_excl_short_abandons' or "
                      "'short_abandons_as_met', got '" +
                      convention + "'");
        const auto g = make_grouping(std::move(by), period, std::move(tz), where);
        const auto t = make_table(alpha, min_n);
        return run(log, g, t, values, [&](const ms::grouping& gg, const ms::table_options& tt) {
          return ms::service_level(log, c, {threshold_s, short_abandon_s}, gg, tt);
        });
      },
      py::arg("log"), py::arg("convention") = "offered", py::arg("threshold_s") = 20.0,
      py::arg("short_abandon_s") = 5.0, MISSIONKIT_GROUP_ARGS);

  m.def(
      "measure_abandonment",
      [](log_t log, bool exclude_short, double short_abandon_s, strs by, const std::string& period,
         std::string tz, const where_t& where, double alpha, std::uint64_t min_n, bool values) {
        const auto g = make_grouping(std::move(by), period, std::move(tz), where);
        const auto t = make_table(alpha, min_n);
        return run(log, g, t, values, [&](const ms::grouping& gg, const ms::table_options& tt) {
          return ms::abandonment(log, exclude_short, {20.0, short_abandon_s}, gg, tt);
        });
      },
      py::arg("log"), py::arg("exclude_short") = false, py::arg("short_abandon_s") = 5.0,
      MISSIONKIT_GROUP_ARGS);

  auto simple = [&m](const char* name, auto fn) {
    m.def(
        name,
        [fn](log_t log, strs by, const std::string& period, std::string tz, const where_t& where,
             double alpha, std::uint64_t min_n, bool values) {
          const auto g = make_grouping(std::move(by), period, std::move(tz), where);
          const auto t = make_table(alpha, min_n);
          return run(log, g, t, values,
                     [&](const ms::grouping& gg, const ms::table_options& tt) { return fn(log, gg, tt); });
        },
        py::arg("log"), MISSIONKIT_GROUP_ARGS);
  };
  simple("measure_fcr_reported", [](log_t l, auto& g, auto& t) { return ms::fcr_reported(l, g, t); });
  simple("measure_asa", [](log_t l, auto& g, auto& t) { return ms::asa(l, g, t); });
  simple("measure_cost_to_serve", [](log_t l, auto& g, auto& t) { return ms::cost_to_serve(l, g, t); });
  simple("measure_csat_mean", [](log_t l, auto& g, auto& t) { return ms::csat_mean(l, g, t); });
  simple("measure_nps", [](log_t l, auto& g, auto& t) { return ms::nps(l, g, t); });
  simple("measure_ces", [](log_t l, auto& g, auto& t) { return ms::ces(l, g, t); });

  m.def(
      "measure_csat",
      [](log_t log, double top_box_min, strs by, const std::string& period, std::string tz,
         const where_t& where, double alpha, std::uint64_t min_n, bool values) {
        const auto g = make_grouping(std::move(by), period, std::move(tz), where);
        const auto t = make_table(alpha, min_n);
        return run(log, g, t, values, [&](const ms::grouping& gg, const ms::table_options& tt) {
          return ms::csat(log, top_box_min, gg, tt);
        });
      },
      py::arg("log"), py::arg("top_box_min") = 4.0, MISSIONKIT_GROUP_ARGS);

  m.def(
      "measure_failure_demand",
      [](log_t log, strs reasons, strs by, const std::string& period, std::string tz, const where_t& where,
         double alpha, std::uint64_t min_n, bool values) {
        const auto g = make_grouping(std::move(by), period, std::move(tz), where);
        const auto t = make_table(alpha, min_n);
        return run(log, g, t, values, [&](const ms::grouping& gg, const ms::table_options& tt) {
          return ms::failure_demand(log, reasons, gg, tt);
        });
      },
      py::arg("log"), py::arg("reasons"), MISSIONKIT_GROUP_ARGS);

  m.def("set_threads", &missionkit::set_threads, py::arg("n"),
        "Threads for parallel work; 0 means one per hardware thread.");
  m.def("threads", &missionkit::threads);
}

}  // namespace missionkit::python
