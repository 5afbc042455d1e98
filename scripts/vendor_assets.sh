#!/usr/bin/env bash
# Install the map assets (Leaflet and plugins) from the npm registry, pinned by
# package-lock.json, and copy their dist files into static/vendor/, which Streamlit serves at
# /app/static/vendor/ (server.enableStaticServing). Nothing is committed and nothing is loaded
# from a CDN at run time. Idempotent: skips the work when static/vendor/ matches the lockfile.
#   bash scripts/vendor_assets.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is needed for the map assets (Debian: apt-get install -y nodejs npm)" >&2
  exit 1
fi

target=static/vendor
stamp="$target/.lock-sha256"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "${1:-}" != "--force" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -f "$target/leaflet/leaflet.js" ]; then
  echo "map assets up to date in $target" >&2
  exit 0
fi

# npm works in a scratch folder outside the work tree, so no node_modules/ is left behind.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
modules="$work/node_modules"

rm -rf "$target.new"
mkdir -p "$target.new/leaflet" "$target.new/leaflet.markercluster" "$target.new/leaflet.heat"
cp -r "$modules"/leaflet/dist/leaflet.js "$modules"/leaflet/dist/leaflet.css \
  "$modules"/leaflet/dist/images "$target.new/leaflet/"
cp "$modules"/leaflet/LICENSE "$target.new/leaflet/LICENSE"
cp "$modules"/leaflet.markercluster/dist/leaflet.markercluster.js \
  "$modules"/leaflet.markercluster/dist/MarkerCluster.css \
  "$modules"/leaflet.markercluster/dist/MarkerCluster.Default.css \
  "$modules"/leaflet.markercluster/MIT-LICENCE.txt "$target.new/leaflet.markercluster/"
cp "$modules"/leaflet.heat/dist/leaflet-heat.js "$target.new/leaflet.heat/"
cp "$modules"/leaflet.heat/LICENSE "$target.new/leaflet.heat/" 2>/dev/null || true
echo "$want" > "$target.new/.lock-sha256"
# Installed at setup, never committed: the folder ignores itself.
printf '*\n' > "$target.new/.gitignore"
rm -rf "$target"
mv "$target.new" "$target"
echo "map assets copied to $target:" >&2
find "$target" -type f ! -name '.lock-sha256' | sort >&2
