#!/usr/bin/env bash
# Sets up d2l-cpp on Debian 12 and builds it (Release) into build/.
#
#   scripts/setup.sh                 install what is missing, configure, build
#   scripts/setup.sh --with-python   also python3-torch and python3-matplotlib,
#                                    for the Python reference scripts,
#                                    scripts/compare.sh and scripts/report.sh
#   scripts/setup.sh --no-build      install only
#   scripts/setup.sh --target T ...  build only target T (repeatable): a
#                                    section's folder name, exercise_<name>,
#                                    d2l_tests; the default builds everything
#   scripts/setup.sh --libtorch DIR  build with your own LibTorch instead of
#                                    Debian's libtorch-dev (not installed
#                                    then): the folder of the official archive
#                                    (.../libtorch), or pip's torch
#                                    (python3 -c 'import torch;
#                                    print(torch.utils.cmake_prefix_path)');
#                                    kept for later runs; --libtorch debian
#                                    goes back. Also from Torch_DIR or
#                                    CMAKE_PREFIX_PATH in the environment.
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
libtorch=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --with-python) with_python=1; shift ;;
    --no-build) do_build=0; shift ;;
    --target)
      [[ $# -ge 2 && -n $2 ]] || { echo "setup.sh: --target needs a target name" >&2; exit 2; }
      targets+=("$2"); shift 2 ;;
    --libtorch)
      [[ $# -ge 2 && -n $2 ]] || { echo "setup.sh: --libtorch needs a folder (or 'debian')" >&2; exit 2; }
      libtorch="$2"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# Which LibTorch: --libtorch, else Torch_DIR or a CMAKE_PREFIX_PATH entry
# holding one, else the one the build folder was configured with, else
# Debian's. torch_config_dir DIR prints the folder holding TorchConfig.cmake
# that CMake's find_package(Torch) finds from DIR, as a prefix path or as
# Torch_DIR itself (the archive's share/cmake/Torch, pip's Torch, ...).
torch_config_dir() {
  local d="$1" c
  for c in "$d" "$d/Torch" "$d/share/cmake/Torch" "$d/lib/cmake/Torch" "$d"/lib/*/cmake/Torch; do
    if [[ -f $c/TorchConfig.cmake ]]; then
      (cd "$c" && pwd -P)
      return 0
    fi
  done
  return 1
}
cached_torch_dir() {
  [[ -f $build_dir/CMakeCache.txt ]] || return 0
  sed -n 's/^Torch_DIR:[A-Z]*=//p' "$build_dir/CMakeCache.txt" | head -n 1
}
if [[ -z $libtorch ]]; then
  if [[ -n ${Torch_DIR:-} ]]; then
    libtorch="$Torch_DIR"
  elif [[ -n ${CMAKE_PREFIX_PATH:-} ]]; then
    IFS=: read -r -a prefixes <<<"$CMAKE_PREFIX_PATH"
    for p in "${prefixes[@]}"; do
      if [[ -n $p ]] && torch_config_dir "$p" >/dev/null; then
        libtorch="$p"
        break
      fi
    done
  fi
fi
own_torch_dir=""  # empty: Debian's libtorch-dev
if [[ -n $libtorch && $libtorch != debian ]]; then
  if [[ ! -d $libtorch ]]; then
    echo "setup.sh: --libtorch $libtorch: no such folder" >&2
    exit 2
  fi
  own_torch_dir="$(torch_config_dir "$libtorch")" || {
    echo "setup.sh: --libtorch $libtorch: no TorchConfig.cmake in it (give the folder the official archive unpacked to, which holds share/cmake/Torch, or pip's python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')" >&2
    exit 2
  }
elif [[ -z $libtorch ]]; then
  cached="$(cached_torch_dir)"
  if [[ -n $cached && $cached != /usr/lib/* && $cached != *-NOTFOUND ]]; then
    own_torch_dir="$cached"  # chosen at an earlier setup
  fi
fi
# Debian's fmt and GoogleTest use GCC's C++11 string ABI: a LibTorch built
# with the old one cannot link with them (CMakeLists.txt checks it again).
if [[ -n $own_torch_dir ]] && grep -q '_GLIBCXX_USE_CXX11_ABI=0' "$own_torch_dir/TorchConfig.cmake" 2>/dev/null; then
  echo "setup.sh: LibTorch in $own_torch_dir is built with the pre-C++11 string ABI (_GLIBCXX_USE_CXX11_ABI=0), which Debian's fmt and GoogleTest cannot link with: take pytorch.org's cxx11-ABI archive or a LibTorch/torch of 2.7 or later, or Debian's (--libtorch debian)" >&2
  exit 2
fi

# Build tools, LibTorch and friends, an optimized BLAS (the reference BLAS
# that libtorch otherwise loads is 4-13x slower), gnuplot for the figures and
# the real Fashion-MNIST files; clang's sanitizer and libFuzzer runtimes
# (scripts/sanitize.sh, scripts/fuzz.sh).
packages=(
  cmake ninja-build clang lld
  libfmt-dev libgtest-dev libcli11-dev zlib1g-dev
  libopenblas0-pthread gnuplot-nox dataset-fashion-mnist
  libclang-rt-dev
)
if [[ -z $own_torch_dir ]]; then
  packages+=(libtorch-dev)
else
  echo "setup: using your LibTorch ($own_torch_dir): Debian's libtorch-dev is not needed"
fi
if [[ $with_python == 1 ]]; then
  packages+=(python3-torch python3-matplotlib)
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

# A build folder configured with another LibTorch starts afresh: CMake
# caches each of LibTorch's libraries by path.
cached="$(cached_torch_dir)"
if [[ -n $cached ]]; then
  if [[ -n $own_torch_dir && $cached != "$own_torch_dir" ]] ||
     [[ -z $own_torch_dir && $cached != /usr/lib/* ]]; then
    echo "setup: $build_dir was configured with the LibTorch in $cached: configuring it afresh"
    rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
  fi
fi
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  echo "setup: configuring $build_dir (Release, clang++ + lld, precompiled header)"
  torch_args=()
  if [[ -n $own_torch_dir ]]; then
    torch_args=(-DTorch_DIR="$own_torch_dir")
    # A prefix (the archive's folder) is also where its libraries are found.
    prefix="$(cd "$libtorch" 2>/dev/null && pwd -P)" || prefix=""
    [[ -n $prefix && $prefix != "$own_torch_dir" ]] && torch_args+=(-DCMAKE_PREFIX_PATH="$prefix")
  fi
  mkdir -p "$build_dir"
  if ! CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=Release "${torch_args[@]}" >"$build_dir/configure.log" 2>&1; then
    echo "setup: configuring failed; CMake said (full log: $build_dir/configure.log):" >&2
    grep -v '^-- ' "$build_dir/configure.log" | head -n 40 >&2
    rm -f "$build_dir/CMakeCache.txt"
    exit 1
  fi
  # Of cmake's output, the line naming LibTorch and the C++ standard.
  sed -n 's/^-- \(LibTorch .*\)$/setup: \1/p' "$build_dir/configure.log"
fi
# Which LibTorch this build uses: version, folder, CPU or CUDA.
torch_dir="$(cached_torch_dir)"
torch_version="$(sed -n 's/^ *set(PACKAGE_VERSION "\([^"]*\)").*/\1/p' "$torch_dir/TorchConfigVersion.cmake" 2>/dev/null | head -n 1)"
torch_lib="$(sed -n 's/^TORCH_LIBRARY:[A-Z]*=//p' "$build_dir/CMakeCache.txt" | head -n 1)"
torch_kind=CPU
[[ -n $torch_lib && -e "$(dirname "$torch_lib")/libtorch_cuda.so" ]] && torch_kind=CUDA
echo "setup: LibTorch ${torch_version:-of unknown version} ($torch_kind) from $torch_dir$([[ -z $own_torch_dir ]] && echo " (Debian's libtorch-dev)")"
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
