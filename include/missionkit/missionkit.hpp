// Umbrella header: everything in the public C++ API. Prefer the area headers in your own code to keep
// compile times down; this one exists for quick starts and the include-every-header test.
#pragma once

#include "missionkit/core/date.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/model/model.hpp"
#include "missionkit/stats/stats.hpp"
#include "missionkit/version.hpp"
