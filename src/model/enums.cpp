// Text forms of the model's enumerations. The spellings are the spec file's vocabulary (lower-case,
// snake_case), so to_string() output always parses back.
#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "missionkit/model/hoshin.hpp"
#include "missionkit/model/issue.hpp"
#include "missionkit/model/metric.hpp"
#include "missionkit/model/metric_tree.hpp"

namespace missionkit::model {

namespace {

// One table per enum keeps each spelling in a single place for both directions.
template <typename E, std::size_t N>
using name_table = std::array<std::pair<E, const char*>, N>;

constexpr name_table<tier, 3> tier_names{
    {{tier::outcome, "outcome"}, {tier::driver, "driver"}, {tier::control, "control"}}};
constexpr name_table<lens, 3> lens_names{
    {{lens::customer, "customer"}, {lens::business, "business"}, {lens::risk, "risk"}}};
constexpr name_table<heart, 5> heart_names{{{heart::happiness, "happiness"},
                                            {heart::engagement, "engagement"},
                                            {heart::adoption, "adoption"},
                                            {heart::retention, "retention"},
                                            {heart::task_success, "task_success"}}};
constexpr name_table<direction, 2> direction_names{
    {{direction::increase, "increase"}, {direction::decrease, "decrease"}}};
constexpr name_table<edge_kind, 2> edge_kind_names{
    {{edge_kind::formula, "formula"}, {edge_kind::influence, "influence"}}};
constexpr name_table<correlation, 3> correlation_names{
    {{correlation::strong, "strong"}, {correlation::medium, "medium"}, {correlation::weak, "weak"}}};
constexpr name_table<severity, 2> severity_names{
    {{severity::error, "error"}, {severity::warning, "warning"}}};

template <typename E, std::size_t N>
const char* name_of(const name_table<E, N>& table, E v) noexcept {
  for (const auto& [value, name] : table)
    if (value == v) return name;
  return "?";  // only reachable with a value cast from an out-of-range integer
}

template <typename E, std::size_t N>
std::optional<E> value_of(const name_table<E, N>& table, std::string_view s) noexcept {
  for (const auto& [value, name] : table)
    if (s == name) return value;
  return std::nullopt;
}

}  // namespace

const char* to_string(tier v) noexcept { return name_of(tier_names, v); }
const char* to_string(lens v) noexcept { return name_of(lens_names, v); }
const char* to_string(heart v) noexcept { return name_of(heart_names, v); }
const char* to_string(direction v) noexcept { return name_of(direction_names, v); }
const char* to_string(edge_kind v) noexcept { return name_of(edge_kind_names, v); }
const char* to_string(correlation v) noexcept { return name_of(correlation_names, v); }
const char* to_string(severity s) noexcept { return name_of(severity_names, s); }

std::optional<tier> parse_tier(std::string_view s) noexcept { return value_of(tier_names, s); }
std::optional<lens> parse_lens(std::string_view s) noexcept { return value_of(lens_names, s); }
std::optional<heart> parse_heart(std::string_view s) noexcept { return value_of(heart_names, s); }
std::optional<direction> parse_direction(std::string_view s) noexcept { return value_of(direction_names, s); }
std::optional<edge_kind> parse_edge_kind(std::string_view s) noexcept { return value_of(edge_kind_names, s); }
std::optional<correlation> parse_correlation(std::string_view s) noexcept {
  return value_of(correlation_names, s);
}

bool hoshin::empty() const noexcept {
  return breakthroughs.empty() && annual.empty() && priorities.empty() && metrics.empty() && owners.empty() &&
         cells.empty();
}

}  // namespace missionkit::model
