#pragma once

// Kept in step with pyproject.toml and CMakeLists.txt by tests/python/test_package.py.
#define MISSIONKIT_VERSION_MAJOR 0
#define MISSIONKIT_VERSION_MINOR 1
#define MISSIONKIT_VERSION_PATCH 0
#define MISSIONKIT_VERSION_STRING "0.1.0"

namespace missionkit {
inline constexpr const char* version_string = MISSIONKIT_VERSION_STRING;
}  // namespace missionkit
