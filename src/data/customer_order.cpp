// contact_log::customer_sorted(): accepted rows ordered by (customer, start, input position), and the
// columns the episode measures read, gathered into that order.
//
// One stable counting sort by customer (customer keys are usually dense: codes of string ids, or integer
// ids with few gaps), then each customer's run (a handful of contacts) is sorted by start where it is not
// already in time order. This needs no per-row key arrays, so the memory beyond the result is one index
// array, and it is several times faster than std::sort with a two-key comparator. Sparse integer ids fall
// back to an LSD radix sort on 16-bit digits.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "missionkit/core/parallel.hpp"
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

// Stable sort of `rows` by customer; returns the first position of each customer's run, plus rows.size().
std::vector<std::uint32_t> sort_by_customer(std::vector<std::uint32_t>& rows, const column<std::int64_t>& c) {
  const std::size_t n = rows.size();
  std::vector<std::uint32_t> begins;
  if (n == 0) return {0};
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
  bool sorted = true;
  for (std::size_t i = 0; i < n; ++i) {  // rows ascend, so this reads the column in order
    const auto v = c[rows[i]];
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (i > 0 && v < c[rows[i - 1]]) sorted = false;
  }
  // Unsigned wrap-around arithmetic gives v - lo exactly for any int64 pair.
  const auto base = static_cast<std::uint64_t>(lo);
  const std::uint64_t range = static_cast<std::uint64_t>(hi) - base;
  const bool dense = range < std::max<std::uint64_t>(2 * n, 1u << 16) && range < (std::uint64_t{1} << 27);
  if (!sorted && dense) {
    // Each thread counts and scatters its own block of rows; block t's slots for key k come after those of
    // blocks < t, which keeps the sort stable.
    const std::size_t blocks = block_count(n);
    std::vector<std::vector<std::uint32_t>> slot(blocks, std::vector<std::uint32_t>(range + 1, 0));
    parallel_blocks(n, [&](std::size_t t, std::size_t b, std::size_t e) {
      auto& h = slot[t];
      for (std::size_t i = b; i < e; ++i) ++h[static_cast<std::uint64_t>(c[rows[i]]) - base];
    });
    std::uint32_t next = 0;
    for (std::uint64_t k = 0; k <= range; ++k) {
      const std::uint32_t first = next;
      for (std::size_t t = 0; t < blocks; ++t) {
        const auto here = slot[t][k];
        slot[t][k] = next;
        next += here;
      }
      if (next > first) begins.push_back(first);
    }
    std::vector<std::uint32_t> out(n);
    parallel_blocks(n, [&](std::size_t t, std::size_t b, std::size_t e) {
      auto& s = slot[t];
      for (std::size_t i = b; i < e; ++i) out[s[static_cast<std::uint64_t>(c[rows[i]]) - base]++] = rows[i];
    });
    rows.swap(out);
  } else {
    if (!sorted)
      radix_sort_by(
          rows, [&](std::uint32_t row) { return static_cast<std::uint64_t>(c[row]) - base; }, range);
    begins.push_back(0);
    for (std::size_t i = 1; i < n; ++i)
      if (c[rows[i]] != c[rows[i - 1]]) begins.push_back(static_cast<std::uint32_t>(i));
  }
  begins.push_back(static_cast<std::uint32_t>(n));
  return begins;
}

// Sorts each customer's run by start, stably (equal starts keep input order, which the runs are in).
void sort_runs_by_start(std::vector<std::uint32_t>& rows, const std::vector<std::uint32_t>& begins,
                        const column<std::int64_t>& start) {
  const std::size_t runs = begins.size() - 1;
  parallel_blocks(
      runs,
      [&](std::size_t, std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r) {
          auto* first = rows.data() + begins[r];
          auto* last = rows.data() + begins[r + 1];
          if (last - first < 2) continue;
          const auto earlier = [&](std::uint32_t a, std::uint32_t b) { return start[a] < start[b]; };
          if (std::is_sorted(first, last, earlier)) continue;
          if (last - first <=
              32) {  // insertion sort: stable, and fastest for the short runs of real customers
            for (auto* i = first + 1; i < last; ++i) {
              const auto row = *i;
              auto* j = i;
              for (; j > first && start[*(j - 1)] > start[row]; --j) *j = *(j - 1);
              *j = row;
            }
          } else {
            std::stable_sort(first, last, earlier);
          }
        }
      },
      4096);
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
    // Accepted rows have a start and a customer (validation quarantines the rest).
    std::vector<std::uint32_t> rows = validation_.accepted;  // ascending input positions
    sorted_view v;
    v.customer_begin = sort_by_customer(rows, columns_.customer);
    sort_runs_by_start(rows, v.customer_begin, columns_.start.ticks);
    const std::size_t n = rows.size();
    v.start.resize(n);
    v.end.resize(n);
    v.reason.assign(n, -1);
    const auto& c = columns_;
    const auto tps = c.start.ticks_per_second;
    // One gather per column, split over the threads: independent loads that the CPU overlaps, unlike the
    // dependent jumps of a measure walking rows through the permutation.
    parallel_blocks(n, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) v.start[i] = c.start.ticks[rows[i]];
      if (c.end.empty()) {
        for (std::size_t i = b; i < e; ++i) v.end[i] = v.start[i];
      } else {
        for (std::size_t i = b; i < e; ++i) {
          const auto t = c.end.ticks[rows[i]];
          v.end[i] = t == time_column::missing ? v.start[i] : rescale(t, c.end.ticks_per_second, tps);
        }
      }
      if (!c.reason.empty())
        for (std::size_t i = b; i < e; ++i) v.reason[i] = c.reason.codes[rows[i]];
    });
    v.row = std::move(rows);
    sorted_ = std::move(v);
  });
  return sorted_;
}

std::shared_ptr<const std::vector<std::int32_t>> contact_log::sorted_channel() const {
  return derived<std::vector<std::int32_t>>("sorted_channel", [this] {
    const auto& rows = customer_sorted().row;
    std::vector<std::int32_t> out(rows.size(), -1);
    if (!columns_.channel.empty())
      parallel_blocks(rows.size(), [&](std::size_t, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) out[i] = columns_.channel.codes[rows[i]];
      });
    return out;
  });
}

}  // namespace missionkit::data
