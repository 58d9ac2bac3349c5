// reckon serve: the reference engine as an HTTP service on a SQLite file (WAL), talking to
// a PSP over HTTP. The engine is the same code the simulator runs; only the ports differ.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <iostream>

#include "cli/exit_codes.h"
#include "cli/live_commands.h"
#include "engine/engine.h"
#include "live/address.h"
#include "live/group_commit.h"
#include "live/http_server.h"
#include "live/json_log.h"
#include "live/merchants_file.h"
#include "live/psp_http_client.h"
#include "live/secret_file.h"
#include "live/system_ports.h"
#include "live/tls_context.h"
#include "live/webhook_http_client.h"

namespace reckon::cli {
namespace {

int bad_input(const std::string& message) {
  std::cerr << "reckon serve: " << message << "\n";
  return kExitBadInput;
}

// After SIGTERM: wait (polling the server) until every request received has been answered
// or the grace period is over, then stop the loop. Operations still in flight stay PENDING
// or UNKNOWN in the database, and the recovery job of the next start resolves them.
void drain_then_stop(boost::asio::io_context& io, live::HttpServer& server,
                     std::chrono::steady_clock::time_point deadline) {
  if (server.requests_in_flight() == 0 || std::chrono::steady_clock::now() >= deadline) {
    io.stop();
    return;
  }
  auto timer = std::make_shared<boost::asio::steady_timer>(io, std::chrono::milliseconds(20));
  timer->async_wait([&io, &server, deadline, timer](const boost::system::error_code&) {
    drain_then_stop(io, server, deadline);
  });
}

}  // namespace

namespace {

// The first log lines of a server that listens: where, and how it is set up.
void log_listening(live::JsonLog& log, const ServeOptions& o, unsigned port, bool tls,
                   bool psp_webhooks) {
  log.info("listening",
           {{"port", port},
            {"db", o.db},
            {"sync", o.sync == "group" ? "group" : "full"},
            {"tls", tls},
            {"psp", o.psp},
            {"webhook", o.webhook},
            {"psp_webhooks", psp_webhooks},
            {"merchants", o.merchants_file.empty() ? "built-in test keys" : o.merchants_file}});
  if (o.merchants_file.empty()) {
    log.warn("test_api_keys", {{"detail",
                                "no --merchants file: the built-in test keys are "
                                "accepted; never do this outside a test"}});
  }
}

// The engine's configuration from the options: merchants and their webhook endpoints, the
// PSP's webhook secret, planted defects. False with `error` naming the bad option.
bool engine_config_from(const ServeOptions& o, engine::EngineConfig& config, std::string& error) {
  if (!o.merchants_file.empty()) {
    auto merchants = live::load_merchants_file(o.merchants_file, error);
    if (!merchants) {
      error = "--merchants: " + error;
      return false;
    }
    config.api_keys = std::move(merchants->api_keys);
    config.webhook_endpoints = std::move(merchants->webhooks);
  }
  if (!o.webhook.empty()) {
    if (!live::parse_webhook_url(o.webhook, error)) {
      error = "--webhook: " + error;
      return false;
    }
    for (const auto& [api_key, merchant] : config.api_keys) {
      config.webhook_endpoints.try_emplace(merchant, o.webhook);  // the file's URL wins
    }
  }
  if (!o.psp_webhook_secret_file.empty()) {
    auto secret =
        live::read_secret_file("--psp-webhook-secret-file", o.psp_webhook_secret_file, error);
    if (!secret) return false;
    config.psp_webhook_secret = std::move(*secret);
  }
  for (const auto& name : o.plant) {
    const auto defect = engine::find_defect(name);
    if (!defect) {
      error = "--plant '" + name + "': no such defect (see reckon bugs)";
      return false;
    }
    config.planted.plant(*defect);
  }
  return true;
}

// TLS, checked in full (files readable, PEM, key matches certificate) before the database is
// opened or a port is bound: `tls` stays null without --tls-cert. False with `error`.
bool tls_from(const ServeOptions& o, std::shared_ptr<boost::asio::ssl::context>& tls,
              std::string& error) {
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    error = o.tls_cert.empty() ? "--tls-key '" + o.tls_key + "' needs --tls-cert FILE as well"
                               : "--tls-cert '" + o.tls_cert + "' needs --tls-key FILE as well";
    return false;
  }
  if (o.tls_cert.empty()) return true;
  tls = live::load_tls_context(o.tls_cert, o.tls_key, error);
  return tls != nullptr;
}

// On SIGTERM or SIGINT: stop accepting, let the requests in flight finish within `grace`,
// then stop the loop.
void stop_on_signal(boost::asio::signal_set& signals, boost::asio::io_context& io,
                    live::HttpServer& server, live::JsonLog& log, std::chrono::milliseconds grace) {
  signals.async_wait(
      [&io, &server, &log, grace](const boost::system::error_code& ec, int signal_number) {
        if (ec) return;
        log.info("shutting_down",
                 {{"signal", signal_number}, {"requests_in_flight", server.requests_in_flight()}});
        server.stop_accepting();
        drain_then_stop(io, server, std::chrono::steady_clock::now() + grace);
      });
}

}  // namespace

int do_serve(const ServeOptions& o) {
  std::string error;
  const auto listen = live::parse_host_port(o.listen, /*allow_port_zero=*/true, error);
  if (!listen) return bad_input("--listen: " + error);
  const auto psp_endpoint = live::parse_http_url(o.psp, error);
  if (!psp_endpoint) return bad_input("--psp: " + error);
  if (o.db.empty()) return bad_input("--db: a database file is required");
  engine::EngineConfig config;
  if (!engine_config_from(o, config, error)) return bad_input(error);
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (!tls_from(o, tls, error)) return bad_input(error);

  boost::asio::io_context io;
  live::JsonLog log("serve");
  live::SystemClock clock(io);
  live::OsRandom random;
  const bool group = o.sync == "group";
  live::GroupCommit durability(io, group ? o.db + "-wal" : "", log);
  live::HttpPspTransport psp(io, *psp_endpoint, std::chrono::milliseconds(o.psp_timeout_ms),
                             durability);
  live::HttpWebhookTransport webhooks(io, std::chrono::milliseconds(o.webhook_timeout_ms),
                                      durability);

  engine::EnginePorts ports;
  ports.clock = &clock;
  ports.random = &random;
  ports.psp = &psp;
  if (!config.webhook_endpoints.empty()) ports.webhooks = &webhooks;
  ports.storage.path = o.db;
  ports.storage.durability = group ? engine::Durability::kWalGroup : engine::Durability::kWalFull;
  engine::Status status;
  std::unique_ptr<engine::PaymentEngine> engine;
  try {
    engine = engine::PaymentEngine::open(ports, config, status);
  } catch (const engine::UncertainCommit& uncertain) {
    log.error("uncertain_commit", {{"error", uncertain.what()}});
    return kExitUncertainCommit;
  }
  if (!engine) return bad_input("--db '" + o.db + "': " + status.message);
  if (!durability.start(error)) return bad_input(error);

  live::HttpServer server(
      io,
      [&engine, &durability](const engine::HttpRequest& request, live::Reply reply) {
        // Whatever the engine answers was decided by commits that must be on disk before
        // the client hears of them.
        engine->handle(request, [&durability, reply](const engine::HttpResponse& response) {
          durability.after_durable([reply, response] { reply(response); });
        });
      },
      log, tls);
  if (!server.listen(*listen, error)) return bad_input("--listen: " + error);
  if (!write_port_file(o.port_file, server.port(), error)) return bad_input(error);
  log_listening(log, o, server.port(), tls != nullptr, !config.psp_webhook_secret.empty());
  engine->start_recovery_loop();
  engine->start_outbox_dispatcher();  // does nothing without a webhook endpoint

  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  stop_on_signal(signals, io, server, log, std::chrono::milliseconds(o.shutdown_grace_ms));
  try {
    io.run();
  } catch (const engine::UncertainCommit& uncertain) {
    log.error("uncertain_commit", {{"error", uncertain.what()}});
    return kExitUncertainCommit;  // restart: recovery reads what is durable
  }
  log.info("stopped", {{"unresolved_operations", engine->unresolved_operation_count()},
                       {"undelivered_events", engine->undelivered_event_count()},
                       {"group_fsyncs", durability.fsyncs()}});
  return kExitPassed;
}

}  // namespace reckon::cli
