#!/usr/bin/env bash
# A parity report for a class: every section in C++ and its Python twin on this
# machine, on one HTML page (set-up, a summary table, the two stdouts side by
# side with differing numbers marked, the figures side by side with the book's,
# 3.6/3.7's per-epoch metrics, wall times and their ratio):
#
#   scripts/report.sh                      all sections, the book's runs
#   scripts/report.sh 3.2 3.6 --epochs 2   some sections; 3.6/3.7 for 2 epochs
#   scripts/report.sh --exercises          also every exercise command
#   scripts/report.sh --screenshot r.png   also render it with headless chromium
#
# Writes report/index.html (--out DIR to choose), figures and captured runs
# beside it; replaces an earlier report there, never another folder. Needs
# the build (scripts/setup.sh) and the Python twins' python3-torch and
# python3-matplotlib (scripts/setup.sh --with-python); --screenshot needs
# chromium. Exit status: 0 every run identical, 1 some differ, 2 something
# could not run. Environment: D2L_BUILD_DIR, D2L_PYTHON (as compare.sh).
# scripts/report.py --help gives the details.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
exec python3 "$root/scripts/report.py" "$@"
