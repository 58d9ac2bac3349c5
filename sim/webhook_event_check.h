#pragma once
// webhook-event-faithful: every event the merchant's webhook endpoint received is judged, at
// the end of a seed, against docs/api.md ("Webhooks") read on its own, never against the
// engine's outbox body (outbox-delivered compares those):
//
// - the body is a JSON object with `id` (the delivery's Webhook-Id), `object: "event"`, a
//   `type`, an integer `created_us` and a `data` object with `charge`, `operation`, `amount`,
//   `currency`, `status`, `amount_captured` and `amount_refunded`;
// - it reports one finished operation (the outbox row naming the event): `data.charge`,
//   `data.operation` and `data.amount` are that operation's charge, kind and amount, and
//   `data.currency` the currency the charge's creating request asked (the charge's facts,
//   here and below, are what its creation asked as the world saw it, sim/charge_creators.h;
//   a charge whose creation was never answered is judged on its operation alone);
// - `type` is the one the table in docs/api.md gives that outcome: payment.authorized (or
//   payment.captured when the charge asked `capture: true`), payment.captured,
//   payment.voided, payment.refunded, payment.failed for a declined or failed authorization;
//   no other outcome sends an event;
// - `data.status`, `amount_captured` and `amount_refunded` are the charge right after the
//   change, as docs/state-machine.md derives it from the charge's earlier events in commit
//   order (a capture sets what was captured, a refund adds to what was refunded, the refund
//   reaching the captured amount makes the charge `refunded`);
// - no card token: the charge's token appears nowhere in the body;
// - it was delivered to the endpoint of the charge's own merchant, no other's: the merchant
//   whose API key the world saw create the charge (sim/charge_creators.h), never the
//   engine's record of it.

#include <sqlite3.h>

#include <vector>

#include "sim/charge_creators.h"
#include "sim/run_types.h"
#include "sim/webhook_node.h"

namespace reckon::sim {

void check_webhook_events(sqlite3* store, const std::vector<WebhookReceipt>& receipts,
                          const ChargeCreators& creators, TimeUs now_us,
                          std::vector<Failure>& failures);

}  // namespace reckon::sim
