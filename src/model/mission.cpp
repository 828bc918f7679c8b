#include "missionkit/model/mission.hpp"

#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

#include "missionkit/core/date.hpp"

namespace missionkit::model {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == '.'))
    s.remove_suffix(1);
  return s;
}

// The parts are written to stand alone, usually capitalised; inside the sentence they follow "For",
// "who" and a colon, so an ordinary capitalised first word is lowered. A first word with capitals after
// its first letter (an acronym such as "SME" or a name such as "McDonald") is left as written.
std::string mid_sentence(std::string_view part, std::string_view placeholder) {
  const auto t = trim(part);
  if (t.empty()) return std::string(placeholder);
  std::string out(t);
  const auto word_end = out.find(' ');
  const std::string_view first_word = std::string_view(out).substr(0, word_end);
  bool rest_lower = true;
  for (char c : first_word.substr(1))
    if (std::isupper(static_cast<unsigned char>(c))) rest_lower = false;
  if (rest_lower) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

std::string number_text(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, p) : std::string("?");
}

// "P5D" -> "5 days", "P1DT12H" -> "1 day and 12 hours"; text that is not a duration is shown as written
// (the linter reports it), so the sentence still reads back what the author typed.
std::string readable_duration(std::string_view text) {
  const auto d = parse_duration(trim(text));
  if (!d) return std::string(trim(text));
  const std::pair<double, const char*> parts[] = {
      {d->years, "year"}, {d->months, "month"},   {d->weeks, "week"},    {d->days, "day"},
      {d->hours, "hour"}, {d->minutes, "minute"}, {d->seconds, "second"}};
  std::vector<std::string> words;
  for (const auto& [value, unit] : parts)
    if (value != 0) words.push_back(number_text(value) + " " + unit + (value == 1 ? "" : "s"));
  if (words.empty()) return "0 days";
  std::string out = words.front();
  for (std::size_t i = 1; i < words.size(); ++i) out += (i + 1 == words.size() ? " and " : ", ") + words[i];
  return out;
}

// The situation as a relative clause on the segment. Authors write it either as a clause ("who have
// lost their card") or as a sentence about the segment ("They cannot pay until ..."); the second reads
// "who cannot pay until ..." once its pronoun becomes the relative one.
std::string relative_clause(const std::string& situation) {
  if (situation.rfind("who ", 0) == 0) return situation;
  std::string out = "who ";
  out.append(situation, situation.rfind("they ", 0) == 0 ? 5 : 0);
  return out;
}

}  // namespace

std::string mission::sentence() const {
  const auto ttv = trim(time_to_value);
  const auto measure = trim(outcome);
  // Appended piece by piece rather than with operator+: GCC 12 reports a false -Wrestrict on
  // "literal" + std::string temporaries.
  std::string out = "For ";
  out += mid_sentence(segment, "[segment?]");
  out += ' ';
  out += relative_clause(mid_sentence(situation, "[situation?]"));
  out += ": ";
  out += mid_sentence(desired_progress, "[desired progress?]");
  out += ", within ";
  out += ttv.empty() ? std::string("[time to value?]") : readable_duration(ttv);
  out += ", measured by ";
  out += measure.empty() ? std::string_view("[outcome?]") : measure;
  out += '.';
  return out;
}

}  // namespace missionkit::model
