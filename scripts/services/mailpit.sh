# A real SMTP server for the mail tests. Sourced (not run) by
# scripts/test.sh under set -euo pipefail: builds mailpit (pinned) into a
# cache folder that outlives the clone, starts it on 127.0.0.1 (SMTP on
# 51025, its HTTP API on 58025; any user name and password accepted, in the
# clear: it is the loopback) over a fresh database under /tmp, and exports
# NEWSDESK_TEST_SMTP (the smtp:// URL to send to) and NEWSDESK_TEST_MAILPIT
# (the API's base URL, where tests read the messages back). A server already
# answering on both ports is reused. When none can be had, the variables
# stay unset and the mail tests skip.

newsdesk_mailpit_version=v1.33.1
newsdesk_mailpit_smtp_port=51025
newsdesk_mailpit_http_port=58025
newsdesk_mailpit_dir=/tmp/newsdesk-mailpit-$newsdesk_mailpit_smtp_port
newsdesk_mailpit_bin=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/newsdesk/bin/mailpit-$newsdesk_mailpit_version

# newsdesk_mailpit_answers succeeds when both ports accept connections.
newsdesk_mailpit_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$newsdesk_mailpit_smtp_port") 2>/dev/null &&
    (exec 3<>"/dev/tcp/127.0.0.1/$newsdesk_mailpit_http_port") 2>/dev/null
}

newsdesk_mailpit_build() {
  local gobin
  [ -x "$newsdesk_mailpit_bin" ] && return 0
  command -v go >/dev/null 2>&1 || {
    echo "mailpit.sh: no go command to build mailpit with" >&2
    return 1
  }
  echo "mailpit.sh: building mailpit $newsdesk_mailpit_version into $(dirname "$newsdesk_mailpit_bin") (a few minutes, once)"
  mkdir -p "$(dirname "$newsdesk_mailpit_bin")" || return 1
  gobin=$(mktemp -d) || return 1
  if ! (cd /tmp && GOBIN=$gobin GOFLAGS=-buildvcs=false go install "github.com/axllent/mailpit@$newsdesk_mailpit_version") >"$gobin.log" 2>&1; then
    echo "mailpit.sh: building mailpit failed:" >&2
    tail -n 20 "$gobin.log" >&2
    rm -rf "$gobin" "$gobin.log"
    return 1
  fi
  mv "$gobin/mailpit" "$newsdesk_mailpit_bin" && rm -rf "$gobin" "$gobin.log"
}

newsdesk_mailpit_start() {
  local i
  if newsdesk_mailpit_answers; then
    echo "mailpit.sh: reusing the server on 127.0.0.1:$newsdesk_mailpit_smtp_port"
  else
    newsdesk_mailpit_build || return 1
    rm -rf "$newsdesk_mailpit_dir"
    mkdir -p "$newsdesk_mailpit_dir" || return 1
    echo "mailpit.sh: starting mailpit, SMTP on 127.0.0.1:$newsdesk_mailpit_smtp_port, API on 127.0.0.1:$newsdesk_mailpit_http_port"
    # Its own session, every stream on a file: the server outlives this
    # script (the next run reuses it) and holds none of the caller's pipes.
    setsid "$newsdesk_mailpit_bin" --smtp "127.0.0.1:$newsdesk_mailpit_smtp_port" --listen "127.0.0.1:$newsdesk_mailpit_http_port" \
      --database "$newsdesk_mailpit_dir/mailpit.db" --smtp-auth-accept-any --smtp-auth-allow-insecure --smtp-disable-rdns \
      --disable-version-check --quiet \
      </dev/null >"$newsdesk_mailpit_dir/server.log" 2>&1 &
    echo $! >"$newsdesk_mailpit_dir/server.pid"
    for i in $(seq 1 30); do
      newsdesk_mailpit_answers && break
      sleep 1
    done
    newsdesk_mailpit_answers || {
      echo "mailpit.sh: mailpit does not answer, see $newsdesk_mailpit_dir/server.log" >&2
      return 1
    }
  fi
  export NEWSDESK_TEST_SMTP=smtp://127.0.0.1:$newsdesk_mailpit_smtp_port
  export NEWSDESK_TEST_MAILPIT=http://127.0.0.1:$newsdesk_mailpit_http_port
  echo "mailpit.sh: NEWSDESK_TEST_SMTP=$NEWSDESK_TEST_SMTP NEWSDESK_TEST_MAILPIT=$NEWSDESK_TEST_MAILPIT"
}

if [ -n "${NEWSDESK_TEST_SMTP:-}" ]; then
  echo "mailpit.sh: using NEWSDESK_TEST_SMTP from the environment"
else
  newsdesk_mailpit_start || echo "mailpit.sh: no SMTP server; the mail tests will skip" >&2
fi
