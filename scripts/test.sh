#!/usr/bin/env bash
# Installs what the tests need (Debian's chromium for the browser tests),
# starts the test servers, runs every test and stops the servers it started.
# This is the README's test command and what CI runs. It prints a line per
# package as it finishes and "N passed, N failed, N skipped" at the end, and
# fails when anything fails. For a quick edit loop without the browser
# tests: go test -short ./...
set -euo pipefail
cd "$(dirname "$0")/.."

# Lock::Timeout: a freshly booted machine may still be running Debian's own
# updates; wait for its package lock rather than fail.
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# CJK fonts so screenshots show Chinese text rather than boxes.
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
# node and npm for the OpenAPI validator and axe-core.
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${need[*]}"
    apt_get update -qq
    apt_get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "test.sh: not root, cannot install ${need[*]}; the browser tests will skip" >&2
  fi
fi

# npm tools the tests run, each from its lockfile: the OpenAPI validator
# (API tests), axe-core (the accessibility test in the browser) and
# Pagefind (measured against the judged search set on the static export).
for tool in tools/openapi tools/axe tools/pagefind; do
  if [ -f "$tool/package-lock.json" ] && command -v npm >/dev/null 2>&1 &&
    { [ ! -d "$tool/node_modules" ] || [ "$tool/package-lock.json" -nt "$tool/node_modules/.package-lock.json" ]; }; then
    echo "test.sh: npm ci in $tool"
    (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

# The desk's story editor bundle (tools/editor, from its lockfile), which
# the Go build embeds and the browser tests drive.
bash scripts/editor.sh

mkdir -p test-output
# Real servers the store, media and sign-in tests run against (PostgreSQL
# on 127.0.0.1:55432, versitygw S3 on :7070, oidc-provider on :7090): each
# script installs what is missing, starts its server on 127.0.0.1 (or reuses
# one already answering) and exports where it listens (NEWSDESK_TEST_*).
# The tests skip, saying why, when a variable is unset. What this run
# started is stopped when it ends, however it ends, unless
# NEWSDESK_KEEP_SERVICES=1 (the next run then reuses them).
newsdesk_services_started=()
newsdesk_services_stop() {
  local s
  if [ "${NEWSDESK_KEEP_SERVICES:-}" = 1 ]; then
    [ ${#newsdesk_services_started[@]} -gt 0 ] && echo "test.sh: leaving the test servers running (NEWSDESK_KEEP_SERVICES=1)"
    return 0
  fi
  for s in "${newsdesk_services_started[@]}"; do
    $s
  done
}
trap newsdesk_services_stop EXIT
for svc in scripts/services/*.sh; do
  [ -f "$svc" ] && source "$svc"
done

echo "test.sh: go vet"
go vet ./...
# staticcheck at a pinned version, fetched through the module proxy once.
echo "test.sh: staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
# tools/testsum prints a line per package as it finishes, the output of
# failed tests, the packages still running every 30 s, and the counts; the
# whole output goes to test-output/go-test.log.
go build -o test-output/testsum ./tools/testsum
echo "test.sh: go test (compiling first; a line per package as it finishes)"
# -timeout: internal/web's browser tests (axe over ~30 pages × 2 languages
# × 2 modes × 2 widths among them) take longer than go test's default 10 min.
go test -count=1 -timeout 40m -json ./... 2>&1 | test-output/testsum -log test-output/go-test.log
# Fuzz the upload checks and the variant generator for a short while.
bash scripts/fuzz.sh
