// Helpers shared by the GoogleTest files.
#pragma once

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "missionkit/core/error.hpp"

/// EXPECT_NEAR with a tolerance relative to the expected value.
#define MK_EXPECT_REL(got, want, rtol) EXPECT_NEAR((got), (want), (rtol)*std::abs(want))

namespace missionkit::testing {

/// The message of the missionkit::error that `f` throws, or "no error".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const missionkit::error& e) {
    return e.what();
  }
  return "no error";
}

/// Path of a bundled example mission spec (MISSIONKIT_SOURCE_DIR is the repository root).
inline std::filesystem::path example_path(std::string_view name = "bank_card_replacement") {
  return std::filesystem::path(MISSIONKIT_SOURCE_DIR) / "examples" / "missions" /
         (std::string(name) + ".yaml");
}

/// Expects `got` to equal an oracle value: NaN where it is NaN, the same infinity, else within rtol.
inline void expect_same(double got, double want, double rtol, const std::string& where) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << where;
  } else if (std::isinf(want)) {
    EXPECT_EQ(got, want) << where;
  } else {
    EXPECT_NEAR(got, want, rtol * std::abs(want) + 1e-300) << where;
  }
}

}  // namespace missionkit::testing
