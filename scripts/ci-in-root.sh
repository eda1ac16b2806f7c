#!/usr/bin/env bash
# Runs .ci/run in a fresh clone inside a bare Debian root, as a new user's
# machine would: debootstrap --variant=minbase (plus git), then chroot.
#
#   scripts/ci-in-root.sh bookworm          Debian 12
#   scripts/ci-in-root.sh trixie            Debian 13
#   scripts/ci-in-root.sh sid               Debian unstable
#   scripts/ci-in-root.sh trixie --keep     leave the root behind (its path is
#                                           printed) instead of removing it
#   scripts/ci-in-root.sh bookworm --own-libtorch
#                                           with a LibTorch of the user's own:
#                                           Debian's copied to /opt/libtorch-copy
#                                           (same layout, another prefix), the
#                                           packages removed, CMAKE_PREFIX_PATH
#                                           naming the copy
#
# Clones this repository's HEAD (committed work only) into /root/d2l-cpp of
# the new root, runs `.ci/run` there (which installs the packages with
# scripts/setup.sh, builds and passes the tests) and prints its wall time.
# Needs root, debootstrap and ~6 GB under D2L_ROOTS_DIR (default /var/tmp);
# packages come from D2L_MIRROR (default http://deb.debian.org/debian).
# Extra environment for .ci/run inside: D2L_CI_ENV, e.g.
# D2L_CI_ENV="OPENBLAS_CORETYPE=Haswell"; another command than .ci/run:
# D2L_CI_COMMAND, e.g. 'scripts/run.sh 3.2 && scripts/test.sh' (the README's
# two commands). Exit status: that command's.
# In the sid root apt accepts a Release file past its Valid-Until date (a
# mirror that is a snapshot of unstable serves one); signatures are checked.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="${1:-}"
keep=0
own_libtorch=0
case "$suite" in
  bookworm|trixie|sid) ;;
  -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "ci-in-root.sh: usage: ci-in-root.sh bookworm|trixie|sid [--keep]" >&2; exit 2 ;;
esac
shift
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    --own-libtorch) own_libtorch=1 ;;
    *) echo "ci-in-root.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $(id -u) != 0 ]]; then
  echo "ci-in-root.sh: needs root (debootstrap and chroot)" >&2
  exit 2
fi
if ! command -v debootstrap >/dev/null; then
  echo "ci-in-root.sh: debootstrap is missing: apt-get install debootstrap" >&2
  exit 2
fi

mirror="${D2L_MIRROR:-http://deb.debian.org/debian}"
dir="$(mktemp -d "${D2L_ROOTS_DIR:-/var/tmp}/d2l-$suite-XXXXXX")"
# A system's / is 755, not mktemp's 700: other users (the tests' `nobody`)
# must reach its files.
chmod 755 "$dir"
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -l "${mounted[i]}" 2>/dev/null || true
  done
  if [[ $keep == 1 ]]; then
    echo "ci-in-root.sh: kept the root at $dir" >&2
  else
    rm -rf --one-file-system "$dir"
  fi
}
trap cleanup EXIT

start=$SECONDS
echo "ci-in-root.sh: debootstrap $suite into $dir" >&2
if ! debootstrap --variant=minbase --include=git,ca-certificates \
    "$suite" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1; then
  echo "ci-in-root.sh: debootstrap failed; see $dir.debootstrap.log" >&2
  exit 1
fi
rm -f "$dir.debootstrap.log"
if [[ $suite == sid ]]; then
  printf '%s\n' '// A snapshot of unstable: its Release file may be past Valid-Until.' \
    'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/80d2l-snapshot"
fi
for fs in proc sys dev; do
  mount --bind "/$fs" "$dir/$fs"
  mounted+=("$dir/$fs")
done
cp /etc/resolv.conf "$dir/etc/resolv.conf"
git clone -q --no-local "$root" "$dir/root/d2l-cpp"
in_root() {
  chroot "$dir" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
extra_env=()
if [[ $own_libtorch == 1 ]]; then
  # Debian's LibTorch (libtorch-dev and its library package) copied file by
  # file under /opt/libtorch-copy, then removed: only the copy is left, at
  # no system path. Its other dependencies stay (marked installed by hand).
  echo "ci-in-root.sh: copying Debian's LibTorch to /opt/libtorch-copy" >&2
  if ! in_root /bin/bash -euo pipefail -c '
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q >/dev/null
      apt-get install -y -q --no-install-recommends libtorch-dev >/dev/null
      lib="$(dpkg-query -W -f="\${Depends}" libtorch-dev | tr "," "\n" |
             sed -n "s/^ *\(libtorch[0-9.]*\)\( .*\)\{0,1\}$/\1/p" | head -n 1)"
      for pkg in libtorch-dev "$lib"; do
        dpkg -L "$pkg" | while read -r f; do
          { [ -f "$f" ] || [ -L "$f" ]; } || continue
          case "$f" in /usr/share/*) continue ;; esac
          mkdir -p "/opt/libtorch-copy/$(dirname "${f#/usr/}")"
          cp -a "$f" "/opt/libtorch-copy/${f#/usr/}"
        done
      done
      deps="$(apt-cache depends --installed "$lib" libtorch-dev |
              sed -n "s/^ *Depends: \([^<]*\)$/\1/p" | grep -v "^libtorch" | sort -u)"
      apt-mark manual $deps >/dev/null
      apt-get purge -y -q libtorch-dev "$lib" >/dev/null
      if ls /usr/lib/*/libtorch* /usr/include/torch >/dev/null 2>&1; then
        echo "LibTorch still under /usr" >&2; exit 1
      fi
      echo "ci-in-root.sh: $lib and libtorch-dev removed; the copy holds $(du -sh /opt/libtorch-copy | cut -f1)" >&2
    '; then
    echo "ci-in-root.sh: copying Debian's LibTorch failed" >&2
    exit 1
  fi
  extra_env=(CMAKE_PREFIX_PATH=/opt/libtorch-copy)
fi
command="${D2L_CI_COMMAND:-.ci/run}"
echo "ci-in-root.sh: root ready after $((SECONDS - start)) s; running $command" >&2

ci_start=$SECONDS
status=0
# shellcheck disable=SC2086  # D2L_CI_ENV is a list of NAME=value words
in_root "${extra_env[@]}" ${D2L_CI_ENV:-} /bin/bash -c "cd /root/d2l-cpp && $command" || status=$?
echo "ci-in-root.sh: $suite: $command exited $status after $((SECONDS - ci_start)) s" \
  "($((SECONDS - start)) s with debootstrap)" >&2
exit "$status"
