// A logic model (W.K. Kellogg Foundation, 2004): inputs -> activities -> outputs -> outcomes. Each
// activity names the driver metrics it is expected to move and the outcome metrics those drivers serve,
// with the assumption that links them written down so it can be tested.
#pragma once

#include <string>
#include <vector>

namespace missionkit::model {

struct logic_activity {
  std::string id;
  std::string text;
  std::vector<std::string> outputs;   // what the activity produces (countable)
  std::vector<std::string> drivers;   // driver metric ids it should move
  std::vector<std::string> outcomes;  // outcome metric ids the drivers serve
  std::string assumption;             // why the drivers should move the outcomes
  friend bool operator==(const logic_activity&, const logic_activity&) = default;
};

struct logic_model {
  std::vector<std::string> inputs;
  std::vector<logic_activity> activities;
  [[nodiscard]] bool empty() const noexcept { return inputs.empty() && activities.empty(); }
  friend bool operator==(const logic_model&, const logic_model&) = default;
};

}  // namespace missionkit::model
