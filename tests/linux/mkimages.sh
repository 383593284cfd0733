#!/bin/bash
# mkimages.sh [OUTDIR]: Debian's stock Linux kernel and our test initramfs,
# for booting Linux as PV dom0 (default OUTDIR: $top_builddir/tests/.cache/linux).
#
# Produces in OUTDIR:
#   vmlinuz     the kernel as Debian ships it (bzImage, XZ-compressed payload)
#   vmlinux     the ELF inside it (see extract_vmlinux), for a domain builder
#               that does not decompress XZ itself
#   initrd.gz   busybox, /init (tests/linux/init), the Xen modules with their
#               dependencies, and our static test program (dom0check)
#   VERSION     package=, version=, release= of the kernel
#   modules.load  the modules /init loads, in order ("name path" lines)
#
# (Debian's package ships a placeholder System.map; the real symbols are in
# linux-image-*-dbg, which is not fetched.)
#
# The kernel: the linux-image-6.1.0-*-amd64 package that Debian 12's
# linux-image-amd64 (series 6.1, not the 6.12 of bookworm-backports) depends
# on, fetched with `apt-get download` and unpacked with `dpkg -x`, never
# installed. Pin another with PAVISE_LINUX_VERSION=<linux-image-amd64
# version>. The .deb and everything taken from it are cached by version, so a
# repeat run is instant and needs no network; the initramfs is rebuilt only
# when one of its inputs changes.
#
# Environment: top_srcdir, top_builddir (as automake sets them), DOM0CHECK
# (the static test program; default $top_builddir/tests/linux/dom0check),
# PAVISE_LINUX_MODULES (modules wanted; their dependencies are added).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
out=${1:-$top_builddir/tests/.cache/linux}
prog=${DOM0CHECK:-$top_builddir/tests/linux/dom0check}
init_script=$here/init
series=6.1
meta=linux-image-amd64
wanted=${PAVISE_LINUX_MODULES:-"xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs
    xen-blkback xen-netback xen-pciback xen-blkfront xen-netfront"}

die() { echo "mkimages: $*" >&2; exit 1; }
note() { echo "mkimages: $*" >&2; }

for tool in apt-cache dpkg-deb dpkg xz cpio gzip od dd readelf flock sha256sum; do
    command -v "$tool" >/dev/null || die "$tool not found (run scripts/install-deps.sh)"
done
busybox=$(command -v busybox) || die "busybox not found (Debian package busybox-static)"
# The initramfs has no libraries: busybox must be the static build.
if ! LC_ALL=C readelf -d "$busybox" 2>/dev/null | grep -q 'There is no dynamic section'; then
    die "$busybox is dynamically linked; install busybox-static"
fi
[ -f "$prog" ] && [ -x "$prog" ] || die "no test program at $prog (run make first)"
if LC_ALL=C readelf -l "$prog" | grep -q INTERP; then
    die "$prog is not static"
fi

mkdir -p "$out/debs" "$out/kernels"
exec 8>"$out/.lock"
flock 8 # one builder at a time per OUTDIR

# ------------------------------------------------------------------ resolve
# Prints "PACKAGE VERSION" of the kernel package linux-image-amd64 pulls in.
resolve_kernel_package() {
    local ver dep
    ver=${PAVISE_LINUX_VERSION:-}
    if [ -z "$ver" ]; then
        ver=$(apt-cache madison "$meta" 2>/dev/null |
              awk -F'|' '{ gsub(/ /, "", $2); print $2 }' |
              grep -E "^${series//./\\.}\\.[0-9]" | grep -v '~bpo' | sort -uV | tail -n 1) || true
    fi
    [ -n "$ver" ] || return 1
    dep=$(apt-cache show "$meta=$ver" 2>/dev/null | sed -n 's/^Depends: //p' | head -n 1 |
          tr ',' '\n' | grep -m1 -E '^ *linux-image-[0-9]') || return 1
    # "linux-image-6.1.0-56-amd64 (= 6.1.192-2)"
    set -- $dep
    [ "${2:-}" = "(=" ] || return 1
    echo "$1 ${3%)}"
}

# The newest kernel already in the cache, when apt cannot tell us (offline).
newest_cached() {
    local d
    d=$(ls -1td "$out"/kernels/*/complete 2>/dev/null | head -n 1) || true
    [ -n "$d" ] || return 1
    d=$(dirname "$d")
    sed -n 's/^package=//p; s/^version=//p' "$d/VERSION" | paste -sd' '
}

if ! pkgver=$(resolve_kernel_package); then
    if [ "$(id -u)" = 0 ]; then
        note "apt knows no $meta ${PAVISE_LINUX_VERSION:-$series.x}; running apt-get update"
        apt-get update -qq >/dev/null 2>&1 || true
    fi
    if ! pkgver=$(resolve_kernel_package); then
        [ -z "${PAVISE_LINUX_VERSION:-}" ] ||
            die "apt knows no $meta version $PAVISE_LINUX_VERSION (PAVISE_LINUX_VERSION)"
        pkgver=$(newest_cached) ||
            die "cannot find Debian 12's $meta $series.x (apt sources without bookworm? offline with an empty cache?)"
        note "apt knows no $meta $series.x; using the cached $pkgver"
    fi
fi
read -r pkg ver <<<"$pkgver"
kdir=$out/kernels/${pkg}_$ver

# ------------------------------------------------------------------ vmlinux
# The bzImage's payload starts (setup_sects + 1) * 512 + payload_offset bytes
# in (boot protocol >= 2.08: setup_sects at 0x1f1, payload_offset at 0x248,
# payload_length at 0x24c). Debian's kernel compresses it with XZ (magic
# fd 37 7a 58 5a 00); the kernel appends the decompressed size after the
# stream, which --single-stream ignores. What comes out is the ELF64 vmlinux.
extract_vmlinux() {
    local bz=$1 dst=$2 sects off len start magic
    [ "$(od -An -tx1 -j 0x202 -N4 "$bz" | tr -d ' \n')" = 48647253 ] ||
        die "$bz is not a bzImage (no HdrS)"
    sects=$(od -An -tu1 -j 0x1f1 -N1 "$bz" | tr -d ' ')
    [ "$sects" != 0 ] || sects=4
    off=$(od -An -tu4 -j 0x248 -N4 "$bz" | tr -d ' ')
    len=$(od -An -tu4 -j 0x24c -N4 "$bz" | tr -d ' ')
    start=$(( (sects + 1) * 512 + off ))
    magic=$(od -An -tx1 -j "$start" -N6 "$bz" | tr -d ' \n')
    [ "$magic" = fd377a585a00 ] ||
        die "$bz: payload at $start is not XZ (magic $magic): extraction needs another decompressor"
    dd if="$bz" iflag=skip_bytes,count_bytes skip="$start" count="$len" bs=1M status=none |
        xz -dc --single-stream > "$dst.tmp" || die "$bz: XZ payload does not decompress"
    [ "$(od -An -tx1 -N5 "$dst.tmp" | tr -d ' \n')" = 7f454c4602 ] ||
        die "$bz: payload is not an ELF64 image"
    LC_ALL=C readelf -n "$dst.tmp" | grep -qE '^ +Xen +0x' ||
        die "$bz: the kernel carries no Xen ELF notes (not a Xen PV kernel)"
    mv "$dst.tmp" "$dst"
}

# ------------------------------------------------------------------ modules
# Appends to load_order the modules `wanted` names, each after its
# dependencies (from modules.dep, which depmod writes: Debian's package has
# none until installed).
declare -A dep_of path_of seen
load_order=()
visit() {
    local m=$1 d
    [ -z "${seen[$m]:-}" ] || return 0
    seen[$m]=1
    for d in ${dep_of[$m]:-}; do visit "$d"; done
    load_order+=("$m")
}

resolve_modules() {
    local moddir=$1 m rest name
    while IFS=: read -r m rest; do
        dep_of[$m]=$rest
        name=${m##*/}
        path_of[${name%%.ko*}]=$m
    done < "$moddir/modules.dep"
    for name in $wanted; do
        [ -n "${path_of[$name]:-}" ] || die "$pkg has no module $name"
        visit "${path_of[$name]}"
    done
}

# Copies the modules into $kdir, uncompressed (busybox insmod wants plain
# .ko), and writes modules.load: "name path" per line, in load order.
install_modules() {
    local moddir=$1 m name rel
    : > "$kdir/modules.load.tmp"
    for m in "${load_order[@]}"; do
        name=${m##*/}
        name=${name%%.ko*}
        rel=${m%.ko*}.ko
        mkdir -p "$kdir/modules/$(dirname "$rel")"
        case "$m" in
        *.ko) cp "$moddir/$m" "$kdir/modules/$rel" ;;
        *.ko.xz) xz -dc "$moddir/$m" > "$kdir/modules/$rel" ;;
        *.ko.gz) gzip -dc "$moddir/$m" > "$kdir/modules/$rel" ;;
        *.ko.zst) zstd -qdc "$moddir/$m" > "$kdir/modules/$rel" || die "zstd needed for $m" ;;
        *) die "unknown module format: $m" ;;
        esac
        echo "$name $release/$rel" >> "$kdir/modules.load.tmp"
    done
    mv "$kdir/modules.load.tmp" "$kdir/modules.load"
}

# ------------------------------------------------------------------ kernel
wanted_key=$(echo $wanted)

# The cached .deb of $pkg $ver, if any (apt writes an epoch's ':' as %3a).
cached_deb() {
    ls "$out/debs/${pkg}_"*"_amd64.deb" 2>/dev/null | grep -F "_${ver//:/%3a}_" | head -n 1
}

download_deb() {
    local dl sandbox=() got
    note "downloading $pkg $ver"
    dl=$(mktemp -d "$out/debs/.dl.XXXXXX")
    # As root, keep apt from dropping to _apt, which cannot write here.
    [ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
    if ! (cd "$dl" && apt-get download -qq "${sandbox[@]}" "$pkg=$ver" >/dev/null); then
        rm -rf "$dl"
        return 1
    fi
    got=$(ls "$dl"/*.deb)
    mv "$got" "$out/debs/"
    rm -rf "$dl"
}

kernel_ready() {
    [ -f "$kdir/complete" ] && [ "$(cat "$kdir/modules.wanted" 2>/dev/null)" = "$wanted_key" ]
}

# Offline with a newer kernel in apt's lists: keep using the cached one.
if ! kernel_ready && [ -z "$(cached_deb)" ] && ! download_deb; then
    fallback=$(newest_cached) || fallback=""
    if [ -n "${PAVISE_LINUX_VERSION:-}" ] || [ -z "$fallback" ] || [ "$fallback" = "$pkg $ver" ]; then
        die "apt-get download $pkg=$ver failed (network? apt sources?)"
    fi
    note "cannot download $pkg $ver; using the cached $fallback"
    read -r pkg ver <<<"$fallback"
    kdir=$out/kernels/${pkg}_$ver
fi

if ! kernel_ready; then
    deb=$(cached_deb) || true
    [ -n "$deb" ] || die "no cached .deb for $pkg $ver to rebuild from"
    dpkg-deb --info "$deb" >/dev/null 2>&1 || { rm -f "$deb"; die "$deb is damaged; removed it, run again"; }

    note "unpacking $pkg $ver"
    rm -rf "$kdir" "$kdir.tmp"
    trap 'rm -rf "$kdir.tmp"' EXIT
    mkdir -p "$kdir.tmp/root"
    dpkg -x "$deb" "$kdir.tmp/root"
    bz=$(ls "$kdir.tmp"/root/boot/vmlinuz-* 2>/dev/null | head -n 1)
    [ -n "$bz" ] || die "$deb holds no /boot/vmlinuz-*"
    release=${bz##*/vmlinuz-}
    mkdir -p "$kdir"
    cp "$bz" "$kdir/vmlinuz"
    cp "$kdir.tmp/root/boot/config-$release" "$kdir/config"
    extract_vmlinux "$kdir/vmlinuz" "$kdir/vmlinux"
    "$busybox" depmod -b "$kdir.tmp/root" "$release" ||
        die "depmod on $pkg failed"
    moddir=$kdir.tmp/root/lib/modules/$release
    resolve_modules "$moddir"
    install_modules "$moddir"
    rm -rf "$kdir.tmp"
    trap - EXIT
    printf 'package=%s\nversion=%s\nrelease=%s\n' "$pkg" "$ver" "$release" > "$kdir/VERSION"
    echo "$wanted_key" > "$kdir/modules.wanted"
    touch "$kdir/complete"
fi
release=$(sed -n 's/^release=//p' "$kdir/VERSION")

# ------------------------------------------------------------------ initramfs
# Rebuilt when any input changes: this script, /init, the test program,
# busybox, the kernel and its module list.
key=$(cat "${BASH_SOURCE[0]}" "$init_script" "$prog" "$busybox" "$kdir/VERSION" "$kdir/modules.load" |
      sha256sum | cut -d' ' -f1)
if [ ! -f "$out/initrd.gz" ] || [ "$(cat "$out/initrd.key" 2>/dev/null)" != "$key" ]; then
    stage=$(mktemp -d "$out/.initrd.XXXXXX")
    trap 'rm -rf "$stage"' EXIT
    mkdir -p "$stage"/{bin,dev,proc,sys,tmp,etc,lib/modules}
    cp "$busybox" "$stage/bin/busybox"
    for applet in $("$busybox" --list); do
        [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
    done
    cp "$init_script" "$stage/init"
    chmod 755 "$stage/init"
    cp "$prog" "$stage/bin/dom0check"
    cp -r "$kdir/modules" "$stage/lib/modules/$release"
    cp "$kdir/modules.load" "$stage/etc/modules.load"
    # The kernel gives /init the console only if /dev/console exists in the
    # image; creating the node needs root. /init copes without it.
    [ "$(id -u)" = 0 ] && mknod -m 600 "$stage/dev/console" c 5 1
    (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
        cpio -o -H newc -R 0:0 --quiet | gzip -9n) > "$out/initrd.gz.tmp"
    mv "$out/initrd.gz.tmp" "$out/initrd.gz"
    echo "$key" > "$out/initrd.key"
    rm -rf "$stage"
    trap - EXIT
fi

# ------------------------------------------------------------------ publish
for f in vmlinuz vmlinux VERSION modules.load; do
    if ! cmp -s "$kdir/$f" "$out/$f"; then
        ln -f "$kdir/$f" "$out/$f.tmp" 2>/dev/null || cp "$kdir/$f" "$out/$f.tmp"
        mv "$out/$f.tmp" "$out/$f"
    fi
done
