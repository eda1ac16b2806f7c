"""The book's BLAS set-up for the Python reference scripts, as in the C++ sections.

Import this module first, before numpy and torch: both load OpenBLAS, which reads
``OPENBLAS_CORETYPE`` and ``OPENBLAS_NUM_THREADS`` once, while it loads. The
decision is the C++ launcher's (``build/launch/d2l_launch``, made by the build:
``common/include/d2l/harness/book_setup.h`` holds the one policy): a script it
started finds the marker it left (``D2L_NUMERIC_SETUP``: this pid and the
decision); a script started otherwise starts itself again under the launcher,
here, before numpy and torch load, with the same interpreter and arguments. Where
the set-up applies (a CPU with AVX-512 F, CD, BW, DQ and VL, at least 2 usable
cores, and none of ``D2L_NATIVE_BLAS=1``, ``OPENBLAS_CORETYPE``,
``OPENBLAS_NUM_THREADS`` set), OpenBLAS runs the SkylakeX kernels on 2 threads,
the set-up the book's numbers were made with. The variables are removed again
once torch has loaded (``restore()``), so child processes decide for themselves.
Without a build there is no launcher: the script runs with OpenBLAS's own choice
and says so (``note()``).

``note()`` is the one line a script prints on stderr when the set-up is not the
book's, worded as the C++ one: that includes ATen's kernels chosen by hand
(``ATEN_CPU_CAPABILITY`` set), which decide digits too.
"""

import ctypes
import os
import re
import sys

BOOK_CORE = "SkylakeX"
BOOK_THREADS = 2
MARKER = "D2L_NUMERIC_SETUP"
_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def _launched():
    """The launcher's decision for this process, or None when it did not start it."""
    pid, _, found = os.environ.get(MARKER, "").partition(" ")
    return found if pid == str(os.getpid()) and found else None


def _launcher():
    """The build's d2l_launch ($D2L_BUILD_DIR or <repo>/build), or None."""
    build = os.environ.get("D2L_BUILD_DIR") or os.path.join(_ROOT, "build")
    path = os.path.join(build, "launch", "d2l_launch")
    return path if os.access(path, os.X_OK) else None


def _decide():
    found = _launched()
    if found is not None:
        return found
    if "numpy" in sys.modules or "torch" in sys.modules:
        return "numpy or torch was imported before numeric_setup"
    launcher = _launcher()
    if launcher is None:
        return "not started by d2l_launch (build it: scripts/setup.sh)"
    # Again, under the launcher: the same interpreter, options and arguments.
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(launcher, [launcher, sys.executable] + sys.orig_argv[1:])


decision = _decide()


def restore():
    """Removes the variables the launcher set (call once torch is imported)."""
    if decision == "applied":
        os.environ.pop("OPENBLAS_CORETYPE", None)
        os.environ.pop("OPENBLAS_NUM_THREADS", None)


def _openblas():
    """The loaded OpenBLAS (a ctypes handle), or None for another BLAS."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "libopenblas" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
        except (OSError, AttributeError):
            continue
    return None


def describe():
    """(is_book, clause): the BLAS set-up this process runs."""
    lib = _openblas()
    if lib is None:
        return False, "BLAS other than OpenBLAS"
    core = lib.openblas_get_corename().decode()
    threads = lib.openblas_get_num_threads()
    clause = f"OpenBLAS {core} kernels, {threads} thread{'' if threads == 1 else 's'}"
    return core == BOOK_CORE and threads == BOOK_THREADS, clause


def aten():
    """(capability, forced): ATen's CPU capability as the imported torch
    reports it ("AVX2", "DEFAULT", ...; "" before torch is imported), and
    ATEN_CPU_CAPABILITY's value when set, else ""."""
    forced = os.environ.get("ATEN_CPU_CAPABILITY") or ""
    capability = ""
    torch = sys.modules.get("torch")
    if torch is not None:
        m = re.search(r"CPU capability usage: (.*)", torch.__config__.show())
        capability = m.group(1).strip() if m else ""
        if capability == "NO AVX":  # the unvectorised kernels: "default"
            capability = "DEFAULT"
    return capability, forced


def note():
    """The C++ sections' note when the set-up is not the book's, else ''."""
    is_book, clause = describe()
    capability, forced = aten()
    if is_book and not forced:
        return ""
    why = ""
    if not is_book:
        why = "though the book's was asked for" if decision == "applied" else decision
    book = f"{BOOK_CORE} kernels, {BOOK_THREADS} threads"
    if forced:
        clause += f", ATen {capability or forced} kernels"
        why += (", " if why else "") + "ATEN_CPU_CAPABILITY is set"
        book += ", ATen's own"
    return (f"note: arithmetic differs from the book's: {clause} ({why}; book: {book}); "
            "last printed digits may differ (see scripts/compare.sh)")
