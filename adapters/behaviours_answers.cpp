// The behaviours of the provider's answers that are neither a result nor a plain failure
// (docs/psp-dialect.md): 409 (the key's first request is still in progress), 429 (rate
// limited, with Retry-After) and 202 (accepted, still processing). None of them is a
// decline or a failure: the operation was not done yet (409, 429) or not known to be done
// (202), so the outcome is what a retry under the same key finds, or 'unknown'.
#include <functional>
#include <initializer_list>
#include <iterator>
#include <utility>
#include <vector>

#include "adapters/behaviours.h"
#include "adapters/judge.h"
#include "sim/psp_dialect.h"

namespace reckon::adapters {
namespace {

void add(std::vector<Behaviour>& out, std::string name, std::string what,
         std::function<Verdict(CheckContext&)> check) {
  out.push_back(Behaviour{std::move(name), "answers", std::move(what),
                          [](const Capabilities&) { return plan_quiet(); }, nullptr,
                          std::move(check)});
}

// A successful authorization of 1999 USD reports what the PSP holds under its key.
Verdict reported_as_at_psp(const Session& s, const OpRun& r) {
  const sim::PspCharge* ch = charge_by_key(s, r.operation["idempotency_key"]);
  if (ch == nullptr) {
    return Verdict::fail(r.describe() + " ended 'succeeded' but the PSP never did it");
  }
  return judge({reports(r, ch->psp_charge_id, "authorized", 1999)});
}

// An authorization of 1999 USD whose requests meet the scripted front-door answers.
OpRun scripted_authorize(Session& s, std::vector<int> statuses) {
  s.script_front_door(std::move(statuses));
  return s.run(authorize_op(s, 1999, "USD", false));
}

// An authorization whose first request met `status`: never declined or failed; a success
// must be what the PSP did, reached under the operation's key.
Verdict authorize_after(CheckContext& c, int status, OpRun& r) {
  Session& s = c.session;
  r = scripted_authorize(s, {status});
  if (auto p = judge({outcome_is(r, {"succeeded", "unknown"}), key_passed(r)});
      p.status == Status::kFailed) {
    return p;
  }
  if (r.outcome == "unknown") return Verdict::pass();
  return reported_as_at_psp(s, r);
}

// Which garbling (of sim::kGarbleKinds) the `index`th operation of a seed's scenario meets:
// consecutive seeds and operations spread over every kind.
int garble_kind(uint64_t seed, uint64_t stride, size_t index) {
  return static_cast<int>((seed * stride + index) % static_cast<uint64_t>(sim::kGarbleKinds));
}

// After a first answer garbled by `kind`, an outcome other than 'unknown' can only come from
// a readable answer the adapter got later under the key: one with a status of `readable`.
Verdict read_only_after_garbling(const OpRun& r, int kind, std::initializer_list<int> readable) {
  if (r.outcome == "unknown") return Verdict::pass();
  for (size_t e = 1; e < r.exchanges.size(); ++e) {
    for (const int status : readable) {
      if (r.exchanges[e].status == status) return Verdict::pass();
    }
  }
  return Verdict::fail(r.describe() + " ended '" + r.outcome +
                       "' on an unreadable answer (garbling " + std::to_string(kind) +
                       " of sim/psp_dialect.h) with no readable answer after it");
}

// 409, 429 and 202 to an authorization: nothing definitive.
void add_not_yet_answers(std::vector<Behaviour>& out) {
  add(out, "in-progress-409-is-not-definitive",
      "the first request gets 409 (same key in progress): 'succeeded' by a retry under the key, "
      "or 'unknown'; never declined or failed",
      [](CheckContext& c) {
        OpRun r;
        return authorize_after(c, 409, r);
      });
  add(out, "rate-limited-429-honours-retry-after",
      "the first request gets 429 with Retry-After: 1: a retry (same key) waits at least 1 s; "
      "'succeeded' or 'unknown', never declined or failed",
      [](CheckContext& c) {
        OpRun r;
        if (Verdict v = authorize_after(c, 429, r); v.status == Status::kFailed) return v;
        if (r.exchanges.size() < 2) return Verdict::pass();
        const int64_t waited_us = r.exchanges[1].sent_us - r.exchanges[0].sent_us;
        if (waited_us >= 1'000'000) return Verdict::pass();
        return Verdict::fail(r.describe() + " retried " + std::to_string(waited_us / 1000) +
                             " ms after a 429 that said Retry-After: 1");
      });
  add(out, "still-processing-202-is-unknown",
      "the provider answers 202 (accepted, still processing; done 500 ms later): 'unknown' "
      "unless a lookup or a retry under the key then found the outcome; never declined, "
      "failed or an unconfirmed success",
      [](CheckContext& c) {
        Session& s = c.session;
        const OpRun r = scripted_authorize(s, {202});
        if (auto p = outcome_is(r, {"succeeded", "unknown"})) return Verdict::fail(*p);
        if (r.outcome == "unknown") return Verdict::pass();
        // Found: a lookup, or a retry under the operation's key (docs/adapters.md), answered
        // 200 after the 202.
        bool looked_up = false;
        for (size_t e = 1; e < r.exchanges.size(); ++e) {
          const Exchange& ex = r.exchanges[e];
          looked_up =
              looked_up ||
              (ex.status == 200 && ex.request &&
               (ex.request->op == engine::PspOp::kLookup || ex.psp_key == r.exchanges[0].psp_key));
        }
        if (!looked_up) {
          return Verdict::fail(r.describe() +
                               " ended 'succeeded' on a 202 without finding the outcome first");
        }
        return reported_as_at_psp(s, r);
      });
}

// The first answer to a capture, a refund, a void and a lookup is garbled (the seed picks how).
Verdict garbled_reply_on_every_operation(CheckContext& c) {
  Session& s = c.session;
  const std::string held = s.direct_authorize(5000, "USD", false);
  const std::string kept = s.direct_authorize(3000, "USD", true);
  const std::string found_key = s.new_key();
  {
    engine::PspRequest r;
    r.op = engine::PspOp::kAuthorize;
    r.idempotency_key = found_key;
    r.amount_minor = 1500;
    r.currency = "USD";
    r.card_token = s.new_token();
    (void)s.direct(r);
  }
  const std::function<nlohmann::json()> ops[] = {
      [&] { return capture_op(s, held, 5000, "USD", 5000); },
      [&] { return refund_op(s, kept, 1000, "USD", 3000, 0); },
      [&] { return void_op(s, s.direct_authorize(700, "USD", false)); },
      [&] { return lookup_op(found_key); }};
  for (size_t i = 0; i < std::size(ops); ++i) {
    const int kind = garble_kind(s.seed(), 5, i);
    nlohmann::json op = ops[i]();
    if (op["op"] == "lookup") {
      s.script_lookups({Session::kGarbledAnswer + kind});
    } else {
      s.script_front_door({Session::kGarbledAnswer + kind});
    }
    const OpRun r = s.run(std::move(op));
    // Retries after an unreadable answer ask again under the same key.
    if (auto p = key_passed(r)) return Verdict::fail(*p);
    if (r.outcome == "unknown") continue;
    if (Verdict v = read_only_after_garbling(r, kind, {200, 400, 402, 404});
        v.status == Status::kFailed) {
      return v;
    }
    // The provider did it: a readable answer later says so.
    if (auto p = outcome_is(r, {"succeeded"})) return Verdict::fail(*p);
  }
  return Verdict::pass();
}

// Replies that break the dialect: unreadable, so ambiguous.
void add_garbled_answers(std::vector<Behaviour>& out) {
  add(out, "garbled-reply-is-unknown",
      "the provider does three authorizations but the first answer to each breaks "
      "docs/psp-dialect.md (the seed picks how, of 19: a field left out, the amount as a "
      "string, a text field of another JSON type, an outcome, state or operation it does not list, "
      "a 200 saying declined, cut "
      "short, empty, an array): 'unknown', or what a later readable answer under the key "
      "said; never read as is",
      [](CheckContext& c) {
        Session& s = c.session;
        for (int i = 0; i < 3; ++i) {
          const int kind = garble_kind(s.seed(), 3, static_cast<size_t>(i));
          const OpRun r = scripted_authorize(s, {Session::kGarbledAnswer + kind});
          if (auto p = judge({outcome_is(r, {"succeeded", "declined", "unknown"}), key_passed(r)});
              p.status == Status::kFailed) {
            return p;
          }
          if (r.outcome == "unknown") continue;
          // Only an answer after the garbled one can have said what happened.
          if (Verdict v = read_only_after_garbling(r, kind, {200, 402});
              v.status == Status::kFailed) {
            return v;
          }
          if (Verdict v = reported_as_at_psp(s, r); v.status == Status::kFailed) return v;
        }
        return Verdict::pass();
      });
  add(out, "garbled-reply-is-unknown-on-every-operation",
      "the first answer to a capture, a void, a refund and a lookup breaks docs/psp-dialect.md "
      "(the seed picks how, of 19), though the provider did each: 'unknown', or what a later "
      "readable answer under the key said; never read as is (an empty 200 is not a success, "
      "an unreadable lookup not a failure)",
      garbled_reply_on_every_operation);
}

// Answers late and either side of the adapter's deadline.
void add_timed_answers(std::vector<Behaviour>& out) {
  add(out, "slow-answer-is-used",
      "the provider answers after 1.5 s, within its documented time: the adapter's deadline "
      "waits for it and the result is that answer, not 'unknown'",
      [](CheckContext& c) {
        Session& s = c.session;
        const OpRun r = scripted_authorize(s, std::vector<int>(8, 200));  // every attempt slow
        if (auto p = outcome_is(r, {"succeeded"})) return Verdict::fail(*p);
        return reported_as_at_psp(s, r);
      });
  add(out, "answers-either-side-of-the-deadline",
      "the provider's answer to an authorization lands 1 ms before the timeout_ms the adapter "
      "gave its request: it is used ('succeeded', as at the PSP); to another, 1 ms after it: "
      "the adapter has given up on that answer, so 'unknown' or what a retry under the key "
      "found under the same key, never declined or failed",
      [](CheckContext& c) {
        Session& s = c.session;
        const OpRun before = scripted_authorize(s, {Session::kJustBeforeDeadline});
        if (auto p = judge({outcome_is(before, {"succeeded"}), key_passed(before)});
            p.status == Status::kFailed) {
          return Verdict::fail(p.detail + " (its answer came 1 ms before its deadline)");
        }
        if (Verdict v = reported_as_at_psp(s, before); v.status == Status::kFailed) return v;
        const OpRun after = scripted_authorize(s, {Session::kJustAfterDeadline});
        if (auto p = judge({outcome_is(after, {"succeeded", "unknown"}), key_passed(after)});
            p.status == Status::kFailed) {
          return Verdict::fail(p.detail + " (its first answer came 1 ms after its deadline)");
        }
        if (after.outcome == "unknown") return Verdict::pass();
        return reported_as_at_psp(s, after);
      });
}

// 429, 202 and 409 on captures and refunds: none is a definitive answer.
void add_not_definitive_answers(std::vector<Behaviour>& out) {
  add(out, "capture-429-and-refund-202-are-not-definitive",
      "a capture's first request gets 429 with Retry-After: 1 (nothing done) and a refund's "
      "202 (done 500 ms later): each 'succeeded' as the PSP holds it, found by a retry or a "
      "lookup under the key, or 'unknown'; never failed or declined",
      [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", false);
        s.script_front_door({429});
        const OpRun cap = s.run(capture_op(s, id, 5000, "USD", 5000));
        if (auto p = judge({outcome_is(cap, {"succeeded", "unknown"}), key_passed(cap)});
            p.status == Status::kFailed) {
          return p;
        }
        if (cap.outcome == "unknown") {
          const int64_t at_psp = charge_by_id(s, id)->captured_minor;
          return judge({at_psp == 0 ? std::nullopt : psp_amounts(s, id, 5000, 0)});
        }
        if (Verdict v = judge({reports(cap, id, "captured", 5000), psp_amounts(s, id, 5000, 0)});
            v.status == Status::kFailed) {
          return v;
        }
        s.script_front_door({202});
        const OpRun ref = s.run(refund_op(s, id, 2000, "USD", 5000, 0));
        if (auto p = judge({outcome_is(ref, {"succeeded", "unknown"}), key_passed(ref)});
            p.status == Status::kFailed) {
          return p;
        }
        s.advance_ms(1'000);  // the provider has done the 202's refund by now
        if (ref.outcome == "unknown") return judge({psp_amounts(s, id, 5000, 2000)});
        return judge({reports(ref, id, "captured", 2000), psp_amounts(s, id, 5000, 2000)});
      });
  add(out, "refund-in-progress-409-is-not-definitive",
      "a refund's first request gets 409: 'succeeded' by a retry under the key, or 'unknown'; "
      "never failed, and the PSP refunds once",
      [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", true);
        s.script_front_door({409});
        const OpRun r = s.run(refund_op(s, id, 2000, "USD", 5000, 0));
        if (auto p = judge({outcome_is(r, {"succeeded", "unknown"}), key_passed(r)});
            p.status == Status::kFailed) {
          return p;
        }
        const sim::PspCharge* ch = charge_by_id(s, id);
        if (r.outcome == "unknown") {
          return judge({ch->refunded_minor == 0 ? std::nullopt : psp_amounts(s, id, 5000, 2000)});
        }
        return judge({reports(r, id, "captured", 2000), psp_amounts(s, id, 5000, 2000)});
      });
}

}  // namespace

void add_answer_behaviours(std::vector<Behaviour>& out) {
  add_not_yet_answers(out);
  add_garbled_answers(out);
  add_timed_answers(out);
  add_not_definitive_answers(out);
}

}  // namespace reckon::adapters
