# Shared by the xenstore interop tests: start pvstored on a private socket
# (always killed on exit, even on failure) and count checks.
top_builddir=${top_builddir:-.}
XS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvstored-test.XXXXXX")
XS_SOCK=$XS_TMP/socket
XS_LOG=$XS_TMP/pvstored.log
XS_PID=
XS_PASS=0
XS_FAIL=0

# A hung client or daemon must fail the test, not stall `make check`:
# after XS_TEST_TIMEOUT seconds the watchdog stops the daemon (which
# releases any client waiting on it) and terminates this shell.
XS_TEST_TIMEOUT=${XS_TEST_TIMEOUT:-120}
(
    sleep "$XS_TEST_TIMEOUT" &
    s=$!
    trap 'kill $s 2>/dev/null; exit 0' TERM
    wait $s
    echo "test timed out after $XS_TEST_TIMEOUT s" >&2
    [ -s "$XS_TMP/daemon.pid" ] && kill "$(cat "$XS_TMP/daemon.pid")" 2>/dev/null
    kill -TERM $$
) &
XS_WATCHDOG=$!

xs_cleanup() {
    kill "$XS_WATCHDOG" 2>/dev/null
    if [ -n "$XS_PID" ]; then
        kill "$XS_PID" 2>/dev/null
        wait "$XS_PID" 2>/dev/null
    fi
    rm -rf "$XS_TMP"
}
trap xs_cleanup EXIT
trap 'exit 1' INT TERM HUP

# xs_start [pvstored options...]
xs_start() {
    "$top_builddir/xenstore/pvstored" -N -s "$XS_SOCK" -L "$XS_LOG" "$@" &
    XS_PID=$!
    echo "$XS_PID" > "$XS_TMP/daemon.pid"
    i=0
    while [ ! -S "$XS_SOCK" ]; do
        i=$((i + 1))
        if [ $i -gt 100 ] || ! kill -0 "$XS_PID" 2>/dev/null; then
            echo "pvstored did not start" >&2
            cat "$XS_LOG" >&2
            exit 1
        fi
        sleep 0.05
    done
    XENSTORED_PATH=$XS_SOCK
    export XENSTORED_PATH
}

xs_alive() {
    kill -0 "$XS_PID" 2>/dev/null
}

# check DESCRIPTION ACTUAL EXPECTED
check() {
    if [ "$2" = "$3" ]; then
        XS_PASS=$((XS_PASS + 1))
    else
        XS_FAIL=$((XS_FAIL + 1))
        printf 'FAIL: %s\n  expected: %s\n  actual:   %s\n' "$1" "$3" "$2" >&2
    fi
}

# xs_summary NAME: print the closing line, exit with the verdict.
xs_summary() {
    if [ $XS_FAIL -ne 0 ]; then
        echo "--- pvstored log ---" >&2
        tail -n 30 "$XS_LOG" >&2
    fi
    echo "$1: $XS_PASS passed, $XS_FAIL failed"
    { true >&9; } 2>/dev/null && echo "  $1: $XS_PASS passed, $XS_FAIL failed" >&9
    [ $XS_FAIL -eq 0 ]
}
