// The contact log (_core.ContactLogCore). Translation only: Arrow PyCapsules and numpy arrays become
// Arrow C structs for missionkit::data::contact_columns_importer, results become numpy arrays. The
// Pythonic API (column mapping, data-frame detection, the quarantine table) is
// python/missionkit/contact_log.py.
//
// Every input is checked here before C++ reads it (capsule names, numpy dtype, dimensions, strides,
// byte order), so no malformed input can reach the importer: what Python passes either imports or
// raises ValueError / DataError naming the column.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "bindings.hpp"
#include "missionkit/core/arrow_c.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/data/arrow_import.hpp"
#include "missionkit/data/contact_log.hpp"

namespace py = pybind11;
namespace md = missionkit::data;

namespace missionkit::python {
namespace {

// ---- Arrow PyCapsules (https://arrow.apache.org/docs/format/CDataInterface/PyCapsuleInterface.html) ----

template <typename T>
T* capsule_pointer(const py::handle& obj, const char* name, const std::string& column) {
  if (!PyCapsule_CheckExact(obj.ptr()) || !PyCapsule_IsValid(obj.ptr(), name))
    throw py::value_error("column '" + column + "': expected a PyCapsule named '" + name + "'");
  auto* p = static_cast<T*>(PyCapsule_GetPointer(obj.ptr(), name));
  if (p == nullptr || p->release == nullptr)
    throw py::value_error("column '" + column + "': the '" + name + "' capsule was already consumed");
  return p;
}

// ---- numpy arrays exported as Arrow arrays -----------------------------------------------------------
//
// A numpy buffer is handed to the importer as an Arrow array whose release drops the reference to the
// numpy array, so the same zero-copy rules apply to both. The release may run on a thread without the
// GIL (the importer lets go of converted chunks while the GIL is released), hence the acquire.

struct numpy_array_data {
  py::object array;                   // keeps the numpy buffer alive
  std::vector<std::uint8_t> bitmap;   // validity, for codes with -1
  std::vector<std::int32_t> offsets;  // dictionary strings
  std::string chars;
  const void* buffers[3] = {nullptr, nullptr, nullptr};
  ArrowArray dictionary{};
  ArrowArray* dictionary_ptr = nullptr;
};

void release_numpy_array(ArrowArray* a) {
  {
    py::gil_scoped_acquire gil;
    delete static_cast<numpy_array_data*>(a->private_data);
  }
  a->release = nullptr;
}

struct schema_data {
  std::string format;
  std::string name;
  std::string dictionary_format;
  ArrowSchema dictionary{};
};

void release_schema(ArrowSchema* s) {
  delete static_cast<schema_data*>(s->private_data);
  s->release = nullptr;
}

std::shared_ptr<md::arrow_schema_owner> make_schema(std::string format, const std::string& name,
                                                    const char* dictionary_format = nullptr) {
  auto* d = new schema_data{std::move(format), name, dictionary_format ? dictionary_format : "", {}};
  ArrowSchema s{};
  s.format = d->format.c_str();
  s.name = d->name.c_str();
  s.flags = ARROW_FLAG_NULLABLE;
  s.private_data = d;
  s.release = release_schema;
  if (dictionary_format != nullptr) {
    d->dictionary.format = d->dictionary_format.c_str();
    d->dictionary.name = "";
    d->dictionary.release = [](ArrowSchema* x) { x->release = nullptr; };  // owned by the parent
    s.dictionary = &d->dictionary;
  }
  return std::make_shared<md::arrow_schema_owner>(&s);
}

std::string datetime_unit(const py::dtype& dt) {
  auto info = py::module_::import("numpy").attr("datetime_data")(dt).cast<std::pair<std::string, int>>();
  return info.second == 1 ? info.first : "";
}

// The Arrow format of a numpy dtype, or an error naming the column and what to do.
std::string arrow_format(const py::array& a, const std::string& column) {
  const py::dtype dt = a.dtype();
  const char kind = dt.kind();
  const auto size = dt.itemsize();
  if (!dt.attr("isnative").cast<bool>())
    throw py::value_error("column '" + column +
                          "': numpy array is not in native byte order; use "
                          "arr.astype(arr.dtype.newbyteorder('='))");
  auto sized = [&](const char* by_size) -> std::string {  // 1, 2, 4, 8 bytes
    const int k = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : size == 8 ? 3 : -1;
    if (k < 0) return "";
    return std::string(1, by_size[k]);
  };
  std::string f;
  if (kind == 'b') f = "C";  // numpy bools are bytes holding 0 or 1
  if (kind == 'i') f = sized("csil");
  if (kind == 'u') f = sized("CSIL");
  if (kind == 'f' && size == 4) f = "f";
  if (kind == 'f' && size == 8) f = "g";
  if (kind == 'M' || kind == 'm') {
    const std::string unit = datetime_unit(dt);
    const char* u = unit == "s"    ? "s"
                    : unit == "ms" ? "m"
                    : unit == "us" ? "u"
                    : unit == "ns" ? "n"
                                   : nullptr;
    if (u == nullptr)
      throw py::value_error("column '" + column + "': numpy " + py::str(dt).cast<std::string>() +
                            " is not supported; convert it to a unit of s, ms, us or ns");
    f = (kind == 'M' ? std::string("ts") + u + ":" : std::string("tD") + u);
  }
  if (f.empty())
    throw py::value_error("column '" + column + "': numpy dtype " + py::str(dt).cast<std::string>() +
                          " is not supported; expected integers, floats, bools, datetime64 or timedelta64 "
                          "(strings are encoded by missionkit.ContactLog)");
  return f;
}

struct imported_array {
  std::shared_ptr<md::arrow_schema_owner> schema;
  std::shared_ptr<md::arrow_array_owner> array;
};

imported_array from_numpy(const py::array& a, const std::string& column) {
  if (a.ndim() != 1)
    throw py::value_error("column '" + column + "': expected a 1-D array, got " + std::to_string(a.ndim()) +
                          " dimensions");
  if (a.size() > 1 && a.strides(0) != a.itemsize())
    throw py::value_error("column '" + column + "': numpy array is not contiguous (stride " +
                          std::to_string(a.strides(0)) + " bytes, item " + std::to_string(a.itemsize()) +
                          "); pass np.ascontiguousarray(...)");
  auto schema = make_schema(arrow_format(a, column), column);
  auto d = std::make_unique<numpy_array_data>();
  d->array = a;
  d->buffers[1] = a.data();
  ArrowArray arr{};
  arr.length = a.size();
  arr.n_buffers = 2;
  arr.buffers = d->buffers;
  arr.private_data = d.release();
  arr.release = release_numpy_array;
  return {std::move(schema), std::make_shared<md::arrow_array_owner>(&arr)};
}

// Strings encoded in Python (np.unique on a numpy string/object array): int32 codes, -1 for missing,
// and their labels, as an Arrow dictionary array. The codes are viewed; a validity bitmap is built only
// when there are missing values.
imported_array from_codes(const py::array& codes, const std::vector<std::string>& labels,
                          const std::string& column) {
  if (codes.ndim() != 1 || !py::isinstance<py::array_t<std::int32_t>>(codes) ||
      (codes.size() > 1 && codes.strides(0) != 4))
    throw py::value_error("column '" + column + "': string codes must be a contiguous 1-D int32 array");
  auto d = std::make_unique<numpy_array_data>();
  d->array = codes;
  const auto* c = static_cast<const std::int32_t*>(codes.data());
  const auto n = codes.size();
  std::int64_t nulls = 0;
  for (py::ssize_t i = 0; i < n; ++i) {
    if (c[i] < -1 || c[i] >= static_cast<std::int64_t>(labels.size()))
      throw py::value_error("column '" + column + "': code " + std::to_string(c[i]) + " at row " +
                            std::to_string(i) + " is outside its " + std::to_string(labels.size()) +
                            " labels");
    nulls += c[i] < 0;
  }
  if (nulls > 0) {
    d->bitmap.assign(static_cast<std::size_t>((n + 7) / 8), 0);
    for (py::ssize_t i = 0; i < n; ++i)
      if (c[i] >= 0) d->bitmap[static_cast<std::size_t>(i / 8)] |= static_cast<std::uint8_t>(1u << (i % 8));
    d->buffers[0] = d->bitmap.data();
  }
  d->buffers[1] = c;
  d->offsets.push_back(0);
  for (const auto& s : labels) {
    d->chars += s;
    if (d->chars.size() > static_cast<std::size_t>(INT32_MAX))
      throw py::value_error("column '" + column + "': labels longer than 2 GiB in total");
    d->offsets.push_back(static_cast<std::int32_t>(d->chars.size()));
  }
  d->dictionary.length = static_cast<std::int64_t>(labels.size());
  d->dictionary.n_buffers = 3;
  auto* dict_buffers = new const void* [3] { nullptr, d->offsets.data(), d->chars.data() };
  d->dictionary.buffers = dict_buffers;
  d->dictionary.private_data = dict_buffers;
  d->dictionary.release = [](ArrowArray* x) {  // owned by the parent: frees only its buffer table
    delete[] static_cast<const void**>(x->private_data);
    x->release = nullptr;
  };
  ArrowArray arr{};
  arr.length = n;
  arr.null_count = nulls;
  arr.n_buffers = 2;
  arr.buffers = d->buffers;
  arr.dictionary = &d->dictionary;
  auto schema = make_schema("i", column, "u");
  arr.private_data = d.release();
  arr.release = [](ArrowArray* a) {
    auto* data = static_cast<numpy_array_data*>(a->private_data);
    data->dictionary.release(&data->dictionary);
    release_numpy_array(a);
  };
  return {std::move(schema), std::make_shared<md::arrow_array_owner>(&arr)};
}

// ---- one role's input ----------------------------------------------------------------------------------

struct stream_input {
  std::shared_ptr<md::arrow_stream_owner> stream;
};
using role_input = std::variant<imported_array, stream_input>;

role_input take_input(const py::handle& value, const std::string& column) {
  if (py::isinstance<py::array>(value)) return from_numpy(py::reinterpret_borrow<py::array>(value), column);
  if (PyCapsule_CheckExact(value.ptr())) {
    auto* s = capsule_pointer<ArrowArrayStream>(value, "arrow_array_stream", column);
    return stream_input{std::make_shared<md::arrow_stream_owner>(s)};
  }
  if (py::isinstance<py::tuple>(value) && py::len(value) == 2) {
    auto t = py::reinterpret_borrow<py::tuple>(value);
    if (PyCapsule_CheckExact(t[0].ptr())) {
      // Take the schema first: if the array capsule is bad, the schema owner releases what it took.
      auto schema = std::make_shared<md::arrow_schema_owner>(
          capsule_pointer<ArrowSchema>(t[0], "arrow_schema", column));
      auto* array = capsule_pointer<ArrowArray>(t[1], "arrow_array", column);
      return imported_array{std::move(schema), std::make_shared<md::arrow_array_owner>(array)};
    }
    if (py::isinstance<py::array>(t[0]))
      return from_codes(py::reinterpret_borrow<py::array>(t[0]), t[1].cast<std::vector<std::string>>(),
                        column);
  }
  throw py::value_error("column '" + column +
                        "': expected an Arrow stream capsule, a (schema, array) capsule pair, a numpy array "
                        "or (int32 codes, labels); got " +
                        py::repr(py::type::handle_of(value)).cast<std::string>());
}

md::contact_role role_of(const std::string& name) {
  auto r = md::parse_contact_role(name);
  if (!r) throw py::value_error("unknown contact log role '" + name + "'");
  return *r;
}

std::int64_t ticks_of_unit(const std::optional<std::string>& unit) {
  if (!unit) return 0;
  if (*unit == "s") return 1;
  if (*unit == "ms") return 1'000;
  if (*unit == "us") return 1'000'000;
  if (*unit == "ns") return 1'000'000'000;
  throw py::value_error("time_unit must be 's', 'ms', 'us' or 'ns', got '" + *unit + "'");
}

void read_stream_role(md::contact_columns_importer& imp, md::contact_role role,
                      md::arrow_stream_owner& owner) {
  ArrowArrayStream& s = owner.get();
  ArrowSchema raw{};
  if (const int rc = s.get_schema(&s, &raw); rc != 0) {
    const char* why = s.get_last_error ? s.get_last_error(&s) : nullptr;
    throw data_error(std::string("column '") + md::to_string(role) + "': Arrow stream get_schema failed" +
                     (why ? std::string(": ") + why : std::string()));
  }
  const md::arrow_schema_owner schema(&raw);
  for (;;) {
    ArrowArray next{};
    if (const int rc = s.get_next(&s, &next); rc != 0) {
      const char* why = s.get_last_error ? s.get_last_error(&s) : nullptr;
      throw data_error(std::string("column '") + md::to_string(role) + "': Arrow stream get_next failed" +
                       (why ? std::string(": ") + why : std::string()));
    }
    if (next.release == nullptr) break;
    auto chunk = std::make_shared<const md::arrow_array_owner>(&next);
    imp.append(role, md::arrow_chunk::whole(schema.get(), chunk->get(), chunk));
  }
}

using log_ptr = std::shared_ptr<md::contact_log>;

log_ptr from_columns(const py::dict& columns, const py::dict& names, const md::validation_rules& rules,
                     const std::optional<std::string>& time_unit) {
  md::contact_columns_importer imp(ticks_of_unit(time_unit));
  std::vector<std::pair<md::contact_role, role_input>> inputs;
  for (auto [key, value] : columns) {
    const auto role_name = key.cast<std::string>();
    const auto role = role_of(role_name);
    const std::string column = names.contains(key) ? names[key].cast<std::string>() : role_name;
    imp.map(role, column);
    inputs.emplace_back(role, take_input(value, column));
  }
  // Safe without the GIL: the importer reads only the Arrow buffers taken above (numpy arrays are held
  // by their export, and their release re-acquires the GIL), and producers' stream callbacks take the
  // GIL themselves when they need Python (pyarrow does).
  py::gil_scoped_release nogil;
  for (auto& [role, input] : inputs) {
    if (auto* a = std::get_if<imported_array>(&input)) {
      imp.append(role, md::arrow_chunk::whole(a->schema->get(), a->array->get(), a->array));
    } else {
      read_stream_role(imp, role, *std::get<stream_input>(input).stream);
    }
  }
  inputs.clear();
  return std::make_shared<md::contact_log>(std::move(imp).finish(), rules);
}

log_ptr from_stream(const py::handle& capsule, const py::dict& fields, const md::validation_rules& rules,
                    const std::optional<std::string>& time_unit) {
  auto* raw = capsule_pointer<ArrowArrayStream>(capsule, "arrow_array_stream", "<stream>");
  md::contact_columns_importer imp(ticks_of_unit(time_unit));
  for (auto [key, value] : fields) imp.map(role_of(key.cast<std::string>()), value.cast<std::string>());
  md::arrow_stream_owner stream(raw);
  py::gil_scoped_release nogil;  // as in from_columns: only Arrow memory is read; producers take the GIL
  imp.read_stream(stream.get());
  return std::make_shared<md::contact_log>(std::move(imp).finish(), rules);
}

// ---- results ------------------------------------------------------------------------------------------

// A read-only numpy view of a column, kept alive by the log (`base`).
template <typename T>
py::array view(const md::column<T>& c, const py::object& base) {
  py::array a(py::dtype::of<T>(), {static_cast<py::ssize_t>(c.size())}, {static_cast<py::ssize_t>(sizeof(T))},
              c.data(), base);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

const char* unit_name(std::int64_t tps) {
  switch (tps) {
    case 1:
      return "s";
    case 1'000:
      return "ms";
    case 1'000'000:
      return "us";
    case 1'000'000'000:
      return "ns";
    default:
      return nullptr;
  }
}

struct role_view {
  md::column_kind kind;
  const md::column<std::int64_t>* i64 = nullptr;  // ids, times
  const md::column<std::uint8_t>* missing = nullptr;
  const md::labels* labels = nullptr;
  const md::column<std::int32_t>* codes = nullptr;
  const md::column<std::uint8_t>* flags = nullptr;
  const md::value_column* values = nullptr;
  std::int64_t ticks_per_second = 0;
  [[nodiscard]] std::size_t size() const {
    if (i64) return i64->size();
    if (codes) return codes->size();
    if (flags) return flags->size();
    return values->size();
  }
  [[nodiscard]] bool borrowed() const {
    if (i64) return i64->is_borrowed();
    if (codes) return codes->is_borrowed();
    if (flags) return flags->is_borrowed();
    return values->is_borrowed();
  }
  [[nodiscard]] const void* data() const {
    if (i64) return i64->data();
    if (codes) return codes->data();
    if (flags) return flags->data();
    return values->data();
  }
};

role_view view_of(const md::contact_log& log, const std::string& name) {
  const auto role = role_of(name);
  const auto& c = log.columns();
  role_view v{md::kind_of(role)};
  auto time = [&](const md::time_column& t) {
    v.i64 = &t.ticks;
    v.ticks_per_second = t.ticks_per_second;
  };
  switch (role) {
    case md::contact_role::customer:
      v.i64 = &c.customer;
      v.missing = &c.customer_missing;
      v.labels = &c.customer_labels;
      break;
    case md::contact_role::start:
      time(c.start);
      break;
    case md::contact_role::end:
      time(c.end);
      break;
    case md::contact_role::contact_id:
      v.codes = &c.contact_id.codes, v.labels = &c.contact_id.labels;
      break;
    case md::contact_role::channel:
      v.codes = &c.channel.codes, v.labels = &c.channel.labels;
      break;
    case md::contact_role::reason:
      v.codes = &c.reason.codes, v.labels = &c.reason.labels;
      break;
    case md::contact_role::queue:
      v.codes = &c.queue.codes, v.labels = &c.queue.labels;
      break;
    case md::contact_role::site:
      v.codes = &c.site.codes, v.labels = &c.site.labels;
      break;
    case md::contact_role::agent:
      v.codes = &c.agent.codes, v.labels = &c.agent.labels;
      break;
    case md::contact_role::answered:
      v.flags = &c.answered.values;
      break;
    case md::contact_role::abandoned:
      v.flags = &c.abandoned.values;
      break;
    case md::contact_role::transferred:
      v.flags = &c.transferred.values;
      break;
    case md::contact_role::resolved:
      v.flags = &c.resolved.values;
      break;
    case md::contact_role::wait:
      v.values = &c.wait_s;
      break;
    case md::contact_role::handle:
      v.values = &c.handle_s;
      break;
    case md::contact_role::talk:
      v.values = &c.talk_s;
      break;
    case md::contact_role::hold:
      v.values = &c.hold_s;
      break;
    case md::contact_role::wrap:
      v.values = &c.wrap_s;
      break;
    case md::contact_role::cost:
      v.values = &c.cost;
      break;
    case md::contact_role::csat:
      v.values = &c.csat;
      break;
    case md::contact_role::nps:
      v.values = &c.nps;
      break;
    case md::contact_role::ces:
      v.values = &c.ces;
      break;
  }
  return v;
}

// The rows of a gather, each checked to lie in the column (an index error naming the row otherwise).
py::detail::unchecked_reference<std::uint64_t, 1> checked_rows(const py::array_t<std::uint64_t>& rows_in,
                                                               std::size_t size, const std::string& name) {
  const auto rows = rows_in.unchecked<1>();
  for (py::ssize_t i = 0; i < rows.shape(0); ++i)
    if (rows(i) >= size)
      throw py::index_error("row " + std::to_string(rows(i)) + " is outside column '" + name + "' of " +
                            std::to_string(size) + " rows");
  return rows;
}

// The dictionary codes of a string role at `rows` (-1: missing) and its labels (code -> text), so that
// callers group millions of rows by integer instead of by string.
py::tuple gather_codes(const md::contact_log& log, const std::string& name,
                       const py::array_t<std::uint64_t>& rows_in) {
  const role_view v = view_of(log, name);
  if (v.labels == nullptr || *v.labels == nullptr || v.codes == nullptr)
    throw data_error("gather_codes: '" + name + "' is not a mapped string column");
  const auto rows = checked_rows(rows_in, v.size(), name);
  const auto n = rows.shape(0);
  py::array_t<std::int64_t> codes(n);
  auto o = codes.mutable_unchecked<1>();
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < n; ++i) {
      const auto r = rows(i);
      const bool missing = v.missing && !v.missing->empty() && (*v.missing)[r];
      o(i) = missing ? -1 : static_cast<std::int64_t>((*v.codes)[r]);
    }
  }
  py::list labels;
  for (const auto& label : **v.labels) labels.append(py::str(label));
  return py::make_tuple(codes, labels);
}

// The values of `role` at `rows` (positions in the input), and a mask of the missing ones. Strings come
// back as a list of str / None; times as datetime64 in the column's unit; flags as uint8 (2 = missing).
py::tuple gather(const md::contact_log& log, const std::string& name,
                 const py::array_t<std::uint64_t>& rows_in) {
  const role_view v = view_of(log, name);
  const auto rows = checked_rows(rows_in, v.size(), name);
  const auto n = rows.shape(0);
  py::array_t<bool> missing(n);
  auto miss = missing.mutable_unchecked<1>();
  const bool strings = v.labels != nullptr && *v.labels != nullptr;
  if (strings) {
    py::list out(n);
    for (py::ssize_t i = 0; i < n; ++i) {
      const auto r = rows(i);
      std::int64_t code = v.codes ? (*v.codes)[r] : (*v.i64)[r];
      if (v.missing && !v.missing->empty() && (*v.missing)[r]) code = -1;
      miss(i) = code < 0;
      out[static_cast<std::size_t>(i)] =
          code < 0 ? py::object(py::none())
                   : py::object(py::str((**v.labels)[static_cast<std::size_t>(code)]));
    }
    return py::make_tuple(out, missing);
  }
  if (v.i64 != nullptr) {
    py::array_t<std::int64_t> out(n);
    auto o = out.mutable_unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      const auto r = rows(i);
      o(i) = (*v.i64)[r];
      miss(i) = v.kind == md::column_kind::time ? o(i) == md::time_column::missing
                                                : (v.missing && !v.missing->empty() && (*v.missing)[r] != 0);
    }
    if (v.kind == md::column_kind::time) {
      const char* unit = unit_name(v.ticks_per_second);
      if (unit == nullptr) return py::make_tuple(out, missing);
      return py::make_tuple(out.attr("view")(std::string("datetime64[") + unit + "]"), missing);
    }
    return py::make_tuple(out, missing);
  }
  if (v.codes != nullptr) {  // codes without labels: every value missing
    py::list out(n);
    for (py::ssize_t i = 0; i < n; ++i) {
      out[static_cast<std::size_t>(i)] = py::none();
      miss(i) = true;
    }
    return py::make_tuple(out, missing);
  }
  if (v.flags != nullptr) {
    py::array_t<std::uint8_t> out(n);
    auto o = out.mutable_unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      o(i) = (*v.flags)[rows(i)];
      miss(i) = o(i) == md::flag_column::missing;
    }
    return py::make_tuple(out, missing);
  }
  py::array_t<double> out(n);
  auto o = out.mutable_unchecked<1>();
  for (py::ssize_t i = 0; i < n; ++i) {
    o(i) = (*v.values)[rows(i)];
    miss(i) = o(i) != o(i);
  }
  return py::make_tuple(out, missing);
}

}  // namespace

void bind_data(py::module_& m) {
  std::vector<std::string> reasons;
  for (int r = 0; r < md::quarantine_reason_count; ++r)
    reasons.emplace_back(md::to_string(static_cast<md::quarantine_reason>(r)));
  m.attr("QUARANTINE_REASONS") = py::tuple(py::cast(reasons));
  std::vector<std::string> roles;
  for (int r = 0; r < md::contact_role_count; ++r)
    roles.emplace_back(md::to_string(static_cast<md::contact_role>(r)));
  m.attr("CONTACT_ROLES") = py::tuple(py::cast(roles));

  py::class_<md::validation_rules>(m, "ValidationRules", "What makes a contact log row acceptable.")
      .def(py::init<>())
      .def_readwrite("min_time_s", &md::validation_rules::min_time_s)
      .def_readwrite("max_time_s", &md::validation_rules::max_time_s)
      .def_readwrite("channels", &md::validation_rules::channels)
      .def_readwrite("csat_min", &md::validation_rules::csat_min)
      .def_readwrite("csat_max", &md::validation_rules::csat_max)
      .def_readwrite("nps_min", &md::validation_rules::nps_min)
      .def_readwrite("nps_max", &md::validation_rules::nps_max)
      .def_readwrite("ces_min", &md::validation_rules::ces_min)
      .def_readwrite("ces_max", &md::validation_rules::ces_max);

  m.def(
      "arrow_stream_names",
      [](const py::handle& capsule) {
        auto* s = capsule_pointer<ArrowArrayStream>(capsule, "arrow_array_stream", "<stream>");
        return md::arrow_stream_column_names(*s);
      },
      py::arg("stream"),
      "Column names of an Arrow stream capsule, read from its schema without consuming it.");

  py::class_<md::contact_log, log_ptr>(m, "ContactLogCore",
                                       "A validated contact log (C++). Build it with missionkit.ContactLog.")
      .def_static("from_columns", &from_columns, py::arg("columns"), py::arg("names"), py::arg("rules"),
                  py::arg("time_unit") = py::none(),
                  "Imports one input per role: an Arrow stream capsule, a (schema, array) capsule pair, a "
                  "numpy array or (int32 codes, labels). `names` gives each role's source column name.")
      .def_static("from_stream", &from_stream, py::arg("stream"), py::arg("fields"), py::arg("rules"),
                  py::arg("time_unit") = py::none(),
                  "Imports an Arrow stream of record batches; `fields` maps each role to a field name.")
      .def("__len__", &md::contact_log::size)
      .def_property_readonly("size", &md::contact_log::size)
      .def_property_readonly("rows_read", &md::contact_log::rows_read)
      .def_property_readonly("quarantined", &md::contact_log::quarantined)
      .def_property_readonly("rules", &md::contact_log::rules)
      .def("quarantine_counts",
           [](const md::contact_log& log) {
             py::dict d;
             for (int r = 0; r < md::quarantine_reason_count; ++r)
               d[md::to_string(static_cast<md::quarantine_reason>(r))] = log.validation().count[r];
             return d;
           })
      .def("quarantine_rows",
           [](const md::contact_log& log) {
             const auto& q = log.validation().quarantined;
             py::array_t<std::uint64_t> out(static_cast<py::ssize_t>(q.size()));
             auto o = out.mutable_unchecked<1>();
             for (std::size_t i = 0; i < q.size(); ++i) o(static_cast<py::ssize_t>(i)) = q[i].row;
             return out;
           })
      .def("quarantine_reason_codes",
           [](const md::contact_log& log) {
             const auto& q = log.validation().quarantined;
             py::array_t<std::uint8_t> out(static_cast<py::ssize_t>(q.size()));
             auto o = out.mutable_unchecked<1>();
             for (std::size_t i = 0; i < q.size(); ++i)
               o(static_cast<py::ssize_t>(i)) = static_cast<std::uint8_t>(q[i].reason);
             return out;
           })
      .def(
          "accepted_rows",
          [](const log_ptr& log) {
            const auto& a = log->validation().accepted;
            return view(md::column<std::uint32_t>::borrowed(a, nullptr), py::cast(log));
          },
          "Input positions of the accepted rows, ascending (a read-only view).")
      .def(
          "has",
          [](const md::contact_log& log, const std::string& role) { return view_of(log, role).size() != 0; },
          py::arg("role"), "Whether the role's column holds values.")
      .def(
          "column",
          [](const log_ptr& log, const std::string& role) -> py::object {
            const role_view v = view_of(*log, role);
            const py::object base = py::cast(log);
            if (v.i64) return view(*v.i64, base);
            if (v.codes) return view(*v.codes, base);
            if (v.flags) return view(*v.flags, base);
            return view(*v.values, base);
          },
          py::arg("role"),
          "The role's raw column over all input rows, as a read-only view: int64 ids or ticks, int32 codes, "
          "uint8 flags (2 = missing) or float64 values.")
      .def(
          "labels",
          [](const md::contact_log& log, const std::string& role) -> std::optional<std::vector<std::string>> {
            const role_view v = view_of(log, role);
            if (v.labels == nullptr || *v.labels == nullptr) return std::nullopt;
            return **v.labels;
          },
          py::arg("role"), "Labels of a dictionary-encoded role (None for integer ids and non-label roles).")
      .def(
          "ticks_per_second",
          [](const md::contact_log& log, const std::string& role) {
            const role_view v = view_of(log, role);
            if (v.kind != md::column_kind::time) throw py::value_error("role '" + role + "' is not a time");
            return v.ticks_per_second;
          },
          py::arg("role"))
      .def(
          "borrowed",
          [](const md::contact_log& log, const std::string& role) { return view_of(log, role).borrowed(); },
          py::arg("role"), "True when the role's values are viewed in the caller's memory (zero-copy).")
      .def(
          "data_address",
          [](const md::contact_log& log, const std::string& role) {
            return reinterpret_cast<std::uintptr_t>(view_of(log, role).data());
          },
          py::arg("role"), "Address of the role's first value (for zero-copy tests).")
      .def("gather", &gather, py::arg("role"), py::arg("rows"))
      .def("gather_codes", &gather_codes, py::arg("role"), py::arg("rows"));
}

}  // namespace missionkit::python
