#include "missionkit/model/lifecycle.hpp"

#include <string>
#include <vector>

#include "missionkit/core/error.hpp"

namespace missionkit::model {

namespace {

using std::string_view;

// Exit evidence: the artefacts a stage must leave behind before the work may move on. The tables are
// the methods' own outputs, trimmed to the ones a reviewer can check exists.

// CRISP-DM 1.0 (Chapman et al. 2000), the "outputs" of each phase's generic tasks.
constexpr string_view crisp_business_understanding[] = {"business_objectives", "success_criteria"};
constexpr string_view crisp_data_understanding[] = {"data_description", "data_quality_report"};
constexpr string_view crisp_data_preparation[] = {"dataset_description"};
constexpr string_view crisp_modeling[] = {"modeling_technique", "test_design"};
constexpr string_view crisp_evaluation[] = {"assessment", "approved_models"};
constexpr string_view crisp_deployment[] = {"deployment_plan", "monitoring_plan"};
constexpr stage_spec crisp_dm_stages[] = {
    {"business_understanding", crisp_business_understanding},
    {"data_understanding", crisp_data_understanding},
    {"data_preparation", crisp_data_preparation},
    {"modeling", crisp_modeling},
    {"evaluation", crisp_evaluation},
    {"deployment", crisp_deployment},
};

// DMAIC (Six Sigma tollgates): the project charter and critical-to-quality requirements, a baseline
// with a measurement-system analysis, verified root causes, a piloted solution, a control plan.
constexpr string_view dmaic_define[] = {"charter", "ctq"};
constexpr string_view dmaic_measure[] = {"baseline", "msa"};
constexpr string_view dmaic_analyze[] = {"root_causes"};
constexpr string_view dmaic_improve[] = {"solution", "pilot_results"};
constexpr string_view dmaic_control[] = {"control_plan"};
constexpr stage_spec dmaic_stages[] = {
    {"define", dmaic_define},   {"measure", dmaic_measure}, {"analyze", dmaic_analyze},
    {"improve", dmaic_improve}, {"control", dmaic_control},
};

// Boyd's OODA loop: one artefact per step, so a fast loop still leaves a trace of what it saw and did.
constexpr string_view ooda_observe[] = {"observations"};
constexpr string_view ooda_orient[] = {"assessment"};
constexpr string_view ooda_decide[] = {"decision"};
constexpr string_view ooda_act[] = {"action_result"};
constexpr stage_spec ooda_stages[] = {
    {"observe", ooda_observe},
    {"orient", ooda_orient},
    {"decide", ooda_decide},
    {"act", ooda_act},
};

std::string stage_list(framework f) {
  std::string out;
  for (const auto& s : stages(f)) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += "'" + n + "'";
  }
  return out;
}

}  // namespace

const char* to_string(framework v) noexcept {
  switch (v) {
    case framework::crisp_dm:
      return "crisp_dm";
    case framework::dmaic:
      return "dmaic";
    case framework::ooda:
      return "ooda";
  }
  return "unknown";
}

std::optional<framework> parse_framework(std::string_view s) noexcept {
  for (framework f : {framework::crisp_dm, framework::dmaic, framework::ooda})
    if (s == to_string(f)) return f;
  return std::nullopt;
}

std::span<const stage_spec> stages(framework f) noexcept {
  switch (f) {
    case framework::crisp_dm:
      return crisp_dm_stages;
    case framework::dmaic:
      return dmaic_stages;
    case framework::ooda:
      return ooda_stages;
  }
  return {};
}

std::optional<std::size_t> stage_index(framework f, std::string_view stage) noexcept {
  const auto all = stages(f);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].name == stage) return i;
  return std::nullopt;
}

std::vector<std::string> missing_evidence(const work_item& item, std::string_view stage) {
  const auto index = stage_index(item.framework, stage);
  // An unknown stage has no defined exit evidence; answering "nothing missing" would let a typo pass.
  if (!index)
    throw spec_error("work item '" + item.id + "': '" + std::string(stage) + "' is not a stage of " +
                     to_string(item.framework) + "; use one of: " + stage_list(item.framework));
  const auto recorded = item.evidence.find(std::string(stage));
  std::vector<std::string> missing;
  for (string_view artefact : stages(item.framework)[*index].exit_evidence) {
    bool present = false;
    if (recorded != item.evidence.end()) {
      const auto it = recorded->second.find(std::string(artefact));
      present = it != recorded->second.end() && !it->second.empty();
    }
    if (!present) missing.emplace_back(artefact);
  }
  return missing;
}

void advance(work_item& item, const std::map<std::string, std::string>& evidence) {
  const auto all = stages(item.framework);
  const auto index = stage_index(item.framework, item.stage);
  if (!index)
    throw spec_error("work item '" + item.id + "': current stage '" + item.stage + "' is not a stage of " +
                     to_string(item.framework) + "; set it to one of: " + stage_list(item.framework));
  const bool loops = item.framework == framework::ooda;
  if (!loops && *index + 1 == all.size())
    throw spec_error("work item '" + item.id + "' is already at '" + item.stage + "', the last " +
                     to_string(item.framework) + " stage; there is no stage to advance to");

  // Work on a copy and commit with a non-throwing move: on any error the caller's item is untouched.
  work_item next = item;
  auto& recorded = next.evidence[next.stage];
  for (const auto& [artefact, text] : evidence) recorded[artefact] = text;

  const auto missing = missing_evidence(next, next.stage);
  if (!missing.empty())
    throw spec_error("work item '" + item.id + "' cannot leave stage '" + item.stage +
                     "': missing exit evidence " + quoted_list(missing) + "; record " +
                     (missing.size() == 1 ? "it" : "them") + " before advancing");

  if (*index + 1 < all.size()) {
    next.stage = std::string(all[*index + 1].name);
  } else {
    // OODA: act closes the loop. The new loop must earn its own evidence, otherwise the gate would be
    // open for every later loop; the finished loop's record is whatever the links point at (and the
    // spec's history in version control).
    next.stage = std::string(all.front().name);
    next.cycle += 1;
    next.evidence.clear();
  }
  item = std::move(next);
}

}  // namespace missionkit::model
