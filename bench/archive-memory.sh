#!/usr/bin/env bash
# Memory and time that must not grow with the archive (issue 14).
#
# Generates (or reuses) a site of N articles with bench/sitegen, starts
# `newsdesk serve` on it and reports: start-up time (until /healthz
# answers), the time of the sitemap index and of every sitemap part, the
# slowest cold home, column and article page, and the server's resident
# memory (VmRSS, VmHWM) after fetching every sitemap part, the home page,
# 20 column pages and 100 articles.
#
#   N=100000 bench/archive-memory.sh            # data in /tmp/newsdesk-site-N, kept
#   DATA=/path N=1000000 bench/archive-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
DATA=${DATA:-/tmp/newsdesk-site-$N}
PORT=${PORT:-18714}
BIN=$(mktemp -d)/newsdesk
go build -o "$BIN" ./cmd/newsdesk
if [ ! -f "$DATA/newsdesk.db" ]; then
	go run ./bench/sitegen -n "$N" -data "$DATA"
fi
base=http://127.0.0.1:$PORT
t0=$(date +%s.%N)
"$BIN" serve --data "$DATA" --addr 127.0.0.1:$PORT --log-level warn &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$base/healthz"; do sleep 0.02; done
t1=$(date +%s.%N)
rss() { awk -v k="$1:" '$1==k {printf "%.0f MiB", $2/1024}' /proc/$pid/status; }
echo "articles: $N"
echo "start-up: $(echo "$t1 - $t0" | bc) s, RSS $(rss VmRSS)"
get() { curl -s -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' "$base$1"; }
read -r code secs size < <(get /sitemap.xml)
echo "sitemap index: $code, ${secs}s, $size bytes"
parts=$(curl -s "$base/sitemap.xml" | grep -c '<sitemap>' || true)
slowest=0
for i in $(seq 1 "$parts"); do
	read -r code secs size < <(get "/sitemaps/$i.xml")
	[ "$code" = 200 ] || { echo "sitemap part $i: $code"; exit 1; }
	slowest=$(echo "if ($secs > $slowest) $secs else $slowest" | bc)
done
echo "sitemap parts: $parts, slowest ${slowest}s; RSS $(rss VmRSS)"
max() { # path... → slowest time of a first (cold) fetch
	local m=0
	for p in "$@"; do
		read -r code secs size < <(get "$p")
		[ "$code" = 200 ] || { echo "$p: $code" >&2; exit 1; }
		m=$(echo "if ($secs > $m) $secs else $m" | bc)
	done
	echo "$m"
}
echo "home cold: $(max /)s"
cols=$(for s in news departments research lectures media culture students people notices alumni; do echo "/columns/$s"; echo "/columns/$s-sub"; done)
# shellcheck disable=SC2086
echo "20 column pages, slowest cold: $(max $cols)s"
# 100 articles spread over the archive (the sitemap lists them newest first).
src=/sitemaps/1.xml
[ "$parts" -gt 0 ] || src=/sitemap.xml
ids=$(curl -s "$base$src" | grep -o '/articles/[0-9]*' | awk 'NR % 97 == 1' | head -100 || true)
# shellcheck disable=SC2086
echo "100 articles, slowest cold: $(max $ids)s"
echo "after all: RSS $(rss VmRSS), peak $(rss VmHWM)"
