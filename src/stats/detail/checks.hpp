// Argument checks shared by the statistics translation units in src/stats. Internal: this header lives in
// src/stats/detail (not include/), so it is never installed, and its names (missionkit::stats::detail) may
// change without notice; users call the functions in the public area headers.
#pragma once

#include <string>
#include <string_view>

namespace missionkit::stats::detail {

/// Shortest text that reads back as the same double ("12", "0.05", "nan", "inf").
[[nodiscard]] std::string num(double x);

/// Throws missionkit::domain_error with the message "<fn>: <what>".
[[noreturn]] void fail(std::string_view fn, const std::string& what);

/// "fn: <name> must be a number, got nan" for NaN; infinities pass (the callers' ranges catch them).
void check_not_nan(std::string_view fn, std::string_view name, double x);

/// NaN or +-inf fails: "fn: <name> must be finite, got <name>=inf".
void check_finite(std::string_view fn, std::string_view name, double x);

/// alpha must lie in the open interval (0, 1).
void check_alpha(std::string_view fn, double alpha, std::string_view name = "alpha");

/// x must be a finite number > 0.
void check_positive(std::string_view fn, std::string_view name, double x);

/// x must lie in the closed interval [lo, hi] (and not be NaN).
void check_closed(std::string_view fn, std::string_view name, double x, double lo, double hi);

}  // namespace missionkit::stats::detail
