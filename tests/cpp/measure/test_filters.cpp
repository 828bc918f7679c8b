// Row filters (grouping::where) and per-unit values (contact_values) on a small log whose answers are
// worked out by hand in the comments (the oracle).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../support.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/contact_values.hpp"
#include "missionkit/measure/cx.hpp"
#include "missionkit/measure/merge.hpp"

namespace mk = missionkit;
namespace ms = missionkit::measure;
using mk::data::column;
using mk::testing::error_of;

namespace {

constexpr std::int64_t day = 86400, hour = 3600, minute = 60;

mk::data::labels labels(std::vector<std::string> v) {
  return std::make_shared<const std::vector<std::string>>(std::move(v));
}

// Rows (times from day 0 = 2026-01-01T00:00Z; reason b = billing, t = tech; channel, site):
//  0 A b phone  north  d0  09:00-09:10      4 B b phone  south  d30 09:00-09:10
//  1 A b chat   north  d2  10:00-10:05      5 C b phone  (none) d5  08:00-08:10
//  2 A t phone  south  d20 12:00-12:30      6 C b phone  north  d5  08:12-08:20
//  3 B b phone  south  d29 09:00-09:10      7 (no customer: quarantined)
// The site labels include "west", which no row uses.
mk::data::contact_log small_log() {
  const std::int64_t t0 = 1767225600;  // 2026-01-01T00:00:00Z
  struct row {
    std::int64_t customer;
    std::int64_t start, end;
    std::int32_t reason, channel, site;
  };
  const std::vector<row> rows = {
      {1, 0 * day + 9 * hour, 0 * day + 9 * hour + 10 * minute, 0, 0, 0},
      {1, 2 * day + 10 * hour, 2 * day + 10 * hour + 5 * minute, 0, 1, 0},
      {1, 20 * day + 12 * hour, 20 * day + 12 * hour + 30 * minute, 1, 0, 1},
      {2, 29 * day + 9 * hour, 29 * day + 9 * hour + 10 * minute, 0, 0, 1},
      {2, 30 * day + 9 * hour, 30 * day + 9 * hour + 10 * minute, 0, 0, 1},
      {3, 5 * day + 8 * hour, 5 * day + 8 * hour + 10 * minute, 0, 0, -1},
      {3, 5 * day + 8 * hour + 12 * minute, 5 * day + 8 * hour + 20 * minute, 0, 0, 0},
      {0, 1 * day, 1 * day + minute, 0, 0, 0},
  };
  std::vector<std::int64_t> customer, start, end;
  std::vector<std::int32_t> reason, channel, site;
  std::vector<std::uint8_t> missing;
  for (const auto& r : rows) {
    customer.push_back(r.customer);
    start.push_back(t0 + r.start);
    end.push_back(t0 + r.end);
    reason.push_back(r.reason);
    channel.push_back(r.channel);
    site.push_back(r.site);
    missing.push_back(r.customer == 0 ? 1 : 0);
  }
  mk::data::contact_columns c;
  c.customer = column<std::int64_t>::owning(customer);
  c.customer_missing = column<std::uint8_t>::owning(missing);
  c.start = {column<std::int64_t>::owning(start), 1};
  c.end = {column<std::int64_t>::owning(end), 1};
  c.reason = {column<std::int32_t>::owning(reason), labels({"billing", "tech"})};
  c.channel = {column<std::int32_t>::owning(channel), labels({"phone", "chat"})};
  c.site = {column<std::int32_t>::owning(site), labels({"north", "south", "west"})};
  return mk::data::contact_log(std::move(c));
}

ms::grouping where(std::vector<ms::dimension_filter> f) {
  ms::grouping g;
  g.where = std::move(f);
  return g;
}

}  // namespace

TEST(MeasureFilter, EpisodeMeasuresFilterTheFirstContactButSeeEveryRepeat) {
  const auto log = small_log();
  // Unfiltered (test_cx.cpp): 0 repeated by 1, 3 by 4, 5 by 6; 4 censored; FCR 3 / 6.
  // Phone only: units 0 2 3 4 5 6. Row 0 is still repeated by row 1 although row 1 is a chat (filtered
  // out as a unit, not as a repeat): resolved 2 and 6 -> 2 / 5, 1 censored.
  const auto phone = ms::fcr(log, {}, where({{"channel", {"phone"}}}));
  ASSERT_EQ(phone.rows(), 1u);
  EXPECT_EQ(phone.numerator[0], 2);
  EXPECT_EQ(phone.denominator[0], 5);
  EXPECT_EQ(phone.censored[0], 1u);
  // Chat only: unit 1, not repeated (row 2 is another reason) -> 1 / 1.
  const auto chat = ms::fcr(log, {}, where({{"channel", {"chat"}}}));
  EXPECT_EQ(chat.numerator[0], 1);
  EXPECT_EQ(chat.denominator[0], 1);
  // Repeat rate of chat contacts: row 1 repeats row 0, a phone contact outside the filter -> 1 / 1.
  const auto rr = ms::repeat_rate(log, {}, where({{"channel", {"chat"}}}));
  EXPECT_EQ(rr.numerator[0], 1);
  EXPECT_EQ(rr.denominator[0], 1);
  // Two filters must both hold: site south and reason billing -> units 3 (repeated) and 4 (censored).
  const auto both = ms::fcr(log, {}, where({{"site", {"south"}}, {"reason", {"billing"}}}));
  EXPECT_EQ(both.numerator[0], 0);
  EXPECT_EQ(both.denominator[0], 1);
  EXPECT_EQ(both.censored[0], 1u);
  // Row 5 has no site: excluded by any site filter. North: units 0 (repeated), 1, 6 -> 2 / 3.
  const auto north = ms::fcr(log, {}, where({{"site", {"north"}}}));
  EXPECT_EQ(north.numerator[0], 2);
  EXPECT_EQ(north.denominator[0], 3);
  // Issues opened by a phone contact: {0, 1} (1 repeat), {2}, {5, 6} (1 repeat); {3, 4} is censored.
  const auto rpi = ms::repeats_per_issue(log, {}, where({{"channel", {"phone"}}}));
  EXPECT_EQ(rpi.n[0], 3u);
  EXPECT_DOUBLE_EQ(rpi.value[0], 2.0 / 3.0);
  // Resolution time of issues opened by chat: none (row 1 repeats row 0, it opens no issue).
  const auto rt = ms::resolution_time(log, {}, where({{"channel", {"chat"}}}));
  ASSERT_EQ(rt.rows(), 1u);
  EXPECT_EQ(rt.n[0], 0u);
}

TEST(MeasureFilter, GroupedAndPerContact) {
  const auto log = small_log();
  // AHT (end - start) of phone contacts by site: north {0: 600, 6: 480}, south {2: 1800, 3: 600, 4: 600};
  // row 5 (no site) is its own group: 600. Chat row 1 never forms a group.
  ms::grouping g = where({{"channel", {"phone"}}});
  g.by = {"site"};
  const auto t = ms::aht(log, ms::handle_part::handle, g);
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.by_codes[0], (std::vector<std::int32_t>{-1, 0, 1}));
  EXPECT_DOUBLE_EQ(t.value[0], 600);
  EXPECT_DOUBLE_EQ(t.value[1], 540);
  EXPECT_DOUBLE_EQ(t.value[2], 1000);
  EXPECT_EQ(t.n[1] + t.n[2] + t.n[0], 6u);
  // The filter is recorded in canonical form (sorted), whatever order it was given in.
  const auto a =
      ms::aht(log, ms::handle_part::handle, where({{"site", {"south", "north"}}, {"reason", {"tech"}}}));
  const auto b =
      ms::aht(log, ms::handle_part::handle, where({{"reason", {"tech"}}, {"site", {"north", "south"}}}));
  EXPECT_EQ(a.where, b.where);
  ASSERT_EQ(a.where.size(), 2u);
  EXPECT_EQ(a.where[0].dimension, "reason");
  EXPECT_EQ(a.where[1].values, (std::vector<std::string>{"north", "south"}));
  EXPECT_DOUBLE_EQ(a.value[0], 1800);  // row 2 only
  // Cached groups are keyed by the filter: another filter on the same log is not served from the cache.
  EXPECT_DOUBLE_EQ(ms::aht(log, ms::handle_part::handle, where({{"channel", {"chat"}}})).value[0], 300);
  EXPECT_DOUBLE_EQ(ms::aht(log).value[0], (600 + 300 + 1800 + 600 + 600 + 600 + 480) / 7.0);
  // A filter that matches no row (a label that exists but is unused): no units, an empty table.
  EXPECT_EQ(ms::aht(log, ms::handle_part::handle, where({{"site", {"west"}}})).rows(), 0u);
  EXPECT_EQ(ms::fcr(log, {}, where({{"site", {"west"}}})).rows(), 0u);
}

TEST(MeasureFilter, Errors) {
  const auto log = small_log();
  const auto fcr_where = [&](std::vector<ms::dimension_filter> f) {
    return error_of([&] { (void)ms::fcr(log, {}, where(std::move(f))); });
  };
  EXPECT_NE(fcr_where({{"colour", {"red"}}}).find("cannot filter on 'colour'"), std::string::npos);
  EXPECT_NE(fcr_where({{"queue", {"a"}}}).find("no queue column was mapped"), std::string::npos);
  const auto typo = fcr_where({{"channel", {"phnoe"}}});
  EXPECT_NE(typo.find("channel 'phnoe' does not occur"), std::string::npos) << typo;
  EXPECT_NE(typo.find("labels are: chat, phone"), std::string::npos) << typo;
  EXPECT_NE(fcr_where({{"channel", {}}}).find("no values given for 'channel'"), std::string::npos);
  EXPECT_NE(fcr_where({{"channel", {"phone"}}, {"channel", {"chat"}}}).find("named twice"),
            std::string::npos);
}

TEST(MeasureFilter, MergeAndJsonCarryTheFilter) {
  const auto log = small_log();
  const auto phone = ms::fcr(log, {}, where({{"channel", {"phone"}}}));
  const auto chat = ms::fcr(log, {}, where({{"channel", {"chat"}}}));
  const auto err = error_of([&] { (void)ms::merge({phone, chat}); });
  EXPECT_NE(err.find("filter"), std::string::npos) << err;
  EXPECT_NE(err.find("'chat'"), std::string::npos) << err;
  EXPECT_NE(error_of([&] { (void)ms::merge({phone, ms::fcr(log)}); }), "no error");
  const auto twice = ms::merge({phone, phone});
  EXPECT_EQ(twice.where, phone.where);
  EXPECT_EQ(twice.numerator[0], 4);
  const auto text = ms::to_json(phone);
  EXPECT_NE(text.find("\"version\":2"), std::string::npos);
  const auto back = ms::table_from_json(text);
  EXPECT_EQ(back.where, phone.where);
  EXPECT_EQ(back.proportions, phone.proportions);
  // An unfiltered table is still written as version 1, readable by older releases.
  EXPECT_NE(ms::to_json(ms::fcr(log)).find("\"version\":1"), std::string::npos);
}

TEST(MeasureContactValues, UnitsSumToTheTable) {
  const auto log = small_log();
  const ms::episode_options opt;
  // FCR of phone contacts: units 0 2 3 5 6 (4 is censored): resolved 2 and 6.
  const auto v = ms::contact_values(
      [&](const ms::grouping& g, const ms::table_options& t) { return ms::fcr(log, opt, g, t); },
      {{"channel", {"phone"}}});
  EXPECT_EQ(v.measure, "fcr");
  EXPECT_EQ(v.row, (std::vector<std::uint32_t>{0, 2, 3, 5, 6}));
  EXPECT_EQ(v.numerator, (std::vector<double>{0, 1, 0, 0, 1}));
  EXPECT_EQ(v.denominator, (std::vector<double>(5, 1)));
  // Repeat rate, unfiltered: every episode is a unit; 1, 4 and 6 are repeats.
  const auto rr = ms::contact_values(
      [&](const ms::grouping& g, const ms::table_options& t) { return ms::repeat_rate(log, opt, g, t); });
  EXPECT_EQ(rr.row, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(rr.numerator, (std::vector<double>{0, 1, 0, 0, 1, 0, 1}));
  // AHT per contact: end - start in seconds.
  const auto aht = ms::contact_values([&](const ms::grouping& g, const ms::table_options& t) {
    return ms::aht(log, ms::handle_part::handle, g, t);
  });
  EXPECT_EQ(aht.unit, "seconds");
  EXPECT_EQ(aht.numerator, (std::vector<double>{600, 300, 1800, 600, 600, 600, 480}));
  // Resolution time per issue: {0, 1}: d0 09:00 to d2 10:05 = 2 days 65 minutes; {2}: 1800 s; {5, 6}:
  // 20 minutes; {3, 4} is censored.
  const auto rt = ms::contact_values(
      [&](const ms::grouping& g, const ms::table_options& t) { return ms::resolution_time(log, opt, g, t); });
  EXPECT_EQ(rt.row, (std::vector<std::uint32_t>{0, 2, 5}));
  EXPECT_EQ(rt.numerator, (std::vector<double>{2 * day + 65 * minute, 1800, 1200}));
}

namespace {

// A log large enough for several parallel blocks (65536 rows each), so that the per-block paths (kept
// rows, recorded units) are exercised: customers, times, channels (some missing) from a fixed LCG.
mk::data::contact_log big_log(std::size_t n) {
  std::uint64_t state = 42;
  const auto next = [&](std::uint64_t mod) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % mod;
  };
  const std::int64_t t0 = 1767225600;
  std::vector<std::int64_t> customer(n), start(n), end(n);
  std::vector<std::int32_t> reason(n), channel(n);
  for (std::size_t i = 0; i < n; ++i) {
    customer[i] = static_cast<std::int64_t>(next(20000));
    start[i] = t0 + static_cast<std::int64_t>(next(60 * day));
    end[i] = start[i] + 60 + static_cast<std::int64_t>(next(900));
    reason[i] = static_cast<std::int32_t>(next(3));
    channel[i] = static_cast<std::int32_t>(next(4)) - 1;  // -1: missing
  }
  mk::data::contact_columns c;
  c.customer = column<std::int64_t>::owning(customer);
  c.start = {column<std::int64_t>::owning(start), 1};
  c.end = {column<std::int64_t>::owning(end), 1};
  c.reason = {column<std::int32_t>::owning(reason), labels({"a", "b", "c"})};
  c.channel = {column<std::int32_t>::owning(channel), labels({"phone", "chat", "email"})};
  return mk::data::contact_log(std::move(c));
}

}  // namespace

TEST(MeasureContactValues, ManyBlocksAgreeWithOneAndWithALoop) {
  const auto log = big_log(300000);
  const auto& c = log.columns();
  const auto chat = where({{"channel", {"chat"}}});
  // Oracle: a plain loop over the rows for the per-contact mean.
  double sum = 0;
  std::uint64_t n = 0;
  for (std::size_t r = 0; r < c.size(); ++r)
    if (c.channel.codes[r] == 1) {
      sum += static_cast<double>(c.end.ticks[r] - c.start.ticks[r]);
      ++n;
    }
  const auto aht_call = [&](const ms::grouping& g, const ms::table_options& t) {
    return ms::aht(log, ms::handle_part::handle, g, t);
  };
  const auto fcr_call = [&](const ms::grouping& g, const ms::table_options& t) {
    return ms::fcr(log, {}, g, t);
  };
  mk::set_threads(1);
  const auto aht_one = ms::aht(log, ms::handle_part::handle, chat);
  const auto fcr_one = ms::fcr(log, {}, chat);
  const auto units_one = ms::contact_values(fcr_call, chat.where);
  mk::set_threads(4);
  const auto aht_four = ms::aht(log, ms::handle_part::handle, chat);
  const auto fcr_four = ms::fcr(log, {}, chat);
  const auto units_four = ms::contact_values(fcr_call, chat.where);
  const auto aht_units = ms::contact_values(aht_call, chat.where);
  mk::set_threads(0);
  EXPECT_EQ(aht_one.n[0], n);
  EXPECT_NEAR(aht_one.value[0], sum / static_cast<double>(n), 1e-9);
  EXPECT_EQ(aht_one.means, aht_four.means);
  EXPECT_EQ(fcr_one.proportions, fcr_four.proportions);
  EXPECT_EQ(units_one.row, units_four.row);
  EXPECT_EQ(units_one.numerator, units_four.numerator);
  // The units: chat contacts only, ascending, and they add up to the table.
  ASSERT_EQ(units_one.size(), fcr_one.proportions[0].denominator);
  double resolved = 0;
  for (std::size_t i = 0; i < units_one.size(); ++i) {
    EXPECT_EQ(c.channel.codes[units_one.row[i]], 1);
    if (i > 0) EXPECT_LT(units_one.row[i - 1], units_one.row[i]);
    resolved += units_one.numerator[i];
  }
  EXPECT_EQ(resolved, static_cast<double>(fcr_one.proportions[0].numerator));
  ASSERT_EQ(aht_units.size(), n);
  double unit_sum = 0;
  for (auto v : aht_units.numerator) unit_sum += v;
  EXPECT_DOUBLE_EQ(unit_sum, sum);
}
