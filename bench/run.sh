#!/usr/bin/env bash
# Load benchmark for the Newsdesk public site.
#
# Serves the same two pages (an article and the home page) from three servers
# and loads each with the same wrk settings:
#
#   newsdesk  ./cmd/newsdesk serve --demo on a fresh data dir (the real thing)
#   barego    bench/barego: Go net/http writing the page bytes from memory
#             (the Go net/http ceiling)
#   nginx     nginx serving the page bytes from disk, one worker
#             (the static-file ceiling)
#   static    the same demo site exported (newsdesk export static) and
#             served by nginx as docs/deploy.md configures it (try_files,
#             gzip_static, the ?page map): the exported article should go as
#             fast as the plain file (only with newsdesk started here)
#
# Usage: bash bench/run.sh            (from anywhere; needs Go, curl, bash >= 4.4)
#
# Environment (all optional):
#   CONNS=50          wrk connections
#   DURATION=10s      wrk duration of each measured run
#   WARMUP=2s         wrk duration of the warm-up run before each measured run
#   THREADS=1         wrk threads
#   ROUNDS=1          measure every server and page this many times,
#                     interleaved, and report medians (use 3 on a busy box)
#   ARTICLE_PATH=/articles/1   HOME_PATH=/     the two pages
#   SERVERS="newsdesk barego nginx"            which servers to load (add static)
#   NEWSDESK_URL=http://127.0.0.1:8080  use an already running Newsdesk (not
#                     built, started or pinned by this script); for testing
#   NEWSDESK_BIN=path use this newsdesk binary instead of building ./cmd/newsdesk
#   BAREGO_HEADERS=1  barego also sends every header field Newsdesk sent with
#                     each page (the same response, so the gap left is
#                     Newsdesk's own work, not the fields it must send)
#   PIN=auto|0        pin servers to CPU 0 and wrk to CPU 1 (auto: when taskset
#                     exists and >= 2 CPUs are available)
#   SERVER_CPU=0 LOAD_CPU=1   the CPUs used when pinning
#   OUT=file          also write the results table to this file
#   STRICT=1          exit 1 when the article-page targets are missed
#   KEEP=1            keep the temp dir (logs, configs, page bytes)
set -euo pipefail

CONNS="${CONNS:-50}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
THREADS="${THREADS:-1}"
ROUNDS="${ROUNDS:-1}"
ARTICLE_PATH="${ARTICLE_PATH:-/articles/1}"
HOME_PATH="${HOME_PATH:-/}"
SERVERS="${SERVERS:-newsdesk barego nginx}"
NEWSDESK_URL="${NEWSDESK_URL:-}"
NEWSDESK_BIN="${NEWSDESK_BIN:-}"
BAREGO_HEADERS="${BAREGO_HEADERS:-0}"
PIN="${PIN:-auto}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
OUT="${OUT:-}"
STRICT="${STRICT:-0}"
KEEP="${KEEP:-0}"

# Targets for the article page (see bench/README.md).
TARGET_RATIO_BAREGO="0.90"
TARGET_P99_MS="5"

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "bench: ROUNDS must be a positive integer" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup

TMP=""
PIDS=()
LOAD_PID=""

cleanup() {
	local status=$? pid
	set +e
	trap - EXIT INT TERM
	if [[ -n "$LOAD_PID" ]]; then
		kill -TERM "$LOAD_PID" 2>/dev/null
	fi
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		# Give each process up to ~3 s to exit, then kill it.
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [[ -n "$TMP" && -d "$TMP" ]]; then
		if [[ "$KEEP" == "1" ]]; then
			log "kept $TMP"
		else
			rm -rf -- "$TMP"
		fi
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP="$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-bench.XXXXXX")"
mkdir -p "$TMP/pages" "$TMP/nginx/tmp" "$TMP/bin"

# ---------------------------------------------------------------- tools

SUDO=()
if [[ "$(id -u)" != "0" ]]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=(sudo)
	fi
fi

APT_UPDATED=0
apt_install() {
	# apt_install PKG...: install the first package that installs.
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
	if [[ "$APT_UPDATED" == "0" ]]; then
		log "apt-get update"
		"${SUDO[@]}" apt-get update -qq >&2
		APT_UPDATED=1
	fi
	local pkg
	for pkg in "$@"; do
		log "apt-get install $pkg"
		if DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "$pkg" >&2; then
			return 0
		fi
	done
	die "could not install any of: $*"
}

find_nginx() {
	if command -v nginx >/dev/null 2>&1; then
		command -v nginx
	elif [[ -x /usr/sbin/nginx ]]; then
		echo /usr/sbin/nginx
	else
		return 1
	fi
}

wants() { [[ " $SERVERS " == *" $1 "* ]]; }

command -v go >/dev/null 2>&1 || die "go not found"
command -v curl >/dev/null 2>&1 || apt_install curl
command -v wrk >/dev/null 2>&1 || apt_install wrk
NGINX=""
if wants nginx || wants static; then
	NGINX="$(find_nginx)" || { apt_install nginx-light nginx; NGINX="$(find_nginx)" || die "nginx not found after install"; }
fi

# ---------------------------------------------------------------- CPU pinning

NCPU="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"
SERVER_PIN=()
LOAD_PIN=()
PINNING="no"
if [[ "$PIN" != "0" ]] && command -v taskset >/dev/null 2>&1 && ((NCPU >= 2)); then
	SERVER_PIN=(taskset -c "$SERVER_CPU")
	LOAD_PIN=(taskset -c "$LOAD_CPU")
	PINNING="servers on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU"
fi
# Both Go servers get one P, like nginx gets one worker.
GO_ENV=(env GOMAXPROCS=1)

# ---------------------------------------------------------------- helpers

# nginx_conf DIR: the common part of the nginx configurations the benches
# write (one worker, no access log, sendfile, keep-alive), up to the open
# http block. Indented throughout: bench/scaleout.sh reads this function
# out of this file, up to the first "}" in the first column.
nginx_conf() {
	local dir="$1"
	# As root the master drops the worker to "nobody", which cannot read
	# the 0700 temp dir; keep the worker as the current user.
	if [[ "$(id -u)" == "0" ]]; then
		printf 'user root %s;\n' "$(id -gn)"
	fi
	cat <<EOF
    worker_processes 1;
    daemon off;
    master_process on;
    pid $dir/nginx.pid;
    error_log $dir/error.log warn;
    events {
        worker_connections 4096;
    }
    http {
        access_log off;
        server_tokens off;
        sendfile on;
        tcp_nopush on;
        tcp_nodelay on;
        # Keep the files open between requests, as a tuned static server
        # does (without this nginx does open/fstat/close per request: ~2x slower).
        open_file_cache max=64 inactive=60s;
        open_file_cache_valid 60s;
        keepalive_timeout 65s;
        # Go's net/http has no per-connection request limit; do not make
        # nginx reconnect every 1000 requests either.
        keepalive_requests 1000000000;
        types { }
        default_type "text/html; charset=utf-8";
        client_body_temp_path $dir/tmp/body;
        proxy_temp_path $dir/tmp/proxy;
        fastcgi_temp_path $dir/tmp/fastcgi;
        uwsgi_temp_path $dir/tmp/uwsgi;
        scgi_temp_path $dir/tmp/scgi;
EOF
}

# free_port prints a TCP port on 127.0.0.1 that nothing is listening on,
# below the kernel's ephemeral range: a port there may be the local end of
# someone's outgoing connection, which "nothing listens" does not reveal,
# and binding it fails.
free_port() {
	local port i lo
	lo="$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
	((lo > 11000)) || lo=32768
	for ((i = 0; i < 200; i++)); do
		port=$((10000 + RANDOM % (lo - 10000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	die "no free port found"
}

# wait_http URL PID NAME LOG: wait until URL answers 2xx, or fail if PID dies.
wait_http() {
	local url="$1" pid="$2" name="$3" logfile="$4" i
	for ((i = 0; i < 600; i++)); do
		if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			log "$name exited; last lines of $logfile:"
			tail -n 30 "$logfile" >&2 || true
			die "$name did not start"
		fi
		sleep 0.1
	done
	log "$name: no answer from $url after 60 s; last lines of $logfile:"
	tail -n 30 "$logfile" >&2 || true
	die "$name did not start"
}

# fetch URL FILE: save the identity-encoded body of a 200 response.
# fetch URL FILE [HEADFILE]: the body (and the response head) of a 200.
fetch() {
	local code
	code="$(curl -sS -H 'Accept-Encoding: identity' -D "${3:-/dev/null}" -o "$2" -w '%{http_code}' "$1")" || die "GET $1 failed"
	[[ "$code" == "200" ]] || die "GET $1: status $code, want 200"
}

# ---------------------------------------------------------------- newsdesk

ND_BASE=""
ND_NOTE=""
if [[ -n "$NEWSDESK_URL" ]]; then
	ND_BASE="${NEWSDESK_URL%/}"
	ND_NOTE="external $ND_BASE (not started or pinned by this script)"
	curl -fsS -o /dev/null --max-time 5 "$ND_BASE/healthz" || log "warning: $ND_BASE/healthz does not answer 2xx"
else
	if [[ -z "$NEWSDESK_BIN" ]]; then
		log "building ./cmd/newsdesk"
		(cd "$ROOT" && go build -o "$TMP/bin/newsdesk" ./cmd/newsdesk) || die "go build ./cmd/newsdesk failed"
		NEWSDESK_BIN="$TMP/bin/newsdesk"
	fi
	[[ -x "$NEWSDESK_BIN" ]] || die "$NEWSDESK_BIN is not executable"
	ND_PORT="$(free_port)"
	ND_BASE="http://127.0.0.1:$ND_PORT"
	mkdir -p "$TMP/data"
	log "starting newsdesk --demo on $ND_BASE"
	"${SERVER_PIN[@]}" "${GO_ENV[@]}" "$NEWSDESK_BIN" serve \
		--addr "127.0.0.1:$ND_PORT" --data "$TMP/data" --demo \
		>"$TMP/newsdesk.log" 2>&1 &
	ND_PID=$!
	PIDS+=("$ND_PID")
	wait_http "$ND_BASE/healthz" "$ND_PID" newsdesk "$TMP/newsdesk.log"
	# The demo's photos get their variants from the job runner after start;
	# measuring while it works would charge that work to each request. Wait
	# until no job has been logged for 3 s (at most 5 minutes).
	log "waiting for the demo's background jobs"
	quiet_since=$SECONDS last_jobs=-1
	while ((SECONDS - quiet_since < 3)); do
		jobs_now="$(grep -c 'msg="job ' "$TMP/newsdesk.log" || true)"
		if [[ "$jobs_now" != "$last_jobs" ]]; then
			last_jobs="$jobs_now" quiet_since=$SECONDS
		fi
		((SECONDS < 300)) || die "newsdesk's background jobs still running after 5 minutes"
		sleep 0.5
	done
	ND_NOTE="$NEWSDESK_BIN, GOMAXPROCS=1, fresh --demo data"
fi

# The two pages: name, URL path, file with the bytes Newsdesk serves.
PAGE_NAMES=(article home)
PAGE_PATHS=("$ARTICLE_PATH" "$HOME_PATH")
PAGE_FILES=("$TMP/pages/article.html" "$TMP/pages/home.html")
for i in "${!PAGE_NAMES[@]}"; do
	fetch "$ND_BASE${PAGE_PATHS[$i]}" "${PAGE_FILES[$i]}" "${PAGE_FILES[$i]%.html}.head"
	log "${PAGE_NAMES[$i]} ${PAGE_PATHS[$i]}: $(wc -c <"${PAGE_FILES[$i]}") bytes"
done

# ---------------------------------------------------------------- barego

BG_BASE=""
if wants barego; then
	log "building bench/barego"
	(cd "$ROOT" && go build -o "$TMP/bin/barego" ./bench/barego) || die "go build ./bench/barego failed"
	BG_PORT="$(free_port)"
	BG_BASE="http://127.0.0.1:$BG_PORT"
	BG_ARGS=(-addr "127.0.0.1:$BG_PORT")
	for i in "${!PAGE_NAMES[@]}"; do
		BG_ARGS+=(-page "${PAGE_PATHS[$i]}=${PAGE_FILES[$i]}")
		if [[ "$BAREGO_HEADERS" == "1" ]]; then
			BG_ARGS+=(-headers "${PAGE_PATHS[$i]}=${PAGE_FILES[$i]%.html}.head")
		fi
	done
	"${SERVER_PIN[@]}" "${GO_ENV[@]}" "$TMP/bin/barego" "${BG_ARGS[@]}" >"$TMP/barego.log" 2>&1 &
	BG_PID=$!
	PIDS+=("$BG_PID")
	wait_http "$BG_BASE${PAGE_PATHS[0]}" "$BG_PID" barego "$TMP/barego.log"
fi

# ---------------------------------------------------------------- nginx

NG_BASE=""
if wants nginx; then
	NG_PORT="$(free_port)"
	NG_BASE="http://127.0.0.1:$NG_PORT"
	NG_DIR="$TMP/nginx"
	{
		nginx_conf "$NG_DIR"
		cat <<EOF
    server {
        listen 127.0.0.1:$NG_PORT;
        root $TMP/pages;
EOF
		for i in "${!PAGE_NAMES[@]}"; do
			# try_files (not alias) so that "/" works too: alias on a URI
			# ending in "/" goes to the index module instead of the file.
			printf '        location = %s { default_type "text/html; charset=utf-8"; try_files /%s =404; }\n' \
				"${PAGE_PATHS[$i]}" "$(basename "${PAGE_FILES[$i]}")"
		done
		printf '        location / { return 404; }\n'
		printf '    }\n}\n'
	} >"$NG_DIR/nginx.conf"
	"$NGINX" -t -q -p "$NG_DIR" -e "$NG_DIR/error.log" -c "$NG_DIR/nginx.conf" || die "nginx -t failed for $NG_DIR/nginx.conf"
	"${SERVER_PIN[@]}" "$NGINX" -p "$NG_DIR" -e "$NG_DIR/error.log" -c "$NG_DIR/nginx.conf" >"$NG_DIR/stdout.log" 2>&1 &
	NG_PID=$!
	PIDS+=("$NG_PID")
	wait_http "$NG_BASE${PAGE_PATHS[0]}" "$NG_PID" nginx "$NG_DIR/error.log"
fi

# ---------------------------------------------------------------- static

ST_BASE=""
if wants static; then
	[[ -z "$NEWSDESK_URL" ]] || die "static needs the newsdesk this script starts (its data is exported)"
	log "exporting the demo site (newsdesk export static)"
	"$NEWSDESK_BIN" export static --data "$TMP/data" --out "$TMP/static" >"$TMP/export.log" 2>&1 ||
		{ tail -n 20 "$TMP/export.log" >&2; die "newsdesk export static failed"; }
	ST_PORT="$(free_port)"
	ST_BASE="http://127.0.0.1:$ST_PORT"
	ST_DIR="$TMP/nginx-static"
	mkdir -p "$ST_DIR/tmp"
	{
		nginx_conf "$ST_DIR"
		cat <<EOF
    map \$arg_page \$page_suffix {
        ""           "";
        "~^[0-9]+\$"  "-\$arg_page";
        default      "-none";
    }
    server {
        listen 127.0.0.1:$ST_PORT;
        root $TMP/static;
        gzip_static on;
        gzip_vary on;
        error_page 404 /404.html;
        location / {
            try_files \$uri \$uri/index\$page_suffix.html =404;
            add_header Cache-Control "no-cache";
        }
        location = /404.html { internal; }
    }
}
EOF
	} >"$ST_DIR/nginx.conf"
	"$NGINX" -t -q -p "$ST_DIR" -e "$ST_DIR/error.log" -c "$ST_DIR/nginx.conf" || die "nginx -t failed for $ST_DIR/nginx.conf"
	"${SERVER_PIN[@]}" "$NGINX" -p "$ST_DIR" -e "$ST_DIR/error.log" -c "$ST_DIR/nginx.conf" >"$ST_DIR/stdout.log" 2>&1 &
	ST_PID=$!
	PIDS+=("$ST_PID")
	wait_http "$ST_BASE${PAGE_PATHS[0]}" "$ST_PID" "nginx (static)" "$ST_DIR/error.log"
	# The exported page is the same page: its title is the one Newsdesk served.
	for i in "${!PAGE_NAMES[@]}"; do
		fetch "$ST_BASE${PAGE_PATHS[$i]}" "$TMP/check.html"
		want="$(grep -o '<title>[^<]*</title>' "${PAGE_FILES[$i]}" | head -n 1)"
		got="$(grep -o '<title>[^<]*</title>' "$TMP/check.html" | head -n 1)"
		[[ -n "$want" && "$want" == "$got" ]] || die "$ST_BASE${PAGE_PATHS[$i]}: title $got, Newsdesk's $want"
		log "static ${PAGE_NAMES[$i]}: $(wc -c <"$TMP/check.html") bytes exported"
	done
fi

# The references must serve exactly the bytes Newsdesk served.
for base in "$BG_BASE" "$NG_BASE"; do
	[[ -n "$base" ]] || continue
	for i in "${!PAGE_NAMES[@]}"; do
		fetch "$base${PAGE_PATHS[$i]}" "$TMP/check.html"
		cmp -s "$TMP/check.html" "${PAGE_FILES[$i]}" || die "$base${PAGE_PATHS[$i]} does not serve the same bytes as Newsdesk"
	done
done

# ---------------------------------------------------------------- wrk

# to_ms VALUE: wrk time (e.g. 812.00us, 1.23ms, 2.01s, 1.00m) in milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000
		else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000
		printf "%.3f", n
	}'
}

CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# cpu_ticks PID: user+system CPU clock ticks used so far by PID and its
# direct children (the nginx worker), from /proc; empty when unknown.
cpu_ticks() {
	local pid="$1" p children=""
	[[ -n "$pid" && -r "/proc/$pid/stat" ]] || return 0
	children="$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)"
	for p in $pid $children; do
		# Fields after "(comm) ": state ppid ... utime is the 12th, stime the 13th.
		sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null || true
	done | awk '{ t += $12 + $13 } END { print t + 0 }'
}

now_ns() { date +%s%N; }

# load CMD...: run the load generator in the background and wait for it, so
# that a signal to this script stops it at once (the traps run on "wait").
load() {
	"${LOAD_PIN[@]}" "$@" &
	LOAD_PID=$!
	wait "$LOAD_PID"
	LOAD_PID=""
}

# Raw results per run, keyed "server,page,round": req/s, p99 in ms, errors,
# server CPU share of one core in %, server CPU microseconds per request.
declare -A R_RPS R_P99 R_ERR R_CPU R_CPUREQ

# measure SERVER BASE PID PAGE-INDEX ROUND
# shellcheck disable=SC2034 # R_* are read through namerefs in median/total
measure() {
	local server="$1" base="$2" pid="$3" i="$4" r="$5" name url out t0 t1 c0 c1 reqs p99 key
	name="${PAGE_NAMES[$i]}"
	url="$base${PAGE_PATHS[$i]}"
	key="$server,$name,$r"
	log "round $r/$ROUNDS: wrk $server $url: warm-up $WARMUP, then $DURATION"
	load wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$url" >/dev/null
	out="$TMP/wrk-$server-$name-$r.txt"
	c0="$(cpu_ticks "$pid")"
	t0="$(now_ns)"
	load wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url" >"$out"
	t1="$(now_ns)"
	c1="$(cpu_ticks "$pid")"
	R_RPS[$key]="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
	p99="$(awk '$1 == "99%" {print $2}' "$out")"
	[[ -n "${R_RPS[$key]}" && -n "$p99" ]] || { cat "$out" >&2; die "could not parse wrk output"; }
	R_P99[$key]="$(to_ms "$p99")"
	# Non-2xx/3xx answers and socket errors (connect/read/write/timeout).
	R_ERR[$key]="$(awk '
		/Non-2xx or 3xx responses:/ {e += $NF}
		/Socket errors:/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) e += $i + 0}
		END {print e + 0}' "$out")"
	# Server CPU (only for servers this script started).
	R_CPU[$key]=""
	R_CPUREQ[$key]=""
	reqs="$(awk '/ requests in / {print $1}' "$out")"
	if [[ -n "$c0" && -n "$c1" && -n "$reqs" && "$reqs" != "0" ]]; then
		R_CPU[$key]="$(awk -v c="$((c1 - c0))" -v hz="$CLK_TCK" -v ns="$((t1 - t0))" \
			'BEGIN { printf "%.1f", 100 * c / hz / (ns / 1e9) }')"
		R_CPUREQ[$key]="$(awk -v c="$((c1 - c0))" -v hz="$CLK_TCK" -v n="$reqs" \
			'BEGIN { printf "%.2f", 1e6 * c / hz / n }')"
	fi
}

RUN_ORDER=()
for s in newsdesk barego nginx static; do
	if wants "$s"; then RUN_ORDER+=("$s"); fi
done
((${#RUN_ORDER[@]} > 0)) || die "SERVERS=\"$SERVERS\" names none of: newsdesk barego nginx static"

# Rounds are interleaved (all servers, then all again) so that a disturbance
# on the machine hits one round of every server rather than all rounds of one.
for ((r = 1; r <= ROUNDS; r++)); do
	for i in "${!PAGE_NAMES[@]}"; do
		for s in "${RUN_ORDER[@]}"; do
			case "$s" in
			newsdesk) measure newsdesk "$ND_BASE" "${ND_PID:-}" "$i" "$r" ;;
			barego) measure barego "$BG_BASE" "$BG_PID" "$i" "$r" ;;
			nginx) measure nginx "$NG_BASE" "$NG_PID" "$i" "$r" ;;
			static) measure static "$ST_BASE" "$ST_PID" "$i" "$r" ;;
			esac
		done
	done
done

# ---------------------------------------------------------------- report

# median ARRAY-NAME SERVER PAGE: median over the rounds, empty if no values.
median() {
	local -n arr="$1"
	local r v vals=()
	for ((r = 1; r <= ROUNDS; r++)); do
		v="${arr[$2,$3,$r]:-}"
		if [[ -n "$v" ]]; then vals+=("$v"); fi
	done
	((${#vals[@]} > 0)) || return 0
	printf '%s\n' "${vals[@]}" | sort -g | awk '{ a[NR] = $1 }
		END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# total ARRAY-NAME SERVER PAGE: sum over the rounds.
total() {
	local -n arr="$1"
	local r t=0
	for ((r = 1; r <= ROUNDS; r++)); do
		t=$((t + ${arr[$2,$3,$r]:-0}))
	done
	echo "$t"
}

# fmt PRINTF-FORMAT VALUE: format a number, "-" when empty.
fmt() {
	if [[ -z "$2" ]]; then echo "-"; else awk -v f="$1" -v v="$2" 'BEGIN { printf f, v }'; fi
}

ratio() { # ratio A B: A/B with two decimals, "-" when either is missing or B is 0
	if [[ -z "$1" || -z "$2" ]]; then
		echo "-"
	else
		awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'
	fi
}

# Medians, keyed "server,page".
declare -A RPS P99 ERRS CPU CPUREQ
for i in "${!PAGE_NAMES[@]}"; do
	name="${PAGE_NAMES[$i]}"
	for s in "${RUN_ORDER[@]}"; do
		RPS[$s,$name]="$(median R_RPS "$s" "$name")"
		P99[$s,$name]="$(median R_P99 "$s" "$name")"
		ERRS[$s,$name]="$(total R_ERR "$s" "$name")"
		CPU[$s,$name]="$(median R_CPU "$s" "$name")"
		CPUREQ[$s,$name]="$(median R_CPUREQ "$s" "$name")"
	done
done

REPORT="$TMP/report.txt"
{
	echo "Newsdesk public-site load benchmark"
	echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "commit:    $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
	echo "host:      $(uname -srm), $NCPU CPU(s), $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo '?')"
	echo "pinning:   $PINNING"
	echo "wrk:       -t$THREADS -c$CONNS -d$DURATION --latency (warm-up $WARMUP)"
	if ((ROUNDS > 1)); then
		echo "rounds:    $ROUNDS, interleaved; medians shown, errors summed"
	fi
	echo "newsdesk:  $ND_NOTE"
	if [[ -n "$NG_BASE" ]]; then
		echo "nginx:     $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), 1 worker, files from disk"
	fi
	if [[ -n "$ST_BASE" ]]; then
		echo "static:    newsdesk export static of the same data, nginx as in docs/deploy.md (try_files, gzip_static), 1 worker"
	fi
	if [[ -n "$BG_BASE" ]]; then
		if [[ "$BAREGO_HEADERS" == "1" ]]; then
			echo "barego:    $(go version | awk '{print $3}'), GOMAXPROCS=1, bytes from memory, with Newsdesk's header fields"
		else
			echo "barego:    $(go version | awk '{print $3}'), GOMAXPROCS=1, bytes from memory"
		fi
	fi
	for i in "${!PAGE_NAMES[@]}"; do
		printf 'page:      %-8s %-14s %s bytes\n' "${PAGE_NAMES[$i]}" "${PAGE_PATHS[$i]}" "$(wc -c <"${PAGE_FILES[$i]}")"
	done
	echo
	printf '%-14s %-9s %12s %10s %7s %11s %9s\n' page server req/s p99 errors "server cpu" cpu/req
	for i in "${!PAGE_NAMES[@]}"; do
		name="${PAGE_NAMES[$i]}"
		for s in "${RUN_ORDER[@]}"; do
			printf '%-14s %-9s %12s %10s %7s %11s %9s\n' "${PAGE_PATHS[$i]}" "$s" \
				"$(fmt '%.0f' "${RPS[$s,$name]}")" "$(fmt '%.2fms' "${P99[$s,$name]}")" "${ERRS[$s,$name]}" \
				"$(fmt '%.0f%%' "${CPU[$s,$name]}")" "$(fmt '%.1fus' "${CPUREQ[$s,$name]}")"
		done
	done
	if ((ROUNDS > 1)); then
		echo
		echo "req/s per round:"
		for i in "${!PAGE_NAMES[@]}"; do
			name="${PAGE_NAMES[$i]}"
			for s in "${RUN_ORDER[@]}"; do
				printf '%-14s %-9s' "${PAGE_PATHS[$i]}" "$s"
				for ((r = 1; r <= ROUNDS; r++)); do
					printf ' %9s' "$(fmt '%.0f' "${R_RPS[$s,$name,$r]}")"
				done
				echo
			done
		done
	fi
	if wants newsdesk; then
		echo
		printf '%-14s %16s %15s %13s %24s\n' page newsdesk/barego newsdesk/nginx "newsdesk p99" "cpu/req newsdesk/barego"
		for i in "${!PAGE_NAMES[@]}"; do
			name="${PAGE_NAMES[$i]}"
			printf '%-14s %16s %15s %13s %24s\n' "${PAGE_PATHS[$i]}" \
				"$(ratio "${RPS[newsdesk,$name]}" "${RPS[barego,$name]:-}")" \
				"$(ratio "${RPS[newsdesk,$name]}" "${RPS[nginx,$name]:-}")" \
				"$(fmt '%.2fms' "${P99[newsdesk,$name]}")" \
				"$(ratio "${CPUREQ[newsdesk,$name]}" "${CPUREQ[barego,$name]:-}")"
		done
		echo
		echo "req/s ratios mean most when every server's cpu is near 100%; below that the"
		echo "load path (wrk, loopback, scheduler) limits the servers alike, and the"
		echo "cpu/req ratio is the better measure of Newsdesk's own cost."
	fi
	if wants static && wants nginx; then
		echo
		printf '%-14s %14s %21s\n' page static/nginx "cpu/req static/nginx"
		for i in "${!PAGE_NAMES[@]}"; do
			name="${PAGE_NAMES[$i]}"
			printf '%-14s %14s %21s\n' "${PAGE_PATHS[$i]}" \
				"$(ratio "${RPS[static,$name]}" "${RPS[nginx,$name]}")" \
				"$(ratio "${CPUREQ[static,$name]}" "${CPUREQ[nginx,$name]}")"
		done
	fi
} >"$REPORT"

VERDICT=""
if wants newsdesk && wants barego; then
	rr="$(ratio "${RPS[newsdesk,article]}" "${RPS[barego,article]}")"
	p="$(fmt '%.2f' "${P99[newsdesk,article]}")"
	e="${ERRS[newsdesk,article]}"
	if awk -v r="$rr" -v p="$p" -v e="$e" -v tr="$TARGET_RATIO_BAREGO" -v tp="$TARGET_P99_MS" \
		'BEGIN { exit !(r + 0 >= tr + 0 && p + 0 <= tp + 0 && e + 0 == 0) }'; then
		VERDICT="PASS"
	else
		VERDICT="FAIL"
	fi
	{
		echo
		echo "target:    $ARTICLE_PATH at $CONNS connections: newsdesk/barego >= $TARGET_RATIO_BAREGO, p99 <= ${TARGET_P99_MS}ms, no errors"
		echo "result:    $VERDICT (ratio $rr, p99 ${p}ms, errors $e)"
	} >>"$REPORT"
fi

cat "$REPORT"
if [[ -n "$OUT" ]]; then
	mkdir -p "$(dirname "$OUT")"
	cp "$REPORT" "$OUT"
	log "wrote $OUT"
fi
if [[ "$STRICT" == "1" && "$VERDICT" == "FAIL" ]]; then
	exit 1
fi
