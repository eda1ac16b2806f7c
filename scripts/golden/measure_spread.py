#!/usr/bin/env python3
"""Measures how far the sections' printed numbers move under other arithmetic,
and writes the tolerances of the tests' tolerant mode (tests/golden/TOLERANCES).

Floating-point sums in another order round differently: OpenBLAS's kernel sets
(one per CPU family) and thread counts order a matrix product's sums
differently, and ATen's CPU capabilities (its own vectorised kernels: default,
avx2, avx512; what a CPU without AVX-512 or without AVX2 runs) compute
reductions and random draws (torch.normal) with other roundings, so the same
random draws give slightly different numbers. This script runs every case of
tests/golden/MANIFEST (the C++ executables, with --no-figures, and --metrics
FILE for the .metrics.jsonl goldens) under each forced kernel set x thread
count x ATen capability, and compares each output with its golden
file number by number, as tests/support.h's NumbersClose does: the text between
numbers must be equal up to whitespace, integers exactly, and for every other
number the measured excess is |actual - golden| minus one unit of the golden's
last printed digit (rounding to the printed precision can always cost that
unit). A golden file's tolerance is the largest excess over all set-ups, with
2 significant digits, rounded up.

    scripts/golden/measure_spread.py                 all kernels x threads 1, 2,
                                                     ATen's own capability
    scripts/golden/measure_spread.py --merge --kernels Prescott Haswell SkylakeX \
        --capabilities default avx2 avx512           the capabilities too, merged
    scripts/golden/measure_spread.py --merge         keep larger values already
                                                     in TOLERANCES (e.g. measured
                                                     on the other Debian release)
    scripts/golden/measure_spread.py --kernels Haswell --threads 2 --dry-run
    scripts/golden/measure_spread.py --only 'ex-'    just the files matching
                                                     (the others keep theirs)

Golden files named in EXACT_ONLY are not measured: their tolerance stays 0
and the tests check them another way outside the book's arithmetic.
A kernel set this CPU cannot run (OpenBLAS falls back to another one) is
reported and skipped, and so is one under which a section dies by a signal
(OpenBLAS 0.3.34's Prescott sgemm segfaults, numpy's too): named in the
"# measured:" line, not measured. Needs a build (scripts/setup.sh); standard library only.
Environment: D2L_BUILD_DIR (default <repo>/build). Takes ~6 min on 2 cores.
"""

import argparse
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "tests", "golden")
KERNELS = ["Prescott", "Nehalem", "Sandybridge", "Haswell", "Zen", "SkylakeX",
           "Cooperlake"]
# Trainings that are chaotic at their settings: any change of rounding moves
# their later epochs by far more than rounding (--stable --lr 1: 0.14 in the
# loss between ATen's capabilities after 2 epochs). A tolerance that wide
# checks nothing; tests/test_sections.cpp checks what they must show instead.
EXACT_ONLY = re.compile(r"\.ex-stable-lr1-")
CAPABILITIES = ["", "default", "avx2", "avx512"]  # "": ATen's own choice
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
TIMING = re.compile(r"\d+(\.\d+)? sec")


def split_numbers(text):
    """(numbers as (value, unit), skeleton): as tests/support.cpp does."""
    text = TIMING.sub("<t> sec", text)
    numbers, skeleton, pos = [], [], 0
    for m in NUMBER.finditer(text):
        skeleton.append(re.sub(r"\s", "", text[pos:m.start()]))
        skeleton.append("#")
        pos = m.end()
        token = m.group()
        mantissa, _, exponent = token.lower().partition("e")
        unit = 0.0
        if "." in mantissa or exponent:
            decimals = len(mantissa) - mantissa.index(".") - 1 if "." in mantissa else 0
            unit = 10.0 ** ((int(exponent) if exponent else 0) - decimals)
        numbers.append((float(token), unit))
    skeleton.append(re.sub(r"\s", "", text[pos:]))
    return numbers, "".join(skeleton)


def excess(actual, golden):
    """The largest excess over one printed unit, or None if not comparable."""
    a, a_text = split_numbers(actual)
    b, b_text = split_numbers(golden)
    if a_text != b_text or len(a) != len(b):
        return None
    worst = 0.0
    for (x, _), (y, unit) in zip(a, b):
        if unit == 0:
            if x != y:
                return None
            continue
        # unit * (1 + 1e-9): decimal fractions are inexact in binary
        worst = max(worst, abs(x - y) - unit * (1 + 1e-9))
    return worst


def round_up(value):
    """`value` rounded up to 2 significant digits (0 for none)."""
    if value <= 0:
        return 0.0
    scale = 10.0 ** (math.floor(math.log10(value)) - 1)
    return float(f"{math.ceil(value / scale - 1e-9) * scale:.2g}")


def torch_major_minor(build):
    """LibTorch's major.minor the build uses (from CMake's cache)."""
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            torch_dir = next(line.split("=", 1)[1].strip() for line in f
                             if line.startswith("Torch_DIR:"))
        with open(os.path.join(torch_dir, "TorchConfigVersion.cmake")) as f:
            version = re.search(r'PACKAGE_VERSION "([\d.]+)"', f.read()).group(1)
        return ".".join(version.split(".")[:2])
    except (OSError, StopIteration, AttributeError):
        sys.exit("measure_spread.py: no configured build with LibTorch in "
                 f"{build}: run scripts/setup.sh first")


def golden_file(name, torch_mm):
    versioned = os.path.join(GOLDEN, f"torch-{torch_mm}", name)
    return versioned if os.path.exists(versioned) else os.path.join(GOLDEN, name)


def manifest():
    cases = []
    with open(os.path.join(GOLDEN, "MANIFEST")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, folder, flags = line.rstrip("\n").split("\t")
            cases.append((name, folder, flags.split()))
    return cases


class Crash(Exception):
    """A section killed by a signal: the arithmetic library's fault, not a number."""


def run(build, folder, flags, env, metrics):
    exe = os.path.join(build, "chapters", folder, folder)
    args = [exe] + flags + ["--no-figures"]
    if metrics:
        args += ["--metrics", metrics]
    r = subprocess.run(args, env=env, capture_output=True, text=True)
    if r.returncode < 0:
        raise Crash(f"{folder} {' '.join(flags)} killed by "
                    f"{signal.Signals(-r.returncode).name}")
    if r.returncode != 0:
        sys.exit(f"measure_spread.py: {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout, r.stderr


def kernel_runs(build, kernel, threads):
    """True when OpenBLAS really runs `kernel` here (it falls back otherwise)."""
    env = dict(os.environ, OPENBLAS_CORETYPE=kernel, OPENBLAS_NUM_THREADS=str(threads),
               OPENBLAS_VERBOSE="2")
    try:
        _, err = run(build, "3.2-linear-regression-scratch",
                     ["--epochs", "1", "--num-examples", "20"], env, None)
    except Crash:
        return True  # it runs that kernel set, and the grid says where it dies
    m = re.search(r"Core: (\S+)", err)
    return m is not None and m.group(1).lower() == kernel.lower()


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kernels", nargs="+", default=KERNELS)
    p.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    p.add_argument("--capabilities", nargs="+", default=[""], metavar="CAP",
                   help="ATEN_CPU_CAPABILITY values (default, avx2, avx512; own: "
                        "ATen's own choice, the default)")
    p.add_argument("--merge", action="store_true",
                   help="keep larger tolerances already in TOLERANCES")
    p.add_argument("--dry-run", action="store_true", help="measure, write nothing")
    p.add_argument("--only", metavar="REGEX",
                   help="measure only the golden files whose name matches; the "
                        "others keep their line of TOLERANCES")
    args = p.parse_args()
    build = os.environ.get("D2L_BUILD_DIR", os.path.join(ROOT, "build"))
    torch_mm = torch_major_minor(build)
    all_cases = manifest()
    cases = [c for c in all_cases if (args.only is None or re.search(args.only, c[0]))
             and not EXACT_ONLY.search(c[0])]
    capabilities = ["" if c == "own" else c for c in args.capabilities]
    runs = {}  # (folder, flags) -> [names]
    for name, folder, flags in cases:
        runs.setdefault((folder, tuple(flags)), []).append(name)

    worst = {name: (0.0, "") for name, _, _ in cases}
    table = []
    crashed = []  # set-ups under which a section died by a signal
    grid = [(k, t, c) for k in args.kernels for t in args.threads for c in capabilities]
    # Whether OpenBLAS runs a kernel set here depends on the kernels and
    # threads only: asked once per pair, not once per capability.
    runnable = {(k, t): kernel_runs(build, k, t) for k in args.kernels for t in args.threads}
    for kernel, threads, capability in grid:
        config = f"{kernel}/{threads}" + (f"/{capability}" if capability else "")
        if not runnable[(kernel, threads)]:
            print(f"{config:16s} skipped: OpenBLAS does not run {kernel} on this CPU")
            continue
        env = dict(os.environ, OPENBLAS_CORETYPE=kernel,
                   OPENBLAS_NUM_THREADS=str(threads))
        env.pop("ATEN_CPU_CAPABILITY", None)
        if capability:
            env["ATEN_CPU_CAPABILITY"] = capability
        start = time.time()
        exact = differing = 0
        config_worst_of = {}  # excess per file here, kept only if none crashes
        crash = None
        with tempfile.TemporaryDirectory() as tmp:
            for (folder, flags), names in runs.items():
                metrics = os.path.join(tmp, "metrics.jsonl")
                wants_metrics = any(n.endswith(".metrics.jsonl") for n in names)
                try:
                    out, _ = run(build, folder, list(flags), env,
                                 metrics if wants_metrics else None)
                except Crash as c:
                    crash = c
                    break
                for name in names:
                    actual = open(metrics).read() if name.endswith(".metrics.jsonl") else out
                    with open(golden_file(name, torch_mm)) as f:
                        golden = f.read()
                    e = excess(actual, golden)
                    if e is None:
                        sys.exit(f"measure_spread.py: {name} under {config}: the text "
                                 "around the numbers differs; a tolerance cannot cover it")
                    if TIMING.sub("", actual) == TIMING.sub("", golden):
                        exact += 1
                    else:
                        differing += 1
                    config_worst_of[name] = e
        if crash is not None:
            crashed.append(config)
            print(f"{config:16s} skipped: {crash}", flush=True)
            continue
        for name, e in config_worst_of.items():
            if e > worst[name][0]:
                worst[name] = (e, config)
        config_worst = max(config_worst_of.values(), default=0.0)
        table.append((config, exact, differing, config_worst))
        print(f"{config:16s} {exact:3d} goldens equal, {differing:3d} differ, "
              f"largest excess {config_worst:.3g} ({time.time() - start:.0f} s)",
              flush=True)

    path = os.path.join(GOLDEN, "TOLERANCES")
    old = {}
    measured = []  # the "# measured:" lines of the grids merged in
    if (args.merge or args.only) and os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith("# measured: "):
                    measured.append(line.rstrip("\n"))
                if not line.startswith("#") and line.strip():
                    fields = line.rstrip("\n").split("\t")
                    old[fields[0]] = (float(fields[1]), fields[2] if len(fields) > 2 else "")
    lines = [
        "# Tolerant-mode tolerances of the golden files (tests/support.h, NumericMode):",
        "# file<TAB>atol<TAB>where it was measured. A number may differ from the golden",
        "# by atol plus one unit of its last printed digit. Made by",
        "# scripts/golden/measure_spread.py: the largest excess over the grids below",
        "# (OpenBLAS kernel sets x threads x ATen capabilities; own: ATen's own",
        "# choice), each run with --merge keeping the larger values. A where of",
        "# K/T[/C]: OpenBLAS kernels K, T threads, ATEN_CPU_CAPABILITY=C. \"exact only\":",
        "# a training in measure_spread.py's EXACT_ONLY, not measured.",
    ]
    this_grid = (f"# measured: {' '.join(args.kernels)} x threads "
                 f"{' '.join(map(str, args.threads))} x ATen "
                 f"{' '.join(c or 'own' for c in capabilities)} (LibTorch {torch_mm}"
                 + (f", files matching {args.only}" if args.only else "")
                 + (f"; crashed there, not measured: {' '.join(crashed)}" if crashed else "")
                 + ")")
    lines += [m for m in measured if m != this_grid] + [this_grid]
    for name, _, _ in all_cases:
        if EXACT_ONLY.search(name):
            lines.append(f"{name}\t0\texact only")
            continue
        if name not in worst:  # not measured this time (--only)
            atol, where = old.get(name, (0.0, ""))
            lines.append(f"{name}\t{atol:.2g}\t{where}")
            continue
        e, config = worst[name]
        atol = round_up(e)
        where = f"{config}, LibTorch {torch_mm}" if atol > 0 else ""
        if name in old and old[name][0] > atol:
            atol, where = old[name]
        elif name in old and old[name][0] == atol and old[name][1]:
            where = old[name][1]
            if f"LibTorch {torch_mm}" not in where:
                where += f"; the same on LibTorch {torch_mm}"
        lines.append(f"{name}\t{atol:.2g}\t{where}")
    if args.dry_run:
        print("\n".join(lines))
    else:
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
