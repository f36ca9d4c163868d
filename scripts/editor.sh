#!/usr/bin/env bash
# Builds the desk's story editor (tools/editor: Tiptap bundled by esbuild,
# both from the npm lockfile) into internal/web/render/static/editor.bundle.js,
# which the Go binary embeds. Does nothing when the bundle is newer than
# its sources and lockfile. Without the bundle a build still works: the
# desk then serves its plain fallback editor (static/desk.js).
set -euo pipefail
cd "$(dirname "$0")/../tools/editor"
out=../../internal/web/render/static/editor.bundle.js
if ! command -v npm >/dev/null 2>&1; then
  echo "editor.sh: npm is missing (apt-get install npm); the desk will use its fallback editor" >&2
  exit 0
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "editor.sh: npm ci in tools/editor"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ -f "$out" ] && [ -z "$(find src build.mjs package-lock.json -newer "$out" -print -quit)" ]; then
  exit 0
fi
node build.mjs
