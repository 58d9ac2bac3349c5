#!/usr/bin/env bash
# Oracle independence (docs/architecture.md, "Independent oracles"): the checkers and the
# simulated world (PSP, clients, webhook receiver, settlement reports) decide what is right
# from their own statement of each rule (oracle/, docs/), never from engine/ code. They may
# use engine/ only for wire types, ports and the assertion macro:
#   1. an oracle file includes no engine header outside the allow-list below;
#   2. every `engine::NAME` it uses is declared in an allowed header (so a name reached
#      through some other include, e.g. engine::is_legal_transition, is refused too);
#   3. oracle/ includes nothing of the project outside oracle/.
set -euo pipefail
cd "$(dirname "$0")/.."

allowed_headers=(engine/check.h engine/http.h engine/psp.h engine/ports.h)

# The judges and the simulated world. Hosting code (sim/world.cpp, sim/engine_node.*,
# sim/scenario_run.*, sim/settlement.* which runs the engine's reconciliation job, sweep,
# shrink) drives the engine and may include it.
oracle_files=(
  sim/properties.h sim/properties.cpp sim/capture_void_property.cpp
  sim/expiry_property.cpp sim/ledger_tamper.h sim/ledger_tamper.cpp
  sim/audit_property.cpp sim/refusal_property.cpp sim/retention_property.cpp
  sim/merchant_spelling.h sim/merchant_spelling.cpp
  sim/client_node.h sim/client_node.cpp sim/client_races.cpp
  sim/error_body.h sim/error_body.cpp sim/answer_documented.h sim/answer_documented.cpp
  sim/psp_reply_reading.h sim/psp_reply_reading.cpp adapters/card_data.h adapters/card_data.cpp
  sim/probe_client.h sim/probe_client.cpp sim/probe_catalogue.h sim/probe_catalogue.cpp
  sim/psp_node.h sim/psp_node.cpp sim/psp_endpoint.h sim/psp_endpoint.cpp
  sim/psp_dialect.h sim/psp_dialect.cpp
  sim/psp_notice.h sim/psp_notice.cpp sim/psp_notice_forgery.h sim/psp_notice_answer_check.h
  sim/psp_notice_answer_check.cpp
  sim/psp_notice_forgery.cpp sim/psp_webhook_sender.h sim/psp_webhook_sender.cpp
  sim/webhook_node.h sim/webhook_node.cpp sim/webhook_event_check.h sim/webhook_event_check.cpp
  sim/charge_creators.h sim/charge_creators.cpp
  sim/settlement_writer.h sim/settlement_writer.cpp sim/settlement_malformed.h
  sim/settlement_malformed.cpp
  sim/store_reader.h sim/store_reader.cpp
  sim/transition_coverage.h sim/transition_coverage.cpp
  faults/required_coverage.h faults/required_coverage.cpp
  reports/transition_matrix.h reports/transition_matrix.cpp
)

status=0
allowed_pattern=$(printf '%s|' "${allowed_headers[@]}")
allowed_pattern="^(${allowed_pattern%|})$"
allowed_names=$(grep -ohE '\b[A-Za-z_][A-Za-z0-9_]*\b' "${allowed_headers[@]}" | sort -u)

for f in "${oracle_files[@]}"; do
  [ -f "$f" ] || { echo "oracle-independence: $f is listed but missing" >&2; status=1; continue; }
  while IFS= read -r header; do
    if ! [[ "$header" =~ $allowed_pattern ]]; then
      echo "oracle-independence: $f includes $header; an oracle may include only ${allowed_headers[*]}" >&2
      status=1
    fi
  done < <(grep -oE '#include[[:space:]]*"engine/[^"]+"' "$f" | sed -E 's/.*"(engine\/[^"]+)"/\1/')
  while IFS= read -r name; do
    if ! grep -qxF "$name" <<<"$allowed_names"; then
      echo "oracle-independence: $f uses engine::$name, which no allowed header declares (state the rule in oracle/ instead)" >&2
      status=1
    fi
  done < <(grep -oE 'engine::[A-Za-z_][A-Za-z0-9_]*' "$f" | sed 's/engine:://' | sort -u)
done

if grep -rEn '#include[[:space:]]*"(engine|sim|faults|reports|live|cli|adapters)/' oracle; then
  echo "oracle-independence: oracle/ states the rules on its own and includes nothing of the project" >&2
  status=1
fi
exit $status
