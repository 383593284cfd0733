# Shared helpers for boot tests (sourced). Paths come from the environment
# automake sets (top_srcdir, top_builddir), or are derived from this file.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PVBOOT="$top_srcdir/tests/harness/pvboot"
PAVISE_IMAGE="$top_builddir/hypervisor/pavise"
export top_srcdir top_builddir

# Automake's "skipped" status.
skip() { echo "SKIP: $*"; exit 77; }
