#!/usr/bin/env bash
# Set up everything codi-geo needs on a fresh Debian machine: system packages, the Python
# environment, the locally served map assets and the boundary cache.
#   bash scripts/setup.sh            # for running the app
#   bash scripts/setup.sh --test     # also the test-only system packages (Chromium, PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

log() { printf '\n== %s\n' "$*" >&2; }

# --- system packages (Debian) --------------------------------------------------------------
apt_packages=(fonts-thai-tlwg)
# nginx: the replicas test puts two app servers behind deploy/nginx-codi-geo.conf.
$want_test && apt_packages+=(chromium postgresql nginx)
# npm installs the map assets; Debian's nodejs/npm only when the machine has no npm of its own.
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# --- Python ------------------------------------------------------------------------------
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PYTHON" -m venv .venv
fi
log "installing Python packages (requirements.txt)"
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt

# --- map assets served by the app itself (no CDN) ---------------------------------------
if [ -f scripts/vendor_assets.sh ]; then
  log "installing map assets from the npm registry"
  bash scripts/vendor_assets.sh
fi

# --- boundary cache --------------------------------------------------------------------
if [ ! -f data/boundaries/manifest.json ]; then
  log "building the boundary cache (source: ${CODI_GEO_BOUNDARY_SOURCE:-official OCHA download})"
  .venv/bin/python -m codi_geo boundaries build
fi
