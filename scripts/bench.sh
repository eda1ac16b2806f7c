#!/usr/bin/env bash
# Benchmarks every section, C++ against the Python reference (Debian's
# python3-torch, same libtorch), on this machine in one run:
#
#   scripts/bench.sh [--repeat N]     (default N = 3; the best of N counts)
#
# For each section: wall time of the C++ executable and of
# scripts/reference/<folder>.py with default flags (--no-figures), and their
# ratio. For the sections that train by epochs (3.6/3.7: those whose
# --describe says they take --metrics) also the time of one epoch, measured as
# (time of 10 epochs - time of 1 epoch) / 9, which removes start-up and data
# loading from both sides alike. Last, the start-up alone: `--help` of a
# section (loading LibTorch and OpenBLAS, the book's BLAS set-up, parsing the
# flags) against `import torch` plus the same set-up in Python, and LibTorch
# alone: an empty program linked to it against `import torch`, and the
# launcher alone (common/src/launcher/launcher.cpp, which every section and
# twin starts through, executing /bin/true; /bin/true's own time in
# brackets). Both sides run in the book's set-up where the CPU allows it,
# with no second start (README, "Same numbers"). Needs a build (scripts/setup.sh) and
# python3-torch (scripts/setup.sh --with-python). Runs from any folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/section.sh"
build_dir="${D2L_BUILD_DIR:-$root/build}"
python="${D2L_PYTHON:-/usr/bin/python3}"
repeat=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repeat) repeat="${2:?--repeat needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if ! "$python" -c 'import torch' >/dev/null 2>&1; then
  echo "bench.sh: $python cannot import torch: run scripts/setup.sh --with-python" >&2
  exit 2
fi

calc() { awk "BEGIN { print $1 }"; }

# best_of CMD...: the least wall time of $repeat runs, in seconds.
best_of() {
  local best="" t0 t1 dt
  for ((i = 0; i < repeat; i++)); do
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "bench.sh: failed: $*" >&2; exit 1; }
    t1=$(date +%s.%N)
    dt=$(calc "$t1 - $t0")
    if [[ -z $best ]] || [[ $(calc "$dt < $best") == 1 ]]; then best=$dt; fi
  done
  printf '%.3f' "$best"
}

# The Python twins start under the launcher, as the sections do (started
# otherwise, numeric_setup.py would start them again under it).
launch=("$build_dir/launch/d2l_launch")
if [[ ! -x ${launch[0]} ]]; then
  echo "bench.sh: ${launch[0]} not found: build first (scripts/setup.sh)" >&2
  exit 2
fi

cd "$root"
printf '%-36s %10s %10s %8s\n' "section" "C++ s" "Python s" "ratio"
sections=()
while read -r folder; do sections+=("$folder"); done < <(section_folders "$root")
for folder in "${sections[@]}"; do
  exe="$build_dir/chapters/$folder/$folder"
  ref="scripts/reference/$folder.py"
  [[ -x $exe && -f $ref ]] || continue
  cpp=$(best_of "$exe" --no-figures)
  py=$(best_of "${launch[@]}" "$python" "$ref" --no-figures)
  printf '%-36s %10s %10s %7.1fx\n' "$folder" "$cpp" "$py" "$(calc "$py / $cpp")"
done

echo
printf '%-36s %10s %10s %8s\n' "one training epoch" "C++ s" "Python s" "ratio"
for folder in "${sections[@]}"; do
  exe="$build_dir/chapters/$folder/$folder"
  describes "$exe" metrics || continue  # the sections that train by epochs
  ref="scripts/reference/$folder.py"
  c1=$(best_of "$exe" --no-figures --epochs 1)
  c10=$(best_of "$exe" --no-figures --epochs 10)
  p1=$(best_of "${launch[@]}" "$python" "$ref" --epochs 1)
  p10=$(best_of "${launch[@]}" "$python" "$ref" --epochs 10)
  ce=$(calc "($c10 - $c1) / 9")
  pe=$(calc "($p10 - $p1) / 9")
  printf '%-36s %10.3f %10.3f %7.1fx\n' "$folder" "$ce" "$pe" "$(calc "$pe / $ce")"
done

echo
printf '%-36s %10s %10s %8s\n' "start-up" "C++ s" "Python s" "ratio"
first="${sections[0]}"
cpp=$(best_of "$build_dir/chapters/$first/$first" --help)
py=$(best_of "${launch[@]}" "$python" -c "import sys; sys.path.insert(0, '$root/scripts/reference'); import numeric_setup, torch")
printf '%-36s %10s %10s %7.1fx\n' "load, set-up, flags" "$cpp" "$py" "$(calc "$py / $cpp")"
probe="$build_dir/tests/libtorch_load_probe"
if [[ -x $probe ]]; then
  # An empty program linked to LibTorch: what the LibTorch release costs by
  # itself, in every section's time above (Python: import torch alone).
  lt=$(best_of "$probe")
  pt=$(best_of "$python" -c "import torch")
  printf '%-36s %10s %10s %7.1fx\n' "LibTorch alone (empty program)" "$lt" "$pt" "$(calc "$pt / $lt")"
fi
# The launcher by itself (what it adds to every section's start: deciding
# the set-up and executing the program), here executing /bin/true.
la=$(best_of "${launch[0]}" /bin/true)
tr=$(best_of /bin/true)
printf '%-36s %10s %10s\n' "launcher alone (then /bin/true)" "$la" "($tr)"
