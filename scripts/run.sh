#!/bin/bash
# The main job: install what is needed, build, and boot Pavise under QEMU
# with its domains, showing the serial console. The run ends by itself when
# the domains have shut down; to leave early press Ctrl-A then X.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec tests/harness/pvboot --interactive --name run "$@"
