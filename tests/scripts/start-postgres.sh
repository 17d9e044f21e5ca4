#!/usr/bin/env bash
# Starts a private PostgreSQL server for the trial-store tests on 127.0.0.1 and prints its connection string
# (and nothing else) on stdout, for:  export DISTILLML_TEST_POSTGRES="$(bash tests/scripts/start-postgres.sh)"
# Idempotent: installs Debian's postgresql when missing, creates the cluster once, starts it when it is not running,
# creates the role and database when missing. Works as root (the server then runs as the postgres user) or as a user.
# Settings: DISTILLML_PG_PORT (55432), DISTILLML_PG_DATA (/var/tmp/distillml-pg). A test server: fsync is off.
set -euo pipefail

port="${DISTILLML_PG_PORT:-55432}"
data="${DISTILLML_PG_DATA:-/var/tmp/distillml-pg}"
role=distillml
password=distillml
database=distillml_test

log() { echo "start-postgres: $*" >&2; }

find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }

bindir="$(find_bindir)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  log "installing postgresql from Debian"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends postgresql >&2
  bindir="$(find_bindir)"
fi

# The server refuses to run as root: as root, run it as the postgres user that the package creates.
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

mkdir -p "$data"
chown "$owner" "$data"
chmod 700 "$data"

if [ ! -s "$data/PG_VERSION" ]; then
  log "creating a cluster in $data"
  as_owner "$bindir/initdb" -D "$data" -U postgres -E UTF8 --no-locale --auth-local=trust --auth-host=scram-sha-256 >&2
fi

if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  log "already running on port $port"
else
  log "starting on 127.0.0.1:$port"
  as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >&2 || { cat "$data/server.log" >&2; exit 1; }
fi

psql_admin() { as_owner "$bindir/psql" -h "$data" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_admin -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;" >&2
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database';")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $database OWNER $role;" >&2
fi

echo "Host=127.0.0.1;Port=$port;Username=$role;Password=$password;Database=$database"
