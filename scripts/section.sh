# Sourced by scripts that take a section number (run.sh, compare.sh).
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
