// Row validation of a contact log: one pass over the columns, no allocation per row. Column-level
// problems (lengths, units, codes outside their labels) throw, because they mean the columns were
// assembled wrongly; row-level problems quarantine the row, because they are facts about the data.
#include "missionkit/data/contact_log.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "missionkit/core/error.hpp"

namespace missionkit::data {

// 128-bit integers (a GCC/Clang extension) for exact products of ticks and units.
__extension__ typedef __int128 int128;

const char* to_string(quarantine_reason r) noexcept {
  switch (r) {
    case quarantine_reason::null_customer:
      return "null_customer";
    case quarantine_reason::null_start:
      return "null_start";
    case quarantine_reason::timestamp_out_of_range:
      return "timestamp_out_of_range";
    case quarantine_reason::end_before_start:
      return "end_before_start";
    case quarantine_reason::negative_duration:
      return "negative_duration";
    case quarantine_reason::unknown_channel:
      return "unknown_channel";
    case quarantine_reason::score_out_of_range:
      return "score_out_of_range";
  }
  return "unknown";
}

namespace {

void check_length(const char* name, std::size_t size, std::size_t n) {
  if (size != 0 && size != n)
    throw data_error(std::string("column '") + name + "' has " + std::to_string(size) + " rows, expected " +
                     std::to_string(n) + " (the length of 'customer')");
}

void check_unit(const char* name, const time_column& t) {
  if (!t.empty() && t.ticks_per_second <= 0)
    throw data_error(std::string("column '") + name + "': ticks_per_second is " +
                     std::to_string(t.ticks_per_second) +
                     "; it must be positive (1 for seconds, 1000 for ms...)");
}

// Codes must index their labels (or be -1, missing); checked as a reduction so it vectorises.
void check_codes(const char* name, const coded_column& c) {
  if (c.empty()) return;
  const std::size_t n_labels = c.labels ? c.labels->size() : 0;
  std::int32_t lo = std::numeric_limits<std::int32_t>::max();
  std::int32_t hi = std::numeric_limits<std::int32_t>::min();
  for (const std::int32_t v : c.codes) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo < -1 || (hi >= 0 && static_cast<std::size_t>(hi) >= n_labels))
    throw data_error(std::string("column '") + name + "' has codes from " + std::to_string(lo) + " to " +
                     std::to_string(hi) + " but " + std::to_string(n_labels) +
                     " labels; codes must be -1 (missing) or index the labels");
}

void check_flags(const char* name, const flag_column& f) {
  std::uint8_t hi = 0;
  for (const std::uint8_t v : f.values) hi = std::max(hi, v);
  if (hi > flag_column::missing)
    throw data_error(std::string("column '") + name + "' has flag value " + std::to_string(hi) +
                     "; flags are 0 (no), 1 (yes) or 2 (missing)");
}

// seconds * ticks_per_second, clamped to the int64 range: a bound beyond it excludes nothing.
std::int64_t to_ticks(std::int64_t seconds, std::int64_t ticks_per_second) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(seconds, ticks_per_second, &out))
    return seconds < 0 ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
  return out;
}

void check_scale(const char* name, double lo, double hi) {
  if (!(lo <= hi))
    throw data_error(std::string("validation rules: the ") + name + " scale runs from " + std::to_string(lo) +
                     " to " + std::to_string(hi) + "; the minimum must not exceed the maximum");
}

struct score_rule {
  const double* values;
  double lo;
  double hi;
};

}  // namespace

validation_result validate_rows(const contact_columns& c, const validation_rules& rules) {
  const std::size_t n = c.customer.size();
  if (n > std::numeric_limits<std::uint32_t>::max())
    throw data_error("the contact log has " + std::to_string(n) + " rows; one log holds at most 4294967295");

  // --- columns -----------------------------------------------------------------------------------------
  if (n == 0 && !c.start.empty())
    throw data_error("column 'customer' is empty but column 'start' has " +
                     std::to_string(c.start.ticks.size()) + " rows; map the customer id column");
  if (n > 0 && c.start.empty())
    throw data_error("column 'start' is required (the contact's start time) but is empty; expected " +
                     std::to_string(n) + " rows");
  check_length("customer_missing", c.customer_missing.size(), n);
  check_length("start", c.start.ticks.size(), n);
  check_length("end", c.end.ticks.size(), n);
  const std::pair<const char*, const coded_column*> coded[] = {
      {"contact_id", &c.contact_id}, {"channel", &c.channel}, {"reason", &c.reason},
      {"queue", &c.queue},           {"site", &c.site},       {"agent", &c.agent}};
  for (const auto& [name, col] : coded) check_length(name, col->codes.size(), n);
  const std::pair<const char*, const flag_column*> flags[] = {{"answered", &c.answered},
                                                              {"abandoned", &c.abandoned},
                                                              {"transferred", &c.transferred},
                                                              {"resolved", &c.resolved}};
  for (const auto& [name, col] : flags) check_length(name, col->values.size(), n);
  const std::pair<const char*, const value_column*> values[] = {
      {"wait", &c.wait_s}, {"handle", &c.handle_s}, {"talk", &c.talk_s},
      {"hold", &c.hold_s}, {"wrap", &c.wrap_s},     {"cost", &c.cost},
      {"csat", &c.csat},   {"nps", &c.nps},         {"ces", &c.ces}};
  for (const auto& [name, col] : values) check_length(name, col->size(), n);

  check_unit("start", c.start);
  check_unit("end", c.end);
  for (const auto& [name, col] : coded) check_codes(name, *col);
  for (const auto& [name, col] : flags) check_flags(name, *col);
  if (c.customer_labels) {
    const auto n_labels = static_cast<std::int64_t>(c.customer_labels->size());
    const std::uint8_t* miss = c.customer_missing.empty() ? nullptr : c.customer_missing.data();
    for (std::size_t i = 0; i < n; ++i)
      if ((miss == nullptr || miss[i] == 0) && (c.customer[i] < 0 || c.customer[i] >= n_labels))
        throw data_error("column 'customer' has code " + std::to_string(c.customer[i]) + " at row " +
                         std::to_string(i) + " but " + std::to_string(n_labels) + " labels");
  }
  if (rules.min_time_s > rules.max_time_s)
    throw data_error("validation rules: min_time_s (" + std::to_string(rules.min_time_s) +
                     ") exceeds max_time_s (" + std::to_string(rules.max_time_s) + ")");
  check_scale("csat", rules.csat_min, rules.csat_max);
  check_scale("nps", rules.nps_min, rules.nps_max);
  check_scale("ces", rules.ces_min, rules.ces_max);

  // --- loop invariants -----------------------------------------------------------------------------------
  const std::uint8_t* missing_customer = c.customer_missing.empty() ? nullptr : c.customer_missing.data();
  const std::int64_t* start = c.start.ticks.data();
  const std::int64_t* end = c.end.empty() ? nullptr : c.end.ticks.data();
  const std::int64_t tps_start = c.start.ticks_per_second;
  const std::int64_t tps_end = c.end.empty() ? tps_start : c.end.ticks_per_second;
  const std::int64_t start_lo = to_ticks(rules.min_time_s, tps_start);
  const std::int64_t start_hi = to_ticks(rules.max_time_s, tps_start);
  const std::int64_t end_lo = to_ticks(rules.min_time_s, tps_end);
  const std::int64_t end_hi = to_ticks(rules.max_time_s, tps_end);
  const bool same_unit = tps_start == tps_end;
  constexpr std::int64_t missing_time = time_column::missing;

  const double* durations[5];
  int n_durations = 0;
  for (const value_column* d : {&c.wait_s, &c.handle_s, &c.talk_s, &c.hold_s, &c.wrap_s})
    if (!d->empty()) durations[n_durations++] = d->data();

  // Allowed channel codes, from the declared list compared with the column's labels (exact match).
  std::vector<std::uint8_t> channel_allowed;
  const std::int32_t* channel = nullptr;
  if (rules.channels && !c.channel.empty()) {
    channel = c.channel.codes.data();
    const std::vector<std::string> no_labels;  // codes are then all -1 (checked above)
    const auto& labels = c.channel.labels ? *c.channel.labels : no_labels;
    channel_allowed.resize(labels.size());
    for (std::size_t k = 0; k < labels.size(); ++k)
      channel_allowed[k] =
          std::find(rules.channels->begin(), rules.channels->end(), labels[k]) != rules.channels->end();
  }

  score_rule scores[3];
  int n_scores = 0;
  if (!c.csat.empty()) scores[n_scores++] = {c.csat.data(), rules.csat_min, rules.csat_max};
  if (!c.nps.empty()) scores[n_scores++] = {c.nps.data(), rules.nps_min, rules.nps_max};
  if (!c.ces.empty()) scores[n_scores++] = {c.ces.data(), rules.ces_min, rules.ces_max};

  // --- rows ----------------------------------------------------------------------------------------------
  // The rows are checked a block at a time, one rule per loop over the block: each loop is branch-free
  // and vectorises, and the block's columns stay in cache, so every column is still read once. A row's
  // reason is the minimum over the rules it fails, which is the first in the enum's order; `pass`
  // (larger than every reason) means accepted. NaN fails no comparison below, so a missing duration or
  // score never quarantines a row.
  constexpr std::uint8_t pass = quarantine_reason_count;
  constexpr auto code = [](quarantine_reason r) { return static_cast<std::uint8_t>(r); };
  constexpr std::size_t block = 4096;
  std::uint8_t why[block];

  validation_result out;
  out.rows_read = n;
  out.accepted.reserve(n);
  for (std::size_t b0 = 0; b0 < n; b0 += block) {
    const std::size_t m = std::min(block, n - b0);
    const std::int64_t* s = start + b0;
    for (std::size_t j = 0; j < m; ++j) {
      const bool out_of_range = s[j] < start_lo || s[j] > start_hi;
      why[j] = s[j] == missing_time ? code(quarantine_reason::null_start)
                                    : (out_of_range ? code(quarantine_reason::timestamp_out_of_range) : pass);
    }
    if (missing_customer != nullptr) {
      const std::uint8_t* miss = missing_customer + b0;
      for (std::size_t j = 0; j < m; ++j)
        why[j] = miss[j] != 0 ? code(quarantine_reason::null_customer) : why[j];
    }
    if (end != nullptr) {
      // A missing start is the int64 minimum, so no end is before it (and null_start wins anyway).
      const std::int64_t* e = end + b0;
      auto end_rule = [&](std::int64_t ej, bool before) {
        const bool out_of_range = ej < end_lo || ej > end_hi;
        return ej == missing_time
                   ? pass
                   : (out_of_range ? code(quarantine_reason::timestamp_out_of_range)
                                   : (before ? code(quarantine_reason::end_before_start) : pass));
      };
      if (same_unit) {
        for (std::size_t j = 0; j < m; ++j) why[j] = std::min(why[j], end_rule(e[j], e[j] < s[j]));
      } else {  // exact in 128 bits: e / tps_end < s / tps_start
        for (std::size_t j = 0; j < m; ++j)
          why[j] = std::min(why[j], end_rule(e[j], static_cast<int128>(e[j]) * tps_start <
                                                       static_cast<int128>(s[j]) * tps_end));
      }
    }
    for (int k = 0; k < n_durations; ++k) {
      const double* d = durations[k] + b0;
      for (std::size_t j = 0; j < m; ++j)
        why[j] = std::min(why[j], d[j] < 0 ? code(quarantine_reason::negative_duration) : pass);
    }
    if (channel != nullptr) {
      const std::int32_t* ch = channel + b0;
      for (std::size_t j = 0; j < m; ++j) {
        const bool unknown = ch[j] >= 0 && channel_allowed[static_cast<std::size_t>(ch[j])] == 0;
        why[j] = std::min(why[j], unknown ? code(quarantine_reason::unknown_channel) : pass);
      }
    }
    for (int k = 0; k < n_scores; ++k) {
      const double* v = scores[k].values + b0;
      const double lo = scores[k].lo;
      const double hi = scores[k].hi;
      for (std::size_t j = 0; j < m; ++j)
        why[j] =
            std::min(why[j], v[j] < lo || v[j] > hi ? code(quarantine_reason::score_out_of_range) : pass);
    }
    // Compaction: accepted positions are written unconditionally and kept by advancing the count, so
    // the common case has no branch; quarantined rows (rare) take the branch.
    const std::size_t before = out.accepted.size();
    out.accepted.resize(before + m);
    std::uint32_t* acc = out.accepted.data() + before;
    std::size_t kept = 0;
    for (std::size_t j = 0; j < m; ++j) {
      acc[kept] = static_cast<std::uint32_t>(b0 + j);
      kept += why[j] == pass;
      if (why[j] != pass) {
        out.quarantined.push_back({b0 + j, static_cast<quarantine_reason>(why[j])});
        ++out.count[why[j]];
      }
    }
    out.accepted.resize(before + kept);
  }
  return out;
}

contact_log::contact_log(contact_columns columns, validation_rules rules)
    : columns_(std::move(columns)), rules_(std::move(rules)), validation_(validate_rows(columns_, rules_)) {}

}  // namespace missionkit::data
