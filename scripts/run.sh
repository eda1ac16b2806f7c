#!/usr/bin/env bash
# Sets up and builds (scripts/setup.sh), then runs one section:
#
#   scripts/run.sh 3.2 [flags...]     e.g. scripts/run.sh 3.6 --epochs 5
#   scripts/run.sh 3.2 --help         the section's flags
#
# Runs from any folder; figures go to ./out unless --out DIR is given.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${D2L_BUILD_DIR:-$root/build}"
if [[ $# -lt 1 ]]; then
  echo "usage: scripts/run.sh SECTION [flags...]   (SECTION: 3.1 ... 3.7)" >&2
  exit 2
fi
section="$1"
shift
source "$root/scripts/section.sh"
folder="$(section_folder "$root" "$section" run.sh)" || exit 2
"$root/scripts/setup.sh" >&2
exec "$build_dir/chapters/$folder/$folder" "$@"
