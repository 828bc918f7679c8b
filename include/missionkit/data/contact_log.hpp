// The columnar contact log: one row per contact (a call, chat, email, app session...), as read from the
// source, plus the validation that splits rows into accepted and quarantined. Measures (measure/) run
// on the accepted rows only; quarantined rows are kept with their reason so that
// rows_read == accepted + quarantined always holds and can be reported.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/data/column.hpp"

namespace missionkit::data {

/// Shared, immutable labels of a dictionary-encoded column: code i means labels[i].
using labels = std::shared_ptr<const std::vector<std::string>>;

/// \brief A dictionary-encoded column: codes into `labels`, -1 for a missing value.
struct coded_column {
  column<std::int32_t> codes;
  data::labels labels;
  [[nodiscard]] bool empty() const noexcept { return codes.empty(); }
};

/// \brief UTC instants as integer ticks since 1970-01-01T00:00:00Z, in the source's own unit (Arrow's
/// s/ms/us/ns, numpy's datetime64 unit), so a timestamp column is viewed, never converted.
/// A missing value is std::numeric_limits<int64_t>::min() (numpy's NaT, and Arrow nulls are mapped to it).
struct time_column {
  column<std::int64_t> ticks;
  std::int64_t ticks_per_second = 1'000'000;
  static constexpr std::int64_t missing = std::numeric_limits<std::int64_t>::min();
  [[nodiscard]] bool empty() const noexcept { return ticks.empty(); }
};

/// \brief Yes/no flags: 0 = no, 1 = yes, 2 = missing.
struct flag_column {
  column<std::uint8_t> values;
  static constexpr std::uint8_t missing = 2;
  [[nodiscard]] bool empty() const noexcept { return values.empty(); }
};

/// \brief Numbers, NaN for missing (seconds for durations, currency units for cost, scale points for
/// survey scores).
using value_column = column<double>;

/// \brief The columns of a contact log, all of one length; unmapped optional columns are empty.
///
/// The customer key is an integer: the source's own integer ids, viewed, or the codes of string ids
/// (dictionary-encoded once, in C++) with their labels in `customer_labels`. Missing customer ids are
/// marked in `customer_missing` (1 = missing) when the source has nulls.
struct contact_columns {
  // required
  column<std::int64_t> customer;
  data::labels customer_labels;           // set when ids were strings
  column<std::uint8_t> customer_missing;  // empty when the source had no nulls
  time_column start;
  // optional
  time_column end;  // when absent, a contact ends when it starts (handle time then comes from handle_s)
  coded_column contact_id, channel, reason, queue, site, agent;
  flag_column answered, abandoned, transferred, resolved;
  value_column wait_s, handle_s, talk_s, hold_s, wrap_s, cost, csat, nps, ces;

  /// Number of rows (the length of `customer`).
  [[nodiscard]] std::size_t size() const noexcept { return customer.size(); }
};

/// Why a row was quarantined. A row fails on its first failing rule, in this order.
enum class quarantine_reason : std::uint8_t {
  null_customer,           // customer id missing
  null_start,              // start timestamp missing
  timestamp_out_of_range,  // start (or end) outside [rules.min_time, rules.max_time]
  end_before_start,        // end earlier than start
  negative_duration,       // a negative wait, handle, talk, hold or wrap time
  unknown_channel,         // channel not in rules.channels (only when that list is declared)
  score_out_of_range,      // a survey score outside its declared scale
};
inline constexpr int quarantine_reason_count = 7;
[[nodiscard]] const char* to_string(quarantine_reason r) noexcept;

/// \brief What makes a row acceptable. Defaults accept any plausible contact-centre log.
struct validation_rules {
  // 1990-01-01 .. 2100-01-01 UTC, in seconds: a timestamp outside is a unit or parsing error.
  std::int64_t min_time_s = 631152000;
  std::int64_t max_time_s = 4102444800;
  std::optional<std::vector<std::string>> channels;  // declared channel list, if any
  double csat_min = 1, csat_max = 5;                 // CSAT scale
  double nps_min = 0, nps_max = 10;                  // likelihood-to-recommend scale
  double ces_min = 1, ces_max = 7;                   // customer effort scale
};

struct quarantined_row {
  std::uint64_t row;  // position in the input (0-based, across chunks)
  quarantine_reason reason;
  friend bool operator==(const quarantined_row&, const quarantined_row&) = default;
};

/// \brief The accepted rows of a log and the quarantined ones, from one validation pass.
struct validation_result {
  std::vector<std::uint32_t> accepted;  // input row positions, ascending
  std::vector<quarantined_row> quarantined;
  std::uint64_t rows_read = 0;
  std::uint64_t count[quarantine_reason_count] = {};  // quarantined rows per reason
};

/// \brief Validates every row against `rules`. Never throws for bad rows (they are quarantined); throws
/// missionkit::data_error naming the column when the columns themselves are inconsistent (different
/// lengths, a required column missing, ticks_per_second <= 0, a code outside its labels).
[[nodiscard]] validation_result validate_rows(const contact_columns& cols, const validation_rules& rules);

/// \brief A validated contact log: the columns, which rows were accepted, which were quarantined and why.
///
/// Immutable after construction and safe to share between threads.
class contact_log {
 public:
  /// Validates `columns` (see validate_rows) and keeps them.
  explicit contact_log(contact_columns columns, validation_rules rules = {});

  [[nodiscard]] const contact_columns& columns() const noexcept { return columns_; }
  [[nodiscard]] const validation_rules& rules() const noexcept { return rules_; }
  [[nodiscard]] const validation_result& validation() const noexcept { return validation_; }
  /// Accepted rows.
  [[nodiscard]] std::size_t size() const noexcept { return validation_.accepted.size(); }
  [[nodiscard]] std::uint64_t rows_read() const noexcept { return validation_.rows_read; }
  [[nodiscard]] std::size_t quarantined() const noexcept { return validation_.quarantined.size(); }

  /// Accepted input rows ordered by (customer, start, input position): the order every episode measure
  /// (FCR, repeats, resolution time) walks. Computed on first use (stable O(n) radix passes), then cached;
  /// thread-safe.
  [[nodiscard]] std::span<const std::uint32_t> by_customer() const { return customer_sorted().row; }

  /// \brief The columns the episode measures read, gathered into (customer, start) order once so that the
  /// measures stream through contiguous memory instead of jumping around the input (the jumps, one cache
  /// miss per column per row, cost more than all the arithmetic).
  struct sorted_view {
    std::vector<std::uint32_t> row;             // input row of each position
    std::vector<std::uint32_t> customer_begin;  // first position of each customer's run, then size()
    std::vector<std::int64_t> start;            // start ticks (the start column's unit)
    std::vector<std::int64_t> end;              // end ticks in the start column's unit; the start when absent
    std::vector<std::int32_t> reason;           // -1 when absent
  };
  /// Computed on first use, then cached; thread-safe.
  [[nodiscard]] const sorted_view& customer_sorted() const;
  /// The channel code of each customer_sorted() position (-1 when absent). Gathered on first use only:
  /// most episode measures never look at the channel.
  [[nodiscard]] std::shared_ptr<const std::vector<std::int32_t>> sorted_channel() const;

  /// \brief A cache of values derived from the (immutable) log, such as the group ids of a grouping, so
  /// that several measures over the same grouping compute them once. `make` runs at most once per key
  /// (concurrent callers of the same key wait for it); thread-safe.
  template <typename T, typename Make>
  std::shared_ptr<const T> derived(const std::string& key, Make make) const {
    std::shared_ptr<derived_slot> slot;
    {
      std::lock_guard lock(derived_mutex_);
      auto& s = derived_[key];
      if (!s) s = std::make_shared<derived_slot>();
      slot = s;
    }
    std::call_once(slot->once, [&] { slot->value = std::make_shared<const T>(make()); });
    return std::static_pointer_cast<const T>(slot->value);
  }

 private:
  contact_columns columns_;
  validation_rules rules_;
  validation_result validation_;
  mutable std::once_flag sorted_once_;
  mutable sorted_view sorted_;
  struct derived_slot {
    std::once_flag once;
    std::shared_ptr<const void> value;
  };
  mutable std::mutex derived_mutex_;
  mutable std::map<std::string, std::shared_ptr<derived_slot>> derived_;
};

}  // namespace missionkit::data
