#include "oracle/settlement_text.h"

#include <chrono>
#include <cstdlib>

#include "oracle/currencies.h"

namespace reckon::oracle {

namespace {

std::string padded(int64_t value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

// Floor division, so that times before 1970 fall on the right day.
int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

std::string decimal_text(const Decimal& amount) {
  const bool negative = amount.units < 0;
  // Magnitude as unsigned, so INT64_MIN is written right too.
  const unsigned long long magnitude = negative
                                           ? 0ULL - static_cast<unsigned long long>(amount.units)
                                           : static_cast<unsigned long long>(amount.units);
  std::string digits = std::to_string(magnitude);
  if (amount.decimals > 0) {
    const size_t places = static_cast<size_t>(amount.decimals);
    if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');
    digits.insert(digits.size() - places, ".");
  }
  return negative ? "-" + digits : digits;
}

bool add_decimals(const Decimal& a, const Decimal& b, Decimal& sum) {
  const int decimals = a.decimals > b.decimals ? a.decimals : b.decimals;
  int64_t x = a.units;
  int64_t y = b.units;
  for (int i = a.decimals; i < decimals; ++i) {
    if (__builtin_mul_overflow(x, 10, &x)) return false;
  }
  for (int i = b.decimals; i < decimals; ++i) {
    if (__builtin_mul_overflow(y, 10, &y)) return false;
  }
  int64_t total = 0;
  if (__builtin_add_overflow(x, y, &total)) return false;
  sum = Decimal{total, decimals};
  return true;
}

Decimal with_decimals(int64_t amount_minor, int exponent, int decimals) {
  if (decimals >= exponent) {
    return Decimal{amount_minor * minor_units_per_major(decimals - exponent), decimals};
  }
  const long long step = minor_units_per_major(exponent - decimals);
  const long long magnitude = std::llabs(amount_minor);
  const long long rounded = (magnitude + step / 2) / step;  // half away from zero
  return Decimal{amount_minor < 0 ? -rounded : rounded, decimals};
}

std::string date_text(int64_t days) {
  // The standard library's proleptic Gregorian calendar, not a hand-written day count: the
  // reconciliation job has its own (engine/reconcile/settlement_csv.cpp), and the two must
  // not share an arithmetic slip.
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return padded(static_cast<int>(ymd.year()), 4) + "-" +
         padded(static_cast<unsigned>(ymd.month()), 2) + "-" +
         padded(static_cast<unsigned>(ymd.day()), 2);
}

int days_in_month(int year, unsigned month) {
  const std::chrono::year_month_day_last last{
      std::chrono::year{year}, std::chrono::month_day_last{std::chrono::month{month}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

std::string timestamp_text(int64_t unix_us, int fraction_digits) {
  const int64_t day = floor_div(unix_us, kMicrosPerDay);
  const int64_t of_day = unix_us - day * kMicrosPerDay;
  const int64_t seconds = of_day / 1'000'000;
  std::string text = date_text(day) + "T" + padded(seconds / 3600, 2) + ":" +
                     padded(seconds / 60 % 60, 2) + ":" + padded(seconds % 60, 2);
  if (fraction_digits > 0) {
    text += "." + padded(of_day % 1'000'000, 6).substr(0, static_cast<size_t>(fraction_digits));
  }
  return text + "Z";
}

int64_t truncated_to_digits(int64_t unix_us, int fraction_digits) {
  int64_t step = 1;
  for (int i = fraction_digits; i < 6; ++i) step *= 10;
  return floor_div(unix_us, step) * step;
}

int64_t settlement_day_of(int64_t unix_us, int64_t cutoff_us_of_day) {
  const int64_t day = floor_div(unix_us, kMicrosPerDay);
  const int64_t of_day = unix_us - day * kMicrosPerDay;
  return of_day < cutoff_us_of_day ? day : day + 1;
}

int64_t capture_fee_minor(int64_t gross_minor, int64_t fee_bps) {
  if (gross_minor <= 0) return 0;
  const int64_t numerator = gross_minor * fee_bps;
  const int64_t fee = numerator / 10'000;
  return (numerator % 10'000) * 2 >= 10'000 ? fee + 1 : fee;  // half away from zero
}

}  // namespace reckon::oracle
