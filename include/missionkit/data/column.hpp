// Columns as views over memory that may belong to someone else (a numpy array, an Arrow buffer), kept
// alive by a type-erased owner. This is how a contact log of 100M rows reaches the measures without a
// copy of its numeric columns.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace missionkit::data {

/// \brief A read-only, contiguous column of T that either owns its values or borrows them.
///
/// Copies are cheap (they share the owner). An empty column means "not mapped".
template <typename T>
class column {
 public:
  column() = default;

  /// Takes ownership of `values`.
  static column owning(std::vector<T> values) {
    auto holder = std::make_shared<const std::vector<T>>(std::move(values));
    column c;
    c.values_ = std::span<const T>(holder->data(), holder->size());
    c.owner_ = holder;
    c.owned_ = true;
    return c;
  }

  /// Borrows `values`; `owner` keeps the memory alive for as long as any copy of the column exists
  /// (for example a Python object holding the numpy array). Pass nullptr only for memory that outlives
  /// the column, such as a static array in a test.
  static column borrowed(std::span<const T> values, std::shared_ptr<const void> owner) {
    column c;
    c.values_ = values;
    c.owner_ = std::move(owner);
    return c;
  }

  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  [[nodiscard]] bool empty() const noexcept { return values_.empty(); }
  [[nodiscard]] const T* data() const noexcept { return values_.data(); }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return values_[i]; }
  [[nodiscard]] std::span<const T> values() const noexcept { return values_; }
  [[nodiscard]] auto begin() const noexcept { return values_.begin(); }
  [[nodiscard]] auto end() const noexcept { return values_.end(); }
  /// True when the values live in memory this column does not own (zero-copy from the caller).
  [[nodiscard]] bool is_borrowed() const noexcept { return !owned_ && !values_.empty(); }

 private:
  std::span<const T> values_;
  std::shared_ptr<const void> owner_;
  bool owned_ = false;
};

}  // namespace missionkit::data
