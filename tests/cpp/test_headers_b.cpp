// See test_headers_a.cpp. (tests/CMakeLists.txt also compiles every header alone in its own translation
// unit, which proves each one self-contained.)
#include <gtest/gtest.h>

#include "missionkit/missionkit.hpp"

TEST(Headers, UmbrellaIsSelfContainedB) { EXPECT_GT(sizeof(missionkit::model::spec), 0u); }
