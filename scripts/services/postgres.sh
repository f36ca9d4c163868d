# PostgreSQL for the store tests. Sourced (not run) by scripts/test.sh under
# set -euo pipefail: installs Debian's postgresql when missing (as root),
# starts a throwaway cluster under /tmp on 127.0.0.1:55432 (fsync and autovacuum off: the
# data is disposable) and exports NEWSDESK_TEST_POSTGRES, a DSN of a role
# that may create databases; each test creates its own. A server already
# answering on the port is reused. When none can be had, the variable stays
# unset and the PostgreSQL tests skip.

newsdesk_pg_port=55432
newsdesk_pg_dir=/tmp/newsdesk-postgres-$newsdesk_pg_port
newsdesk_pg_role=newsdesk
newsdesk_pg_password=newsdesk-test
newsdesk_pg_dsn="postgres://$newsdesk_pg_role:$newsdesk_pg_password@127.0.0.1:$newsdesk_pg_port/postgres?sslmode=disable"

# newsdesk_pg_bin prints the newest installed server's bin folder.
newsdesk_pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

# newsdesk_pg_as runs a command as the cluster's owner: postgres refuses to
# run as root, so root hands it to the postgres OS user.
newsdesk_pg_as() {
  if [ "$(id -u)" = 0 ]; then
    (cd /tmp && runuser -u postgres -- "$@")
  else
    (cd /tmp && "$@")
  fi
}

# newsdesk_as_pg_stop BIN DATA stops the cluster this script started.
newsdesk_as_pg_stop() {
  echo "postgres.sh: stopping PostgreSQL on 127.0.0.1:$newsdesk_pg_port"
  newsdesk_pg_as "$1/pg_ctl" -D "$2" -m fast -w stop >/dev/null || true
}

newsdesk_pg_start() {
  local bin data log i
  bin=$(newsdesk_pg_bin) || bin=
  if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "postgres.sh: PostgreSQL is not installed and this is not root; install Debian's postgresql package (or set NEWSDESK_TEST_POSTGRES to a server's DSN) to run the PostgreSQL tests" >&2
      return 1
    fi
    echo "postgres.sh: installing postgresql"
    # Lock::Timeout: wait for Debian's own updates on a freshly booted machine.
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postgresql >/dev/null || {
      echo "postgres.sh: could not install postgresql" >&2
      return 1
    }
    bin=$(newsdesk_pg_bin) || {
      echo "postgres.sh: postgresql installed but no server found under /usr/lib/postgresql" >&2
      return 1
    }
  fi

  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$newsdesk_pg_port"; then
    echo "postgres.sh: reusing the server on 127.0.0.1:$newsdesk_pg_port"
  else
    data=$newsdesk_pg_dir/data
    log=$newsdesk_pg_dir/server.log
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$newsdesk_pg_dir"
      mkdir -p "$newsdesk_pg_dir"
      if [ "$(id -u)" = 0 ]; then chown postgres: "$newsdesk_pg_dir"; fi
      newsdesk_pg_as "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$newsdesk_pg_dir/initdb.log" 2>&1 || {
        echo "postgres.sh: initdb failed, see $newsdesk_pg_dir/initdb.log" >&2
        return 1
      }
    fi
    echo "postgres.sh: starting PostgreSQL ($bin) on 127.0.0.1:$newsdesk_pg_port, data in $data"
    # scripts/test.sh stops on exit what it started (newsdesk_services_stop).
    newsdesk_services_started+=("newsdesk_as_pg_stop $bin $data")
    newsdesk_pg_as "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 -o \
      "-c listen_addresses=127.0.0.1 -c port=$newsdesk_pg_port -c unix_socket_directories=$newsdesk_pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c autovacuum=off" \
      start >/dev/null || {
      echo "postgres.sh: the server did not start, see $log" >&2
      return 1
    }
    for i in $(seq 1 60); do
      "$bin/pg_isready" -q -h 127.0.0.1 -p "$newsdesk_pg_port" && break
      sleep 1
    done
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$newsdesk_pg_port" || {
      echo "postgres.sh: the server does not answer, see $log" >&2
      return 1
    }
    # The role the tests connect as; over the cluster's own socket, where
    # the postgres superuser is trusted.
    newsdesk_pg_as "$bin/psql" -q -h "$newsdesk_pg_dir" -p "$newsdesk_pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "
      DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$newsdesk_pg_role') THEN
          CREATE ROLE $newsdesk_pg_role LOGIN CREATEDB CREATEROLE PASSWORD '$newsdesk_pg_password';
        END IF;
        -- CREATEROLE: the audit test makes a role that may not change audit rows.
        ALTER ROLE $newsdesk_pg_role CREATEROLE;
      END \$\$;" >/dev/null || {
      echo "postgres.sh: could not create the role $newsdesk_pg_role" >&2
      return 1
    }
  fi

  PGPASSWORD=$newsdesk_pg_password PGCONNECT_TIMEOUT=10 "$bin/psql" -q -w -d "$newsdesk_pg_dsn" -c 'SELECT 1' >/dev/null 2>&1 || {
    echo "postgres.sh: cannot sign in as $newsdesk_pg_role on 127.0.0.1:$newsdesk_pg_port (is it another server? stop it or remove $newsdesk_pg_dir)" >&2
    return 1
  }
  export NEWSDESK_TEST_POSTGRES=$newsdesk_pg_dsn
  echo "postgres.sh: NEWSDESK_TEST_POSTGRES=$NEWSDESK_TEST_POSTGRES"
}

if [ -n "${NEWSDESK_TEST_POSTGRES:-}" ]; then
  echo "postgres.sh: using NEWSDESK_TEST_POSTGRES from the environment"
else
  newsdesk_pg_start || echo "postgres.sh: no PostgreSQL server; the PostgreSQL tests will skip" >&2
fi
