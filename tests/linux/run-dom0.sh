#!/bin/bash
# run-dom0.sh [--hv pavise|xen] [--shell] [pvboot options...]: boot Debian's
# Linux as PV dom0 with the test initramfs, serial console on this terminal.
# The initramfs runs its checks and powers off, which ends the run; with
# --shell it opens a busybox shell after the checks and powers off when the
# shell exits. Ctrl-A X leaves early. Other options go to
# tests/harness/pvboot (e.g. --cmdline for the hypervisor).
#
# Builds what is missing first: the test program (make in $top_builddir)
# and the images (tests/linux/mkimages.sh, cached).
set -eu
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { echo "usage: $0 [--hv pavise|xen] [--shell] [pvboot options...]" >&2; exit 2; }
hv=pavise
while [ $# -gt 0 ]; do
    case "$1" in
    --hv) [ $# -ge 2 ] || usage; hv=$2; shift 2 ;;
    --shell) LINUX_CMDLINE+=" dom0init.shell"; shift ;;
    *) break ;;
    esac
done
case "$hv" in
pavise|xen) ;;
*) echo "run-dom0: --hv must be pavise or xen" >&2; exit 2 ;;
esac

if [ ! -x "$top_builddir/tests/linux/dom0check" ]; then
    make -C "$top_builddir" -s tests/linux/dom0check
fi
linux_images
linux_boot_args "$hv"
exec "$LINUX_PVBOOT" "${boot_args[@]}" --interactive "$@"
