# shellcheck shell=bash
# Checks the OpenAPI document the server serves: openapi-spec-validator on
# /openapi.json, then schemathesis with every check against `innsyn dev`
# (loopback only). Source it, then call `check_openapi`. The Python tools
# live in a venv under target/ (pinned; installed once, reused).
#
#   source scripts/lib/openapi.sh
#   check_openapi

OPENAPI_VALIDATOR_VERSION=0.9.0
SCHEMATHESIS_VERSION=4.32.5
# Examples per operation: enough to reach every rule, few enough for well
# under a minute. Deterministic generation sends the same requests every
# run; one worker, because Python 3.11's parser is not thread-safe under
# Hypothesis (it fails with "AST constructor recursion depth mismatch").
SCHEMATHESIS_MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-100}

_oa_log() { echo "openapi.sh: $*" >&2; }

_oa_venv() {
    local venv=$root/target/py
    local want="openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION schemathesis==$SCHEMATHESIS_VERSION"
    if [ "$(cat "$venv/.installed" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        _oa_log "installing python3-venv"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install -q --disable-pip-version-check $want
    echo "$want" >"$venv/.installed"
}

_OA_DEV_PID=""

_oa_stop_dev() {
    if [ -n "$_OA_DEV_PID" ]; then
        kill "$_OA_DEV_PID" 2>/dev/null || true
        wait "$_OA_DEV_PID" 2>/dev/null || true
        _OA_DEV_PID=""
    fi
}

# Starts `innsyn dev` on a free loopback port in a fresh data directory;
# sets BASE, CITIZEN and ORGNO from what it prints.
_oa_start_dev() {
    local data=$1 out=$1/banner.txt
    # The per-client rate limit (50/s by default) would answer most of the
    # run with 429; the limiter has its own tests, and 429 stays documented.
    INNSYN__SERVER__RATE_LIMIT_PER_SECOND=0 "$root/target/debug/innsyn" \
        dev --data-dir "$data/data" --port 0 >"$out" 2>"$data/log.txt" &
    _OA_DEV_PID=$!
    for _ in $(seq 1 100); do
        grep -q '^export WRITER=' "$out" 2>/dev/null && break
        kill -0 "$_OA_DEV_PID" 2>/dev/null || break
        sleep 0.2
    done
    BASE=$(sed -n 's/^innsyn dev is running at \(http:\/\/127\.0\.0\.1:[0-9]*\) .*/\1/p' "$out")
    CITIZEN=$(sed -n 's/^Demo citizen \([0-9]*\) .*/\1/p' "$out")
    ORGNO=$(sed -n 's/^Demo citizen .*(\([0-9]\{9\}\))\.$/\1/p' "$out")
    if [ -z "$BASE" ] || [ -z "$CITIZEN" ] || [ -z "$ORGNO" ]; then
        _oa_log "innsyn dev did not start:"
        cat "$out" "$data/log.txt" >&2
        return 1
    fi
}

check_openapi() {
    local data token status=0
    _oa_venv
    cargo build --locked -q -p innsyn-server --bin innsyn
    mkdir -p "$root/target/tmp"
    data=$(mktemp -d "$root/target/tmp/openapi.XXXXXX")
    _oa_start_dev "$data" || { _oa_stop_dev; return 1; }
    # One token with every default scope, as the demo citizen of the
    # demo organisation, so each operation gets past authorization.
    token=$("$root/target/debug/innsyn" token --data-dir "$data/data" --sub "$CITIZEN" \
        --orgno "$ORGNO" --ttl 3600 \
        --scope "idporten:user.log.read history:read history:audit history:write history:admin history:disputes")
    curl -sf "$BASE/openapi.json" >"$data/openapi.json" || status=1
    if [ $status = 0 ]; then
        "$root/target/py/bin/openapi-spec-validator" "$data/openapi.json" || status=1
    fi
    if [ $status = 0 ]; then
        # From the scratch directory: schemathesis keeps a cache in its
        # working directory.
        (cd "$data" && "$root/target/py/bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" \
            run "$BASE/openapi.json" --url "$BASE" \
            --header "Authorization: Bearer $token" \
            --checks all --max-examples "$SCHEMATHESIS_MAX_EXAMPLES" \
            --generation-deterministic --workers 1 \
            --no-color \
            --report junit --report-dir "$data/report") || status=1
    fi
    _oa_stop_dev
    [ $status = 0 ] && rm -rf "$data"
    return $status
}
