#include "engine/planted.h"

#include <array>

namespace reckon::engine {
namespace {

constexpr std::array<DefectInfo, 6> kDefects{{
    {Defect::kPspKeyPerAttempt, "psp-key-per-attempt",
     "derives a fresh PSP idempotency key on every attempt, so a retry after a lost PSP "
     "response authorizes the customer a second time",
     "no-double-charge"},
    {Defect::kTimeoutAsDecline, "timeout-as-decline",
     "books an ambiguous PSP outcome (timeout) as a decline; the customer, told it was "
     "declined, pays again while the first authorization stands",
     "no-double-charge"},
    {Defect::kRefundCapOffByOne, "refund-cap-off-by-one",
     "compares the requested refund with the refundable amount plus one, so a merchant "
     "asking for one minor unit more than is left gets a refund operation sent to the PSP",
     "refund-within-capture"},
    {Defect::kCaptureEntryOffByOne, "capture-entry-off-by-one",
     "books the receivable of a capture one minor unit higher than the payable, so the "
     "capture's ledger transaction does not balance",
     "ledger-balanced"},
    {Defect::kRecoverySkipsUnknown, "recovery-skips-unknown",
     "the recovery job only looks at PENDING operations, so an operation left UNKNOWN by "
     "an unanswered PSP call is never resolved",
     "liveness"},
    {Defect::kReconIgnoresCurrency, "recon-ignores-currency",
     "the reconciliation job never compares a settlement line's currency with the ledger's, "
     "so a line settled in the wrong currency passes as matched (or as an amount problem)",
     "reconciliation-exact"},
}};

}  // namespace

std::span<const DefectInfo> all_defects() {
  return kDefects;
}

std::optional<Defect> find_defect(std::string_view name) {
  for (const auto& d : kDefects) {
    if (d.name == name) return d.defect;
  }
  return std::nullopt;
}

}  // namespace reckon::engine
