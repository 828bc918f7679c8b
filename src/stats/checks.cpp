#include "detail/checks.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "missionkit/core/error.hpp"

namespace missionkit::stats::detail {

std::string num(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return ec == std::errc{} ? std::string(buf.data(), end) : std::string("?");
}

void fail(std::string_view fn, const std::string& what) {
  throw missionkit::domain_error(std::string(fn) + ": " + what);
}

void check_not_nan(std::string_view fn, std::string_view name, double x) {
  if (std::isnan(x)) fail(fn, std::string(name) + " must be a number, got nan");
}

void check_finite(std::string_view fn, std::string_view name, double x) {
  check_not_nan(fn, name, x);
  if (!std::isfinite(x))
    fail(fn, std::string(name) + " must be finite, got " + std::string(name) + "=" + num(x));
}

void check_alpha(std::string_view fn, double alpha, std::string_view name) {
  check_not_nan(fn, name, alpha);
  if (!(alpha > 0.0 && alpha < 1.0))
    fail(fn, std::string(name) + " must be in (0, 1), got " + std::string(name) + "=" + num(alpha));
}

void check_positive(std::string_view fn, std::string_view name, double x) {
  check_finite(fn, name, x);
  if (!(x > 0.0)) fail(fn, std::string(name) + " must be > 0, got " + std::string(name) + "=" + num(x));
}

void check_closed(std::string_view fn, std::string_view name, double x, double lo, double hi) {
  check_not_nan(fn, name, x);
  if (!(x >= lo && x <= hi))
    fail(fn, std::string(name) + " must be in [" + num(lo) + ", " + num(hi) + "], got " + std::string(name) +
                 "=" + num(x));
}

}  // namespace missionkit::stats::detail
