#!/usr/bin/env bash
# Sets up d2l-cpp on Debian 12 and builds it (Release) into build/.
#
#   scripts/setup.sh                 install what is missing, configure, build
#   scripts/setup.sh --with-python   also python3-torch, for the Python
#                                    reference scripts and scripts/compare.sh
#   scripts/setup.sh --no-build      install only
#   scripts/setup.sh --target T ...  build only target T (repeatable): a
#                                    section's folder name, exercise_<name>,
#                                    d2l_tests; the default builds everything
#
# Idempotent: installs only missing Debian packages (--no-install-recommends)
# and says which; re-running on a set-up machine just rebuilds what changed.
# Shows the build's progress (ninja's [done/total] status, on one line on a
# terminal); a failed build shows the compiler's messages first. Runs from
# any folder. Environment: D2L_BUILD_DIR (default <repo>/build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${D2L_BUILD_DIR:-$root/build}"
with_python=0
do_build=1
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --with-python) with_python=1; shift ;;
    --no-build) do_build=0; shift ;;
    --target)
      [[ $# -ge 2 && -n $2 ]] || { echo "setup.sh: --target needs a target name" >&2; exit 2; }
      targets+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# Build tools, LibTorch and friends, an optimized BLAS (the reference BLAS
# that libtorch otherwise loads is 4-13x slower), gnuplot for the figures and
# the real Fashion-MNIST files; clang's sanitizer and libFuzzer runtimes
# (scripts/sanitize.sh, scripts/fuzz.sh).
packages=(
  cmake ninja-build clang lld
  libtorch-dev libfmt-dev libgtest-dev libcli11-dev zlib1g-dev
  libopenblas0-pthread gnuplot-nox dataset-fashion-mnist
  libclang-rt-dev
)
if [[ $with_python == 1 ]]; then
  packages+=(python3-torch)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if (( ${#missing[@]} > 0 )); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) != 0 ]]; then
    if command -v sudo >/dev/null; then
      sudo_cmd=(sudo)
    else
      echo "setup: need root to install ${missing[*]} (run as root or install sudo)" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >/tmp/d2l-setup-apt.log 2>&1 || {
      echo "setup: apt-get install failed; last lines of /tmp/d2l-setup-apt.log:" >&2
      tail -n 20 /tmp/d2l-setup-apt.log >&2
      exit 1
    }
else
  echo "setup: all packages present"
fi

[[ $do_build == 1 ]] || exit 0

if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  echo "setup: configuring $build_dir (Release, clang++ + lld, precompiled header)"
  # Of cmake's output, only the line naming LibTorch and the C++ standard.
  CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release | sed -n 's/^-- \(LibTorch .*\)$/setup: \1/p'
fi
target_args=()
what="everything"
if (( ${#targets[@]} > 0 )); then
  target_args=(--target "${targets[@]}")
  what="${targets[*]}"
fi
echo "setup: building $what (log: $build_dir/build.log)"
# ninja's "[done/total] ..." lines as progress: rewritten in place on a
# terminal, every tenth of the way otherwise (CI logs).
show_progress() {
  local line cols=${COLUMNS:-80} last=-1 n total tenth
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$build_dir/build.log"
    [[ $line =~ ^\[([0-9]+)/([0-9]+)\] ]] || continue
    n=${BASH_REMATCH[1]}; total=${BASH_REMATCH[2]}
    if [[ -t 2 ]]; then
      printf '\r\033[K%s' "${line:0:cols-1}" >&2
    else
      tenth=$(( n * 10 / total ))
      if (( tenth != last )); then
        last=$tenth
        echo "setup: [$n/$total] ${line#*] }" >&2
      fi
    fi
  done
  [[ -t 2 ]] && printf '\r\033[K' >&2
  return 0
}
: >"$build_dir/build.log"
set +e
cmake --build "$build_dir" "${target_args[@]}" 2>&1 | show_progress
status=${PIPESTATUS[0]}
set -e
if [[ $status != 0 ]]; then
  echo "setup: build failed; the compiler's messages (full log: $build_dir/build.log):" >&2
  # What the compiler said, without ninja's FAILED line and the long command
  # after it; at most 80 lines.
  awk '/^FAILED: /{skip=1; next} skip==1{skip=0; next}
       /^\[[0-9]+\/[0-9]+\] /||/^ninja: /{next} {print}' \
    "$build_dir/build.log" | head -n 80 >&2
  exit 1
fi
echo "setup: done (sections in $build_dir/chapters/<section>/, your programs in $build_dir/exercises/)"
