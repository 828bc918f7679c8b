// A governed metric: who owns it, where its numbers come from, and every dated definition it has had.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/core/date.hpp"
#include "missionkit/model/analysis.hpp"

namespace missionkit::model {

/// Where a metric sits in the cascade: the outcome the mission is judged on, a leading indicator that
/// drives it, or an operational control kept within bounds while the drivers move.
enum class tier { outcome, driver, control };
/// Whose point of view the metric measures.
enum class lens { customer, business, risk };
/// Google's HEART framework categories (Rodden, Hutchinson & Fu, CHI 2010).
enum class heart { happiness, engagement, adoption, retention, task_success };
/// Which way is better.
enum class direction { increase, decrease };

[[nodiscard]] const char* to_string(tier v) noexcept;
[[nodiscard]] const char* to_string(lens v) noexcept;
[[nodiscard]] const char* to_string(heart v) noexcept;
[[nodiscard]] const char* to_string(direction v) noexcept;
[[nodiscard]] std::optional<tier> parse_tier(std::string_view s) noexcept;
[[nodiscard]] std::optional<lens> parse_lens(std::string_view s) noexcept;
[[nodiscard]] std::optional<heart> parse_heart(std::string_view s) noexcept;
[[nodiscard]] std::optional<direction> parse_direction(std::string_view s) noexcept;

/// \brief One version of a metric's calculation rule, in force from effective_from until the next
/// version's effective_from.
struct definition {
  std::string version;        // e.g. "1", "2.1"; unique within the metric
  civil_date effective_from;  // first day the rule applies
  std::string rule;           // the calculation, in words or pseudo-SQL
  std::string change_note;    // why it changed (empty for the first version)
  std::optional<measure_spec>
      measure;  // this version's own measure, when the rule changed how it is computed
  friend bool operator==(const definition&, const definition&) = default;
};

struct metric {
  std::string id;  // [a-z][a-z0-9_]*, unique in the spec
  std::string name;
  model::tier tier = tier::driver;
  model::lens lens = lens::customer;
  std::optional<model::heart> heart;
  std::string unit;  // e.g. "ratio", "seconds", "GBP", "score"
  model::direction direction = direction::increase;
  std::string owner;   // accountable person or team
  std::string source;  // source of truth: system, table or report
  std::string description;
  std::vector<definition> definitions;  // ordered by effective_from
  std::optional<measure_spec> measure;  // how to compute it from the contact log (absent: from elsewhere)
  friend bool operator==(const metric&, const metric&) = default;
};

}  // namespace missionkit::model
