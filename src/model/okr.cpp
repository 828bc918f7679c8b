#include "missionkit/model/okr.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "missionkit/core/error.hpp"

namespace missionkit::model {

namespace {

// Shortest round-trip text, so a message shows 0.88 and not 0.880000.
std::string number_text(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, p) : std::string("?");
}

}  // namespace

const char* to_string(score_band b) noexcept {
  switch (b) {
    case score_band::fail:
      return "fail";
    case score_band::commit:
      return "commit";
    case score_band::target:
      return "target";
    case score_band::stretch:
      return "stretch";
  }
  return "unknown";
}

kr_score score(const key_result& kr, double actual) {
  const std::string what = "key result on '" + kr.metric + "'";
  if (!std::isfinite(actual))
    throw domain_error(what + ": the observed value is not finite; score a real measurement");
  if (!std::isfinite(kr.baseline) || !std::isfinite(kr.target))
    throw domain_error(what + ": baseline and target must be finite numbers");
  const double span = kr.target - kr.baseline;
  // The ratio is undefined without a distance to travel; validate() reports this as an error too.
  if (span == 0)
    throw domain_error(what +
                       ": target equals baseline, so attainment is undefined; set a target that moves");

  // Linear attainment, the usual OKR grading (Doerr, "Measure What Matters", 2018): 0 at the baseline,
  // 1 at the target, whichever way the metric improves, since the sign of `span` carries the direction.
  double cap = 1;
  if (kr.stretch) {
    cap = (*kr.stretch - kr.baseline) / span;
    // A stretch short of the target would cap attainment below 1 and make the target unreachable.
    if (!std::isfinite(cap) || cap <= 1)
      throw domain_error(what + ": stretch " + number_text(*kr.stretch) +
                         " is not beyond the target on the same side of the baseline; fix or remove it");
  }
  const double raw = (actual - kr.baseline) / span;
  kr_score out;
  out.attainment = std::clamp(raw, 0.0, cap);  // moving the wrong way scores 0, not a negative
  out.band = out.attainment < 0.3   ? score_band::fail
             : out.attainment < 0.7 ? score_band::commit
             : out.attainment < 1.0 ? score_band::target
                                    : score_band::stretch;
  return out;
}

}  // namespace missionkit::model
