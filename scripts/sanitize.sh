#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer
# (-fno-sanitize-recover: the first report ends the process) into
# build-sanitize/ and runs the whole test suite there; the section
# executables the tests start are sanitized too. The same build holds the
# libFuzzer targets (scripts/fuzz.sh).
#
#   scripts/sanitize.sh            set up, build, run every test
#   scripts/sanitize.sh -R Idx     extra arguments go to ctest
#   scripts/sanitize.sh --build-only
#
# Any report (heap overflow, use after free, leak, undefined behaviour) fails
# its test. Runs from any folder. Environment: D2L_SANITIZE_BUILD_DIR
# (default <repo>/build-sanitize).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${D2L_SANITIZE_BUILD_DIR:-$root/build-sanitize}"
"$root/scripts/setup.sh" --no-build
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  echo "sanitize: configuring $build_dir (ASan + UBSan, libFuzzer targets)"
  CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DD2L_SANITIZE=ON -DD2L_FUZZ=ON >/dev/null
fi
echo "sanitize: building"
mkdir -p "$build_dir"
if ! cmake --build "$build_dir" >"$build_dir/build.log" 2>&1; then
  echo "sanitize: build failed; the errors (full log: $build_dir/build.log):" >&2
  grep -E -A8 'error|FAILED' "$build_dir/build.log" | head -n 60 >&2
  exit 1
fi
[[ ${1:-} == --build-only ]] && exit 0
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$build_dir"
exec ctest --output-on-failure -j"$(nproc)" "$@"
