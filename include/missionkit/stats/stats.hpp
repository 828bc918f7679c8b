// Umbrella header of the statistics engine (missionkit::stats). Prefer the individual headers in your own
// code; every one of them is light (declarations only; Boost.Math lives in src/stats).
#pragma once

#include "missionkit/stats/alternative.hpp"
#include "missionkit/stats/assignment.hpp"
#include "missionkit/stats/bootstrap.hpp"
#include "missionkit/stats/contingency.hpp"
#include "missionkit/stats/did.hpp"
#include "missionkit/stats/distributions.hpp"
#include "missionkit/stats/effect.hpp"
#include "missionkit/stats/experiment.hpp"
#include "missionkit/stats/fixed_effects.hpp"
#include "missionkit/stats/multiple.hpp"
#include "missionkit/stats/nonparametric.hpp"
#include "missionkit/stats/power.hpp"
#include "missionkit/stats/proportion.hpp"
#include "missionkit/stats/proportions_2indep.hpp"
#include "missionkit/stats/ratio.hpp"
#include "missionkit/stats/regression.hpp"
#include "missionkit/stats/sequential.hpp"
#include "missionkit/stats/srm.hpp"
#include "missionkit/stats/stepped_wedge.hpp"
#include "missionkit/stats/ttest.hpp"
