// Row validation: every quarantine reason, the order in which rules apply, column-level errors, and
// the accounting identity rows_read == accepted + quarantined. The oracle is a direct per-row
// restatement of the rules in the test (check_row below), written independently of the loop in src/.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/data/contact_log.hpp"

namespace md = missionkit::data;
using md::quarantine_reason;

namespace {

constexpr double no_value = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t t0 = 1'700'000'000;  // 2023-11-14, seconds

md::labels make_labels(std::vector<std::string> v) {
  return std::make_shared<const std::vector<std::string>>(std::move(v));
}

// A small log in seconds: customer, start, end and handle time per row.
md::contact_columns base(std::size_t n) {
  md::contact_columns c;
  std::vector<std::int64_t> customer(n), start(n), end(n);
  std::vector<double> handle(n, 60.0);
  for (std::size_t i = 0; i < n; ++i) {
    customer[i] = static_cast<std::int64_t>(i % 3);
    start[i] = t0 + static_cast<std::int64_t>(i) * 100;
    end[i] = start[i] + 60;
  }
  c.customer = md::column<std::int64_t>::owning(customer);
  c.start.ticks = md::column<std::int64_t>::owning(start);
  c.start.ticks_per_second = 1;
  c.end.ticks = md::column<std::int64_t>::owning(end);
  c.end.ticks_per_second = 1;
  c.handle_s = md::value_column::owning(handle);
  return c;
}

template <typename T>
std::vector<T> values(const md::column<T>& c) {
  return {c.begin(), c.end()};
}

template <typename T>
md::column<T> with(const md::column<T>& c, std::size_t i, T v) {
  auto out = values(c);
  out[i] = v;
  return md::column<T>::owning(std::move(out));
}

std::string error_of(const md::contact_columns& c, const md::validation_rules& r = {}) {
  try {
    (void)md::validate_rows(c, r);
  } catch (const missionkit::data_error& e) {
    return e.what();
  }
  return "no data_error";
}

}  // namespace

TEST(ContactLog, ReasonNames) {
  const char* expected[] = {"null_customer",     "null_start",        "timestamp_out_of_range",
                            "end_before_start",  "negative_duration", "unknown_channel",
                            "score_out_of_range"};
  for (int r = 0; r < md::quarantine_reason_count; ++r)
    EXPECT_STREQ(md::to_string(static_cast<quarantine_reason>(r)), expected[r]);
}

TEST(ContactLog, CleanLogAcceptsEverything) {
  const md::contact_log log(base(10));
  EXPECT_EQ(log.size(), 10u);
  EXPECT_EQ(log.rows_read(), 10u);
  EXPECT_EQ(log.quarantined(), 0u);
  EXPECT_EQ(log.validation().accepted.front(), 0u);
  EXPECT_EQ(log.validation().accepted.back(), 9u);
}

TEST(ContactLog, EveryReasonAndFirstFailureWins) {
  auto c = base(12);
  c.customer_missing = md::column<std::uint8_t>::owning({0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  c.start.ticks =
      with(c.start.ticks, 1, md::time_column::missing);  // row 1: null customer wins over null start
  c.start.ticks = with(c.start.ticks, 2, md::time_column::missing);
  c.start.ticks = with(c.start.ticks, 3, std::int64_t{100});        // 1970: out of range
  c.end.ticks = with(c.end.ticks, 4, std::int64_t{5'000'000'000});  // 2128: out of range
  c.end.ticks = with(c.end.ticks, 5, c.start.ticks[5] - 1);         // ends before it starts
  c.handle_s = with(c.handle_s, 6, -1.0);
  c.handle_s = with(c.handle_s, 5, -1.0);  // row 5 also negative: end_before_start comes first
  c.wait_s = md::value_column::owning({0, 0, 0, 0, 0, 0, 0, -0.5, no_value, 0, 0, 0});
  c.channel.codes = md::column<std::int32_t>::owning({0, 0, 0, 0, 0, 0, 0, 0, 0, 2, -1, 1});
  c.channel.labels = make_labels({"voice", "chat", "fax"});
  c.csat = md::value_column::owning({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 6});
  c.end.ticks = with(c.end.ticks, 10, md::time_column::missing);  // a missing end is fine

  md::validation_rules rules;
  rules.channels = std::vector<std::string>{"voice", "chat"};
  const md::contact_log log(std::move(c), rules);
  const std::vector<md::quarantined_row> want = {
      {1, quarantine_reason::null_customer},          {2, quarantine_reason::null_start},
      {3, quarantine_reason::timestamp_out_of_range}, {4, quarantine_reason::timestamp_out_of_range},
      {5, quarantine_reason::end_before_start},       {6, quarantine_reason::negative_duration},
      {7, quarantine_reason::negative_duration},      {9, quarantine_reason::unknown_channel},
      {11, quarantine_reason::score_out_of_range},
  };
  EXPECT_EQ(log.validation().quarantined, want);
  EXPECT_EQ(log.validation().accepted, (std::vector<std::uint32_t>{0, 8, 10}));
  EXPECT_EQ(log.size() + log.quarantined(), log.rows_read());
  const std::uint64_t counts[] = {1, 1, 2, 1, 2, 1, 1};
  for (int r = 0; r < md::quarantine_reason_count; ++r) EXPECT_EQ(log.validation().count[r], counts[r]) << r;
}

TEST(ContactLog, UndeclaredChannelsAreNotChecked) {
  auto c = base(2);
  c.channel.codes = md::column<std::int32_t>::owning({0, 1});
  c.channel.labels = make_labels({"voice", "pigeon"});
  EXPECT_EQ(md::validate_rows(c, {}).quarantined.size(), 0u);
  md::validation_rules rules;
  rules.channels = std::vector<std::string>{"voice"};
  EXPECT_EQ(md::validate_rows(c, rules).count[static_cast<int>(quarantine_reason::unknown_channel)], 1u);
}

TEST(ContactLog, ScoresOnTheirOwnScales) {
  auto c = base(6);
  c.csat = md::value_column::owning({1, 5, no_value, 0, 3, 3});
  c.nps = md::value_column::owning({0, 10, 10, 5, 11, 5});
  c.ces = md::value_column::owning({1, 7, 7, 4, 4, 0.5});
  auto r = md::validate_rows(c, {});
  EXPECT_EQ(r.accepted, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(r.count[static_cast<int>(quarantine_reason::score_out_of_range)], 3u);

  md::validation_rules ten_point;
  ten_point.csat_min = 0;
  ten_point.csat_max = 10;
  EXPECT_EQ(md::validate_rows(c, ten_point).accepted.size(), 4u);
}

TEST(ContactLog, NanDurationsAreMissingNotNegative) {
  auto c = base(3);
  c.talk_s = md::value_column::owning({no_value, 1, 2});
  c.hold_s = md::value_column::owning({0, no_value, 0});
  c.wrap_s = md::value_column::owning({0, 0, -std::numeric_limits<double>::infinity()});
  auto r = md::validate_rows(c, {});
  ASSERT_EQ(r.quarantined.size(), 1u);
  EXPECT_EQ(r.quarantined[0], (md::quarantined_row{2, quarantine_reason::negative_duration}));
}

TEST(ContactLog, NanosecondBoundsAndOverflow) {
  // In ns the default bounds (1990..2100) are near the int64 limit; a wide custom range must saturate,
  // not overflow.
  auto c = base(3);
  std::vector<std::int64_t> start = {1'700'000'000'000'000'000, 600'000'000'000'000'000,
                                     std::numeric_limits<std::int64_t>::max()};
  c.start.ticks = md::column<std::int64_t>::owning(start);
  c.start.ticks_per_second = 1'000'000'000;
  c.end = {};
  auto r = md::validate_rows(c, {});
  EXPECT_EQ(r.accepted, (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(r.count[static_cast<int>(quarantine_reason::timestamp_out_of_range)], 2u);

  md::validation_rules wide;
  wide.min_time_s = std::numeric_limits<std::int64_t>::min() / 2;
  wide.max_time_s = std::numeric_limits<std::int64_t>::max() / 2;
  EXPECT_EQ(md::validate_rows(c, wide).accepted.size(), 3u);
}

TEST(ContactLog, EndAndStartInDifferentUnits) {
  auto c = base(2);
  c.start.ticks = md::column<std::int64_t>::owning({t0 * 1000 + 500, t0 * 1000});  // ms
  c.start.ticks_per_second = 1000;
  c.end.ticks = md::column<std::int64_t>::owning({t0, t0});  // s: row 0 ends 0.5 s before it starts
  c.end.ticks_per_second = 1;
  auto r = md::validate_rows(c, {});
  ASSERT_EQ(r.quarantined.size(), 1u);
  EXPECT_EQ(r.quarantined[0], (md::quarantined_row{0, quarantine_reason::end_before_start}));
}

TEST(ContactLog, ColumnErrorsNameTheColumn) {
  auto c = base(1000);
  c.end.ticks = md::column<std::int64_t>::owning(std::vector<std::int64_t>(999, t0));
  EXPECT_NE(error_of(c).find("column 'end' has 999 rows, expected 1000"), std::string::npos) << error_of(c);

  auto d = base(4);
  d.wrap_s = md::value_column::owning({1, 2});
  EXPECT_NE(error_of(d).find("column 'wrap' has 2 rows, expected 4"), std::string::npos);

  auto e = base(4);
  e.start = {};
  EXPECT_NE(error_of(e).find("column 'start' is required"), std::string::npos);

  auto f = base(2);
  f.start.ticks_per_second = 0;
  EXPECT_NE(error_of(f).find("column 'start': ticks_per_second is 0"), std::string::npos);

  auto g = base(2);
  g.reason.codes = md::column<std::int32_t>::owning({0, 3});
  g.reason.labels = make_labels({"a", "b"});
  EXPECT_NE(error_of(g).find("column 'reason' has codes from 0 to 3 but 2 labels"), std::string::npos);

  auto h = base(2);
  h.customer_labels = make_labels({"only"});
  EXPECT_NE(error_of(h).find("column 'customer' has code 1 at row 1"), std::string::npos);

  auto k = base(2);
  k.answered.values = md::column<std::uint8_t>::owning({0, 7});
  EXPECT_NE(error_of(k).find("column 'answered' has flag value 7"), std::string::npos);

  md::validation_rules backwards;
  backwards.nps_min = 10;
  backwards.nps_max = 0;
  EXPECT_NE(error_of(base(1), backwards).find("nps scale"), std::string::npos);

  md::contact_columns only_start;
  only_start.start.ticks = md::column<std::int64_t>::owning({t0});
  EXPECT_NE(error_of(only_start).find("column 'customer' is empty"), std::string::npos);
}

TEST(ContactLog, EmptyAndOneRow) {
  const md::contact_log empty{md::contact_columns{}};
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.rows_read(), 0u);
  const md::contact_log one(base(1));
  EXPECT_EQ(one.size(), 1u);
}

TEST(ContactLog, BorrowedColumnsKeepTheirOwnerAlive) {
  auto memory = std::make_shared<std::vector<std::int64_t>>(std::vector<std::int64_t>{1, 2});
  std::weak_ptr<std::vector<std::int64_t>> watch = memory;
  auto c = base(2);
  c.customer = md::column<std::int64_t>::borrowed(*memory, memory);
  memory.reset();
  {
    const md::contact_log log(std::move(c));
    EXPECT_TRUE(log.columns().customer.is_borrowed());
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}

namespace {

// The rules restated row by row, for the randomized comparison below.
std::optional<quarantine_reason> check_row(const md::contact_columns& c, const md::validation_rules& r,
                                           std::size_t i) {
  if (!c.customer_missing.empty() && c.customer_missing[i]) return quarantine_reason::null_customer;
  const auto s = c.start.ticks[i];
  if (s == md::time_column::missing) return quarantine_reason::null_start;
  const double ss = static_cast<double>(s) / static_cast<double>(c.start.ticks_per_second);
  if (ss < static_cast<double>(r.min_time_s) || ss > static_cast<double>(r.max_time_s))
    return quarantine_reason::timestamp_out_of_range;
  if (!c.end.empty() && c.end.ticks[i] != md::time_column::missing) {
    const double es = static_cast<double>(c.end.ticks[i]) / static_cast<double>(c.end.ticks_per_second);
    if (es < static_cast<double>(r.min_time_s) || es > static_cast<double>(r.max_time_s))
      return quarantine_reason::timestamp_out_of_range;
    if (es < ss) return quarantine_reason::end_before_start;
  }
  for (const auto* d : {&c.wait_s, &c.handle_s})
    if (!d->empty() && (*d)[i] < 0) return quarantine_reason::negative_duration;
  if (r.channels && c.channel.codes[i] >= 0) {
    const auto& label = (*c.channel.labels)[static_cast<std::size_t>(c.channel.codes[i])];
    if (std::find(r.channels->begin(), r.channels->end(), label) == r.channels->end())
      return quarantine_reason::unknown_channel;
  }
  if (!std::isnan(c.csat[i]) && (c.csat[i] < r.csat_min || c.csat[i] > r.csat_max))
    return quarantine_reason::score_out_of_range;
  return std::nullopt;
}

md::contact_columns random_log(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  md::contact_columns c;
  std::vector<std::int64_t> customer(n), start(n), end(n);
  std::vector<std::uint8_t> missing(n);
  std::vector<double> wait(n), handle(n), csat(n);
  std::vector<std::int32_t> channel(n);
  for (std::size_t i = 0; i < n; ++i) {
    customer[i] = static_cast<std::int64_t>(rng() % 1000);
    missing[i] = u(rng) < 0.01;
    start[i] = u(rng) < 0.01 ? md::time_column::missing
                             : (t0 + static_cast<std::int64_t>(rng() % 10'000'000)) * 1000 -
                                   (u(rng) < 0.01 ? t0 * 1000 : 0);
    end[i] = u(rng) < 0.05 || start[i] == md::time_column::missing
                 ? md::time_column::missing
                 : start[i] + static_cast<std::int64_t>(u(rng) * 600'000) - (u(rng) < 0.02 ? 700'000 : 0);
    wait[i] = u(rng) < 0.01 ? -1 : (u(rng) < 0.1 ? no_value : u(rng) * 30);
    handle[i] = u(rng) < 0.01 ? -2 : u(rng) * 600;
    channel[i] = static_cast<std::int32_t>(rng() % 5) - 1;
    csat[i] = u(rng) < 0.5 ? no_value : static_cast<double>(rng() % 7);
  }
  c.customer = md::column<std::int64_t>::owning(customer);
  c.customer_missing = md::column<std::uint8_t>::owning(missing);
  c.start.ticks = md::column<std::int64_t>::owning(start);
  c.start.ticks_per_second = 1000;
  c.end.ticks = md::column<std::int64_t>::owning(end);
  c.end.ticks_per_second = 1000;
  c.wait_s = md::value_column::owning(wait);
  c.handle_s = md::value_column::owning(handle);
  c.channel.codes = md::column<std::int32_t>::owning(channel);
  c.channel.labels = make_labels({"voice", "chat", "email", "carrier pigeon"});
  c.csat = md::value_column::owning(csat);
  return c;
}

}  // namespace

TEST(ContactLog, AgreesWithARowByRowOracle) {
  md::validation_rules rules;
  rules.channels = std::vector<std::string>{"voice", "chat", "email"};
  const auto c = random_log(50'000, 7);
  const auto r = md::validate_rows(c, rules);
  std::vector<std::uint32_t> accepted;
  std::vector<md::quarantined_row> quarantined;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (auto why = check_row(c, rules, i)) {
      quarantined.push_back({i, *why});
    } else {
      accepted.push_back(static_cast<std::uint32_t>(i));
    }
  }
  EXPECT_EQ(r.accepted, accepted);
  EXPECT_EQ(r.quarantined, quarantined);
  std::uint64_t total = 0;
  for (auto n : r.count) total += n;
  EXPECT_EQ(total, quarantined.size());
  for (auto n : r.count) EXPECT_GT(n, 0u);  // every reason occurs in this sample
}
