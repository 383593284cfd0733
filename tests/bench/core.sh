#!/bin/bash
# core.sh [N] [RUNS]: run tests/bench/core.elf as dom0 on Xen 4.17 and on
# Pavise (same QEMU: TCG, 1 CPU), alternately RUNS times each (default 3,
# so that a change in the machine's load hits both), and print the median
# of each figure side by side with the Pavise/Xen ratio (below 1: Pavise is
# faster). N operations per round.
set -u
. "$(dirname "$0")/../harness/lib.sh"
n=${1:-20000}
runs=${2:-3}
elf=$top_builddir/tests/bench/core.elf
[ -f "$elf" ] || { echo "bench-core: no $elf (run make)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {
    local hv=$1 extra=()
    if [ "$hv" = xen ]; then extra=(--cmdline "dom0_mem=64M"); else extra=(--exit 0); fi
    "$PVBOOT" --name bench-core --hv "$hv" --smp 1 --mem 256 --timeout 300 \
        --module "$elf bench-core n=$n" --log "$tmp/$hv.$2.log" \
        --expect "RESULT: SUCCESS" "${extra[@]}" > "$tmp/$hv.out" 2>&1
}

echo "bench-core: PV core costs, $n operations x 7 rounds per boot, $runs boots each" \
     "(medians), QEMU TCG, 1 CPU"
for i in $(seq 1 "$runs"); do
    for hv in xen pavise; do
        if ! run $hv "$i"; then
            echo "bench-core: the run on $hv failed:"
            sed 's/^/  /' "$tmp/$hv.out" | head -40
            exit 1
        fi
    done
done
# fig HV NAME: the median over the boots of one figure.
fig() {
    sed -n "s/.*bench $2: \([0-9.]*\) ns\/op.*/\1/p" "$tmp/$1".*.log |
        sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
printf '  %-24s %12s %12s %8s\n' figure "Xen ns/op" "Pavise ns/op" ratio
for f in null-hypercall multicall-32-per-entry self-notify trap-bounce; do
    x=$(fig xen "$f"); p=$(fig pavise "$f")
    if [ -z "$x" ] || [ -z "$p" ]; then
        printf '  %-24s %12s %12s %8s\n' "$f" "${x:--}" "${p:--}" "-"
        continue
    fi
    awk -v f="$f" -v x="$x" -v p="$p" 'BEGIN { printf "  %-24s %12.1f %12.1f %8.2f\n", f, x, p, p / x }'
done
