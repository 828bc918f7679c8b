#include "engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/distributions.hpp"
#include "missionkit/stats/proportion.hpp"

namespace missionkit::measure::detail {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// The dimension column `name`; `what` says what for in errors ("group by", "filter on").
const data::coded_column* dimension(const data::contact_columns& c, const std::string& name,
                                    const std::string& what = "group by") {
  const data::coded_column* col = name == "channel"  ? &c.channel
                                  : name == "reason" ? &c.reason
                                  : name == "queue"  ? &c.queue
                                  : name == "site"   ? &c.site
                                  : name == "agent"  ? &c.agent
                                                     : nullptr;
  if (col == nullptr)
    throw data_error("cannot " + what + " '" + name +
                     "': the dimensions are channel, reason, queue, site, agent");
  if (col->empty())
    throw data_error("cannot " + what + " '" + name + "': no " + name +
                     " column was mapped when the log was built");
  return col;
}

// A filter resolved against the log: its column and which codes pass.
struct resolved_filter {
  const data::coded_column* column;
  std::vector<std::uint8_t> pass;  // [code]
};

std::vector<resolved_filter> resolve_where(const data::contact_columns& c,
                                           const std::vector<dimension_filter>& where) {
  std::vector<resolved_filter> out;
  for (std::size_t i = 0; i < where.size(); ++i) {
    const auto& f = where[i];
    for (std::size_t j = 0; j < i; ++j)
      if (where[j].dimension == f.dimension)
        throw data_error("where: '" + f.dimension +
                         "' is named twice; give each dimension once, with all its values");
    const auto* col = dimension(c, f.dimension, "filter on");
    if (f.values.empty())
      throw data_error("where: no values given for '" + f.dimension + "'; give at least one label");
    const auto& labels = col->labels ? *col->labels : std::vector<std::string>{};
    resolved_filter r{col, std::vector<std::uint8_t>(labels.size(), 0)};
    for (const auto& v : f.values) {
      const auto it = std::find(labels.begin(), labels.end(), v);
      if (it == labels.end()) {
        // List some known labels (sorted, to be scanned by eye): a typo must be visible, not an empty table.
        auto sorted = labels;
        std::sort(sorted.begin(), sorted.end());
        std::string known;
        const std::size_t shown = std::min<std::size_t>(sorted.size(), 10);
        for (std::size_t k = 0; k < shown; ++k) known += (k ? ", " : "") + sorted[k];
        if (labels.size() > shown) known += ", ... (" + std::to_string(labels.size()) + " labels in all)";
        throw data_error("where: " + f.dimension + " '" + v + "' does not occur in the log; its " +
                         f.dimension + " labels are: " + (known.empty() ? "(none)" : known));
      }
      r.pass[static_cast<std::size_t>(it - labels.begin())] = 1;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

groups make_groups(const data::contact_log& log, const grouping& g) {
  groups gr;
  const auto& cols = log.columns();
  for (const auto& name : g.by) {
    if (std::count(g.by.begin(), g.by.end(), name) > 1)
      throw data_error("grouping names '" + name + "' twice; name each dimension once");
    gr.dims.push_back(dimension(cols, name));
  }
  const auto& accepted = log.validation().accepted;
  const auto filters = resolve_where(cols, g.where);
  if (!filters.empty()) {
    // The rows that pass every filter, found per block and concatenated in block order (ascending).
    gr.filtered = true;
    std::vector<std::vector<std::uint32_t>> part(block_count(accepted.size()));
    parallel_blocks(accepted.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const auto row = accepted[i];
        bool pass = true;
        for (const auto& f : filters) {
          const auto code = f.column->codes[row];
          if (code < 0 || !f.pass[static_cast<std::size_t>(code)]) {
            pass = false;
            break;
          }
        }
        if (pass) part[b].push_back(row);
      }
    });
    std::size_t total = 0;
    for (const auto& p : part) total += p.size();
    gr.kept.reserve(total);
    for (const auto& p : part) gr.kept.insert(gr.kept.end(), p.begin(), p.end());
  }
  const std::span<const std::uint32_t> rows =
      gr.filtered ? std::span<const std::uint32_t>(gr.kept) : std::span<const std::uint32_t>(accepted);
  const std::uint32_t fill = gr.filtered ? groups::dropped : 0;  // of_row of rows that do not count
  const std::size_t n = rows.size();
  if (gr.dims.empty() && g.period == period_unit::none) {  // one group: no keys to compute
    gr.of_row.assign(log.rows_read(), fill);
    if (gr.filtered)
      for (auto row : rows) gr.of_row[row] = 0;
    gr.count = n > 0 ? 1 : 0;
    gr.periods.assign(gr.count, 0);
    return gr;
  }

  // Period keys are recomputed where needed rather than stored: with the mapper's day cache a key costs a
  // couple of comparisons, and not storing them saves 4 bytes a row on logs of 100M rows.
  const auto tps = cols.start.ticks_per_second;
  if (g.period != period_unit::none) period_mapper probe(g.period, g.time_zone);  // bad zone: throw here
  const auto for_each_period = [&](auto&& fn) {  // fn(block, i, period key of accepted row i)
    parallel_blocks(n, [&](std::size_t block, std::size_t begin, std::size_t end) {
      period_mapper mapper(g.period, g.time_zone);
      for (std::size_t i = begin; i < end; ++i)
        fn(block, i, mapper.key_of_seconds(floor_div(cols.start.ticks[rows[i]], tps)));
    });
  };
  // The period range from the time range: local calendar keys only move forward with time, and a day of
  // margin on each side covers any zone offset. Only periods that occur become groups.
  period_key pmin = 0, pmax = 0;
  if (n > 0 && g.period != period_unit::none) {
    std::vector<std::int64_t> lo(block_count(n), std::numeric_limits<std::int64_t>::max());
    std::vector<std::int64_t> hi(block_count(n), std::numeric_limits<std::int64_t>::min());
    parallel_blocks(n, [&](std::size_t b, std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        lo[b] = std::min(lo[b], cols.start.ticks[rows[i]]);
        hi[b] = std::max(hi[b], cols.start.ticks[rows[i]]);
      }
    });
    period_mapper mapper(g.period, g.time_zone);
    pmin = mapper.key_of_seconds(floor_div(*std::min_element(lo.begin(), lo.end()), tps) - 86400);
    pmax = mapper.key_of_seconds(floor_div(*std::max_element(hi.begin(), hi.end()), tps) + 86400);
  }

  // Mixed-radix packing: dimension code + 1 (0 = missing), then the period offset.
  std::vector<std::uint64_t> radix;
  for (const auto* d : gr.dims) radix.push_back((d->labels ? d->labels->size() : 0) + 1);
  radix.push_back(static_cast<std::uint64_t>(static_cast<std::int64_t>(pmax) - pmin) + 1);
  std::uint64_t total = 1;
  for (auto r : radix) {
    if (total > std::numeric_limits<std::uint64_t>::max() / r)
      throw data_error(
          "too many groups: the product of the dimensions' sizes and the periods overflows 64 bits");
    total *= r;
  }
  const auto pack = [&](std::size_t i, period_key k) {
    std::uint64_t key = 0;
    for (std::size_t d = 0; d < gr.dims.size(); ++d)
      key = key * radix[d] + static_cast<std::uint64_t>(gr.dims[d]->codes[rows[i]] + 1);
    return key * radix.back() + static_cast<std::uint64_t>(static_cast<std::int64_t>(k) - pmin);
  };

  // Number the groups that occur in key order: densely when the key space is small (the packed key then
  // fits in of_row itself until it is replaced by the group number), else by sorting the keys.
  std::vector<std::uint64_t> used;
  gr.of_row.assign(log.rows_read(), fill);
  constexpr std::uint64_t dense_limit = std::uint64_t{1} << 24;
  if (total <= dense_limit) {
    for_each_period([&](std::size_t, std::size_t i, period_key k) {
      gr.of_row[rows[i]] = static_cast<std::uint32_t>(pack(i, k));
    });
    std::vector<std::uint8_t> seen(total, 0);
    for (auto row : rows) seen[gr.of_row[row]] = 1;
    std::vector<std::uint32_t> slot(total, 0);
    for (std::uint64_t k = 0; k < total; ++k)
      if (seen[k]) {
        slot[k] = static_cast<std::uint32_t>(used.size());
        used.push_back(k);
      }
    parallel_blocks(n, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) gr.of_row[rows[i]] = slot[gr.of_row[rows[i]]];
    });
  } else {
    std::vector<std::uint64_t> packed(n);
    for_each_period([&](std::size_t, std::size_t i, period_key k) { packed[i] = pack(i, k); });
    used = packed;
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    for (std::size_t i = 0; i < n; ++i)
      gr.of_row[rows[i]] =
          static_cast<std::uint32_t>(std::lower_bound(used.begin(), used.end(), packed[i]) - used.begin());
  }
  gr.count = used.size();
  if (n == 0) gr.count = 0;
  gr.codes.assign(gr.dims.size(), std::vector<std::int32_t>(gr.count));
  gr.periods.resize(gr.count);
  for (std::size_t k = 0; k < gr.count; ++k) {
    std::uint64_t key = used[k];
    gr.periods[k] = static_cast<period_key>(static_cast<std::int64_t>(key % radix.back()) + pmin);
    key /= radix.back();
    for (std::size_t d = gr.dims.size(); d-- > 0;) {
      gr.codes[d][k] = static_cast<std::int32_t>(key % radix[d]) - 1;
      key /= radix[d];
    }
  }
  return gr;
}

namespace {
// Labels may hold any character, so the filter's strings are length-prefixed, not separated.
std::string grouping_key(const grouping& g) {
  std::string key = std::string(to_string(g.period)) + "|" + g.time_zone;
  for (const auto& b : g.by) key += "|" + b;
  for (const auto& f : canonical_where(g.where)) {
    key += "|where:" + std::to_string(f.dimension.size()) + ":" + f.dimension;
    for (const auto& v : f.values) key += std::to_string(v.size()) + ":" + v;
  }
  return key;
}
}  // namespace

std::shared_ptr<const groups> cached_groups(const data::contact_log& log, const grouping& g) {
  return log.derived<groups>("groups|" + grouping_key(g), [&] { return make_groups(log, g); });
}

std::shared_ptr<const std::vector<std::uint32_t>> cached_sorted_groups(const data::contact_log& log,
                                                                       const grouping& g) {
  return log.derived<std::vector<std::uint32_t>>("sorted_groups|" + grouping_key(g), [&] {
    const auto gr = cached_groups(log, g);
    const auto& rows = log.customer_sorted().row;
    if (gr->count <= 1 && !gr->filtered) return std::vector<std::uint32_t>{};  // every position: group 0
    std::vector<std::uint32_t> out(rows.size());
    // Dropped rows (groups::dropped, the largest uint32) become group `count`, the discarded slot.
    const auto discard = static_cast<std::uint32_t>(gr->count);
    parallel_blocks(rows.size(), [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) out[i] = std::min(gr->of_row[rows[i]], discard);
    });
    return out;
  });
}

std::int64_t time_base::convert(std::int64_t ticks, std::int64_t other_tps) const noexcept {
  if (other_tps == tps) return ticks;
  // Exact when one unit divides the other, which holds for s/ms/us/ns.
  if (other_tps > tps) return floor_div(ticks, other_tps / tps);
  return ticks * (tps / other_tps);
}

contact_times::contact_times(const data::contact_log& l) : log(l) {
  base.tps = l.columns().start.ticks_per_second;
}

std::int64_t contact_times::end(std::uint32_t row) const noexcept {
  const auto& e = log.columns().end;
  if (e.empty() || e.ticks[row] == data::time_column::missing) return start(row);
  return base.convert(e.ticks[row], e.ticks_per_second);
}

measure_table start_table(const groups& gr, const grouping& g, std::string measure, std::string unit) {
  measure_table t;
  t.measure = std::move(measure);
  t.unit = std::move(unit);
  t.by = g.by;
  t.period = g.period;
  t.where = canonical_where(g.where);
  for (const auto* d : gr.dims) t.by_labels.push_back(d->labels);
  t.by_codes = gr.codes;
  t.period_keys = gr.periods;
  reset_values(t, gr.count);
  return t;
}

void record_unit(unit_values& out, std::uint32_t row, const proportion_state& s) {
  if (s.denominator == 0) return;
  out.row.push_back(row);
  out.numerator.push_back(static_cast<double>(s.numerator));
  out.denominator.push_back(static_cast<double>(s.denominator));
}

void record_unit(unit_values& out, std::uint32_t row, const mean_state& s) {
  if (s.n == 0) return;
  out.row.push_back(row);
  out.numerator.push_back(static_cast<double>(static_cast<long double>(s.sum) / mean_state::scale));
  out.denominator.push_back(static_cast<double>(s.n));
}

void record_unit(unit_values& out, std::uint32_t row, const nps_state& s) {
  if (s.n() == 0) return;
  out.row.push_back(row);
  // In points, so that the mean over units is the NPS: 100 (promoters - detractors) / n.
  out.numerator.push_back(100.0 * (static_cast<double>(s.promoters) - static_cast<double>(s.detractors)));
  out.denominator.push_back(static_cast<double>(s.n()));
}

void append_units(unit_values& out, const unit_values& more) {
  out.row.insert(out.row.end(), more.row.begin(), more.row.end());
  out.numerator.insert(out.numerator.end(), more.numerator.begin(), more.numerator.end());
  out.denominator.insert(out.denominator.end(), more.denominator.begin(), more.denominator.end());
}

void reset_values(measure_table& t, std::size_t rows) {
  for (auto* v : {&t.value, &t.numerator, &t.denominator, &t.ci_low, &t.ci_high})
    v->assign(rows, std::nan(""));
  t.n.assign(rows, 0);
  t.censored.assign(rows, 0);
  t.small_cell.assign(rows, 0);
}

void finish(measure_table& t, const std::vector<proportion_state>& s, const table_options& o) {
  t.ci_method = "wilson";
  t.kind = measure_table::state_kind::proportion;
  t.proportions = s;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const auto& st = s[k];
    t.numerator[k] = static_cast<double>(st.numerator);
    t.denominator[k] = static_cast<double>(st.denominator);
    t.n[k] = st.denominator;
    t.censored[k] = st.censored;
    t.small_cell[k] = st.denominator < o.min_n;
    if (st.denominator == 0) continue;
    t.value[k] = st.value();
    const auto ci =
        stats::proportion_ci(static_cast<double>(st.numerator), static_cast<double>(st.denominator), o.alpha,
                             stats::proportion_ci_method::wilson);
    t.ci_low[k] = ci.low;
    t.ci_high[k] = ci.high;
  }
}

void finish(measure_table& t, const std::vector<mean_state>& s, const table_options& o) {
  t.ci_method = "t";
  t.kind = measure_table::state_kind::mean;
  t.means = s;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const auto& st = s[k];
    t.n[k] = st.n;
    t.denominator[k] = static_cast<double>(st.n);
    t.numerator[k] = static_cast<double>(static_cast<long double>(st.sum) / mean_state::scale);
    t.small_cell[k] = st.n < o.min_n;
    if (st.n == 0) continue;
    t.value[k] = st.mean();
    if (st.n < 2) continue;
    // Student t interval for a mean: mean -+ t_{1-alpha/2, n-1} s / sqrt(n).
    const double half = stats::t_ppf(1 - o.alpha / 2, static_cast<double>(st.n - 1)) *
                        std::sqrt(st.variance() / static_cast<double>(st.n));
    t.ci_low[k] = t.value[k] - half;
    t.ci_high[k] = t.value[k] + half;
  }
}

void finish(measure_table& t, const std::vector<nps_state>& s, const table_options& o) {
  t.ci_method = "wald (trinomial variance)";
  t.kind = measure_table::state_kind::nps;
  t.nps_counts = s;
  const double z = stats::normal_ppf(1 - o.alpha / 2);
  for (std::size_t k = 0; k < s.size(); ++k) {
    const auto& st = s[k];
    const auto n = st.n();
    t.n[k] = n;
    t.denominator[k] = static_cast<double>(n);
    t.numerator[k] = static_cast<double>(st.promoters) - static_cast<double>(st.detractors);
    t.small_cell[k] = n < o.min_n;
    if (n == 0) continue;
    const double nn = static_cast<double>(n);
    const double pp = static_cast<double>(st.promoters) / nn, pd = static_cast<double>(st.detractors) / nn;
    t.value[k] = 100 * (pp - pd);
    // Var(p_p - p_d) for one multinomial draw: (p_p + p_d - (p_p - p_d)^2) / n.
    const double se = 100 * std::sqrt((pp + pd - (pp - pd) * (pp - pd)) / nn);
    t.ci_low[k] = std::max(-100.0, t.value[k] - z * se);
    t.ci_high[k] = std::min(100.0, t.value[k] + z * se);
  }
}

}  // namespace missionkit::measure::detail

namespace missionkit::measure {

std::vector<dimension_filter> canonical_where(std::vector<dimension_filter> where) {
  for (auto& f : where) {
    std::sort(f.values.begin(), f.values.end());
    f.values.erase(std::unique(f.values.begin(), f.values.end()), f.values.end());
  }
  std::sort(where.begin(), where.end(),
            [](const dimension_filter& a, const dimension_filter& b) { return a.dimension < b.dimension; });
  return where;
}

unit_values contact_values(const measure_call& measure, const std::vector<dimension_filter>& where) {
  unit_values out;
  grouping g;
  g.where = where;
  table_options t;
  t.units = &out;
  const auto table = measure(g, t);
  out.measure = table.measure;
  out.unit = table.unit;
  // Blocks record in their own order (input order, or customer order for episode measures): sort by row.
  std::vector<std::size_t> order(out.row.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return out.row[a] < out.row[b]; });
  unit_values sorted;
  sorted.measure = std::move(out.measure);
  sorted.unit = std::move(out.unit);
  sorted.row.reserve(order.size());
  sorted.numerator.reserve(order.size());
  sorted.denominator.reserve(order.size());
  for (auto i : order) {
    sorted.row.push_back(out.row[i]);
    sorted.numerator.push_back(out.numerator[i]);
    sorted.denominator.push_back(out.denominator[i]);
  }
  return sorted;
}

}  // namespace missionkit::measure
