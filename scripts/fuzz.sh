#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz) from the sanitizer build:
#
#   scripts/fuzz.sh                       each target for 30 s (CI's smoke run)
#   scripts/fuzz.sh --seconds 1200 fuzz_idx    a long run of one target
#
# Targets: fuzz_idx (the IDX reader, raw and gzip, against a reference
# decoder), fuzz_cli (the command line of every section) and fuzz_gnuplot
# (paths and texts in a figure's gnuplot script: the same commands whatever
# their bytes). Each starts
# from its committed seed corpus (tests/fuzz/corpus/<name>, made by
# tests/fuzz/make_corpus.py) and grows a working copy in
# build-sanitize/fuzz-corpus/<name>. A crash, sanitizer report, disagreement
# or timeout leaves the input in build-sanitize/fuzz-artifacts/ and fails
# (exit 1). Builds first (scripts/sanitize.sh's build, without its tests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${D2L_SANITIZE_BUILD_DIR:-$root/build-sanitize}"
seconds=30
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    fuzz_idx|fuzz_cli|fuzz_gnuplot) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_idx fuzz_cli fuzz_gnuplot)
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: --seconds must be a positive integer, got '$seconds'" >&2
  exit 2
fi

"$root/scripts/sanitize.sh" --build-only >/dev/null
mkdir -p "$build_dir/fuzz-artifacts"
status=0
for t in "${targets[@]}"; do
  corpus="$build_dir/fuzz-corpus/$t"
  mkdir -p "$corpus"
  cp -n "$root/tests/fuzz/corpus/${t#fuzz_}/"* "$corpus/" 2>/dev/null || true
  echo "fuzz: $t for $seconds s"
  log="$build_dir/fuzz-artifacts/$t.log"
  if ASAN_OPTIONS=detect_leaks=1 "$build_dir/tests/fuzz/$t" \
      -max_total_time="$seconds" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
      -close_fd_mask=1 -artifact_prefix="$build_dir/fuzz-artifacts/$t-" \
      -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | sed "s/^/fuzz: $t /"
  else
    echo "fuzz: $t FAILED; its log: $log" >&2
    grep -E -A20 'ERROR|disagree|Test unit written' "$log" | head -n 40 >&2
    status=1
  fi
done
exit "$status"
