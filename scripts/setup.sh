#!/usr/bin/env bash
# Sets up d2l-cpp on Debian 12 and builds it (Release) into build/.
#
#   scripts/setup.sh                 install what is missing, configure, build
#   scripts/setup.sh --with-python   also python3-torch, for the Python
#                                    reference scripts and scripts/compare.sh
#   scripts/setup.sh --no-build      install only
#
# Idempotent: installs only missing Debian packages (--no-install-recommends)
# and says which; re-running on a set-up machine just rebuilds what changed.
# Runs from any folder. Environment: D2L_BUILD_DIR (default <repo>/build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${D2L_BUILD_DIR:-$root/build}"
with_python=0
do_build=1
for arg in "$@"; do
  case "$arg" in
    --with-python) with_python=1 ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
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
  CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
echo "setup: building"
if ! cmake --build "$build_dir" >"$build_dir/build.log" 2>&1; then
  echo "setup: build failed; the errors (full log: $build_dir/build.log):" >&2
  grep -E -A8 'error|FAILED' "$build_dir/build.log" | head -n 60 >&2
  exit 1
fi
echo "setup: done (executables in $build_dir/chapters/<section>/)"
