// The CX measures on a small log whose answers are worked out by hand in the comments (the oracle).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/cx.hpp"

namespace mk = missionkit;
namespace ms = missionkit::measure;
using mk::data::column;

namespace {

constexpr std::int64_t day = 86400, hour = 3600, minute = 60;

mk::data::labels labels(std::vector<std::string> v) {
  return std::make_shared<const std::vector<std::string>>(std::move(v));
}

// Rows (times in seconds from day 0 = 2026-01-01T00:00Z):
//  0 A billing phone  d0 09:00-09:10     3 B billing phone d29 09:00-09:10    6 C billing phone d5
//  08:12-08:20 1 A billing chat   d2 10:00-10:05     4 B billing phone d30 09:00-09:10    7 (no customer:
//  quarantined) 2 A tech    phone  d20 12:00-12:30    5 C billing phone d5 08:00-08:10
mk::data::contact_log small_log() {
  const std::int64_t t0 = 1767225600;  // 2026-01-01T00:00:00Z
  struct row {
    std::int64_t customer;
    std::int64_t start, end;
    std::int32_t reason, channel;
  };
  const std::vector<row> rows = {
      {1, 0 * day + 9 * hour, 0 * day + 9 * hour + 10 * minute, 0, 0},
      {1, 2 * day + 10 * hour, 2 * day + 10 * hour + 5 * minute, 0, 1},
      {1, 20 * day + 12 * hour, 20 * day + 12 * hour + 30 * minute, 1, 0},
      {2, 29 * day + 9 * hour, 29 * day + 9 * hour + 10 * minute, 0, 0},
      {2, 30 * day + 9 * hour, 30 * day + 9 * hour + 10 * minute, 0, 0},
      {3, 5 * day + 8 * hour, 5 * day + 8 * hour + 10 * minute, 0, 0},
      {3, 5 * day + 8 * hour + 12 * minute, 5 * day + 8 * hour + 20 * minute, 0, 0},
      {0, 1 * day, 1 * day + minute, 0, 0},
  };
  std::vector<std::int64_t> customer, start, end;
  std::vector<std::int32_t> reason, channel;
  std::vector<std::uint8_t> missing;
  for (const auto& r : rows) {
    customer.push_back(r.customer);
    start.push_back(t0 + r.start);
    end.push_back(t0 + r.end);
    reason.push_back(r.reason);
    channel.push_back(r.channel);
    missing.push_back(r.customer == 0 ? 1 : 0);
  }
  mk::data::contact_columns c;
  c.customer = column<std::int64_t>::owning(customer);
  c.customer_missing = column<std::uint8_t>::owning(missing);
  c.start = {column<std::int64_t>::owning(start), 1};
  c.end = {column<std::int64_t>::owning(end), 1};
  c.reason = {column<std::int32_t>::owning(reason), labels({"billing", "tech"})};
  c.channel = {column<std::int32_t>::owning(channel), labels({"phone", "chat"})};
  return mk::data::contact_log(std::move(c));
}

}  // namespace

TEST(MeasureCx, QuarantineAccounting) {
  const auto log = small_log();
  EXPECT_EQ(log.rows_read(), 8u);
  EXPECT_EQ(log.size(), 7u);
  EXPECT_EQ(log.quarantined(), 1u);
}

TEST(MeasureCx, CustomerOrder) {
  const auto log = small_log();
  const auto order = log.by_customer();
  EXPECT_EQ(std::vector<std::uint32_t>(order.begin(), order.end()),
            (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6}));
}

TEST(MeasureCx, FcrByHand) {
  const auto log = small_log();
  // Episodes: 0 repeated by 1 (same reason, 2 days later); 1 resolved (2 is another reason); 2 resolved;
  // 3 repeated by 4; 4 censored (its window passes the last start, day 30); 5 repeated by 6; 6 resolved.
  const auto t = ms::fcr(log);
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.numerator[0], 3);
  EXPECT_EQ(t.denominator[0], 6);
  EXPECT_EQ(t.censored[0], 1u);
  EXPECT_DOUBLE_EQ(t.value[0], 0.5);
  EXPECT_EQ(t.ci_method, "wilson");
  EXPECT_LT(t.ci_low[0], 0.5);
  EXPECT_GT(t.ci_high[0], 0.5);
  EXPECT_EQ(t.small_cell[0], 1);

  // A 5-minute transfer gap joins 5 and 6 (6 starts 2 minutes after 5 ends): one resolved episode.
  ms::episode_options gap;
  gap.transfer_gap_s = 5 * 60;
  const auto g = ms::fcr(log, gap);
  EXPECT_EQ(g.numerator[0], 3);
  EXPECT_EQ(g.denominator[0], 5);

  // Counting censored episodes as resolved (the optimistic convention): 4 of 7.
  ms::episode_options optimistic;
  optimistic.exclude_censored = false;
  EXPECT_EQ(ms::fcr(log, optimistic).numerator[0], 4);
  EXPECT_EQ(ms::fcr(log, optimistic).denominator[0], 7);

  // A 1-day window: 1 no longer repeats 0 (2 days later): 4 resolved of 6.
  ms::episode_options short_window;
  short_window.window_s = day;
  EXPECT_EQ(ms::fcr(log, short_window).numerator[0], 4);

  // Same channel only: 1 (chat) no longer repeats 0 (phone).
  ms::episode_options same_channel;
  same_channel.channels = ms::channel_scope::same;
  EXPECT_EQ(ms::fcr(log, same_channel).numerator[0], 4);
}

TEST(MeasureCx, FcrGroupedByChannel) {
  const auto log = small_log();
  const auto t = ms::fcr(log, {}, ms::grouping{{"channel"}, ms::period_unit::none, "UTC"});
  ASSERT_EQ(t.rows(), 2u);
  // Groups in code order: phone (0) then chat (1). Phone: 0 F, 2 S, 3 F, 4 censored, 5 F, 6 S.
  EXPECT_EQ(t.by_codes[0], (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(t.numerator[0], 2);
  EXPECT_EQ(t.denominator[0], 5);
  EXPECT_EQ(t.censored[0], 1u);
  EXPECT_EQ(t.numerator[1], 1);
  EXPECT_EQ(t.denominator[1], 1);
}

TEST(MeasureCx, RepeatsAndResolutionByHand) {
  const auto log = small_log();
  const auto r = ms::repeat_rate(log);  // 1, 4 and 6 repeat an earlier contact: 3 of 7
  EXPECT_EQ(r.numerator[0], 3);
  EXPECT_EQ(r.denominator[0], 7);
  // Issues: {0,1} 1 repeat, {2} none, {3,4} left out (4's window is censored), {5,6} 1 repeat.
  const auto p = ms::repeats_per_issue(log);
  EXPECT_EQ(p.n[0], 3u);
  EXPECT_NEAR(p.value[0], 2.0 / 3.0, 1e-15);
  // Resolution: {0,1} d0 09:00 -> d2 10:05 = 176700 s; {2} 1800 s; {5,6} 08:00 -> 08:20 = 1200 s.
  const auto res = ms::resolution_time(log);
  EXPECT_EQ(res.n[0], 3u);
  EXPECT_NEAR(res.value[0], (176700.0 + 1800 + 1200) / 3, 1e-9);
  EXPECT_EQ(res.ci_method, "t");
}

TEST(MeasureCx, ThreadCountDoesNotChangeResults) {
  const auto log = small_log();
  mk::set_threads(1);
  const auto one = ms::fcr(log);
  mk::set_threads(7);
  const auto seven = ms::fcr(log);
  mk::set_threads(0);
  EXPECT_EQ(one.numerator, seven.numerator);
  EXPECT_EQ(one.denominator, seven.denominator);
}

TEST(MeasureCx, ClearErrorsForMissingColumnsAndBadGroups) {
  const auto log = small_log();
  EXPECT_THROW((void)ms::aht(log, ms::handle_part::talk), mk::data_error);
  EXPECT_THROW((void)ms::service_level(log, ms::sl_convention::offered), mk::data_error);
  EXPECT_THROW((void)ms::fcr(log, {}, ms::grouping{{"queue"}, ms::period_unit::none, "UTC"}), mk::data_error);
  EXPECT_THROW((void)ms::fcr(log, {}, ms::grouping{{"colour"}, ms::period_unit::none, "UTC"}),
               mk::data_error);
  EXPECT_THROW((void)ms::failure_demand(log, {"no_such_reason"}), mk::data_error);
  ms::episode_options bad;
  bad.window_s = -1;
  EXPECT_THROW((void)ms::fcr(log, bad), mk::data_error);
}
