# Sourced by the Linux dom0 scripts (test, bench, run): where the images are
# and how each hypervisor boots them. Needs top_srcdir and top_builddir
# (automake sets them; otherwise derived from this file's place).
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

LINUX_DIR=$top_srcdir/tests/linux
LINUX_IMAGES=${LINUX_IMAGES:-$top_builddir/tests/.cache/linux}
LINUX_PVBOOT=$top_srcdir/tests/harness/pvboot

# The kernel's command line. Xen and Pavise take it from the module string
# after the first word (the module's path).
LINUX_CMDLINE="console=hvc0 earlyprintk=xen"
# The hypervisor's: dom0's memory, as in TESTING.md's verified recipe.
LINUX_HV_CMDLINE="dom0_mem=512M"
# Which file Pavise's domain builder is given: vmlinuz (the bzImage as
# shipped, XZ payload) or vmlinux (the ELF mkimages.sh extracts from it).
PAVISE_DOM0_KERNEL=${PAVISE_DOM0_KERNEL:-vmlinuz}

# How long one boot may take before it counts as hung (seconds). A normal
# boot to poweroff takes about 10 s on Xen under TCG.
LINUX_BOOT_TIMEOUT=${LINUX_BOOT_TIMEOUT:-90}

# True once the Pavise side of this test is switched on.
pavise_linux_ready() {
    grep -qw linux-dom0 "$top_srcdir/tests/guests/pavise-ready" 2>/dev/null
}

# Build (or find cached) the kernel and initramfs.
linux_images() {
    bash "$LINUX_DIR/mkimages.sh" "$LINUX_IMAGES"
}

# linux_boot_args HV: pvboot arguments that boot the images on HV (into the
# array boot_args).
linux_boot_args() {
    local kernel=vmlinuz
    [ "$1" = pavise ] && kernel=$PAVISE_DOM0_KERNEL
    boot_args=(--hv "$1" --cmdline "$LINUX_HV_CMDLINE"
               --module "$LINUX_IMAGES/$kernel $LINUX_CMDLINE"
               --module "$LINUX_IMAGES/initrd.gz")
}

# The check names /init prints, in order: one per module it loads, then its
# own, then the test program's.
linux_expected_checks() {
    local name path
    while read -r name path; do
        [ -n "$name" ] && echo "module-$name"
    done < "$LINUX_IMAGES/modules.load"
    echo hypervisor-type
    echo xenfs-capabilities
    "$top_builddir/tests/linux/dom0check" --list
}
