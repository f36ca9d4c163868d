# A real SMTP server for the mail tests. Sourced (not run) by
# scripts/test.sh under set -euo pipefail: builds mailpit (pinned) into a
# cache folder that outlives the clone and starts three instances on
# 127.0.0.1, each over a fresh database under /tmp:
#   plain     SMTP 51025, API 58025: any user name and password, in the clear
#             (it is the loopback) -> NEWSDESK_TEST_SMTP, NEWSDESK_TEST_MAILPIT
#   STARTTLS  SMTP 51026, API 58026: STARTTLS and sign-in required
#             -> NEWSDESK_TEST_SMTP_STARTTLS, NEWSDESK_TEST_MAILPIT_STARTTLS
#   TLS       SMTP 51027, API 58027: TLS from the first byte (smtps), sign-in
#             required -> NEWSDESK_TEST_SMTPS, NEWSDESK_TEST_MAILPIT_SMTPS
# The TLS instances use a self-signed certificate for 127.0.0.1 made with
# openssl, exported as NEWSDESK_TEST_SMTP_CA for the tests to trust. Tests
# read the messages back through each instance's HTTP API. Servers already
# answering are reused. When none can be had, the variables stay unset and
# the mail tests skip.

newsdesk_mailpit_version=v1.33.1
newsdesk_mailpit_dir=/tmp/newsdesk-mailpit-51025
newsdesk_mailpit_bin=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/newsdesk/bin/mailpit-$newsdesk_mailpit_version

# newsdesk_mailpit_answers SMTP_PORT HTTP_PORT succeeds when both accept
# connections.
newsdesk_mailpit_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null
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

newsdesk_mailpit_user=newsdesk
newsdesk_mailpit_password=newsdesk-smtp-test

# newsdesk_mailpit_run NAME SMTP_PORT HTTP_PORT ARGS…: starts one instance
# (unless both its ports answer) with its data under the instance's folder.
newsdesk_mailpit_run() {
  local name=$1 smtp=$2 http=$3 dir=$newsdesk_mailpit_dir/$1 i
  shift 3
  if newsdesk_mailpit_answers "$smtp" "$http"; then
    echo "mailpit.sh: reusing the $name server on 127.0.0.1:$smtp"
    return 0
  fi
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  echo "mailpit.sh: starting mailpit ($name), SMTP on 127.0.0.1:$smtp, API on 127.0.0.1:$http"
  # Its own session, every stream on a file: the server outlives this
  # script (the next run reuses it) and holds none of the caller's pipes.
  setsid "$newsdesk_mailpit_bin" --smtp "127.0.0.1:$smtp" --listen "127.0.0.1:$http" \
    --database "$dir/mailpit.db" --smtp-disable-rdns --disable-version-check --quiet "$@" \
    </dev/null >"$dir/server.log" 2>&1 &
  echo $! >"$dir/server.pid"
  for i in $(seq 1 30); do
    newsdesk_mailpit_answers "$smtp" "$http" && return 0
    sleep 1
  done
  echo "mailpit.sh: mailpit ($name) does not answer, see $dir/server.log" >&2
  return 1
}

newsdesk_mailpit_start() {
  local cert=$newsdesk_mailpit_dir/cert.pem key=$newsdesk_mailpit_dir/key.pem auth=$newsdesk_mailpit_dir/smtp-users
  newsdesk_mailpit_build || return 1
  mkdir -p "$newsdesk_mailpit_dir" || return 1
  newsdesk_mailpit_run plain 51025 58025 --smtp-auth-accept-any --smtp-auth-allow-insecure || return 1
  export NEWSDESK_TEST_SMTP=smtp://127.0.0.1:51025
  export NEWSDESK_TEST_MAILPIT=http://127.0.0.1:58025
  echo "mailpit.sh: NEWSDESK_TEST_SMTP=$NEWSDESK_TEST_SMTP NEWSDESK_TEST_MAILPIT=$NEWSDESK_TEST_MAILPIT"

  command -v openssl >/dev/null 2>&1 || {
    echo "mailpit.sh: no openssl to make a certificate with; the SMTP TLS tests will skip" >&2
    return 0
  }
  if [ ! -s "$cert" ] || ! newsdesk_mailpit_answers 51026 58026 || ! newsdesk_mailpit_answers 51027 58027; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$key" -out "$cert" >/dev/null 2>&1 || {
      echo "mailpit.sh: openssl could not make a certificate; the SMTP TLS tests will skip" >&2
      return 0
    }
    # Both TLS instances must use this certificate: restart them.
    local pid
    for pid in "$newsdesk_mailpit_dir"/starttls/server.pid "$newsdesk_mailpit_dir"/tls/server.pid; do
      [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
    done
    sleep 1
  fi
  echo "$newsdesk_mailpit_user:$newsdesk_mailpit_password" >"$auth"
  newsdesk_mailpit_run starttls 51026 58026 --smtp-tls-cert "$cert" --smtp-tls-key "$key" --smtp-require-starttls --smtp-auth-file "$auth" || return 0
  newsdesk_mailpit_run tls 51027 58027 --smtp-tls-cert "$cert" --smtp-tls-key "$key" --smtp-require-tls --smtp-auth-file "$auth" || return 0
  export NEWSDESK_TEST_SMTP_CA=$cert
  export NEWSDESK_TEST_SMTP_STARTTLS=smtp://$newsdesk_mailpit_user:$newsdesk_mailpit_password@127.0.0.1:51026
  export NEWSDESK_TEST_MAILPIT_STARTTLS=http://127.0.0.1:58026
  export NEWSDESK_TEST_SMTPS=smtps://$newsdesk_mailpit_user:$newsdesk_mailpit_password@127.0.0.1:51027
  export NEWSDESK_TEST_MAILPIT_SMTPS=http://127.0.0.1:58027
  echo "mailpit.sh: NEWSDESK_TEST_SMTP_STARTTLS and NEWSDESK_TEST_SMTPS (certificate $cert)"
}

if [ -n "${NEWSDESK_TEST_SMTP:-}" ]; then
  echo "mailpit.sh: using NEWSDESK_TEST_SMTP from the environment"
else
  newsdesk_mailpit_start || echo "mailpit.sh: no SMTP server; the mail tests will skip" >&2
fi
