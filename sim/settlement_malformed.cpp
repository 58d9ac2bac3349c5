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
    // Decimals, but not under 10^9 major units (docs/reconciliation.md): one that would wrap
    // int64 in a difference, one exactly at the bound.
    {5, "-92233720368547758.0", "fee beyond the largest amount", true},
    {4, "1000000000", "gross at 10^9 major units", true},
    {6, "-1000000000.000001", "net just beyond the largest amount", true},
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

}  // namespace

MalformedReport malform_report(const std::string& csv, PrngStream& stream, MalformFamily family) {
  RECKON_CHECK(!csv.empty() && csv.back() == '\n', "a report ends with a line end");
  std::vector<std::string> lines = split(csv.substr(0, csv.size() - 1), '\n');
  RECKON_CHECK(lines.size() >= 2, "a report with a header and a line");
  // A data line: line numbers count the header as line 1.
  const size_t index = 1 + stream.below(lines.size() - 1);
  const uint64_t kinds = std::size(kBadFields) + kDateKinds + kLineKinds;
  uint64_t kind = 0;
  if (family == MalformFamily::kCalendar) {
    kind = std::size(kBadFields) + stream.below(kDateKinds);
  } else if (family == MalformFamily::kAmountBound) {
    std::vector<uint64_t> bounds;
    for (uint64_t i = 0; i < std::size(kBadFields); ++i) {
      if (kBadFields[i].out_of_bounds) bounds.push_back(i);
    }
    kind = bounds[stream.below(bounds.size())];
  } else {
    kind = stream.below(kinds);
  }
  MalformedReport out;
  out.line = static_cast<int64_t>(index) + 1;
  // Spaces after the line's last field (event_time) until its text is `length` characters.
  auto pad_line_to = [&](size_t length) {
    std::string& text = lines[index];
    const bool crlf = !text.empty() && text.back() == '\r';
    if (crlf) text.pop_back();
    RECKON_CHECK(text.size() < length, "a simulated report line is far shorter than 4096");
    text.append(length - text.size(), ' ');
    out.value = text.substr(text.rfind(',') + 1);
    if (crlf) text.push_back('\r');
  };
  auto set_field = [&](int column, const std::string& value, const std::string& why) {
    std::vector<std::string> fields = split(lines[index], ',');
    RECKON_CHECK(fields.size() == 9, "the simulated PSP writes nine columns");
    fields[static_cast<size_t>(column - 1)] = value;
    lines[index] = join(fields, ',');
    out.column = column;
    out.value = value;
    out.what = why + " on line " + std::to_string(out.line);
  };
  if (kind < std::size(kBadFields)) {
    const BadField& bad = kBadFields[kind];
    set_field(bad.column, bad.value, bad.why);
  } else if (kind < std::size(kBadFields) + kDateKinds) {
    const std::string date = day_past_month_end(stream);
    if (kind == std::size(kBadFields)) {
      set_field(8, date, "settlement_date " + date + ", past its month's end");
    } else {
      set_field(9, date + "T12:00:00Z", "event_time on " + date + ", past its month's end");
    }
  } else {
    switch (kind - std::size(kBadFields) - kDateKinds) {
      case 0: {
        // docs/reconciliation.md: a short line names its first missing column.
        std::vector<std::string> fields = split(lines[index], ',');
        fields.pop_back();
        lines[index] = join(fields, ',');
        out.column = 9;
        out.what = "eight columns on line " + std::to_string(out.line);
        break;
      }
      case 1:
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(index), "");
        out.what = "an empty line at line " + std::to_string(out.line);
        break;
      case 2: {
        // After the byte order mark, when the report starts with one.
        const size_t at = lines[0].find("psp_reference");
        lines[0].replace(at, std::string("psp_reference").size(), "psp_ref");
        out.line = 1;
        out.what = "a header with psp_ref for psp_reference";
        break;
      }
      case 3:
        // Not too long: the job reads it and refuses the padded event_time, quoting it.
        pad_line_to(kLongestLine);
        out.column = 9;
        out.what = "line " + std::to_string(out.line) + " of exactly 4096 characters, " +
                   "its event_time padded with spaces";
        break;
      case 4:
        pad_line_to(kLongestLine + 1);
        out.value.clear();
        out.what = "line " + std::to_string(out.line) + " of 4097 characters, longer than 4096";
        break;
      case 5: {
        // docs/reconciliation.md: more than 9 columns is a problem of the whole line.
        std::string& text = lines[index];
        const bool crlf = !text.empty() && text.back() == '\r';
        text.insert(text.size() - (crlf ? 1 : 0), ",extra");
        out.what = "ten columns on line " + std::to_string(out.line);
        break;
      }
      default:
        // No header either: the job must still name line 1.
        out.csv.clear();
        out.line = 1;
        out.what = "an empty report (no bytes)";
        return out;
    }
  }
  out.csv = join(lines, '\n') + "\n";
  return out;
}

}  // namespace reckon::sim
