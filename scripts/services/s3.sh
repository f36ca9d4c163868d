# An S3-compatible server for the media tests. Sourced (not run) by
# scripts/test.sh under set -euo pipefail: builds versitygw (pinned) into a
# cache folder that outlives the clone, starts it on 127.0.0.1:7070 over a
# fresh folder under /tmp, makes the test bucket and exports
# NEWSDESK_TEST_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY and _BUCKET. A server
# already answering on the port with these credentials is reused. When none
# can be had, the variables stay unset and the S3 tests skip.

newsdesk_s3_version=v1.8.0
newsdesk_s3_port=7070
newsdesk_s3_endpoint=http://127.0.0.1:$newsdesk_s3_port
newsdesk_s3_access=newsdesk-test
newsdesk_s3_secret=newsdesk-test-secret
newsdesk_s3_bucket=newsdesk-test
newsdesk_s3_dir=/tmp/newsdesk-s3-$newsdesk_s3_port
newsdesk_s3_bin=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/newsdesk/bin/versitygw-$newsdesk_s3_version

# newsdesk_s3_answers succeeds when something accepts connections on the port.
newsdesk_s3_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$newsdesk_s3_port") 2>/dev/null
}

# newsdesk_s3_request sends a signed request without a body and prints the
# HTTP status: METHOD PATH.
newsdesk_s3_request() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X "$1" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$newsdesk_s3_access:$newsdesk_s3_secret" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "$newsdesk_s3_endpoint$2" || true
}

newsdesk_s3_build() {
  local gobin
  [ -x "$newsdesk_s3_bin" ] && return 0
  command -v go >/dev/null 2>&1 || {
    echo "s3.sh: no go command to build versitygw with" >&2
    return 1
  }
  echo "s3.sh: building versitygw $newsdesk_s3_version into $(dirname "$newsdesk_s3_bin") (a few minutes, once)"
  mkdir -p "$(dirname "$newsdesk_s3_bin")" || return 1
  gobin=$(mktemp -d) || return 1
  if ! (cd /tmp && GOBIN=$gobin GOFLAGS=-buildvcs=false go install "github.com/versity/versitygw/cmd/versitygw@$newsdesk_s3_version") >"$gobin.log" 2>&1; then
    echo "s3.sh: building versitygw failed:" >&2
    tail -n 20 "$gobin.log" >&2
    rm -rf "$gobin" "$gobin.log"
    return 1
  fi
  mv "$gobin/versitygw" "$newsdesk_s3_bin" && rm -rf "$gobin" "$gobin.log"
}

# newsdesk_s3_stop PID stops the server this script started.
newsdesk_s3_stop() {
  echo "s3.sh: stopping versitygw on 127.0.0.1:$newsdesk_s3_port"
  kill "$1" 2>/dev/null || true
}

newsdesk_s3_start() {
  local i status
  command -v curl >/dev/null 2>&1 || {
    echo "s3.sh: curl is needed to make the test bucket (apt-get install curl)" >&2
    return 1
  }
  if newsdesk_s3_answers; then
    echo "s3.sh: reusing the server on 127.0.0.1:$newsdesk_s3_port"
  else
    newsdesk_s3_build || return 1
    rm -rf "$newsdesk_s3_dir"
    mkdir -p "$newsdesk_s3_dir/root" || return 1
    echo "s3.sh: starting versitygw on 127.0.0.1:$newsdesk_s3_port, data in $newsdesk_s3_dir/root"
    # Its own session, every stream on a file: the server holds none of the
    # caller's pipes. scripts/test.sh stops it at the end unless
    # NEWSDESK_KEEP_SERVICES=1, and a next run reuses one left running.
    setsid "$newsdesk_s3_bin" --access "$newsdesk_s3_access" --secret "$newsdesk_s3_secret" \
      --port "127.0.0.1:$newsdesk_s3_port" --quiet posix "$newsdesk_s3_dir/root" \
      </dev/null >"$newsdesk_s3_dir/server.log" 2>&1 &
    echo $! >"$newsdesk_s3_dir/server.pid"
    # scripts/test.sh stops on exit what it started (newsdesk_services_stop).
    newsdesk_services_started+=("newsdesk_s3_stop $!")
    for i in $(seq 1 60); do
      newsdesk_s3_answers && break
      sleep 1
    done
    newsdesk_s3_answers || {
      echo "s3.sh: versitygw does not answer, see $newsdesk_s3_dir/server.log" >&2
      return 1
    }
  fi

  # 200: made; 409: it is there already and ours.
  status=$(newsdesk_s3_request PUT "/$newsdesk_s3_bucket")
  case $status in
  200 | 409) ;;
  403)
    echo "s3.sh: the server on 127.0.0.1:$newsdesk_s3_port refuses the test credentials (is it another server? stop it)" >&2
    return 1
    ;;
  *)
    echo "s3.sh: could not make the bucket $newsdesk_s3_bucket (HTTP $status)" >&2
    return 1
    ;;
  esac
  status=$(newsdesk_s3_request HEAD "/$newsdesk_s3_bucket")
  [ "$status" = 200 ] || {
    echo "s3.sh: the bucket $newsdesk_s3_bucket does not answer (HTTP $status)" >&2
    return 1
  }
  export NEWSDESK_TEST_S3_ENDPOINT=$newsdesk_s3_endpoint
  export NEWSDESK_TEST_S3_ACCESS_KEY=$newsdesk_s3_access
  export NEWSDESK_TEST_S3_SECRET_KEY=$newsdesk_s3_secret
  export NEWSDESK_TEST_S3_BUCKET=$newsdesk_s3_bucket
  echo "s3.sh: NEWSDESK_TEST_S3_ENDPOINT=$NEWSDESK_TEST_S3_ENDPOINT bucket $NEWSDESK_TEST_S3_BUCKET"
}

if [ -n "${NEWSDESK_TEST_S3_ENDPOINT:-}" ]; then
  echo "s3.sh: using NEWSDESK_TEST_S3_* from the environment"
else
  newsdesk_s3_start || echo "s3.sh: no S3-compatible server; the S3 tests will skip" >&2
fi
