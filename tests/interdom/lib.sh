# Shared by tests/interdom/*.test (sourced after tests/harness/lib.sh).
#
# Inter-domain guests print "(dN) check NAME: ok|FAIL ..." lines from
# several domains at once. A test passes only if the set of those lines
# (FAIL details dropped, sorted) is exactly the golden list in
# tests/interdom/NAME.checks: every expected check ran, in the domain
# expected, and said ok; none is missing and none is extra.

IDOM_BUILD="$top_builddir/tests/interdom"

# idom_report LINES...: to stdout, and to the terminal under automake.
idom_report() {
    printf '%s\n' "$@"
    if { true >&9; } 2>/dev/null; then printf '%s\n' "$@" >&9; fi
}

# The normalised check lines of a serial log.
idom_checks_of() {
    sed -e 's/\r$//' "$1" |
        sed -n -e 's/^\((d[0-9]*) check .*\): ok$/\1: ok/p' \
               -e 's/^\((d[0-9]*) check .*\): FAIL.*$/\1: FAIL/p' |
        LC_ALL=C sort
}

# idom_compare_checks NAME LOG GOLDEN: 0 if the log's checks are the
# golden list; otherwise report the difference and the failing lines.
idom_compare_checks() {
    local name=$1 log=$2 golden=$3 got
    got=$(idom_checks_of "$log")
    if [ "$got" = "$(LC_ALL=C sort "$golden")" ]; then
        echo "PASS: $name: $(printf '%s\n' "$got" | wc -l) checks as expected"
        return 0
    fi
    idom_report "FAIL: $name: check lines differ from $(basename "$golden")" \
        "  (< expected, > got)" \
        "$(diff <(LC_ALL=C sort "$golden") <(printf '%s\n' "$got") | grep '^[<>]' | sed 's/^/  /')" \
        "  --- failing checks as printed:" \
        "$(grep -a ') check .*: FAIL' "$log" | sed 's/^/  | /')"
    return 1
}

# Lines every inter-domain boot must (not) print.
IDOM_FORBID=(--forbid "FATAL" --forbid "Panic" --forbid "LEAKED" --forbid "RESULT: FAILURE"
             --forbid "RESULT: ERROR" --forbid "not returned")
