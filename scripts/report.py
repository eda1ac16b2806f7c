#!/usr/bin/env python3
"""A parity report: every section in C++ and its Python twin on this machine, on one HTML page.

Usage (scripts/report.sh passes its arguments here):
  report.py [SECTION ...] [--exercises] [--epochs N] [--out DIR] [--screenshot PNG]

SECTION is a book number (3.1 ... 3.7; default: all). For each section the
C++ executable (build/chapters/<folder>/<folder>) and the Python twin
(scripts/reference/<folder>.py) run the book's cells with the same flags and
the same environment, so the same arithmetic; the page shows:

  * the set-up: CPU, ATen's CPU capability, OpenBLAS's kernels, the LibTorch
    the C++ was built with and the torch the twins import, and whether this
    is the book's set-up (the sections' own note when it is not);
  * a summary table: per run, whether the printed lines are identical (timing
    values, "... sec", are ignored), the largest difference of the per-epoch
    metrics (3.6, 3.7), both wall times and their ratio;
  * per run the two stdouts side by side, differing numbers marked; the
    figures side by side (C++'s gnuplot PNG, the twin's matplotlib PNG and
    the book's own); 3.6/3.7's metrics epoch by epoch.

--exercises adds one run per exercise command of each section (the flags its
`--exercises` list gives), without figures. --epochs N trains 3.6 and 3.7 for
N epochs instead of the book's 10 (a quicker report; the book's figures are
then of another run). The page is written to DIR (default: report) as
index.html with the figures and every run's captured output (runs/) beside
it; it is made in a temporary folder next to DIR and moved there when whole,
and replaces an earlier report in DIR, never another folder. --screenshot
renders the page with headless Chromium (Debian's chromium) into a PNG file
1400 pixels wide and as tall as the page, at most 16000 pixels (all of the
book's runs; a report with --exercises is longer).

Exit status: 0 when every run's printed lines and metrics are identical, 1
when some differ (the page says where), 2 when something could not run (a
missing build, python3-torch, python3-matplotlib or chromium; a bad flag).
Environment: D2L_BUILD_DIR (default <repo>/build), D2L_PYTHON (default
/usr/bin/python3). Standard library only (the twins need torch and
matplotlib).
"""

import argparse
import html
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import compare

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = ".d2l-report"  # names a folder this script wrote (safe to replace)
METRICS = ("train_loss", "train_acc", "test_acc")
BOOK_FIGURES = os.path.join(ROOT, "tests", "golden", "book")
RUN_LIMIT_S = 3600  # one run (a 50-epoch exercise takes minutes, not hours)


class ReportError(Exception):
    """Something the report cannot do (exit 2), with what to do about it."""


# ---------------------------------------------------------------------------
# What runs


class Run:
    """One command of a section, run in C++ and in Python."""

    def __init__(self, section, folder, flags, label, figures):
        self.section = section      # "3.6"
        self.folder = folder        # "3.6-softmax-regression-scratch"
        self.flags = flags          # the section's flags, e.g. ["--epochs", "2"]
        self.label = label          # "the book's cells" or "exercise 3.6-3"
        self.figures = figures      # draw the book's figures (the book's run)
        self.slug = section + ("" if not flags else "." + re.sub(
            r"[^A-Za-z0-9.+-]+", "_", "_".join(f.lstrip("-") for f in flags)))
        self.metrics = section in ("3.6", "3.7")
        self.sides = {}             # "cpp"/"py" -> Side
        self.figure_names = []

    def command_text(self):
        return " ".join([self.section] + self.flags)


class Side:
    """What one program of a run printed, and how long it took."""

    def __init__(self, argv, shown, stdout, stderr, code, seconds, metrics):
        self.argv, self.shown, self.stdout, self.stderr = argv, shown, stdout, stderr
        self.code, self.seconds, self.metrics = code, seconds, metrics


def section_folders(wanted):
    folders = sorted(d for d in os.listdir(os.path.join(ROOT, "chapters"))
                     if re.match(r"^3\.\d+-", d))
    known = {f.split("-", 1)[0]: f for f in folders}
    if not wanted:
        return [(s, known[s]) for s in sorted(known, key=lambda s: int(s.split(".")[1]))]
    out = []
    for s in wanted:
        if s not in known:
            raise ReportError(f"no section '{s}'; known: {' '.join(sorted(known))}")
        if s not in [o[0] for o in out]:
            out.append((s, known[s]))
    return out


def exercise_commands(exe):
    """(label, flags) per distinct exercise command of a section's `--exercises` list."""
    text = subprocess.run([exe, "--exercises"], capture_output=True, text=True,
                          timeout=60).stdout
    seen, out = set(), []
    for line in text.splitlines():
        m = re.match(r"^  exercise (\S+)\s+(.*)$", line)
        if not m or m.group(2).startswith("("):
            continue  # "(the default run)": the book's run shows it
        flags = m.group(2).split()
        if tuple(flags) in seen:
            continue
        seen.add(tuple(flags))
        out.append((f"exercise {m.group(1)}", flags))
    return out


def plan(sections, build_dir, exercises, epochs):
    runs = []
    for section, folder in sections:
        exe = os.path.join(build_dir, "chapters", folder, folder)
        if not os.access(exe, os.X_OK):
            raise ReportError(f"{exe} not found: build first (scripts/setup.sh)")
        flags = ["--epochs", str(epochs)] if epochs and section in ("3.6", "3.7") else []
        runs.append(Run(section, folder, flags, "the book's cells", figures=True))
        if exercises:
            for label, ex_flags in exercise_commands(exe):
                runs.append(Run(section, folder, ex_flags, label, figures=False))
    return runs


# ---------------------------------------------------------------------------
# Running


def run_side(argv, env, stdout_path, stderr_path):
    start = time.monotonic()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        try:
            code = subprocess.run(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                  env=env, timeout=RUN_LIMIT_S).returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    seconds = time.monotonic() - start
    return code, seconds


def shown_path(arg, work):
    """`arg` as the page shows it: inside the report folder relative to it,
    inside the repository relative to that, quoted for a shell."""
    for prefix in (work + os.sep, ROOT + os.sep):
        if arg.startswith(prefix):
            arg = arg[len(prefix):]
            break
    return shlex.quote(arg)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def run_all(runs, build_dir, python, work, progress):
    env = dict(os.environ)
    env.pop("D2L_BACKTRACE", None)
    for d in ("runs", "figures/cpp", "figures/python", "figures/book"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    for n, run in enumerate(runs, 1):
        progress(f"report: [{n}/{len(runs)}] {run.command_text()} ({run.label})")
        programs = {
            "cpp": [os.path.join(build_dir, "chapters", run.folder, run.folder)],
            "py": [python, os.path.join(ROOT, "scripts", "reference", run.folder + ".py")],
        }
        for side, program in programs.items():
            base = os.path.join(work, "runs", f"{run.slug}.{side}")
            argv = program + run.flags
            if run.figures:
                sub = "cpp" if side == "cpp" else "python"
                argv += ["--out", os.path.join(work, "figures", sub)]
            else:
                argv += ["--no-figures"]
            metrics_path = None
            if run.metrics:
                metrics_path = base + ".metrics.jsonl"
                argv += ["--metrics", metrics_path]
            code, seconds = run_side(argv, env, base + ".stdout", base + ".stderr")
            shown = [shown_path(a, work) for a in argv]
            metrics = None
            if metrics_path and os.path.exists(metrics_path):
                metrics = compare.read_metrics(metrics_path)
            run.sides[side] = Side(argv, shown, read(base + ".stdout"),
                                   read(base + ".stderr"), code, seconds, metrics)
        if run.figures:
            run.figure_names = sorted({
                os.path.splitext(f)[0]
                for sub in ("cpp", "python")
                for f in os.listdir(os.path.join(work, "figures", sub))
                if f.startswith(run.section + "_") and f.endswith(".png")})
            for name in run.figure_names:
                book = os.path.join(BOOK_FIGURES, name + ".png")
                if os.path.exists(book):
                    shutil.copyfile(book, os.path.join(work, "figures", "book", name + ".png"))


# ---------------------------------------------------------------------------
# Comparing


def compare_lines(a_text, b_text):
    """Rows (kind, a, b) line by line, kind "same", "numbers" or "text"; and
    (lines differing, Diff over the numbers that differ)."""
    a = a_text.split("\n")
    b = b_text.split("\n")
    for lines in (a, b):
        if lines and lines[-1] == "":
            lines.pop()
    rows, differing, diff = [], 0, compare.Diff()
    for i in range(max(len(a), len(b))):
        la = a[i] if i < len(a) else None
        lb = b[i] if i < len(b) else None
        if la is None or lb is None:
            rows.append(("text", la, lb))
            differing += 1
            continue
        ma, _ = compare.mask_timing(la)
        mb, _ = compare.mask_timing(lb)
        if ma == mb:
            rows.append(("same", la, lb))
            continue
        differing += 1
        ta, na = compare.tokens(ma)
        tb, nb = compare.tokens(mb)
        if ta == tb and len(na) == len(nb):
            for x, y in zip(na, nb):
                if x != y:
                    diff.add(x, y)
            rows.append(("numbers", la, lb))
        else:
            rows.append(("text", la, lb))
    return rows, differing, diff


def compare_metrics(a, b):
    """(records differing, largest absolute difference, per-epoch rows)."""
    a, b = a or [], b or []
    differing, largest, rows = 0, 0.0, []
    for i in range(max(len(a), len(b))):
        ra = a[i] if i < len(a) else {}
        rb = b[i] if i < len(b) else {}
        if ra != rb:
            differing += 1
        for key in METRICS:
            x, y = ra.get(key), rb.get(key)
            if isinstance(x, (int, float)) and isinstance(y, (int, float)):
                largest = max(largest, abs(x - y))
        rows.append((ra.get("epoch", rb.get("epoch")), ra, rb))
    return differing, largest, rows


# ---------------------------------------------------------------------------
# The set-up


def first_line_with(text, pattern):
    for line in text.splitlines():
        m = re.search(pattern, line)
        if m:
            return m.group(1).strip()
    return None


def setup_facts(build_dir, python, runs):
    facts = []
    cpu = None
    try:
        cpu = first_line_with(read("/proc/cpuinfo"), r"^model name\s*:\s*(.*)$")
    except OSError:
        pass
    facts.append(("CPU", f"{cpu or 'unknown'} ({os.cpu_count()} logical cores)"))
    try:
        os_name = first_line_with(read("/etc/os-release"), r'^PRETTY_NAME="?([^"]*)"?$')
    except OSError:
        os_name = None
    facts.append(("system", os_name or "unknown"))
    probe = subprocess.run(
        [python, "-c",
         "import torch\n"
         "print(torch.__version__)\n"
         "print(torch.__file__)\n"
         "print(torch.__config__.show())\n"],
        capture_output=True, text=True, timeout=120)
    lines = probe.stdout.splitlines()
    if probe.returncode == 0 and len(lines) >= 2:
        facts.append(("torch (Python twins)", f"{lines[0]} ({os.path.dirname(lines[1])})"))
        cap = first_line_with(probe.stdout, r"CPU capability usage:\s*(.*)$")
        forced = os.environ.get("ATEN_CPU_CAPABILITY")
        facts.append(("ATen CPU capability",
                      (cap or "unknown") + (f" (ATEN_CPU_CAPABILITY={forced})" if forced else "")))
    facts.append(("LibTorch (C++)", libtorch_facts(build_dir)))
    exe = runs[0].sides["cpp"].argv[0]
    env = dict(os.environ, OPENBLAS_VERBOSE="2")
    blas = subprocess.run([exe, "--help"], capture_output=True, text=True, env=env, timeout=60)
    core = first_line_with(blas.stdout + blas.stderr, r"^Core:\s*(.*)$")
    forced = os.environ.get("OPENBLAS_CORETYPE")
    facts.append(("OpenBLAS kernels",
                  (core or "not reported (not OpenBLAS?)") +
                  (f" (OPENBLAS_CORETYPE={forced})" if forced else "")))
    notes = sorted({line for run in runs for side in run.sides.values()
                    for line in side.stderr.splitlines()
                    if line.startswith("note: arithmetic differs from the book's")})
    facts.append(("the book's set-up",
                  "no: " + " / ".join(notes) if notes else
                  "yes: the sections printed no note that the arithmetic differs from the book's"))
    return facts


def libtorch_facts(build_dir):
    """Version and folder of the LibTorch in the build's CMake cache."""
    try:
        cache = read(os.path.join(build_dir, "CMakeCache.txt"))
    except OSError:
        return "unknown (no CMakeCache.txt in the build folder)"
    torch_dir = first_line_with(cache, r"^Torch_DIR:[A-Z]+=(.*)$")
    if not torch_dir:
        return "unknown (no Torch_DIR in CMakeCache.txt)"
    version = None
    try:
        version = first_line_with(read(os.path.join(torch_dir, "TorchConfigVersion.cmake")),
                                  r'set\(PACKAGE_VERSION "([^"]+)"\)')
    except OSError:
        pass
    return f"{version or 'unknown version'} ({torch_dir})"


# ---------------------------------------------------------------------------
# The page


CSS = """
body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 2em; border-top: 1px solid #ccc;
  padding-top: .8em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { border: 1px solid #ccc; padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #176617; font-weight: bold; } .bad { color: #b00020; font-weight: bold; }
table.out { font-family: monospace; font-size: 12px; width: 100%; table-layout: fixed; }
table.out td { white-space: pre-wrap; word-break: break-all; border: none;
  border-bottom: 1px solid #eee; padding: 0 .4em; }
table.out .n { width: 3em; color: #888; text-align: right; }
tr.numbers td.l, tr.text td.l { background: #fff4d6; }
mark { background: #ffb347; } .timing { color: #888; }
.figs { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
figure { margin: 0; } figcaption { font-size: .85em; color: #555; }
figure img { border: 1px solid #ddd; max-width: 100%; }
pre.err { background: #f7f7f7; font-size: 12px; padding: .4em; white-space: pre-wrap; }
"""


def e(text):
    return html.escape(str(text), quote=True)


def marked(line, other):
    """`line` as HTML, its numbers that differ from `other`'s marked, timings greyed."""
    if line is None:
        return '<span class="timing">(no line)</span>'
    if other is None:
        return e(line)
    ta, na = compare.tokens(line)
    tb, nb = compare.tokens(other)
    if ta != tb or len(na) != len(nb):
        return e(line)
    out = []
    for i, number in enumerate(na):
        out.append(e(ta[i]))
        timing = ta[i + 1].startswith(" sec")
        if timing:
            out.append(f'<span class="timing">{e(number)}</span>')
        elif number != nb[i]:
            out.append(f"<mark>{e(number)}</mark>")
        else:
            out.append(e(number))
    out.append(e(ta[-1]))
    return "".join(out)


def book_cell(book):
    if book is None:
        return "—"
    if book == "no code":
        return "— (the book's section has no code)"
    differing, lines, metrics = book
    text = "lines identical" if not differing else f"{differing} of {lines} lines differ"
    if metrics is not None:
        text += ", metrics identical" if not metrics else f", {metrics} epochs differ"
    return status_cell(not differing and not metrics, text, text)


def status_cell(ok, good, bad):
    return f'<span class="ok">{e(good)}</span>' if ok else f'<span class="bad">{e(bad)}</span>'


def fmt_seconds(s):
    return f"{s:.2f} s"


def summarise(run):
    cpp, py = run.sides["cpp"], run.sides["py"]
    rows, differing, diff = compare_lines(cpp.stdout, py.stdout)
    run.rows, run.differing, run.diff = rows, differing, diff
    run.same_exit = cpp.code == py.code
    if run.metrics:
        run.metrics_differing, run.metrics_largest, run.metrics_rows = compare_metrics(
            cpp.metrics, py.metrics)
    else:
        run.metrics_differing, run.metrics_largest, run.metrics_rows = 0, 0.0, []
    run.identical = differing == 0 and run.same_exit and run.metrics_differing == 0
    run.book = book_comparison(run)
    return run.identical


def book_comparison(run):
    """How the C++ run compares with the book's printed output: None unless
    this is a book run with the book's flags (seed 0, no flags); "no code"
    where the book's section has no code cells (3.4); else (lines differing,
    lines, metrics epochs differing or None)."""
    path = os.path.join(BOOK_FIGURES, run.section + ".txt")
    if not run.figures or run.flags or not os.path.exists(path):
        return None
    text = compare.read_text(path)
    if not compare.book_cells(text):
        return "no code"  # 3.4: the book's section has no code cells
    book_text = "".join(line + "\n" for line in compare.extract_book(text))
    rows, differing, _ = compare_lines(run.sides["cpp"].stdout, book_text)
    metrics = None
    if run.metrics:
        metrics, _, _ = compare_metrics(run.sides["cpp"].metrics,
                                        compare.book_metrics(text, path))
    return differing, len(rows), metrics


def anchor(run):
    """The run's id on the page: run-3-6 for a section's book run (stable, to
    link to), run-3-6-stable-lr-1 for an exercise run."""
    name = run.section if run.figures else run.slug
    return "run-" + re.sub(r"[^A-Za-z0-9]+", "-", name)


def page(runs, facts, title_flags, work):
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>d2l-cpp parity report</title>", f"<style>{CSS}</style></head><body>",
           "<h1>d2l-cpp parity report: C++ sections beside their Python twins</h1>",
           f"<p>Made {e(time.strftime('%Y-%m-%d %H:%M:%S %Z'))} by <code>scripts/report.sh"
           f"{e(title_flags)}</code>. Both sides ran on this machine with the same flags "
           "and environment; printed lines are compared number by number (timing values, "
           "shown grey, are not compared), differing numbers are <mark>marked</mark>. "
           "Commands name the programs from the repository's folder and the figures "
           "and metrics from this report's.</p>",
           "<h2 id=\"setup\">Set-up</h2><table>"]
    for name, value in facts:
        out.append(f"<tr><th>{e(name)}</th><td>{e(value)}</td></tr>")
    out.append("</table>")
    out.append('<h2 id="summary">Summary</h2><table><tr><th>section</th><th>run</th>'
               "<th>flags</th><th>printed lines</th><th>metrics</th><th>exit</th>"
               "<th>C++ against the book</th>"
               "<th>C++ time</th><th>Python time</th><th>C++ / Python</th></tr>")
    for run in runs:
        cpp, py = run.sides["cpp"], run.sides["py"]
        count = len(run.rows)
        lines = status_cell(run.differing == 0,
                            f"identical, {count} line{'' if count == 1 else 's'}",
                            f"{run.differing} of {count} differ")
        if run.metrics:
            metrics = status_cell(
                run.metrics_differing == 0,
                f"identical, {len(run.metrics_rows)} epochs",
                f"{run.metrics_differing} epochs differ, max |diff| {run.metrics_largest:.3g}")
        else:
            metrics = "—"
        exits = status_cell(run.same_exit, f"{cpp.code}", f"C++ {cpp.code}, Python {py.code}")
        ratio = cpp.seconds / py.seconds if py.seconds > 0 else float("inf")
        book = book_cell(run.book)
        out.append(
            f'<tr><td><a href="#{anchor(run)}">{e(run.section)}</a></td><td>{e(run.label)}</td>'
            f"<td><code>{e(' '.join(run.flags))}</code></td><td>{lines}</td><td>{metrics}</td>"
            f'<td>{exits}</td><td>{book}</td><td class="num">{fmt_seconds(cpp.seconds)}</td>'
            f'<td class="num">{fmt_seconds(py.seconds)}</td><td class="num">{ratio:.2f}</td></tr>')
    out.append("</table><p>Times are wall times of whole runs (start-up, data loading and "
               "figures included), one run each. <em>C++ against the book</em> compares the "
               "C++ run's printed lines and metrics with the book's own output (seed 0, the "
               "book's flags; tests/golden/book): equal where this machine runs the book's "
               "arithmetic (see the set-up), else in all but last digits.</p>")
    for run in runs:
        out.extend(section_html(run, work))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def section_html(run, work):
    cpp, py = run.sides["cpp"], run.sides["py"]
    out = [f'<h2 id="{anchor(run)}">{e(run.section)} {e(run.folder.split("-", 1)[1])}: '
           f"{e(run.label)}</h2>",
           f"<p>C++: <code>{e(' '.join(cpp.shown))}</code><br>"
           f"Python: <code>{e(' '.join(py.shown))}</code></p>"]
    if run.differing:
        out.append(f'<p class="bad">{run.differing} printed line(s) differ; '
                   f"{e(run.diff.summary()) if run.diff.count else 'not only in numbers'}.</p>")
    else:
        out.append(f'<p class="ok">The {len(run.rows)} printed lines are identical.</p>'
                   if run.rows else '<p class="ok">Neither side printed anything on stdout '
                   "(the figure and the metrics are this section's output).</p>")
    if run.rows:
        out.append('<table class="out"><tr><th class="n">#</th><th>C++ stdout</th>'
                   "<th>Python stdout</th></tr>")
        for n, (kind, a, b) in enumerate(run.rows, 1):
            out.append(f'<tr class="{kind}"><td class="n">{n}</td>'
                       f'<td class="l">{marked(a, b)}</td><td class="l">{marked(b, a)}</td></tr>')
        out.append("</table>")
    if run.figure_names:
        out.append("<h3>Figures</h3>")
        for name in run.figure_names:
            out.append(f"<p><code>{e(name)}.png</code></p><div class=\"figs\">")
            book = "the book" + (" (its own flags)" if run.flags else "")
            for sub, caption in (("cpp", "C++ (gnuplot)"), ("python", "Python twin (matplotlib)"),
                                 ("book", book)):
                src = f"figures/{sub}/{name}.png"
                if os.path.exists(os.path.join(work, src)):
                    out.append(f'<figure><img src="{e(src)}" alt="{e(caption)}: {e(name)}">'
                               f"<figcaption>{e(caption)}</figcaption></figure>")
                else:
                    out.append(f'<figure><p class="bad">not drawn</p>'
                               f"<figcaption>{e(caption)}</figcaption></figure>")
            out.append("</div>")
    if run.metrics and run.metrics_rows:
        out.append("<h3>Per-epoch metrics (--metrics)</h3>")
        out.append(f"<p>Largest absolute difference: {run.metrics_largest:.3g} "
                   f"({run.metrics_differing} of {len(run.metrics_rows)} epochs differ).</p>")
        out.append("<table><tr><th>epoch</th>" + "".join(
            f"<th>{k} C++</th><th>{k} Python</th>" for k in METRICS) + "</tr>")
        for epoch, ra, rb in run.metrics_rows:
            cells = []
            for k in METRICS:
                x, y = ra.get(k), rb.get(k)
                xs = "—" if x is None else repr(x)
                ys = "—" if y is None else repr(y)
                if x != y:
                    xs, ys = f"<mark>{e(xs)}</mark>", f"<mark>{e(ys)}</mark>"
                cells.append(f'<td class="num">{xs}</td><td class="num">{ys}</td>')
            out.append(f"<tr><td>{e(epoch)}</td>{''.join(cells)}</tr>")
        out.append("</table>")
    for name, side in (("C++", cpp), ("Python", py)):
        if side.stderr.strip():
            count = len(side.stderr.splitlines())
            out.append(f"<details><summary>{e(name)} stderr ({count} "
                       f"line{'' if count == 1 else 's'}, exit {e(side.code)})</summary>"
                       f"<pre class=\"err\">"
                       f"{e(side.stderr)}</pre></details>")
    return out


# ---------------------------------------------------------------------------
# The folder, the screenshot and the command line


def check_out(out):
    """Refuses an --out that exists and is not a report this script wrote."""
    if os.path.lexists(out):
        if os.path.islink(out) or not os.path.isdir(out):
            raise ReportError(f"--out {out}: exists and is not a folder: choose another --out")
        if not os.path.exists(os.path.join(out, MARKER)):
            raise ReportError(f"--out {out}: a folder that is not a report made by report.sh "
                              "(it would be replaced): choose another --out")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise ReportError(f"--out {out}: its folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ReportError(f"--out {out}: cannot write in {parent} (permission denied)")


def install(work, out):
    """Moves the finished report `work` to `out`, replacing an earlier report."""
    old = None
    if os.path.exists(out):
        old = out + f".old-{os.getpid()}"
        os.rename(out, old)
    os.rename(work, out)
    if old:
        shutil.rmtree(old, ignore_errors=True)


MEASURE = ('<script>window.addEventListener("load", function () {'
           ' document.body.setAttribute("data-height",'
           ' document.documentElement.scrollHeight); });</script>')
SCREENSHOT_LIMIT_PX = 16000  # Chromium draws at most about 16384 pixels


def chromium_run(chromium, profile, args, what):
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--virtual-time-budget=10000"] + args
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise ReportError(f"chromium did not {what} within 120 s")
    if done.returncode != 0:
        raise ReportError(f"chromium could not {what}: " + compare_last_line(done.stderr))
    return done.stdout


def screenshot(index, png):
    """Renders `index` 1400 pixels wide and as tall as the page (at most
    SCREENSHOT_LIMIT_PX) into `png`: a first run measures the page's height
    on a copy of it with a line of script, the second draws it."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise ReportError("--screenshot needs Debian's chromium: "
                          "apt-get install chromium fonts-wqy-microhei")
    folder = os.path.dirname(os.path.abspath(index))
    measure = os.path.join(folder, f".measure-{os.getpid()}.html")
    tmp = os.path.join(os.path.dirname(os.path.abspath(png)),
                       f".{os.path.basename(png)}.tmp-{os.getpid()}.png")
    with tempfile.TemporaryDirectory(prefix="d2l-chromium-") as profile:
        try:
            with open(index, encoding="utf-8") as f:
                text = f.read()
            with open(measure, "w", encoding="utf-8") as f:
                f.write(text.replace("</body>", MEASURE + "</body>"))
            dom = chromium_run(chromium, profile, ["--window-size=1400,800", "--dump-dom",
                                                   "file://" + measure], "load the page")
            m = re.search(r'data-height="(\d+)"', dom)
            height = min(int(m.group(1)), SCREENSHOT_LIMIT_PX) if m else SCREENSHOT_LIMIT_PX
            chromium_run(chromium, profile, [f"--window-size=1400,{height}",
                                             f"--screenshot={tmp}", "file://" + index],
                         "render the page")
            if not os.path.exists(tmp):
                raise ReportError("chromium wrote no screenshot")
            os.replace(tmp, png)
        finally:
            for path in (measure, tmp):
                if os.path.exists(path):
                    os.remove(path)


def compare_last_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else "(no message)"


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}")
    return value


def main(argv=None):
    p = argparse.ArgumentParser(prog="report.sh", description=__doc__.split("\n")[0])
    p.add_argument("sections", nargs="*", metavar="SECTION", help="3.1 ... 3.7 (default: all)")
    p.add_argument("--exercises", action="store_true",
                   help="also run every exercise command of each section")
    p.add_argument("--epochs", type=positive_int, metavar="N",
                   help="train 3.6 and 3.7 for N epochs (default: the book's 10)")
    p.add_argument("--out", default="report", metavar="DIR",
                   help="the report's folder (default: report)")
    p.add_argument("--screenshot", metavar="PNG",
                   help="render the page with headless chromium into PNG")
    args = p.parse_args(argv)
    build_dir = os.environ.get("D2L_BUILD_DIR") or os.path.join(ROOT, "build")
    python = os.environ.get("D2L_PYTHON") or "/usr/bin/python3"
    out = args.out.rstrip("/") or "/"
    progress = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    work = None
    try:
        sections = section_folders(args.sections)
        check_out(out)
        if args.screenshot and not (shutil.which("chromium") or shutil.which("chromium-browser")):
            raise ReportError("--screenshot needs Debian's chromium: "
                              "apt-get install chromium fonts-wqy-microhei")
        probe = subprocess.run([python, "-c", "import torch, matplotlib"], capture_output=True,
                               text=True)
        if probe.returncode != 0:
            raise ReportError(f"{python} cannot import torch and matplotlib (the Python twins): "
                              "scripts/setup.sh --with-python")
        runs = plan(sections, build_dir, args.exercises, args.epochs)
        work = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.tmp-",
                                dir=os.path.dirname(os.path.abspath(out)))
        run_all(runs, build_dir, python, work, progress)
        identical = [summarise(run) for run in runs]
        facts = setup_facts(build_dir, python, runs)
        flags = "".join(" " + a for a in (argv if argv is not None else sys.argv[1:]))
        with open(os.path.join(work, "index.html"), "w", encoding="utf-8") as f:
            f.write(page(runs, facts, flags, work))
        with open(os.path.join(work, "summary.json"), "w", encoding="utf-8") as f:
            json.dump([{"section": r.section, "label": r.label, "flags": r.flags,
                        "lines": len(r.rows), "lines_differing": r.differing,
                        "metrics_differing": r.metrics_differing,
                        "metrics_max_abs_diff": r.metrics_largest,
                        "exit_cpp": r.sides["cpp"].code, "exit_python": r.sides["py"].code,
                        "seconds_cpp": r.sides["cpp"].seconds,
                        "seconds_python": r.sides["py"].seconds} for r in runs], f, indent=1)
            f.write("\n")
        open(os.path.join(work, MARKER), "w").close()
        os.chmod(work, 0o755)
        install(work, out)
        work = None
        index = os.path.join(out, "index.html")
        if args.screenshot:
            screenshot(index, args.screenshot)
        same = sum(identical)
        print(f"report: {index}: {same} of {len(runs)} runs identical"
              + ("" if same == len(runs) else
                 "; the others differ (see the page's summary)"))
        return 0 if same == len(runs) else 1
    except ReportError as err:
        print(f"report.sh: {err}", file=sys.stderr)
        return 2
    except compare.UsageError as err:
        print(f"report.sh: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"report.sh: {err.filename or ''}: {err.strerror}", file=sys.stderr)
        return 1
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _stop(signum, frame):
    print(f"report.sh: stopped by {signal.Signals(signum).name}; no report written",
          file=sys.stderr)
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _stop)
    sys.exit(main())
