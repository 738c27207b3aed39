#!/usr/bin/env bash
# README command 2: installs what is missing, builds, and runs the whole
# test suite (unit, store and end-to-end tests: they start their own
# redis-servers and service binaries on free ports), then lints the protos
# with buf and checks the Helm chart (deploy/helm/check.sh). Exits non-zero
# if anything failed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "${ROOT}/deploy/setup.sh"
build

failed=()
log "running the tests"
if ! ctest --test-dir "${BUILD_DIR}" --output-on-failure -j"${JOBS}"; then
  failed+=(ctest)
fi
log "linting the protos (buf lint)"
if (cd "${ROOT}" && node_modules/.bin/buf lint); then
  log "buf lint: no findings"
else
  failed+=("buf lint")
fi
log "checking the Helm chart (helm lint, helm template, Kubernetes API validation)"
if ! bash "${ROOT}/deploy/helm/check.sh"; then
  failed+=("helm chart")
fi

if ((${#failed[@]} > 0)); then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
log "all tests passed"
