#!/usr/bin/env bash
# Stops what deploy/local/up.sh started (by its pid files): the webhook
# receiver, the services, so they drain while Redis still answers, then
# redis-server. Data under .local/redis is kept; delete .local/ for a clean
# slate.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# First what receives from the services: the demo's webhook receiver.
stop_pid webhook-receiver "${WEBHOOK_RECEIVER_PID}" 5
for entry in "${SERVICES[@]}"; do
  name="${entry%%:*}"
  # The services drain in-flight calls for up to --drain_timeout (20 s).
  stop_pid "${name}" "${RUN_DIR}/${name}.pid" 30
done
# SIGTERM makes redis-server flush the AOF and exit cleanly.
stop_pid redis-server "${RUN_DIR}/redis.pid" 30
log "stopped"
