#!/bin/bash
# bench.sh [RUNS]: boot Debian's Linux as PV dom0 on Xen 4.17 and on Pavise,
# RUNS times each (default 3), under the same QEMU, and print the wall time
# from starting the boot to the initramfs's first line ("dom0-init: start")
# and to poweroff (the kernel's "reboot: Power down"), per run, as medians,
# and as the Pavise/Xen ratio. Pavise runs only once tests/guests/pavise-ready
# names linux-dom0 (BENCH_LINUX_PAVISE=1 forces a try); when it cannot boot
# Linux yet this says so instead of printing a ratio.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

runs=${1:-3}
case "$runs" in ''|*[!0-9]*|0) echo "usage: $0 [RUNS]" >&2; exit 2 ;; esac
PAVISE_IMAGE=$top_builddir/hypervisor/pavise

linux_images || { echo "bench-linux: could not build the images" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# time_boot HV LOG: boots once; prints "FIRST POWEROFF" in seconds since the
# start, or returns 1 after printing why not.
time_boot() {
    local hv=$1 log=$2 start t first="" off="" pid extra=()
    linux_boot_args "$hv"
    [ "$hv" = pavise ] && extra=(--image "$PAVISE_IMAGE" --exit 0)
    : > "$log"
    start=$(date +%s.%N)
    "$LINUX_PVBOOT" "${boot_args[@]}" "${extra[@]}" --name bench-linux \
        --timeout "$LINUX_BOOT_TIMEOUT" --log "$log" --expect "RESULT: SUCCESS" \
        > "$tmp/pvboot.out" 2>&1 &
    pid=$!
    # Watch the serial log as it grows; 20 ms granularity.
    while kill -0 "$pid" 2>/dev/null; do
        t=$(date +%s.%N)
        if [ -z "$first" ] && grep -qF "dom0-init: start" "$log"; then
            first=$(awk -v a="$start" -v b="$t" 'BEGIN { printf "%.2f", b - a }')
        fi
        if [ -z "$off" ] && grep -qF "reboot: Power down" "$log"; then
            off=$(awk -v a="$start" -v b="$t" 'BEGIN { printf "%.2f", b - a }')
        fi
        sleep 0.02
    done
    if ! wait "$pid" || [ -z "$first" ] || [ -z "$off" ]; then
        echo "boot failed ($(sed -n 's/^  - //p' "$tmp/pvboot.out" | head -n 2 | paste -sd';'));" \
             "log ends: $(grep -v '^$' "$log" | tail -n 1)"
        return 1
    fi
    echo "$first $off"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# bench HV: runs it RUNS times; sets med_first and med_off, or returns 1.
bench() {
    local hv=$1 i r firsts=() offs=()
    for i in $(seq 1 "$runs"); do
        if ! r=$(time_boot "$hv" "$tmp/$hv.$i.log"); then
            printf '  %-7s run %d: %s\n' "$hv" "$i" "$r"
            return 1
        fi
        set -- $r
        firsts+=("$1")
        offs+=("$2")
        printf '  %-7s run %d: first line %6.2f s   poweroff %6.2f s\n' "$hv" "$i" "$1" "$2"
    done
    med_first=$(median "${firsts[@]}")
    med_off=$(median "${offs[@]}")
    printf '  %-7s median: first line %6.2f s   poweroff %6.2f s\n' "$hv" "$med_first" "$med_off"
}

. "$LINUX_IMAGES/VERSION"
echo "bench-linux: Debian $package $version as PV dom0, QEMU TCG -smp 2, $runs boots each"
echo "  (wall time from starting QEMU to the initramfs's first line and to poweroff)"

if ! bench xen; then
    echo "bench-linux: Xen 4.17 failed to boot the images; no figures"
    exit 1
fi
xen_first=$med_first
xen_off=$med_off

if ! pavise_linux_ready && [ "${BENCH_LINUX_PAVISE:-0}" != 1 ]; then
    echo "bench-linux: Pavise cannot boot Debian's Linux as dom0 yet" \
         "(tests/guests/pavise-ready does not name linux-dom0): no Pavise/Xen ratio"
    exit 0
fi
if [ ! -f "$PAVISE_IMAGE" ] || ! bench pavise; then
    echo "bench-linux: Pavise failed to boot Debian's Linux as dom0: no Pavise/Xen ratio"
    exit 0
fi
awk -v pf="$med_first" -v xf="$xen_first" -v po="$med_off" -v xo="$xen_off" 'BEGIN {
    printf "  ratio Pavise/Xen: first line %.2f   poweroff %.2f\n", pf / xf, po / xo }'
