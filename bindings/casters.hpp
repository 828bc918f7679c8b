// Type casters that make C++ model values look native in Python: civil_date <-> datetime.date, and
// the model's enums <-> their spec strings ("outcome", "increase", ...), so Python code compares
// `metric.tier == "outcome"` exactly as the YAML spells it.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "missionkit/core/date.hpp"
#include "missionkit/model/hoshin.hpp"
#include "missionkit/model/issue.hpp"
#include "missionkit/model/lifecycle.hpp"
#include "missionkit/model/metric.hpp"
#include "missionkit/model/metric_tree.hpp"
#include "missionkit/model/okr.hpp"

namespace pybind11::detail {

template <>
struct type_caster<missionkit::civil_date> {
  PYBIND11_TYPE_CASTER(missionkit::civil_date, const_name("datetime.date"));

  bool load(handle src, bool /*convert*/) {
    if (!src) return false;
    auto date_type = module_::import("datetime").attr("date");
    if (isinstance<str>(src)) {  // accept "YYYY-MM-DD" where a date is expected, as the spec does
      auto parsed = missionkit::parse_date(src.cast<std::string>());
      if (!parsed) return false;
      value = *parsed;
      return true;
    }
    // datetime.datetime is a subclass of date; take its calendar day.
    if (!isinstance(src, date_type)) return false;
    value = missionkit::civil_date{src.attr("year").cast<int>(), src.attr("month").cast<int>(),
                                   src.attr("day").cast<int>()};
    return true;
  }

  static handle cast(const missionkit::civil_date& d, return_value_policy, handle) {
    return module_::import("datetime").attr("date")(d.year, d.month, d.day).release();
  }
};

// Enums travel as their spec strings. `Parse` returns std::optional<E>.
template <typename E, auto Parse>
struct string_enum_caster {
  PYBIND11_TYPE_CASTER(E, const_name("str"));

  bool load(handle src, bool) {
    if (!isinstance<str>(src)) return false;
    auto parsed = Parse(src.cast<std::string>());
    if (!parsed) return false;
    value = *parsed;
    return true;
  }
  static handle cast(E v, return_value_policy, handle) {
    return str(missionkit::model::to_string(v)).release();
  }
};

#define MISSIONKIT_STRING_ENUM(E, PARSE) \
  template <>                            \
  struct type_caster<E> : string_enum_caster<E, PARSE> {}

MISSIONKIT_STRING_ENUM(missionkit::model::tier, missionkit::model::parse_tier);
MISSIONKIT_STRING_ENUM(missionkit::model::lens, missionkit::model::parse_lens);
MISSIONKIT_STRING_ENUM(missionkit::model::heart, missionkit::model::parse_heart);
MISSIONKIT_STRING_ENUM(missionkit::model::direction, missionkit::model::parse_direction);
MISSIONKIT_STRING_ENUM(missionkit::model::edge_kind, missionkit::model::parse_edge_kind);
MISSIONKIT_STRING_ENUM(missionkit::model::correlation, missionkit::model::parse_correlation);
MISSIONKIT_STRING_ENUM(missionkit::model::framework, missionkit::model::parse_framework);

#undef MISSIONKIT_STRING_ENUM

}  // namespace pybind11::detail
