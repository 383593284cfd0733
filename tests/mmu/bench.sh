#!/bin/bash
# bench.sh: PV MMU hypercall costs, Xen 4.17 against Pavise (make bench-mmu,
# part of make bench). Boots tests/guests/mmu-bench.elf as dom0 on each
# under the same QEMU (TCG, 1 CPU); the guest times each operation with
# its pvclock (median of 5 rounds) and prints "bench: NAME: VALUE UNIT".
# Prints both columns and Pavise/Xen (below 1: Pavise is faster; for the
# updates/s line, above 1). Pavise's column is empty if it cannot run it.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
pvboot="$top_srcdir/tests/harness/pvboot"
elf="$top_builddir/tests/guests/mmu-bench.elf"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -f "$elf" ] || { echo "bench-mmu: no guest image at $elf (run make)"; exit 1; }

run() {
    local hv=$1 extra=()
    if [ "$hv" = xen ]; then extra=(--cmdline "dom0_mem=64M"); else extra=(--exit 0 --cmdline "loglvl=info"); fi
    "$pvboot" --name bench-mmu --hv "$hv" --smp 1 --mem 256 --timeout 120 "${extra[@]}" \
        --log "$tmp/$hv.log" --module "$elf mmu-bench" --expect "RESULT: SUCCESS" \
        > "$tmp/$hv.out" 2>&1
    local rc=$?
    sed -e 's/\r$//' -e 's/^(XEN) //' -e 's/^(d0) //' "$tmp/$hv.log" |
        sed -n 's/^bench: \(.*\): \([0-9]*\) \(.*\)$/\1|\2|\3/p' > "$tmp/$hv.txt"
    return $rc
}

echo "bench-mmu: PV MMU hypercalls as dom0, QEMU TCG -smp 1 (guest pvclock, median of 5 rounds)"
if ! run xen; then
    echo "bench-mmu: the guest failed on Xen 4.17; no figures"
    sed 's/^/  /' "$tmp/xen.out"
    exit 1
fi
run pavise || { echo "  (Pavise could not run the benchmark:"; sed 's/^/    /' "$tmp/pavise.out"; echo "  )"; }

printf '  %-44s %14s %14s %8s\n' "" "Xen 4.17" "Pavise" "ratio"
while IFS='|' read -r name xv unit; do
    pv=$(awk -F'|' -v n="$name" '$1 == n { print $2 }' "$tmp/pavise.txt")
    ratio=""
    [ -n "$pv" ] && [ "$xv" -gt 0 ] && ratio=$(awk -v a="$pv" -v b="$xv" 'BEGIN { printf "%.2f", a / b }')
    printf '  %-44s %14s %14s %8s\n' "$name ($unit)" "$xv" "${pv:--}" "$ratio"
done < "$tmp/xen.txt"
