#!/usr/bin/env bash
# Writes cmd/newsdesk/default.pgo, the CPU profile `go build` uses to
# optimise the newsdesk binary (profile-guided optimisation: hot calls
# inlined, interface calls on hot paths devirtualised).
#
# The profile is of the public site's hot paths: a cached article served
# over a loopback connection (BenchmarkArticleCachedWire) and the article
# and home pages rendered from the store (the cold renders, which the
# static export repeats for every page). Run it again after large changes
# to those paths; an old profile still builds, it just helps less.
#
# Usage: bash bench/pgo.sh   (BENCHTIME=10s by default)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go test -run '^$' -bench 'ArticleCachedWire|ArticleColdRender|HomeColdRender' \
	-benchtime "${BENCHTIME:-10s}" -cpuprofile "$tmp/cpu.pprof" -o "$tmp/web.test" ./internal/web
mv "$tmp/cpu.pprof" cmd/newsdesk/default.pgo
echo "wrote cmd/newsdesk/default.pgo ($(wc -c <cmd/newsdesk/default.pgo) bytes)"
