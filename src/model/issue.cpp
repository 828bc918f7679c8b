#include "missionkit/model/issue.hpp"

#include <algorithm>

namespace missionkit::model {

std::string issue::to_string() const {
  std::string out;
  if (line > 0) out += "line " + std::to_string(line) + ": ";
  // A path is empty only for findings about the document as a whole; don't print an empty "": " prefix.
  if (!path.empty()) out += path + ": ";
  out += model::to_string(severity);
  out += ": ";
  out += message;
  return out;
}

bool has_errors(const std::vector<issue>& issues) noexcept {
  return std::any_of(issues.begin(), issues.end(),
                     [](const issue& i) { return i.severity == severity::error; });
}

}  // namespace missionkit::model
