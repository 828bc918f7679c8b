// The CX measures. Episode measures walk the log in (customer, start) order, one block of whole
// customers per thread; per-contact measures run over the accepted rows in parallel blocks. Either way
// each thread fills integer partial states that are merged in block order (see partial.hpp).
#include "missionkit/measure/cx.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_set>

#include "engine.hpp"
#include "missionkit/core/error.hpp"

namespace missionkit::measure {

namespace {

using detail::groups;

// One episode: a contact, or a chain of contacts each starting within transfer_gap of the previous end.
struct episode {
  std::uint32_t group;  // the group of its first contact
  std::uint32_t first;  // customer_sorted() position of its first contact
  std::int64_t start, end;
  std::int32_t reason, channel;
};

// What the repeat analysis says about each episode of one customer.
struct episode_fate {
  std::int32_t previous = -1;  // index of the episode this one repeats, -1 if none (it opens an issue)
  bool repeated = false;       // a later matching episode started within this one's window
  bool censored = false;       // not repeated, but its window runs past the end of the data
};

// Where an episode measure puts its units: into the state of the unit's group and, when recording
// (contact_values), the unit's own contribution into the block's list. Group `counted` is the discarded
// slot of units whose first contact fails the filter: walked, never reported.
template <typename State>
struct unit_sink {
  std::vector<State>& states;
  unit_values* recorded;                   // nullptr: not recording
  const std::vector<std::uint32_t>& rows;  // input row of each customer_sorted() position
  std::size_t counted;

  template <typename V>
  void add(const episode& e, V v) {
    if (recorded == nullptr) {
      states[e.group].add(v);
      return;
    }
    State one;
    one.add(v);
    states[e.group] += one;
    if (e.group < counted) detail::record_unit(*recorded, rows[e.first], one);
  }
  void censor(const episode& e) { ++states[e.group].censored; }
};

struct episode_walk {
  const data::contact_log& log;
  const episode_options& opt;
  detail::contact_times times;
  const data::contact_log::sorted_view& sorted;
  std::shared_ptr<const std::vector<std::int32_t>> channel;  // only when a measure needs it
  std::int64_t window = 0, gap = 0, data_end = 0;

  episode_walk(const data::contact_log& l, const episode_options& o, bool need_channel = false)
      : log(l), opt(o), times(l), sorted(l.customer_sorted()) {
    if (need_channel || o.channels == channel_scope::same) channel = l.sorted_channel();
    if (!(o.window_s > 0) || !std::isfinite(o.window_s))
      throw data_error("window must be a positive, finite number of seconds, got " +
                       std::to_string(o.window_s));
    if (!(o.transfer_gap_s >= 0) || !std::isfinite(o.transfer_gap_s))
      throw data_error("transfer_gap must be >= 0 seconds, got " + std::to_string(o.transfer_gap_s));
    window = times.base.from_seconds(o.window_s);
    gap = times.base.from_seconds(o.transfer_gap_s);
    if (o.data_end_s) {
      data_end = times.base.from_seconds(*o.data_end_s);
    } else {
      data_end = std::numeric_limits<std::int64_t>::min();
      for (auto t : sorted.start) data_end = std::max(data_end, t);
    }
  }

  [[nodiscard]] std::int64_t anchor(const episode& e) const noexcept {
    return opt.anchor == anchor::end ? e.end : e.start;
  }

  // Episodes of the customer at sorted positions [begin, end); group[i] is position i's group.
  void episodes_of(std::size_t begin, std::size_t end, const std::vector<std::uint32_t>& group,
                   std::vector<episode>& out) const {
    out.clear();
    for (std::size_t i = begin; i < end; ++i) {
      const auto s = sorted.start[i], e = std::max(sorted.end[i], s);
      if (!out.empty() && gap > 0 && s - out.back().end <= gap) {
        out.back().end = std::max(out.back().end, e);
        continue;
      }
      out.push_back({group.empty() ? 0u : group[i], static_cast<std::uint32_t>(i), s, e, sorted.reason[i],
                     channel ? (*channel)[i] : -1});
    }
  }

  // Links each episode to the previous matching one (same reason / channel as the options say). An episode
  // repeats when it starts within the window of ANY earlier matching episode: the latest anchor among them
  // decides (with anchor = end, a long earlier contact can outlast a later short one).
  struct open_key {
    std::int64_t key;
    std::int32_t last;           // latest matching episode so far
    std::int64_t latest_anchor;  // max anchor over the matching episodes so far
  };

  void fates_of(const std::vector<episode>& eps, std::vector<episode_fate>& fate,
                std::vector<open_key>& open) const {
    fate.assign(eps.size(), {});
    // Customers have few distinct keys, so a flat list beats a hash map; `open` is the caller's scratch.
    open.clear();
    for (std::size_t i = 0; i < eps.size(); ++i) {
      const auto& e = eps[i];
      const std::int64_t key =
          (opt.same_reason ? (static_cast<std::int64_t>(e.reason) + 1) << 32 : 0) |
          (opt.channels == channel_scope::same ? static_cast<std::uint32_t>(e.channel + 1) : 0);
      auto it = std::find_if(open.begin(), open.end(), [&](const auto& k) { return k.key == key; });
      if (it != open.end()) {
        if (e.start <= it->latest_anchor + window) fate[i].previous = it->last;
        // The next matching episode starts earliest among the later ones, so it alone decides "repeated".
        const auto& p = eps[static_cast<std::size_t>(it->last)];
        if (e.start <= anchor(p) + window) fate[static_cast<std::size_t>(it->last)].repeated = true;
        it->last = static_cast<std::int32_t>(i);
        it->latest_anchor = std::max(it->latest_anchor, anchor(e));
      } else {
        open.push_back({key, static_cast<std::int32_t>(i), anchor(e)});
      }
    }
    for (std::size_t i = 0; i < eps.size(); ++i)
      fate[i].censored = !fate[i].repeated && anchor(eps[i]) + window > data_end;
  }

  // The whole measure: groups (cached), the walk, and the table.
  template <typename State, typename Fn>
  measure_table measure(const grouping& g, const table_options& t, std::string name, std::string unit,
                        Fn fn) const {
    const auto groups_ptr = detail::cached_groups(log, g);
    auto table = detail::start_table(*groups_ptr, g, std::move(name), std::move(unit));
    detail::finish(table, run<State>(*groups_ptr, g, t, fn), t);
    table.data_end_s = static_cast<double>(data_end) / static_cast<double>(times.base.tps);
    return table;
  }

  // Runs fn(sink, episodes, fates) for every customer, one block of whole customers per thread.
  template <typename State, typename Fn>
  std::vector<State> run(const groups& gr, const grouping& g, const table_options& t, Fn fn) const {
    const auto& begin = sorted.customer_begin;  // customer runs: [begin[r], begin[r + 1])
    const std::size_t runs = begin.size() - 1;
    // Group of each sorted position, gathered once (and cached) so the walk reads memory in order.
    const auto group_ptr = detail::cached_sorted_groups(log, g);
    const auto& group = *group_ptr;
    // One block of whole customers per thread, cut where the rows (not the customers) split evenly.
    const std::size_t blocks = block_count(sorted.row.size());
    std::vector<std::size_t> cut(blocks + 1, runs);
    for (std::size_t b = 0; b < blocks; ++b) {
      const auto target = static_cast<std::uint32_t>(sorted.row.size() * b / blocks);
      cut[b] =
          static_cast<std::size_t>(std::lower_bound(begin.begin(), begin.end() - 1, target) - begin.begin());
    }
    // With a filter, one more slot: the discarded group of episodes opened by dropped contacts.
    const std::size_t slots = gr.count + (gr.filtered ? 1 : 0);
    std::vector<std::vector<State>> partial(blocks, std::vector<State>(slots));
    std::vector<unit_values> recorded(t.units != nullptr ? blocks : 0);
    parallel_blocks(
        blocks,
        [&](std::size_t, std::size_t b0, std::size_t b1) {
          std::vector<episode> eps;
          std::vector<episode_fate> fate;
          std::vector<open_key> open;
          for (std::size_t b = b0; b < b1; ++b) {
            unit_sink<State> sink{partial[b], t.units != nullptr ? &recorded[b] : nullptr, sorted.row,
                                  gr.count};
            for (std::size_t r = cut[b]; r < cut[b + 1]; ++r) {
              episodes_of(begin[r], begin[r + 1], group, eps);
              fates_of(eps, fate, open);
              fn(sink, eps, fate);
            }
          }
        },
        1);
    for (std::size_t b = 1; b < blocks; ++b)
      for (std::size_t k = 0; k < gr.count; ++k) partial[0][k] += partial[b][k];
    partial[0].resize(gr.count);
    for (const auto& r : recorded) detail::append_units(*t.units, r);
    return std::move(partial[0]);
  }
};

const data::flag_column& need(const data::flag_column& c, const char* measure, const char* role) {
  if (c.empty())
    throw data_error(std::string(measure) + " needs the '" + role + "' column; map it when building the log");
  return c;
}
const data::value_column& need(const data::value_column& c, const char* measure, const char* role) {
  if (c.empty())
    throw data_error(std::string(measure) + " needs the '" + role + "' column; map it when building the log");
  return c;
}

std::vector<std::uint8_t> label_set(const data::coded_column& c, const std::vector<std::string>& wanted,
                                    const char* measure, const char* role) {
  if (c.empty())
    throw data_error(std::string(measure) + " needs the '" + role + "' column; map it when building the log");
  std::vector<std::uint8_t> in(c.labels ? c.labels->size() : 0, 0);
  for (const auto& w : wanted) {
    const auto it = std::find(c.labels->begin(), c.labels->end(), w);
    if (it == c.labels->end()) {
      std::string known;
      for (const auto& l : *c.labels) known += (known.empty() ? "" : ", ") + l;
      throw data_error(std::string(measure) + ": " + role + " '" + w +
                       "' does not occur in the log; it has: " + known);
    }
    in[static_cast<std::size_t>(it - c.labels->begin())] = 1;
  }
  return in;
}

bool in_set(const std::vector<std::uint8_t>& set, std::int32_t code) noexcept {
  return code >= 0 && static_cast<std::size_t>(code) < set.size() && set[static_cast<std::size_t>(code)];
}

}  // namespace

measure_table fcr(const data::contact_log& log, const episode_options& opt, const grouping& g,
                  const table_options& t) {
  const episode_walk walk(log, opt);
  return walk.measure<proportion_state>(g, t, "fcr", "proportion",
                                        [&](auto& s, const auto& eps, const auto& fate) {
                                          for (std::size_t i = 0; i < eps.size(); ++i) {
                                            if (fate[i].censored) {
                                              s.censor(eps[i]);
                                              if (opt.exclude_censored) continue;
                                            }
                                            s.add(eps[i], !fate[i].repeated);
                                          }
                                        });
}

measure_table fcr_reported(const data::contact_log& log, const grouping& g, const table_options& t) {
  const auto& resolved = need(log.columns().resolved, "fcr_reported", "resolved");
  return detail::per_contact<proportion_state>(log, g, t, "fcr_reported", "proportion",
                                               [&](auto& st, std::uint32_t r) {
                                                 if (resolved.values[r] != data::flag_column::missing)
                                                   st.add(resolved.values[r] == 1);
                                               });
}

measure_table repeat_rate(const data::contact_log& log, const episode_options& opt, const grouping& g,
                          const table_options& t) {
  const episode_walk walk(log, opt);
  auto table = walk.measure<proportion_state>(g, t, "repeat_rate", "proportion",
                                              [&](auto& s, const auto& eps, const auto& fate) {
                                                for (std::size_t i = 0; i < eps.size(); ++i)
                                                  s.add(eps[i], fate[i].previous >= 0);
                                              });
  table.data_end_s.reset();  // looks backwards only: no censoring, so partitions need no common data end
  return table;
}

namespace {

// One issue: a first episode and the chain of episodes repeating it.
struct issue {
  std::size_t first;           // index of the opening episode
  std::size_t length;          // episodes in the chain
  std::int64_t latest_end;     // max end over the chain (contacts can overlap)
  std::int64_t latest_anchor;  // max anchor over the chain: the issue may grow until this + window
};

// Walks each issue of a customer: fn(issue).
template <typename Anchor, typename Fn>
void for_each_issue(const std::vector<episode>& eps, const std::vector<episode_fate>& fate, Anchor anchor_of,
                    Fn fn) {
  // Chains are linked backwards (previous); follow them forwards through a next-index array.
  std::vector<std::int32_t> next(eps.size(), -1);
  for (std::size_t i = 0; i < eps.size(); ++i)
    if (fate[i].previous >= 0)
      next[static_cast<std::size_t>(fate[i].previous)] = static_cast<std::int32_t>(i);
  for (std::size_t i = 0; i < eps.size(); ++i) {
    if (fate[i].previous >= 0) continue;  // not the first episode of an issue
    issue is{i, 1, eps[i].end, anchor_of(eps[i])};
    for (auto k = next[i]; k >= 0; k = next[static_cast<std::size_t>(k)]) {
      const auto& e = eps[static_cast<std::size_t>(k)];
      ++is.length;
      is.latest_end = std::max(is.latest_end, e.end);
      is.latest_anchor = std::max(is.latest_anchor, anchor_of(e));
    }
    fn(is);
  }
}

}  // namespace

measure_table repeats_per_issue(const data::contact_log& log, const episode_options& opt, const grouping& g,
                                const table_options& t) {
  const episode_walk walk(log, opt);
  const auto anchor_of = [&walk](const episode& e) { return walk.anchor(e); };
  return walk.measure<mean_state>(g, t, "repeats_per_issue", "contacts",
                                  [&](auto& s, const auto& eps, const auto& fate) {
                                    for_each_issue(eps, fate, anchor_of, [&](const issue& is) {
                                      // An issue whose window is not fully observed may still grow: leave it
                                      // out.
                                      if (is.latest_anchor + walk.window > walk.data_end) return;
                                      s.add(eps[is.first], static_cast<double>(is.length - 1));
                                    });
                                  });
}

measure_table resolution_time(const data::contact_log& log, const episode_options& opt, const grouping& g,
                              const table_options& t) {
  const episode_walk walk(log, opt);
  const auto anchor_of = [&walk](const episode& e) { return walk.anchor(e); };
  const double tps = static_cast<double>(walk.times.base.tps);
  return walk.measure<mean_state>(g, t, "resolution_time", "seconds",
                                  [&](auto& s, const auto& eps, const auto& fate) {
                                    for_each_issue(eps, fate, anchor_of, [&](const issue& is) {
                                      if (is.latest_anchor + walk.window > walk.data_end) return;
                                      const auto& first = eps[is.first];
                                      s.add(first, static_cast<double>(is.latest_end - first.start) / tps);
                                    });
                                  });
}

measure_table aht(const data::contact_log& log, handle_part part, const grouping& g, const table_options& t) {
  const auto& c = log.columns();
  const data::value_column* col = part == handle_part::talk   ? &need(c.talk_s, "aht", "talk")
                                  : part == handle_part::hold ? &need(c.hold_s, "aht", "hold")
                                  : part == handle_part::wrap ? &need(c.wrap_s, "aht", "wrap")
                                  : c.handle_s.empty()        ? nullptr
                                                              : &c.handle_s;
  const detail::contact_times times(log);
  const double tps = static_cast<double>(times.base.tps);
  static const char* names[] = {"aht", "talk_time", "hold_time", "wrap_time"};
  return detail::per_contact<mean_state>(
      log, g, t, names[static_cast<int>(part)], "seconds", [&](auto& st, std::uint32_t row) {
        // Without a handle column, handle time is end - start (when an end was mapped).
        const double v = col ? (*col)[row]
                             : (c.end.empty() ? std::nan("")
                                              : static_cast<double>(times.end(row) - times.start(row)) / tps);
        if (!std::isnan(v)) st.add(v);
      });
}

namespace {

// A contact offered to a queue: flagged answered or abandoned. Without an abandoned column, an offered
// contact that was not answered is taken as abandoned.
struct queue_view {
  const data::flag_column& answered;
  const data::flag_column& abandoned;
  const data::value_column& wait;
  const queue_options& q;
  [[nodiscard]] bool is_answered(std::uint32_t r) const noexcept { return answered.values[r] == 1; }
  [[nodiscard]] bool is_abandoned(std::uint32_t r) const noexcept {
    return abandoned.empty() ? answered.values[r] == 0 : abandoned.values[r] == 1 && !is_answered(r);
  }
  [[nodiscard]] bool is_short(std::uint32_t r) const noexcept {
    return is_abandoned(r) && wait[r] < q.short_abandon_s;
  }
  [[nodiscard]] bool met(std::uint32_t r) const noexcept {
    return is_answered(r) && wait[r] <= q.threshold_s;
  }
};

queue_view queue_of(const data::contact_log& log, const queue_options& q, const char* measure) {
  const auto& c = log.columns();
  if (!(q.threshold_s >= 0) || !(q.short_abandon_s >= 0))
    throw data_error(std::string(measure) + ": threshold and short_abandon must be >= 0 seconds");
  return {need(c.answered, measure, "answered"), c.abandoned, need(c.wait_s, measure, "wait"), q};
}

}  // namespace

measure_table service_level(const data::contact_log& log, sl_convention convention, const queue_options& q,
                            const grouping& g, const table_options& t) {
  const auto qv = queue_of(log, q, "service_level");
  static const char* names[] = {"service_level_answered", "service_level_offered",
                                "service_level_offered_excl_short_abandons",
                                "service_level_short_abandons_as_met"};
  return detail::per_contact<proportion_state>(
      log, g, t, names[static_cast<int>(convention)], "proportion", [&](auto& st, std::uint32_t r) {
        const bool answered = qv.is_answered(r), abandoned = qv.is_abandoned(r);
        if (!answered && !abandoned) return;  // not offered to a queue (or flags missing)
        if (std::isnan(qv.wait[r])) return;   // no wait time: cannot say whether it met the threshold
        switch (convention) {
          case sl_convention::answered:
            if (answered) st.add(qv.met(r));
            break;
          case sl_convention::offered:
            st.add(qv.met(r));
            break;
          case sl_convention::offered_excl_short_abandons:
            if (!qv.is_short(r)) st.add(qv.met(r));
            break;
          case sl_convention::short_abandons_as_met:
            st.add(qv.met(r) || qv.is_short(r));
            break;
        }
      });
}

measure_table abandonment(const data::contact_log& log, bool exclude_short, const queue_options& q,
                          const grouping& g, const table_options& t) {
  const auto qv = queue_of(log, q, "abandonment");
  return detail::per_contact<proportion_state>(
      log, g, t, exclude_short ? "abandonment_excl_short" : "abandonment", "proportion",
      [&](auto& st, std::uint32_t r) {
        const bool answered = qv.is_answered(r), abandoned = qv.is_abandoned(r);
        if (!answered && !abandoned) return;
        if (exclude_short && abandoned && (std::isnan(qv.wait[r]) || qv.is_short(r))) return;
        st.add(abandoned);
      });
}

measure_table asa(const data::contact_log& log, const grouping& g, const table_options& t) {
  const queue_options q;
  const auto qv = queue_of(log, q, "asa");
  return detail::per_contact<mean_state>(log, g, t, "asa", "seconds", [&](auto& st, std::uint32_t r) {
    if (qv.is_answered(r) && !std::isnan(qv.wait[r])) st.add(qv.wait[r]);
  });
}

measure_table containment(const data::contact_log& log, const std::vector<std::string>& digital,
                          const std::vector<std::string>& assisted, const episode_options& opt,
                          const grouping& g, const table_options& t) {
  const auto& c = log.columns();
  const auto is_digital = label_set(c.channel, digital, "containment", "channel");
  const auto is_assisted = label_set(c.channel, assisted, "containment", "channel");
  for (std::size_t i = 0; i < is_digital.size(); ++i)
    if (is_digital[i] && is_assisted[i])
      throw data_error("containment: channel '" + (*c.channel.labels)[i] +
                       "' is listed as both digital and assisted");
  // Each digital contact is judged on its own: no transfer-chain merging here.
  episode_options single = opt;
  single.transfer_gap_s = 0;
  const episode_walk walk(log, single, true);
  return walk.measure<proportion_state>(
      g, t, "containment", "proportion", [&](auto& s, const auto& eps, const auto&) {
        std::int64_t next_assisted = std::numeric_limits<std::int64_t>::max();
        for (std::size_t i = eps.size(); i-- > 0;) {
          const auto& e = eps[i];
          if (in_set(is_digital, e.channel)) {
            const auto limit = walk.anchor(e) + walk.window;
            if (next_assisted <= limit) {
              s.add(e, false);
            } else if (limit > walk.data_end) {
              s.censor(e);
              if (!opt.exclude_censored) s.add(e, true);
            } else {
              s.add(e, true);
            }
          }
          if (in_set(is_assisted, e.channel)) next_assisted = e.start;
        }
      });
}

measure_table cost_to_serve(const data::contact_log& log, const grouping& g, const table_options& t) {
  const auto& cost = need(log.columns().cost, "cost_to_serve", "cost");
  return detail::per_contact<mean_state>(log, g, t, "cost_to_serve", "currency",
                                         [&](auto& st, std::uint32_t r) {
                                           if (!std::isnan(cost[r])) st.add(cost[r]);
                                         });
}

measure_table failure_demand(const data::contact_log& log, const std::vector<std::string>& failure_reasons,
                             const grouping& g, const table_options& t) {
  const auto& reason = log.columns().reason;
  const auto failure = label_set(reason, failure_reasons, "failure_demand", "reason");
  return detail::per_contact<proportion_state>(log, g, t, "failure_demand", "proportion",
                                               [&](auto& st, std::uint32_t r) {
                                                 if (reason.codes[r] >= 0)
                                                   st.add(in_set(failure, reason.codes[r]));
                                               });
}

measure_table csat(const data::contact_log& log, double top_box_min, const grouping& g,
                   const table_options& t) {
  const auto& score = need(log.columns().csat, "csat", "csat");
  return detail::per_contact<proportion_state>(log, g, t, "csat", "proportion",
                                               [&](auto& st, std::uint32_t r) {
                                                 if (!std::isnan(score[r])) st.add(score[r] >= top_box_min);
                                               });
}

namespace {
measure_table survey_mean(const data::contact_log& log, const data::value_column& col, const char* name,
                          const grouping& g, const table_options& t) {
  return detail::per_contact<mean_state>(log, g, t, name, "score", [&](auto& st, std::uint32_t r) {
    if (!std::isnan(col[r])) st.add(col[r]);
  });
}
}  // namespace

measure_table csat_mean(const data::contact_log& log, const grouping& g, const table_options& t) {
  return survey_mean(log, need(log.columns().csat, "csat_mean", "csat"), "csat_mean", g, t);
}

measure_table ces(const data::contact_log& log, const grouping& g, const table_options& t) {
  return survey_mean(log, need(log.columns().ces, "ces", "ces"), "ces", g, t);
}

measure_table nps(const data::contact_log& log, const grouping& g, const table_options& t) {
  const auto& score = need(log.columns().nps, "nps", "nps");
  return detail::per_contact<nps_state>(log, g, t, "nps", "nps points", [&](auto& st, std::uint32_t r) {
    if (!std::isnan(score[r])) st.add(score[r]);
  });
}

}  // namespace missionkit::measure
