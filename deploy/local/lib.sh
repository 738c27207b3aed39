# Shared by up.sh, down.sh and test.sh (sourced, not run).
#
# Everything local lives under .local/ in the repository (git-ignored):
#   .local/keys/{private,public}/dev.pem   the development signing key
#   .local/redis/                           Redis data (AOF)
#   .local/logs/<name>.log                  service and Redis logs
#   .local/run/<name>.pid                   pid files of what up.sh started
#   .local/redcross-webhook.secret          the demo webhook's signing secret

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${BROBYGGER_BUILD_DIR:-${ROOT}/build}"
BUILD_TYPE="${BROBYGGER_BUILD_TYPE:-RelWithDebInfo}"
JOBS="${BROBYGGER_JOBS:-2}"
LOCAL_DIR="${ROOT}/.local"
KEYS_DIR="${LOCAL_DIR}/keys"
LOG_DIR="${LOCAL_DIR}/logs"
RUN_DIR="${LOCAL_DIR}/run"
REDIS_DIR="${LOCAL_DIR}/redis"
HOST="127.0.0.1"
REDIS_PORT="${BROBYGGER_REDIS_PORT:-6390}"
# "always": a write the services acknowledged survives a crash of the
# machine; "everysec" trades up to a second of writes for throughput.
REDIS_APPENDFSYNC="${BROBYGGER_REDIS_APPENDFSYNC:-always}"
BROCTL="${BUILD_DIR}/tools/broctl/broctl"
# up.sh's stand-in for an NGO app receiving webhooks (broctl
# webhook-receiver), started when the notification service runs.
WEBHOOK_RECEIVER_PORT="${BROBYGGER_WEBHOOK_RECEIVER_PORT:-8099}"
WEBHOOK_RECEIVER_PID="${RUN_DIR}/webhook-receiver.pid"

# The services, as name:grpc_port:metrics_port. up.sh starts those whose
# binary (build/services/<name>/<name>) exists. A port can be overridden
# with BROBYGGER_<NAME>_PORT and BROBYGGER_<NAME>_METRICS_PORT.
SERVICES=(
  registry:50051:9101
  catalogue:50052:9102
  matching:50053:9103
  notifications:50054:9104
)

log() { echo "[$(date +%H:%M:%S)] $*"; }
die() { echo "error: $*" >&2; exit 1; }

service_binary() { echo "${BUILD_DIR}/services/$1/$1"; }

# service_port NAME DEFAULT KIND: KIND is PORT or METRICS_PORT.
service_port() {
  local var="BROBYGGER_${1^^}_$3"
  echo "${!var:-$2}"
}

# build: configure (once) and build everything, tests included.
build() {
  log "building in ${BUILD_DIR} (${BUILD_TYPE}, -j${JOBS})"
  cmake -S "${ROOT}" -B "${BUILD_DIR}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE}" \
    -DBROBYGGER_BUILD_TESTS=ON
  cmake --build "${BUILD_DIR}" -j"${JOBS}"
}

# pid_alive FILE: the pid in FILE is a running process.
pid_alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# stop_pid NAME FILE GRACE: SIGTERM, then SIGKILL after GRACE seconds.
stop_pid() {
  local name="$1" file="$2" grace="$3" pid
  if ! pid_alive "${file}"; then
    rm -f "${file}"
    return 0
  fi
  pid="$(cat "${file}")"
  log "stopping ${name} (pid ${pid})"
  kill -TERM "${pid}" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "${pid}" 2>/dev/null || { rm -f "${file}"; return 0; }
    sleep 0.1
  done
  log "${name} did not stop within ${grace}s; killing it"
  kill -KILL "${pid}" 2>/dev/null || true
  rm -f "${file}"
}
