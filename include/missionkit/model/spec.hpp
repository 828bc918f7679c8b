// The mission spec: everything a team declares about its mission, loaded from one YAML or JSON file.
// Loading never throws for content problems (wrong types, unknown keys, bad dates): those become
// issues with a path and a line, so a user sees every problem at once. Only text that is not YAML at
// all, or an unreadable file, throws spec_error.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/model/analysis.hpp"
#include "missionkit/model/blueprint.hpp"
#include "missionkit/model/hoshin.hpp"
#include "missionkit/model/issue.hpp"
#include "missionkit/model/lifecycle.hpp"
#include "missionkit/model/logic_model.hpp"
#include "missionkit/model/metric.hpp"
#include "missionkit/model/metric_tree.hpp"
#include "missionkit/model/mission.hpp"
#include "missionkit/model/okr.hpp"

namespace missionkit::model {

/// Checks' knobs, under the spec's top-level `settings:` key.
struct settings {
  int max_drivers_per_outcome = 7;  // more direct drivers than this is metric sprawl (a warning)
  friend bool operator==(const settings&, const settings&) = default;
};

/// Line and column (1-based) of a spec path in the source text.
struct source_position {
  int line = 0;
  int column = 0;
  friend bool operator==(const source_position&, const source_position&) = default;
};

struct spec {
  std::string spec_version = "1";
  model::settings settings;
  model::mission mission;
  std::vector<metric> metrics;
  std::vector<tree_edge> tree;
  std::vector<objective> okrs;
  model::hoshin hoshin;
  model::blueprint blueprint;
  model::logic_model logic_model;
  /// Contact reasons that are failure demand (demand caused by a failure to do something, or do it right,
  /// for the customer: Seddon 2003), as the contact log names them; the failure-demand measure uses them.
  std::vector<std::string> failure_demand;
  std::vector<work_item> work;
  std::optional<data_mapping> data;           // how to read the contact log (`data:`)
  std::optional<analysis_settings> analysis;  // analysis defaults (`analysis:`)
  std::vector<experiment> experiments;
  std::vector<control_chart_spec> control_charts;

  // Not part of the model's value (excluded from ==): where the spec came from, where each path sits
  // in the text, and what the loader found while reading it.
  std::string source_name;                           // file path or "<string>"
  std::map<std::string, source_position> positions;  // "metrics[3].owner" -> line/column
  std::vector<issue> load_issues;                    // wrong types, unknown keys, bad dates, ...

  /// The metric with this id, or nullptr.
  [[nodiscard]] const metric* find_metric(std::string_view id) const noexcept;

  /// Model equality: every declared field, ignoring source_name, positions and load_issues.
  [[nodiscard]] bool same_model(const spec& other) const;
};

/// \brief Parses YAML (or JSON, which is YAML 1.2 flow syntax) into a spec. Content problems are
/// recorded in spec::load_issues; throws spec_error with the line and column when the text is not
/// well-formed YAML or its top level is not a mapping.
[[nodiscard]] spec parse_spec(std::string_view text, std::string_view source_name = "<string>");

/// \brief Reads and parses a spec file; throws spec_error when the file cannot be read.
[[nodiscard]] spec load_spec(const std::filesystem::path& path);

/// \brief Every issue in the spec: the loader's, then the semantic checks (references, cycles, tiers,
/// sprawl, owners, OKRs, X-matrix coverage, lifecycle evidence, the mission linter). Each issue carries
/// the line and column of its path when the spec was parsed from text.
[[nodiscard]] std::vector<issue> validate(const spec& s);

/// \brief Throws spec_error listing every error (one per line, "path: error: message") if any.
void throw_if_errors(const std::vector<issue>& issues, std::string_view source_name);

/// \brief Canonical YAML; parse_spec(to_yaml(s)) is same_model() as s. Doubles are written in their
/// shortest round-trip form, dates as YYYY-MM-DD.
[[nodiscard]] std::string to_yaml(const spec& s);

/// \brief The same document as JSON (what Python's Spec.to_dict() is built from).
[[nodiscard]] std::string to_json(const spec& s);

}  // namespace missionkit::model
