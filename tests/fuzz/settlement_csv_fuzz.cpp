// Fuzz target: a PSP settlement report (CSV, docs/reconciliation.md) as `reckon reconcile`
// reads it: engine::SettlementCsvReader over a std::istringstream, every line until it
// stops, and engine::validate_settlement_csv over the same text.
// Must hold: no crash, no UB, no leak; every refusal is a clear error (a CsvError with a
// line >= 1, a column in 0..9 and a message); validate_settlement_csv agrees with the reader;
// every accepted amount, date and time survives a write and a re-read unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "engine/reconcile/settlement_csv.h"

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz settlement_csv: %s\n", why);
  std::abort();
}

void check_amount(const reckon::engine::DecimalAmount& a) {
  namespace engine = reckon::engine;
  const auto back = engine::parse_decimal(engine::format_decimal(a));
  if (!back || !(*back == a)) fail("an accepted amount does not survive format_decimal");
  for (int exponent : {0, 2, 3}) (void)engine::to_minor_units(a, exponent);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace engine = reckon::engine;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  engine::SettlementCsvReader reader(in);
  int64_t lines = 0;
  while (const auto line = reader.next()) {
    ++lines;
    if (line->line_number < 2) fail("a data line numbered before the header");
    check_amount(line->gross);
    check_amount(line->fee);
    check_amount(line->net);
    (void)engine::add_decimal(line->gross, line->fee);
    (void)engine::add_decimal(line->fee, line->net);
    const auto day = engine::parse_date(engine::format_date(line->settlement_day));
    if (!day || *day != line->settlement_day) fail("a date does not survive format_date");
    const auto at = engine::parse_timestamp(engine::format_timestamp(line->event_unix_us));
    if (!at || *at != line->event_unix_us) fail("a time does not survive format_timestamp");
    (void)engine::settlement_day(line->event_unix_us, 3'600'000'000LL);
    if (line->psp_reference.empty()) fail("a line without a psp_reference");
  }
  const auto& error = reader.error();
  if (error) {
    if (error->line < 1 || error->column < 0 || error->column > engine::kSettlementCsvColumns ||
        error->message.empty() || error->str().empty()) {
      fail("a refusal that does not name line, column and problem");
    }
  }
  std::istringstream again(text);
  int64_t validated = 0;
  const auto verdict = engine::validate_settlement_csv(again, validated);
  if (verdict.has_value() != error.has_value()) fail("validate_settlement_csv disagrees");
  if (verdict && (verdict->line != error->line || verdict->column != error->column ||
                  verdict->message != error->message)) {
    fail("validate_settlement_csv reports another error");
  }
  if (validated != lines) fail("validate_settlement_csv counts other lines");
  return 0;
}
