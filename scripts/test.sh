#!/bin/bash
# The whole test suite: install what is needed, build, run `make check`.
# Unit-test summaries and the log tails of failing boots are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
status=0
make -j"$jobs" check VERBOSE=1 || status=$?
echo "[test] make check finished in $(( $(date +%s) - start ))s with status $status"
exit $status
