#!/bin/sh
# standalone.sh CC SRCDIR STAMP
# Every pvabi header must compile on its own: as freestanding C (the
# hypervisor's and the guests' setting, warnings as errors) and through the
# preprocessor as assembler source (constants used from .S files).
set -eu
cc=$1
srcdir=$2
stamp=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc=$srcdir/pvabi/include
flags="-std=gnu11 -ffreestanding -nostdinc -isystem $($cc -print-file-name=include) -I$inc"
status=0
for h in $(cd "$inc" && find pvabi -name '*.h' | LC_ALL=C sort); do
    printf '#include <%s>\n' "$h" > "$tmp/one.c"
    # shellcheck disable=SC2086
    $cc $flags -Wall -Wextra -Werror -Wundef -fsyntax-only -x c "$tmp/one.c" ||
        { echo "standalone: $h does not compile on its own (C)" >&2; status=1; }
    # shellcheck disable=SC2086
    $cc $flags -E -x assembler-with-cpp "$tmp/one.c" > /dev/null ||
        { echo "standalone: $h does not preprocess as assembler" >&2; status=1; }
done
[ $status = 0 ] && touch "$stamp"
exit $status
