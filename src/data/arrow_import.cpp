// Arrow C data interface -> missionkit columns. Layouts follow the Arrow columnar format spec
// (https://arrow.apache.org/docs/format/Columnar.html): validity bitmaps are LSB-first, an array's
// offset applies to every buffer, and a null_count of 0 means the bitmap may be ignored (or absent).
#include "missionkit/data/arrow_import.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "missionkit/core/error.hpp"

namespace missionkit::data {

namespace {
// Room for `extra` more values. An exact reserve per chunk would reallocate, and copy everything so far, at
// every chunk of a multi-batch stream (quadratic: 9M rows in 71 Parquet batches took 20 s instead of 1);
// growing at least geometrically keeps appends amortised O(1).
template <class V>
void reserve_more(V& v, std::size_t extra) {
  const std::size_t want = v.size() + extra;
  if (want > v.capacity()) v.reserve(std::max(want, 2 * v.capacity()));
}
}  // namespace

// 128-bit integers (a GCC/Clang extension) for exact products and decimal128 values.
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

// ---------------------------------------------------------------------------------------------------
// Owners: the spec's "move" is a bitwise copy followed by marking the source released.

arrow_schema_owner::arrow_schema_owner(ArrowSchema* source) noexcept : schema_(*source) {
  source->release = nullptr;
}
arrow_schema_owner::~arrow_schema_owner() {
  if (schema_.release != nullptr) schema_.release(&schema_);
}

arrow_array_owner::arrow_array_owner(ArrowArray* source) noexcept : array_(*source) {
  source->release = nullptr;
}
arrow_array_owner::~arrow_array_owner() {
  if (array_.release != nullptr) array_.release(&array_);
}

arrow_stream_owner::arrow_stream_owner(ArrowArrayStream* source) noexcept : stream_(*source) {
  source->release = nullptr;
}
arrow_stream_owner::~arrow_stream_owner() {
  if (stream_.release != nullptr) stream_.release(&stream_);
}

namespace {

// ---------------------------------------------------------------------------------------------------
// Formats

enum class atype : std::uint8_t {
  null,
  boolean,
  i8,
  u8,
  i16,
  u16,
  i32,
  u32,
  i64,
  u64,
  f32,
  f64,
  decimal128,
  utf8,
  large_utf8,
  utf8_view,
  timestamp,
  date32,
  date64,
  duration,
  dictionary,
  other
};

struct format {
  atype type = atype::other;
  std::int64_t ticks_per_second = 0;  // timestamp, duration, date64
  int decimal_scale = 0;
  atype index = atype::other;   // dictionary: the index type (type is atype::dictionary)
  atype values = atype::other;  // dictionary: the value type
  std::string text;             // as given, for messages
};

std::int64_t unit_ticks(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 1'000;
    case 'u':
      return 1'000'000;
    case 'n':
      return 1'000'000'000;
    default:
      return 0;
  }
}

atype parse_plain(std::string_view f, std::int64_t& ticks, int& scale) {
  if (f.size() == 1) {
    switch (f[0]) {
      case 'n':
        return atype::null;
      case 'b':
        return atype::boolean;
      case 'c':
        return atype::i8;
      case 'C':
        return atype::u8;
      case 's':
        return atype::i16;
      case 'S':
        return atype::u16;
      case 'i':
        return atype::i32;
      case 'I':
        return atype::u32;
      case 'l':
        return atype::i64;
      case 'L':
        return atype::u64;
      case 'f':
        return atype::f32;
      case 'g':
        return atype::f64;
      case 'u':
        return atype::utf8;
      case 'U':
        return atype::large_utf8;
      default:
        return atype::other;
    }
  }
  if (f == "vu") return atype::utf8_view;
  if (f == "tdD") return atype::date32;
  if (f == "tdm") {
    ticks = 1000;
    return atype::date64;
  }
  if (f.size() >= 4 && f.substr(0, 2) == "ts" && f[3] == ':' && unit_ticks(f[2]) > 0) {
    ticks = unit_ticks(f[2]);
    return atype::timestamp;
  }
  if (f.size() == 3 && f.substr(0, 2) == "tD" && unit_ticks(f[2]) > 0) {
    ticks = unit_ticks(f[2]);
    return atype::duration;
  }
  if (f.size() > 2 && f.substr(0, 2) == "d:") {  // "d:precision,scale[,bitwidth]"
    auto rest = f.substr(2);
    auto comma = rest.find(',');
    if (comma == std::string_view::npos) return atype::other;
    auto tail = rest.substr(comma + 1);
    auto comma2 = tail.find(',');
    auto scale_text = tail.substr(0, comma2);
    if (comma2 != std::string_view::npos && tail.substr(comma2 + 1) != "128") return atype::other;
    auto [p, ec] = std::from_chars(scale_text.data(), scale_text.data() + scale_text.size(), scale);
    if (ec != std::errc{} || p != scale_text.data() + scale_text.size()) return atype::other;
    return atype::decimal128;
  }
  return atype::other;
}

format parse_format(const ArrowSchema& schema) {
  format out;
  std::string_view f = schema.format != nullptr ? schema.format : "";
  out.text = std::string(f);
  if (schema.dictionary != nullptr) {
    std::int64_t unused_ticks = 0;
    int unused_scale = 0;
    out.type = atype::dictionary;
    out.index = parse_plain(f, unused_ticks, unused_scale);
    std::string_view vf = schema.dictionary->format != nullptr ? schema.dictionary->format : "";
    out.values = parse_plain(vf, unused_ticks, unused_scale);
    out.text += " (dictionary of '" + std::string(vf) + "')";
    return out;
  }
  out.type = parse_plain(f, out.ticks_per_second, out.decimal_scale);
  return out;
}

bool is_integer(atype t) {
  switch (t) {
    case atype::i8:
    case atype::u8:
    case atype::i16:
    case atype::u16:
    case atype::i32:
    case atype::u32:
    case atype::i64:
    case atype::u64:
      return true;
    default:
      return false;
  }
}
bool is_float(atype t) { return t == atype::f32 || t == atype::f64; }
bool is_string(atype t) { return t == atype::utf8 || t == atype::large_utf8 || t == atype::utf8_view; }

// Calls f(std::type_identity<T>{}) with T the C type of integer or float type t.
template <typename F>
void with_number_type(atype t, F&& f) {
  switch (t) {
    case atype::i8:
      f(std::type_identity<std::int8_t>{});
      break;
    case atype::u8:
      f(std::type_identity<std::uint8_t>{});
      break;
    case atype::i16:
      f(std::type_identity<std::int16_t>{});
      break;
    case atype::u16:
      f(std::type_identity<std::uint16_t>{});
      break;
    case atype::i32:
      f(std::type_identity<std::int32_t>{});
      break;
    case atype::u32:
      f(std::type_identity<std::uint32_t>{});
      break;
    case atype::i64:
      f(std::type_identity<std::int64_t>{});
      break;
    case atype::u64:
      f(std::type_identity<std::uint64_t>{});
      break;
    case atype::f32:
      f(std::type_identity<float>{});
      break;
    case atype::f64:
      f(std::type_identity<double>{});
      break;
    default:
      throw std::logic_error("with_number_type: not a number type");
  }
}

// ---------------------------------------------------------------------------------------------------
// Buffers

inline bool bit(const std::uint8_t* bits, std::int64_t i) noexcept {
  return ((bits[i >> 3] >> (i & 7)) & 1) != 0;
}

// The validity bitmap to honour, or null when every value is valid.
const std::uint8_t* validity_of(const ArrowArray& a) {
  if (a.null_count == 0 || a.n_buffers < 1) return nullptr;
  return static_cast<const std::uint8_t*>(a.buffers[0]);
}

// True when any value in [off, off + len) is null.
bool any_null(const ArrowArray& a, std::int64_t off, std::int64_t len) {
  const std::uint8_t* v = validity_of(a);
  if (v == nullptr || len == 0) return false;
  std::int64_t i = off;
  const std::int64_t stop = off + len;
  for (; i < stop && (i & 7) != 0; ++i)
    if (!bit(v, i)) return true;
  for (; i + 8 <= stop; i += 8)
    if (v[i >> 3] != 0xFF) return true;
  for (; i < stop; ++i)
    if (!bit(v, i)) return true;
  return false;
}

// A window on an array: `off` already includes the array's own offset (and its parent's).
struct window {
  const ArrowArray* a;
  std::int64_t off;
  std::int64_t len;
};

// ---------------------------------------------------------------------------------------------------
// Strings and their dictionary

std::uint64_t mix64(std::uint64_t x) noexcept {  // the SplitMix64 / MurmurHash3 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::uint64_t hash_bytes(std::string_view s) noexcept {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = k ^ (s.size() * 0xff51afd7ed558ccdULL);
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ (w * k)) * 0xc2b2ae3d27d4eb4fULL;
    h ^= h >> 29;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ (w * k)) * 0xc2b2ae3d27d4eb4fULL;
  }
  return mix64(h);
}

// Label -> code, open addressing with linear probing. Slots hold codes; the label text lives in
// labels_ only, so no key points into a source chunk that is released after it has been read.
class string_dictionary {
 public:
  std::int32_t code(std::string_view s, const std::string& column_name) {
    const std::uint64_t h = hash_bytes(s);
    if ((labels_.size() + 1) * 2 > slots_.size()) grow(column_name);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::int32_t c = slots_[i];
      if (c < 0) {
        const auto fresh = static_cast<std::int32_t>(labels_.size());
        labels_.emplace_back(s);
        hashes_.push_back(h);
        slots_[i] = fresh;
        return fresh;
      }
      if (hashes_[static_cast<std::size_t>(c)] == h && labels_[static_cast<std::size_t>(c)] == s) return c;
    }
  }
  [[nodiscard]] std::size_t size() const noexcept { return labels_.size(); }
  [[nodiscard]] labels take() {
    auto out = std::make_shared<const std::vector<std::string>>(std::move(labels_));
    labels_.clear();
    hashes_.clear();
    slots_.clear();
    mask_ = 0;
    return out;
  }

 private:
  void grow(const std::string& column_name) {
    if (labels_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max() - 1))
      throw data_error("column '" + column_name +
                       "' has more than 2^31 - 2 distinct values; they cannot be coded");
    const std::size_t cap = std::max<std::size_t>(64, slots_.size() * 2);
    slots_.assign(cap, -1);
    mask_ = cap - 1;
    for (std::size_t c = 0; c < labels_.size(); ++c) {
      std::size_t i = hashes_[c] & mask_;
      while (slots_[i] >= 0) i = (i + 1) & mask_;
      slots_[i] = static_cast<std::int32_t>(c);
    }
  }

  std::vector<std::string> labels_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::int32_t> slots_;
  std::size_t mask_ = 0;
};

// Reads the strings of a utf8, large_utf8 or utf8_view array at absolute positions (offset applied).
class string_reader {
 public:
  string_reader(const ArrowArray& a, atype t, const std::string& column_name) : type_(t), name_(column_name) {
    if (t == atype::utf8_view) {
      if (a.n_buffers < 3) fail(a, "a string view array needs at least 3 buffers");
      views_ = static_cast<const std::uint8_t*>(a.buffers[1]);
      data_ = reinterpret_cast<const char* const*>(a.buffers + 2);
      n_data_ = a.n_buffers - 3;  // the last buffer holds the data buffers' sizes
    } else {
      if (a.n_buffers < 3) fail(a, "a string array needs 3 buffers");
      offsets_ = a.buffers[1];
      chars_ = static_cast<const char*>(a.buffers[2]);
    }
    if (a.length > 0 && (t == atype::utf8_view ? views_ == nullptr : offsets_ == nullptr))
      fail(a, "its offsets or views buffer is null");
  }

  [[nodiscard]] std::string_view at(std::int64_t k) const {
    switch (type_) {
      case atype::utf8: {
        const auto* o = static_cast<const std::int32_t*>(offsets_);
        return slice(o[k], o[k + 1]);
      }
      case atype::large_utf8: {
        const auto* o = static_cast<const std::int64_t*>(offsets_);
        return slice(o[k], o[k + 1]);
      }
      default: {
        // A 16-byte view: length, then either the string inline (<= 12 bytes) or a 4-byte prefix, the
        // data buffer's index and the offset in it.
        const std::uint8_t* v = views_ + 16 * k;
        std::int32_t len;
        std::memcpy(&len, v, 4);
        if (len < 0) throw data_error("column '" + name_ + "': a string view has a negative length");
        if (len <= 12) return {reinterpret_cast<const char*>(v + 4), static_cast<std::size_t>(len)};
        std::int32_t buf;
        std::int32_t off;
        std::memcpy(&buf, v + 8, 4);
        std::memcpy(&off, v + 12, 4);
        if (buf < 0 || buf >= n_data_ || off < 0 || data_[buf] == nullptr)
          throw data_error("column '" + name_ + "': a string view points to data buffer " +
                           std::to_string(buf) + " of " + std::to_string(n_data_));
        return {data_[buf] + off, static_cast<std::size_t>(len)};
      }
    }
  }

 private:
  [[noreturn]] void fail(const ArrowArray& a, const std::string& why) const {
    throw data_error("column '" + name_ + "': malformed Arrow string array (" + std::to_string(a.n_buffers) +
                     " buffers): " + why);
  }
  template <typename O>
  [[nodiscard]] std::string_view slice(O begin, O end) const {
    if (end < begin || begin < 0) throw data_error("column '" + name_ + "': string offsets decrease");
    if (end == begin) return {};
    if (chars_ == nullptr)
      throw data_error("column '" + name_ + "': Arrow string array without a data buffer");
    return {chars_ + begin, static_cast<std::size_t>(end - begin)};
  }

  atype type_;
  const std::string& name_;
  const void* offsets_ = nullptr;
  const char* chars_ = nullptr;
  const std::uint8_t* views_ = nullptr;
  const char* const* data_ = nullptr;
  std::int64_t n_data_ = 0;
};

std::string integer_label(std::int64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return {buf, p};
}
std::string integer_label(std::uint64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return {buf, p};
}

const char* kind_name(column_kind k) {
  switch (k) {
    case column_kind::id:
      return "an id";
    case column_kind::code:
      return "a label";
    case column_kind::time:
      return "a timestamp";
    case column_kind::value:
      return "a number";
    case column_kind::flag:
      return "a flag";
  }
  return "?";
}

const char* kind_expects(column_kind k) {
  switch (k) {
    case column_kind::id:
      return "integers, whole-number floats, strings or dictionary-encoded strings";
    case column_kind::code:
      return "strings, dictionary-encoded strings or integers";
    case column_kind::time:
      return "timestamps (tss:, tsm:, tsu:, tsn:), date32/date64, or integers with a declared unit";
    case column_kind::value:
      return "numbers, booleans, decimal128 or durations (tDs, tDm, tDu, tDn)";
    case column_kind::flag:
      return "booleans or 0/1 integers";
  }
  return "?";
}

// The data buffer (index 1) of a fixed-width array, at the window's start.
template <typename T>
const T* values_at(const window& w, const std::string& name) {
  if (w.a->n_buffers < 2)
    throw data_error("column '" + name + "': malformed Arrow array with " + std::to_string(w.a->n_buffers) +
                     " buffers; expected 2");
  const auto* p = static_cast<const T*>(w.a->buffers[1]);
  if (p == nullptr) throw data_error("column '" + name + "': Arrow array has no data buffer");
  return p + w.off;
}

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t nat = std::numeric_limits<std::int64_t>::min();

}  // namespace

// -----------------------------------------------------------------------------------------------------
// column_importer

struct column_importer::state {
  std::string name;
  column_kind kind;
  std::int64_t integer_ticks_per_second;
  std::int64_t rows = 0;
  bool finished = false;

  // A first chunk held to be borrowed: its data at the window's start, no nulls.
  struct held {
    format fmt;
    const void* data;
    std::int64_t length;
    std::shared_ptr<const void> keep_alive;
    std::vector<std::string> dictionary;  // code: the chunk's unique labels
  };
  std::optional<held> pending;

  // Converted values (used by the kinds that need them).
  std::vector<std::int64_t> i64;
  std::vector<double> f64;
  std::vector<std::uint8_t> u8;  // flags, or id missing marks
  std::vector<std::int32_t> i32;
  string_dictionary dict;
  enum class id_source : std::uint8_t { none, integers, strings } ids = id_source::none;
  std::int64_t ticks_per_second = 0;  // time: fixed by the first chunk

  [[noreturn]] void unsupported(const format& f) const {
    if (kind == column_kind::time && (is_integer(f.type) || is_float(f.type)))
      throw data_error("column '" + name + "' holds plain numbers (Arrow format '" + f.text +
                       "'), not timestamps; give their unit (time_unit='s', 'ms', 'us' or 'ns') or convert "
                       "the column to timestamps");
    throw data_error("column '" + name + "': Arrow format '" + f.text + "' is not supported for " +
                     kind_name(kind) + " column; expected " + kind_expects(kind));
  }

  [[nodiscard]] std::string at_row(std::int64_t i) const { return " at row " + std::to_string(rows + i); }

  // -- dispatch ---------------------------------------------------------------------------------------

  void append(const arrow_chunk& c) {
    if (finished) throw std::logic_error("column_importer: append after finish");
    if (c.schema == nullptr || c.array == nullptr)
      throw std::invalid_argument("column '" + name + "': arrow_chunk without schema or array");
    if (c.offset < 0 || c.length < 0)
      throw data_error("column '" + name + "': Arrow array has a negative offset or length");
    const format f = parse_format(*c.schema);
    check_supported(f);
    if (c.length == 0) return;
    const window w{c.array, c.offset, c.length};
    if (rows == 0 && !pending) {
      if (auto h = try_hold(f, w, c.keep_alive)) {
        pending = std::move(h);
        rows += c.length;
        return;
      }
    }
    release_pending();
    convert(f, w);
    rows += c.length;
  }

  void check_supported(const format& f) const {
    const atype t = f.type;
    if (t == atype::null) return;
    bool ok = false;
    switch (kind) {
      case column_kind::id:
        ok = is_integer(t) || is_float(t) || is_string(t) ||
             (t == atype::dictionary && is_integer(f.index) && (is_string(f.values) || is_integer(f.values)));
        break;
      case column_kind::code:
        ok = is_integer(t) || is_string(t) ||
             (t == atype::dictionary && is_integer(f.index) && (is_string(f.values) || is_integer(f.values)));
        break;
      case column_kind::time:
        ok = t == atype::timestamp || t == atype::date32 || t == atype::date64 ||
             (is_integer(t) && integer_ticks_per_second > 0);
        break;
      case column_kind::value:
        ok = is_integer(t) || is_float(t) || t == atype::boolean || t == atype::decimal128 ||
             t == atype::duration;
        break;
      case column_kind::flag:
        ok = is_integer(t) || is_float(t) || t == atype::boolean;
        break;
    }
    if (!ok) unsupported(f);
  }

  // A chunk that can be borrowed as it is, or nothing.
  std::optional<held> try_hold(const format& f, const window& w, const std::shared_ptr<const void>& keep) {
    if (f.type == atype::null || any_null(*w.a, w.off, w.len)) return std::nullopt;
    switch (kind) {
      case column_kind::id:
        if (f.type == atype::i64) return held{f, values_at<std::int64_t>(w, name), w.len, keep, {}};
        return std::nullopt;
      case column_kind::time:
        if (f.type == atype::timestamp || f.type == atype::date64 || f.type == atype::i64) {
          ticks_per_second = f.type == atype::i64 ? integer_ticks_per_second : f.ticks_per_second;
          return held{f, values_at<std::int64_t>(w, name), w.len, keep, {}};
        }
        return std::nullopt;
      case column_kind::value:
        if (f.type == atype::f64) return held{f, values_at<double>(w, name), w.len, keep, {}};
        return std::nullopt;
      case column_kind::flag:
        if (f.type == atype::u8 || f.type == atype::i8) {
          const auto* v = values_at<std::uint8_t>(w, name);
          for (std::int64_t i = 0; i < w.len; ++i)
            if (v[i] > 1) return std::nullopt;  // converting reports the bad value with its row
          return held{f, v, w.len, keep, {}};
        }
        return std::nullopt;
      case column_kind::code:
        return try_hold_dictionary(f, w, keep);
    }
    return std::nullopt;
  }

  // Dictionary indices can serve as codes when they are int32 (or uint32 below 2^31), all inside the
  // dictionary, and the dictionary's labels are unique and non-null.
  std::optional<held> try_hold_dictionary(const format& f, const window& w,
                                          const std::shared_ptr<const void>& keep) {
    if (f.type != atype::dictionary || !is_string(f.values) ||
        (f.index != atype::i32 && f.index != atype::u32))
      return std::nullopt;
    const ArrowArray* d = w.a->dictionary;
    if (d == nullptr)
      throw data_error("column '" + name + "': dictionary-encoded Arrow array without its dictionary");
    if (any_null(*d, d->offset, d->length)) return std::nullopt;
    const auto* idx = values_at<std::int32_t>(w, name);
    for (std::int64_t i = 0; i < w.len; ++i)
      if (idx[i] < 0 || idx[i] >= d->length) return std::nullopt;  // converting reports it with its row
    string_reader r(*d, f.values, name);
    string_dictionary seen;
    std::vector<std::string> dictionary;
    dictionary.reserve(static_cast<std::size_t>(d->length));
    for (std::int64_t j = 0; j < d->length; ++j) {
      const std::string_view s = r.at(d->offset + j);
      if (seen.code(s, name) != static_cast<std::int32_t>(dictionary.size())) return std::nullopt;
      dictionary.emplace_back(s);
    }
    return held{f, idx, w.len, keep, std::move(dictionary)};
  }

  // Converts the held chunk, if any, so that later chunks append after it.
  void release_pending() {
    if (!pending) return;
    held h = std::move(*pending);
    pending.reset();
    const std::int64_t n = h.length;
    switch (kind) {
      case column_kind::id: {
        const auto* v = static_cast<const std::int64_t*>(h.data);
        i64.insert(i64.end(), v, v + n);
        u8.resize(u8.size() + static_cast<std::size_t>(n), 0);
        ids = id_source::integers;
        break;
      }
      case column_kind::time: {
        const auto* v = static_cast<const std::int64_t*>(h.data);
        i64.insert(i64.end(), v, v + n);
        break;
      }
      case column_kind::value: {
        const auto* v = static_cast<const double*>(h.data);
        f64.insert(f64.end(), v, v + n);
        break;
      }
      case column_kind::flag: {
        const auto* v = static_cast<const std::uint8_t*>(h.data);
        u8.insert(u8.end(), v, v + n);
        break;
      }
      case column_kind::code: {
        std::vector<std::int32_t> remap(h.dictionary.size());
        for (std::size_t j = 0; j < h.dictionary.size(); ++j) remap[j] = dict.code(h.dictionary[j], name);
        const auto* idx = static_cast<const std::int32_t*>(h.data);
        reserve_more(i32, static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) i32.push_back(remap[static_cast<std::size_t>(idx[i])]);
        break;
      }
    }
  }

  void convert(const format& f, const window& w) {
    switch (kind) {
      case column_kind::id:
        convert_ids(f, w);
        break;
      case column_kind::code:
        convert_codes(f, w);
        break;
      case column_kind::time:
        convert_times(f, w);
        break;
      case column_kind::value:
        convert_values(f, w);
        break;
      case column_kind::flag:
        convert_flags(f, w);
        break;
    }
  }

  // -- ids --------------------------------------------------------------------------------------------

  void set_id_source(id_source s) {
    if (ids != id_source::none && ids != s)
      throw data_error("column '" + name +
                       "' mixes integer and string ids between chunks; cast it to one type");
    ids = s;
  }

  void push_id(std::int64_t v, bool valid) {
    i64.push_back(valid ? v : 0);
    u8.push_back(valid ? 0 : 1);
  }

  void convert_ids(const format& f, const window& w) {
    reserve_more(i64, static_cast<std::size_t>(w.len));
    reserve_more(u8, static_cast<std::size_t>(w.len));
    if (f.type == atype::null) {
      for (std::int64_t i = 0; i < w.len; ++i) push_id(0, false);
      return;
    }
    const std::uint8_t* valid = validity_of(*w.a);
    auto ok = [&](std::int64_t i) { return valid == nullptr || bit(valid, w.off + i); };
    if (is_integer(f.type) || is_float(f.type)) {
      set_id_source(id_source::integers);
      with_number_type(f.type, [&]<typename T>(std::type_identity<T>) {
        const T* v = values_at<T>(w, name);
        for (std::int64_t i = 0; i < w.len; ++i) {
          if (!ok(i)) {
            push_id(0, false);
            continue;
          }
          push_id(to_id(v[i], i), !is_nan(v[i]));
        }
      });
      return;
    }
    if (is_string(f.type)) {
      set_id_source(id_source::strings);
      string_reader r(*w.a, f.type, name);
      for (std::int64_t i = 0; i < w.len; ++i) push_id(ok(i) ? dict.code(r.at(w.off + i), name) : 0, ok(i));
      return;
    }
    // Dictionary-encoded: translate the dictionary once, then the indices.
    set_id_source(is_string(f.values) ? id_source::strings : id_source::integers);
    std::vector<std::int64_t> remap;
    std::vector<std::uint8_t> remap_ok;
    translate_dictionary(f, w, [&](std::int64_t j, bool valid_entry, std::int64_t id) {
      remap.push_back(id);
      remap_ok.push_back(valid_entry ? 1 : 0);
      (void)j;
    });
    for_each_index(f, w, [&](std::int64_t, std::int64_t k, bool valid_index) {
      const bool v = valid_index && remap_ok[static_cast<std::size_t>(k)] != 0;
      push_id(v ? remap[static_cast<std::size_t>(k)] : 0, v);
    });
  }

  template <typename T>
  static bool is_nan(T v) {
    if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
    return false;
  }

  template <typename T>
  std::int64_t to_id(T v, std::int64_t i) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v)) return 0;
      // 2^63 is exactly representable; every double below it in magnitude with no fraction fits.
      if (v != std::trunc(v) || v < -9.2233720368547758e18 || v >= 9.2233720368547758e18)
        throw data_error("column '" + name + "' holds " + std::to_string(v) + at_row(i) +
                         "; ids must be whole numbers (or strings)");
      return static_cast<std::int64_t>(v);
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
      if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw data_error("column '" + name + "' holds " + std::to_string(v) + at_row(i) +
                         "; unsigned ids above 2^63 - 1 are not supported (cast to string)");
      return static_cast<std::int64_t>(v);
    } else {
      return static_cast<std::int64_t>(v);
    }
  }

  // Calls f(j, valid, id_or_code) for each dictionary entry j: the entry's id (integer dictionaries,
  // for ids), or its code in `dict` (strings, and integers for the code kind).
  template <typename F>
  void translate_dictionary(const format& f, const window& w, F&& emit) {
    const ArrowArray* d = w.a->dictionary;
    if (d == nullptr)
      throw data_error("column '" + name + "': dictionary-encoded Arrow array without its dictionary");
    const std::uint8_t* dvalid = validity_of(*d);
    auto ok = [&](std::int64_t j) { return dvalid == nullptr || bit(dvalid, d->offset + j); };
    if (is_string(f.values)) {
      string_reader r(*d, f.values, name);
      for (std::int64_t j = 0; j < d->length; ++j)
        emit(j, ok(j), ok(j) ? dict.code(r.at(d->offset + j), name) : std::int64_t{-1});
      return;
    }
    const window dw{d, d->offset, d->length};
    with_number_type(f.values, [&]<typename T>(std::type_identity<T>) {
      const T* v = d->length > 0 ? values_at<T>(dw, name) : nullptr;
      for (std::int64_t j = 0; j < d->length; ++j) {
        if (!ok(j)) {
          emit(j, false, std::int64_t{-1});
        } else if (kind == column_kind::id) {
          emit(j, true, to_id(v[j], 0));
        } else {
          if constexpr (std::is_same_v<T, std::uint64_t>) {
            emit(j, true, dict.code(integer_label(v[j]), name));
          } else {
            emit(j, true, dict.code(integer_label(static_cast<std::int64_t>(v[j])), name));
          }
        }
      }
    });
  }

  // Calls f(i, k, valid) for each row i of a dictionary-encoded window, k its dictionary index (checked).
  template <typename F>
  void for_each_index(const format& f, const window& w, F&& each) {
    const std::uint8_t* valid = validity_of(*w.a);
    const std::int64_t dict_len = w.a->dictionary->length;
    with_number_type(f.index, [&]<typename T>(std::type_identity<T>) {
      const T* idx = values_at<T>(w, name);
      for (std::int64_t i = 0; i < w.len; ++i) {
        if (valid != nullptr && !bit(valid, w.off + i)) {
          each(i, std::int64_t{0}, false);
          continue;
        }
        const auto k = static_cast<std::int64_t>(idx[i]);
        if (k < 0 || k >= dict_len)  // an unsigned index above 2^63 wraps negative and is caught too
          throw data_error("column '" + name + "': dictionary index " + std::to_string(k) + at_row(i) +
                           " is outside its dictionary of " + std::to_string(dict_len) + " values");
        each(i, k, true);
      }
    });
  }

  // -- codes ------------------------------------------------------------------------------------------

  void convert_codes(const format& f, const window& w) {
    reserve_more(i32, static_cast<std::size_t>(w.len));
    if (f.type == atype::null) {
      i32.insert(i32.end(), static_cast<std::size_t>(w.len), -1);
      return;
    }
    const std::uint8_t* valid = validity_of(*w.a);
    auto ok = [&](std::int64_t i) { return valid == nullptr || bit(valid, w.off + i); };
    if (is_string(f.type)) {
      string_reader r(*w.a, f.type, name);
      for (std::int64_t i = 0; i < w.len; ++i) i32.push_back(ok(i) ? dict.code(r.at(w.off + i), name) : -1);
      return;
    }
    if (is_integer(f.type)) {
      with_number_type(f.type, [&]<typename T>(std::type_identity<T>) {
        const T* v = values_at<T>(w, name);
        for (std::int64_t i = 0; i < w.len; ++i) {
          if (!ok(i)) {
            i32.push_back(-1);
          } else if constexpr (std::is_same_v<T, std::uint64_t>) {
            i32.push_back(dict.code(integer_label(v[i]), name));
          } else {
            i32.push_back(dict.code(integer_label(static_cast<std::int64_t>(v[i])), name));
          }
        }
      });
      return;
    }
    std::vector<std::int32_t> remap;
    translate_dictionary(f, w, [&](std::int64_t, bool valid_entry, std::int64_t code) {
      remap.push_back(valid_entry ? static_cast<std::int32_t>(code) : -1);
    });
    for_each_index(f, w, [&](std::int64_t, std::int64_t k, bool valid_index) {
      i32.push_back(valid_index ? remap[static_cast<std::size_t>(k)] : -1);
    });
  }

  // -- times ------------------------------------------------------------------------------------------

  void set_ticks(std::int64_t tps) {
    if (ticks_per_second != 0 && ticks_per_second != tps)
      throw data_error("column '" + name + "' changes its time unit between chunks (" +
                       std::to_string(ticks_per_second) + " then " + std::to_string(tps) +
                       " ticks per second); cast it to one unit");
    ticks_per_second = tps;
  }

  void convert_times(const format& f, const window& w) {
    reserve_more(i64, static_cast<std::size_t>(w.len));
    if (f.type == atype::null) {  // all missing: leaves the unit to the other chunks
      i64.insert(i64.end(), static_cast<std::size_t>(w.len), nat);
      return;
    }
    const std::uint8_t* valid = validity_of(*w.a);
    auto ok = [&](std::int64_t i) { return valid == nullptr || bit(valid, w.off + i); };
    if (f.type == atype::date32) {
      set_ticks(1);
      const auto* v = values_at<std::int32_t>(w, name);
      for (std::int64_t i = 0; i < w.len; ++i) i64.push_back(ok(i) ? std::int64_t{v[i]} * 86400 : nat);
      return;
    }
    const atype storage = is_integer(f.type) ? f.type : atype::i64;  // timestamps and date64 are int64
    set_ticks(is_integer(f.type) ? integer_ticks_per_second : f.ticks_per_second);
    with_number_type(storage, [&]<typename T>(std::type_identity<T>) {
      const T* v = values_at<T>(w, name);
      for (std::int64_t i = 0; i < w.len; ++i) {
        if (!ok(i)) {
          i64.push_back(nat);
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          if (v[i] > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw data_error("column '" + name + "' holds " + std::to_string(v[i]) + at_row(i) +
                             ", beyond the int64 range of timestamps");
          i64.push_back(static_cast<std::int64_t>(v[i]));
        } else {
          i64.push_back(static_cast<std::int64_t>(v[i]));
        }
      }
    });
  }

  // -- values -----------------------------------------------------------------------------------------

  void convert_values(const format& f, const window& w) {
    reserve_more(f64, static_cast<std::size_t>(w.len));
    if (f.type == atype::null) {
      f64.insert(f64.end(), static_cast<std::size_t>(w.len), nan);
      return;
    }
    const std::uint8_t* valid = validity_of(*w.a);
    auto ok = [&](std::int64_t i) { return valid == nullptr || bit(valid, w.off + i); };
    switch (f.type) {
      case atype::boolean: {
        const auto* bits = values_at<std::uint8_t>(window{w.a, 0, w.len}, name);
        for (std::int64_t i = 0; i < w.len; ++i)
          f64.push_back(ok(i) ? (bit(bits, w.off + i) ? 1.0 : 0.0) : nan);
        return;
      }
      case atype::decimal128: {
        const auto* raw = values_at<std::uint8_t>(window{w.a, 0, w.len}, name) + 16 * w.off;
        const double scale = std::pow(10.0, f.decimal_scale);
        for (std::int64_t i = 0; i < w.len; ++i) {
          if (!ok(i)) {
            f64.push_back(nan);
            continue;
          }
          std::uint64_t lo;
          std::uint64_t hi;  // little-endian two's complement, low word first
          std::memcpy(&lo, raw + 16 * i, 8);
          std::memcpy(&hi, raw + 16 * i + 8, 8);
          const auto v = static_cast<int128>((static_cast<uint128>(hi) << 64) | lo);
          f64.push_back(static_cast<double>(v) / scale);
        }
        return;
      }
      case atype::duration: {
        const auto* v = values_at<std::int64_t>(w, name);
        const auto tps = static_cast<double>(f.ticks_per_second);
        for (std::int64_t i = 0; i < w.len; ++i)
          f64.push_back(ok(i) && v[i] != nat ? static_cast<double>(v[i]) / tps : nan);
        return;
      }
      default:
        with_number_type(f.type, [&]<typename T>(std::type_identity<T>) {
          const T* v = values_at<T>(w, name);
          for (std::int64_t i = 0; i < w.len; ++i) f64.push_back(ok(i) ? static_cast<double>(v[i]) : nan);
        });
    }
  }

  // -- flags ------------------------------------------------------------------------------------------

  void convert_flags(const format& f, const window& w) {
    reserve_more(u8, static_cast<std::size_t>(w.len));
    if (f.type == atype::null) {
      u8.insert(u8.end(), static_cast<std::size_t>(w.len), flag_column::missing);
      return;
    }
    const std::uint8_t* valid = validity_of(*w.a);
    auto ok = [&](std::int64_t i) { return valid == nullptr || bit(valid, w.off + i); };
    if (f.type == atype::boolean) {
      const auto* bits = values_at<std::uint8_t>(window{w.a, 0, w.len}, name);
      for (std::int64_t i = 0; i < w.len; ++i)
        u8.push_back(ok(i) ? static_cast<std::uint8_t>(bit(bits, w.off + i)) : flag_column::missing);
      return;
    }
    with_number_type(f.type, [&]<typename T>(std::type_identity<T>) {
      const T* v = values_at<T>(w, name);
      for (std::int64_t i = 0; i < w.len; ++i) {
        if (!ok(i) || is_nan(v[i])) {
          u8.push_back(flag_column::missing);
        } else if (v[i] == T{0} || v[i] == T{1}) {
          u8.push_back(v[i] == T{1} ? 1 : 0);
        } else {
          throw data_error("column '" + name + "' holds " + std::to_string(v[i]) + at_row(i) +
                           "; a flag must be 0, 1 or missing");
        }
      }
    });
  }

  // -- finishing --------------------------------------------------------------------------------------

  // Marks the importer finished and hands over the held chunk, if any, so that the importer itself
  // keeps nothing alive once the column is built.
  std::optional<held> finishing(column_kind want) {
    if (kind != want) throw std::logic_error("column_importer: finish called for another kind of column");
    if (finished) throw std::logic_error("column_importer: finished twice");
    finished = true;
    return std::exchange(pending, std::nullopt);
  }
};

column_importer::column_importer(std::string name, column_kind kind, std::int64_t integer_ticks_per_second)
    : state_(std::make_unique<state>()) {
  state_->name = std::move(name);
  state_->kind = kind;
  state_->integer_ticks_per_second = integer_ticks_per_second;
}
column_importer::~column_importer() = default;
column_importer::column_importer(column_importer&&) noexcept = default;
column_importer& column_importer::operator=(column_importer&&) noexcept = default;

void column_importer::append(const arrow_chunk& chunk) { state_->append(chunk); }
std::int64_t column_importer::size() const noexcept { return state_->rows; }
column_kind column_importer::kind() const noexcept { return state_->kind; }
const std::string& column_importer::name() const noexcept { return state_->name; }

id_column column_importer::finish_ids() {
  auto& s = *state_;
  auto held = s.finishing(column_kind::id);
  id_column out;
  if (held) {
    out.values = column<std::int64_t>::borrowed(
        {static_cast<const std::int64_t*>(held->data), static_cast<std::size_t>(held->length)},
        held->keep_alive);
    return out;
  }
  const bool any_missing = std::find(s.u8.begin(), s.u8.end(), 1) != s.u8.end();
  out.values = column<std::int64_t>::owning(std::move(s.i64));
  if (any_missing) out.missing = column<std::uint8_t>::owning(std::move(s.u8));
  if (s.ids == state::id_source::strings) out.labels = s.dict.take();
  return out;
}

coded_column column_importer::finish_codes() {
  auto& s = *state_;
  auto held = s.finishing(column_kind::code);
  coded_column out;
  if (held) {
    out.codes = column<std::int32_t>::borrowed(
        {static_cast<const std::int32_t*>(held->data), static_cast<std::size_t>(held->length)},
        held->keep_alive);
    out.labels = std::make_shared<const std::vector<std::string>>(std::move(held->dictionary));
    return out;
  }
  out.codes = column<std::int32_t>::owning(std::move(s.i32));
  out.labels = s.dict.take();
  return out;
}

time_column column_importer::finish_times() {
  auto& s = *state_;
  auto held = s.finishing(column_kind::time);
  time_column out;
  if (s.ticks_per_second > 0) out.ticks_per_second = s.ticks_per_second;
  if (held) {
    out.ticks = column<std::int64_t>::borrowed(
        {static_cast<const std::int64_t*>(held->data), static_cast<std::size_t>(held->length)},
        held->keep_alive);
    return out;
  }
  out.ticks = column<std::int64_t>::owning(std::move(s.i64));
  return out;
}

value_column column_importer::finish_values() {
  auto& s = *state_;
  auto held = s.finishing(column_kind::value);
  if (held)
    return value_column::borrowed(
        {static_cast<const double*>(held->data), static_cast<std::size_t>(held->length)}, held->keep_alive);
  return value_column::owning(std::move(s.f64));
}

flag_column column_importer::finish_flags() {
  auto& s = *state_;
  auto held = s.finishing(column_kind::flag);
  flag_column out;
  if (held) {
    out.values = column<std::uint8_t>::borrowed(
        {static_cast<const std::uint8_t*>(held->data), static_cast<std::size_t>(held->length)},
        held->keep_alive);
    return out;
  }
  out.values = column<std::uint8_t>::owning(std::move(s.u8));
  return out;
}

// -----------------------------------------------------------------------------------------------------
// Roles

namespace {
constexpr std::array<const char*, contact_role_count> role_names = {
    "customer", "start",    "end",       "contact_id",  "channel",  "reason", "queue",  "site",
    "agent",    "answered", "abandoned", "transferred", "resolved", "wait",   "handle", "talk",
    "hold",     "wrap",     "cost",      "csat",        "nps",      "ces",
};
}  // namespace

const char* to_string(contact_role role) noexcept { return role_names[static_cast<std::size_t>(role)]; }

std::optional<contact_role> parse_contact_role(std::string_view name) noexcept {
  for (std::size_t i = 0; i < role_names.size(); ++i)
    if (name == role_names[i]) return static_cast<contact_role>(i);
  return std::nullopt;
}

column_kind kind_of(contact_role role) noexcept {
  switch (role) {
    case contact_role::customer:
      return column_kind::id;
    case contact_role::start:
    case contact_role::end:
      return column_kind::time;
    case contact_role::contact_id:
    case contact_role::channel:
    case contact_role::reason:
    case contact_role::queue:
    case contact_role::site:
    case contact_role::agent:
      return column_kind::code;
    case contact_role::answered:
    case contact_role::abandoned:
    case contact_role::transferred:
    case contact_role::resolved:
      return column_kind::flag;
    default:
      return column_kind::value;
  }
}

// -----------------------------------------------------------------------------------------------------
// contact_columns_importer

contact_columns_importer::contact_columns_importer(std::int64_t integer_ticks_per_second)
    : roles_(contact_role_count), integer_ticks_per_second_(integer_ticks_per_second) {
  if (integer_ticks_per_second < 0)
    throw data_error("integer timestamps: ticks per second must be positive (or 0 to refuse integers)");
}

void contact_columns_importer::map(contact_role role, std::string source) {
  roles_[static_cast<std::size_t>(role)].emplace(std::move(source), kind_of(role), integer_ticks_per_second_);
}

void contact_columns_importer::append(contact_role role, const arrow_chunk& chunk) {
  auto& imp = roles_[static_cast<std::size_t>(role)];
  if (!imp) throw data_error(std::string("role '") + to_string(role) + "' was not mapped to a column");
  imp->append(chunk);
}

namespace {

[[noreturn]] void stream_failed(ArrowArrayStream& stream, int rc, const char* what) {
  const char* detail = stream.get_last_error != nullptr ? stream.get_last_error(&stream) : nullptr;
  throw data_error(std::string("Arrow stream: ") + what + " failed (error " + std::to_string(rc) + ")" +
                   (detail != nullptr ? std::string(": ") + detail : std::string()));
}

std::vector<std::string> field_names(const ArrowSchema& schema) {
  if (schema.format == nullptr || std::string_view(schema.format) != "+s")
    throw data_error(
        std::string("Arrow stream: expected record batches (a struct schema, format '+s'), got '") +
        (schema.format != nullptr ? schema.format : "") + "'");
  std::vector<std::string> names;
  for (std::int64_t i = 0; i < schema.n_children; ++i) {
    const ArrowSchema* child = schema.children[i];
    names.emplace_back(child != nullptr && child->name != nullptr ? child->name : "");
  }
  return names;
}

}  // namespace

std::vector<std::string> arrow_stream_column_names(ArrowArrayStream& stream) {
  if (stream.release == nullptr) throw data_error("Arrow stream: already released (consumed)");
  ArrowSchema raw{};
  if (const int rc = stream.get_schema(&stream, &raw); rc != 0) stream_failed(stream, rc, "get_schema");
  const arrow_schema_owner schema(&raw);
  return field_names(schema.get());
}

void contact_columns_importer::read_stream(ArrowArrayStream& stream) {
  if (stream.release == nullptr) throw data_error("Arrow stream: already released (consumed)");
  ArrowSchema raw_schema{};
  if (const int rc = stream.get_schema(&stream, &raw_schema); rc != 0)
    stream_failed(stream, rc, "get_schema");
  const arrow_schema_owner schema(&raw_schema);
  const std::vector<std::string> names = field_names(schema.get());

  // Which child feeds which role (a child may feed several, e.g. start and end from one column).
  std::vector<std::pair<contact_role, std::size_t>> feeds;
  for (std::size_t r = 0; r < roles_.size(); ++r) {
    if (!roles_[r]) continue;
    const auto it = std::find(names.begin(), names.end(), roles_[r]->name());
    if (it == names.end()) {
      std::string available;
      for (const auto& n : names) available += (available.empty() ? "'" : ", '") + n + "'";
      throw data_error("column '" + roles_[r]->name() + "' (mapped to " +
                       to_string(static_cast<contact_role>(r)) + ") is not in the data; its columns are " +
                       available);
    }
    feeds.emplace_back(static_cast<contact_role>(r), static_cast<std::size_t>(it - names.begin()));
  }

  for (;;) {
    ArrowArray raw{};
    if (const int rc = stream.get_next(&stream, &raw); rc != 0) stream_failed(stream, rc, "get_next");
    if (raw.release == nullptr) break;  // end of stream
    auto batch = std::make_shared<const arrow_array_owner>(&raw);
    const ArrowArray& b = batch->get();
    if (b.n_children != schema.get().n_children)
      throw data_error("Arrow stream: a record batch has " + std::to_string(b.n_children) +
                       " columns, its schema " + std::to_string(schema.get().n_children));
    if (any_null(b, b.offset, b.length))
      throw data_error("Arrow stream: a record batch has null rows (struct-level nulls); drop them first");
    for (const auto& [role, child] : feeds) {
      const ArrowArray* a = b.children[child];
      if (a == nullptr)
        throw data_error("column '" + names[child] + "': Arrow record batch without this child");
      if (a->length < b.offset + b.length)
        throw data_error("column '" + names[child] + "': Arrow child array is shorter than its record batch");
      append(role, arrow_chunk{schema.get().children[child], a, a->offset + b.offset, b.length, batch});
    }
  }
}

contact_columns contact_columns_importer::finish() && {
  auto take = [&](contact_role r) -> std::optional<column_importer>& {
    return roles_[static_cast<std::size_t>(r)];
  };
  for (contact_role required : {contact_role::customer, contact_role::start})
    if (!take(required))
      throw data_error(std::string("the '") + to_string(required) + "' role is required: map it to a column");
  contact_columns c;
  auto ids = take(contact_role::customer)->finish_ids();
  c.customer = std::move(ids.values);
  c.customer_labels = std::move(ids.labels);
  c.customer_missing = std::move(ids.missing);
  auto time = [&](contact_role r, time_column& out) {
    if (take(r)) out = take(r)->finish_times();
  };
  auto code = [&](contact_role r, coded_column& out) {
    if (take(r)) out = take(r)->finish_codes();
  };
  auto flag = [&](contact_role r, flag_column& out) {
    if (take(r)) out = take(r)->finish_flags();
  };
  auto value = [&](contact_role r, value_column& out) {
    if (take(r)) out = take(r)->finish_values();
  };
  time(contact_role::start, c.start);
  time(contact_role::end, c.end);
  code(contact_role::contact_id, c.contact_id);
  code(contact_role::channel, c.channel);
  code(contact_role::reason, c.reason);
  code(contact_role::queue, c.queue);
  code(contact_role::site, c.site);
  code(contact_role::agent, c.agent);
  flag(contact_role::answered, c.answered);
  flag(contact_role::abandoned, c.abandoned);
  flag(contact_role::transferred, c.transferred);
  flag(contact_role::resolved, c.resolved);
  value(contact_role::wait, c.wait_s);
  value(contact_role::handle, c.handle_s);
  value(contact_role::talk, c.talk_s);
  value(contact_role::hold, c.hold_s);
  value(contact_role::wrap, c.wrap_s);
  value(contact_role::cost, c.cost);
  value(contact_role::csat, c.csat);
  value(contact_role::nps, c.nps);
  value(contact_role::ces, c.ces);
  for (auto& r : roles_) r.reset();
  return c;
}

}  // namespace missionkit::data
