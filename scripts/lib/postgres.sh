# shellcheck shell=bash
# Finds or starts a PostgreSQL server for tests and benchmarks.
# Source it, then call `ensure_postgres`; it exports DATABASE_URL (an admin
# URL: tests create and drop databases through it). Order:
#   1. DATABASE_URL when already set;
#   2. a server answering on 127.0.0.1:5432 that accepts trust login as postgres;
#   3. a throwaway cluster from the installed binaries (apt-get installs
#      postgresql when missing), on a free port, stopped by `stop_postgres`.
# INNSYN_PG_FORCE_THROWAWAY=1 skips 1 and 2 (to test the throwaway path).
#
#   source scripts/lib/postgres.sh
#   ensure_postgres
#   trap stop_postgres EXIT

INNSYN_PG_DIR=""

_pg_log() { echo "postgres.sh: $*" >&2; }

_pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

_pg_free_port() {
    local port
    for port in $(seq 55432 55532); do
        if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Runs a PostgreSQL tool as the postgres user when we are root (initdb and
# postgres refuse to run as root).
_pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_pg_start_throwaway() {
    local bindir port
    bindir=$(_pg_bindir)
    if [ -z "$bindir" ]; then
        _pg_log "installing postgresql with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null || return 1
        bindir=$(_pg_bindir) || return 1
    fi
    port=$(_pg_free_port) || { _pg_log "no free port"; return 1; }
    INNSYN_PG_DIR=$(mktemp -d /tmp/innsyn-pg.XXXXXX) || return 1
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$INNSYN_PG_DIR" || return 1
    fi
    _pg_as_owner "$bindir/initdb" -D "$INNSYN_PG_DIR/data" -U postgres --auth=trust -E UTF8 \
        >"$INNSYN_PG_DIR/initdb.log" 2>&1 || { _pg_log "initdb failed: $INNSYN_PG_DIR/initdb.log"; return 1; }
    _pg_as_owner "$bindir/pg_ctl" -D "$INNSYN_PG_DIR/data" -l "$INNSYN_PG_DIR/server.log" -w \
        -o "-p $port -k $INNSYN_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null || { _pg_log "pg_ctl start failed: $INNSYN_PG_DIR/server.log"; return 1; }
    INNSYN_PG_BINDIR=$bindir
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
    _pg_log "started a throwaway cluster on port $port ($INNSYN_PG_DIR)"
}

ensure_postgres() {
    if [ -n "${DATABASE_URL:-}" ] && [ "${INNSYN_PG_FORCE_THROWAWAY:-0}" != 1 ]; then
        export DATABASE_URL
        return 0
    fi
    if [ "${INNSYN_PG_FORCE_THROWAWAY:-0}" != 1 ] \
        && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 \
        && command -v psql >/dev/null \
        && psql -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
        _pg_log "using the server on 127.0.0.1:5432"
        return 0
    fi
    _pg_start_throwaway
}

# Stops and removes the throwaway cluster, if this shell started one.
# Safe to call more than once and from an EXIT trap.
stop_postgres() {
    if [ -n "$INNSYN_PG_DIR" ] && [ -d "$INNSYN_PG_DIR" ]; then
        _pg_as_owner "$INNSYN_PG_BINDIR/pg_ctl" -D "$INNSYN_PG_DIR/data" -m fast -w stop >/dev/null 2>&1
        rm -rf "$INNSYN_PG_DIR"
        INNSYN_PG_DIR=""
    fi
}
