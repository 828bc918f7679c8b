// Root finding shared by src/stats (score-interval inversion, power solvers). Internal: not installed
// (src/stats/detail), names in missionkit::stats::detail may change. Implemented with
// boost::math::tools::toms748_solve (Alefeld, Potra & Shi 1995, "Algorithm 748"), which keeps a bracket and
// so cannot wander off.
#pragma once

#include <functional>
#include <string_view>

namespace missionkit::stats::detail {

/// \brief The root of f in [lo, hi], to full double precision. f(lo) and f(hi) must differ in sign (or
/// one be zero); otherwise throws domain_error "<fn>: <what> has no solution in [lo, hi]".
[[nodiscard]] double find_root(const std::function<double(double)>& f, double lo, double hi,
                               std::string_view fn, std::string_view what);

/// \brief For f increasing on [lo, inf): doubles hi (starting from start > lo) until f(hi) >= 0, then
/// solves. Throws if f(lo) > 0 or no sign change is found before limit.
[[nodiscard]] double find_root_increasing(const std::function<double(double)>& f, double lo, double start,
                                          double limit, std::string_view fn, std::string_view what);

}  // namespace missionkit::stats::detail
