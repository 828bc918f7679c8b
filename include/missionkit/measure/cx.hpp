// The CX measures computed from a contact log. Each function returns a measure_table grouped as asked
// (one row when `g` groups by nothing); definitions and conventions are in docs/measures.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/table.hpp"

namespace missionkit::measure {

/// What a repeat window is measured from: the end of the (episode of the) contact, or its start.
enum class anchor { end, start };
/// Whether a later contact in another channel counts as a repeat (any) or only one in the same channel.
enum class channel_scope { any, same };

/// \brief Options of the episode measures (FCR, repeat rate, repeats per issue, resolution time).
///
/// Contacts of one customer whose start is within transfer_gap_s of the end of the previous one form one
/// episode (a transfer or call-back chain), counted once, with the first contact's reason and channel and
/// the latest end. A later episode of the same customer (same reason if same_reason, same channel if
/// channels == same) that starts within window_s of the anchor of an earlier one is a repeat of it.
struct episode_options {
  double window_s = 7 * 86400.0;
  measure::anchor anchor = anchor::end;
  bool same_reason = true;
  channel_scope channels = channel_scope::any;
  double transfer_gap_s = 0;  // 0: every contact is its own episode
  /// The end of observation, seconds since the epoch. Default: the latest contact start in the log.
  /// An episode whose window runs past it, and that has not already been repeated, is censored.
  std::optional<double> data_end_s;
  bool exclude_censored = true;  // false: count censored episodes as resolved (the optimistic old way)
};

/// First contact resolution: share of episodes not repeated within the window (censored excluded).
[[nodiscard]] measure_table fcr(const data::contact_log& log, const episode_options& opt = {},
                                const grouping& g = {}, const table_options& t = {});
/// Survey- or disposition-based FCR: share of contacts whose `resolved` flag is yes, among contacts with the
/// flag (the customer's or agent's own answer to "was it resolved?"), reported beside the behavioural FCR.
[[nodiscard]] measure_table fcr_reported(const data::contact_log& log, const grouping& g = {},
                                         const table_options& t = {});
/// Share of episodes that repeat an earlier episode within its window.
[[nodiscard]] measure_table repeat_rate(const data::contact_log& log, const episode_options& opt = {},
                                        const grouping& g = {}, const table_options& t = {});
/// Mean number of repeat episodes per issue (an issue: a chain of episodes each repeating the previous).
[[nodiscard]] measure_table repeats_per_issue(const data::contact_log& log, const episode_options& opt = {},
                                              const grouping& g = {}, const table_options& t = {});
/// Mean seconds from an issue's first contact start to its last contact end (censored issues excluded).
[[nodiscard]] measure_table resolution_time(const data::contact_log& log, const episode_options& opt = {},
                                            const grouping& g = {}, const table_options& t = {});

/// Which handling time: handle_s (or end - start when handle is not mapped), or one of its parts.
enum class handle_part { handle, talk, hold, wrap };
/// Average handle time (mean seconds per contact with a value).
[[nodiscard]] measure_table aht(const data::contact_log& log, handle_part part = handle_part::handle,
                                const grouping& g = {}, const table_options& t = {});

/// The four service-level conventions in use (each names its numerator / denominator):
/// answered: answered within T / answered. offered: answered within T / (answered + abandoned).
/// offered_excl_short_abandons: answered within T / (answered + abandoned - short abandons).
/// short_abandons_as_met: (answered within T + short abandons) / (answered + abandoned).
enum class sl_convention { answered, offered, offered_excl_short_abandons, short_abandons_as_met };

/// \brief Queue options: answered "within T" means wait_s <= threshold_s; an abandon is short when
/// wait_s < short_abandon_s.
struct queue_options {
  double threshold_s = 20;
  double short_abandon_s = 5;
};

[[nodiscard]] measure_table service_level(const data::contact_log& log, sl_convention convention,
                                          const queue_options& q = {}, const grouping& g = {},
                                          const table_options& t = {});
/// Abandoned / offered; with exclude_short, short abandons leave both numerator and denominator.
[[nodiscard]] measure_table abandonment(const data::contact_log& log, bool exclude_short,
                                        const queue_options& q = {}, const grouping& g = {},
                                        const table_options& t = {});
/// Average speed of answer: mean wait_s of answered contacts.
[[nodiscard]] measure_table asa(const data::contact_log& log, const grouping& g = {},
                                const table_options& t = {});

/// \brief Containment: a contact in a digital channel is contained when the same customer makes no contact
/// in an assisted channel within window_s after its end (censored when that window is not observed).
[[nodiscard]] measure_table containment(const data::contact_log& log, const std::vector<std::string>& digital,
                                        const std::vector<std::string>& assisted,
                                        const episode_options& opt = {}, const grouping& g = {},
                                        const table_options& t = {});
/// Mean cost per contact (contacts with a cost value).
[[nodiscard]] measure_table cost_to_serve(const data::contact_log& log, const grouping& g = {},
                                          const table_options& t = {});
/// Share of contacts whose reason is one of the failure-demand reasons.
[[nodiscard]] measure_table failure_demand(const data::contact_log& log,
                                           const std::vector<std::string>& failure_reasons,
                                           const grouping& g = {}, const table_options& t = {});

/// CSAT top-box share: responses >= top_box_min (4 on a 1-5 scale: top-2-box).
[[nodiscard]] measure_table csat(const data::contact_log& log, double top_box_min = 4, const grouping& g = {},
                                 const table_options& t = {});
/// Mean CSAT score.
[[nodiscard]] measure_table csat_mean(const data::contact_log& log, const grouping& g = {},
                                      const table_options& t = {});
/// Net Promoter Score in points (-100..100), with the trinomial standard error and a Wald interval.
[[nodiscard]] measure_table nps(const data::contact_log& log, const grouping& g = {},
                                const table_options& t = {});
/// Mean customer effort score.
[[nodiscard]] measure_table ces(const data::contact_log& log, const grouping& g = {},
                                const table_options& t = {});

}  // namespace missionkit::measure
