#!/usr/bin/env bash
# Installs what the tests need (Debian's chromium for the browser tests) and
# runs every test. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# CJK fonts so screenshots show Chinese text rather than boxes.
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
# node and npm for the OpenAPI validator of the API tests.
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "test.sh: not root, cannot install ${need[*]}; the browser tests will skip" >&2
  fi
fi

# The OpenAPI validator the API tests run (tools/openapi, from its lockfile).
if [ ! -d tools/openapi/node_modules ] && command -v npm >/dev/null 2>&1; then
  echo "test.sh: npm ci in tools/openapi"
  (cd tools/openapi && npm ci --no-audit --no-fund --loglevel=error)
fi

# The desk's story editor bundle (tools/editor, from its lockfile), which
# the Go build embeds and the browser tests drive.
bash scripts/editor.sh

mkdir -p test-output
# Real servers the store and media tests run against (PostgreSQL, an
# S3-compatible server): each script installs what is missing, starts its
# server on 127.0.0.1 and exports where it listens (NEWSDESK_TEST_*). The
# tests skip, saying why, when a variable is unset.
for svc in scripts/services/*.sh; do
  [ -f "$svc" ] && source "$svc"
done

echo "test.sh: go vet"
go vet ./...
# staticcheck at a pinned version, fetched through the module proxy once.
echo "test.sh: staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
echo "test.sh: go test"
go test -count=1 ./... 2>&1 | tee test-output/go-test.log
# Fuzz the upload checks and the variant generator for a short while.
bash scripts/fuzz.sh
