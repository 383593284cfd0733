#!/bin/bash
# make bench-interdom: inter-domain figures under QEMU (TCG).
#
#   1. Between two boot-time domUs on Pavise (tests/interdom/bench.elf
#      role=granter/user): event-channel ping-pong round trip, grant copy
#      throughput (64 B, 1500 B, 4 KiB, 64 KiB requests) and grant
#      map+unmap rate. Pavise only: Xen x86 has no boot-time domUs.
#   2. In one domain (dom0, role=self) on Pavise and on Xen 4.17 under the
#      same QEMU: self-grant copy, self map+unmap, self-notify latency,
#      side by side with the Pavise/Xen ratio.
#   3. The front/back pair (tests/interdom/pair.elf) moving 8 MiB each way
#      per back-end mode and request size.
#
# Every boot must end with RESULT: SUCCESS in each domain; each is limited
# to 60 s. TCG figures are for comparing the two hypervisors under the same
# emulator, not absolute speeds; on a shared machine they vary by run, hence
# best-of-3 rates and median latencies.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
PVBOOT="$top_srcdir/tests/harness/pvboot"
B="$top_builddir/tests/interdom"
MS=${IDOM_BENCH_MS:-300}
ITERS=${IDOM_BENCH_ITERS:-2000}
PAIR_KIB=${IDOM_BENCH_PAIR_KIB:-8192}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# boot NAME [pvboot args...]: run, keep the log as $tmp/NAME.log.
boot() {
    local name=$1
    shift
    if ! "$PVBOOT" --name "bench-$name" --timeout 60 --log "$tmp/$name.log" \
            --forbid "RESULT: FAILURE" --forbid "RESULT: ERROR" --forbid "FATAL" \
            --forbid "Panic" --forbid "LEAKED" "$@" > "$tmp/$name.out" 2>&1; then
        sed 's/^/  /' "$tmp/$name.out" | head -40
        status=1
        return 1
    fi
    return 0
}

# val NAME KEY: the value of "bench: KEY V" in NAME's log (empty if none).
val() {
    sed -e 's/\r$//' "$tmp/$1.log" 2>/dev/null |
        sed -n "s/.*bench: $2 \([0-9]*\)$/\1/p" | tail -1
}

# ratio A B: A/B with two decimals, or "-".
ratio() {
    if [ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ]; then
        awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
    else
        echo "-"
    fi
}

us() { [ -n "$1" ] && awk -v n="$1" 'BEGIN { printf "%.1f", n / 1000 }' || echo "-"; }
mbps() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1000 }' || echo "-"; }

[ -f "$B/bench.elf" ] && [ -f "$B/pair.elf" ] || { echo "bench-interdom: run make first"; exit 1; }
E="$B/bench.elf"
args="ms=$MS iters=$ITERS"

echo "== inter-domain benchmarks (QEMU TCG; rates: best of 3 rounds of ${MS} ms; latencies: ${ITERS} samples)"
boot peer --cmdline "domu=granter,module=0,mem=16M domu=user,module=1,mem=16M" \
    --module "$E role=granter peer=2 $args" --module "$E role=user peer=1 $args" \
    --expect "(d1) RESULT: SUCCESS" --expect "(d2) RESULT: SUCCESS" --exit 0
boot self-pavise --module "$E role=self $args" --expect "RESULT: SUCCESS" --exit 0
boot self-xen --hv xen --cmdline "dom0_mem=64M dom0_max_vcpus=1" \
    --module "$E role=self $args" --expect "RESULT: SUCCESS"

echo
echo "-- Between two domUs on Pavise (Xen x86 has no boot-time domUs: no Xen column)"
printf '  %-52s %s\n' "event-channel ping-pong round trip (poll both ends)" \
    "median $(us "$(val peer peer_pingpong_rtt_med_ns)") us, min $(us "$(val peer peer_pingpong_rtt_min_ns)") us, mean $(us "$(val peer peer_pingpong_rtt_avg_ns)") us"
printf '  %-52s %12s %12s\n' "grant copy from the peer's grant, request size" "requests/s" "MB/s"
for s in 64 1500 4096 65536; do
    printf '  %-52s %12s %12s\n' "  $s B" "$(val peer peer_copy_${s}_reqps)" \
        "$(mbps "$(val peer peer_copy_${s}_kBps)")"
done
printf '  %-52s %12s\n' "grant map+unmap of the peer's grant (per second)" \
    "$(val peer peer_map_unmap_per_s)"

echo
echo "-- One domain (dom0): Pavise and Xen 4.17 under the same QEMU"
printf '  %-54s %10s %10s %10s\n' "" "Pavise" "Xen 4.17" "Pavise/Xen"
row() {
    local label=$1 key=$2 p x
    p=$(val self-pavise "$key")
    x=$(val self-xen "$key")
    printf '  %-54s %10s %10s %10s\n' "$label" "${p:--}" "${x:--}" "$(ratio "$p" "$x")"
}
for s in 64 1500 4096 65536; do
    row "self grant copy $s B (requests/s)" "self_copy_${s}_reqps"
done
for s in 64 1500 4096 65536; do
    row "self grant copy $s B (kB/s)" "self_copy_${s}_kBps"
done
row "self map+unmap (per second)" self_map_unmap_per_s
row "self-notify, send to upcall: median ns (lower=better)" self_notify_med_ns
row "self-notify, send to upcall: min ns (lower=better)" self_notify_min_ns
row "EVTCHNOP_send, masked port: median ns (lower=better)" self_send_masked_med_ns
row "EVTCHNOP_send, masked port: min ns (lower=better)" self_send_masked_min_ns

echo
echo "-- Front/back pair on Pavise: $PAIR_KIB KiB each way (write = front to back)"
printf '  %-8s %8s %10s %10s %10s %14s %14s\n' mode size "write MB/s" "read MB/s" requests \
    "front notifies" "back notifies"
P="$B/pair.elf"
for mode in copy map batch; do
    for size in 4096 65536; do
        name="pair-$mode-$size"
        if boot "$name" --cmdline "domu=back,module=0,mem=16M domu=front,module=1,mem=16M" \
                --module "$P role=back peer=2 mode=$mode" \
                --module "$P role=front peer=1 size=$size kib=$PAIR_KIB" \
                --expect "(d1) RESULT: SUCCESS" --expect "(d2) RESULT: SUCCESS" --exit 0; then
            log="$tmp/$name.log"
            w=$(sed -n 's/.*bench: pair write size=[0-9]* MBps=\([0-9.]*\) requests=\([0-9]*\) front_notifies=\([0-9]*\).*/\1 \2 \3/p' "$log")
            r=$(sed -n 's/.*bench: pair read size=[0-9]* MBps=\([0-9.]*\) requests=\([0-9]*\) front_notifies=\([0-9]*\).*/\1 \2 \3/p' "$log")
            b=$(sed -n 's/.*bench: pair back mode=[a-z]* requests=[0-9]* back_notifies=\([0-9]*\).*/\1/p' "$log")
            set -- $w
            wm=${1:--}; wr=${2:-0}; wn=${3:-0}
            set -- $r
            rm_=${1:--}; rr=${2:-0}; rn=${3:-0}
            printf '  %-8s %8s %10s %10s %10s %14s %14s\n' "$mode" "$size" "$wm" "$rm_" \
                "$((wr + rr))" "$((wn + rn))" "${b:--}"
        fi
    done
done
[ $status = 0 ] || echo "bench-interdom: some runs failed (see above)"
exit $status
