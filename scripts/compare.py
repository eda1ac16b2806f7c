#!/usr/bin/env python3
"""Number-aware comparison of two stdout captures (or metrics files) of a section.

Usage:
  compare.py A B                 compare two printed outputs line by line
  compare.py --metrics A B       compare two per-epoch metrics files number by number
  compare.py [--metrics] --spread SECTION A B
                                 the same, equal within the spread measured
                                 across BLAS kernels and ATen for SECTION (3.6, ...)
  compare.py --extract-book FILE print a book file's plain printed text
  compare.py --extract-metrics FILE
                                 print a book file's animator data as metrics JSONL

A and B are stdout captures ("-": standard input), or book files (tests/golden/book/3.X.txt, recognised
by a first line starting "# d2l-zh"), which are first reduced to what the cells
printed: the header, "--- cell" markers, the blank line before each marker,
"[figure ...]" / "[figure file] ..." lines and the "[animator, final data ...]"
block are dropped and the "Out[k]: " prefix is stripped.

Each line is split into numbers and the text between them. A number directly
followed by " sec" is a timing value and is ignored. The outputs match when every
line is the same text after that masking (numbers equal as printed). Otherwise the
first differing line is shown, with the largest absolute and relative difference
over the numbers that differ in lines of the same shape.

Metrics files hold one JSON object per line (per epoch), e.g.
  {"epoch": 1, "train_loss": 0.7865463741938273, "train_acc": 0.74871..., "test_acc": 0.7899}
and match when they have the same records, keys and values (floats equal).
Either may be a book file: its "[animator, final data ...]" block is read instead.

With --spread SECTION (checking a student's run made on another machine),
numbers may differ by the tolerance tests/golden/TOLERANCES gives SECTION's
golden runs (the largest over its default-flag runs of that kind: .txt for
printed output, .metrics.jsonl for metrics), measured by
scripts/golden/measure_spread.py across OpenBLAS kernel sets, thread counts
and ATen's CPU capabilities (default, AVX2, AVX-512: what CPUs of other kinds
run); printed numbers also by one unit of their last printed digit (B's).
Text and integers must still be equal.

Exit status: 0 match, 1 difference, 2 usage error (e.g. a missing file).
Standard library only; runs with any python3.
"""

import argparse
import json
import math
import os
import re
import sys

BOOK_MARK = "# d2l-zh"
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
TIMING = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?= sec)")
ANIMATOR_LINE = re.compile(r"^  (train loss|train acc|test acc): (.*)$")
METRIC_KEYS = {"train loss": "train_loss", "train acc": "train_acc", "test acc": "test_acc"}


class UsageError(Exception):
    pass


def read_text(path):
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            return f.read()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}")
    except IsADirectoryError:
        raise UsageError(f"is a folder, not a file: {path}")
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}")


def is_book(text):
    return text.startswith(BOOK_MARK)


def book_cells(text):
    """The lines of each cell's block (between '--- cell' markers), separators removed."""
    cells = []
    current = None
    for line in text.split("\n"):
        if line.startswith("--- cell"):
            if current is not None:
                cells.append(current)
            current = []
        elif current is not None:
            current.append(line)
    if current is not None:
        cells.append(current)
    for block in cells:
        # The blank separator line before the next marker (or the file's final newline).
        if block and block[-1] == "":
            block.pop()
    return cells


def extract_book(text):
    """The plain printed text of a book file, as a list of lines."""
    out = []
    for block in book_cells(text):
        in_animator = False
        for line in block:
            if in_animator and ANIMATOR_LINE.match(line):
                continue
            in_animator = False
            if line.startswith("[figure ") or line.startswith("[figure file]"):
                continue
            if line.startswith("[animator, final data"):
                in_animator = True
                continue
            m = re.match(r"^Out\[\d+\]: ", line)
            if m:
                line = line[m.end():]
            out.append(line)
    return out


def output_lines(path):
    text = read_text(path)
    if is_book(text):
        return extract_book(text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline
    return lines


def mask_timing(line):
    count = len(TIMING.findall(line))
    return TIMING.sub("<sec>", line), count


def tokens(line):
    """(texts, numbers): the text pieces around the numbers, and the numbers as printed."""
    texts, numbers = [], []
    pos = 0
    for m in NUMBER.finditer(line):
        texts.append(line[pos:m.start()])
        numbers.append(m.group())
        pos = m.end()
    texts.append(line[pos:])
    return texts, numbers


TOLERANCES = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden", "TOLERANCES")
SECTIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "chapters")


def spread(section, metrics):
    """(atol, file it comes from): the largest tolerance of SECTION's default
    runs (seeds) of this kind in tests/golden/TOLERANCES."""
    folders = [d for d in os.listdir(SECTIONS)
               if d == section or d.startswith(section + "-")]
    if len(folders) != 1:
        raise UsageError(f"--spread: no section {section!r} (3.1 ... 3.7)")
    suffix = ".metrics.jsonl" if metrics else ".txt"
    best = None
    try:
        with open(TOLERANCES, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                name, atol = line.split("\t")[:2]
                if name.startswith(folders[0] + ".seed") and name.endswith(suffix):
                    if best is None or float(atol) > best[0]:
                        best = (float(atol), name)
    except OSError as e:
        raise UsageError(f"cannot read {TOLERANCES}: {e.strerror}")
    if best is None:
        raise UsageError(f"--spread: {TOLERANCES} has no {suffix} runs of {folders[0]}")
    return best


def last_digit_unit(printed):
    """One unit of the last printed digit of a number as printed ("0.0328": 1e-4)."""
    mantissa = re.split(r"[eE]", printed)[0]
    exponent = int(re.split(r"[eE]", printed)[1]) if re.search(r"[eE]", printed) else 0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 10.0 ** (exponent - decimals)


class Diff:
    """Largest absolute and relative difference over differing numbers."""

    def __init__(self):
        self.max_abs = 0.0
        self.max_rel = 0.0
        self.count = 0

    def add(self, a, b):
        x, y = float(a), float(b)
        if x == y or (math.isnan(x) and math.isnan(y)):
            if a != b:
                self.count += 1  # same value, printed differently
            return
        self.count += 1
        d = abs(x - y)
        if math.isnan(d):
            self.max_abs = self.max_rel = float("nan")
            return
        self.max_abs = max(self.max_abs, d)
        scale = max(abs(x), abs(y))
        self.max_rel = max(self.max_rel, d / scale if scale else float("inf"))

    def summary(self):
        return (f"{self.count} number(s) differ: max abs diff {self.max_abs:.6g}, "
                f"max rel diff {self.max_rel:.6g}")


def within(x, y, atol, printed=None):
    """Whether numbers x and y are equal within atol (plus one unit of the
    last digit of `printed`, y as printed, when given)."""
    x, y = float(x), float(y)
    if x == y:
        return True
    slack = atol + (last_digit_unit(printed) if printed is not None else 0.0)
    return abs(x - y) <= slack * (1 + 1e-9)


def spread_note(tolerance):
    atol, name = tolerance
    return (f"within the spread measured across BLAS kernels and ATen's CPU "
            f"capabilities (atol {atol:g}, "
            f"tests/golden/TOLERANCES: {name})")


def compare_outputs(path_a, path_b, tolerance=None):
    a, b = output_lines(path_a), output_lines(path_b)
    diff = Diff()
    close = Diff()
    first = None
    differing = 0
    shape_diffs = 0
    timings = 0
    for i in range(max(len(a), len(b))):
        la = a[i] if i < len(a) else None
        lb = b[i] if i < len(b) else None
        if la is None or lb is None:
            differing += 1
            if first is None:
                first = (i + 1, la, lb)
            continue
        ma, ta = mask_timing(la)
        mb, _ = mask_timing(lb)
        timings += ta
        if ma == mb:
            continue
        if tolerance is not None:
            texts_a, nums_a = tokens(ma)
            texts_b, nums_b = tokens(mb)
            if (texts_a == texts_b and len(nums_a) == len(nums_b) and all(
                    x == y or (("." in y or "e" in y.lower()) and
                               within(x, y, tolerance[0], printed=y))
                    for x, y in zip(nums_a, nums_b))):
                for x, y in zip(nums_a, nums_b):
                    if x != y:
                        close.add(x, y)
                continue
        differing += 1
        if first is None:
            first = (i + 1, la, lb)
        texts_a, nums_a = tokens(ma)
        texts_b, nums_b = tokens(mb)
        if texts_a == texts_b and len(nums_a) == len(nums_b):
            for x, y in zip(nums_a, nums_b):
                if x != y:
                    diff.add(x, y)
        else:
            shape_diffs += 1
    if first is None:
        note = f" ({timings} timing value(s) ignored)" if timings else ""
        if close.count:
            print(f"match: {len(a)} lines equal {spread_note(tolerance)}{note}; "
                  f"{close.summary()}")
        else:
            print(f"match: {len(a)} lines identical{note}")
        return 0
    line_no, la, lb = first
    print(f"DIFFER: {differing} line(s) differ ({len(a)} lines in A, {len(b)} in B)")
    print(f"first difference at line {line_no}:")
    print(f"  A: {la!r}" if la is not None else "  A: <end of output>")
    print(f"  B: {lb!r}" if lb is not None else "  B: <end of output>")
    if diff.count:
        print(diff.summary())
    if shape_diffs:
        print(f"{shape_diffs} line(s) differ in their text, not only in numbers")
    return 1


def book_metrics(text, path):
    """The animator's per-epoch data of a book file, as a list of records."""
    series = {}
    for line in text.split("\n"):
        m = ANIMATOR_LINE.match(line)
        if not m:
            continue
        key = METRIC_KEYS[m.group(1)]
        for item in m.group(2).split(", "):
            epoch, value = item.split(":")
            series.setdefault(int(epoch), {})[key] = float(value)
    if not series:
        raise UsageError(f"{path}: a book file without '[animator, final data ...]'")
    return [dict({"epoch": e}, **series[e]) for e in sorted(series)]


def read_metrics(path):
    text = read_text(path)
    if is_book(text):
        return book_metrics(text, path)
    records = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise UsageError(f"{path}:{n}: not a JSON object ({e.msg})")
    return records


def compare_metrics(path_a, path_b, tolerance=None):
    a, b = read_metrics(path_a), read_metrics(path_b)
    diff = Diff()
    close = Diff()
    first = None
    differing = 0
    for i in range(max(len(a), len(b))):
        ra = a[i] if i < len(a) else None
        rb = b[i] if i < len(b) else None
        if ra is None or rb is None or set(ra) != set(rb):
            differing += 1
            if first is None:
                first = (i + 1, ra, rb)
            continue
        bad = False
        for key in ra:
            x, y = ra[key], rb[key]
            if isinstance(x, (int, float)) and isinstance(y, (int, float)):
                if x != y and tolerance is not None and isinstance(y, float) \
                        and within(x, y, tolerance[0]):
                    close.add(repr(x), repr(y))
                elif x != y:
                    diff.add(repr(x), repr(y))
                    bad = True
            elif x != y:
                bad = True
        if bad:
            differing += 1
            if first is None:
                first = (i + 1, ra, rb)
    if first is None:
        if close.count:
            print(f"match: {len(a)} records equal {spread_note(tolerance)}; "
                  f"{close.summary()}")
        else:
            print(f"match: {len(a)} records identical")
        return 0
    n, ra, rb = first
    print(f"DIFFER: {differing} record(s) differ ({len(a)} records in A, {len(b)} in B)")
    print(f"first difference at record {n}:")
    print(f"  A: {json.dumps(ra)}" if ra is not None else "  A: <end of file>")
    print(f"  B: {json.dumps(rb)}" if rb is not None else "  B: <end of file>")
    if diff.count:
        print(diff.summary())
    return 1


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring (head of this file) for the rules.")
    p.add_argument("--metrics", action="store_true",
                   help="A and B are metrics JSONL files (or book files)")
    p.add_argument("--extract-book", metavar="FILE",
                   help="print FILE's plain printed text and exit")
    p.add_argument("--extract-metrics", metavar="FILE",
                   help="print a book FILE's animator data as metrics JSONL and exit")
    p.add_argument("--spread", metavar="SECTION",
                   help="equal within the spread measured across BLAS kernels and ATen "
                        "for SECTION (e.g. 3.6): for a run from another machine")
    p.add_argument("files", nargs="*", metavar="A B")
    args = p.parse_args(argv)
    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except AttributeError:
        pass
    try:
        if args.extract_book:
            if args.files or args.metrics or args.extract_metrics:
                raise UsageError("--extract-book takes one file and nothing else")
            text = read_text(args.extract_book)
            lines = extract_book(text) if is_book(text) else output_lines(args.extract_book)
            for line in lines:
                print(line)
            return 0
        if args.extract_metrics:
            if args.files or args.metrics:
                raise UsageError("--extract-metrics takes one file and nothing else")
            for record in read_metrics(args.extract_metrics):
                print(json.dumps(record))
            return 0
        if len(args.files) != 2:
            raise UsageError(f"need two files to compare, got {len(args.files)}")
        tolerance = spread(args.spread, args.metrics) if args.spread else None
        if args.metrics:
            return compare_metrics(*args.files, tolerance=tolerance)
        return compare_outputs(*args.files, tolerance=tolerance)
    except UsageError as e:
        print(f"compare.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        sys.exit(0)
