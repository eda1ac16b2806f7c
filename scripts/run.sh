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
folder=""
for dir in "$root"/chapters/"$section"-*/; do
  [[ -d "$dir" ]] && folder="$(basename "$dir")"
done
if [[ -z "$folder" ]]; then
  echo "run.sh: no section '$section'; known: $(cd "$root/chapters" && ls -d 3.*/ | tr -d / | tr '\n' ' ')" >&2
  exit 2
fi
"$root/scripts/setup.sh" >&2
exec "$build_dir/chapters/$folder/$folder" "$@"
