#!/usr/bin/env bash
# Prints the book's exercises of every section as Markdown tables, from each
# built section's `--exercises` list (exercise, command, what it shows):
#
#   scripts/exercise_table.sh             print the tables
#   scripts/exercise_table.sh --update    rewrite README.md's copy (between
#                                         its exercise-table markers)
#
# tests/test_exercises.cpp checks README.md's copy against the executables.
# Environment: D2L_BUILD_DIR (default <repo>/build). Runs from any folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${D2L_BUILD_DIR:-$root/build}"
update=0
case "${1:-}" in
  --update) update=1 ;;
  "") ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "exercise_table.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
esac

source "$root/scripts/section.sh"

table() {
  local folder section exe
  for folder in $(section_folders "$root"); do
    section="${folder%%-*}"
    exe="$build_dir/chapters/$folder/$folder"
    if [[ ! -x $exe ]]; then
      echo "exercise_table.sh: $exe not found: build first (scripts/setup.sh)" >&2
      exit 2
    fi
    # A section without exercises (its description, kept by the build) has
    # no --exercises and no table.
    if grep -q '"exercises": \[\]' "$exe.describe.json"; then
      continue
    fi
    # --exercises prints a two-line header, then per exercise
    # "  exercise ID  FLAGS" and "      WHAT".
    "$exe" --exercises | awk -v section="$section" -v heading="$("$exe" --help | sed -n 1p)" '
      NR == 1 { print "**" heading "**"; print ""; print "| exercise | command | what it shows |"; print "|---|---|---|" }
      /^  exercise / {
        id = $2
        flags = substr($0, index($0, id) + length(id))
        sub(/^ +/, "", flags)
        if (flags == "(the default run)") flags = ""
        cmd = "scripts/run.sh " section (flags == "" ? "" : " " flags)
        next
      }
      /^      / { what = $0; sub(/^ +/, "", what); gsub(/\|/, "\\|", what); print "| " id " | `" cmd "` | " what " |" }
      END { print "" }'
  done
}

if [[ $update == 0 ]]; then
  table
  exit 0
fi
readme="$root/README.md"
begin='<!-- exercise-table: begin (scripts/exercise_table.sh --update) -->'
end='<!-- exercise-table: end -->'
if ! grep -qF "$begin" "$readme" || ! grep -qF "$end" "$readme"; then
  echo "exercise_table.sh: README.md lacks the markers '$begin' and '$end'" >&2
  exit 2
fi
tmp="$(mktemp)"
trap 'rm -f "$tmp" "$tmp.table"' EXIT
table >"$tmp.table"
awk -v begin="$begin" -v end="$end" -v table="$tmp.table" '
  $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
  $0 == end { skip = 0 }
  !skip { print }' "$readme" >"$tmp"
cat "$tmp" >"$readme"
echo "exercise_table.sh: README.md updated" >&2
