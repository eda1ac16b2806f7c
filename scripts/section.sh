# Sourced by the scripts that take a section number or walk the sections
# (run.sh, compare.sh, bench.sh, golden/gen_sections.sh).
# section_folder ROOT SECTION PROGRAM: prints the folder under ROOT/chapters
# for SECTION (3.2 -> 3.2-linear-regression-scratch); else says which
# sections exist, as PROGRAM, and returns 2.
section_folder() {
  local root="$1" section="$2" program="$3" dir
  for dir in "$root"/chapters/"$section"-*/; do
    if [[ -d $dir ]]; then
      basename "$dir"
      return 0
    fi
  done
  echo "$program: no section '$section'; known: $(cd "$root/chapters" && printf '%s ' 3.*-*)" >&2
  return 2
}

# section_folders ROOT: every section's folder under ROOT/chapters (a folder
# with a main.cpp), one per line, in order: a new section is found by its
# folder alone.
section_folders() {
  local dir
  for dir in "$1"/chapters/*/; do
    [[ -f $dir/main.cpp ]] && basename "$dir"
  done
  return 0
}

# describes EXE KEY: whether the program EXE says "KEY": true about itself
# (EXE --describe; e.g. KEY metrics: it takes --metrics FILE).
describes() {
  "$1" --describe 2>/dev/null | grep -q "\"$2\": true"
}
