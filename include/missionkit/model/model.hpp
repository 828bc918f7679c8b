// The mission model: every header of missionkit/model.
#pragma once

#include "missionkit/model/analysis.hpp"
#include "missionkit/model/blueprint.hpp"
#include "missionkit/model/dictionary.hpp"
#include "missionkit/model/hoshin.hpp"
#include "missionkit/model/issue.hpp"
#include "missionkit/model/lifecycle.hpp"
#include "missionkit/model/logic_model.hpp"
#include "missionkit/model/metric.hpp"
#include "missionkit/model/metric_tree.hpp"
#include "missionkit/model/mission.hpp"
#include "missionkit/model/okr.hpp"
#include "missionkit/model/spec.hpp"
