#!/bin/bash
# The main job: install what is needed, build, and boot Pavise under QEMU
# with Debian's Linux 6.1 as its PV dom0 (the kernel package is fetched from
# Debian's archive, unpacked without installing it, and given a small
# initramfs that checks the PV platform and powers off). The serial console
# is this terminal; the run ends by itself when dom0 powers off. To leave
# early press Ctrl-A then X.
#
#   scripts/run.sh            boot dom0 on Pavise
#   scripts/run.sh --shell    ... and stay in a busybox shell after the checks
#   scripts/run.sh --hv xen   the same on Debian's Xen 4.17, for comparison
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
export top_srcdir=$PWD top_builddir=$PWD
exec tests/linux/run-dom0.sh "$@"
