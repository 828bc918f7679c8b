// The mission: one sentence with five parts (segment, situation, desired progress, time to value,
// measurable outcome), after the "mission-based analysis" discipline in shared/seeds.
#pragma once

#include <string>

namespace missionkit::model {

struct mission {
  std::string name;
  std::string segment;           // which customers, specifically
  std::string situation;         // the moment or job they are in
  std::string desired_progress;  // what they are trying to get done
  std::string time_to_value;     // ISO-8601 duration, e.g. "P14D"
  std::string outcome;           // id of the outcome-tier metric that is the north star

  /// "For <segment> who <situation>: <desired progress>, within <time to value in words>, measured by
  /// <outcome>." A situation starting "They ..." reads "who ..."; missing parts show as "[segment?]" etc.
  /// so a draft still prints. docs/model.md has the full rules.
  [[nodiscard]] std::string sentence() const;
  friend bool operator==(const mission&, const mission&) = default;
};

}  // namespace missionkit::model
