// Partition-and-merge: tables computed on customer partitions and merged are exactly the one-pass table.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/cx.hpp"
#include "missionkit/measure/merge.hpp"

namespace md = missionkit::data;
namespace ms = missionkit::measure;

namespace {

struct raw_log {
  std::vector<std::int64_t> customer, start, end;
  std::vector<std::string> channel;
  std::vector<double> handle, nps;
};

raw_log random_raw(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  raw_log r;
  const std::vector<std::string> channels = {"phone", "chat", "email"};
  for (std::size_t i = 0; i < n; ++i) {
    r.customer.push_back(static_cast<std::int64_t>(rng() % 300));
    r.start.push_back(1767225600 + static_cast<std::int64_t>(rng() % (90 * 86400)));
    r.end.push_back(r.start.back() + static_cast<std::int64_t>(rng() % 3600));
    r.channel.push_back(channels[rng() % 3]);
    r.handle.push_back(static_cast<double>(rng() % 100000) / 100.0);
    r.nps.push_back(rng() % 4 == 0 ? static_cast<double>(rng() % 11) : std::nan(""));
  }
  return r;
}

// A log of the rows for which keep(customer) holds; each part dictionary-encodes its own channels, so the
// codes differ between parts and the merge must go by label.
md::contact_log make_log(const raw_log& r, bool (*keep)(std::int64_t)) {
  std::vector<std::int64_t> customer, start, end;
  std::vector<std::int32_t> channel;
  std::vector<double> handle, nps;
  auto labels = std::make_shared<std::vector<std::string>>();
  for (std::size_t i = 0; i < r.customer.size(); ++i) {
    if (!keep(r.customer[i])) continue;
    customer.push_back(r.customer[i]);
    start.push_back(r.start[i]);
    end.push_back(r.end[i]);
    auto it = std::find(labels->begin(), labels->end(), r.channel[i]);
    if (it == labels->end()) it = labels->insert(labels->end(), r.channel[i]);
    channel.push_back(static_cast<std::int32_t>(it - labels->begin()));
    handle.push_back(r.handle[i]);
    nps.push_back(r.nps[i]);
  }
  md::contact_columns c;
  c.customer = md::column<std::int64_t>::owning(customer);
  c.start = {md::column<std::int64_t>::owning(start), 1};
  c.end = {md::column<std::int64_t>::owning(end), 1};
  c.channel = {md::column<std::int32_t>::owning(channel), labels};
  c.handle_s = md::column<double>::owning(handle);
  c.nps = md::column<double>::owning(nps);
  return md::contact_log(std::move(c));
}

bool all(std::int64_t) { return true; }
bool even(std::int64_t c) { return c % 2 == 0; }
bool odd(std::int64_t c) { return c % 2 != 0; }

void expect_same_table(const ms::measure_table& a, const ms::measure_table& b) {
  ASSERT_EQ(a.rows(), b.rows());
  EXPECT_EQ(a.proportions, b.proportions);
  EXPECT_EQ(a.means, b.means);
  EXPECT_EQ(a.nps_counts, b.nps_counts);
  EXPECT_EQ(a.period_keys, b.period_keys);
  for (std::size_t r = 0; r < a.rows(); ++r) {
    for (std::size_t d = 0; d < a.by.size(); ++d)
      EXPECT_EQ(a.by_labels[d]->at(a.by_codes[d][r]), b.by_labels[d]->at(b.by_codes[d][r]));
    EXPECT_EQ(a.value[r], b.value[r]);  // bit-identical: the states are integers
    EXPECT_EQ(a.ci_low[r], b.ci_low[r]);
    EXPECT_EQ(a.ci_high[r], b.ci_high[r]);
  }
}

}  // namespace

TEST(MeasureMerge, CustomerPartitionsMergeToTheOnePassTable) {
  const auto raw = random_raw(20000, 5);
  const auto whole = make_log(raw, all), a = make_log(raw, even), b = make_log(raw, odd);
  const ms::grouping g{{"channel"}, ms::period_unit::month, "UTC"};
  const ms::table_options t;
  // The one-pass table renumbered by label, for a like-for-like comparison.
  const auto one_pass = [&](auto f) { return ms::merge({f(whole)}, t); };
  // Censoring must use one end of observation everywhere: each part's own latest contact would differ.
  ms::episode_options opt;
  opt.data_end_s = 1767225600.0 + 90 * 86400;
  const auto fcr = [&](const md::contact_log& l) { return ms::fcr(l, opt, g, t); };
  EXPECT_THROW((void)ms::merge({ms::fcr(a, {}, g, t), ms::fcr(b, {}, g, t)}, t), missionkit::data_error);
  expect_same_table(ms::merge({fcr(a), fcr(b)}, t), one_pass(fcr));
  const auto aht = [&](const md::contact_log& l) { return ms::aht(l, ms::handle_part::handle, g, t); };
  expect_same_table(ms::merge({aht(b), aht(a)}, t), one_pass(aht));
  const auto nps = [&](const md::contact_log& l) { return ms::nps(l, g, t); };
  expect_same_table(ms::merge({nps(a), nps(b)}, t), one_pass(nps));
  // The merged FCR counts equal the one-pass counts, not just the values.
  const auto whole_fcr = fcr(whole);
  std::uint64_t n_whole = 0, n_merged = 0;
  for (const auto& s : whole_fcr.proportions) n_whole += s.denominator;
  for (const auto& s : ms::merge({fcr(a), fcr(b)}, t).proportions) n_merged += s.denominator;
  EXPECT_EQ(n_whole, n_merged);
}

TEST(MeasureMerge, JsonRoundTripIsExact) {
  const auto raw = random_raw(5000, 9);
  const auto log = make_log(raw, all);
  const ms::grouping g{{"channel"}, ms::period_unit::week, "Europe/London"};
  for (const auto& table : {ms::aht(log, ms::handle_part::handle, g), ms::fcr(log, {}, g), ms::nps(log, g)}) {
    const auto back = ms::table_from_json(ms::to_json(table));
    expect_same_table(back, ms::merge({table}));
    EXPECT_EQ(back.measure, table.measure);
  }
}

TEST(MeasureMerge, RefusesDifferentMeasuresAndGroupings) {
  const auto log = make_log(random_raw(2000, 3), all);
  EXPECT_THROW((void)ms::merge({ms::fcr(log), ms::repeat_rate(log)}), missionkit::data_error);
  EXPECT_THROW((void)ms::merge({ms::fcr(log), ms::fcr(log, {}, ms::grouping{{"channel"}})}),
               missionkit::data_error);
  EXPECT_THROW((void)ms::merge({}), missionkit::data_error);
  EXPECT_THROW((void)ms::table_from_json("{\"format\": \"other\"}"), missionkit::data_error);
  EXPECT_THROW((void)ms::table_from_json("not json"), missionkit::data_error);
}
