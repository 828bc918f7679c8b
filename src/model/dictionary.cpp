#include "missionkit/model/dictionary.hpp"

#include <algorithm>

namespace missionkit::model {

const definition* definition_at(const metric& m, const civil_date& on) noexcept {
  // A linear scan, not a binary search: the loader keeps file order and a spec may list definitions
  // out of order (validate() warns). On a tie (an error of its own) the later entry in the list wins.
  const definition* best = nullptr;
  for (const auto& d : m.definitions)
    if (d.effective_from <= on && (best == nullptr || d.effective_from >= best->effective_from)) best = &d;
  return best;
}

std::vector<comparability_break> comparability_breaks(const metric& m, const civil_date& first,
                                                      const civil_date& last) {
  std::vector<const definition*> changes;
  for (const auto& d : m.definitions)
    if (first < d.effective_from && d.effective_from <= last) changes.push_back(&d);
  std::stable_sort(changes.begin(), changes.end(), [](const definition* a, const definition* b) {
    return a->effective_from < b->effective_from;
  });

  std::vector<comparability_break> out;
  out.reserve(changes.size());
  for (const definition* d : changes) {
    const auto day_before = civil_date::from_days(d->effective_from.days_since_epoch() - 1);
    const definition* previous = definition_at(m, day_before);
    out.push_back(
        {d->effective_from, previous ? previous->version : std::string(), d->version, d->change_note});
  }
  return out;
}

}  // namespace missionkit::model
