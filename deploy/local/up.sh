#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs Brobygger
# locally: a private redis-server and every service built so far, on
# loopback; loads the demo municipality (deploy/demo/aalborg.json) and
# prints the addresses and development tokens.
#
# Safe to re-run: services are restarted (with the new build), Redis and
# its data are kept, the demo is loaded only once. Stop with
# deploy/local/down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "${ROOT}/deploy/setup.sh"
# BROBYGGER_SKIP_BUILD=1 restarts what is built already (a quicker loop
# while developing one service).
[[ "${BROBYGGER_SKIP_BUILD:-0}" == 1 ]] || build
[[ -x "${BROCTL}" ]] || die "${BROCTL} is not built"
mkdir -p "${LOG_DIR}" "${RUN_DIR}" "${REDIS_DIR}"

# --- Development signing key --------------------------------------------
if [[ ! -f "${KEYS_DIR}/private/dev.pem" || ! -f "${KEYS_DIR}/public/dev.pem" ]]; then
  log "creating the development signing key in ${KEYS_DIR}"
  "${BROCTL}" keygen --out "${KEYS_DIR}" --kid dev --force >/dev/null
fi

# --- Redis ---------------------------------------------------------------
redis_ping() { redis-cli -h "${HOST}" -p "${REDIS_PORT}" ping 2>/dev/null | grep -q PONG; }
if pid_alive "${RUN_DIR}/redis.pid" && redis_ping; then
  log "redis-server is running on ${HOST}:${REDIS_PORT}; keeping it and its data"
else
  if redis_ping; then
    die "something else answers on ${HOST}:${REDIS_PORT}: stop it or set BROBYGGER_REDIS_PORT"
  fi
  log "starting redis-server on ${HOST}:${REDIS_PORT} (data in ${REDIS_DIR}, appendfsync ${REDIS_APPENDFSYNC})"
  # The AOF is the system of record; RDB snapshots are off so that only one
  # persistence mechanism has to be reasoned about.
  redis-server --bind "${HOST}" --port "${REDIS_PORT}" --protected-mode yes \
    --dir "${REDIS_DIR}" --appendonly yes --appendfsync "${REDIS_APPENDFSYNC}" \
    --save "" --daemonize yes --pidfile "${RUN_DIR}/redis.pid" \
    --logfile "${LOG_DIR}/redis.log"
  for ((i = 0; i < 100; i++)); do
    redis_ping && break
    sleep 0.1
  done
  redis_ping || die "redis-server did not start; see ${LOG_DIR}/redis.log"
fi

# --- Services ------------------------------------------------------------
started=()
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name default_port default_metrics <<<"${entry}"
  binary="$(service_binary "${name}")"
  [[ -x "${binary}" ]] || continue
  port="$(service_port "${name}" "${default_port}" PORT)"
  metrics="$(service_port "${name}" "${default_metrics}" METRICS_PORT)"
  stop_pid "${name}" "${RUN_DIR}/${name}.pid" 30
  log "starting ${name} on ${HOST}:${port} (metrics ${HOST}:${metrics}, log ${LOG_DIR}/${name}.log)"
  # Flags on the command line win over BROBYGGER_* variables the caller may
  # have set for another purpose. setsid: the service outlives this shell
  # and its terminal.
  setsid "${binary}" --listen="${HOST}:${port}" --metrics_listen="${HOST}:${metrics}" \
    --redis_host="${HOST}" --redis_port="${REDIS_PORT}" \
    --jwt_public_keys_dir="${KEYS_DIR}/public" \
    >>"${LOG_DIR}/${name}.log" 2>&1 </dev/null &
  echo $! >"${RUN_DIR}/${name}.pid"
  started+=("${name}:${port}:${metrics}")
done
((${#started[@]} > 0)) || die "no service binary was built under ${BUILD_DIR}/services"

for entry in "${started[@]}"; do
  IFS=: read -r name port metrics <<<"${entry}"
  for ((i = 0; ; i++)); do
    if "${BROCTL}" health --addr "${HOST}:${port}" --timeout 1s >/dev/null 2>&1; then
      log "${name} is serving"
      break
    fi
    if ! pid_alive "${RUN_DIR}/${name}.pid"; then
      tail -n 20 "${LOG_DIR}/${name}.log" >&2 || true
      die "${name} exited; see ${LOG_DIR}/${name}.log"
    fi
    if ((i >= 300)); then
      tail -n 20 "${LOG_DIR}/${name}.log" >&2 || true
      die "${name} did not become ready within 60s; see ${LOG_DIR}/${name}.log"
    fi
    sleep 0.2
  done
done

# --- Tokens and the demo municipality ---------------------------------------
token() { "${BROCTL}" token --key "${KEYS_DIR}/private/dev.pem" --kid dev --ttl 12h "$@"; }
COORDINATOR_TOKEN="$(token --role coordinator --municipality aalborg --subject dev-coordinator)"
OPERATOR_TOKEN="$(token --role operator --subject dev-operator)"
REGISTRY_ADDR="${HOST}:$(service_port registry 50051 PORT)"

# The import sets the municipality's coordinator last: with it set, the
# demo is complete and is not loaded again.
demo="$("${BROCTL}" --addr "${REGISTRY_ADDR}" --token "${OPERATOR_TOKEN}" \
  municipality get aalborg 2>/dev/null || true)"
if [[ "${demo}" == *'"coordinator"'* ]]; then
  log "the demo municipality aalborg is loaded already"
else
  log "loading the demo municipality from deploy/demo/aalborg.json"
  "${BROCTL}" --addr "${REGISTRY_ADDR}" --token "${COORDINATOR_TOKEN}" \
    actors import --file "${ROOT}/deploy/demo/aalborg.json" \
    --operator-token "${OPERATOR_TOKEN}" >"${LOG_DIR}/demo-import.json"
fi
# Volunteers only: listing newcomers would add reads to their audit log.
volunteers="$("${BROCTL}" --addr "${REGISTRY_ADDR}" --token "${COORDINATOR_TOKEN}" \
  actors list --parent municipalities/aalborg --filter 'kind = VOLUNTEER')"
volunteer_count="$(grep -c '"kind": "ACTOR_KIND_VOLUNTEER"' <<<"${volunteers}" || true)"

# --- Where everything is ------------------------------------------------------
cat <<SUMMARY

Brobygger is running (logs in .local/logs, stop with: bash deploy/local/down.sh)

  redis        ${HOST}:${REDIS_PORT}  (AOF, appendfsync ${REDIS_APPENDFSYNC}, data in .local/redis)
SUMMARY
for entry in "${started[@]}"; do
  IFS=: read -r name port metrics <<<"${entry}"
  printf '  %-12s %s  metrics http://%s/metrics\n' "${name}" "${HOST}:${port}" "${HOST}:${metrics}"
done
cat <<SUMMARY

Demo municipality: municipalities/aalborg (${volunteer_count} volunteers, newcomers, organisations,
  contact points and fora from deploy/demo/aalborg.json)

Development tokens (12 h; mint more with ${BROCTL#"${ROOT}/"} token):
  coordinator of aalborg:
    export BROBYGGER_TOKEN=${COORDINATOR_TOKEN}
  operator:
    export BROBYGGER_OPERATOR_TOKEN=${OPERATOR_TOKEN}

Try it:
  ${BROCTL#"${ROOT}/"} actors list --parent municipalities/aalborg \\
      --filter 'kind = VOLUNTEER AND mother_tongue = "ti"'
  ${BROCTL#"${ROOT}/"} contact resolve --parent municipalities/aalborg --topic housing --area Kærby

  grpcurl -plaintext -H "authorization: Bearer \$BROBYGGER_TOKEN" \\
      -d '{"parent": "municipalities/aalborg", "filter": "kind = VOLUNTEER AND area = \"Kærby\""}' \\
      ${REGISTRY_ADDR} brobygger.registry.v1.RegistryService/ListActors
SUMMARY
