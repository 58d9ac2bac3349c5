// A merchant racing the engine's own state (sim/client_node.h): a capture and a void of one
// authorization sent at the same moment, two refunds of one charge that together ask for
// more than is left, and a refund sent while the charge is UNKNOWN.
// Whether an order does either is drawn from the client's stream, like the rest of its
// workload, so the seed decides it and replays repeat it.
#include <nlohmann/json.hpp>

#include "engine/check.h"
#include "sim/error_body.h"
#include "sim/properties.h"

namespace reckon::sim {

void ClientNode::start_race() {
  ++stats_.races;
  race_[0] = RaceSide{};
  race_[0].step = Step::kCapture;
  race_[0].key = order_key("race-capture");
  race_[1] = RaceSide{};
  race_[1].step = Step::kVoid;
  race_[1].key = order_key("race-void");
  trace_.record(
      queue_.now_us(), name_, "race",
      "charge=" + charge_id_ + " capture_key=" + race_[0].key + " void_key=" + race_[1].key);
  for (int lane = 1; lane <= kRaceLanes; ++lane) send_race(lane);
}

void ClientNode::start_refund_race() {
  ++stats_.refund_races;
  // Each alone fits what is left; together they do not: a + b > refundable. Half the races
  // have the second ask for "the rest" (no amount) against a first asking for all of it, so
  // whichever comes second finds nothing left: docs/api.md refuses a rest of nothing 409
  // even while the first is still under way.
  const int64_t left = refundable_minor_;
  const bool rest = stream_.chance(Ratio{1, 2});
  const int64_t a = rest ? left : stream_.between(1, left);
  const int64_t b = rest ? left : stream_.between(left - a + 1, left);
  for (int lane = 1; lane <= kRaceLanes; ++lane) {
    race_[lane - 1] = RaceSide{};
    race_[lane - 1].step = Step::kRefund;
    race_[lane - 1].key = order_key("race-refund" + std::to_string(lane));
    race_[lane - 1].refund_minor = lane == 1 ? a : b;
    race_[lane - 1].refund_rest = rest && lane == 2;
  }
  trace_.record(queue_.now_us(), name_, "refund_race",
                "charge=" + charge_id_ + " left=" + std::to_string(left) +
                    " amounts=" + std::to_string(a) + "," + (rest ? "rest" : std::to_string(b)));
  for (int lane = 1; lane <= kRaceLanes; ++lane) send_race(lane);
}

void ClientNode::send_race(int lane) {
  RECKON_CHECK(lane >= 1 && lane <= kRaceLanes, "race lanes are 1 and 2");
  RaceSide& side = race_[lane - 1];
  RECKON_CHECK(!side.done && side.outstanding == 0, "a race side sends one request at a time");
  ++side.attempt;
  const uint64_t id = next_request_id_++;
  side.outstanding = id;
  engine::HttpRequest request = build_request(side.step, side.key, next_key_quoted());
  Sent sent = describe(side.step, side.key);
  sent.lane = lane;
  if (side.step == Step::kRefund) {
    // The rest: no amount; its 200 must then show everything captured refunded.
    request.body = side.refund_rest ? "{}" : nlohmann::json{{"amount", side.refund_minor}}.dump();
    sent.amount_minor = side.refund_rest ? 0 : side.refund_minor;
  }
  sent_.emplace(id, std::move(sent));
  transmit(id, request,
           request.method + " " + request.target + " key=" + side.key +
               " attempt=" + std::to_string(side.attempt));
  queue_.schedule_after(config_.timeout_us, [this, lane, id] { on_race_timeout(lane, id); });
}

void ClientNode::on_race_response(int lane, uint64_t request_id,
                                  const engine::HttpResponse& response) {
  RaceSide& side = race_[lane - 1];
  if (request_id != side.outstanding) return;  // late or duplicated answer to an earlier attempt
  side.outstanding = 0;
  trace_.record(queue_.now_us(), name_, "response",
                "key=" + side.key + " status=" + std::to_string(response.status));
  if (response.status == 503) return race_retry(lane, /*ambiguous=*/true);
  const std::string code = response.status == 409 ? error_code_of(response.body) : "";
  if (code == "request_in_progress" || code == "charge_unresolved") {
    return race_retry(lane, /*ambiguous=*/false);
  }
  end_race_side(lane, response.status, response.body);
}

void ClientNode::on_race_timeout(int lane, uint64_t request_id) {
  RaceSide& side = race_[lane - 1];
  if (request_id != side.outstanding) return;
  side.outstanding = 0;
  trace_.record(queue_.now_us(), name_, "timeout", "key=" + side.key);
  race_retry(lane, /*ambiguous=*/true);
}

void ClientNode::race_retry(int lane, bool ambiguous) {
  RaceSide& side = race_[lane - 1];
  // Each side is retried like any request, and may be given up like any (after_ambiguous).
  if (ambiguous &&
      faults_.client_misbehaves(ClientMisbehaviour::kGiveUp,
                                name_ + ":" + side.key + "#" + std::to_string(side.attempt))) {
    trace_.record(queue_.now_us(), name_, "give_up", "key=" + side.key);
    return end_race_side(lane, 0, "");
  }
  if (side.attempt >= config_.attempts_max) return end_race_side(lane, 0, "");
  queue_.schedule_after(next_backoff_us(side.attempt), [this, lane] { send_race(lane); });
}

void ClientNode::end_race_side(int lane, int status, const std::string& body) {
  RaceSide& side = race_[lane - 1];
  RECKON_CHECK(!side.done, "a race side ends once");
  side.done = true;
  side.status = status;
  side.body = body;
  // 200 wins, 409 (charge_not_capturable, charge_not_voidable) loses; 402 is a PSP refusal.
  // A refund that loses is 400 amount_exceeds_refundable (or 409 once nothing is left).
  const bool refund_lost = side.step == Step::kRefund && status == 400;
  if (status != 0 && status != 200 && status != 402 && status != 409 && !refund_lost) {
    ++stats_.unexpected;
  }
  if (!race_[0].done || !race_[1].done) return;
  if (side.step == Step::kRefund) return judge_refund_race();
  judge_race();
}

RaceVerdict race_verdict(int capture_status, int void_status) {
  const bool capture_won = capture_status == 200;
  const bool void_won = void_status == 200;
  if (capture_won && void_won) return RaceVerdict::kBothWon;
  if (capture_won) return RaceVerdict::kCaptureWon;
  return void_won ? RaceVerdict::kVoidWon : RaceVerdict::kNoWinner;
}

// docs/api.md: a refund is served (200, or 402 if the PSP refuses it) when it is at most what
// is left of the capture, counting refunds under way; beyond that it is refused 400
// amount_exceeds_refundable (409 charge_not_refundable once the charge is wholly refunded).
// Of two refunds sent at once, each at most what was left and together more: not both 200
// (refund-within-capture), and the one the engine took first fits, so not both refused
// (legitimate-request-honoured). A side that ended without an answer decides nothing.
void ClientNode::judge_refund_race() {
  const RaceSide& first = race_[0];
  const RaceSide& second = race_[1];
  trace_.record(queue_.now_us(), name_, "refund_race_done",
                "charge=" + charge_id_ + " first=" + std::to_string(first.status) +
                    " second=" + std::to_string(second.status));
  auto asked = [](const RaceSide& s) {
    return s.refund_rest ? std::string("the rest") : std::to_string(s.refund_minor);
  };
  const std::string what = name_ + " sent refunds of " + asked(first) + " (key " + first.key +
                           ") and " + asked(second) + " (key " + second.key + ") of " + charge_id_ +
                           " at once with " + std::to_string(refundable_minor_) + " left";
  if (first.status == 200 && second.status == 200) {
    fail_(kRefundWithinCapture, charge_id_,
          what + ", and both were answered 200: " + first.body + " and " + second.body);
    return finish_order("refund-race-both-won");
  }
  // Only the engine's "no room" refusals count against it; a 5xx or no answer decides nothing.
  auto refused = [](const RaceSide& s) { return s.status == 400 || s.status == 409; };
  if (refused(first) && refused(second)) {
    ++stats_.unexpected;
    fail_(kLegitimateRequestHonoured, charge_id_,
          what +
              ", and neither was served (docs/api.md: the first the engine takes fits what "
              "is left): " +
              std::to_string(first.status) + " " + first.body + " and " +
              std::to_string(second.status) + " " + second.body);
    return finish_order("refund-race-none-served");
  }
  // docs/api.md's refund refusals name the rule: the rest of nothing is 409
  // charge_not_refundable (refunds under way count); an amount beyond what is left is 400
  // amount_exceeds_refundable, or 409 charge_not_refundable once the charge is `refunded`.
  for (const RaceSide* side : {&first, &second}) {
    if (side->status < 400 || side->status >= 500 || side->status == 402) continue;
    const std::string code = error_code_of(side->body);
    const bool not_refundable = side->status == 409 && code == "charge_not_refundable";
    const bool exceeds = side->status == 400 && code == "amount_exceeds_refundable";
    if (not_refundable || (exceeds && !side->refund_rest)) continue;
    fail_(kInvalidRequestRefused, charge_id_,
          what + ", and the refund of " + asked(*side) + " was refused " +
              std::to_string(side->status) + " " + side->body + " (docs/api.md: " +
              (side->refund_rest ? "409 charge_not_refundable"
                                 : "400 amount_exceeds_refundable or 409 charge_not_refundable") +
              ")");
    return finish_order("refund-race-misnamed-refusal");
  }
  stats_.refunds += (first.status == 200 ? 1 : 0) + (second.status == 200 ? 1 : 0);
  finish_order("refund-race-" + std::to_string(first.status) + "-" + std::to_string(second.status));
}

void ClientNode::judge_race() {
  const RaceSide& capture = race_[0];
  const RaceSide& voided = race_[1];
  trace_.record(queue_.now_us(), name_, "race_done",
                "charge=" + charge_id_ + " capture=" + std::to_string(capture.status) +
                    " void=" + std::to_string(voided.status));
  switch (race_verdict(capture.status, voided.status)) {
    case RaceVerdict::kBothWon:
      // INVARIANT (capture-void-exclusive): an authorization is captured or voided, not both.
      fail_(kCaptureVoidExclusive, charge_id_,
            name_ + " raced a capture (key " + capture.key + ") against a void (key " + voided.key +
                ") of " + charge_id_ + " and both were answered 200: " + capture.body + " and " +
                voided.body);
      return finish_order("race-both-won");
    case RaceVerdict::kNoWinner:
      return finish_order("race-" + std::to_string(capture.status) + "-" +
                          std::to_string(voided.status));
    case RaceVerdict::kVoidWon:
      ++stats_.races_decided;
      ++stats_.voided;
      race_outcomes_.push_back(RaceOutcome{charge_id_, false, queue_.now_us()});
      return finish_order("voided");
    case RaceVerdict::kCaptureWon:
      break;
  }
  ++stats_.races_decided;
  ++stats_.captured;
  race_outcomes_.push_back(RaceOutcome{charge_id_, true, queue_.now_us()});
  const auto body = nlohmann::json::parse(capture.body, nullptr, false);
  RECKON_CHECK(body.is_object() && body.contains("amount_captured") &&
                   body["amount_captured"].is_number_integer(),
               "a capture's 200 carries the charge");
  after_capture(body["amount_captured"].get<int64_t>());
}

std::optional<std::pair<std::string, std::string>> ClientNode::unknown_charge_of(
    const engine::HttpResponse& response) const {
  if (step_ != Step::kAuthorize || error_code_of(response.body) != "psp_outcome_unknown") {
    return std::nullopt;
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  const auto charge = body.find("charge");
  if (charge == body.end() || !charge->is_object() || !charge->contains("id") ||
      !(*charge)["id"].is_string()) {
    return std::nullopt;  // an engine that does not name the charge: wait for it like any 503
  }
  return std::make_pair((*charge)["id"].get<std::string>(), charge->value("status", ""));
}

bool ClientNode::act_while_unknown(const engine::HttpResponse& response, Ratio share, int& counter,
                                   bool& acting, const char* what) {
  const auto charge = unknown_charge_of(response);
  if (!charge || !stream_.chance(share)) return false;
  charge_id_ = charge->first;
  ++counter;
  acting = true;
  trace_.record(queue_.now_us(), name_, what,
                "charge=" + charge_id_ + " status=" + charge->second + " authorize_key=" + key_);
  return true;
}

bool ClientNode::capture_while_unknown(const engine::HttpResponse& response) {
  if (auto_capture_ ||
      !act_while_unknown(response, config_.capture_while_unknown, stats_.captures_while_unknown,
                         capture_while_unknown_, "capture_while_unknown")) {
    return false;
  }
  // docs/api.md: a capture of a charge still being resolved waits for its authorization and
  // one lookup; the client asks for all of it, as a merchant's capture job would.
  capture_minor_ = amount_minor_;
  over_capture_probe_ = false;
  start_step(Step::kCapture, "capture");
  return true;
}

bool ClientNode::void_while_unknown(const engine::HttpResponse& response) {
  if (auto_capture_ ||
      !act_while_unknown(response, config_.void_while_unknown, stats_.voids_while_unknown,
                         void_while_unknown_, "void_while_unknown")) {
    return false;
  }
  // docs/api.md: a void of a charge still being resolved waits for its authorization and one
  // lookup, then voids what turned out authorized.
  start_step(Step::kVoid, "void");
  return true;
}

bool ClientNode::refund_while_unknown(const engine::HttpResponse& response) {
  if (!auto_capture_ ||
      !act_while_unknown(response, config_.refund_while_unknown, stats_.refunds_while_unknown,
                         refund_while_unknown_, "refund_while_unknown")) {
    return false;
  }
  // The client believes what it asked for (all of it captured); the engine resolves the
  // charge before it judges the refund, and refuses it if nothing was captured.
  captured_minor_ = amount_minor_;
  refundable_minor_ = amount_minor_;
  refunds_left_ = 0;
  probe_planned_ = false;
  refund_is_probe_ = false;
  const bool rest = stream_.chance(Ratio{1, 2});
  refund_minor_ = rest ? std::nullopt : std::optional<int64_t>(stream_.between(1, amount_minor_));
  ++refund_number_;
  start_step(Step::kRefund, "refund" + std::to_string(refund_number_));
  return true;
}

}  // namespace reckon::sim
