// The spec's own operations that need neither the YAML parser nor the validator: lookup, model
// equality, the strict-mode exception and reading a file from disk.
#include "missionkit/model/spec.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "missionkit/core/error.hpp"

namespace missionkit::model {

const metric* spec::find_metric(std::string_view id) const noexcept {
  for (const metric& m : metrics)
    if (m.id == id) return &m;
  return nullptr;
}

bool spec::same_model(const spec& other) const {
  // Listed field by field (rather than a defaulted ==) so that the bookkeeping members, which are
  // deliberately not part of the value, can never sneak into the comparison.
  return spec_version == other.spec_version && settings == other.settings && mission == other.mission &&
         metrics == other.metrics && tree == other.tree && okrs == other.okrs && hoshin == other.hoshin &&
         blueprint == other.blueprint && logic_model == other.logic_model &&
         failure_demand == other.failure_demand && work == other.work && data == other.data &&
         analysis == other.analysis && experiments == other.experiments &&
         control_charts == other.control_charts;
}

void throw_if_errors(const std::vector<issue>& issues, std::string_view source_name) {
  std::size_t errors = 0;
  for (const issue& i : issues)
    if (i.severity == severity::error) ++errors;
  if (errors == 0) return;
  std::string message(source_name);
  message.append(": ").append(std::to_string(errors)).append(errors == 1 ? " error" : " errors");
  for (const issue& i : issues) {
    if (i.severity != severity::error) continue;
    message.push_back('\n');
    message.append(i.to_string());
  }
  throw spec_error(message);
}

spec load_spec(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  // An ifstream opens a directory without complaint on POSIX and then reads nothing; say what it is.
  if (std::filesystem::is_directory(path, ec))
    throw spec_error("cannot read spec file '" + name + "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw spec_error("cannot read spec file '" + name + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw spec_error("cannot read spec file '" + name + "': read error");
  return parse_spec(text.str(), name);
}

}  // namespace missionkit::model
