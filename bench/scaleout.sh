#!/usr/bin/env bash
# Scale-out load benchmark: two Newsdesk instances on one PostgreSQL
# database behind nginx as a round-robin load balancer, next to the
# references measured in the same run.
#
#   sqlite  one `newsdesk serve --demo` on SQLite (the foundation's figure,
#           bench/run.sh's "newsdesk")
#   pg-a    instance A on PostgreSQL, loaded directly (no proxy)
#   lb      nginx (1 worker) proxying round-robin to instances A and B,
#           both on the same PostgreSQL database and the same media
#   nginx   nginx (1 worker) serving the bytes A served, from disk
#           (the static-file ceiling, as in bench/run.sh)
#
# Instance A starts with --demo on a fresh database, then B on the same
# database; media go to the S3-compatible test server when
# scripts/services/s3.sh has one, else to a local folder both share.
# The wrk settings, pinning, rounds and medians are bench/run.sh's: its
# functions are read from it (import_run below), not copied.
#
# Usage: bash bench/scaleout.sh        (from anywhere; as bench/run.sh)
#
# Environment (all optional), as bench/run.sh: CONNS=50 DURATION=10s
# WARMUP=2s THREADS=1 ROUNDS=1 ARTICLE_PATH=/articles/1 HOME_PATH=/
# NEWSDESK_BIN PIN=auto SERVER_CPU=0 LOAD_CPU=1 OUT KEEP=0, and
#   SERVERS="sqlite pg-a lb nginx"   which servers to load
#   MEDIA=auto|s3|local              media storage of A and B (auto: S3 when
#                                    scripts/services/s3.sh has a server)
set -euo pipefail

CONNS="${CONNS:-50}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
THREADS="${THREADS:-1}"
ROUNDS="${ROUNDS:-1}"
ARTICLE_PATH="${ARTICLE_PATH:-/articles/1}"
HOME_PATH="${HOME_PATH:-/}"
SERVERS="${SERVERS:-sqlite pg-a lb nginx}"
NEWSDESK_BIN="${NEWSDESK_BIN:-}"
PIN="${PIN:-auto}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
OUT="${OUT:-}"
KEEP="${KEEP:-0}"
MEDIA="${MEDIA:-auto}"

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "scaleout: ROUNDS must be a positive integer" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_SH="$ROOT/bench/run.sh"

# import_run NAME...: define bench/run.sh's functions of these names here.
# run.sh is a script, not a library; its functions are read out of it so
# that both benchmarks measure, parse and summarise in the very same way.
import_run() {
	local name src
	for name in "$@"; do
		src="$(awk -v f="$name" '
			!p && index($0, f "() {") == 1 { p = 1; print; if ($0 ~ /}[[:space:]]*$/) exit; next }
			p { print; if ($0 ~ /^}/) exit }' "$RUN_SH")"
		[[ -n "$src" ]] || { echo "scaleout: no function $name in $RUN_SH" >&2; exit 1; }
		eval "$src"
	done
}
import_run log die apt_install find_nginx wants wait_http fetch free_port nginx_conf \
	to_ms cpu_ticks now_ns load measure median total fmt ratio

# cpu_ticks "PID...": run.sh's per-process figure summed over several
# processes (the load balancer and both instances).
eval "$(declare -f cpu_ticks | sed '1s/^cpu_ticks/cpu_ticks_one/')"
cpu_ticks() {
	local p t=0 n
	for p in $1; do
		n="$(cpu_ticks_one "$p")"
		[[ -n "$n" ]] || return 0
		t=$((t + n))
	done
	echo "$t"
}

# ---------------------------------------------------------------- cleanup

# s3_remove_prefix PREFIX: delete this run's objects from the test bucket
# (list, then DELETE each key; signed with curl's --aws-sigv4).
s3_remove_prefix() {
	local prefix="$1" keys key try
	[[ -n "$prefix" && "$prefix" != "/" ]] || return 0
	local auth=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$NEWSDESK_TEST_S3_ACCESS_KEY:$NEWSDESK_TEST_S3_SECRET_KEY"
		-H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	local bucket="$NEWSDESK_TEST_S3_ENDPOINT/$NEWSDESK_TEST_S3_BUCKET"
	for ((try = 0; try < 20; try++)); do
		keys="$(curl -sS --max-time 20 "${auth[@]}" "$bucket?list-type=2&prefix=${prefix//\//%2F}" |
			grep -o '<Key>[^<]*</Key>' | sed 's/<[^>]*>//g')" || return 0
		[[ -n "$keys" ]] || return 0
		while IFS= read -r key; do
			curl -sS -o /dev/null --max-time 20 -X DELETE "${auth[@]}" "$bucket/$key" || true
		done <<<"$keys"
	done
}

TMP=""
PIDS=()
LOAD_PID=""
PG_ADMIN=""
PG_DBNAME=""

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
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [[ "$MEDIA" == "s3" && -n "$PG_DBNAME" ]]; then
		s3_remove_prefix "$PG_DBNAME/"
	fi
	if [[ -n "$PG_DBNAME" ]]; then
		psql -q -w -d "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DBNAME WITH (FORCE)" >/dev/null 2>&1 ||
			log "warning: could not drop the database $PG_DBNAME"
	fi
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

TMP="$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-scaleout.XXXXXX")"
mkdir -p "$TMP/pages" "$TMP/bin" "$TMP/static/tmp" "$TMP/lb/tmp"

# ---------------------------------------------------------------- tools

SUDO=()
if [[ "$(id -u)" != "0" ]] && command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo)
fi
APT_UPDATED=0
command -v go >/dev/null 2>&1 || die "go not found"
command -v curl >/dev/null 2>&1 || apt_install curl
command -v wrk >/dev/null 2>&1 || apt_install wrk
NGINX="$(find_nginx)" || { apt_install nginx-light nginx; NGINX="$(find_nginx)" || die "nginx not found after install"; }

# The shared test servers: started if need be, left running afterwards.
# shellcheck source=../scripts/services/postgres.sh
source "$ROOT/scripts/services/postgres.sh" >&2
[[ -n "${NEWSDESK_TEST_POSTGRES:-}" ]] || die "no PostgreSQL server (see scripts/services/postgres.sh)"
command -v psql >/dev/null 2>&1 || die "psql not found (Debian's postgresql-client)"
case "$MEDIA" in
auto | s3)
	# shellcheck source=../scripts/services/s3.sh
	source "$ROOT/scripts/services/s3.sh" >&2
	if [[ -z "${NEWSDESK_TEST_S3_ENDPOINT:-}" ]]; then
		[[ "$MEDIA" == "auto" ]] || die "MEDIA=s3 but no S3-compatible server (see scripts/services/s3.sh)"
		MEDIA=local
	else
		MEDIA=s3
	fi
	;;
local) ;;
*) die "MEDIA=$MEDIA: want auto, s3 or local" ;;
esac

# ---------------------------------------------------------------- pinning

NCPU="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"
SERVER_PIN=()
LOAD_PIN=()
PINNING="no"
if [[ "$PIN" != "0" ]] && command -v taskset >/dev/null 2>&1 && ((NCPU >= 2)); then
	SERVER_PIN=(taskset -c "$SERVER_CPU")
	LOAD_PIN=(taskset -c "$LOAD_CPU")
	PINNING="servers on CPU $SERVER_CPU (lb: nginx + A + B together), wrk on CPU $LOAD_CPU"
fi
# /metrics answers only to a bearer token when the desk has no listener of
# its own; the instances get one for this run.
METRICS_TOKEN="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
GO_ENV=(env GOMAXPROCS=1 NEWSDESK_METRICS_TOKEN="$METRICS_TOKEN")

# ---------------------------------------------------------------- newsdesk

if [[ -z "$NEWSDESK_BIN" ]]; then
	log "building ./cmd/newsdesk"
	(cd "$ROOT" && go build -o "$TMP/bin/newsdesk" ./cmd/newsdesk) || die "go build ./cmd/newsdesk failed"
	NEWSDESK_BIN="$TMP/bin/newsdesk"
fi
[[ -x "$NEWSDESK_BIN" ]] || die "$NEWSDESK_BIN is not executable"

# start_newsdesk NAME PORT ARGS...: start one instance, pinned, GOMAXPROCS=1;
# sets PID_<NAME>.
start_newsdesk() {
	local name="$1" port="$2" pid
	shift 2
	log "starting newsdesk $name on 127.0.0.1:$port"
	"${SERVER_PIN[@]}" "${GO_ENV[@]}" "$NEWSDESK_BIN" serve --addr "127.0.0.1:$port" "$@" \
		>"$TMP/newsdesk-$name.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	printf -v "PID_$name" '%s' "$pid"
	wait_http "http://127.0.0.1:$port/healthz" "$pid" "newsdesk $name" "$TMP/newsdesk-$name.log"
}

LB_PORT="$(free_port)"
LB_BASE="http://127.0.0.1:$LB_PORT"

# A fresh database on the shared server, dropped at exit.
PG_ADMIN="$NEWSDESK_TEST_POSTGRES"
PG_DBNAME="newsdesk_scaleout_$(date +%s)_$RANDOM"
psql -q -w -v ON_ERROR_STOP=1 -d "$PG_ADMIN" -c "CREATE DATABASE $PG_DBNAME" >/dev/null || die "CREATE DATABASE $PG_DBNAME failed"
PG_DSN="$(printf '%s' "$PG_ADMIN" | sed -E "s#^(postgres(ql)?://[^/]*)/[^?]*#\1/$PG_DBNAME#")"
[[ "$PG_DSN" == *"/$PG_DBNAME"* ]] || die "could not point $PG_ADMIN at $PG_DBNAME"

MEDIA_ARGS=()
MEDIA_NOTE=""
if [[ "$MEDIA" == "s3" ]]; then
	export NEWSDESK_S3_SECRET_KEY="$NEWSDESK_TEST_S3_SECRET_KEY"
	MEDIA_ARGS=(--media "s3://$NEWSDESK_TEST_S3_BUCKET/$PG_DBNAME" --s3-endpoint "$NEWSDESK_TEST_S3_ENDPOINT"
		--s3-access-key "$NEWSDESK_TEST_S3_ACCESS_KEY")
	MEDIA_NOTE="S3 (versitygw $NEWSDESK_TEST_S3_ENDPOINT) s3://$NEWSDESK_TEST_S3_BUCKET/$PG_DBNAME, shared"
else
	# Without --media each instance keeps media under its own --data; a
	# shared folder is one media/ that both data folders point at.
	mkdir -p "$TMP/media" "$TMP/data-a" "$TMP/data-b"
	ln -s "$TMP/media" "$TMP/data-a/media"
	ln -s "$TMP/media" "$TMP/data-b/media"
	MEDIA_NOTE="local folder $TMP/media, shared (data-a/media and data-b/media link to it)"
fi

PG_COMMON=(--db "$PG_DSN" "${MEDIA_ARGS[@]}" --base-url "$LB_BASE" --trust-proxy)
PORT_A="$(free_port)"
mkdir -p "$TMP/data-a" "$TMP/data-b" "$TMP/data-sqlite"
start_newsdesk a "$PORT_A" --data "$TMP/data-a" --demo "${PG_COMMON[@]}"
PORT_B="$(free_port)"
while [[ "$PORT_B" == "$PORT_A" ]]; do PORT_B="$(free_port)"; done
start_newsdesk b "$PORT_B" --data "$TMP/data-b" "${PG_COMMON[@]}"
A_BASE="http://127.0.0.1:$PORT_A"
B_BASE="http://127.0.0.1:$PORT_B"

SQ_BASE=""
if wants sqlite; then
	SQ_PORT="$(free_port)"
	start_newsdesk sqlite "$SQ_PORT" --data "$TMP/data-sqlite" --demo
	SQ_BASE="http://127.0.0.1:$SQ_PORT"
fi

# The two pages, as A serves them (the bytes the static nginx serves).
PAGE_NAMES=(article home)
PAGE_PATHS=("$ARTICLE_PATH" "$HOME_PATH")
PAGE_FILES=("$TMP/pages/article.html" "$TMP/pages/home.html")
for i in "${!PAGE_NAMES[@]}"; do
	fetch "$A_BASE${PAGE_PATHS[$i]}" "${PAGE_FILES[$i]}"
	log "${PAGE_NAMES[$i]} ${PAGE_PATHS[$i]}: $(wc -c <"${PAGE_FILES[$i]}") bytes from A"
	# B must serve the same page from the same database (the view count
	# in the page may differ between instances, so compare the title).
	fetch "$B_BASE${PAGE_PATHS[$i]}" "$TMP/pages/check-b.html"
	ta="$(grep -o '<title>[^<]*</title>' "${PAGE_FILES[$i]}" | head -n 1)"
	tb="$(grep -o '<title>[^<]*</title>' "$TMP/pages/check-b.html" | head -n 1)"
	[[ -n "$ta" && "$ta" == "$tb" ]] || die "A and B serve different ${PAGE_PATHS[$i]}: $ta vs $tb"
done

# ---------------------------------------------------------------- nginx

# start_nginx DIR NAME: check and start nginx on DIR/nginx.conf; sets NG_PID_<NAME>.
start_nginx() {
	local dir="$1" name="$2" url="$3" pid
	"$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" || die "nginx -t failed for $dir/nginx.conf"
	"${SERVER_PIN[@]}" "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	printf -v "NG_PID_$name" '%s' "$pid"
	wait_http "$url" "$pid" "nginx $name" "$dir/error.log"
}

# The load balancer: round-robin over A and B, keep-alive connections to
# them (without "keepalive" nginx would open a connection per request).
{
	nginx_conf "$TMP/lb"
	cat <<EOF
    upstream newsdesk {
        server 127.0.0.1:$PORT_A;
        server 127.0.0.1:$PORT_B;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$LB_PORT;
        location / {
            proxy_pass http://newsdesk;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            add_header X-Upstream \$upstream_addr always;
        }
    }
}
EOF
} >"$TMP/lb/nginx.conf"
start_nginx "$TMP/lb" lb "$LB_BASE/healthz"

# Both instances really answer through the balancer.
declare -A SEEN=()
for _ in 1 2 3 4 5 6; do
	up="$(curl -sS -o /dev/null -D - "$LB_BASE$ARTICLE_PATH" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-upstream" {print $2}')"
	SEEN[$up]=1
done
[[ -n "${SEEN[127.0.0.1:$PORT_A]:-}" && -n "${SEEN[127.0.0.1:$PORT_B]:-}" ]] ||
	die "the balancer did not reach both instances: ${!SEEN[*]}"
log "the balancer answers from A (127.0.0.1:$PORT_A) and B (127.0.0.1:$PORT_B)"

NG_BASE=""
if wants nginx; then
	NG_PORT="$(free_port)"
	NG_BASE="http://127.0.0.1:$NG_PORT"
	cp "${PAGE_FILES[@]}" "$TMP/static/"
	{
		nginx_conf "$TMP/static"
		printf '    server {\n        listen 127.0.0.1:%s;\n        root %s;\n' "$NG_PORT" "$TMP/static"
		for i in "${!PAGE_NAMES[@]}"; do
			printf '        location = %s { default_type "text/html; charset=utf-8"; try_files /%s =404; }\n' \
				"${PAGE_PATHS[$i]}" "$(basename "${PAGE_FILES[$i]}")"
		done
		printf '        location / { return 404; }\n    }\n}\n'
	} >"$TMP/static/nginx.conf"
	start_nginx "$TMP/static" static "$NG_BASE${PAGE_PATHS[0]}"
	for i in "${!PAGE_NAMES[@]}"; do
		fetch "$NG_BASE${PAGE_PATHS[$i]}" "$TMP/pages/check.html"
		cmp -s "$TMP/pages/check.html" "${PAGE_FILES[$i]}" || die "nginx does not serve the bytes A served for ${PAGE_PATHS[$i]}"
	done
fi

# ---------------------------------------------------------------- wrk

CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# wait_idle "PID...": wait (at most 5 min) until the processes use under 5 %
# of a core for two seconds running: the demo's image-variant jobs run
# for a while after start and would take the servers' CPU from the load.
wait_idle() {
	local c0 c1 quiet=0 i
	for ((i = 0; i < 300; i++)); do
		c0="$(cpu_ticks "$1")"
		sleep 1
		c1="$(cpu_ticks "$1")"
		[[ -n "$c0" && -n "$c1" ]] || return 0
		if ((100 * (c1 - c0) < 5 * CLK_TCK)); then
			quiet=$((quiet + 1))
			((quiet < 2)) || return 0
		else
			quiet=0
		fi
	done
	log "warning: the servers are still busy after 5 minutes"
}
IDLE_PIDS="$PID_a $PID_b ${PID_sqlite:-}"
log "waiting until the instances are idle (background jobs done)"
wait_idle "$IDLE_PIDS"
declare -A R_RPS R_P99 R_ERR R_CPU R_CPUREQ R_SPLIT R_PROXY

# pages_served BASE: page requests an instance has answered (cache hits + misses).
pages_served() {
	curl -fsS --max-time 5 -H "Authorization: Bearer $METRICS_TOKEN" "$1/metrics" | awk '
		/^newsdesk_page_cache_(hits|misses)_total / { n += $2 } END { print n + 0 }'
}

RUN_ORDER=()
for s in sqlite pg-a lb nginx; do
	if wants "$s"; then RUN_ORDER+=("$s"); fi
done
((${#RUN_ORDER[@]} > 0)) || die "SERVERS=\"$SERVERS\" names none of: sqlite pg-a lb nginx"

for ((r = 1; r <= ROUNDS; r++)); do
	for i in "${!PAGE_NAMES[@]}"; do
		for s in "${RUN_ORDER[@]}"; do
			case "$s" in
			sqlite) measure sqlite "$SQ_BASE" "$PID_sqlite" "$i" "$r" ;;
			pg-a) measure pg-a "$A_BASE" "$PID_a" "$i" "$r" ;;
			lb)
				a0="$(pages_served "$A_BASE")"
				b0="$(pages_served "$B_BASE")"
				n0="$(cpu_ticks "$NG_PID_lb")"
				t0="$(cpu_ticks "$NG_PID_lb $PID_a $PID_b")"
				measure lb "$LB_BASE" "$NG_PID_lb $PID_a $PID_b" "$i" "$r"
				n1="$(cpu_ticks "$NG_PID_lb")"
				t1="$(cpu_ticks "$NG_PID_lb $PID_a $PID_b")"
				a1="$(pages_served "$A_BASE")"
				b1="$(pages_served "$B_BASE")"
				# nginx's part of the lb CPU (warm-up included; a share, so comparable)
				R_PROXY[lb,${PAGE_NAMES[$i]},$r]="$(awk -v n="$((n1 - n0))" -v t="$((t1 - t0))" \
					'BEGIN { if (t > 0) printf "%.1f", 100 * n / t }')"
				R_SPLIT[lb,${PAGE_NAMES[$i]},$r]="$(awk -v a="$((a1 - a0))" -v b="$((b1 - b0))" \
					'BEGIN { if (a + b == 0) print "-"; else printf "%.0f/%.0f", 100 * a / (a + b), 100 * b / (a + b) }')"
				;;
			nginx) measure nginx "$NG_BASE" "$NG_PID_static" "$i" "$r" ;;
			esac
		done
	done
done

# ---------------------------------------------------------------- report

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
	echo "Newsdesk scale-out load benchmark"
	echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "commit:    $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
	echo "host:      $(uname -srm), $NCPU CPU(s), $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo '?'), load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
	echo "pinning:   $PINNING"
	echo "wrk:       -t$THREADS -c$CONNS -d$DURATION --latency (warm-up $WARMUP)"
	if ((ROUNDS > 1)); then
		echo "rounds:    $ROUNDS, interleaved; medians shown, errors summed"
	fi
	echo "sqlite:    one newsdesk serve --demo, SQLite under a fresh --data, GOMAXPROCS=1"
	echo "pg-a:      instance A alone: newsdesk serve --demo --db postgres://…/$PG_DBNAME (PostgreSQL $(psql -X -A -t -w -d "$PG_ADMIN" -c 'SHOW server_version' 2>/dev/null | awk '{print $1}')), GOMAXPROCS=1"
	echo "lb:        $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), 1 worker, round-robin to A and B (same --db, own --data, keep-alive upstream); cpu = nginx + A + B"
	echo "media:     $MEDIA_NOTE"
	if [[ -n "$NG_BASE" ]]; then
		echo "nginx:     $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), 1 worker, A's page bytes from disk"
	fi
	for i in "${!PAGE_NAMES[@]}"; do
		printf 'page:      %-8s %-14s %s bytes\n' "${PAGE_NAMES[$i]}" "${PAGE_PATHS[$i]}" "$(wc -c <"${PAGE_FILES[$i]}")"
	done
	echo
	printf '%-14s %-7s %10s %10s %7s %11s %9s %9s\n' page server req/s p99 errors "server cpu" cpu/req "A/B %"
	for i in "${!PAGE_NAMES[@]}"; do
		name="${PAGE_NAMES[$i]}"
		for s in "${RUN_ORDER[@]}"; do
			split="-"
			if [[ "$s" == "lb" ]]; then
				split="$(for ((r = 1; r <= ROUNDS; r++)); do printf '%s ' "${R_SPLIT[lb,$name,$r]}"; done)"
				split="${split% }"
				split="${split// /,}"
			fi
			printf '%-14s %-7s %10s %10s %7s %11s %9s %9s\n' "${PAGE_PATHS[$i]}" "$s" \
				"$(fmt '%.0f' "${RPS[$s,$name]}")" "$(fmt '%.2fms' "${P99[$s,$name]}")" "${ERRS[$s,$name]}" \
				"$(fmt '%.0f%%' "${CPU[$s,$name]}")" "$(fmt '%.1fus' "${CPUREQ[$s,$name]}")" "$split"
		done
	done
	if wants lb; then
		echo
		for i in "${!PAGE_NAMES[@]}"; do
			name="${PAGE_NAMES[$i]}"
			v="$(median R_PROXY lb "$name")"
			printf 'lb cpu/req %-14s %s of it nginx (%s), %s instances A + B (%s)\n' "${PAGE_PATHS[$i]}" \
				"$(fmt '%.0f%%' "$v")" "$(awk -v v="$v" -v c="${CPUREQ[lb,$name]}" 'BEGIN { if (v != "" && c != "") printf "%.1fus", c * v / 100; else print "-" }')" \
				"$(awk -v v="$v" 'BEGIN { if (v != "") printf "%.0f%%", 100 - v; else print "-" }')" \
				"$(awk -v v="$v" -v c="${CPUREQ[lb,$name]}" 'BEGIN { if (v != "" && c != "") printf "%.1fus", c * (100 - v) / 100; else print "-" }')"
		done
	fi
	if ((ROUNDS > 1)); then
		echo
		echo "req/s per round (lb: A/B share of the pages served, in %):"
		for i in "${!PAGE_NAMES[@]}"; do
			name="${PAGE_NAMES[$i]}"
			for s in "${RUN_ORDER[@]}"; do
				printf '%-14s %-7s' "${PAGE_PATHS[$i]}" "$s"
				for ((r = 1; r <= ROUNDS; r++)); do
					printf ' %9s' "$(fmt '%.0f' "${R_RPS[$s,$name,$r]}")"
					if [[ "$s" == "lb" ]]; then printf ' (%s)' "${R_SPLIT[lb,$name,$r]}"; fi
				done
				echo
			done
		done
	fi
	echo
	printf '%-14s %12s %12s %10s %22s\n' page lb/sqlite lb/nginx pg-a/sqlite "cpu/req lb/sqlite"
	for i in "${!PAGE_NAMES[@]}"; do
		name="${PAGE_NAMES[$i]}"
		printf '%-14s %12s %12s %10s %22s\n' "${PAGE_PATHS[$i]}" \
			"$(ratio "${RPS[lb,$name]:-}" "${RPS[sqlite,$name]:-}")" \
			"$(ratio "${RPS[lb,$name]:-}" "${RPS[nginx,$name]:-}")" \
			"$(ratio "${RPS[pg-a,$name]:-}" "${RPS[sqlite,$name]:-}")" \
			"$(ratio "${CPUREQ[lb,$name]:-}" "${CPUREQ[sqlite,$name]:-}")"
	done
	echo
	if [[ "$PINNING" != "no" ]]; then
		echo "All servers share CPU $SERVER_CPU: lb is two instances and the proxy on the one core"
		echo "the others get alone, so it shows the cost of the proxied path, not more capacity."
	fi
} >"$REPORT"

cat "$REPORT"
if [[ -n "$OUT" ]]; then
	mkdir -p "$(dirname "$OUT")"
	cp "$REPORT" "$OUT"
	log "wrote $OUT"
fi
