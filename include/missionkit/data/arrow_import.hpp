// Reading Arrow data (through the C data interface, so no Arrow library is needed) into the columns of
// a contact log. Numeric and timestamp columns that arrive as one chunk without nulls are borrowed, not
// copied; everything else is converted chunk by chunk as it arrives, so reading a long stream holds at
// most one source chunk beyond the converted values. Strings are dictionary-encoded once, here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "missionkit/core/arrow_c.hpp"
#include "missionkit/data/column.hpp"
#include "missionkit/data/contact_log.hpp"

namespace missionkit::data {

/// \brief An ArrowSchema taken over from its producer and released exactly once, when destroyed.
///
/// Taking over is the spec's "move": a bitwise copy, then the source is marked released (its release
/// set to null), so the PyCapsule or stream that handed it over does not release it again.
class arrow_schema_owner {
 public:
  explicit arrow_schema_owner(ArrowSchema* source) noexcept;
  ~arrow_schema_owner();
  arrow_schema_owner(const arrow_schema_owner&) = delete;
  arrow_schema_owner& operator=(const arrow_schema_owner&) = delete;
  [[nodiscard]] const ArrowSchema& get() const noexcept { return schema_; }

 private:
  ArrowSchema schema_;
};

/// \brief An ArrowArray taken over from its producer (see arrow_schema_owner); its release callback
/// runs exactly once, when the last shared_ptr to the owner goes away.
class arrow_array_owner {
 public:
  explicit arrow_array_owner(ArrowArray* source) noexcept;
  ~arrow_array_owner();
  arrow_array_owner(const arrow_array_owner&) = delete;
  arrow_array_owner& operator=(const arrow_array_owner&) = delete;
  [[nodiscard]] const ArrowArray& get() const noexcept { return array_; }

 private:
  ArrowArray array_;
};

/// \brief An ArrowArrayStream taken over from its producer, released exactly once, when destroyed.
class arrow_stream_owner {
 public:
  explicit arrow_stream_owner(ArrowArrayStream* source) noexcept;
  ~arrow_stream_owner();
  arrow_stream_owner(const arrow_stream_owner&) = delete;
  arrow_stream_owner& operator=(const arrow_stream_owner&) = delete;
  [[nodiscard]] ArrowArrayStream& get() noexcept { return stream_; }

 private:
  ArrowArrayStream stream_;
};

/// \brief A window of `length` values on one Arrow array, and what keeps the array's memory alive.
///
/// `offset` is the window's first position in the array's buffers: the array's own offset, plus its
/// parent's when the array is a column of a sliced record batch. The schema and array need only stay
/// valid for the duration of the call they are passed to; `keep_alive` is held by borrowed columns.
struct arrow_chunk {
  const ArrowSchema* schema = nullptr;
  const ArrowArray* array = nullptr;
  std::int64_t offset = 0;
  std::int64_t length = 0;
  std::shared_ptr<const void> keep_alive;

  /// The whole of `array`.
  [[nodiscard]] static arrow_chunk whole(const ArrowSchema& schema, const ArrowArray& array,
                                         std::shared_ptr<const void> keep_alive) {
    return {&schema, &array, array.offset, array.length, std::move(keep_alive)};
  }
};

/// What a source column becomes.
enum class column_kind : std::uint8_t {
  id,     // integer ids, or strings encoded to integer codes (customer)
  code,   // dictionary-encoded labels (contact id, channel, reason, queue, site, agent)
  time,   // UTC instants in the source's unit (start, end)
  value,  // numbers as double, durations in seconds (wait, handle, cost, scores...)
  flag,   // yes/no/missing (answered, abandoned, transferred, resolved)
};

/// \brief Integer ids, or string ids dictionary-encoded to integer codes: the customer key.
struct id_column {
  column<std::int64_t> values;   // 0 where missing
  data::labels labels;           // set when the ids were strings
  column<std::uint8_t> missing;  // 1 = null; empty when there were no nulls
};

/// \brief Reads one source column, chunk by chunk, into a missionkit column.
///
/// Accepted Arrow formats, by kind (anything else throws data_error naming the column and the format):
/// - id: integers (any width; unsigned above 2^63-1 rejected), floats holding whole numbers (pandas
///   ids with NaN), strings ("u", "U", "vu") and dictionary-encoded strings or integers.
/// - code: strings, dictionary-encoded strings or integers, integers (labelled by their decimal text).
/// - time: timestamps "tss:", "tsm:", "tsu:", "tsn:" with any time zone (values are UTC instants),
///   date64 "tdm", date32 "tdD" (converted to seconds), integers when `integer_ticks_per_second` > 0.
/// - value: floats, integers, booleans, decimal128, durations "tDs", "tDm", "tDu", "tDn" (to seconds).
/// - flag: booleans "b", integers and floats holding 0 or 1.
/// Nulls become the kind's missing value; so do int64 minimum durations (numpy's NaT) and timestamps.
///
/// Zero-copy: a column whose only non-empty chunk is int64 (id), int64-based timestamps (time),
/// float64 (value), 0/1 bytes (flag) or int32/uint32 indices into unique string labels (code), with
/// no nulls, is borrowed and holds the chunk's keep_alive. Otherwise every chunk is converted when it
/// arrives (the chunk before it, if it was held for borrowing, is converted first and let go).
class column_importer {
 public:
  column_importer(std::string name, column_kind kind, std::int64_t integer_ticks_per_second = 0);
  ~column_importer();
  column_importer(column_importer&&) noexcept;
  column_importer& operator=(column_importer&&) noexcept;

  void append(const arrow_chunk& chunk);
  /// Rows appended so far.
  [[nodiscard]] std::int64_t size() const noexcept;
  [[nodiscard]] column_kind kind() const noexcept;
  [[nodiscard]] const std::string& name() const noexcept;

  // The result, once, for the importer's kind (another kind throws std::logic_error).
  [[nodiscard]] id_column finish_ids();
  [[nodiscard]] coded_column finish_codes();
  [[nodiscard]] time_column finish_times();
  [[nodiscard]] value_column finish_values();
  [[nodiscard]] flag_column finish_flags();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

/// The role a source column plays in a contact log, named as Python's ContactLog.from_frame names them.
enum class contact_role : std::uint8_t {
  customer,
  start,
  end,
  contact_id,
  channel,
  reason,
  queue,
  site,
  agent,
  answered,
  abandoned,
  transferred,
  resolved,
  wait,
  handle,
  talk,
  hold,
  wrap,
  cost,
  csat,
  nps,
  ces
};
inline constexpr int contact_role_count = 22;
[[nodiscard]] const char* to_string(contact_role role) noexcept;
[[nodiscard]] std::optional<contact_role> parse_contact_role(std::string_view name) noexcept;
[[nodiscard]] column_kind kind_of(contact_role role) noexcept;

/// \brief Builds contact_columns from Arrow data: record batches of a stream (source columns picked by
/// name), or chunks given per role.
///
/// \code
///   contact_columns_importer importer;
///   importer.map(contact_role::customer, "customer_id");
///   importer.map(contact_role::start, "started_at");
///   importer.read_stream(stream);  // e.g. from pyarrow's RecordBatchReader.__arrow_c_stream__
///   contact_log log(std::move(importer).finish());
/// \endcode
class contact_columns_importer {
 public:
  /// `integer_ticks_per_second` is the unit of timestamps given as plain integers (0: refuse them).
  explicit contact_columns_importer(std::int64_t integer_ticks_per_second = 0);

  /// Reads source column `source` as `role`; `source` also names the column in error messages.
  void map(contact_role role, std::string source);
  /// Appends a chunk of `role`'s column given on its own (the role must have been mapped).
  void append(contact_role role, const arrow_chunk& chunk);
  /// Reads `stream` to its end. Its schema must be a struct (record batches); every mapped source
  /// column must be one of its fields, and fields not mapped are ignored.
  void read_stream(ArrowArrayStream& stream);
  /// The columns read. Throws data_error when `customer` or `start` was not mapped.
  [[nodiscard]] contact_columns finish() &&;

 private:
  std::vector<std::optional<column_importer>> roles_;
  std::int64_t integer_ticks_per_second_;
};

/// \brief The field names of a stream's record batches, read from its schema without consuming it.
[[nodiscard]] std::vector<std::string> arrow_stream_column_names(ArrowArrayStream& stream);

}  // namespace missionkit::data
