#include "sim/settlement_malformed.h"

#include <array>
#include <vector>

#include "engine/check.h"
#include "oracle/settlement_text.h"

namespace reckon::sim {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? std::string(1, sep) : "") + parts[i];
  return out;
}

// docs/reconciliation.md's columns, 1-based, and a value that breaks each one's format.
struct BadField {
  int column;
  const char* value;
  const char* why;
  bool out_of_bounds = false;  // a well-formed decimal that is not under 10^9 major units
};
constexpr BadField kBadFields[] = {
    {1, "psp ref!", "psp_reference outside its alphabet"},
    {1, "", "psp_reference empty"},
    {2,
     "rk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "merchant_reference of 129 characters"},
    {3, "capturex", "type not one of the five"},
    {4, "4x.00", "gross not a decimal"},
    {5, "1.2.3", "fee not a decimal"},
    {5, "0000000000000001.450", "fee of 19 digits"},
    {5, "1.4500000", "fee of 7 decimals"},
    // Decimals, but not under 10^9 major units either way (docs/reconciliation.md): one that
    // would wrap int64 in a difference, one exactly at the bound on each side, one just past.
    {5, "-92233720368547758.0", "fee beyond the largest amount", true},
    {4, "1000000000", "gross at 10^9 major units", true},
    {6, "-1000000000.000001", "net just beyond the largest amount", true},
    {5, "-1000000000", "fee at -10^9 major units", true},
    {6, "", "net empty"},
    {7, "QQQ", "currency not an ISO 4217 code of the table"},
    {8, "2026-13-40", "settlement_date not a date"},
    {8, "2026/01/10", "settlement_date with slashes"},
    {8, "2026-1-10", "settlement_date with a one-digit month"},
    {8, "2026-01-1x", "settlement_date with a letter in the day"},
    {8, "2100-02-29", "settlement_date a leap day of a year that has none"},
    {8, "2026-00-10", "settlement_date in month 00"},
    {8, "2026-01-00", "settlement_date on day 00"},
    {8, "2026-01-101", "settlement_date with a digit after the day"},
    {8, "2026/01-10", "settlement_date with one slash for a dash"},
    {8, "2026-0x-10", "settlement_date with a letter in the month"},
    {9, "2026-01-01 00:00:00", "event_time not YYYY-MM-DDTHH:MM:SS[.f]Z"},
    {9, "2026-01-01 00:00:00Z", "event_time with a space for the T"},
    {9, "2026-01-01T00:00:00", "event_time without its Z"},
    {9, "2026-01-01T00:00:00.Z", "event_time with a point and no fraction"},
    {9, "2026-01-01T00:00:00.1234567Z", "event_time with seven fraction digits"},
    {9, "2026-01-01T24:00:00Z", "event_time at hour 24"},
    {9, "2026-01-01T1x:00:00Z", "event_time with a letter in the hour"},
    {9, "2026-01-01T10:x0:00Z", "event_time with a letter in the minute"},
    {9, "2026-01-01T10:00:0xZ", "event_time with a letter in the second"},
    {9, "2026-01-01T10:60:00Z", "event_time at minute 60"},
    {9, "2026-01-01T10:00-00Z", "event_time with a dash for the second colon"},
    {9, "2026-01-01T10:00Z", "event_time without seconds"},
    {9, "2026-01-01T10:00:00.12aZ", "event_time with a letter in the fraction"},
    {9, "2026-01-01T10:00:00+00:00", "event_time with an offset for the Z"},
};
// Drawn dates one day past their month's end (the 31st of a 30-day month, Feb 29 of a common
// year, Feb 30 of a leap year), in settlement_date and in event_time's date.
constexpr uint64_t kDateKinds = 2;
// A column too few, an empty line, the header, a line of exactly the longest length, one
// character longer, a column too many, a report with no bytes at all.
constexpr uint64_t kLineKinds = 7;
// docs/reconciliation.md: "a line longer than 4096 characters" is refused; the line end
// ("\n" or "\r\n") is not the line's.
constexpr size_t kLongestLine = 4096;

std::string padded(int64_t v, size_t width) {
  std::string digits = std::to_string(v);
  return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// "YYYY-MM-DD" of a day that does not exist: one past the end of a drawn month. Half of the
// draws take a month shorter than 31 days, whose end only its own length tells.
std::string day_past_month_end(PrngStream& stream) {
  constexpr std::array<unsigned, 5> kShortMonths{2, 4, 6, 9, 11};
  const int year = 1970 + static_cast<int>(stream.below(430));
  const auto month = stream.below(2) == 0 ? kShortMonths[stream.below(kShortMonths.size())]
                                          : static_cast<unsigned>(1 + stream.below(12));
  return padded(year, 4) + "-" + padded(month, 2) + "-" +
         padded(oracle::days_in_month(year, month) + 1, 2);
}

// Which malformation of the family: a bad field (an index of kBadFields), a date past its
// month's end (the next kDateKinds), or a whole-line problem (the kLineKinds after).
uint64_t draw_malformation(PrngStream& stream, MalformFamily family) {
  if (family == MalformFamily::kCalendar) return std::size(kBadFields) + stream.below(kDateKinds);
  if (family == MalformFamily::kAmountBound) {
    std::vector<uint64_t> bounds;
    for (uint64_t i = 0; i < std::size(kBadFields); ++i) {
      if (kBadFields[i].out_of_bounds) bounds.push_back(i);
    }
    return bounds[stream.below(bounds.size())];
  }
  return stream.below(std::size(kBadFields) + kDateKinds + kLineKinds);
}

// Spaces after the line's last field (event_time) until its text is `length` characters.
void pad_line_to(std::string& text, size_t length, MalformedReport& out) {
  const bool crlf = !text.empty() && text.back() == '\r';
  if (crlf) text.pop_back();
  RECKON_CHECK(text.size() < length, "a simulated report line is far shorter than 4096");
  text.append(length - text.size(), ' ');
  out.value = text.substr(text.rfind(',') + 1);
  if (crlf) text.push_back('\r');
}

void set_field(std::string& line, int column, const std::string& value, const std::string& why,
               MalformedReport& out) {
  std::vector<std::string> fields = split(line, ',');
  RECKON_CHECK(fields.size() == 9, "the simulated PSP writes nine columns");
  fields[static_cast<size_t>(column - 1)] = value;
  line = join(fields, ',');
  out.column = column;
  out.value = value;
  out.what = why + " on line " + std::to_string(out.line);
}

// Whole-line problem `which` at lines[index] (or the header); false when it is instead an
// empty report.
bool malform_whole_line(uint64_t which, std::vector<std::string>& lines, size_t index,
                        MalformedReport& out) {
  switch (which) {
    case 0: {
      // docs/reconciliation.md: a short line names its first missing column.
      std::vector<std::string> fields = split(lines[index], ',');
      fields.pop_back();
      lines[index] = join(fields, ',');
      out.column = 9;
      out.what = "eight columns on line " + std::to_string(out.line);
      return true;
    }
    case 1:
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(index), "");
      out.what = "an empty line at line " + std::to_string(out.line);
      return true;
    case 2: {
      // After the byte order mark, when the report starts with one.
      const size_t at = lines[0].find("psp_reference");
      lines[0].replace(at, std::string("psp_reference").size(), "psp_ref");
      out.line = 1;
      out.what = "a header with psp_ref for psp_reference";
      return true;
    }
    case 3:
      // Not too long: the job reads it and refuses the padded event_time, quoting it.
      pad_line_to(lines[index], kLongestLine, out);
      out.column = 9;
      out.what = "line " + std::to_string(out.line) + " of exactly 4096 characters, " +
                 "its event_time padded with spaces";
      return true;
    case 4:
      pad_line_to(lines[index], kLongestLine + 1, out);
      out.value.clear();
      out.what = "line " + std::to_string(out.line) + " of 4097 characters, longer than 4096";
      return true;
    case 5: {
      // docs/reconciliation.md: more than 9 columns is a problem of the whole line.
      std::string& text = lines[index];
      const bool crlf = !text.empty() && text.back() == '\r';
      text.insert(text.size() - (crlf ? 1 : 0), ",extra");
      out.what = "ten columns on line " + std::to_string(out.line);
      return true;
    }
    default:
      // No header either: the job must still name line 1.
      out.line = 1;
      out.what = "an empty report (no bytes)";
      return false;
  }
}

}  // namespace

MalformedReport malform_report(const std::string& csv, PrngStream& stream, MalformFamily family) {
  RECKON_CHECK(!csv.empty() && csv.back() == '\n', "a report ends with a line end");
  std::vector<std::string> lines = split(csv.substr(0, csv.size() - 1), '\n');
  RECKON_CHECK(lines.size() >= 2, "a report with a header and a line");
  // A data line: line numbers count the header as line 1.
  const size_t index = 1 + stream.below(lines.size() - 1);
  const uint64_t kind = draw_malformation(stream, family);
  MalformedReport out;
  out.line = static_cast<int64_t>(index) + 1;
  if (kind < std::size(kBadFields)) {
    const BadField& bad = kBadFields[kind];
    set_field(lines[index], bad.column, bad.value, bad.why, out);
  } else if (kind < std::size(kBadFields) + kDateKinds) {
    const std::string date = day_past_month_end(stream);
    if (kind == std::size(kBadFields)) {
      set_field(lines[index], 8, date, "settlement_date " + date + ", past its month's end", out);
    } else {
      set_field(lines[index], 9, date + "T12:00:00Z",
                "event_time on " + date + ", past its month's end", out);
    }
  } else if (!malform_whole_line(kind - std::size(kBadFields) - kDateKinds, lines, index, out)) {
    return out;  // no bytes at all
  }
  out.csv = join(lines, '\n') + "\n";
  return out;
}

}  // namespace reckon::sim
