#!/usr/bin/env bash
# Newsdesk's static export next to Hugo, on the same articles (issue 14).
#
# Generates (or reuses) a site of N articles with bench/sitegen, writes the
# same articles as a Hugo site with bench/hugogen (Markdown with front
# matter, same columns, titles, summaries, bodies and dates; a minimal
# theme with list pagination, RSS, the sitemap and 8 related articles per
# page), then times in the same run, with /usr/bin/time -v, a full build
# of each into a fresh folder: wall time, CPU time (user + system) and
# peak resident memory. Hugo is Debian's package, installed when missing.
#
#   N=10000 bench/hugo.sh              # data in /tmp/newsdesk-site-N, kept
#   OUT=/dev/shm/hugo-bench N=10000 bench/hugo.sh   # build into memory
#
# The machine is shared: read CPU time next to wall time, and compare the
# two builds of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
DATA=${DATA:-/tmp/newsdesk-site-$N}
OUT=${OUT:-$(mktemp -d)}
if ! command -v hugo >/dev/null; then
	sudo=()
	[ "$(id -u)" = 0 ] || sudo=(sudo)
	echo "hugo.sh: installing hugo from Debian's packages" >&2
	"${sudo[@]}" apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends hugo >&2
fi
BIN=$(mktemp -d)
go build -o "$BIN/newsdesk" ./cmd/newsdesk
go build -o "$BIN/hugogen" ./bench/hugogen
if [ ! -f "$DATA/newsdesk.db" ]; then
	go run ./bench/sitegen -n "$N" -data "$DATA"
fi
HUGO_SRC=$OUT/hugo-src
rm -rf "$HUGO_SRC" "$OUT/hugo-public" "$OUT/newsdesk-public" "$OUT/newsdesk-public.sha256"
"$BIN/hugogen" -data "$DATA" -out "$HUGO_SRC"
report() { # name, file of time -v
	awk -v n="$1" -F': ' '
		/Elapsed \(wall clock\)/ { w = $2 }
		/User time/ { u = $2 } /System time/ { s = $2 }
		/Maximum resident set size/ { m = $2 }
		END {
			k = split(w, t, ":"); secs = (k == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2]
			printf "%-9s wall %7.2f s  cpu %7.2f s  peak RSS %6.0f MB\n", n, secs, u + s, m / 1024
		}' "$2"
}
files() { find "$1" -type f | wc -l; }
/usr/bin/time -v "$BIN/newsdesk" export static --data "$DATA" --out "$OUT/newsdesk-public" --log-level warn >/dev/null 2>"$OUT/newsdesk.time"
/usr/bin/time -v hugo --quiet -s "$HUGO_SRC" -d "$OUT/hugo-public" >/dev/null 2>"$OUT/hugo.time"
echo "articles: $N, output under $OUT"
report newsdesk "$OUT/newsdesk.time"
echo "          $(files "$OUT/newsdesk-public") files (HTML, feeds, sitemaps and their .gz)"
report hugo "$OUT/hugo.time"
echo "          $(files "$OUT/hugo-public") files"
