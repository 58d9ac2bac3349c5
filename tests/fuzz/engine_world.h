#pragma once
// A PaymentEngine for the fuzz targets (http_request, psp_webhook): an in-memory SQLite
// database, a manual clock, a fixed-seed PRNG and a small idempotent PSP model, all on the
// fuzzer's thread. Written for the fuzzers (tests/support/engine_fixture.h needs gtest).
//
// Every input meets the same world, so a reproducer replays alone. The world first makes
// two charges of merchant_1 through the API, so that inputs can name existing state:
//   {charge}   an authorized (not captured) charge of 1250 USD; {key} its PSP key
//   {charge2}  a charge whose authorization went unanswered (unknown; the PSP did it);
//              {key2} its PSP key
// expand() replaces those placeholders in the input's text.
//
// Building that world (schema DDL, two charges) costs ~5x what one input does, so it is
// built once and snapshotted: EngineWorld::fresh() copies the snapshot's pages back into
// the engine's database (sqlite3_backup) and resets the clock, PRNG and PSP model. That
// is a full reset because, once no timer is queued, the engine keeps nothing in memory
// but its statement cache (requests in flight wait on a PSP reply, i.e. on a timer). An
// input after which timers remain gets a world built anew. RECKON_FUZZ_FRESH_WORLD=1
// builds a new world for every input instead (to confirm a reproducer).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "engine/http.h"
#include "engine/ports.h"
#include "engine/psp.h"
#include "engine/store/db.h"

namespace reckon::fuzz {

// Virtual time: moves only when a timer runs.
class ManualClock final : public engine::Clock {
 public:
  int64_t now_us() override { return now_; }
  void after(int64_t delay_us, std::function<void()> action) override {
    const int64_t due = now_ + (delay_us > 0 ? delay_us : 0);
    timers_.emplace(std::make_pair(due, seq_++), std::move(action));
  }
  // Runs the earliest timer; false when none is queued.
  bool run_one() {
    if (timers_.empty()) return false;
    auto node = timers_.extract(timers_.begin());
    if (node.key().first > now_) now_ = node.key().first;
    node.mapped()();
    return true;
  }
  bool idle() const { return timers_.empty(); }
  // Back to `when`; only while no timer is queued (a queued action would outlive its world).
  void rewind(int64_t now_us, uint64_t seq) {
    if (!idle()) std::abort();
    now_ = now_us;
    seq_ = seq;
  }
  uint64_t seq() const { return seq_; }

 private:
  int64_t now_ = 1'767'225'600LL * 1'000'000;  // 2026-01-01T00:00:00Z
  uint64_t seq_ = 0;
  std::map<std::pair<int64_t, uint64_t>, std::function<void()>> timers_;
};

// xorshift64*: any fixed sequence will do.
class FixedRandom final : public engine::Random {
 public:
  uint64_t next_u64() override {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }

 private:
  uint64_t state_ = 0x0123456789abcdefULL;
};

// An idempotent PSP: one result per idempotency key, lookups by key, replies delivered
// 1 ms later through the clock. While `lose_replies` is set, the PSP does the work but the
// caller hears nothing clear (ambiguous), like a reply lost on the way back.
class ModelPsp final : public engine::PspTransport {
 public:
  explicit ModelPsp(ManualClock& clock) : clock_(clock) {}

  void call(const engine::PspRequest& request,
            std::function<void(const engine::PspReply&)> done) override {
    books_.last_key[request.op] = request.idempotency_key;
    engine::PspReply reply = process(request);
    if (lose_replies && request.op != engine::PspOp::kLookup) {
      reply = engine::PspReply{};  // kAmbiguous
      reply.detail = "reply lost";
    }
    clock_.after(1'000, [done = std::move(done), reply] { done(reply); });
  }

  bool lose_replies = false;
  // The key of the latest request of kind `op`.
  std::string last_key(engine::PspOp op) const {
    const auto it = books_.last_key.find(op);
    return it == books_.last_key.end() ? std::string() : it->second;
  }

 public:
  struct Charge {
    engine::PspChargeState state = engine::PspChargeState::kNone;
    int64_t authorized = 0;
    int64_t captured = 0;
    int64_t refunded = 0;
  };
  struct Done {
    engine::PspRequest request;
    engine::PspReply reply;
  };

  // Everything the PSP knows, to snapshot and restore.
  struct Books {
    std::map<std::string, Done> by_key;
    std::map<std::string, Charge> charges;
    int next_id = 0;
    std::map<engine::PspOp, std::string> last_key;
  };

 public:
  Books books() const { return books_; }
  void restore(const Books& books) { books_ = books; }

 private:
  engine::PspReply process(const engine::PspRequest& request) {
    using engine::PspChargeState;
    using engine::PspOp;
    using engine::PspOutcome;
    engine::PspReply r;
    if (request.op == PspOp::kLookup) {
      auto it = books_.by_key.find(request.idempotency_key);
      if (it == books_.by_key.end()) {
        r.outcome = PspOutcome::kNotFound;
        return r;
      }
      r = it->second.reply;
      r.looked_up_op = it->second.request.op;
      if (r.outcome != PspOutcome::kFailed) r.outcome = PspOutcome::kSucceeded;
      return r;
    }
    auto seen = books_.by_key.find(request.idempotency_key);
    if (seen != books_.by_key.end()) return seen->second.reply;
    r.outcome = PspOutcome::kFailed;
    r.psp_charge_id = request.psp_charge_id;
    r.amount_minor = request.amount_minor;
    if (request.op == PspOp::kAuthorize) {
      const std::string id = "psp_" + std::to_string(++books_.next_id);
      Charge c;
      c.authorized = request.amount_minor;
      c.captured = request.capture ? request.amount_minor : 0;
      c.state = request.capture ? PspChargeState::kCaptured : PspChargeState::kAuthorized;
      books_.charges[id] = c;
      r.outcome = PspOutcome::kSucceeded;
      r.psp_charge_id = id;
      r.state = c.state;
    } else {
      auto it = books_.charges.find(request.psp_charge_id);
      Charge* c = it == books_.charges.end() ? nullptr : &it->second;
      const int64_t amount = request.amount_minor;
      if (c && request.op == PspOp::kCapture && c->state == PspChargeState::kAuthorized &&
          amount > 0 && amount <= c->authorized) {
        c->state = PspChargeState::kCaptured;
        c->captured = amount;
        r.outcome = PspOutcome::kSucceeded;
      } else if (c && request.op == PspOp::kVoid && c->state == PspChargeState::kAuthorized) {
        c->state = PspChargeState::kVoided;
        r.outcome = PspOutcome::kSucceeded;
      } else if (c && request.op == PspOp::kRefund && c->state == PspChargeState::kCaptured &&
                 amount > 0 && amount <= c->captured - c->refunded) {
        c->refunded += amount;
        if (c->refunded == c->captured) c->state = PspChargeState::kRefunded;
        r.outcome = PspOutcome::kSucceeded;
      } else {
        r.detail = "refused by the model PSP";
      }
      if (c) r.state = c->state;
    }
    books_.by_key[request.idempotency_key] = Done{request, r};
    return r;
  }

  ManualClock& clock_;
  Books books_;
};

// The harness's own expectation of every answer: a status the API defines and a JSON body;
// an error status carries {"error": {"code": "...", "message": "..."}} (docs/api.md).
inline void check_response(const engine::HttpResponse& r, const char* what) {
  const auto die = [&](const char* why) {
    std::fprintf(stderr, "fuzz: %s: %s: status %d body %.300s\n", what, why, r.status,
                 r.body.c_str());
    std::abort();
  };
  if (r.status < 200 || r.status > 599) die("status out of range");
  const nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) die("body is not a JSON object");
  if (r.status >= 400) {
    const auto e = body.find("error");
    if (e == body.end() || !e->is_object() || !e->contains("code") || !(*e)["code"].is_string() ||
        (*e)["code"].get<std::string>().empty() || !e->contains("message") ||
        !(*e)["message"].is_string()) {
      die("an error without error.code and error.message");
    }
  }
}

class EngineWorld {
 public:
  static constexpr const char* kWebhookSecret = "whsec_fuzz_0123456789abcdef";

  EngineWorld() : psp_(clock_) {
    engine::EnginePorts ports;
    ports.clock = &clock_;
    ports.random = &random_;
    ports.psp = &psp_;
    ports.storage = engine::StorageConfig{":memory:", "", engine::Durability::kRollbackFull};
    engine::EngineConfig config;
    config.psp_webhook_secret = kWebhookSecret;
    engine::Status status;
    engine_ = engine::PaymentEngine::open(ports, config, status);
    if (!engine_) {
      std::fprintf(stderr, "fuzz: cannot open the engine: %s\n", status.message.c_str());
      std::abort();
    }
    charge_ = make_charge("fuzz-setup-1", "tok_fuzz_authorized", 201);
    key_ = psp_.last_key(engine::PspOp::kAuthorize);
    psp_.lose_replies = true;
    charge2_ = make_charge("fuzz-setup-2", "tok_fuzz_unanswered", 503);
    key2_ = psp_.last_key(engine::PspOp::kAuthorize);
    psp_.lose_replies = false;
    take_snapshot();
  }

  ~EngineWorld() {
    engine_.reset();  // closes its database before the snapshot's
    if (snapshot_) sqlite3_close(snapshot_);
  }
  EngineWorld(const EngineWorld&) = delete;
  EngineWorld& operator=(const EngineWorld&) = delete;

  // The world as it stood right after set-up, for one input (see the top of this file).
  static EngineWorld& fresh() {
    static std::unique_ptr<EngineWorld> world;
    static const bool always_new = std::getenv("RECKON_FUZZ_FRESH_WORLD") != nullptr;
    if (!world || always_new || !world->clock_.idle()) {
      world.reset();
      world = std::make_unique<EngineWorld>();
    } else {
      world->restore_snapshot();
    }
    return *world;
  }

  // The engine's one answer to `request` once every timer it queued has run, or nullopt if
  // it did not answer. Aborts if it answers twice.
  std::optional<engine::HttpResponse> send(const engine::HttpRequest& request) {
    auto slot = std::make_shared<std::optional<engine::HttpResponse>>();
    engine_->handle(request, [slot](const engine::HttpResponse& r) {
      if (slot->has_value()) {
        std::fprintf(stderr, "fuzz: the engine answered one request twice\n");
        std::abort();
      }
      *slot = r;
    });
    for (int i = 0; i < 10'000 && clock_.run_one(); ++i) {
    }
    // RECKON_FUZZ_VERBOSE=1: each answer on stderr (to see where a seed goes).
    static const bool verbose = std::getenv("RECKON_FUZZ_VERBOSE") != nullptr;
    if (verbose) {
      std::fprintf(stderr, "fuzz: %s %s -> %d %.300s\n", request.method.c_str(),
                   request.target.c_str(), slot->has_value() ? (*slot)->status : 0,
                   slot->has_value() ? (*slot)->body.c_str() : "(no answer)");
    }
    return *slot;
  }

  // `text` with {charge}, {charge2}, {key} and {key2} replaced.
  std::string expand(std::string text) const {
    const std::pair<const char*, const std::string*> names[] = {
        {"{charge2}", &charge2_}, {"{charge}", &charge_}, {"{key2}", &key2_}, {"{key}", &key_}};
    for (const auto& [name, value] : names) {
      const std::string n(name);
      for (size_t at = text.find(n); at != std::string::npos;
           at = text.find(n, at + value->size())) {
        text.replace(at, n.size(), *value);
      }
    }
    return text;
  }

 private:
  // sqlite3_backup of the whole database, pages and all, between two connections.
  static void copy_database(sqlite3* from, sqlite3* to, const char* what) {
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    int rc = backup ? sqlite3_backup_step(backup, -1) : sqlite3_errcode(to);
    if (backup) {
      const int finish = sqlite3_backup_finish(backup);
      if (rc == SQLITE_DONE) rc = finish;
    }
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
      std::fprintf(stderr, "fuzz: cannot %s the world's database: %s\n", what, sqlite3_errmsg(to));
      std::abort();
    }
  }

  void take_snapshot() {
    if (sqlite3_open(":memory:", &snapshot_) != SQLITE_OK) {
      std::fprintf(stderr, "fuzz: cannot open the snapshot database\n");
      std::abort();
    }
    copy_database(engine_->db().handle(), snapshot_, "snapshot");
    snapshot_now_us_ = clock_.now_us();
    snapshot_seq_ = clock_.seq();
    snapshot_random_ = random_;
    snapshot_books_ = psp_.books();
  }

  void restore_snapshot() {
    copy_database(snapshot_, engine_->db().handle(), "restore");
    clock_.rewind(snapshot_now_us_, snapshot_seq_);
    random_ = snapshot_random_;
    psp_.restore(snapshot_books_);
    psp_.lose_replies = false;
  }

  std::string make_charge(const std::string& key, const std::string& token, int expect_status) {
    engine::HttpRequest r;
    r.method = "POST";
    r.target = "/v1/charges";
    r.headers["authorization"] = "Bearer sk_test_reckon_merchant_1";
    r.headers["idempotency-key"] = key;
    r.body = nlohmann::json{{"amount", 1250}, {"currency", "USD"}, {"source", token}}.dump();
    const auto response = send(r);
    nlohmann::json body =
        response ? nlohmann::json::parse(response->body, nullptr, false) : nlohmann::json();
    if (body.contains("charge")) body = body["charge"];
    if (!response || response->status != expect_status || !body.is_object() ||
        !body.contains("id") || !body["id"].is_string()) {
      std::fprintf(stderr, "fuzz: setup charge %s failed: %s\n", key.c_str(),
                   response ? response->body.c_str() : "no answer");
      std::abort();
    }
    return body["id"].get<std::string>();
  }

  ManualClock clock_;
  FixedRandom random_;
  ModelPsp psp_;
  std::unique_ptr<engine::PaymentEngine> engine_;
  std::string charge_, key_, charge2_, key2_;
  sqlite3* snapshot_ = nullptr;
  int64_t snapshot_now_us_ = 0;
  uint64_t snapshot_seq_ = 0;
  FixedRandom snapshot_random_;
  ModelPsp::Books snapshot_books_;
};

}  // namespace reckon::fuzz
