#!/bin/bash
# Install every Debian package Pavise's build, run and tests need.
# Idempotent and quick when all is present. Needs root (or sudo).
#
# QEMU must be 8.0 or newer (Debian 12's 7.2 mis-reports the #GP error code
# of a failed ring-3 "int N", which breaks every PV kernel): it comes from
# bookworm-backports, which this script enables if needed.
set -euo pipefail

PKGS=(
    build-essential autoconf automake libtool pkg-config
    libev-dev liblz4-dev check libxen-dev xenstore-utils
    xen-hypervisor-4.17-amd64
    cpio busybox-static xz-utils clang-14 libclang-rt-14-dev
    bochs bochsbios vgabios grub-pc-bin grub-common xorriso mtools
)
BPO_PKGS=(qemu-system-x86)

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
qemu_ok=0
if command -v qemu-system-x86_64 >/dev/null; then
    v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
    [ "${v:-0}" -ge 8 ] && qemu_ok=1
fi

if [ ${#missing[@]} = 0 ] && [ $qemu_ok = 1 ]; then
    echo "[install-deps] all packages present"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if [ $qemu_ok = 0 ]; then
    # Enable bookworm-backports (deb822 layout first, then classic).
    if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
        src=/etc/apt/sources.list.d/debian.sources
        if [ -f "$src" ] && grep -q '^Suites:.*bookworm' "$src"; then
            $SUDO sed -i '0,/^Suites:.*bookworm/s/^\(Suites:.*\)$/\1 bookworm-backports/' "$src"
        else
            echo "deb http://deb.debian.org/debian bookworm-backports main" |
                $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
        fi
    fi
fi

echo "[install-deps] installing: ${missing[*]} ${BPO_PKGS[*]}"
$SUDO apt-get update -q
[ ${#missing[@]} = 0 ] || $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
[ $qemu_ok = 1 ] || $SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports "${BPO_PKGS[@]}"
qemu-system-x86_64 --version | head -n 1
