// Every public header, included in two translation units (this one and test_headers_b.cpp): a
// non-inline definition in a header breaks the link, and a header that is not self-contained breaks
// the compile of the file that includes it first.
#include "missionkit/missionkit.hpp"

#include <gtest/gtest.h>

TEST(Headers, UmbrellaIsSelfContainedA) {
  EXPECT_STREQ(missionkit::version_string, MISSIONKIT_VERSION_STRING);
}
