#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs Brobygger
# locally: a private redis-server and every service built so far, on
# loopback; loads the demo municipalities (deploy/demo/aalborg.json and
# lejre.json into the registry, aalborg-catalogue.json and
# lejre-catalogue.json into the catalogue) and prints the addresses and
# development tokens.
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
# The catalogue's plain-HTTP calendar feeds.
FEED_PORT="${BROBYGGER_FEED_PORT:-8090}"

# service_extra_args NAME: the flags only that service takes, one a line.
service_extra_args() {
  case "$1" in
    catalogue)
      echo "--feed_listen=${HOST}:${FEED_PORT}"
      echo "--feed_base_url=http://${HOST}:${FEED_PORT}"
      ;;
    matching)
      echo "--catalogue_address=${HOST}:$(service_port catalogue 50052 PORT)"
      ;;
    notifications)
      # The demo municipalities from the start: their events are routed
      # before anyone asks about them.
      echo "--follow_municipalities=aalborg,lejre"
      ;;
  esac
}

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
  mapfile -t extra_args < <(service_extra_args "${name}")
  log "starting ${name} on ${HOST}:${port} (metrics ${HOST}:${metrics}, log ${LOG_DIR}/${name}.log)"
  # Flags on the command line win over BROBYGGER_* variables the caller may
  # have set for another purpose. setsid: the service outlives this shell
  # and its terminal.
  setsid "${binary}" --listen="${HOST}:${port}" --metrics_listen="${HOST}:${metrics}" \
    --redis_host="${HOST}" --redis_port="${REDIS_PORT}" \
    --jwt_public_keys_dir="${KEYS_DIR}/public" "${extra_args[@]}" \
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

# --- Tokens and the demo municipalities ------------------------------------
token() { "${BROCTL}" token --key "${KEYS_DIR}/private/dev.pem" --kid dev --ttl 12h "$@"; }
COORDINATOR_TOKEN="$(token --role coordinator --municipality aalborg --subject dev-coordinator)"
LEJRE_COORDINATOR_TOKEN="$(token --role coordinator --municipality lejre --subject dev-coordinator-lejre)"
OPERATOR_TOKEN="$(token --role operator --subject dev-operator)"
REGISTRY_ADDR="${HOST}:$(service_port registry 50051 PORT)"
CATALOGUE_ADDR="${HOST}:$(service_port catalogue 50052 PORT)"

# demo_registry ID TOKEN FILE: the import sets the municipality's
# coordinator last: with it set, the demo is complete and is not loaded
# again.
demo_registry() {
  local id="$1" coordinator_token="$2" file="$3" demo
  demo="$("${BROCTL}" --addr "${REGISTRY_ADDR}" --token "${OPERATOR_TOKEN}" \
    municipality get "${id}" 2>/dev/null || true)"
  if [[ "${demo}" == *'"coordinator"'* ]]; then
    log "the demo municipality ${id} is loaded already"
    return 0
  fi
  log "loading the demo municipality from ${file#"${ROOT}/"}"
  "${BROCTL}" --addr "${REGISTRY_ADDR}" --token "${coordinator_token}" \
    actors import --file "${file}" \
    --operator-token "${OPERATOR_TOKEN}" >"${LOG_DIR}/demo-import-${id}.json"
}
demo_registry aalborg "${COORDINATOR_TOKEN}" "${ROOT}/deploy/demo/aalborg.json"
demo_registry lejre "${LEJRE_COORDINATOR_TOKEN}" "${ROOT}/deploy/demo/lejre.json"

# demo_catalogue ID TOKEN FILE: loaded once (the municipality has
# activities afterwards); the import is idempotent, so an interrupted one
# can be finished with the same broctl command.
demo_catalogue() {
  local id="$1" coordinator_token="$2" file="$3" listed
  listed="$("${BROCTL}" --addr "${CATALOGUE_ADDR}" --token "${coordinator_token}" \
    catalogue list --parent "municipalities/${id}" --page-size 1)" ||
    die "cannot list the catalogue of ${id}; see ${LOG_DIR}/catalogue.log"
  if [[ "${listed}" == *'"activities"'* ]]; then
    log "the demo catalogue of ${id} is loaded already"
    return 0
  fi
  log "loading the demo catalogue from ${file#"${ROOT}/"}"
  "${BROCTL}" --addr "${CATALOGUE_ADDR}" --token "${coordinator_token}" \
    catalogue import --file "${file}" --registry-addr "${REGISTRY_ADDR}" \
    >"${LOG_DIR}/demo-catalogue-${id}.json"
}
catalogue_running=0
for entry in "${started[@]}"; do
  if [[ "${entry}" == catalogue:* ]]; then catalogue_running=1; fi
done
if ((catalogue_running)); then
  demo_catalogue aalborg "${COORDINATOR_TOKEN}" "${ROOT}/deploy/demo/aalborg-catalogue.json"
  demo_catalogue lejre "${LEJRE_COORDINATOR_TOKEN}" "${ROOT}/deploy/demo/lejre-catalogue.json"
fi
# demo_matching FILE: volunteer requests for the demo's newcomers (their
# names come from the registry import's summary), then one batch
# assignment that proposes the reception corps. Loaded once (the
# municipality has requests afterwards); request ids are derived from the
# refs, so an interrupted run finishes on the next one.
MATCHING_ADDR="${HOST}:$(service_port matching 50053 PORT)"
demo_matching() {
  local file="$1" id listed summary ref kind expect name request_id attempt
  id="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["municipality"])' "${file}")"
  summary="${LOG_DIR}/demo-import-${id}.json"
  listed="$("${BROCTL}" --addr "${MATCHING_ADDR}" --token "${COORDINATOR_TOKEN}" \
    matching request list --parent "municipalities/${id}" --page-size 1)" ||
    die "cannot list the volunteer requests of ${id}; see ${LOG_DIR}/matching.log"
  if [[ "${listed}" == *'"volunteerRequests"'* ]]; then
    log "the demo reception corps of ${id} is loaded already"
    return 0
  fi
  [[ -f "${summary}" ]] || { log "no ${summary#"${ROOT}/"}; skipping the matching demo"; return 0; }
  log "creating the demo volunteer requests from ${file#"${ROOT}/"}"
  while IFS=$'\t' read -r ref kind expect name request_id; do
    for ((attempt = 0; attempt < 50; attempt++)); do
      # Matching learns newcomers from the registry's events within moments.
      if out="$("${BROCTL}" --addr "${MATCHING_ADDR}" --token "${COORDINATOR_TOKEN}" \
        matching request create --parent "municipalities/${id}" --newcomer "${name}" \
        --kind "${kind}" --request-id "${request_id}" 2>&1)"; then
        break
      fi
      if [[ "${out}" == *consent* ]]; then
        log "  ${ref}: no request, as expected (${expect:-}): the newcomer has not consented"
        break
      fi
      sleep 0.2
    done
  done < <(/usr/bin/python3 - "${file}" "${summary}" <<'PY'
import json, sys, uuid
demo = json.load(open(sys.argv[1]))
names = json.load(open(sys.argv[2]))["actors"]
for r in demo["requests"]:
    rid = uuid.uuid5(uuid.NAMESPACE_URL, "brobygger-demo/" + demo["municipality"] + "/" + r["newcomerRef"])
    print("\t".join([r["newcomerRef"], r["kind"], r.get("expect", "-"), names[r["newcomerRef"]], str(rid)]))
PY
)
  "${BROCTL}" --addr "${MATCHING_ADDR}" --token "${COORDINATOR_TOKEN}" \
    matching assign --parent "municipalities/${id}" >"${LOG_DIR}/demo-matching-${id}.json" ||
    die "the demo batch assignment failed; see ${LOG_DIR}/matching.log"
  log "  proposed $(grep -c '"match":' "${LOG_DIR}/demo-matching-${id}.json" || true) reception buddies (${LOG_DIR#"${ROOT}/"}/demo-matching-${id}.json)"
}
matching_running=0
for entry in "${started[@]}"; do
  if [[ "${entry}" == matching:* ]]; then matching_running=1; fi
done
if ((matching_running)); then
  demo_matching "${ROOT}/deploy/demo/aalborg-matching.json"
fi

# demo_notifications FILE: subscriptions, preferences and the Red Cross
# app's webhook (deploy/demo/aalborg-notifications.json, loaded by
# demo_notifications.py once: the webhook's subscription, made last, marks
# it loaded), and the local webhook receiver that plays the app. The
# endpoint is created once; its secret is kept in WEBHOOK_SECRET_FILE and
# rotated if that file is lost. Actors are known to the notification
# service only once it has read the registry's events: the loader waits.
NOTIFICATIONS_ADDR="${HOST}:$(service_port notifications 50054 PORT)"
WEBHOOK_SECRET_FILE="${LOCAL_DIR}/redcross-webhook.secret"
demo_notifications() {
  local file="$1" id summary step_args webhook offset
  id="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["municipality"])' "${file}")"
  summary="${LOG_DIR}/demo-import-${id}.json"
  [[ -f "${summary}" ]] || { log "no ${summary#"${ROOT}/"}; skipping the notifications demo"; return 0; }
  step_args=(--broctl "${BROCTL}" --key "${KEYS_DIR}/private/dev.pem" --kid dev
    --addr "${NOTIFICATIONS_ADDR}" --file "${file}" --actors "${summary}"
    --receiver-url "http://${HOST}:${WEBHOOK_RECEIVER_PORT}")
  webhook="$(/usr/bin/python3 "${ROOT}/deploy/local/demo_notifications.py" webhook \
    "${step_args[@]}" --secret-file "${WEBHOOK_SECRET_FILE}")" ||
    die "the demo webhook endpoint could not be set up (above); see ${LOG_DIR}/notifications.log"

  stop_pid webhook-receiver "${WEBHOOK_RECEIVER_PID}" 5
  log "starting the webhook receiver of ${webhook} on ${HOST}:${WEBHOOK_RECEIVER_PORT} (log ${LOG_DIR}/webhook-receiver.log)"
  offset="$(stat -c %s "${LOG_DIR}/webhook-receiver.log" 2>/dev/null || echo 0)"
  setsid "${BROCTL}" webhook-receiver --port "${WEBHOOK_RECEIVER_PORT}" \
    --secret-file "${WEBHOOK_SECRET_FILE}" \
    >>"${LOG_DIR}/webhook-receiver.log" 2>&1 </dev/null &
  echo $! >"${WEBHOOK_RECEIVER_PID}"
  for ((i = 0; ; i++)); do
    # It says where it listens once it does.
    tail -c +"$((offset + 1))" "${LOG_DIR}/webhook-receiver.log" | grep -q 'receiving webhooks at' && break
    if ! pid_alive "${WEBHOOK_RECEIVER_PID}" || ((i >= 50)); then
      tail -c +"$((offset + 1))" "${LOG_DIR}/webhook-receiver.log" | tail -n 5 >&2
      die "the webhook receiver did not start (is port ${WEBHOOK_RECEIVER_PORT} taken? set BROBYGGER_WEBHOOK_RECEIVER_PORT); see ${LOG_DIR}/webhook-receiver.log"
    fi
    sleep 0.1
  done

  /usr/bin/python3 "${ROOT}/deploy/local/demo_notifications.py" subscriptions "${step_args[@]}" ||
    die "the notifications demo could not be loaded (above); see ${LOG_DIR}/notifications.log"
}
notifications_running=0
for entry in "${started[@]}"; do
  if [[ "${entry}" == notifications:* ]]; then notifications_running=1; fi
done
if ((notifications_running)); then
  demo_notifications "${ROOT}/deploy/demo/aalborg-notifications.json"
else
  # A receiver left from a run with the service built would receive nothing.
  stop_pid webhook-receiver "${WEBHOOK_RECEIVER_PID}" 5
fi

# Volunteers only: listing newcomers would add reads to their audit log.
volunteers="$("${BROCTL}" --addr "${REGISTRY_ADDR}" --token "${COORDINATOR_TOKEN}" \
  actors list --parent municipalities/aalborg --filter 'kind = VOLUNTEER')"
volunteer_count="$(grep -c '"kind": "ACTOR_KIND_VOLUNTEER"' <<<"${volunteers}" || true)"

# --- Where everything is ------------------------------------------------------
cat <<SUMMARY

Brobygger is running (logs in .local/logs, stop with: bash deploy/local/down.sh)

  redis         ${HOST}:${REDIS_PORT}  (AOF, appendfsync ${REDIS_APPENDFSYNC}, data in .local/redis)
SUMMARY
for entry in "${started[@]}"; do
  IFS=: read -r name port metrics <<<"${entry}"
  printf '  %-13s %s  metrics http://%s/metrics\n' "${name}" "${HOST}:${port}" "${HOST}:${metrics}"
done
if ((catalogue_running)); then
  printf '  %-13s %s\n' "feeds" "http://${HOST}:${FEED_PORT}/feeds/...  (catalogue feed create)"
fi
if pid_alive "${WEBHOOK_RECEIVER_PID}"; then
  printf '  %-13s %s\n' "webhooks" "http://${HOST}:${WEBHOOK_RECEIVER_PORT}/  (the Red Cross app's receiver, log .local/logs/webhook-receiver.log)"
fi
cat <<SUMMARY

Demo municipalities: municipalities/aalborg (${volunteer_count} volunteers, newcomers, organisations,
  contact points and fora from deploy/demo/aalborg.json) and municipalities/lejre
  (deploy/demo/lejre.json); their activity catalogues and Aalborg's reception timeline
  from deploy/demo/*-catalogue.json when the catalogue runs.

Development tokens (12 h; mint more with ${BROCTL#"${ROOT}/"} token):
  coordinator of aalborg:
    export BROBYGGER_TOKEN=${COORDINATOR_TOKEN}
  coordinator of lejre:
    ${LEJRE_COORDINATOR_TOKEN}
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
if ((catalogue_running)); then
  cat <<SUMMARY

  ${BROCTL#"${ROOT}/"} catalogue search --addr ${CATALOGUE_ADDR} --parent municipalities/aalborg \\
      --text fællesspisning
  ${BROCTL#"${ROOT}/"} catalogue calendar --addr ${CATALOGUE_ADDR} --parent municipalities/aalborg \\
      --category COMMUNAL_DINING --out dinners.ics

  grpcurl -plaintext -H "authorization: Bearer \$BROBYGGER_TOKEN" \\
      -d '{"parent": "municipalities/aalborg", "query": {"text": "fællesspisning", "area": "St. Restrup"}}' \\
      ${CATALOGUE_ADDR} brobygger.catalogue.v1.CatalogueService/SearchActivities
SUMMARY
fi
if ((matching_running)); then
  cat <<SUMMARY

  The reception corps (deploy/demo/aalborg-matching.json): proposals for the newcomers
  who consented, each with the criteria that made the volunteer the best fit:
  ${BROCTL#"${ROOT}/"} matching list --parent municipalities/aalborg --filter 'state = PROPOSED'
  ${BROCTL#"${ROOT}/"} matching suggest municipalities/aalborg/volunteerRequests/1

  grpcurl -plaintext -H "authorization: Bearer \$BROBYGGER_TOKEN" \\
      -d '{"volunteer_request": "municipalities/aalborg/volunteerRequests/1", "top_k": 3}' \\
      ${MATCHING_ADDR} brobygger.matching.v1.MatchingService/SuggestMatches
SUMMARY
fi
# The walkthrough names a Red Cross volunteer and a newcomer in her town by
# their ids in this installation (from the registry import's summary).
demo_actor() {
  /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["actors"][sys.argv[2]])' \
    "${LOG_DIR}/demo-import-aalborg.json" "$1" 2>/dev/null
}
if ((notifications_running)) && mulu="$(demo_actor vol-mulu)" && senait="$(demo_actor nc-senait)"; then
  broctl_rel="${BROCTL#"${ROOT}/"}"
  mulu_inbox="${mulu/\/actors\//\/inboxes\/}"
  cat <<SUMMARY

  Notifications (deploy/demo/aalborg-notifications.json): volunteers follow activities in
  their towns and their own matches; St. Restrup Lokalråd hears of newcomers placed there;
  Center for Tværfaglig Forebyggelse follows the concerns; Birgitte Lauridsen reads a
  weekly e-mail digest; Røde Kors Aalborg's app receives its volunteers' matches and the
  activities as signed webhooks: the receiver playing the app listens on
  http://${HOST}:${WEBHOOK_RECEIVER_PORT}/ (secret in .local/redcross-webhook.secret).
  No e-mail relay runs locally (--smtp_url is empty): e-mails, and the weekly digest,
  wait in the notification service's queue; the inboxes get everything at once.

  Watch Mulu Gebremedhin's inbox live (a Red Cross volunteer in Svenstrup and St. Restrup):
    export VOLUNTEER_TOKEN=\$(${broctl_rel} token --key .local/keys/private/dev.pem --kid dev \\
        --role volunteer --municipality aalborg --subject ${mulu})
    ${broctl_rel} --token "\$VOLUNTEER_TOKEN" notifications watch ${mulu_inbox}
  In another terminal (BROBYGGER_TOKEN: the coordinator's above), publish an activity in
  Svenstrup and propose her as a mentor; both arrive in the watch and at the app's webhook:
    sed "s/sprogcafe-svenstrup/&-\$(date +%s)/" deploy/demo/aalborg-walkthrough-activity.json |
        ${broctl_rel} catalogue import --file /dev/stdin    # a new ref, a new activity
    REQUEST=\$(${broctl_rel} matching request create --parent aalborg --newcomer ${senait##*/} \\
        --kind MENTOR | grep -o 'municipalities/aalborg/volunteerRequests/[0-9]*')
    ${broctl_rel} matching propose "\$REQUEST" --volunteer ${mulu##*/}
    tail -f .local/logs/webhook-receiver.log     # "signature":"ok","status":204 per delivery
SUMMARY
fi
