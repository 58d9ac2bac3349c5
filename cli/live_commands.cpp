// Registers the live-mode subcommands and their options (cli/live_commands.h).
#include "cli/live_commands.h"

#include <CLI/CLI.hpp>

#include "cli/report_outputs.h"

namespace reckon::cli {
namespace {

ServeOptions serve_options;
PspSimOptions psp_sim_options;
LoadOptions load_options;
CheckLiveOptions check_live_options;
CLI::App* serve_command = nullptr;
CLI::App* psp_sim_command = nullptr;
CLI::App* load_command = nullptr;
CLI::App* check_live_command = nullptr;

void add_serve(CLI::App& app) {
  auto& s = serve_options;
  serve_command = app.add_subcommand("serve", "Run the engine as an HTTP service (live mode)");
  serve_command->add_option("--db", s.db, "SQLite database file (created if absent; WAL mode)")
      ->required();
  serve_command->add_option("--listen", s.listen, "HOST:PORT to listen on (PORT 0: any free)")
      ->capture_default_str();
  serve_command->add_option("--psp", s.psp, "The PSP's base URL, http://HOST:PORT")->required();
  serve_command
      ->add_option("--sync", s.sync,
                   "full: every commit fsyncs; group: one fsync per batch of commits, and no "
                   "response or PSP call before its commit is on disk")
      ->check(CLI::IsMember({"full", "group"}))
      ->capture_default_str();
  serve_command->add_option("--psp-timeout-ms", s.psp_timeout_ms, "Deadline of each PSP call")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  serve_command
      ->add_option("--shutdown-grace-ms", s.shutdown_grace_ms,
                   "On SIGTERM, how long to wait for requests in flight")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  serve_command->add_option("--port-file", s.port_file,
                            "Write the listening port to FILE once ready");
  serve_command->add_option("--plant", s.plant,
                            "Plant a defect (see reckon bugs), to watch the live checks catch it");
  serve_command->add_option("--merchants", s.merchants_file,
                            "TOML file of merchants, their API keys and webhooks (docs/live.md); "
                            "without it the built-in test keys are accepted");
  serve_command->add_option("--webhook", s.webhook,
                            "Deliver every merchant's outbox events to http://HOST:PORT[/path] "
                            "(docs/api.md, Webhooks); without it events wait in the outbox");
  serve_command
      ->add_option("--webhook-timeout-ms", s.webhook_timeout_ms,
                   "Deadline of each webhook delivery")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  serve_command->add_option("--tls-cert", s.tls_cert,
                            "Serve HTTPS only (TLS 1.2+) with this PEM certificate chain; needs "
                            "--tls-key");
  serve_command->add_option("--tls-key", s.tls_key,
                            "The PEM private key of --tls-cert (unencrypted)");
  serve_command->add_option("--psp-webhook-secret-file", s.psp_webhook_secret_file,
                            "Accept PSP webhooks (POST /v1/psp/webhooks) signed with the secret "
                            "in FILE (16-4096 bytes); without it the route is 404");
}

void add_psp_sim(CLI::App& app) {
  auto& p = psp_sim_options;
  psp_sim_command = app.add_subcommand("psp-sim", "Run the simulated PSP as an HTTP service");
  psp_sim_command->add_option("--listen", p.listen, "HOST:PORT to listen on (PORT 0: any free)")
      ->capture_default_str();
  psp_sim_command->add_option("--seed", p.seed, "Seed of the misbehaviour draws")
      ->capture_default_str();
  psp_sim_command->add_option("--latency-ms", p.latency_ms, "Delay before each answer")
      ->capture_default_str();
  psp_sim_command->add_option("--latency-jitter-ms", p.latency_jitter_ms,
                              "Extra delay, uniform in [0, N]");
  psp_sim_command->add_option("--decline", p.decline, "Share of authorizations declined, NUM/DEN")
      ->capture_default_str();
  psp_sim_command->add_option("--error-before", p.error_before,
                              "Share of requests answered 500 without being processed");
  psp_sim_command->add_option("--error-after", p.error_after,
                              "Share of requests processed, then answered 502");
  psp_sim_command->add_option("--timeout", p.timeout,
                              "Share of requests processed and never answered");
  psp_sim_command->add_option("--in-progress", p.in_progress,
                              "Share of requests answered 409 in_progress, not processed");
  psp_sim_command->add_option("--rate-limit", p.rate_limit,
                              "Share of requests answered 429 rate_limited, not processed");
  psp_sim_command->add_option("--processing", p.processing,
                              "Share of requests processed and answered 202 processing");
  psp_sim_command
      ->add_option("--timeout-hold-ms", p.timeout_hold_ms,
                   "How long an unanswered request holds its connection")
      ->capture_default_str();
  psp_sim_command->add_option("--port-file", p.port_file,
                              "Write the listening port to FILE once ready");
  psp_sim_command->add_option("--webhook", p.webhook,
                              "POST a signed notice of each operation to the engine's "
                              "http://HOST:PORT/v1/psp/webhooks; needs --webhook-secret-file");
  psp_sim_command->add_option("--webhook-secret-file", p.webhook_secret_file,
                              "The secret (16-4096 bytes) the webhooks are signed with, shared "
                              "with serve --psp-webhook-secret-file");
}

void add_load(CLI::App& app) {
  auto& l = load_options;
  load_command = app.add_subcommand("load", "Drive reckon serve with concurrent retrying clients");
  load_command->add_option("--target", l.target, "The engine's base URL, http://HOST:PORT")
      ->required();
  load_command->add_option("--clients", l.clients, "Concurrent clients")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  load_command->add_option("--charges", l.charges, "Charges in all")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  load_command->add_option("--api-key", l.api_key, "Merchant API key")->capture_default_str();
  load_command->add_option("--currency", l.currency, "Currency of every charge")
      ->capture_default_str();
  load_command->add_option("--amount", l.amount, "Amount of every charge, minor units")
      ->capture_default_str();
  load_command->add_flag("!--authorize-only", l.capture, "Authorize without capturing");
  load_command->add_option("--acks", l.acks, "Write every final answer to FILE (JSON lines)");
  load_command
      ->add_option("--give-up-after-ms", l.give_up_after_ms,
                   "Stop retrying a charge after this long")
      ->capture_default_str();
  load_command->add_option("--format", l.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
}

void add_check_live(CLI::App& app) {
  auto& c = check_live_options;
  check_live_command = app.add_subcommand(
      "check-live", "Check a live run's database and PSP against the properties");
  check_live_command->add_option("--db", c.db, "The engine's SQLite file")->required();
  check_live_command->add_option("--psp", c.psp, "The psp-sim base URL")->required();
  check_live_command->add_option("--acks", c.acks, "Acknowledgements written by reckon load")
      ->required();
  check_live_command->add_flag("--safety-only", c.safety_only,
                               "Skip engine-psp-agreement and liveness (for a run still going)");
}

}  // namespace

void add_live_commands(CLI::App& app) {
  add_serve(app);
  add_psp_sim(app);
  add_load(app);
  add_check_live(app);
}

int run_live_command() {
  if (serve_command && *serve_command) return do_serve(serve_options);
  if (psp_sim_command && *psp_sim_command) return do_psp_sim(psp_sim_options);
  if (load_command && *load_command) return do_load(load_options);
  if (check_live_command && *check_live_command) return do_check_live(check_live_options);
  return -1;
}

bool write_port_file(const std::string& path, unsigned port, std::string& error) {
  if (path.empty()) return true;
  if (!write_file_atomically(path, std::to_string(port) + "\n")) {
    error = "--port-file: cannot write '" + path + "'";
    return false;
  }
  return true;
}

}  // namespace reckon::cli
