#include "sim/webhook_event_check.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "sim/properties.h"
#include "sim/store_reader.h"

namespace reckon::sim {
namespace {

struct Operation {
  std::string id, charge_id, kind, status;
  int64_t amount = 0;
};

// The charge as an event must describe it (docs/api.md: "the charge after the change").
struct ChargeAfter {
  std::string status;
  int64_t captured = 0;
  int64_t refunded = 0;
};

// docs/api.md's table of event types: the type an operation's outcome sends, "" for none
// (a capture, void or refund the PSP refused sends nothing, nor does an unresolved outcome).
std::string type_sent_by(const Operation& op, bool capture_requested) {
  if (op.status == "succeeded") {
    if (op.kind == "authorize")
      return capture_requested ? "payment.captured" : "payment.authorized";
    if (op.kind == "capture") return "payment.captured";
    if (op.kind == "void") return "payment.voided";
    if (op.kind == "refund") return "payment.refunded";
    return "";
  }
  const bool ended = op.status == "declined" || op.status == "failed";
  return op.kind == "authorize" && ended ? "payment.failed" : "";
}

// docs/state-machine.md: what an operation that sent an event did to its charge. A capture
// sets the captured amount (a partial one releases the rest); a partial refund leaves the
// charge captured, the refund reaching the captured amount makes it refunded.
void apply(ChargeAfter& charge, const Operation& op, bool capture_requested) {
  if (op.kind == "authorize") {
    if (op.status != "succeeded") {
      charge.status = op.status;  // declined or failed
      return;
    }
    charge.status = capture_requested ? "captured" : "authorized";
    charge.captured = capture_requested ? op.amount : 0;
  } else if (op.kind == "capture") {
    charge.status = "captured";
    charge.captured = op.amount;
  } else if (op.kind == "void") {
    charge.status = "voided";
  } else if (op.kind == "refund") {
    charge.refunded += op.amount;
    charge.status = charge.refunded == charge.captured ? "refunded" : "captured";
  }
}

std::string clipped(const std::string& text) {
  constexpr size_t kShown = 240;
  return text.size() <= kShown ? text : text.substr(0, kShown) + "...";
}

// "" when `object` has `name` of the kind `is_kind` accepts; else what is wrong.
template <typename Predicate>
std::string field_problem(const nlohmann::json& object, const char* where, const char* name,
                          const char* kind, Predicate is_kind) {
  const auto it = object.find(name);
  if (it == object.end()) return std::string("has no ") + where + name;
  if (!is_kind(*it)) return std::string("has ") + where + name + " " + it->dump() + ", not " + kind;
  return "";
}

// The documented shape of an event body; "" when it has every field with its JSON type.
std::string shape_problem(const nlohmann::json& body) {
  const auto is_string = [](const nlohmann::json& v) { return v.is_string(); };
  const auto is_integer = [](const nlohmann::json& v) { return v.is_number_integer(); };
  const auto is_object = [](const nlohmann::json& v) { return v.is_object(); };
  for (const char* name : {"id", "object", "type"}) {
    if (auto p = field_problem(body, "", name, "a string", is_string); !p.empty()) return p;
  }
  if (auto p = field_problem(body, "", "created_us", "an integer", is_integer); !p.empty()) {
    return p;
  }
  if (auto p = field_problem(body, "", "data", "an object", is_object); !p.empty()) return p;
  const auto& data = body["data"];
  for (const char* name : {"charge", "operation", "currency", "status"}) {
    if (auto p = field_problem(data, "data.", name, "a string", is_string); !p.empty()) return p;
  }
  for (const char* name : {"amount", "amount_captured", "amount_refunded"}) {
    if (auto p = field_problem(data, "data.", name, "an integer", is_integer); !p.empty()) {
      return p;
    }
  }
  return "";
}

template <typename T>
std::string mismatch(const char* field, const nlohmann::json& got, const T& want,
                     const std::string& why) {
  if (got == nlohmann::json(want)) return "";
  return std::string("says ") + field + " " + got.dump() + " where " + why + " gives " +
         nlohmann::json(want).dump();
}

class EventJudge {
 public:
  EventJudge(sqlite3* store, const ChargeCreators& creators) : creators_(creators) {
    reader_.attach(store);
  }

  // "" when the receipt is the event docs/api.md describes; else what is wrong. `charge_id`
  // is set to the charge the event's operation belongs to, when known.
  std::string judge(const WebhookReceipt& receipt, std::string& charge_id) {
    const auto body = nlohmann::json::parse(receipt.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return "is not a JSON object: " + clipped(receipt.body);
    }
    if (auto p = shape_problem(body); !p.empty()) return p + ": " + clipped(receipt.body);
    if (body["id"] != receipt.event_id) {
      return "has id " + body["id"].dump() + " but came with Webhook-Id " + receipt.event_id;
    }
    if (body["object"] != "event") return "has object " + body["object"].dump() + ", not \"event\"";

    int64_t seq = 0;
    Operation op;
    if (!find_operation(receipt.event_id, seq, op)) {
      return "names no event of the engine's outbox";
    }
    charge_id = op.charge_id;
    if (!charge_stored(op.charge_id)) return "reports charge " + op.charge_id + ", not stored";
    // docs/api.md: endpoints are per merchant; an event goes to its charge's merchant only
    // (another merchant learning of the charge is a leak). The merchant is the one whose key
    // the world saw create the charge; the simulated endpoints end in the merchant's name
    // (sim/world.cpp).
    const std::string to = receipt.endpoint.substr(receipt.endpoint.rfind('/') + 1);
    const auto creator = creators_.merchant_of(op.charge_id);
    if (creator && to != *creator) {
      return "was delivered to " + receipt.endpoint + ", not to the endpoint of merchant " +
             *creator +
             " whose key created the charge it reports (docs/api.md: endpoints are per "
             "merchant)";
    }
    // What the charge is (its card token, currency, and whether it asked to capture at
    // once) is what its creating request asked, as the world saw it; a charge whose creation
    // was never answered is judged on its operation alone.
    const auto made = creators_.creation_of(op.charge_id);
    const std::string op_name = op.kind + " " + op.id + " (" + op.status + ")";
    const auto& data = body["data"];
    for (const std::string& p : {mismatch("data.charge", data["charge"], op.charge_id, op_name),
                                 mismatch("data.operation", data["operation"], op.kind, op_name),
                                 mismatch("data.amount", data["amount"], op.amount, op_name)}) {
      if (!p.empty()) return p;
    }
    if (!made) return "";
    if (!made->source.empty() && receipt.body.find(made->source) != std::string::npos) {
      return "carries the charge's card token (docs/api.md: no card token is ever in an event)";
    }
    const std::string type = type_sent_by(op, made->capture);
    if (type.empty()) {
      return "reports " + op_name + ", an outcome that sends no event (docs/api.md, \"Webhooks\")";
    }
    if (auto p = mismatch("type", body["type"], type, op_name); !p.empty()) return p;
    if (!made->currency.empty()) {
      if (auto p = mismatch("data.currency", data["currency"], made->currency, "its charge");
          !p.empty()) {
        return p;
      }
    }
    const ChargeAfter after = charge_after(op.charge_id, seq, made->capture);
    const std::string why = "the charge's events up to this one (docs/state-machine.md)";
    for (const std::string& p :
         {mismatch("data.status", data["status"], after.status, why),
          mismatch("data.amount_captured", data["amount_captured"], after.captured, why),
          mismatch("data.amount_refunded", data["amount_refunded"], after.refunded, why)}) {
      if (!p.empty()) return p;
    }
    return "";
  }

 private:
  bool find_operation(const std::string& event_id, int64_t& seq, Operation& op) {
    auto& st = reader_.prepare(
        "SELECT x.seq, o.id, o.charge_id, o.kind, o.status, o.amount_minor FROM outbox x "
        "JOIN operations o ON o.id = x.operation_id WHERE x.event_id = ?1");
    st.bind(1, event_id);
    const bool found = st.step() == SQLITE_ROW;
    if (found) {
      seq = st.column_int(0);
      op = Operation{st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4),
                     st.column_int(5)};
    }
    st.reset();
    return found;
  }

  bool charge_stored(const std::string& charge_id) {
    auto& st = reader_.prepare("SELECT 1 FROM charges WHERE id = ?1");
    st.bind(1, charge_id);
    const bool found = st.step() == SQLITE_ROW;
    st.reset();
    return found;
  }

  // Every event commits with the change it reports (docs/ledger.md, "The outbox"), so the
  // outbox's order is the order of the charge's changes that sent events; the others
  // (pending -> unknown) change no amount and are followed by an event-sending one.
  ChargeAfter charge_after(const std::string& charge_id, int64_t seq, bool capture_requested) {
    auto& st = reader_.prepare(
        "SELECT o.id, o.charge_id, o.kind, o.status, o.amount_minor FROM outbox x "
        "JOIN operations o ON o.id = x.operation_id "
        "WHERE o.charge_id = ?1 AND x.seq <= ?2 ORDER BY x.seq");
    st.bind(1, charge_id).bind(2, seq);
    ChargeAfter after;
    while (st.step() == SQLITE_ROW) {
      const Operation op{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                         st.column_int(4)};
      apply(after, op, capture_requested);
    }
    st.reset();
    return after;
  }

  const ChargeCreators& creators_;
  StoreReader reader_;
};

}  // namespace

void check_webhook_events(sqlite3* store, const std::vector<WebhookReceipt>& receipts,
                          const ChargeCreators& creators, TimeUs now_us,
                          std::vector<Failure>& failures) {
  EventJudge judge(store, creators);
  std::set<std::pair<std::string, std::string>> judged;  // (event id, body): redeliveries once
  for (const WebhookReceipt& receipt : receipts) {
    if (!judged.insert({receipt.event_id, receipt.body}).second) continue;
    std::string charge_id;
    const std::string problem = judge.judge(receipt, charge_id);
    if (problem.empty()) continue;
    failures.push_back(Failure{kWebhookEventFaithful, charge_id,
                               "event " + receipt.event_id + " received at " +
                                   std::to_string(receipt.at_us) + "us " + problem,
                               now_us});
    return;
  }
}

}  // namespace reckon::sim
