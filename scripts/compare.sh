#!/usr/bin/env bash
# Runs one section's C++ executable and its Python reference with the same
# flags, and compares what they print (scripts/compare.py):
#
#   scripts/compare.sh SECTION [flags...]    e.g. scripts/compare.sh 3.3 --loss huber
#   scripts/compare.sh 3.6 --epochs 2        3.6/3.7: the per-epoch metrics too
#
# SECTION is a book number (3.1 ... 3.7; matched to chapters/SECTION-*). The C++
# side runs build/chapters/<folder>/<folder> FLAGS --no-figures, the Python side
# /usr/bin/python3 scripts/reference/<folder>.py FLAGS; for 3.6/3.7 both also get
# --metrics FILE and the files are compared number by number.
# Exit status: compare.py's (0 identical, 1 different), 2 when something could
# not run (missing build or python3-torch, a failing program). Runs from any
# folder; the captures are kept in a temporary folder when they differ.
#
# Environment: D2L_BUILD_DIR (default <repo>/build); D2L_PYTHON (default
# /usr/bin/python3). Both programs share one environment, so they run the same
# arithmetic (the book's set-up where the CPU allows, else the same other one:
# README, "Same numbers"), and the comparison is exact on any machine.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${D2L_BUILD_DIR:-$root/build}"
python="${D2L_PYTHON:-/usr/bin/python3}"

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi
section="$1"
shift

source "$root/scripts/section.sh"
folder="$(section_folder "$root" "$section" compare.sh)" || exit 2
exe="$build_dir/chapters/$folder/$folder"
ref="$root/scripts/reference/$folder.py"
if [[ ! -x "$exe" ]]; then
  echo "compare.sh: $exe not found: build first (scripts/setup.sh)" >&2
  exit 2
fi
if [[ ! -f "$ref" ]]; then
  echo "compare.sh: no Python reference $ref" >&2
  exit 2
fi
if ! "$python" -c 'import torch' >/dev/null 2>&1; then
  echo "compare.sh: $python cannot import torch: apt-get install python3-torch (or scripts/setup.sh --with-python)" >&2
  exit 2
fi

flags=("$@")
with_metrics=0
case "$folder" in 3.6-*|3.7-*) with_metrics=1 ;; esac
no_figures=(--no-figures)
for f in "${flags[@]}"; do
  case "$f" in
    --metrics|--metrics=*)
      echo "compare.sh: --metrics is set by compare.sh itself; leave it out" >&2
      exit 2 ;;
    --no-figures) no_figures=() ;;
  esac
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/d2l-compare.XXXXXX")"
cpp_metrics=() py_metrics=()
if [[ $with_metrics == 1 ]]; then
  cpp_metrics=(--metrics "$tmp/cpp.metrics.jsonl")
  py_metrics=(--metrics "$tmp/py.metrics.jsonl")
fi

run() {  # name, command...: stdout to $tmp/name.txt, stderr to $tmp/name.err
  local name="$1"
  shift
  local start=$SECONDS
  "$@" >"$tmp/$name.txt" 2>"$tmp/$name.err"
  local rc=$?
  echo "compare.sh: $name finished in $((SECONDS - start)) s (exit $rc)" >&2
  if [[ $rc != 0 ]]; then
    echo "compare.sh: $name failed (exit $rc): $*" >&2
    tail -n 5 "$tmp/$name.err" | sed 's/^/  /' >&2
    echo "compare.sh: captures kept in $tmp" >&2
    exit 2
  fi
}

echo "compare.sh: $folder ${flags[*]}" >&2
run cpp "$exe" "${flags[@]}" "${no_figures[@]}" "${cpp_metrics[@]}"
run py "$python" "$ref" "${flags[@]}" "${no_figures[@]}" "${py_metrics[@]}"
# The set-up note (if any) each side printed: they must agree.
cpp_note="$(grep -h '^note: arithmetic' "$tmp/cpp.err" || true)"
py_note="$(grep -h '^note: arithmetic' "$tmp/py.err" || true)"
book_setup="the book's (OpenBLAS SkylakeX kernels, 2 threads)"
echo "compare.sh: arithmetic: ${cpp_note:-$book_setup}" >&2
if [[ "$cpp_note" != "$py_note" ]]; then
  echo "compare.sh: warning: C++ and Python ran different set-ups: '$cpp_note' vs '$py_note'" >&2
fi

echo "stdout (C++ = A, Python = B):"
python3 "$root/scripts/compare.py" "$tmp/cpp.txt" "$tmp/py.txt"
status=$?
if [[ $with_metrics == 1 ]]; then
  echo "metrics (C++ = A, Python = B):"
  python3 "$root/scripts/compare.py" --metrics "$tmp/cpp.metrics.jsonl" "$tmp/py.metrics.jsonl"
  m=$?
  (( m > status )) && status=$m
fi
if [[ $status == 0 ]]; then
  rm -rf "$tmp"
else
  echo "compare.sh: captures kept in $tmp" >&2
fi
exit "$status"
