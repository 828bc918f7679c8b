// Objectives and key results bound to governed metrics. A key result names the metric *and* the
// definition version it is judged on, so a later redefinition cannot silently move the goalposts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "missionkit/core/date.hpp"

namespace missionkit::model {

struct key_result {
  std::string metric;          // metric id
  std::string metric_version;  // definition version the target was set against
  double baseline = 0;
  double target = 0;
  std::optional<double> stretch;  // beyond target, same side of baseline
  civil_date due;
  std::string description;
  friend bool operator==(const key_result&, const key_result&) = default;
};

struct objective {
  std::string objective;  // the qualitative goal
  std::string owner;
  std::vector<key_result> key_results;
  friend bool operator==(const model::objective&, const model::objective&) = default;
};

/// Score bands: below 0.3 fail, 0.3 to 0.7 commit, 0.7 to 1 target, 1 and above stretch.
enum class score_band { fail, commit, target, stretch };
[[nodiscard]] const char* to_string(score_band b) noexcept;

struct kr_score {
  double attainment = 0;  // (actual - baseline) / (target - baseline), clipped to [0, stretch ratio]
  score_band band = score_band::fail;
  friend bool operator==(const kr_score&, const kr_score&) = default;
};

/// \brief Scores a key result against an observed value.
///
/// attainment = (actual - baseline) / (target - baseline), 0 when the metric moved the wrong way,
/// capped at the stretch ratio (stretch - baseline) / (target - baseline), or at 1 without a stretch.
/// Throws missionkit::domain_error when target == baseline, when actual, baseline or target is not finite,
/// or when the stretch is not beyond the target.
[[nodiscard]] kr_score score(const key_result& kr, double actual);

}  // namespace missionkit::model
