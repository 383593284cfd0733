#!/bin/bash
# compare-checks.sh NAME_A LOG_A NAME_B LOG_B: the "check <name>: ..." lines
# two boots of the Linux dom0 test printed must form the same set. A leading
# "(XEN) " or "(d0) " (hypervisor console prefixes) is ignored. Prints what
# differs; exit status 0 when the sets are equal, 1 when not (or when a log
# has no check lines at all), 2 on a usage error.
set -u
[ $# = 4 ] || { echo "usage: $0 NAME_A LOG_A NAME_B LOG_B" >&2; exit 2; }

check_lines() {
    sed -e 's/\r$//' -e 's/^(XEN) //' -e 's/^(d0) //' "$1" |
        grep -E '^check [^ :]+: ' | LC_ALL=C sort -u
}

for log in "$2" "$4"; do
    [ -r "$log" ] || { echo "compare-checks: cannot read $log" >&2; exit 2; }
done
a=$(check_lines "$2")
b=$(check_lines "$4")
[ -n "$a" ] || { echo "compare-checks: no check lines in $1's log ($2)"; exit 1; }
[ -n "$b" ] || { echo "compare-checks: no check lines in $3's log ($4)"; exit 1; }
if [ "$a" = "$b" ]; then
    echo "compare-checks: $1 and $3 print the same $(echo "$a" | wc -l) check lines"
    exit 0
fi
echo "compare-checks: $1 and $3 print different check lines:"
diff <(echo "$a") <(echo "$b") | sed -n -e "s/^< /  only on $1: /p" -e "s/^> /  only on $3: /p"
exit 1
