# A real OpenID Connect provider for the campus sign-in tests. Sourced (not
# run) by scripts/test.sh under set -euo pipefail: installs the npm
# oidc-provider pinned in scripts/services/oidc/ (npm ci, when its
# node_modules is missing or older than the lockfile), starts
# scripts/services/oidc/provider.mjs on 127.0.0.1:7090 and exports
# NEWSDESK_TEST_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET. A provider
# already answering there as this issuer is reused. When none can be had,
# the variables stay unset and the OpenID tests skip.

newsdesk_oidc_port=7090
newsdesk_oidc_issuer=http://127.0.0.1:$newsdesk_oidc_port
newsdesk_oidc_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/oidc" && pwd)
newsdesk_oidc_log=/tmp/newsdesk-oidc-$newsdesk_oidc_port.log

# newsdesk_oidc_answers succeeds when the provider's discovery document
# names this issuer.
newsdesk_oidc_answers() {
  curl -s --max-time 5 "$newsdesk_oidc_issuer/.well-known/openid-configuration" 2>/dev/null |
    grep -q "\"issuer\":\"$newsdesk_oidc_issuer\""
}

# newsdesk_oidc_stop PID stops the provider this script started.
newsdesk_oidc_stop() {
  echo "oidc.sh: stopping oidc-provider at $newsdesk_oidc_issuer"
  kill "$1" 2>/dev/null || true
}

newsdesk_oidc_start() {
  local i
  command -v curl >/dev/null 2>&1 || {
    echo "oidc.sh: curl is needed to check the provider (apt-get install curl)" >&2
    return 1
  }
  if newsdesk_oidc_answers; then
    echo "oidc.sh: reusing the provider at $newsdesk_oidc_issuer"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || {
    echo "oidc.sh: no node/npm to run oidc-provider with" >&2
    return 1
  }
  if [ ! -d "$newsdesk_oidc_dir/node_modules/oidc-provider" ] ||
    [ "$newsdesk_oidc_dir/package-lock.json" -nt "$newsdesk_oidc_dir/node_modules/.package-lock.json" ]; then
    echo "oidc.sh: npm ci in $newsdesk_oidc_dir"
    (cd "$newsdesk_oidc_dir" && npm ci --no-audit --no-fund --loglevel=error) >&2 || return 1
  fi
  echo "oidc.sh: starting oidc-provider at $newsdesk_oidc_issuer, log in $newsdesk_oidc_log"
  # Its own session, every stream on a file: the provider holds none of the
  # caller's pipes. scripts/test.sh stops it at the end unless
  # NEWSDESK_KEEP_SERVICES=1, and a next run reuses one left running.
  (cd "$newsdesk_oidc_dir" && OIDC_PORT=$newsdesk_oidc_port setsid node provider.mjs </dev/null >"$newsdesk_oidc_log" 2>&1 &
    echo $! >"$newsdesk_oidc_log.pid")
  # scripts/test.sh stops on exit what it started (newsdesk_services_stop).
  newsdesk_services_started+=("newsdesk_oidc_stop $(cat "$newsdesk_oidc_log.pid")")
  for i in $(seq 1 60); do
    newsdesk_oidc_answers && return 0
    sleep 1
  done
  echo "oidc.sh: oidc-provider does not answer, see $newsdesk_oidc_log" >&2
  return 1
}

if [ -n "${NEWSDESK_TEST_OIDC_ISSUER:-}" ]; then
  echo "oidc.sh: using NEWSDESK_TEST_OIDC_* from the environment"
elif newsdesk_oidc_start; then
  export NEWSDESK_TEST_OIDC_ISSUER=$newsdesk_oidc_issuer
  export NEWSDESK_TEST_OIDC_CLIENT_ID=newsdesk
  export NEWSDESK_TEST_OIDC_CLIENT_SECRET=newsdesk-test-secret
  echo "oidc.sh: NEWSDESK_TEST_OIDC_ISSUER=$NEWSDESK_TEST_OIDC_ISSUER"
else
  echo "oidc.sh: no OpenID provider; the OpenID sign-in tests will skip" >&2
fi
