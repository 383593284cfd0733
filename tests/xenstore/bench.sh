#!/bin/sh
# make bench-xenstore: start pvstored on a private socket, print figures.
. "${top_srcdir:-.}/tests/xenstore/lib.sh"
xs_start
"$top_builddir/tests/xenstore/xs_bench" "${XS_BENCH_NODES:-100000}"
rc=$?
echo "  pvstored resident memory after the run: $(awk '/VmHWM/ {print $2, $3}' /proc/$XS_PID/status) (peak)"
exit $rc
