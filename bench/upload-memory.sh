#!/usr/bin/env bash
# Peak memory of the server under concurrent worst-case photo uploads.
#
# Starts the real binary on a fresh data folder, signs in as an editor,
# uploads COPIES images at once to the media library, waits until their
# variants are made (or the uploads were refused), and reports the
# server's peak resident memory (VmHWM in /proc/PID/status) for each case:
#
#   probe16  the outside probe's file: 7071×7071 RGBA at 16 bits a channel,
#            ~400 kB on disk, 400 MB decoded (refused since the decode bound)
#   rgba8    about the largest RGBA PNG accepted with the default decode
#            budget, 6400×6400 at 8 bits a channel, 164 MB decoded: accepted,
#            and its variants made, one at a time
#   rgba8three 4000×4000 at 8 bits a channel, 64 MB decoded: three uploads
#            fit the budget at once
#
# Each case runs on a server of its own, so one peak does not hide another.
# Target (issue 11): three at once keep the peak at or under 400 MiB.
#
# Usage: bash bench/upload-memory.sh     (from anywhere; needs Go, curl)
#
# Environment (all optional):
#   NEWSDESK_BIN=path   use this binary instead of building ./cmd/newsdesk
#                       (e.g. one built from an older commit, for "before")
#   COPIES=3            uploads at once
#   CASES="probe16 rgba8 rgba8three"
#   PORT=18931          the server's port on 127.0.0.1
#   KEEP=1              keep the temp dir (server logs)
set -euo pipefail

COPIES="${COPIES:-3}"
CASES="${CASES:-probe16 rgba8 rgba8three}"
PORT="${PORT:-18931}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d)"
PID=""
cleanup() {
	if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
	if [[ "${KEEP:-}" == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

BIN="${NEWSDESK_BIN:-}"
if [[ -z "$BIN" ]]; then
	BIN="$TMP/newsdesk"
	(cd "$ROOT" && go build -o "$BIN" ./cmd/newsdesk)
fi
(cd "$ROOT" && go run ./bench/upload-memory -size 7071 -depth 16 >"$TMP/probe16.png" &&
	go run ./bench/upload-memory -size 6400 -depth 8 >"$TMP/rgba8.png" &&
	go run ./bench/upload-memory -size 4000 -depth 8 >"$TMP/rgba8three.png")

URL="http://127.0.0.1:$PORT"
PASS="bench-upload-memory-1"

# run CASE: one server, COPIES uploads at once; prints a result line.
run() {
	local name="$1" file="$TMP/$1.png" data="$TMP/data-$1" jar="$TMP/jar-$1"
	rm -rf "$data" "$jar"
	"$BIN" migrate --data "$data" >/dev/null
	NEWSDESK_PASSWORD="$PASS" "$BIN" user add --data "$data" --name bench.editor --role editor >/dev/null 2>&1
	"$BIN" serve --data "$data" --addr "127.0.0.1:$PORT" --max-upload 52428800 >"$TMP/server-$name.log" 2>&1 &
	PID=$!
	for _ in $(seq 100); do if curl -fs "$URL/healthz" >/dev/null 2>&1; then break; fi; sleep 0.1; done
	local base
	base="$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")"
	# Sign in as a browser does: the form's CSRF token, then the cookie.
	local csrf
	csrf="$(curl -fs -c "$jar" "$URL/desk/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
	curl -fs -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&username=bench.editor&password=$PASS" "$URL/desk/login"
	csrf="$(curl -fs -b "$jar" "$URL/desk/library" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
	local start codes=() pids=() i
	start="$(date +%s.%N)"
	for i in $(seq "$COPIES"); do
		curl -s -b "$jar" -o "$TMP/answer-$name-$i" -w '%{http_code}\n' \
			-F "csrf=$csrf" -F "alt=bench $i" -F "file=@$file;filename=$name-$i.png" "$URL/desk/library" >"$TMP/code-$name-$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	for i in $(seq "$COPIES"); do codes+=("$(cat "$TMP/code-$name-$i")"); done
	local uploaded
	uploaded="$(date +%s.%N)"
	# Accepted uploads redirect (303) to the library item; wait until the
	# variant job has made its widest PNG for each, or give up after 10 minutes.
	local accepted=0 done_files=0
	for c in "${codes[@]}"; do if [[ "$c" == 303 ]]; then accepted=$((accepted + 1)); fi; done
	if ((accepted > 0)); then
		for _ in $(seq 1200); do
			done_files="$( (find "$data/media/v" -name '*-1600.png' 2>/dev/null || true) | wc -l)"
			if ((done_files >= accepted)); then break; fi
			sleep 0.5
		done
	fi
	local end hwm
	end="$(date +%s.%N)"
	hwm="$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")"
	kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
	printf '%-10s %6d KB  %6s  %-14s %8.1f MiB  %8.1f MiB  %6.1f s  %6.1f s\n' "$name" "$(($(stat -c %s "$file") / 1024))" "$COPIES" \
		"$(IFS=,; echo "${codes[*]}")" "$(echo "$base / 1024" | bc -l)" "$(echo "$hwm / 1024" | bc -l)" \
		"$(echo "$uploaded - $start" | bc -l)" "$(echo "$end - $start" | bc -l)"
}

echo "binary: $BIN"
printf '%-10s %9s  %6s  %-14s %12s  %12s  %8s  %8s\n' case file copies statuses "RSS idle" "peak RSS" uploads "+variants"
for c in $CASES; do run "$c"; done
