// A service blueprint (Shostack 1984; Bitner, Ostrom & Morgan 2008): the journey as ordered stages,
// each with lanes for customer actions, frontstage (visible) actions, backstage actions and support
// processes. The line of visibility runs between frontstage and backstage.
#pragma once

#include <string>
#include <vector>

namespace missionkit::model {

struct blueprint_step {
  std::string text;
  std::vector<std::string> metrics;  // metric ids observed at this step
  bool fail_point = false;           // a known point of failure (feeds failure-demand overlays)
  friend bool operator==(const blueprint_step&, const blueprint_step&) = default;
};

struct blueprint_stage {
  std::string id;
  std::string name;
  std::vector<blueprint_step> customer;    // customer actions
  std::vector<blueprint_step> frontstage;  // above the line of visibility
  std::vector<blueprint_step> backstage;   // below the line of visibility
  std::vector<blueprint_step> support;     // support processes
  friend bool operator==(const blueprint_stage&, const blueprint_stage&) = default;
};

struct blueprint {
  std::string name;
  std::vector<blueprint_stage> stages;  // in journey order
  [[nodiscard]] bool empty() const noexcept { return name.empty() && stages.empty(); }
  friend bool operator==(const blueprint&, const blueprint&) = default;
};

}  // namespace missionkit::model
