// What every binding shares: numpy arrays in (1-D, C-contiguous doubles or int64, converted by pybind11's
// forcecast) and out, the error that names the function and the argument, and the alternative-hypothesis
// names. One definition here keeps every Python entry point validating its input the same way.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/alternative.hpp"

namespace missionkit::python {

template <typename T>
using carray = pybind11::array_t<T, pybind11::array::c_style | pybind11::array::forcecast>;
using darray = carray<double>;
using iarray = carray<std::int64_t>;

/// Throws missionkit::domain_error (Python: mk.DomainError, a ValueError) as "fn: what".
[[noreturn]] inline void fail(std::string_view fn, const std::string& what) {
  throw missionkit::domain_error(std::string(fn) + ": " + what);
}

/// A view of a 1-D array argument; an array of another rank is an error naming `fn` and `name`.
template <typename T>
std::span<const T> span_1d(std::string_view fn, const char* name, const carray<T>& a) {
  if (a.ndim() != 1) fail(fn, std::string(name) + " must be 1-D, got " + std::to_string(a.ndim()) + "-D");
  return {a.data(), static_cast<std::size_t>(a.size())};
}

/// A new numpy array holding a copy of `v`.
template <typename T>
pybind11::array_t<T> to_numpy(const std::vector<T>& v) {
  pybind11::array_t<T> out(static_cast<pybind11::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

/// "two-sided", "larger", "smaller" (statsmodels' names) or scipy's "greater" / "less" (defined in
/// bind_stats.cpp).
stats::alternative parse_alternative(std::string_view fn, const std::string& s);

}  // namespace missionkit::python
