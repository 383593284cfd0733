#!/bin/bash
# fuzz.sh: the long PV MMU fuzz run (make fuzz-mmu, part of make fuzz).
#
# Boots tests/guests/mmu-fuzz.elf as dom0 with two fuzzing vCPUs:
#   1. on Xen 4.17 (MMU_FUZZ_XEN_SECS, default 10 s), to confirm that the
#      guest itself survives its own requests on the reference;
#   2. on Pavise (MMU_FUZZ_SECS, default 20 s) with the boot option
#      mmu_audit, so that when dom0 has shut down the hypervisor walks
#      every frame and prints its page-type audit.
# Pavise passes only if the guest ends with RESULT: SUCCESS after its
# "mmu-fuzz: audit point" line, and the hypervisor then reports an audit
# with no violation: a line "audit: ... checked: 0 violations", none with
# another count, and no "Panic".
#
# MMU_FUZZ_SEED=N repeats a run (the seed is printed either way);
# MMU_FUZZ_KEEP=DIR keeps both serial logs.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
pvboot="$top_srcdir/tests/harness/pvboot"
elf="$top_builddir/tests/guests/mmu-fuzz.elf"
secs=${MMU_FUZZ_SECS:-20}
xen_secs=${MMU_FUZZ_XEN_SECS:-10}
seed=${MMU_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -f "$elf" ] || { echo "FAIL: mmu-fuzz: no guest image at $elf (run make)"; exit 1; }
echo "mmu-fuzz: seed $seed (repeat with MMU_FUZZ_SEED=$seed)"

status=0
common=(--name mmu-fuzz --smp 2 --mem 256
        --expect "RESULT: SUCCESS" --expect "mmu-fuzz: audit point"
        --forbid "RESULT: FAILURE" --forbid "RESULT: ERROR")

# 1. Xen 4.17: the guest is sane.
"$pvboot" "${common[@]}" --hv xen --cmdline "dom0_mem=64M" --timeout $((xen_secs + 60)) \
    --log "$tmp/xen.log" --module "$elf mmu-fuzz seed=$seed secs=$xen_secs cpus=2"
rc=$?
[ $rc = 77 ] && echo "note: Xen 4.17 not available, Pavise only"
[ $rc != 0 ] && [ $rc != 77 ] && status=1
grep -a "info: .*requests" "$tmp/xen.log" | sed 's/^/  [xen] /'

# 2. Pavise, with the page-type audit after dom0 has shut down.
"$pvboot" "${common[@]}" --hv pavise --cmdline "mmu_audit loglvl=info" --exit 0 \
    --timeout $((secs + 90)) --forbid "Panic" \
    --log "$tmp/pavise.log" --module "$elf mmu-fuzz seed=$seed secs=$secs cpus=2"
[ $? = 0 ] || status=1
grep -a "info: .*requests" "$tmp/pavise.log" | sed 's/^/  [pavise] /'

audits=$(grep -a "audit: .*checked: [0-9]* violations" "$tmp/pavise.log")
if [ -z "$audits" ]; then
    echo "FAIL: mmu-fuzz [pavise]: the hypervisor printed no audit (boot option mmu_audit)"
    status=1
elif printf '%s\n' "$audits" | grep -qv "checked: 0 violations"; then
    echo "FAIL: mmu-fuzz [pavise]: the page-type audit found violations:"
    grep -a "audit:" "$tmp/pavise.log" | head -n 20 | sed 's/^/  | /'
    status=1
else
    printf '%s\n' "$audits" | sed 's/^/  [pavise] /'
fi

if [ -n "${MMU_FUZZ_KEEP:-}" ]; then
    mkdir -p "$MMU_FUZZ_KEEP" && cp "$tmp"/*.log "$MMU_FUZZ_KEEP"/
fi
[ $status = 0 ] && echo "PASS: mmu-fuzz (seed $seed)" || echo "FAIL: mmu-fuzz (seed $seed)"
exit $status
