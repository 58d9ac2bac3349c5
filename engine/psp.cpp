#include "engine/psp.h"

namespace reckon::engine {

std::string_view to_string(PspOp op) {
  switch (op) {
    case PspOp::kAuthorize:
      return "authorize";
    case PspOp::kCapture:
      return "capture";
    case PspOp::kVoid:
      return "void";
    case PspOp::kRefund:
      return "refund";
    case PspOp::kLookup:
      return "lookup";
  }
  return "?";
}

std::string_view to_string(PspOutcome outcome) {
  switch (outcome) {
    case PspOutcome::kSucceeded:
      return "succeeded";
    case PspOutcome::kDeclined:
      return "declined";
    case PspOutcome::kFailed:
      return "failed";
    case PspOutcome::kAmbiguous:
      return "ambiguous";
    case PspOutcome::kNotFound:
      return "not_found";
  }
  return "?";
}

std::string_view to_string(PspChargeState state) {
  switch (state) {
    case PspChargeState::kNone:
      return "none";
    case PspChargeState::kAuthorized:
      return "authorized";
    case PspChargeState::kCaptured:
      return "captured";
    case PspChargeState::kDeclined:
      return "declined";
    case PspChargeState::kVoided:
      return "voided";
    case PspChargeState::kRefunded:
      return "refunded";
  }
  return "?";
}

}  // namespace reckon::engine
