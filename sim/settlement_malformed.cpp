#include "sim/settlement_malformed.h"

#include <vector>

#include "engine/check.h"

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
};
constexpr BadField kBadFields[] = {
    {1, "psp ref!", "psp_reference outside its alphabet"},
    {3, "capturex", "type not one of the five"},
    {4, "4x.00", "gross not a decimal"},
    {5, "1.2.3", "fee not a decimal"},
    // Decimals, but not under 10^9 major units (docs/reconciliation.md): one that would wrap
    // int64 in a difference, one exactly at the bound.
    {5, "-92233720368547758.0", "fee beyond the largest amount"},
    {4, "1000000000", "gross at 10^9 major units"},
    {6, "", "net empty"},
    {7, "QQQ", "currency not an ISO 4217 code of the table"},
    {8, "2026-13-40", "settlement_date not a date"},
    {8, "2100-02-29", "settlement_date a leap day of a year that has none"},
    {9, "2026-01-01 00:00:00", "event_time not YYYY-MM-DDTHH:MM:SS[.f]Z"},
    {9, "2026-01-01T00:00:00.Z", "event_time with a point and no fraction"},
    {9, "2026-01-01T00:00:00.1234567Z", "event_time with seven fraction digits"},
    {9, "2026-01-01T24:00:00Z", "event_time at hour 24"},
};
constexpr uint64_t kLineKinds = 4;  // a column too few, an empty line, the header, overlong

}  // namespace

MalformedReport malform_report(const std::string& csv, PrngStream& stream) {
  RECKON_CHECK(!csv.empty() && csv.back() == '\n', "a report ends with a line end");
  std::vector<std::string> lines = split(csv.substr(0, csv.size() - 1), '\n');
  RECKON_CHECK(lines.size() >= 2, "a report with a header and a line");
  // A data line: line numbers count the header as line 1.
  const size_t index = 1 + stream.below(lines.size() - 1);
  const uint64_t kinds = std::size(kBadFields) + kLineKinds;
  const uint64_t kind = stream.below(kinds);
  MalformedReport out;
  out.line = static_cast<int64_t>(index) + 1;
  if (kind < std::size(kBadFields)) {
    const BadField& bad = kBadFields[kind];
    std::vector<std::string> fields = split(lines[index], ',');
    RECKON_CHECK(fields.size() == 9, "the simulated PSP writes nine columns");
    fields[static_cast<size_t>(bad.column - 1)] = bad.value;
    lines[index] = join(fields, ',');
    out.column = bad.column;
    out.what = std::string(bad.why) + " on line " + std::to_string(out.line);
  } else {
    switch (kind - std::size(kBadFields)) {
      case 0: {
        std::vector<std::string> fields = split(lines[index], ',');
        fields.pop_back();
        lines[index] = join(fields, ',');
        out.what = "eight columns on line " + std::to_string(out.line);
        break;
      }
      case 1:
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(index), "");
        out.what = "an empty line at line " + std::to_string(out.line);
        break;
      case 2:
        lines[0] = "psp_ref" + lines[0].substr(std::string("psp_reference").size());
        out.line = 1;
        out.what = "a header with psp_ref for psp_reference";
        break;
      default:
        lines[index] += std::string(4096, ' ');
        out.what = "line " + std::to_string(out.line) + " longer than 4096 characters";
        break;
    }
  }
  out.csv = join(lines, '\n') + "\n";
  return out;
}

}  // namespace reckon::sim
