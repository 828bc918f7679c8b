// Edges of the metric tree. An edge goes from a child (a driver or a component) to its parent, so
// every path ends at the north star.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace missionkit::model {

/// formula: the child is a term of the parent's arithmetic (e.g. repeat contacts are part of total
/// contacts). influence: a hypothesis that moving the child moves the parent, with an expected sign.
enum class edge_kind { formula, influence };

[[nodiscard]] const char* to_string(edge_kind v) noexcept;
[[nodiscard]] std::optional<edge_kind> parse_edge_kind(std::string_view s) noexcept;

struct tree_edge {
  std::string from;  // child metric id
  std::string to;    // parent metric id
  edge_kind kind = edge_kind::influence;
  int sign = 0;  // +1 or -1: expected direction of the effect; required for influence, optional for formula
  friend bool operator==(const tree_edge&, const tree_edge&) = default;
};

}  // namespace missionkit::model
