#include "missionkit/core/parallel.hpp"

#include <atomic>

namespace missionkit {

namespace {
std::atomic<unsigned> configured_threads{0};
}

void set_threads(unsigned n) noexcept { configured_threads.store(n, std::memory_order_relaxed); }

unsigned threads() noexcept {
  const unsigned n = configured_threads.load(std::memory_order_relaxed);
  if (n != 0) return n;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

}  // namespace missionkit
