#!/usr/bin/env bash
# Memory and time that must not grow with the archive (issue 14).
#
# Generates (or reuses) a site of N articles with bench/sitegen, starts
# `newsdesk serve` on it and reports: start-up time (process start to the
# first 200 of /healthz), the time of the sitemap index and of every
# sitemap part, the slowest cold home, column (first and deep pages) and
# article page, and the server's resident memory (VmRSS, VmHWM) after
# fetching every sitemap part, the home page, 20 column pages and 100
# articles. Each time is one first (cold) fetch with curl; the server's CPU
# time (user + system, /proc/PID/stat) and the load average are printed
# beside them, as the machine may be shared.
#
#   N=100000 bench/archive-memory.sh            # data in /tmp/scale/site-N, kept
#   DATA=/path N=1000000 bench/archive-memory.sh
#   NEWSDESK_BIN=/path/newsdesk ...            # measure another build
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
DATA=${DATA:-/tmp/scale/site-$N}
PORT=${PORT:-18714}
BIN=${NEWSDESK_BIN:-}
if [ -z "$BIN" ]; then
	BIN=$(mktemp -d)/newsdesk
	go build -o "$BIN" ./cmd/newsdesk
fi
if [ ! -f "$DATA/newsdesk.db" ]; then
	go run ./bench/sitegen -n "$N" -data "$DATA"
fi
base=http://127.0.0.1:$PORT
tick=$(getconf CLK_TCK)
t0=$(date +%s.%N)
"$BIN" serve --data "$DATA" --addr 127.0.0.1:$PORT --log-level warn &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$base/healthz"; do sleep 0.01; done
t1=$(date +%s.%N)
rss() { awk -v k="$1:" '$1==k {printf "%.0f MiB", $2/1024}' /proc/$pid/status; }
cpu() { awk -v t="$tick" '{printf "%.2f", ($14+$15)/t}' /proc/$pid/stat; } # seconds, user + system
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo '?'), binary $BIN"
echo "data:     $DATA"
echo "articles: $N"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "start-up: $(echo "$t1 - $t0" | bc) s, server CPU $(cpu) s, RSS $(rss VmRSS)"
get() { curl -s -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' "$base$1"; }
c0=$(cpu)
read -r code secs size < <(get /sitemap.xml)
echo "sitemap index: $code, ${secs}s, $size bytes, server CPU $(echo "$(cpu) - $c0" | bc) s"
parts=$(curl -s "$base/sitemap.xml" | grep -c '<sitemap>' || true)
slowest=0 times=""
c0=$(cpu)
for i in $(seq 1 "$parts"); do
	read -r code secs size < <(get "/sitemaps/$i.xml")
	[ "$code" = 200 ] || { echo "sitemap part $i: $code"; exit 1; }
	slowest=$(echo "if ($secs > $slowest) $secs else $slowest" | bc)
	times="$times $secs"
done
echo "sitemap parts: $parts, slowest ${slowest}s, server CPU $(echo "$(cpu) - $c0" | bc) s in all; RSS $(rss VmRSS)"
[ -z "$times" ] || echo "  each (s):$times"
max() { # path... → slowest time of a first (cold) fetch, and which
	local m=0 which=""
	for p in "$@"; do
		read -r code secs size < <(get "$p")
		[ "$code" = 200 ] || { echo "$p: $code" >&2; exit 1; }
		if [ "$(echo "$secs > $m" | bc)" = 1 ]; then m=$secs which=$p; fi
	done
	echo "${m}s ($which)"
}
c0=$(cpu)
echo "home cold: $(max /), server CPU $(echo "$(cpu) - $c0" | bc) s"
topics="news departments research lectures media culture students people notices alumni"
cols=$(for s in $topics; do echo "/columns/$s"; echo "/columns/$s-sub"; done)
c0=$(cpu)
# shellcheck disable=SC2086
echo "20 column pages (first page), slowest cold: $(max $cols), server CPU $(echo "$(cpu) - $c0" | bc) s"
# Deep pages: a column's pages count from its oldest story, so page 1 is
# the oldest and the first page's "next" link the newest past it; the 20
# are page 1 and that one of each top-level column.
deep=""
for s in $topics; do
	last=$(curl -s "$base/columns/$s" | grep -o 'rel="next" href="[^"]*page=[0-9]*' | grep -o '[0-9]*$' | head -1 || true)
	deep="$deep /columns/$s?page=1 /columns/$s?page=${last:-1}"
done
c0=$(cpu)
# shellcheck disable=SC2086
echo "20 deep column pages (the oldest and the newest past the first), slowest cold: $(max $deep), server CPU $(echo "$(cpu) - $c0" | bc) s"
# 100 articles spread over the archive (the sitemap lists them oldest first).
if [ "$parts" -gt 0 ]; then
	ids=$(for i in $(seq 1 "$parts"); do curl -s "$base/sitemaps/$i.xml"; done | grep -o '/articles/[0-9]*' | awk -v n="$N" 'NR % int(n / 100 + 1) == 1' | head -100 || true)
else
	ids=$(curl -s "$base/sitemap.xml" | grep -o '/articles/[0-9]*' | awk -v n="$N" 'NR % int(n / 100 + 1) == 1' | head -100 || true)
fi
c0=$(cpu)
# shellcheck disable=SC2086
echo "100 articles, slowest cold: $(max $ids), server CPU $(echo "$(cpu) - $c0" | bc) s"
echo "after all: RSS $(rss VmRSS), peak $(rss VmHWM), server CPU $(cpu) s in all"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg)"
