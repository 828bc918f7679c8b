// A minimal fork-join over index ranges. Measures split their rows into one contiguous block per thread,
// each thread fills its own partial state, and the caller merges the states in block order, so results
// do not depend on scheduling (and, with integer states, not on the thread count either).
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace missionkit {

/// Threads used by parallel work; 0 (the default) means std::thread::hardware_concurrency().
void set_threads(unsigned n) noexcept;
[[nodiscard]] unsigned threads() noexcept;

/// The number of blocks parallel_blocks(n, ...) will use, so callers can size per-block state first.
[[nodiscard]] inline std::size_t block_count(std::size_t n, std::size_t min_per_block = 65536) {
  return std::max<std::size_t>(1,
                               std::min<std::size_t>(threads(), n / std::max<std::size_t>(1, min_per_block)));
}

/// \brief Calls fn(block, begin, end) for `blocks` contiguous blocks covering [0, n), one thread each
/// (the calling thread runs block 0). Rethrows the first exception after all blocks finish.
/// Small inputs (n < min_per_block * 2) run as one block.
template <typename Fn>
std::size_t parallel_blocks(std::size_t n, Fn&& fn, std::size_t min_per_block = 65536) {
  const std::size_t blocks = block_count(n, min_per_block);
  std::vector<std::exception_ptr> errors(blocks);
  auto run = [&](std::size_t b) {
    try {
      fn(b, n * b / blocks, n * (b + 1) / blocks);
    } catch (...) {
      errors[b] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t b = 1; b < blocks; ++b) pool.emplace_back(run, b);
  run(0);
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return blocks;
}

}  // namespace missionkit
