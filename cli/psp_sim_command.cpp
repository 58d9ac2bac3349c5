// reckon psp-sim: the simulator's PSP (sim/psp_node) as a standalone HTTP service in the
// provider dialect (docs/psp-dialect.md), with knobs for the ways real PSPs misbehave, so
// a person can watch `reckon serve` cope without writing code. Misbehaviour is drawn from
// --seed, so a session with the same requests in the same order behaves the same way.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "cli/live_commands.h"
#include "cli/seed_range.h"
#include "faults/scenario.h"
#include "live/address.h"
#include "live/http_server.h"
#include "live/json_log.h"
#include "live/psp_webhook_sender.h"
#include "live/secret_file.h"
#include "sim/prng.h"
#include "sim/psp_dialect.h"
#include "sim/psp_node.h"
#include "sim/psp_not_yet.h"

namespace reckon::cli {
namespace {

int bad_input(const std::string& message) {
  std::cerr << "reckon psp-sim: " << message << "\n";
  return kExitBadInput;
}

nlohmann::json charges_json(const sim::PspNode& psp) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& id : psp.creation_order()) {
    const sim::PspCharge& c = psp.charges().at(id);
    out.push_back({{"authorization_id", c.psp_charge_id},
                   {"idempotency_key", c.idempotency_key},
                   {"card_token", c.card_token},
                   {"currency", c.currency},
                   {"authorized", c.authorized_minor},
                   {"captured", c.captured_minor},
                   {"refunded", c.refunded_minor},
                   {"state", engine::to_string(c.state)}});
  }
  return out;
}

struct Knobs {
  Ratio error_before;
  Ratio error_after;
  Ratio timeout;
  Ratio in_progress;
  Ratio rate_limit;
  Ratio processing;
};

// A knob left at 0 draws nothing, so sessions without it replay as they always did.
bool drawn(sim::PrngStream& stream, Ratio ratio) {
  return !ratio.is_zero() && stream.chance(ratio);
}

class PspService {
 public:
  // `webhooks`: null when psp-sim sends none.
  PspService(boost::asio::io_context& io, const PspSimOptions& o, uint64_t seed, Knobs knobs,
             Ratio decline, live::PspWebhookSender* webhooks)
      : io_(io),
        options_(o),
        webhooks_(webhooks),
        knobs_(knobs),
        psp_(seed, sim::PspConfig{decline}),
        faults_(seed, "psp-sim-faults") {}

  void handle(const engine::HttpRequest& request, live::Reply reply) {
    if (request.method == "GET" && request.target == "/admin/charges") {
      return reply({200, charges_json(psp_).dump()});
    }
    std::string error;
    const auto psp_request = sim::read_psp_request(request, error);
    if (!psp_request) return reply(sim::write_psp_invalid_request(error));
    const int64_t delay_ms =
        options_.latency_ms +
        (options_.latency_jitter_ms > 0 ? faults_.between(0, options_.latency_jitter_ms) : 0);
    engine::HttpResponse answer;
    int64_t hold_ms = delay_ms;
    if (drawn(faults_, knobs_.in_progress)) {
      answer = sim::encode_psp_not_yet(sim::PspNotYet::kInProgress);
    } else if (drawn(faults_, knobs_.rate_limit)) {
      // The server adds Retry-After: 1 to every 429 (live/http_server.cpp), as
      // adapter-check's provider does.
      answer = sim::encode_psp_not_yet(sim::PspNotYet::kRateLimited);
    } else if (faults_.chance(knobs_.error_before)) {
      answer = engine::error_response(500, "internal_error", "failed before processing");
    } else {
      const engine::PspReply processed = psp_.process(*psp_request);
      // Notified whatever becomes of the answer below: a withheld answer is what a webhook
      // makes up for.
      if (webhooks_ != nullptr) webhooks_->processed(*psp_request, processed);
      answer = sim::write_psp_reply(processed);
      if (drawn(faults_, knobs_.processing)) {
        answer = sim::encode_psp_not_yet(sim::PspNotYet::kProcessing);
      } else if (faults_.chance(knobs_.timeout)) {
        answer.status = live::kCloseWithoutAnswer;  // processed; the answer never comes
        hold_ms = options_.timeout_hold_ms;
      } else if (faults_.chance(knobs_.error_after)) {
        answer = engine::error_response(502, "bad_gateway", "failed after processing");
      }
    }
    if (hold_ms <= 0) return reply(answer);
    auto timer =
        std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(hold_ms));
    timer->async_wait([timer, reply, answer](const boost::system::error_code&) { reply(answer); });
  }

 private:
  boost::asio::io_context& io_;
  const PspSimOptions& options_;
  live::PspWebhookSender* webhooks_;
  Knobs knobs_;
  sim::PspNode psp_;
  sim::PrngStream faults_;
};

}  // namespace

int do_psp_sim(const PspSimOptions& o) {
  std::string error;
  const auto listen = live::parse_host_port(o.listen, /*allow_port_zero=*/true, error);
  if (!listen) return bad_input("--listen: " + error);
  const auto seed = parse_seed(o.seed);
  if (!seed) return bad_input("--seed '" + o.seed + "': expected an unsigned integer");
  Knobs knobs;
  Ratio decline;
  const std::pair<const char*, std::pair<const std::string*, Ratio*>> ratios[] = {
      {"--decline", {&o.decline, &decline}},
      {"--error-before", {&o.error_before, &knobs.error_before}},
      {"--error-after", {&o.error_after, &knobs.error_after}},
      {"--timeout", {&o.timeout, &knobs.timeout}},
      {"--in-progress", {&o.in_progress, &knobs.in_progress}},
      {"--rate-limit", {&o.rate_limit, &knobs.rate_limit}},
      {"--processing", {&o.processing, &knobs.processing}}};
  for (const auto& [flag, target] : ratios) {
    const auto ratio = faults::parse_ratio(*target.first);
    if (!ratio)
      return bad_input(std::string(flag) + " '" + *target.first +
                       "': expected NUM/DEN with NUM <= DEN, DEN > 0");
    *target.second = *ratio;
  }
  if (o.latency_ms < 0 || o.latency_jitter_ms < 0 || o.timeout_hold_ms < 0) {
    return bad_input("--latency-ms, --latency-jitter-ms and --timeout-hold-ms must be >= 0");
  }

  if (o.webhook.empty() != o.webhook_secret_file.empty()) {
    return bad_input(o.webhook.empty() ? "--webhook-secret-file needs --webhook URL as well"
                                       : "--webhook needs --webhook-secret-file FILE as well");
  }
  std::optional<live::PspWebhookSenderConfig> hooks;
  if (!o.webhook.empty()) {
    hooks.emplace();
    const auto url = live::parse_webhook_url(o.webhook, error);
    if (!url) return bad_input("--webhook: " + error);
    hooks->url = *url;
    auto secret = live::read_secret_file("--webhook-secret-file", o.webhook_secret_file, error);
    if (!secret) return bad_input(error);
    hooks->secret = std::move(*secret);
  }

  boost::asio::io_context io;
  live::JsonLog log("psp-sim");
  std::optional<live::PspWebhookSender> webhooks;
  if (hooks) webhooks.emplace(io, std::move(*hooks), log);
  PspService service(io, o, *seed, knobs, decline, webhooks ? &*webhooks : nullptr);
  live::HttpServer server(
      io,
      [&service](const engine::HttpRequest& request, live::Reply reply) {
        service.handle(request, std::move(reply));
      },
      log);
  if (!server.listen(*listen, error)) return bad_input("--listen: " + error);
  if (!write_port_file(o.port_file, server.port(), error)) return bad_input(error);
  log.info("listening", {{"port", server.port()}, {"seed", *seed}, {"webhook", o.webhook}});
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    log.info("stopped", {{"signal", signal_number}});
    io.stop();
  });
  io.run();
  return kExitPassed;
}

}  // namespace reckon::cli
