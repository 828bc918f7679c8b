// A C++ host of missionkit: loads a mission spec, reads a contacts CSV, builds a contact_log through the
// C++ API and prints first contact resolution (7-day window) overall and by channel with Wilson intervals.
//
//   cpp_host mission.yaml contacts.csv
//
// The CSV has a header row and comma-separated fields (double quotes allowed around a field, "" inside
// one); the columns are found by name: customer_id, start (required), end, channel, reason (optional).
// Timestamps are ISO-8601 UTC "YYYY-MM-DDTHH:MM:SS" with an optional trailing "Z". An empty customer_id is
// a missing customer and an empty start a missing start (the library quarantines those rows); any other
// malformed row stops the program with a message naming the file and line. Exit codes: 0 ok, 1 bad input or
// spec, 2 usage.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "missionkit/core/date.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/data/contact_log.hpp"
#include "missionkit/measure/cx.hpp"
#include "missionkit/model/model.hpp"
#include "missionkit/version.hpp"

namespace mk = missionkit;

namespace {

/// A problem at one line of the input file; main() prints it as "file:line: message".
struct csv_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Splits one CSV record into fields. Quoted fields may contain commas and doubled quotes; a quote that
/// is opened and not closed on the same line is an error (records spanning lines are not supported).
std::vector<std::string> split_record(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        fields.back() += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) throw csv_error("unterminated quoted field");
  return fields;
}

int parse_fixed(std::string_view s, std::string_view what) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) throw csv_error("bad " + std::string(what));
  return v;
}

/// "YYYY-MM-DDTHH:MM:SS" or the same with "Z" -> seconds since 1970-01-01T00:00:00Z.
std::int64_t parse_timestamp(std::string_view text, std::string_view column) {
  const std::string where = std::string(column) + " '" + std::string(text) + "'";
  std::string_view t = text;
  if (!t.empty() && t.back() == 'Z') t.remove_suffix(1);
  if (t.size() != 19 || (t[10] != 'T' && t[10] != ' ') || t[13] != ':' || t[16] != ':')
    throw csv_error(where + ": expected an ISO-8601 UTC timestamp YYYY-MM-DDTHH:MM:SS[Z]");
  const auto date = mk::parse_date(t.substr(0, 10));
  if (!date) throw csv_error(where + ": not a calendar date");
  const int h = parse_fixed(t.substr(11, 2), where + " hour");
  const int m = parse_fixed(t.substr(14, 2), where + " minute");
  const int s = parse_fixed(t.substr(17, 2), where + " second");
  if (h > 23 || m > 59 || s > 59) throw csv_error(where + ": time of day out of range");
  return date->days_since_epoch() * 86400 + h * 3600 + m * 60 + s;
}

/// Dictionary-encodes strings: the code of each value, -1 for an empty one.
class encoder {
 public:
  std::int32_t code(const std::string& value) {
    if (value.empty()) return -1;
    const auto [it, added] = index_.try_emplace(value, static_cast<std::int32_t>(labels_.size()));
    if (added) labels_.push_back(value);
    return it->second;
  }
  [[nodiscard]] mk::data::labels labels() const {
    return std::make_shared<const std::vector<std::string>>(labels_);
  }

 private:
  std::map<std::string, std::int32_t> index_;
  std::vector<std::string> labels_;
};

/// Reads the contacts CSV into the columns of a contact log (timestamps in seconds).
mk::data::contact_columns read_contacts(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw mk::data_error(path + ": cannot open the contacts file");
  std::string line;
  std::size_t line_no = 0;
  auto next_line = [&]() -> bool {
    if (!std::getline(in, line)) return false;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF files
    return true;
  };
  auto fail = [&](const std::string& message) -> mk::data_error {
    return mk::data_error(path + ":" + std::to_string(line_no) + ": " + message);
  };

  if (!next_line()) throw mk::data_error(path + ": empty file; expected a header row");
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a UTF-8 byte-order mark from spreadsheets
  std::vector<std::string> header;
  try {
    header = split_record(line);
  } catch (const csv_error& e) {
    throw fail(e.what());
  }
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < header.size(); ++i) position.try_emplace(header[i], i);
  auto find = [&](const char* name, bool required) -> std::optional<std::size_t> {
    const auto it = position.find(name);
    if (it != position.end()) return it->second;
    if (required) throw fail(std::string("header has no '") + name + "' column (required)");
    return std::nullopt;
  };
  const auto customer_at = *find("customer_id", true);
  const auto start_at = *find("start", true);
  const auto end_at = find("end", false);
  const auto channel_at = find("channel", false);
  const auto reason_at = find("reason", false);

  std::vector<std::int64_t> customer, start, end;
  std::vector<std::uint8_t> customer_missing;
  std::vector<std::int32_t> channel, reason;
  encoder channels, reasons;
  while (next_line()) {
    if (line.empty()) continue;  // a trailing blank line
    try {
      const auto f = split_record(line);
      if (f.size() != header.size())
        throw csv_error("expected " + std::to_string(header.size()) + " fields, got " +
                        std::to_string(f.size()));
      const auto& id = f[customer_at];
      std::int64_t cust = 0;
      if (!id.empty()) {
        const auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), cust);
        if (ec != std::errc{} || p != id.data() + id.size())
          throw csv_error("customer_id '" + id + "' is not an integer");
      }
      customer.push_back(cust);
      customer_missing.push_back(id.empty() ? 1 : 0);
      // An empty start is missing: the library quarantines the row (null_start), as it does a missing
      // customer.
      start.push_back(f[start_at].empty() ? mk::data::time_column::missing
                                          : parse_timestamp(f[start_at], "start"));
      if (end_at) {
        // An empty end is missing; the library then ends the contact at its start.
        end.push_back(f[*end_at].empty() ? mk::data::time_column::missing
                                         : parse_timestamp(f[*end_at], "end"));
      }
      if (channel_at) channel.push_back(channels.code(f[*channel_at]));
      if (reason_at) reason.push_back(reasons.code(f[*reason_at]));
    } catch (const csv_error& e) {
      throw fail(e.what());
    }
  }
  if (customer.empty()) throw mk::data_error(path + ": no data rows after the header");

  using mk::data::column;
  mk::data::contact_columns cols;
  cols.customer = column<std::int64_t>::owning(std::move(customer));
  cols.customer_missing = column<std::uint8_t>::owning(std::move(customer_missing));
  cols.start = {column<std::int64_t>::owning(std::move(start)), 1};
  if (end_at) cols.end = {column<std::int64_t>::owning(std::move(end)), 1};
  if (channel_at) cols.channel = {column<std::int32_t>::owning(std::move(channel)), channels.labels()};
  if (reason_at) cols.reason = {column<std::int32_t>::owning(std::move(reason)), reasons.labels()};
  return cols;
}

void print_row(const std::string& group, const mk::measure::measure_table& t, std::size_t i) {
  std::printf("%-10s %8llu %9.0f %9llu %9.6f %9.6f %9.6f\n", group.c_str(),
              static_cast<unsigned long long>(t.n[i]), t.numerator[i],
              static_cast<unsigned long long>(t.censored[i]), t.value[i], t.ci_low[i], t.ci_high[i]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: cpp_host mission.yaml contacts.csv\n";
    return 2;
  }
  try {
    const auto spec = mk::model::load_spec(argv[1]);
    const auto issues = mk::model::validate(spec);
    if (mk::model::has_errors(issues)) {
      std::cerr << argv[1] << ": the spec has errors; run `missionkit validate " << argv[1] << "`\n";
      return 1;
    }
    const mk::data::contact_log log(read_contacts(argv[2]));

    // FCR as the spec's fcr_7d defines it: episodes not followed by a same-reason contact within 7 days of
    // their end; episodes whose window is not yet observed are censored (left out).
    mk::measure::episode_options opt;
    opt.window_s = 7 * 86400.0;
    const auto overall = mk::measure::fcr(log, opt);
    const auto by_channel = mk::measure::fcr(log, opt, mk::measure::grouping{{"channel"}});

    std::cout << "missionkit " << mk::version_string << "\n"
              << "Mission: " << spec.mission.sentence() << "\n"
              << "Contacts: " << log.rows_read() << " read, " << log.size() << " accepted, "
              << log.quarantined() << " quarantined\n"
              << "FCR (7-day window, same reason), " << overall.ci_method << " 95% CI:\n";
    std::printf("%-10s %8s %9s %9s %9s %9s %9s\n", "group", "episodes", "resolved", "censored", "fcr",
                "ci_low", "ci_high");
    print_row("all", overall, 0);
    const auto& labels = *by_channel.by_labels[0];
    for (std::size_t i = 0; i < by_channel.rows(); ++i) {
      const auto code = by_channel.by_codes[0][i];
      print_row(code < 0 ? std::string("(none)") : labels[static_cast<std::size_t>(code)], by_channel, i);
    }
    return 0;
  } catch (const mk::error& e) {
    std::cerr << "cpp_host: " << e.what() << "\n";
    return 1;
  }
}
