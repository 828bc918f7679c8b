// Arrow import against arrays built by hand, byte by byte from the Arrow columnar spec: offsets,
// validity bitmaps, string views, dictionaries, sliced record batches and a hand-written stream.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/data/arrow_import.hpp"

namespace md = missionkit::data;
using md::arrow_chunk;
using md::column_importer;
using md::column_kind;

namespace {

// An Arrow array whose buffers live in this object. Its release callbacks count calls in `released`.
struct test_array {
  std::string format;
  std::string name = "col";
  std::vector<std::vector<unsigned char>> storage;
  std::vector<const void*> buffers;
  std::int64_t length = 0;
  std::int64_t null_count = 0;
  std::int64_t offset = 0;
  std::unique_ptr<test_array> dictionary;
  std::vector<std::unique_ptr<test_array>> children;
  int released = 0;

  ArrowSchema schema{};
  ArrowArray array{};
  std::vector<ArrowSchema*> schema_children;
  std::vector<ArrowArray*> array_children;

  template <typename T>
  void add_buffer(const std::vector<T>& values) {
    storage.emplace_back(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(storage.back().data(), values.data(), values.size() * sizeof(T));
    buffers.push_back(storage.back().data());
  }
  void add_bits(const std::vector<bool>& bits) {
    std::vector<unsigned char> bytes((bits.size() + 7) / 8, 0);
    for (std::size_t i = 0; i < bits.size(); ++i)
      if (bits[i]) bytes[i / 8] |= static_cast<unsigned char>(1u << (i % 8));
    add_buffer(bytes);
  }
  void add_null_buffer() { buffers.push_back(nullptr); }

  // Wires the C structs to this object's storage (call after the buffers are final).
  test_array& seal() {
    schema = ArrowSchema{};
    schema.format = format.c_str();
    schema.name = name.c_str();
    schema.flags = ARROW_FLAG_NULLABLE;
    schema.release = [](ArrowSchema* s) { s->release = nullptr; };
    array = ArrowArray{};
    array.length = length;
    array.null_count = null_count;
    array.offset = offset;
    array.n_buffers = static_cast<std::int64_t>(buffers.size());
    array.buffers = buffers.data();
    array.private_data = &released;
    array.release = [](ArrowArray* a) {
      ++*static_cast<int*>(a->private_data);
      a->release = nullptr;
    };
    if (dictionary) {
      dictionary->seal();
      schema.dictionary = &dictionary->schema;
      array.dictionary = &dictionary->array;
    }
    schema_children.clear();
    array_children.clear();
    for (auto& c : children) {
      c->seal();
      schema_children.push_back(&c->schema);
      array_children.push_back(&c->array);
    }
    schema.n_children = array.n_children = static_cast<std::int64_t>(children.size());
    schema.children = schema_children.data();
    array.children = array_children.data();
    return *this;
  }

  [[nodiscard]] arrow_chunk chunk(std::shared_ptr<const void> keep = nullptr) const {
    return arrow_chunk::whole(schema, array, std::move(keep));
  }
};

std::vector<bool> valid_of(std::size_t n, std::vector<std::size_t> nulls) {
  std::vector<bool> v(n, true);
  for (auto i : nulls) v[i] = false;
  return v;
}

template <typename T>
std::unique_ptr<test_array> fixed(std::string format, std::vector<T> values, std::vector<bool> valid = {},
                                  std::int64_t offset = 0, std::int64_t length = -1) {
  auto t = std::make_unique<test_array>();
  t->format = std::move(format);
  t->offset = offset;
  t->length = length >= 0 ? length : static_cast<std::int64_t>(values.size()) - offset;
  if (valid.empty()) {
    t->add_null_buffer();
  } else {
    t->add_bits(valid);
    for (std::int64_t i = offset; i < offset + t->length; ++i) t->null_count += valid[i] ? 0 : 1;
  }
  t->add_buffer(values);
  t->seal();
  return t;
}

std::unique_ptr<test_array> booleans(std::vector<bool> values, std::vector<bool> valid = {},
                                     std::int64_t offset = 0) {
  auto t = std::make_unique<test_array>();
  t->format = "b";
  t->offset = offset;
  t->length = static_cast<std::int64_t>(values.size()) - offset;
  if (valid.empty()) {
    t->add_null_buffer();
  } else {
    t->add_bits(valid);
    for (std::size_t i = offset; i < valid.size(); ++i) t->null_count += valid[i] ? 0 : 1;
  }
  t->add_bits(values);
  t->seal();
  return t;
}

// "u" (int32 offsets) or "U" (int64 offsets); std::nullopt is a null.
template <typename Offset = std::int32_t>
std::unique_ptr<test_array> strings(std::vector<std::optional<std::string>> values, std::int64_t offset = 0) {
  auto t = std::make_unique<test_array>();
  t->format = sizeof(Offset) == 4 ? "u" : "U";
  t->offset = offset;
  t->length = static_cast<std::int64_t>(values.size()) - offset;
  std::vector<bool> valid;
  std::vector<Offset> offsets{0};
  std::string chars;
  for (std::size_t i = 0; i < values.size(); ++i) {
    valid.push_back(values[i].has_value());
    if (values[i]) chars += *values[i];
    if (!values[i] && static_cast<std::int64_t>(i) >= offset) ++t->null_count;
    offsets.push_back(static_cast<Offset>(chars.size()));
  }
  t->add_bits(valid);
  t->add_buffer(offsets);
  t->add_buffer(std::vector<char>(chars.begin(), chars.end()));
  t->seal();
  return t;
}

// "vu": 16-byte views; strings longer than 12 bytes go to one of two data buffers, alternately.
std::unique_ptr<test_array> string_views(std::vector<std::optional<std::string>> values) {
  auto t = std::make_unique<test_array>();
  t->format = "vu";
  t->length = static_cast<std::int64_t>(values.size());
  std::vector<bool> valid;
  std::vector<unsigned char> views(16 * values.size(), 0);
  std::string data[2];
  int next = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    valid.push_back(values[i].has_value());
    if (!values[i]) {
      ++t->null_count;
      continue;
    }
    const std::string& s = *values[i];
    const auto len = static_cast<std::int32_t>(s.size());
    unsigned char* v = views.data() + 16 * i;
    std::memcpy(v, &len, 4);
    if (s.size() <= 12) {
      std::memcpy(v + 4, s.data(), s.size());
    } else {
      std::memcpy(v + 4, s.data(), 4);
      const auto buf = static_cast<std::int32_t>(next);
      const auto off = static_cast<std::int32_t>(data[next].size());
      data[next] += s;
      std::memcpy(v + 8, &buf, 4);
      std::memcpy(v + 12, &off, 4);
      next = 1 - next;
    }
  }
  t->add_bits(valid);
  t->add_buffer(views);
  t->add_buffer(std::vector<char>(data[0].begin(), data[0].end()));
  t->add_buffer(std::vector<char>(data[1].begin(), data[1].end()));
  t->add_buffer(std::vector<std::int64_t>{static_cast<std::int64_t>(data[0].size()),
                                          static_cast<std::int64_t>(data[1].size())});
  t->seal();
  return t;
}

template <typename Index>
std::unique_ptr<test_array> dictionary(std::string index_format, std::vector<Index> indices,
                                       std::vector<bool> valid, std::unique_ptr<test_array> values) {
  auto t = fixed<Index>(std::move(index_format), std::move(indices), std::move(valid));
  t->dictionary = std::move(values);
  t->seal();
  return t;
}

std::vector<std::string> decode(const md::coded_column& c) {
  std::vector<std::string> out;
  for (auto code : c.codes) out.push_back(code < 0 ? "<null>" : (*c.labels)[static_cast<std::size_t>(code)]);
  return out;
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const missionkit::data_error& e) {
    return e.what();
  }
  return "no data_error";
}

}  // namespace

TEST(ArrowImport, Int64SingleChunkIsBorrowedAndReleasedOnce) {
  auto t = fixed<std::int64_t>("l", {10, 11, 12, 13, 14}, {}, 1);  // offset 1: [11, 12, 13, 14]
  const auto* base = static_cast<const std::int64_t*>(t->buffers[1]);
  md::id_column ids;
  {
    auto owner = std::make_shared<const md::arrow_array_owner>(&t->array);
    EXPECT_EQ(t->array.release, nullptr);  // moved out of the producer's struct
    column_importer imp("customer", column_kind::id);
    imp.append(arrow_chunk::whole(t->schema, owner->get(), owner));
    ids = imp.finish_ids();
  }
  EXPECT_EQ(t->released, 0);  // the column still holds the array
  ASSERT_EQ(ids.values.size(), 4u);
  EXPECT_TRUE(ids.values.is_borrowed());
  EXPECT_EQ(ids.values.data(), base + 1);
  EXPECT_EQ(ids.values[0], 11);
  EXPECT_TRUE(ids.missing.empty());
  auto copy = ids.values;
  ids = {};
  EXPECT_EQ(t->released, 0);
  copy = {};
  EXPECT_EQ(t->released, 1);
}

TEST(ArrowImport, IdsWithNullsOffsetAndNarrowTypes) {
  // Validity bit 2 (absolute) is null; offset 1 makes it the second value of the window.
  auto t = fixed<std::int32_t>("i", {7, 8, 9, 10}, valid_of(4, {2}), 1);
  column_importer imp("customer", column_kind::id);
  imp.append(t->chunk());
  auto ids = imp.finish_ids();
  ASSERT_EQ(ids.values.size(), 3u);
  EXPECT_FALSE(ids.values.is_borrowed());
  EXPECT_EQ(ids.values[0], 8);
  EXPECT_EQ(ids.values[2], 10);
  ASSERT_EQ(ids.missing.size(), 3u);
  EXPECT_EQ(ids.missing[0], 0);
  EXPECT_EQ(ids.missing[1], 1);
  EXPECT_EQ(ids.missing[2], 0);
  EXPECT_FALSE(ids.labels);

  auto floats = fixed<double>("g", {1.0, NAN, 3.0});
  column_importer f("customer", column_kind::id);
  f.append(floats->chunk());
  auto fid = f.finish_ids();
  EXPECT_EQ(fid.values[2], 3);
  EXPECT_EQ(fid.missing[1], 1);

  auto fractional = fixed<double>("g", {1.0, 2.5});
  column_importer g("cust", column_kind::id);
  EXPECT_NE(error_of([&] { g.append(fractional->chunk()); }).find("column 'cust' holds 2.5"),
            std::string::npos);

  auto huge = fixed<std::uint64_t>("L", {1, 1ULL << 63});
  column_importer h("cust", column_kind::id);
  EXPECT_NE(error_of([&] { h.append(huge->chunk()); }).find("at row 1"), std::string::npos);
}

TEST(ArrowImport, StringIdsAreDictionaryEncoded) {
  auto t = strings({"b", "a", std::nullopt, "b", "c"});
  column_importer imp("customer", column_kind::id);
  imp.append(t->chunk());
  auto ids = imp.finish_ids();
  ASSERT_TRUE(ids.labels);
  EXPECT_EQ(*ids.labels, (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(std::vector<std::int64_t>(ids.values.begin(), ids.values.end()),
            (std::vector<std::int64_t>{0, 1, 0, 0, 2}));
  EXPECT_EQ(ids.missing[2], 1);
  EXPECT_EQ(ids.missing[3], 0);
}

TEST(ArrowImport, Utf8LargeUtf8AndOffsets) {
  auto small = strings({"skip", "voice", std::nullopt, "chat", "voice", ""}, 1);
  column_importer a("channel", column_kind::code);
  a.append(small->chunk());
  auto ca = a.finish_codes();
  EXPECT_EQ(decode(ca), (std::vector<std::string>{"voice", "<null>", "chat", "voice", ""}));
  EXPECT_EQ(ca.labels->size(), 3u);  // "skip" is before the offset, never seen

  auto large = strings<std::int64_t>({"x", std::nullopt, "y", "x"});
  column_importer b("channel", column_kind::code);
  b.append(large->chunk());
  EXPECT_EQ(decode(b.finish_codes()), (std::vector<std::string>{"x", "<null>", "y", "x"}));
}

TEST(ArrowImport, StringViewsInlineAndInDataBuffers) {
  // polars exports Utf8View: inline up to 12 bytes, longer strings in variadic data buffers.
  const std::string long_a = "a string that is longer than twelve";
  const std::string long_b = "another long string, in buffer 1";
  auto t = string_views({"short", long_a, std::nullopt, long_b, "short", long_a, "exactly12chr"});
  column_importer imp("reason", column_kind::code);
  imp.append(t->chunk());
  auto c = imp.finish_codes();
  EXPECT_EQ(decode(c),
            (std::vector<std::string>{"short", long_a, "<null>", long_b, "short", long_a, "exactly12chr"}));
  EXPECT_EQ(c.labels->size(), 4u);
}

TEST(ArrowImport, DictionaryInt32UniqueLabelsIsBorrowed) {
  auto t = dictionary<std::int32_t>("i", {2, 0, 1, 2}, {}, strings({"chat", "email", "voice"}));
  const auto* base = static_cast<const std::int32_t*>(t->buffers[1]);
  column_importer imp("channel", column_kind::code);
  imp.append(t->chunk());
  auto c = imp.finish_codes();
  EXPECT_TRUE(c.codes.is_borrowed());
  EXPECT_EQ(c.codes.data(), base);
  EXPECT_EQ(decode(c), (std::vector<std::string>{"voice", "chat", "email", "voice"}));
}

TEST(ArrowImport, DictionaryWithNullsNarrowIndicesAndDuplicateLabels) {
  // int8 indices, a null index, a null dictionary entry and a duplicated label: converted, and the
  // duplicate collapses to one code.
  auto values = strings({"a", std::nullopt, "b", "a"});
  auto t = dictionary<std::int8_t>("c", {0, 1, 2, 3, 0}, valid_of(5, {4}), std::move(values));
  column_importer imp("reason", column_kind::code);
  imp.append(t->chunk());
  auto c = imp.finish_codes();
  EXPECT_FALSE(c.codes.is_borrowed());
  EXPECT_EQ(decode(c), (std::vector<std::string>{"a", "<null>", "b", "a", "<null>"}));
  EXPECT_EQ(c.codes[0], c.codes[3]);

  auto bad = dictionary<std::int16_t>("s", {0, 5}, {}, strings({"a", "b"}));
  column_importer b("reason", column_kind::code);
  EXPECT_NE(error_of([&] { b.append(bad->chunk()); }).find("dictionary index 5 at row 1"), std::string::npos);
}

TEST(ArrowImport, ChunksWithDifferentDictionariesMerge) {
  auto first = dictionary<std::int32_t>("i", {0, 1}, {}, strings({"voice", "chat"}));
  auto second = dictionary<std::int32_t>("i", {1, 0, 1}, {}, strings({"voice", "email"}));
  auto owner1 = std::make_shared<const md::arrow_array_owner>(&first->array);
  auto owner2 = std::make_shared<const md::arrow_array_owner>(&second->array);
  column_importer imp("channel", column_kind::code);
  imp.append(arrow_chunk::whole(first->schema, owner1->get(), owner1));
  owner1.reset();
  EXPECT_EQ(first->released, 0);  // held: it could have been the only chunk
  imp.append(arrow_chunk::whole(second->schema, owner2->get(), owner2));
  EXPECT_EQ(first->released, 1);  // converted when the second arrived, then let go
  owner2.reset();
  EXPECT_EQ(second->released, 1);
  auto c = imp.finish_codes();
  EXPECT_FALSE(c.codes.is_borrowed());
  EXPECT_EQ(decode(c), (std::vector<std::string>{"voice", "chat", "email", "voice", "email"}));
  EXPECT_EQ(c.labels->size(), 3u);
}

TEST(ArrowImport, IntegerLabelsAndIntegerDictionaries) {
  auto ints = fixed<std::int64_t>("l", {42, -7, 42}, valid_of(3, {}));
  column_importer imp("agent", column_kind::code);
  imp.append(ints->chunk());
  EXPECT_EQ(decode(imp.finish_codes()), (std::vector<std::string>{"42", "-7", "42"}));

  auto d = dictionary<std::int32_t>("i", {1, 0}, {}, fixed<std::int64_t>("l", {100, 200}));
  column_importer ids("customer", column_kind::id);
  ids.append(d->chunk());
  auto out = ids.finish_ids();
  EXPECT_FALSE(out.labels);
  EXPECT_EQ(out.values[0], 200);
  EXPECT_EQ(out.values[1], 100);
}

TEST(ArrowImport, TimestampsBorrowedWithTheirUnit) {
  auto t = fixed<std::int64_t>("tsu:UTC", {1'700'000'000'000'000, 1'700'000'001'000'000});
  column_importer imp("start", column_kind::time);
  imp.append(t->chunk());
  auto c = imp.finish_times();
  EXPECT_TRUE(c.ticks.is_borrowed());
  EXPECT_EQ(c.ticks_per_second, 1'000'000);

  for (auto [format, tps] : std::vector<std::pair<std::string, std::int64_t>>{
           {"tss:", 1}, {"tsm:Europe/Paris", 1000}, {"tsn:", 1'000'000'000}, {"tdm", 1000}}) {
    auto u = fixed<std::int64_t>(format, {5, 6}, valid_of(2, {1}));
    column_importer i("start", column_kind::time);
    i.append(u->chunk());
    auto tc = i.finish_times();
    EXPECT_EQ(tc.ticks_per_second, tps) << format;
    EXPECT_EQ(tc.ticks[0], 5);
    EXPECT_EQ(tc.ticks[1], md::time_column::missing) << format;
  }

  auto days = fixed<std::int32_t>("tdD", {0, 19000});
  column_importer d("start", column_kind::time);
  d.append(days->chunk());
  auto dc = d.finish_times();
  EXPECT_EQ(dc.ticks_per_second, 1);
  EXPECT_EQ(dc.ticks[1], 19000LL * 86400);
}

TEST(ArrowImport, IntegerTimestampsNeedAUnit) {
  auto t = fixed<std::int64_t>("l", {1'700'000'000, 1'700'000'060});
  column_importer no_unit("started", column_kind::time);
  const auto message = error_of([&] { no_unit.append(t->chunk()); });
  EXPECT_NE(message.find("column 'started'"), std::string::npos) << message;
  EXPECT_NE(message.find("time_unit"), std::string::npos) << message;

  column_importer with_unit("started", column_kind::time, 1);
  with_unit.append(t->chunk());
  auto c = with_unit.finish_times();
  EXPECT_TRUE(c.ticks.is_borrowed());
  EXPECT_EQ(c.ticks_per_second, 1);

  auto narrow = fixed<std::int32_t>("i", {1'700'000'000});
  column_importer n("started", column_kind::time, 1000);
  n.append(narrow->chunk());
  auto nc = n.finish_times();
  EXPECT_FALSE(nc.ticks.is_borrowed());
  EXPECT_EQ(nc.ticks_per_second, 1000);
}

TEST(ArrowImport, ValuesFloatsIntsDurationsDecimals) {
  auto f64 = fixed<double>("g", {1.5, -2.0});
  column_importer a("handle", column_kind::value);
  a.append(f64->chunk());
  EXPECT_TRUE(a.finish_values().is_borrowed());

  auto f32 = fixed<float>("f", {1.5f, 2.5f, 3.5f}, valid_of(3, {1}));
  column_importer b("handle", column_kind::value);
  b.append(f32->chunk());
  auto vb = b.finish_values();
  EXPECT_DOUBLE_EQ(vb[0], 1.5);
  EXPECT_TRUE(std::isnan(vb[1]));

  auto ms = fixed<std::int64_t>("tDm", {1500, std::numeric_limits<std::int64_t>::min(), -250});
  column_importer c("wait", column_kind::value);
  c.append(ms->chunk());
  auto vc = c.finish_values();
  EXPECT_DOUBLE_EQ(vc[0], 1.5);
  EXPECT_TRUE(std::isnan(vc[1]));  // numpy's NaT
  EXPECT_DOUBLE_EQ(vc[2], -0.25);

  // decimal128(10, 2): 12345 -> 123.45, and -1 (all bits set) -> -0.01.
  std::vector<std::uint64_t> words{12345, 0, ~0ULL, ~0ULL};
  auto dec = fixed<std::uint64_t>("d:10,2", words);
  dec->length = 2;
  dec->seal();
  column_importer d("cost", column_kind::value);
  d.append(dec->chunk());
  auto vd = d.finish_values();
  EXPECT_DOUBLE_EQ(vd[0], 123.45);
  EXPECT_DOUBLE_EQ(vd[1], -0.01);

  auto u16 = fixed<std::uint16_t>("S", {3, 4});
  column_importer e("csat", column_kind::value);
  e.append(u16->chunk());
  EXPECT_DOUBLE_EQ(e.finish_values()[1], 4.0);
}

TEST(ArrowImport, FlagsBitPackedWithOffsetAndBytes) {
  // Values 1,0,1,1,0,0,1,1,0,1 ; nulls at 4 and 9; offset 3 -> window values 1,0(null),0,1,1,0,1(null)
  auto t =
      booleans({true, false, true, true, false, false, true, true, false, true}, valid_of(10, {4, 9}), 3);
  column_importer imp("answered", column_kind::flag);
  imp.append(t->chunk());
  auto f = imp.finish_flags();
  EXPECT_EQ(std::vector<std::uint8_t>(f.values.begin(), f.values.end()),
            (std::vector<std::uint8_t>{1, 2, 0, 1, 1, 0, 2}));

  auto bytes = fixed<std::uint8_t>("C", {0, 1, 1});
  column_importer b("answered", column_kind::flag);
  b.append(bytes->chunk());
  EXPECT_TRUE(b.finish_flags().values.is_borrowed());

  auto bad = fixed<std::int64_t>("l", {0, 1, 3});
  column_importer c("answered", column_kind::flag);
  EXPECT_NE(error_of([&] { c.append(bad->chunk()); }).find("column 'answered' holds 3 at row 2"),
            std::string::npos);

  auto bad_bytes = fixed<std::uint8_t>("C", {0, 2});
  column_importer d("answered", column_kind::flag);
  EXPECT_NE(error_of([&] { d.append(bad_bytes->chunk()); }).find("at row 1"), std::string::npos);
}

TEST(ArrowImport, NullTypeMeansAllMissing) {
  test_array t;
  t.format = "n";
  t.length = 3;
  t.null_count = 3;
  t.seal();
  column_importer v("csat", column_kind::value);
  v.append(t.chunk());
  EXPECT_TRUE(std::isnan(v.finish_values()[2]));
  column_importer f("resolved", column_kind::flag);
  f.append(t.chunk());
  EXPECT_EQ(f.finish_flags().values[0], md::flag_column::missing);
}

TEST(ArrowImport, UnsupportedFormatsNameColumnAndFormat) {
  auto days = fixed<std::int32_t>("tdD", {1});
  column_importer f("resolved_flag", column_kind::flag);
  const auto m = error_of([&] { f.append(days->chunk()); });
  EXPECT_NE(m.find("column 'resolved_flag'"), std::string::npos) << m;
  EXPECT_NE(m.find("'tdD'"), std::string::npos) << m;

  auto s = strings({"x"});
  column_importer v("cost", column_kind::value);
  EXPECT_NE(error_of([&] { v.append(s->chunk()); }).find("Arrow format 'u' is not supported"),
            std::string::npos);

  auto half = fixed<std::uint16_t>("e", {1});
  column_importer h("cost", column_kind::value);
  EXPECT_NE(error_of([&] { h.append(half->chunk()); }).find("'e'"), std::string::npos);
}

TEST(ArrowImport, MultiChunkValuesConvertAndReleaseEarlyChunks) {
  auto a = fixed<double>("g", {1, 2});
  auto b = fixed<double>("g", {3}, valid_of(1, {0}));
  auto c = fixed<double>("g", {4, 5});
  auto oa = std::make_shared<const md::arrow_array_owner>(&a->array);
  auto ob = std::make_shared<const md::arrow_array_owner>(&b->array);
  auto oc = std::make_shared<const md::arrow_array_owner>(&c->array);
  column_importer imp("handle", column_kind::value);
  imp.append(arrow_chunk::whole(a->schema, oa->get(), oa));
  imp.append(arrow_chunk::whole(b->schema, ob->get(), ob));
  imp.append(arrow_chunk::whole(c->schema, oc->get(), oc));
  oa.reset();
  ob.reset();
  oc.reset();
  EXPECT_EQ(a->released + b->released + c->released, 3);
  auto v = imp.finish_values();
  EXPECT_FALSE(v.is_borrowed());
  ASSERT_EQ(v.size(), 5u);
  EXPECT_TRUE(std::isnan(v[2]));
  EXPECT_EQ(v[4], 5);
}

TEST(ArrowImport, EmptyChunksAreSkipped) {
  auto empty = fixed<std::int64_t>("l", {});
  auto full = fixed<std::int64_t>("l", {1, 2});
  column_importer imp("customer", column_kind::id);
  imp.append(empty->chunk());
  imp.append(full->chunk());
  imp.append(empty->chunk());
  EXPECT_TRUE(imp.finish_ids().values.is_borrowed());
}

TEST(ArrowImport, RolesRoundTrip) {
  for (int r = 0; r < md::contact_role_count; ++r) {
    const auto role = static_cast<md::contact_role>(r);
    EXPECT_EQ(md::parse_contact_role(md::to_string(role)), role);
  }
  EXPECT_FALSE(md::parse_contact_role("handle_time"));
  EXPECT_EQ(md::kind_of(md::contact_role::wait), column_kind::value);
  EXPECT_EQ(md::kind_of(md::contact_role::resolved), column_kind::flag);
}

namespace {

// A stream of record batches given as test_arrays of format "+s", served in order.
struct test_stream {
  test_array schema_source;
  std::vector<std::unique_ptr<test_array>> batches;
  std::size_t next = 0;
  int schema_calls = 0;

  ArrowArrayStream stream() {
    ArrowArrayStream s{};
    s.private_data = this;
    s.get_schema = [](ArrowArrayStream* self, ArrowSchema* out) {
      auto* me = static_cast<test_stream*>(self->private_data);
      ++me->schema_calls;
      *out = me->schema_source.schema;  // its release is a no-op; the storage stays in the test
      return 0;
    };
    s.get_next = [](ArrowArrayStream* self, ArrowArray* out) {
      auto* me = static_cast<test_stream*>(self->private_data);
      if (me->next == me->batches.size()) {
        *out = ArrowArray{};
        return 0;
      }
      *out = me->batches[me->next]->array;
      me->batches[me->next++]->array.release = nullptr;
      return 0;
    };
    s.get_last_error = [](ArrowArrayStream*) -> const char* { return nullptr; };
    s.release = [](ArrowArrayStream* self) { self->release = nullptr; };
    return s;
  }
};

std::unique_ptr<test_array> batch(std::vector<std::unique_ptr<test_array>> columns,
                                  std::vector<std::string> names, std::int64_t offset = 0) {
  auto b = std::make_unique<test_array>();
  b->format = "+s";
  b->length = columns.front()->length - offset;
  b->offset = offset;
  b->add_null_buffer();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    columns[i]->name = names[i];
    b->children.push_back(std::move(columns[i]));
  }
  b->seal();
  return b;
}

}  // namespace

TEST(ArrowImport, StreamOfRecordBatches) {
  test_stream ts;
  {
    std::vector<std::unique_ptr<test_array>> cols;
    cols.push_back(fixed<std::int64_t>("l", {0}));
    cols.push_back(fixed<std::int64_t>("tss:", {0}));
    cols.push_back(strings({"x"}));
    ts.schema_source = std::move(*batch(std::move(cols), {"cust", "ts", "unused"}));
    ts.schema_source.seal();
  }
  {  // a sliced batch: offset 1 skips the first row of every child
    std::vector<std::unique_ptr<test_array>> cols;
    cols.push_back(fixed<std::int64_t>("l", {99, 1, 2}));
    cols.push_back(fixed<std::int64_t>("tss:", {0, 1'700'000'000, 1'700'000'100}));
    cols.push_back(strings({"z", "y", "x"}));
    ts.batches.push_back(batch(std::move(cols), {"cust", "ts", "unused"}, 1));
  }
  {
    std::vector<std::unique_ptr<test_array>> cols;
    cols.push_back(fixed<std::int64_t>("l", {3}));
    cols.push_back(fixed<std::int64_t>("tss:", {1'700'000'200}));
    cols.push_back(strings({"w"}));
    ts.batches.push_back(batch(std::move(cols), {"cust", "ts", "unused"}));
  }
  ArrowArrayStream s = ts.stream();
  EXPECT_EQ(md::arrow_stream_column_names(s), (std::vector<std::string>{"cust", "ts", "unused"}));

  md::contact_columns_importer imp;
  imp.map(md::contact_role::customer, "cust");
  imp.map(md::contact_role::start, "ts");
  imp.map(md::contact_role::end, "ts");  // one source column may feed two roles
  imp.read_stream(s);
  EXPECT_EQ(ts.batches[0]->released, 1);  // converted once the second batch arrived, then released
  auto cols = std::move(imp).finish();
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(cols.customer[0], 1);
  EXPECT_EQ(cols.customer[2], 3);
  EXPECT_EQ(cols.start.ticks[1], 1'700'000'100);
  EXPECT_EQ(cols.end.ticks_per_second, 1);
  EXPECT_FALSE(cols.customer.is_borrowed());
  EXPECT_EQ(ts.batches[1]->released, 1);  // converted on arrival: nothing holds it
  const md::contact_log log(std::move(cols));
  EXPECT_EQ(log.size(), 3u);
}

TEST(ArrowImport, SingleBatchStreamIsBorrowedUntilTheLogGoes) {
  test_stream ts;
  std::vector<std::unique_ptr<test_array>> cols;
  cols.push_back(fixed<std::int64_t>("l", {1, 2}));
  cols.push_back(fixed<std::int64_t>("tsm:", {1'700'000'000'000, 1'700'000'000'500}));
  ts.batches.push_back(batch(std::move(cols), {"c", "t"}));
  ts.schema_source.format = "+s";
  for (auto [n, f] : {std::pair{"c", "l"}, std::pair{"t", "tsm:"}}) {
    ts.schema_source.children.push_back(std::make_unique<test_array>());
    ts.schema_source.children.back()->format = f;
    ts.schema_source.children.back()->name = n;
  }
  ts.schema_source.seal();
  ArrowArrayStream s = ts.stream();
  md::contact_columns_importer imp;
  imp.map(md::contact_role::customer, "c");
  imp.map(md::contact_role::start, "t");
  imp.read_stream(s);
  {
    const md::contact_log log(std::move(imp).finish());
    EXPECT_TRUE(log.columns().customer.is_borrowed());
    EXPECT_TRUE(log.columns().start.ticks.is_borrowed());
    EXPECT_EQ(log.columns().start.ticks_per_second, 1000);
    EXPECT_EQ(ts.batches[0]->released, 0);
  }
  EXPECT_EQ(ts.batches[0]->released, 1);
}

TEST(ArrowImport, StreamWithMissingColumnListsTheColumns) {
  test_stream ts;
  std::vector<std::unique_ptr<test_array>> cols;
  cols.push_back(fixed<std::int64_t>("l", {1}));
  ts.schema_source = std::move(*batch(std::move(cols), {"customer_id"}));
  ts.schema_source.seal();
  ArrowArrayStream s = ts.stream();
  md::contact_columns_importer imp;
  imp.map(md::contact_role::customer, "customer_id");
  imp.map(md::contact_role::start, "started");
  const auto m = error_of([&] { imp.read_stream(s); });
  EXPECT_NE(m.find("column 'started' (mapped to start) is not in the data; its columns are 'customer_id'"),
            std::string::npos)
      << m;
}

TEST(ArrowImport, RequiredRoles) {
  md::contact_columns_importer imp;
  imp.map(md::contact_role::customer, "c");
  EXPECT_NE(error_of([&] { (void)std::move(imp).finish(); }).find("'start' role is required"),
            std::string::npos);
}
