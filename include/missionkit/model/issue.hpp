// What validation says about a spec. Every check reports through this one type, so Python, the CLI
// and a C++ host print the same thing.
#pragma once

#include <string>
#include <vector>

namespace missionkit::model {

enum class severity { error, warning };

[[nodiscard]] const char* to_string(severity s) noexcept;

/// \brief One finding about a spec: where (a path into the spec, e.g. "metrics[3].owner", and the
/// line/column in the file when known), how bad, and a message that names the object and the fix.
struct issue {
  std::string path;
  model::severity severity = severity::error;
  std::string message;
  int line = 0;    // 1-based; 0 when unknown (a spec built in code, or from a dict)
  int column = 0;  // 1-based; 0 when unknown

  /// "path: severity: message", prefixed by "line L:" when the line is known. The CLI prints this.
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const issue&, const issue&) = default;
};

[[nodiscard]] bool has_errors(const std::vector<issue>& issues) noexcept;

}  // namespace missionkit::model
