#pragma once
// The live-mode subcommands: the engine as an HTTP service, the simulated PSP as one, a
// load driver, and an offline checker of what a live run left behind.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace reckon::cli {

struct ServeOptions {
  std::string db;
  std::string listen = "127.0.0.1:8080";
  std::string psp;
  std::string sync = "full";  // full | group
  int psp_timeout_ms = 2000;
  int shutdown_grace_ms = 5000;
  std::string port_file;
  std::vector<std::string> plant;  // planted defects (reckon bugs), to prove the live checks
  std::string webhook;             // every merchant's webhook endpoint; empty: no dispatcher
  std::string merchants_file;      // live/merchants_file.h; empty: the built-in test keys
  int webhook_timeout_ms = 5000;
  // PEM files; both or neither. With them the server speaks HTTPS only.
  std::string tls_cert;
  std::string tls_key;
  // The secret PSP webhooks are signed with (live/secret_file.h); empty: the route is 404.
  std::string psp_webhook_secret_file;
};

struct PspSimOptions {
  std::string listen = "127.0.0.1:8081";
  std::string seed = "1";
  int latency_ms = 0;
  int latency_jitter_ms = 0;
  std::string decline = "5/100";
  std::string error_before = "0/1";
  std::string error_after = "0/1";
  std::string timeout = "0/1";
  // Answers that are neither a result nor a failure (docs/psp-dialect.md).
  std::string in_progress = "0/1";  // 409, not processed
  std::string rate_limit = "0/1";   // 429, not processed
  std::string processing = "0/1";   // processed, answered 202 (the outcome by lookup)
  int timeout_hold_ms = 10000;
  std::string port_file;
  // Both or neither: POST a signed notice of each operation to the engine (docs/psp-dialect.md).
  std::string webhook;
  std::string webhook_secret_file;
};

struct LoadOptions {
  std::string target;
  int clients = 8;
  int charges = 1000;
  bool capture = true;
  std::string api_key = "sk_test_reckon_merchant_1";
  std::string currency = "USD";
  int64_t amount = 1250;
  std::string acks;
  int give_up_after_ms = 60000;
  std::string format = "text";
};

struct CheckLiveOptions {
  std::string db;
  std::string psp;
  std::string acks;
  // While the engine may still be resolving operations: check only what must hold at every
  // moment (ledger, no-double-charge, acknowledged-operation-survives), not agreement and liveness.
  bool safety_only = false;
};

// Registers serve, psp-sim, load and check-live on `app`; run_live_command runs the one
// that was parsed, or returns -1 if none was.
void add_live_commands(CLI::App& app);
int run_live_command();

int do_serve(const ServeOptions& o);
int do_psp_sim(const PspSimOptions& o);
int do_load(const LoadOptions& o);
int do_check_live(const CheckLiveOptions& o);

// Writes "PORT\n" to `path` atomically (temp file + rename), so a script waiting for the
// file never reads half of it. Empty path: nothing.
bool write_port_file(const std::string& path, unsigned port, std::string& error);

}  // namespace reckon::cli
