#pragma once
// A settlement report made malformed in one place, as docs/reconciliation.md ("A malformed
// line is an error naming the line ... and the column"; "Also refused: ...") says the
// reconciliation job must refuse: a field that breaks its column's format, a line with a
// column too few, an empty line inside the file, a changed header, an overlong line. The
// job must then name the report and the line (and the column, for a field), and book
// nothing (property reconciliation-exact).

#include <cstdint>
#include <string>

#include "sim/prng.h"

namespace reckon::sim {

struct MalformedReport {
  std::string csv;
  std::string what;   // the malformation, for failures
  int64_t line = 0;   // where the job must say the problem is (the header is line 1)
  int column = 0;     // 1-based column of the broken field; 0: the line as a whole
  std::string value;  // the broken field as written (column != 0)
};

// Which malformations to draw from: any of them; only a date one day past its month's end
// (in settlement_date or event_time); or only an amount that is a decimal but not under
// 10^9 major units. The narrow families let a run check a month and money's bound every seed.
enum class MalformFamily { kAny, kCalendar, kAmountBound };

// One malformation of `csv` (a report with its header and at least one line), drawn from
// `stream`.
MalformedReport malform_report(const std::string& csv, PrngStream& stream,
                               MalformFamily family = MalformFamily::kAny);

}  // namespace reckon::sim
