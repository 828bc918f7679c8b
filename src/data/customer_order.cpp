// contact_log::by_customer(): accepted rows ordered by (customer, start, input position).
//
// Two stable LSD radix sorts, first by start then by customer, give that order in O(n) passes over
// 16-bit digits; only as many digits as the key range needs are sorted (a year of microseconds needs 3,
// a million customer ids 2). std::sort on 10M rows with a two-key comparator is several times slower.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "missionkit/data/contact_log.hpp"

namespace missionkit::data {

namespace {

// Stable sort of `rows` by key(row) (unsigned, offset so the smallest key is 0), 16 bits per pass.
template <typename Key>
void radix_sort_by(std::vector<std::uint32_t>& rows, Key key, std::uint64_t max_key) {
  if (rows.size() < 2 || max_key == 0) return;
  std::vector<std::uint32_t> buffer(rows.size());
  std::vector<std::uint64_t> keys(rows.size()), key_buffer(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) keys[i] = key(rows[i]);
  std::vector<std::size_t> count(std::size_t{1} << 16);
  for (int shift = 0; shift < 64 && (max_key >> shift) != 0; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (auto k : keys) ++count[(k >> shift) & 0xFFFF];
    std::size_t sum = 0;
    for (auto& c : count) {
      const std::size_t here = c;
      c = sum;
      sum += here;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::size_t slot = count[(keys[i] >> shift) & 0xFFFF]++;
      buffer[slot] = rows[i];
      key_buffer[slot] = keys[i];
    }
    rows.swap(buffer);
    keys.swap(key_buffer);
  }
}

// Sorts `rows` stably by the signed column `c`.
void sort_by_column(std::vector<std::uint32_t>& rows, const column<std::int64_t>& c) {
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
  bool sorted = true;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto v = c[rows[i]];
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (i > 0 && v < c[rows[i - 1]]) sorted = false;
  }
  if (sorted) return;  // logs usually arrive in time order; customer ids sometimes do
  // Unsigned wrap-around arithmetic gives v - lo exactly for any int64 pair.
  const auto base = static_cast<std::uint64_t>(lo);
  const std::uint64_t range = static_cast<std::uint64_t>(hi) - base;
  if (range < std::max<std::uint64_t>(2 * rows.size(), 1u << 16) && range < (std::uint64_t{1} << 27)) {
    // Dense keys (customer codes, or ids with few gaps): one stable counting sort, a single scatter.
    std::vector<std::uint32_t> count(range + 2, 0);
    for (auto row : rows) ++count[static_cast<std::uint64_t>(c[row]) - base + 1];
    for (std::size_t k = 1; k < count.size(); ++k) count[k] += count[k - 1];
    std::vector<std::uint32_t> out(rows.size());
    for (auto row : rows) out[count[static_cast<std::uint64_t>(c[row]) - base]++] = row;
    rows.swap(out);
    return;
  }
  radix_sort_by(
      rows, [&](std::uint32_t row) { return static_cast<std::uint64_t>(c[row]) - base; },
      static_cast<std::uint64_t>(hi) - base);
}

// Ticks of `value` (in a column with `from_tps` ticks per second) in units of `to_tps`; exact when one unit
// divides the other, as s/ms/us/ns do.
std::int64_t rescale(std::int64_t value, std::int64_t from_tps, std::int64_t to_tps) noexcept {
  if (from_tps == to_tps) return value;
  if (from_tps > to_tps) {
    const std::int64_t f = from_tps / to_tps;
    return value / f - ((value % f != 0 && value < 0) ? 1 : 0);
  }
  return value * (to_tps / from_tps);
}

}  // namespace

const contact_log::sorted_view& contact_log::customer_sorted() const {
  std::call_once(sorted_once_, [this] {
    std::vector<std::uint32_t> rows = validation_.accepted;  // ascending input positions
    // Accepted rows have a start and a customer (validation quarantines the rest). Stable passes: the
    // second sort keeps the first one's order among equal customers.
    sort_by_column(rows, columns_.start.ticks);
    sort_by_column(rows, columns_.customer);
    const std::size_t n = rows.size();
    sorted_view v;
    v.customer.resize(n);
    v.start.resize(n);
    v.end.resize(n);
    v.reason.assign(n, -1);
    v.channel.assign(n, -1);
    const auto& c = columns_;
    const auto tps = c.start.ticks_per_second;
    // One gather per column: independent loads that the CPU overlaps, unlike the dependent jumps of a
    // measure walking rows through the permutation.
    for (std::size_t i = 0; i < n; ++i) v.customer[i] = c.customer[rows[i]];
    for (std::size_t i = 0; i < n; ++i) v.start[i] = c.start.ticks[rows[i]];
    if (c.end.empty()) {
      v.end = v.start;
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        const auto e = c.end.ticks[rows[i]];
        v.end[i] = e == time_column::missing ? v.start[i] : rescale(e, c.end.ticks_per_second, tps);
      }
    }
    if (!c.reason.empty())
      for (std::size_t i = 0; i < n; ++i) v.reason[i] = c.reason.codes[rows[i]];
    if (!c.channel.empty())
      for (std::size_t i = 0; i < n; ++i) v.channel[i] = c.channel.codes[rows[i]];
    v.row = std::move(rows);
    sorted_ = std::move(v);
  });
  return sorted_;
}

}  // namespace missionkit::data
