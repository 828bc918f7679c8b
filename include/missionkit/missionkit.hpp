// Umbrella header: everything in the public C++ API. Prefer the area headers in your own code to keep
// compile times down; this one exists for quick starts and the include-every-header test.
#pragma once

#include "missionkit/core/arrow_c.hpp"
#include "missionkit/core/date.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/data/arrow_import.hpp"
#include "missionkit/data/column.hpp"
#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/contact_values.hpp"
#include "missionkit/measure/cx.hpp"
#include "missionkit/measure/merge.hpp"
#include "missionkit/measure/partial.hpp"
#include "missionkit/measure/period.hpp"
#include "missionkit/measure/table.hpp"
#include "missionkit/model/model.hpp"
#include "missionkit/ops/spc.hpp"
#include "missionkit/stats/stats.hpp"
#include "missionkit/version.hpp"
