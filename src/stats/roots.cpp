#include "detail/roots.hpp"

#include <algorithm>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "detail/checks.hpp"

namespace missionkit::stats::detail {

double find_root(const std::function<double(double)>& f, double lo, double hi, std::string_view fn,
                 std::string_view what) {
  double flo = f(lo);
  double fhi = f(hi);
  if (flo == 0.0) return lo;
  if (fhi == 0.0) return hi;
  if (std::isnan(flo) || std::isnan(fhi) || (flo > 0) == (fhi > 0))
    fail(fn, std::string(what) + " has no solution in [" + num(lo) + ", " + num(hi) + "]");
  // Full precision (53 bits): the power solvers promise that solve -> evaluate round-trips to 1e-10.
  boost::math::tools::eps_tolerance<double> tol(std::numeric_limits<double>::digits);
  std::uintmax_t max_iter = 300;
  auto [a, b] = boost::math::tools::toms748_solve(f, lo, hi, flo, fhi, tol, max_iter);
  if (max_iter >= 300) fail(fn, std::string(what) + ": root finder did not converge");
  // Return the end of the final bracket whose function value is closer to zero.
  return std::abs(f(a)) <= std::abs(f(b)) ? a : b;
}

double find_root_increasing(const std::function<double(double)>& f, double lo, double start, double limit,
                            std::string_view fn, std::string_view what) {
  double flo = f(lo);
  if (flo > 0) fail(fn, std::string(what) + " is already exceeded at the lower limit " + num(lo));
  double hi = start;
  while (f(hi) < 0) {
    lo = hi;
    if (hi >= limit) fail(fn, std::string(what) + " has no solution below " + num(limit));
    hi = std::min(hi * 2.0, limit);
  }
  return find_root(f, lo, hi, fn, what);
}

}  // namespace missionkit::stats::detail
