# Throwaway PostgreSQL and Redis for tests, benchmarks and load tests.
# Source this file, then call start_postgres / start_redis, and install
# `trap stop_services EXIT`. Only processes started here are ever stopped.
# Exports: SERVICES_DIR, PG_PORT, PG_URL, REDIS_PORT, REDIS_URL.

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_services_dir() {
    if [[ -z "${SERVICES_DIR:-}" ]]; then
        SERVICES_DIR="$(mktemp -d)"
        export SERVICES_DIR
    fi
}

_pg_bin() {
    local d
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        # Resolve symlinks so createdb comes from the same installation.
        dirname "$(readlink -f "$(command -v initdb)")"
        return
    fi
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
    if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; fi
}

ensure_postgres() {
    PG_BIN="$(_pg_bin)"
    if [[ -z "$PG_BIN" ]]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
    fi
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd -r -m postgres
}

ensure_wrk() {
    if ! command -v wrk >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    fi
}

ensure_redis() {
    if ! command -v redis-server >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    fi
}

start_postgres() {
    ensure_postgres
    _services_dir
    chown postgres "$SERVICES_DIR"
    PG_DATA="$SERVICES_DIR/data"
    PG_PORT="$(free_port)"
    # Subshell cd: the postgres user may not be able to read the caller's cwd.
    # --locale=C: works without generated locales and sorts like SQLite.
    (cd "$SERVICES_DIR" &&
        runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres \
            --auth=trust -E UTF8 --locale=C >"$SERVICES_DIR/initdb.log" &&
        # Durability is pointless for a throwaway database; skip it for speed.
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$SERVICES_DIR/pg.log" -w \
            -o "-h 127.0.0.1 -p $PG_PORT -k $SERVICES_DIR -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null &&
        runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres go2market_test
    ) || { cat "$SERVICES_DIR"/pg.log "$SERVICES_DIR"/initdb.log 2>/dev/null >&2; return 1; }
    PG_URL="postgresql+psycopg2://postgres@127.0.0.1:$PG_PORT/go2market_test"
    export PG_BIN PG_DATA PG_PORT PG_URL
    echo "PostgreSQL running on 127.0.0.1:$PG_PORT"
}

start_redis() {
    ensure_redis
    _services_dir
    REDIS_PORT="$(free_port)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$SERVICES_DIR/redis.pid" --dir "$SERVICES_DIR" \
        --logfile "$SERVICES_DIR/redis.log"
    # --daemonize returns before the pidfile/socket exist; wait for both.
    local i
    for i in $(seq 50); do
        [[ -s "$SERVICES_DIR/redis.pid" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
        sleep 0.1
    done
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    export REDIS_PORT REDIS_URL
    echo "Redis running on 127.0.0.1:$REDIS_PORT"
}

stop_services() {
    [[ -n "${SERVICES_DIR:-}" && -d "$SERVICES_DIR" ]] || return 0
    if [[ -f "$SERVICES_DIR/data/postmaster.pid" ]]; then
        (cd "$SERVICES_DIR" && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/data" -m fast -w stop >/dev/null) || true
    fi
    local pid i
    if [[ -s "$SERVICES_DIR/redis.pid" ]]; then
        pid="$(cat "$SERVICES_DIR/redis.pid")"
        kill "$pid" 2>/dev/null || true
        for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$SERVICES_DIR"
    unset SERVICES_DIR
}

ensure_chromium() {  # headless browser for the /api/docs test
    if ! command -v chromium >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
}
