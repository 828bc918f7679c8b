// Loads a mission spec through the installed API and prints its sentence and validation summary.
#include <iostream>

#include "missionkit/missionkit.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer mission.yaml\n";
    return 2;
  }
  try {
    const auto spec = missionkit::model::load_spec(argv[1]);
    const auto issues = missionkit::model::validate(spec);
    std::cout << "missionkit " << missionkit::version_string << ": " << spec.mission.sentence() << "\n"
              << spec.metrics.size() << " metrics, " << issues.size() << " issues\n";
    return missionkit::model::has_errors(issues) ? 1 : 0;
  } catch (const missionkit::error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
