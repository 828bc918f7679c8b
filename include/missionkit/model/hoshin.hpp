// The Hoshin Kanri X-matrix: breakthrough objectives (3-5 years), annual objectives, improvement
// priorities, the metrics that track them and the owners who resource them, tied by correlation cells.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace missionkit::model {

struct hoshin_item {
  std::string id;
  std::string text;
  friend bool operator==(const hoshin_item&, const hoshin_item&) = default;
};

/// Strength of a correlation cell, drawn as a filled circle, an open circle and a triangle.
enum class correlation { strong, medium, weak };
[[nodiscard]] const char* to_string(correlation v) noexcept;
[[nodiscard]] std::optional<correlation> parse_correlation(std::string_view s) noexcept;

/// A cell of the matrix. The pair must be one of: breakthrough-annual, annual-priority,
/// priority-metric (a metric id), priority-owner.
struct hoshin_cell {
  std::string from;
  std::string to;
  correlation strength = correlation::strong;
  friend bool operator==(const hoshin_cell&, const hoshin_cell&) = default;
};

struct hoshin {
  std::vector<hoshin_item> breakthroughs;
  std::vector<hoshin_item> annual;
  std::vector<hoshin_item> priorities;
  std::vector<std::string> metrics;  // metric ids shown on the matrix
  std::vector<hoshin_item> owners;   // id and display name
  std::vector<hoshin_cell> cells;
  [[nodiscard]] bool empty() const noexcept;
  friend bool operator==(const hoshin&, const hoshin&) = default;
};

}  // namespace missionkit::model
