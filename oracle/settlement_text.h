#pragma once
// How the simulated PSP writes its daily settlement report (docs/reconciliation.md, "The
// report"), stated for the PSP's side alone: the writer must not borrow the reconciliation
// job's formatting or fee arithmetic, or a bug there would be written into the very reports
// that are meant to catch it.

#include <cstdint>
#include <string>
#include <string_view>

namespace reckon::oracle {

// docs/reconciliation.md: the header line, columns in this order.
inline constexpr std::string_view kSettlementHeader =
    "psp_reference,merchant_reference,type,gross,fee,net,currency,settlement_date,event_time";

inline constexpr int64_t kMicrosPerDay = 86'400'000'000;

// A decimal as written in a report: value = units / 10^decimals.
struct Decimal {
  int64_t units = 0;
  int decimals = 0;
  bool operator==(const Decimal&) const = default;
};

// {-4999, 2} -> "-49.99"; {500, 0} -> "500"; {5, 3} -> "0.005".
std::string decimal_text(const Decimal& amount);
// a + b written with the larger number of decimals; false when it does not fit in 64 bits.
bool add_decimals(const Decimal& a, const Decimal& b, Decimal& sum);
// `amount_minor` of a currency with `exponent` decimals, written with `decimals` places;
// fewer places round half away from zero (the "rounding" fault's gross).
Decimal with_decimals(int64_t amount_minor, int exponent, int decimals);

// Days since 1970-01-01 -> "YYYY-MM-DD" (proleptic Gregorian calendar).
std::string date_text(int64_t days);
// How many days `month` (1-12) of `year` has in the proleptic Gregorian calendar.
int days_in_month(int year, unsigned month);
// Microseconds since the Unix epoch -> "YYYY-MM-DDTHH:MM:SS.ffffffZ", the fraction cut to
// `fraction_digits` (0 to 6; 0 writes no fraction and no point). docs/reconciliation.md allows
// any of them; a PSP that keeps milliseconds writes 3. Cut digits are dropped, not rounded:
// pass a time truncated_to_digits() so that the text is the exact time.
std::string timestamp_text(int64_t unix_us, int fraction_digits = 6);
// `unix_us` rounded down to a multiple of 10^(6 - fraction_digits) microseconds.
int64_t truncated_to_digits(int64_t unix_us, int fraction_digits);
// docs/reconciliation.md, "Cut-off": an event before the day's cut-off settles that day, one
// at or after it the next day.
int64_t settlement_day_of(int64_t unix_us, int64_t cutoff_us_of_day);

// docs/reconciliation.md, "Fees": a capture pays gross * bps / 10000 rounded half away from
// zero to the minor unit; refunds (and anything that is not a positive capture) pay nothing.
int64_t capture_fee_minor(int64_t gross_minor, int64_t fee_bps);

}  // namespace reckon::oracle
