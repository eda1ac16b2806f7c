#!/usr/bin/env bash
# Regenerates the end-to-end golden files of the sections from the Python
# reference scripts (scripts/reference/<folder>.py, Debian's python3-torch):
#
#   scripts/golden/gen_sections.sh                  all sections (about 1 min)
#   scripts/golden/gen_sections.sh --check-book DIR  then compare each seed-0
#                                                   output with DIR/3.X.txt
#
# Writes into tests/golden/:
#   <folder>.seed0.txt, <folder>.seed7.txt          stdout, default flags
#   <folder>.seed{0,7}.metrics.jsonl                3.6/3.7: --metrics output
#   <folder>.<variant>.txt                          3.2/3.3 flag variants
#   MANIFEST                                        file<TAB>folder<TAB>flags
# Timing values are written as produced; the C++ tests mask them.
#
# The numbers of 3.6/3.7 depend on the BLAS: their reference scripts (like the
# C++ sections) re-execute themselves under the set-up the book's numbers were
# made with, OpenBLAS's SkylakeX kernels on 2 threads, on a CPU with AVX-512
# (unless OPENBLAS_CORETYPE or D2L_NATIVE_BLAS=1 is set). torch's own thread
# count is left at its default (MANIFEST records it).
# Environment: D2L_PYTHON (default /usr/bin/python3). Runs from any folder; the
# trainings run one after another.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${D2L_PYTHON:-/usr/bin/python3}"
golden="$root/tests/golden"
ref_dir="$root/scripts/reference"
book_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --check-book) book_dir="${2:?--check-book needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gen_sections.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if ! "$python" -c 'import torch' >/dev/null 2>&1; then
  echo "gen_sections.sh: $python cannot import torch: apt-get install python3-torch (or scripts/setup.sh --with-python)" >&2
  exit 2
fi

sections=(
  3.1-linear-regression
  3.2-linear-regression-scratch
  3.3-linear-regression-concise
  3.4-softmax-regression
  3.5-image-classification-dataset
  3.6-softmax-regression-scratch
  3.7-softmax-regression-concise
)
# Flag variants: "<folder> <variant> <flags...>", each at seed 0.
variants=(
  "3.2-linear-regression-scratch init-zeros --init zeros"
  "3.2-linear-regression-scratch n1005 --num-examples 1005 --batch-size 10"
  "3.2-linear-regression-scratch b7-e2-lr0.05 --batch-size 7 --epochs 2 --lr 0.05"
  "3.3-linear-regression-concise huber-s0.5 --loss huber --huber-sigma 0.5"
  "3.3-linear-regression-concise sum-lr0.003 --reduction sum --lr 0.003"
  "3.3-linear-regression-concise drop-last-n1005 --drop-last --num-examples 1005"
  "3.3-linear-regression-concise b7-e2 --batch-size 7 --epochs 2"
  "3.4-softmax-regression d16-q8 --d 16 --q 8 --phm-n 1 2 4 8"
)

mkdir -p "$golden"
manifest="$golden/MANIFEST.tmp"
threads="$("$python" -c 'import torch; print(torch.get_num_threads())')"
{
  echo "# Golden outputs of the Python references; regenerate with scripts/golden/gen_sections.sh"
  echo "# file<TAB>section-folder<TAB>flags (the C++ executable also gets --no-figures;"
  echo "# *.metrics.jsonl: the same run's --metrics FILE output)"
  echo "# 3.6/3.7 ran under the book's BLAS set-up (see the script); torch threads: default ($threads here)"
} >"$manifest"

generate() {  # name folder flags...: run the reference, record it in MANIFEST
  local name="$1" folder="$2"
  shift 2
  local metrics=()
  case "$folder" in
    3.6-*|3.7-*) metrics=(--metrics "$golden/$name.metrics.jsonl") ;;
  esac
  local start=$SECONDS
  "$python" "$ref_dir/$folder.py" "$@" "${metrics[@]}" >"$golden/$name.txt"
  echo "gen_sections: $name.txt ($((SECONDS - start)) s)" >&2
  printf '%s\t%s\t%s\n' "$name.txt" "$folder" "$*" >>"$manifest"
  if (( ${#metrics[@]} )); then
    printf '%s\t%s\t%s\n' "$name.metrics.jsonl" "$folder" "$*" >>"$manifest"
  fi
}

for folder in "${sections[@]}"; do
  for seed in 0 7; do
    generate "$folder.seed$seed" "$folder" --seed "$seed"
  done
done
for v in "${variants[@]}"; do
  read -r folder variant flags <<<"$v"
  # shellcheck disable=SC2086  # flags are words
  generate "$folder.$variant" "$folder" --seed 0 $flags
done
mv "$manifest" "$golden/MANIFEST"
echo "gen_sections: wrote $(($(grep -vc '^#' "$golden/MANIFEST"))) files listed in tests/golden/MANIFEST" >&2

if [[ -n "$book_dir" ]]; then
  status=0
  for folder in "${sections[@]}"; do
    book="$book_dir/${folder%%-*}.txt"
    grep -q '^--- cell' "$book" || continue  # 3.4: no code in the book
    echo "== $folder.seed0 vs $book"
    python3 "$root/scripts/compare.py" "$book" "$golden/$folder.seed0.txt" || status=1
    if [[ -f "$golden/$folder.seed0.metrics.jsonl" ]]; then
      python3 "$root/scripts/compare.py" --metrics "$book" "$golden/$folder.seed0.metrics.jsonl" || status=1
    fi
  done
  exit "$status"
fi
