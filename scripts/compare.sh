#!/usr/bin/env bash
# Runs one section's C++ executable and its Python reference with the same
# flags, and compares what they print (scripts/compare.py):
#
#   scripts/compare.sh SECTION [flags...]    e.g. scripts/compare.sh 3.3 --loss huber
#   scripts/compare.sh 3.6 --epochs 2        3.6/3.7: the per-epoch metrics too
#
# SECTION is a book number (3.1 ... 3.7; matched to chapters/SECTION-*). The C++
# side runs build/chapters/<folder>/<folder> FLAGS --no-figures, the Python side
# /usr/bin/python3 scripts/reference/<folder>.py FLAGS; for a section that takes
# --metrics (3.6/3.7: its --describe says so) both also get --metrics FILE and
# the files are compared number by number.
# A run that stops with an error (e.g. a diverging training) is compared too:
# both sides must end with the same exit status and "error:" line, and what
# they printed before it must agree.
# Exit status: compare.py's (0 identical, 1 different, or the two sides ended
# differently), 2 when something could not run (missing build or
# python3-torch, flags both sides refuse). Runs from any folder; the captures
# are kept in a temporary folder when they differ.
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
  sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
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
describes "$exe" metrics && with_metrics=1  # it takes --metrics FILE
no_figures=(--no-figures)
for f in "${flags[@]}"; do
  case "$f" in
    --metrics|--metrics=*)
      echo "compare.sh: --metrics is set by compare.sh itself; leave it out" >&2
      exit 2 ;;
    --no-figures) no_figures=() ;;
    --exercises|--help|-h)
      echo "compare.sh: $f prints the C++ section's own text, not the book's; run it directly (scripts/run.sh $section $f)" >&2
      exit 2 ;;
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
  printf -v "rc_$name" '%s' "$rc"
}
error_line() {  # the last "error: ..." line a side printed on stderr
  grep -h '^error: ' "$tmp/$1.err" | tail -n 1
}

echo "compare.sh: $folder ${flags[*]}" >&2
run cpp "$exe" "${flags[@]}" "${no_figures[@]}" "${cpp_metrics[@]}"
run py "$python" "$ref" "${flags[@]}" "${no_figures[@]}" "${py_metrics[@]}"
# A run that stops with an error (a diverging training, a missing file) is
# compared too: both sides must stop with the same exit status and message.
if [[ $rc_cpp != 0 || $rc_py != 0 ]]; then
  if [[ $rc_cpp == 2 && $rc_py == 2 ]]; then
    echo "compare.sh: both sides refused the flags:" >&2
    tail -n 2 "$tmp/cpp.err" "$tmp/py.err" | sed 's/^/  /' >&2
    rm -rf "$tmp"
    exit 2
  fi
  if [[ $rc_cpp != "$rc_py" || "$(error_line cpp)" != "$(error_line py)" ]]; then
    echo "compare.sh: the two sides ended differently: C++ exit $rc_cpp, Python exit $rc_py" >&2
    for side in cpp py; do
      echo "  $side:" >&2
      tail -n 3 "$tmp/$side.err" | sed 's/^/    /' >&2
    done
    echo "compare.sh: captures kept in $tmp" >&2
    exit 1
  fi
  echo "compare.sh: both sides stopped with exit $rc_cpp and the same message:" >&2
  echo "  $(error_line cpp)" >&2
fi
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
if [[ $with_metrics == 1 && ! -f $tmp/cpp.metrics.jsonl && ! -f $tmp/py.metrics.jsonl ]]; then
  with_metrics=0  # both stopped before the first epoch ended
fi
if [[ $with_metrics == 1 ]]; then
  touch "$tmp/cpp.metrics.jsonl" "$tmp/py.metrics.jsonl"
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
