#pragma once
// The calendar day a run's virtual time zero falls on. Virtual time starts at 0; the only
// places that see calendar dates are the PSP's settlement reports (and the reconciliation
// job that reads them) and SQLite's clock through the VFS. A fixed start date would leave
// every date calculation of those paths tested on one week of one year, so each seed draws
// its own day from the stream "epoch" (docs/architecture.md, "Randomness").

#include <cstdint>

namespace reckon::sim {

// Midnight UTC, in milliseconds since the Unix epoch, of the day seed `seed` starts on:
// years 1970 to 2399; half of the draws the last day of a month (the next settlement day
// is in another month, and for December another year; February tests the leap rule), one
// in eight a day from a short list of calendar edges (leap days of 2000 and 2024, the
// non-leap 2100, the end of 1999, the 32-bit time_t limit in 2038), the rest any day.
int64_t draw_epoch_unix_ms(uint64_t seed);
// The time of day, in milliseconds after midnight, at which seed `seed` starts (stream
// "start-time", uniform over the day). The PSP's daily cut-off is counted from it
// (faults::SettlementFaults::cutoff_ms), so the cut-off, and every time a report's lines are
// compared with it, falls at any hour, minute and second of the day.
int64_t draw_start_time_of_day_ms(uint64_t seed);

}  // namespace reckon::sim
