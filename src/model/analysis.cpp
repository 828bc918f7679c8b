// The vocabularies of the analysis sections. The measure table mirrors the keyword arguments of
// python/missionkit/measures.py's MeasuresMixin methods (minus by/period/tz/alpha/min_n/output, which
// come from `analysis:`); tests/python/test_spec_analysis.py checks the two agree by introspection.
#include "missionkit/model/analysis.hpp"

#include <algorithm>

namespace missionkit::model {

namespace {

constexpr std::string_view roles[] = {"customer", "start", "end",    "contact_id", "channel",   "reason",
                                      "queue",    "site",  "agent",  "answered",   "abandoned", "transferred",
                                      "resolved", "wait",  "handle", "talk",       "hold",      "wrap",
                                      "cost",     "csat",  "nps",    "ces"};
constexpr std::string_view groupable[] = {"channel", "reason", "queue", "site", "agent"};

constexpr std::string_view episode[] = {"window", "anchor", "same_reason", "channels", "transfer_gap"};
constexpr std::string_view episode_end[] = {"window",   "anchor",       "same_reason",
                                            "channels", "transfer_gap", "data_end"};
constexpr std::string_view fcr_params[] = {"window",       "anchor",   "same_reason", "channels",
                                           "transfer_gap", "data_end", "censoring"};
constexpr std::string_view containment_params[] = {"digital", "assisted", "window",
                                                   "anchor",  "data_end", "censoring"};
constexpr std::string_view aht_params[] = {"part"};
constexpr std::string_view service_level_params[] = {"threshold", "convention", "short_abandon"};
constexpr std::string_view abandonment_params[] = {"exclude_short", "short_abandon"};
constexpr std::string_view failure_demand_params[] = {"reasons", "by_reason"};
constexpr std::string_view csat_params[] = {"top_box_min"};

struct kind_entry {
  std::string_view kind;
  std::span<const std::string_view> params;
};

constexpr kind_entry kinds[] = {
    {"fcr", fcr_params},
    {"fcr_reported", {}},
    {"repeat_rate", episode},
    {"repeats_per_issue", episode_end},
    {"resolution_time", episode_end},
    {"aht", aht_params},
    {"service_level", service_level_params},
    {"abandonment", abandonment_params},
    {"asa", {}},
    {"containment", containment_params},
    {"cost_to_serve", {}},
    {"failure_demand", failure_demand_params},
    {"csat", csat_params},
    {"csat_mean", {}},
    {"nps", {}},
    {"ces", {}},
};

constexpr std::string_view kind_names[] = {"fcr",
                                           "fcr_reported",
                                           "repeat_rate",
                                           "repeats_per_issue",
                                           "resolution_time",
                                           "aht",
                                           "service_level",
                                           "abandonment",
                                           "asa",
                                           "containment",
                                           "cost_to_serve",
                                           "failure_demand",
                                           "csat",
                                           "csat_mean",
                                           "nps",
                                           "ces"};
constexpr std::string_view designs[] = {"ab_test", "stepped_wedge", "did", "its"};
// Shewhart charts by data type (Montgomery, Introduction to Statistical Quality Control, ch. 6-7):
// individuals/mr for one value per period, xbar_r/xbar_s for subgroup means, p/np for proportions,
// c/u for counts.
constexpr std::string_view charts[] = {"individuals", "mr", "xbar_r", "xbar_s", "p", "np", "c", "u"};
constexpr std::string_view rules[] = {"western_electric", "nelson"};
constexpr std::string_view periods[] = {"day", "week", "month", "quarter", "year"};
constexpr std::string_view durations[] = {"window", "transfer_gap", "threshold", "short_abandon"};

}  // namespace

const std::string* data_mapping::column(std::string_view role) const noexcept {
  for (const auto& [r, c] : columns)
    if (r == role) return &c;
  return nullptr;
}

std::span<const std::string_view> contact_log_roles() noexcept { return roles; }
std::span<const std::string_view> groupable_roles() noexcept { return groupable; }
std::span<const std::string_view> measure_kinds() noexcept { return kind_names; }

std::span<const std::string_view> measure_params(std::string_view kind) noexcept {
  for (const kind_entry& k : kinds)
    if (k.kind == kind) return k.params;
  return {};
}

bool is_duration_param(std::string_view name) noexcept {
  return std::find(std::begin(durations), std::end(durations), name) != std::end(durations);
}

std::span<const std::string_view> experiment_designs() noexcept { return designs; }
std::span<const std::string_view> chart_types() noexcept { return charts; }
std::span<const std::string_view> chart_rules() noexcept { return rules; }
std::span<const std::string_view> analysis_periods() noexcept { return periods; }

}  // namespace missionkit::model
