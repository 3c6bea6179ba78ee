#!/bin/sh
# Checks the Debian packages alliance needs; installs the missing ones when
# run as root (apt-get), otherwise prints the exact command and fails.
# usage: tools/deps.sh [build|test|tsan|bench]
set -u
need="pkg-config liblua5.4-dev libsqlite3-dev libcsv-dev libxlsxwriter-dev libssl-dev zlib1g-dev"
if [ "${1:-build}" = test ] || [ "${1:-build}" = tsan ]; then
    need="$need python3-openpyxl sqlite3 valgrind"
fi
if [ "${1:-build}" = tsan ]; then # gcc's ThreadSanitizer runtime (make tsan)
    need="$need libtsan2"
fi
if [ "${1:-build}" = bench ]; then # the pandas peer of make bench
    need="$need python3-pandas python3-xlsxwriter"
fi
missing=""
for p in $need; do
    s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$s" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || exit 1
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2 || exit 1
    exit 0
fi
echo "deps: missing Debian packages:$missing" >&2
echo "deps: install them with:" >&2
echo "    sudo apt-get install$missing" >&2
exit 78
