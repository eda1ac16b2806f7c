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
# The numbers depend on the BLAS: the reference scripts (like the C++ sections)
# run under the set-up the book's numbers were made with, OpenBLAS's SkylakeX
# kernels on 2 threads and 1 torch intra-op thread, on a CPU with AVX-512
# (unless D2L_NATIVE_BLAS=1, OPENBLAS_CORETYPE or OPENBLAS_NUM_THREADS is set;
# scripts/reference/numeric_setup.py). Generate the goldens in that set-up.
#
# Under another torch (Debian 13's 2.6, unstable's 2.14), the files that differ
# from the 1.13 ones (timings aside) go to tests/golden/torch-<major.minor>/,
# which the tests read instead under that LibTorch release; MANIFEST is kept.
# Environment: D2L_PYTHON (default /usr/bin/python3). Runs from any folder; the
# trainings run one after another.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/section.sh"
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

sections=()
while read -r folder; do sections+=("$folder"); done < <(section_folders "$root")
# Flag variants: "<folder> <variant> <flags...>", at seed 0 unless they set one.
variants=(
  "3.2-linear-regression-scratch init-zeros --init zeros"
  "3.2-linear-regression-scratch n1005 --num-examples 1005 --batch-size 10"
  "3.2-linear-regression-scratch b7-e2-lr0.05 --batch-size 7 --epochs 2 --lr 0.05"
  "3.2-linear-regression-scratch seed-minus1 --seed -1 --epochs 1"
  "3.3-linear-regression-concise huber-s0.5 --loss huber --huber-sigma 0.5"
  "3.3-linear-regression-concise sum-lr0.003 --reduction sum --lr 0.003"
  "3.3-linear-regression-concise drop-last-n1005 --drop-last --num-examples 1005"
  "3.3-linear-regression-concise b7-e2 --batch-size 7 --epochs 2"
  "3.4-softmax-regression d16-q8 --d 16 --q 8 --phm-n 1 2 4 8"
  # The exercises (each section's --exercises lists them); trainings cut to a
  # few epochs: the same code paths, a faster suite (under ASan too).
  "3.1-linear-regression ex-constant-b --constant-b"
  "3.1-linear-regression ex-analytic --analytic"
  "3.1-linear-regression ex-collinear --collinear"
  "3.1-linear-regression ex-laplace --laplace"
  "3.1-linear-regression ex-laplace-sgd --laplace-sgd"
  "3.1-linear-regression ex-all-b7-e4-lr0.01 --constant-b --analytic --collinear --laplace --laplace-sgd --lr 0.01 --epochs 4 --batch-size 7"
  "3.2-linear-regression-scratch ex-symmetry --symmetry-demo"
  "3.2-linear-regression-scratch ex-ohm --ohm"
  "3.2-linear-regression-scratch ex-planck --planck"
  "3.2-linear-regression-scratch ex-second-derivatives --second-derivatives"
  "3.2-linear-regression-scratch ex-reshape --reshape-demo"
  "3.2-linear-regression-scratch ex-lr-sweep --lr-sweep"
  "3.2-linear-regression-scratch ex-last-batch --num-examples 1005 --last-batch"
  "3.3-linear-regression-concise ex-newton --newton"
  "3.3-linear-regression-concise ex-losses --losses"
  "3.3-linear-regression-concise ex-losses-s0.5 --losses --huber-sigma 0.5"
  "3.3-linear-regression-concise ex-inits --inits"
  "3.3-linear-regression-concise ex-show-grad --show-grad"
  "3.4-softmax-regression ex-hessian --hessian"
  "3.4-softmax-regression ex-coding --coding"
  "3.4-softmax-regression ex-real-softmax --a 1.5 --b -0.5 --soft-min --values 1 2 3.5"
  "3.5-image-classification-dataset ex-batch-size-1 --batch-size 1"
  "3.5-image-classification-dataset ex-reader-speed --reader-speed"
  "3.5-image-classification-dataset ex-framework-datasets --framework-datasets"
  "3.6-softmax-regression-scratch ex-softmax-demo-e1 --softmax-demo --epochs 1"
  "3.6-softmax-regression-scratch ex-stable-lr1-e2 --stable --lr 1 --epochs 2"
  "3.6-softmax-regression-scratch ex-reject-option-e2 --reject-option --epochs 2"
  "3.6-softmax-regression-scratch ex-vocab-softmax-e1 --vocab-softmax --epochs 1"
  "3.7-softmax-regression-concise ex-tuning-e3 --lr 0.3 --batch-size 64 --epochs 3"
  "3.7-softmax-regression-concise ex-overfit-e6 --epochs 6 --overfit-summary"
  "3.7-softmax-regression-concise ex-overfit-wd0.01-e4 --epochs 4 --overfit-summary --weight-decay 0.01"
)

major_minor="$("$python" -c 'import torch; print(".".join(torch.__version__.split(".")[:2]))')"
versioned=""
if [[ $major_minor != 1.13 ]]; then
  versioned="$golden/torch-$major_minor"
  golden="$(mktemp -d)"
  trap 'rm -rf "$golden"' EXIT
  mkdir -p "$versioned"
fi
mkdir -p "$golden"
manifest="$golden/MANIFEST.tmp"
{
  echo "# Golden outputs of the Python references; regenerate with scripts/golden/gen_sections.sh"
  echo "# file<TAB>section-folder<TAB>flags (the C++ executable also gets --no-figures;"
  echo "# *.metrics.jsonl: the same run's --metrics FILE output)"
  echo "# made in the book's set-up: OpenBLAS SkylakeX kernels, 2 threads; 1 torch intra-op thread"
} >"$manifest"

# takes_metrics FOLDER: whether the section's reference takes --metrics FILE
# (its --help says so), asked once per section.
declare -A metrics_of=()
takes_metrics() {
  if [[ -z ${metrics_of[$1]:-} ]]; then
    metrics_of[$1]=no
    if "$python" "$ref_dir/$1.py" --help 2>/dev/null | grep -q -- '--metrics'; then
      metrics_of[$1]=yes
    fi
  fi
  [[ ${metrics_of[$1]} == yes ]]
}

generate() {  # name folder flags...: run the reference, record it in MANIFEST
  local name="$1" folder="$2"
  shift 2
  local metrics=()
  if takes_metrics "$folder"; then
    metrics=(--metrics "$golden/$name.metrics.jsonl")
  fi
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
  seed=(--seed 0)
  [[ " $flags " == *" --seed "* ]] && seed=()  # the variant sets its own
  # shellcheck disable=SC2086  # flags are words
  generate "$folder.$variant" "$folder" "${seed[@]}" $flags
done
if [[ -n $versioned ]]; then
  # Keep only what differs from the 1.13 goldens, timing values masked.
  mask() { sed -E 's/[0-9]+(\.[0-9]+)? sec/<t> sec/g' "$1"; }
  kept=0
  while IFS=$'\t' read -r name _; do
    [[ $name == \#* || -z $name ]] && continue
    if cmp -s <(mask "$golden/$name") <(mask "$root/tests/golden/$name"); then
      rm -f "$versioned/$name"
    else
      cp "$golden/$name" "$versioned/$name"
      kept=$((kept + 1))
    fi
  done <"$manifest"
  echo "gen_sections: torch $major_minor: $kept files differ from the 1.13 goldens; kept in $versioned" >&2
else
  mv "$manifest" "$golden/MANIFEST"
  echo "gen_sections: wrote $(($(grep -vc '^#' "$golden/MANIFEST"))) files listed in tests/golden/MANIFEST" >&2
fi

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
