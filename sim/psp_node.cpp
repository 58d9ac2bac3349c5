#include "sim/psp_node.h"

#include "engine/check.h"

namespace reckon::sim {

namespace {

// The PSP's id of an authorization, as real providers mint them: mixed case, digits and the
// dialect's punctuation ("pA.12_Xk9Qz"), unique by the counter in it, so that whatever reads
// the ids (the engine, its settlement reader) must take the whole alphabet of
// docs/psp-dialect.md, not only the lowercase a simple counter would give.
std::string authorization_id(uint64_t n) {
  static constexpr char kBase62[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  uint64_t mixed = (n + 1) * 0x9E3779B97F4A7C15ULL;
  std::string tail;
  for (int i = 0; i < 5; ++i, mixed /= 62) tail.push_back(kBase62[mixed % 62]);
  return "pA." + std::to_string(n) + "_" + tail;
}

}  // namespace

using engine::PspChargeState;
using engine::PspOp;
using engine::PspOutcome;
using engine::PspReply;
using engine::PspRequest;

PspNode::PspNode(uint64_t run_seed, PspConfig config) : config_(config), stream_(run_seed, "psp") {}

bool PspNode::same_operation(const PspRequest& a, const PspRequest& b) {
  return a.op == b.op && a.amount_minor == b.amount_minor && a.currency == b.currency &&
         a.card_token == b.card_token && a.capture == b.capture &&
         a.psp_charge_id == b.psp_charge_id;
}

PspReply PspNode::process(const PspRequest& request, int64_t now_us) {
  now_us_ = now_us;
  if (request.op == PspOp::kLookup) return lookup(request);
  auto seen = by_key_.find(request.idempotency_key);
  if (seen != by_key_.end()) {
    if (!same_operation(seen->second.request, request)) {
      return inadmissible(request, "idempotency key reused with different parameters");
    }
    return seen->second.reply;  // the key collapses the retry into the first result
  }
  PspReply reply;
  switch (request.op) {
    case PspOp::kAuthorize:
      reply = authorize(request);
      break;
    case PspOp::kCapture:
      reply = capture(request);
      break;
    case PspOp::kVoid:
      reply = void_authorization(request);
      break;
    case PspOp::kRefund:
      reply = refund(request);
      break;
    case PspOp::kLookup:
      RECKON_CHECK(false, "lookups are answered above");
  }
  // INVARIANT: a key's first definitive answer is the only answer it ever gets.
  by_key_.emplace(request.idempotency_key, KeyRecord{request, reply});
  return reply;
}

PspReply PspNode::inadmissible(const PspRequest& request, std::string detail) {
  inadmissible_.push_back(PspInadmissible{request.idempotency_key, request.psp_charge_id, detail});
  PspReply reply;
  reply.outcome = PspOutcome::kFailed;
  reply.psp_charge_id = request.psp_charge_id;
  reply.detail = std::move(detail);
  return reply;
}

PspReply PspNode::refuse(const PspRequest& request, int64_t now_us) {
  now_us_ = now_us;
  RECKON_CHECK(request.op == PspOp::kAuthorize && by_key_.count(request.idempotency_key) == 0,
               "only a new authorization is refused unprocessed");
  PspReply reply;
  reply.outcome = PspOutcome::kFailed;
  reply.amount_minor = request.amount_minor;
  reply.detail = "processing_error: the request was refused";
  by_key_.emplace(request.idempotency_key, KeyRecord{request, reply});
  return reply;
}

PspReply PspNode::authorize(const PspRequest& request) {
  PspCharge charge;
  charge.psp_charge_id = authorization_id(next_charge_number_++);
  charge.idempotency_key = request.idempotency_key;
  charge.card_token = request.card_token;
  charge.currency = request.currency;
  charge.authorized_minor = request.amount_minor;
  charge.authorized_at_us = now_us_;
  PspReply reply;
  reply.psp_charge_id = charge.psp_charge_id;
  reply.amount_minor = request.amount_minor;
  // The draw comes first so that a token declined by name leaves the stream as it was.
  const bool drawn_decline = stream_.chance(config_.decline);
  if (drawn_decline || declined_tokens_.count(request.card_token) != 0) {
    charge.state = PspChargeState::kDeclined;
    reply.outcome = PspOutcome::kDeclined;
    reply.detail = "card declined";
  } else {
    charge.state = request.capture ? PspChargeState::kCaptured : PspChargeState::kAuthorized;
    charge.captured_minor = request.capture ? request.amount_minor : 0;
    reply.outcome = PspOutcome::kSucceeded;
    if (request.capture) {
      settled_.push_back(PspSettledEvent{request.idempotency_key, charge.psp_charge_id, false,
                                         request.amount_minor, request.currency,
                                         request.idempotency_key, charge.psp_charge_id});
    }
  }
  reply.state = charge.state;
  charges_by_token_[charge.card_token].push_back(charge.psp_charge_id);
  creation_order_.push_back(charge.psp_charge_id);
  charges_.emplace(charge.psp_charge_id, std::move(charge));
  return reply;
}

PspReply PspNode::capture(const PspRequest& request) {
  PspReply reply;
  reply.psp_charge_id = request.psp_charge_id;
  auto it = charges_.find(request.psp_charge_id);
  if (it == charges_.end() || it->second.state != PspChargeState::kAuthorized ||
      request.amount_minor <= 0 || request.amount_minor > it->second.authorized_minor) {
    return inadmissible(
        request, "capture refused: no such authorization, not capturable, or amount too large");
  }
  if (lapsed(it->second)) {
    reply.outcome = PspOutcome::kFailed;
    reply.detail = "capture refused: the authorization expired";
    return reply;
  }
  it->second.state = PspChargeState::kCaptured;
  it->second.captured_minor = request.amount_minor;
  settled_.push_back(PspSettledEvent{request.idempotency_key, it->second.psp_charge_id, false,
                                     request.amount_minor, it->second.currency,
                                     it->second.idempotency_key, it->second.psp_charge_id});
  reply.outcome = PspOutcome::kSucceeded;
  reply.state = PspChargeState::kCaptured;
  reply.amount_minor = request.amount_minor;
  return reply;
}

bool PspNode::lapsed(const PspCharge& charge) const {
  return config_.authorization_expiry_us > 0 &&
         now_us_ - charge.authorized_at_us >= config_.authorization_expiry_us;
}

PspReply PspNode::void_authorization(const PspRequest& request) {
  PspReply reply;
  reply.psp_charge_id = request.psp_charge_id;
  auto it = charges_.find(request.psp_charge_id);
  if (it == charges_.end() || it->second.state != PspChargeState::kAuthorized) {
    return inadmissible(request,
                        "void refused: no such authorization, or already captured or voided");
  }
  it->second.state = PspChargeState::kVoided;
  reply.outcome = PspOutcome::kSucceeded;
  reply.state = PspChargeState::kVoided;
  reply.amount_minor = request.amount_minor;
  return reply;
}

PspReply PspNode::refund(const PspRequest& request) {
  PspReply reply;
  reply.psp_charge_id = request.psp_charge_id;
  auto it = charges_.find(request.psp_charge_id);
  // INVARIANT: refunds never exceed the capture; a refund that would is refused.
  if (it == charges_.end() || it->second.state != PspChargeState::kCaptured ||
      request.amount_minor <= 0 ||
      request.amount_minor > it->second.captured_minor - it->second.refunded_minor) {
    return inadmissible(request,
                        "refund refused: not captured, or more than the captured amount left");
  }
  PspCharge& charge = it->second;
  charge.refunded_minor += request.amount_minor;
  if (charge.refunded_minor == charge.captured_minor) charge.state = PspChargeState::kRefunded;
  settled_.push_back(PspSettledEvent{
      request.idempotency_key,
      charge.psp_charge_id + "-r" + std::to_string(++refunds_by_charge_[charge.psp_charge_id]),
      true, request.amount_minor, charge.currency, charge.idempotency_key, charge.psp_charge_id});
  reply.outcome = PspOutcome::kSucceeded;
  reply.state = charge.state;
  reply.amount_minor = request.amount_minor;
  return reply;
}

PspReply PspNode::lookup(const PspRequest& request) const {
  PspReply reply;
  auto seen = by_key_.find(request.idempotency_key);
  if (seen == by_key_.end()) {
    reply.outcome = PspOutcome::kNotFound;
    return reply;
  }
  reply = seen->second.reply;
  reply.looked_up_op = seen->second.request.op;
  if (reply.outcome == PspOutcome::kFailed) return reply;
  // Found: the lookup itself succeeded; `state` says what the operation resulted in.
  reply.outcome = PspOutcome::kSucceeded;
  return reply;
}

std::vector<const PspCharge*> PspNode::successful_charges_for(const std::string& card_token) const {
  std::vector<const PspCharge*> out;
  auto ids = charges_by_token_.find(card_token);
  if (ids == charges_by_token_.end()) return out;
  for (const auto& id : ids->second) {
    const PspCharge& c = charges_.at(id);
    if (c.state == PspChargeState::kAuthorized || c.state == PspChargeState::kCaptured ||
        c.state == PspChargeState::kRefunded) {
      out.push_back(&c);
    }
  }
  return out;
}

const PspCharge* PspNode::charge_for_key(const std::string& idempotency_key) const {
  auto seen = by_key_.find(idempotency_key);
  if (seen == by_key_.end()) return nullptr;
  const std::string& id = seen->second.request.op == PspOp::kAuthorize
                              ? seen->second.reply.psp_charge_id
                              : seen->second.request.psp_charge_id;
  auto it = charges_.find(id);
  return it == charges_.end() ? nullptr : &it->second;
}

}  // namespace reckon::sim
