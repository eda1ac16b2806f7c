"""The book's BLAS set-up for the Python reference scripts, as in the C++ sections.

Import this module first, before numpy and torch: both load OpenBLAS, which reads
``OPENBLAS_CORETYPE`` and ``OPENBLAS_NUM_THREADS`` once, while it loads. The
policy is the C++ one (``common/include/d2l/harness/numeric_setup.h``): on a CPU with
AVX-512 (F, CD, BW, DQ, VL) and at least 2 usable cores, and unless
``D2L_NATIVE_BLAS=1``, ``OPENBLAS_CORETYPE`` or ``OPENBLAS_NUM_THREADS`` is set,
OpenBLAS runs the SkylakeX kernels on 2 threads, the set-up the book's numbers
were made with. The variables are removed again once torch has loaded
(``restore()``), so child processes decide for themselves.

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
_AVX512 = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _decide():
    if os.environ.get("D2L_NATIVE_BLAS") == "1":
        return "D2L_NATIVE_BLAS=1 is set"
    if os.environ.get("OPENBLAS_CORETYPE"):
        return "OPENBLAS_CORETYPE is set"
    if os.environ.get("OPENBLAS_NUM_THREADS"):
        return "OPENBLAS_NUM_THREADS is set"
    if not _AVX512 <= _cpu_flags():
        return "this CPU has no AVX-512"
    if len(os.sched_getaffinity(0)) < BOOK_THREADS:
        return "fewer than 2 CPUs are usable"
    if "numpy" in sys.modules or "torch" in sys.modules:
        return "numpy or torch was imported before numeric_setup"
    os.environ.update(OPENBLAS_CORETYPE=BOOK_CORE,
                      OPENBLAS_NUM_THREADS=str(BOOK_THREADS))
    return "applied"


decision = _decide()


def restore():
    """Removes the variables this module set (call once torch is imported)."""
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
