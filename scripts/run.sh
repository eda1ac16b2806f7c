#!/usr/bin/env bash
# Sets up and builds (scripts/setup.sh), then runs one section or one of
# your own programs in exercises/:
#
#   scripts/run.sh 3.2 [flags...]     e.g. scripts/run.sh 3.6 --epochs 5
#   scripts/run.sh 3.2 --help         the section's flags
#   scripts/run.sh 3.2 --exercises    the section's exercises, with commands
#   scripts/run.sh exercises/mine.cpp [flags...]   your exercises/mine.cpp
#
# Runs from any folder; figures go to ./out unless --out DIR is given.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${D2L_BUILD_DIR:-$root/build}"
if [[ $# -lt 1 ]]; then
  echo "usage: scripts/run.sh SECTION [flags...]   (SECTION: 3.1 ... 3.7, or exercises/NAME.cpp)" >&2
  exit 2
fi
section="$1"
shift
case "$section" in
  *.cpp|exercises/*)
    # One of the learner's programs: exercises/<name>.cpp -> build/exercises/<name>.
    name="$(basename "$section" .cpp)"
    if [[ ! -f "$root/exercises/$name.cpp" ]]; then
      echo "run.sh: no exercises/$name.cpp; yours: $(cd "$root/exercises" && printf '%s ' *.cpp)" >&2
      exit 2
    fi
    # Only this program is built: another file that does not compile (yet)
    # stops nobody.
    "$root/scripts/setup.sh" --target "exercise_$name" >&2
    exec "$build_dir/exercises/$name" "$@" ;;
esac
source "$root/scripts/section.sh"
folder="$(section_folder "$root" "$section" run.sh)" || exit 2
"$root/scripts/setup.sh" --target "$folder" >&2
exec "$build_dir/chapters/$folder/$folder" "$@"
