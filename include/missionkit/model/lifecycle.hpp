// Analytic and improvement work tracked through its method's stages: CRISP-DM (Chapman et al. 2000),
// DMAIC (Six Sigma) and Boyd's OODA loop. A work item may only stand at a stage when every earlier
// stage has its exit evidence recorded: moving on without evidence is how projects drift.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace missionkit::model {

enum class framework { crisp_dm, dmaic, ooda };
[[nodiscard]] const char* to_string(framework v) noexcept;
[[nodiscard]] std::optional<framework> parse_framework(std::string_view s) noexcept;

/// \brief One stage of a framework and the artefacts that must exist before leaving it.
struct stage_spec {
  std::string_view name;
  std::span<const std::string_view> exit_evidence;  // required artefact names
};

/// \brief The ordered stages of a framework. CRISP-DM: business_understanding, data_understanding,
/// data_preparation, modeling, evaluation, deployment. DMAIC: define, measure, analyze, improve,
/// control. OODA: observe, orient, decide, act (a loop: act returns to observe, counting a cycle).
[[nodiscard]] std::span<const stage_spec> stages(framework f) noexcept;

/// \brief The position of `stage` in the framework, or std::nullopt if it is not one of its stages.
[[nodiscard]] std::optional<std::size_t> stage_index(framework f, std::string_view stage) noexcept;

struct work_item {
  std::string id;
  std::string title;
  model::framework framework = framework::crisp_dm;
  std::string stage;  // current stage name
  std::string owner;
  int cycle = 1;  // OODA loop count; always 1 for the linear frameworks
  // stage name -> artefact name -> evidence (a link, a document id, a sentence)
  std::map<std::string, std::map<std::string, std::string>> evidence;
  friend bool operator==(const work_item&, const work_item&) = default;
};

/// \brief The exit-evidence artefacts of `stage` still missing from `item` (empty when it may leave).
/// Throws missionkit::spec_error when `stage` is not a stage of the item's framework.
[[nodiscard]] std::vector<std::string> missing_evidence(const work_item& item, std::string_view stage);

/// \brief Records `evidence` for the current stage, then moves the item to the next stage (for OODA,
/// from act back to observe with cycle + 1). Throws missionkit::spec_error naming the item, the stage
/// and each missing artefact when the current stage's exit evidence is incomplete, and when the item
/// is already at the last stage of a linear framework. On error the item is unchanged. An OODA loop that
/// returns to observe clears the recorded evidence, so each cycle must record its own.
void advance(work_item& item, const std::map<std::string, std::string>& evidence = {});

}  // namespace missionkit::model
