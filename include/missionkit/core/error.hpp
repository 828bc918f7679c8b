// One exception hierarchy for the whole library. The Python bindings map each class to a Python
// exception that subclasses ValueError where that is what users catch, so the class names here are
// part of the public contract.
#pragma once

#include <stdexcept>
#include <string>

namespace missionkit {

/// \brief Base of every exception missionkit throws on purpose.
///
/// Messages name the object, the field and the fix, e.g.
/// "metrics[3].owner: metric 'fcr_7d' has no owner; name the accountable person or team".
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// \brief A mission spec that cannot be loaded, or that failed validation in strict mode.
class spec_error : public error {
 public:
  using error::error;
};

/// \brief Input data that does not meet a documented contract (a column, a row, a value).
class data_error : public error {
 public:
  using error::error;
};

/// \brief A statistical routine called with arguments outside its domain (n < 1, alpha not in (0,1), ...).
class domain_error : public error {
 public:
  using error::error;
};

}  // namespace missionkit
