#include "missionkit/measure/merge.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "engine.hpp"
#include "missionkit/core/error.hpp"

namespace missionkit::measure {

namespace {

using json = nlohmann::json;
using label = std::optional<std::string>;  // nullopt: the group of rows with no value in that dimension
using row_key = std::pair<std::vector<label>, period_key>;

std::string int128_text(int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  // Work with the negative value: its magnitude range includes the most negative int128.
  int128 x = negative ? v : -v;
  std::string digits;
  while (x != 0) {
    digits.push_back(static_cast<char>('0' - static_cast<int>(x % 10)));
    x /= 10;
  }
  if (negative) digits.push_back('-');
  return {digits.rbegin(), digits.rend()};
}

int128 int128_from(const std::string& s) {
  if (s.empty()) throw data_error("measure table: empty integer in a mean state");
  const bool negative = s[0] == '-';
  int128 v = 0;
  for (std::size_t i = negative ? 1 : 0; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') throw data_error("measure table: '" + s + "' is not an integer");
    v = v * 10 - (s[i] - '0');  // accumulate negatively, as in int128_text
  }
  return negative ? v : -v;
}

std::vector<label> labels_of(const measure_table& t, std::size_t row) {
  std::vector<label> out;
  for (std::size_t d = 0; d < t.by.size(); ++d) {
    const auto code = t.by_codes[d][row];
    if (code < 0) {
      out.emplace_back(std::nullopt);
    } else {
      out.emplace_back(t.by_labels[d]->at(static_cast<std::size_t>(code)));
    }
  }
  return out;
}

// Rebuilds a table from merged rows: dictionaries of the labels in use, codes, states, values.
template <typename State>
measure_table build(const measure_table& like, const std::map<row_key, State>& rows, const table_options& t) {
  measure_table out;
  out.measure = like.measure;
  out.unit = like.unit;
  out.by = like.by;
  out.period = like.period;
  out.where = like.where;
  out.data_end_s = like.data_end_s;
  const std::size_t dims = like.by.size();
  std::vector<std::map<std::string, std::int32_t>> codes(dims);
  for (const auto& [key, state] : rows)
    for (std::size_t d = 0; d < dims; ++d)
      if (key.first[d]) codes[d].emplace(*key.first[d], 0);
  for (std::size_t d = 0; d < dims; ++d) {
    auto labels = std::make_shared<std::vector<std::string>>();
    for (auto& [text, code] : codes[d]) {
      code = static_cast<std::int32_t>(labels->size());
      labels->push_back(text);
    }
    out.by_labels.push_back(std::move(labels));
  }
  out.by_codes.assign(dims, {});
  std::vector<State> states;
  for (const auto& [key, state] : rows) {
    for (std::size_t d = 0; d < dims; ++d)
      out.by_codes[d].push_back(key.first[d] ? codes[d][*key.first[d]] : -1);
    out.period_keys.push_back(key.second);
    states.push_back(state);
  }
  detail::reset_values(out, states.size());
  detail::finish(out, states, t);
  out.ci_method = like.ci_method;
  return out;
}

template <typename State>
measure_table merge_states(const std::vector<measure_table>& parts, std::vector<State> measure_table::*states,
                           const table_options& t) {
  std::map<row_key, State> rows;
  for (const auto& part : parts)
    for (std::size_t r = 0; r < part.rows(); ++r)
      rows[{labels_of(part, r), part.period_keys[r]}] += (part.*states)[r];
  return build(parts.front(), rows, t);
}

std::string where_text(const std::vector<dimension_filter>& where) {
  if (where.empty()) return "(none)";
  std::string out;
  for (const auto& f : where) {
    out += (out.empty() ? "" : ", ") + f.dimension + " in [";
    for (std::size_t i = 0; i < f.values.size(); ++i) out += (i ? ", '" : "'") + f.values[i] + "'";
    out += "]";
  }
  return out;
}

const char* kind_name(measure_table::state_kind k) {
  switch (k) {
    case measure_table::state_kind::proportion:
      return "proportion";
    case measure_table::state_kind::mean:
      return "mean";
    case measure_table::state_kind::nps:
      return "nps";
  }
  return "?";
}

}  // namespace

measure_table merge(const std::vector<measure_table>& parts, const table_options& t) {
  if (parts.empty()) throw data_error("merge: no tables to merge");
  const auto& first = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto& p = parts[i];
    if (p.measure != first.measure || p.kind != first.kind || p.ci_method != first.ci_method)
      throw data_error("merge: table " + std::to_string(i) + " is measure '" + p.measure + "', table 0 is '" +
                       first.measure + "'; merge tables of one measure");
    if (p.by != first.by || p.period != first.period)
      throw data_error("merge: table " + std::to_string(i) +
                       " is grouped differently from table 0; group every partition the same way");
    if (p.where != first.where)
      throw data_error("merge: table " + std::to_string(i) + " was computed with the filter " +
                       where_text(p.where) + ", table 0 with " + where_text(first.where) +
                       "; partials of one measure merge only under the same where=");
    if (p.data_end_s != first.data_end_s)
      throw data_error("merge: table " + std::to_string(i) +
                       " was censored at a different data end from table 0 (each partition defaults to its "
                       "own latest contact); pass the same data_end to every partition");
  }
  switch (first.kind) {
    case measure_table::state_kind::proportion:
      return merge_states(parts, &measure_table::proportions, t);
    case measure_table::state_kind::mean:
      return merge_states(parts, &measure_table::means, t);
    case measure_table::state_kind::nps:
      return merge_states(parts, &measure_table::nps_counts, t);
  }
  throw data_error("merge: unknown state kind");
}

std::string to_json(const measure_table& table) {
  json j;
  j["format"] = "missionkit.measure_table";
  // Version 2 adds the row filter. An unfiltered table is still written as version 1, which older
  // readers load; a filtered one is version 2, which they refuse rather than merge without the filter.
  j["version"] = table.where.empty() ? 1 : 2;
  j["measure"] = table.measure;
  j["unit"] = table.unit;
  j["ci_method"] = table.ci_method;
  j["kind"] = kind_name(table.kind);
  j["by"] = table.by;
  j["period"] = to_string(table.period);
  j["data_end_s"] = table.data_end_s ? json(*table.data_end_s) : json(nullptr);
  if (!table.where.empty()) {
    json where = json::array();
    for (const auto& f : table.where) where.push_back({{"dimension", f.dimension}, {"values", f.values}});
    j["where"] = where;
  }
  json rows = json::array();
  for (std::size_t r = 0; r < table.rows(); ++r) {
    json labels = json::array();
    for (const auto& l : labels_of(table, r)) labels.push_back(l ? json(*l) : json(nullptr));
    json state;
    switch (table.kind) {
      case measure_table::state_kind::proportion: {
        const auto& s = table.proportions[r];
        state = {s.numerator, s.denominator, s.censored};
        break;
      }
      case measure_table::state_kind::mean: {
        const auto& s = table.means[r];
        state = {s.n, int128_text(s.sum), int128_text(s.sum_sq)};
        break;
      }
      case measure_table::state_kind::nps: {
        const auto& s = table.nps_counts[r];
        state = {s.promoters, s.passives, s.detractors};
        break;
      }
    }
    rows.push_back({{"labels", labels}, {"period", table.period_keys[r]}, {"state", state}});
  }
  j["rows"] = rows;
  return j.dump();
}

measure_table table_from_json(std::string_view text, const table_options& t) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw data_error(std::string("measure table: not JSON: ") + e.what());
  }
  try {
    const int version = j.value("version", 0);
    if (j.value("format", "") != "missionkit.measure_table" || (version != 1 && version != 2))
      throw data_error("measure table: expected format 'missionkit.measure_table' version 1 or 2");
    measure_table like;
    like.measure = j.at("measure").get<std::string>();
    like.unit = j.at("unit").get<std::string>();
    like.ci_method = j.at("ci_method").get<std::string>();
    like.by = j.at("by").get<std::vector<std::string>>();
    const auto period = parse_period_unit(j.at("period").get<std::string>());
    if (!period)
      throw data_error("measure table: unknown period '" + j.at("period").get<std::string>() + "'");
    like.period = *period;
    if (j.contains("data_end_s") && !j.at("data_end_s").is_null())
      like.data_end_s = j.at("data_end_s").get<double>();
    if (version >= 2 && j.contains("where")) {
      std::vector<dimension_filter> where;
      for (const auto& f : j.at("where"))
        where.push_back(
            {f.at("dimension").get<std::string>(), f.at("values").get<std::vector<std::string>>()});
      like.where = canonical_where(std::move(where));
    }
    const auto kind = j.at("kind").get<std::string>();
    const auto key_of = [&](const json& row) {
      std::vector<label> labels;
      for (const auto& l : row.at("labels"))
        labels.emplace_back(l.is_null() ? label{} : label{l.get<std::string>()});
      if (labels.size() != like.by.size())
        throw data_error("measure table: a row has the wrong number of labels");
      return row_key{std::move(labels), row.at("period").get<period_key>()};
    };
    if (kind == "proportion") {
      std::map<row_key, proportion_state> rows;
      for (const auto& row : j.at("rows")) {
        const auto& s = row.at("state");
        rows[key_of(row)] += proportion_state{s.at(0).get<std::uint64_t>(), s.at(1).get<std::uint64_t>(),
                                              s.at(2).get<std::uint64_t>()};
      }
      return build(like, rows, t);
    }
    if (kind == "mean") {
      std::map<row_key, mean_state> rows;
      for (const auto& row : j.at("rows")) {
        const auto& s = row.at("state");
        mean_state m;
        m.n = s.at(0).get<std::uint64_t>();
        m.sum = int128_from(s.at(1).get<std::string>());
        m.sum_sq = int128_from(s.at(2).get<std::string>());
        rows[key_of(row)] += m;
      }
      return build(like, rows, t);
    }
    if (kind == "nps") {
      std::map<row_key, nps_state> rows;
      for (const auto& row : j.at("rows")) {
        const auto& s = row.at("state");
        rows[key_of(row)] += nps_state{s.at(0).get<std::uint64_t>(), s.at(1).get<std::uint64_t>(),
                                       s.at(2).get<std::uint64_t>()};
      }
      return build(like, rows, t);
    }
    throw data_error("measure table: unknown state kind '" + kind + "'");
  } catch (const json::exception& e) {
    throw data_error(std::string("measure table: malformed: ") + e.what());
  }
}

}  // namespace missionkit::measure
