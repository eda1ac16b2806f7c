#!/usr/bin/python3
"""Writes tests/golden/tensor_str.txt: what PyTorch prints for the tensors,
floats, strings, sizes and dtypes that tests/test_tensor_str.cpp rebuilds.

Regenerate (PyTorch 1.13, the version d2l::repr mirrors, writes the file
itself; another release writes tests/golden/torch-<major.minor>/tensor_str.txt,
which the tests of a LibTorch of that release read instead, and only if it
differs: 2.6 and 2.14 name some autograd nodes differently, ViewBackward0 for
1.13's ReshapeAliasBackward0):

    /usr/bin/python3 scripts/golden/gen_tensor_str.py

Every tensor below is built from explicit values or from torch draws right
after torch.manual_seed(k); the C++ test makes the same calls, so LibTorch
draws the same values. A case added here needs a builder of the same id in
tests/test_tensor_str.cpp (the test TensorStr.EveryGoldenTensorHasABuilder
says which are missing).

File format: a line `=== <kind> <key>` starts a case; the expected text
follows, up to the next `=== ` line. Kinds: `tensor <id>`, `py_float <hex>`
(float.hex of the input), `py_str x<hex>` (the input's UTF-8 bytes),
`py_tuple <id>`, `py_list <id>`, `size [d0,d1,...]`, `dtype <torch name>`.
"""

import math
import os

import torch

# 2.14 (Debian unstable's 2.14.1) checked against 1.13's torch/_tensor_str.py:
# for the default print options and the dense CPU tensors d2l::repr prints,
# the rules are the same. What changed: the scientific-mode test is made once
# before the integer/fixed choice and also asks min < 1e-4 in integer mode
# (never true: nonzero integers are >= 1), and a set sci_mode now also sets
# the widths (d2l::repr has no set_printoptions); float16/bfloat16 are no
# longer widened to float first (the same values reach the formatter);
# edgeitems=0, float8/float4 dtypes, named, meta and fake tensors, functorch
# wrappers and an "Invalid" grad_fn are new cases d2l::repr does not print.
assert torch.__version__.startswith(("1.13", "2.6", "2.14")), (
    "d2l::repr follows the printing rules of PyTorch 1.13, 2.6 and 2.14; "
    "check another release's _tensor_str.py first: " + torch.__version__)

nan = float("nan")
inf = float("inf")


def seeded(seed, fn):
    torch.manual_seed(seed)
    return fn()


def mixed(seed):
    """A small tensor of a kind, shape and scale drawn from `seed`: floats
    from 1e-9 to 1e11, rounded floats, float64, int64, bool, NaN/inf/zero
    mixes and grad_fn results, to cross the formatter's modes."""
    torch.manual_seed(seed)
    ndim = int(torch.randint(0, 4, ()).item())
    shape = torch.randint(1, 7, (ndim,)).tolist()
    kind = int(torch.randint(0, 8, ()).item())
    scale = torch.tensor(10.0 ** int(torch.randint(-9, 12, ()).item()))
    base = torch.randn(shape)
    if kind == 0:
        return base * scale
    if kind == 1:
        return (base * scale).round()
    if kind == 2:
        return base.double() * scale
    if kind == 3:
        return (base * 100).to(torch.int64)
    if kind == 4:
        return base > 0
    if kind == 5:
        return torch.where(
            base > 1, torch.tensor(inf),
            torch.where(base < -1, torch.tensor(nan), base * scale))
    if kind == 6:
        return torch.where(base.abs() < 0.5, torch.zeros(()), base.round())
    return (base * scale).requires_grad_() * torch.tensor(2.0)


def tensor_cases():
    # Requires-grad leaves used by the grad_fn cases.
    b = torch.zeros(2, requires_grad=True)
    w = torch.tensor([4.1992], requires_grad=True)
    x = torch.tensor([1.5, -2.0, 3.25], requires_grad=True)
    torch.manual_seed(8)
    r = torch.randn(7, requires_grad=True)
    return [
        # The book's outputs (3.1, 3.2): plain, sci mode, fixed mode.
        ("book_randn2", seeded(0, lambda: torch.randn(16)[:2])),
        ("book_sub_sci",
         torch.tensor([-9.0837e-05, -1.0216e-03]) - b),
        ("book_rsub", 4.2 - w),
        ("book_small_fixed", torch.tensor([1.2e-4, -2.9e-4])),
        # 1-D and multi-row alignment.
        ("vec_1d", torch.tensor([1.5, 2.25, -3.0])),
        ("mat_neg", seeded(1, lambda: torch.randn(3, 4))),
        ("mat_mixed_width", torch.tensor([[1.5, -22.25], [333.125, 4.0]])),
        ("shape_10x1", seeded(7, lambda: torch.randn(10, 1))),
        ("transposed", torch.arange(6.0).reshape(2, 3).t()),
        ("t3d", seeded(2, lambda: torch.randn(2, 3, 4))),
        ("t4d", torch.arange(24.0).reshape(2, 3, 2, 2)),
        # Scientific notation.
        ("sci_small", torch.tensor([1e-5, 2.5e-3])),
        ("sci_large", torch.tensor([1.5e10, -2.25])),
        ("sci_ratio", torch.tensor([0.5, 1234.5])),
        ("sci_int_ratio", torch.tensor([1.0, 1001.0])),
        ("sci_int_large", torch.tensor([2e8, 3.0])),
        ("sci_min_boundary", torch.tensor([1e-4])),
        ("int_ratio_boundary", torch.tensor([1.0, 1000.0])),
        ("int_max_boundary", torch.tensor([1e8])),
        ("sci_2d", torch.tensor([[1e-6, -2.0], [3.0, nan]])),
        # Floats that are all integral print as `5.`.
        ("int_mode_row", torch.tensor([[5.0, 7.0, 9.0]])),
        ("int_mode_zero", torch.tensor([0.0])),
        ("int_mode_neg", torch.tensor([-3.0, 10.0, 100.0])),
        # Negative zero.
        ("neg_zero_int_mode", torch.tensor([0.0, -0.0])),
        ("neg_zero_fixed", torch.tensor([-0.0, 1.5])),
        ("neg_zero_scalar", torch.tensor(-0.0)),
        # NaN and infinities.
        ("nan_inf_mixed", torch.tensor([1.5, nan, inf, -inf])),
        ("nan_only", torch.tensor([nan])),
        ("inf_int_mode", torch.tensor([inf, -inf, 2.0])),
        ("nan_int_mode", torch.tensor([1.0, nan])),
        ("nan_from_zero_div", torch.zeros(2) / torch.zeros(2)),
        ("nan_sci", torch.tensor([nan, 1e-6, -inf])),
        # Integer and bool dtypes.
        ("int64_arange", torch.arange(12)),
        ("int64_mat", torch.tensor([[1, -22], [333, 4]])),
        ("int32", torch.tensor([1, -20, 300], dtype=torch.int32)),
        ("uint8", torch.arange(5, dtype=torch.uint8)),
        ("int8_neg", torch.tensor([-128, 0, 127], dtype=torch.int8)),
        ("int16_2d",
         torch.arange(-3, 3, dtype=torch.int16).reshape(2, 3)),
        ("bool_1d", torch.tensor([True, False])),
        ("bool_2d", torch.tensor([[True, False, True], [False, False, True]])),
        # Non-default float dtypes.
        ("float64", torch.tensor([1.5, 2.0], dtype=torch.float64)),
        ("float64_randn",
         seeded(3, lambda: torch.randn(2, 2, dtype=torch.float64))),
        ("float16", torch.tensor([1.5, 2.0, -0.1], dtype=torch.float16)),
        ("bfloat16", torch.tensor([1.5, 300.0], dtype=torch.bfloat16)),
        # 0-d tensors.
        ("scalar_float", torch.tensor(3.0)),
        ("scalar_fixed", torch.tensor(3.5)),
        ("scalar_sci", torch.tensor(1e-5)),
        ("scalar_int", torch.tensor(7)),
        ("scalar_int32", torch.tensor(7, dtype=torch.int32)),
        ("scalar_bool", torch.tensor(True)),
        ("scalar_float64", torch.tensor(0.1, dtype=torch.float64)),
        # Empty tensors.
        ("empty_1d", torch.tensor([])),
        ("empty_0x3", torch.zeros(0, 3)),
        ("empty_int64", torch.zeros(0, dtype=torch.int64)),
        ("empty_int32_2x0", torch.zeros(2, 0, dtype=torch.int32)),
        # Rows longer than the line width wrap.
        ("wrap_thirds", torch.arange(30.0) / 3),
        ("wrap_int64", torch.arange(100)),
        ("wrap_int_mode", torch.arange(50.0)),
        ("wrap_3d_rows", seeded(9, lambda: torch.randn(2, 2, 12))),
        # More than 1000 elements: summarised with `...`.
        ("summary_randn2000", seeded(4, lambda: torch.randn(2000))),
        ("summary_randn40x40", seeded(5, lambda: torch.randn(40, 40))),
        ("summary_arange2000", torch.arange(2000)),
        ("summary_3d", seeded(6, lambda: torch.randn(10, 10, 12))),
        ("summary_zeros", torch.zeros(1001)),
        ("summary_7x200", torch.arange(1400.0).reshape(7, 200)),
        # Autograd suffixes.
        ("requires_grad_ones", torch.ones(3, requires_grad=True)),
        ("requires_grad_randn",
         seeded(10, lambda: torch.randn(2, 3, requires_grad=True))),
        ("requires_grad_float64",
         torch.tensor([0.5, 0.25], dtype=torch.float64, requires_grad=True)),
        ("grad_fn_mul", x * 2),
        ("grad_fn_sum", x.sum()),
        ("grad_fn_view", x.reshape(3, 1)),
        ("suffix_wraps", r * 2),
        ("suffix_wraps_dtype",
         torch.arange(16, dtype=torch.int32).reshape(2, 8) * 1000),
        # Complex.
        ("complex64", torch.tensor([1 + 2j, -3.5 - 0.5j])),
        # complex(1, 0), not 1 - 0j: Python 3.14 subtracts a complex from a
        # real as C99 does, and 1 - 0j has the imaginary part -0.0 there
        # (+0.0 up to 3.13, and in the C++ builder).
        ("complex_neg_zero_imag", torch.tensor([complex(1, 0), 2 + 1e-5j])),
        ("complex128_scalar", torch.tensor(1.5 - 2j, dtype=torch.complex128)),
        # Meta tensors have no values.
        ("meta", torch.empty(2, 3, device="meta")),
        ("meta_int64", torch.empty(4, dtype=torch.int64, device="meta")),
    ] + [("mixed_%d" % seed, mixed(seed)) for seed in range(32)]


PY_FLOATS = [
    100.0, 0.0328, 1e-05, 1e16, 1.5e300, inf, -inf, nan, 0.0, -0.0, 0.1,
    1 / 3, 1e-4, 0.00012345, 1234.5678, 1e15, 123456789012345678.0,
    9999999999999998.0, 5e-324, 1.7976931348623157e308, -2.5, 2.0 ** 53,
    0.1 + 0.2, float(torch.tensor(0.1)), 1e22, 2.0 ** -20, 0.05691, 3.0,
    -1e-7, 12345678901234567890.0,
]

PY_STRS = [
    "abc", "0.05691 sec", "it's", 'say "hi"', "both ' and \"", "back\\slash",
    "tab\there", "new\nline\r", "", "\x01\x7f", "caf\u00e9",
]

PY_TUPLES = [("empty", ()), ("one", (1,)), ("two", (1, "a"))]
PY_LISTS = [("empty", []), ("one", [1]), ("two", [1.5, "a"])]
SIZES = [[1, 28, 28], [], [0], [5], [2, 0, 3]]
DTYPES = [
    "float32", "float64", "float16", "bfloat16", "uint8", "int8", "int16",
    "int32", "int64", "bool", "complex32", "complex64", "complex128",
    "float", "double", "half", "long", "int", "short", "cfloat", "cdouble",
]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    out = []
    for name, t in tensor_cases():
        out.append(("tensor " + name, repr(t)))
    for v in PY_FLOATS:
        out.append(("py_float " + (v.hex() if math.isfinite(v) else str(v)),
                    repr(v)))
    for s in PY_STRS:
        out.append(("py_str x" + s.encode("utf-8").hex(), repr(s)))
    for name, v in PY_TUPLES:
        out.append(("py_tuple " + name, repr(v)))
    for name, v in PY_LISTS:
        out.append(("py_list " + name, repr(v)))
    for dims in SIZES:
        key = "[" + ",".join(str(d) for d in dims) + "]"
        out.append(("size " + key, repr(torch.Size(dims))))
    for name in DTYPES:
        out.append(("dtype " + name, repr(getattr(torch, name))))

    golden = os.path.join(root, "tests", "golden")
    major_minor = ".".join(torch.__version__.split(".")[:2])
    if major_minor != "1.13":
        golden = os.path.join(golden, "torch-" + major_minor)
        os.makedirs(golden, exist_ok=True)
    path = os.path.join(golden, "tensor_str.txt")
    body = ""
    for key, text in out:
        assert "\n=== " not in "\n" + text, key
        body += "=== " + key + "\n" + text + "\n"
    base = os.path.join(root, "tests", "golden", "tensor_str.txt")
    if path != base and os.path.exists(base):
        with open(base, encoding="utf-8") as f:
            if f.read().split("\n", 1)[1] == body:
                print("same cases as", base, "under torch", torch.__version__)
                if os.path.exists(path):
                    os.remove(path)
                return
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Generated by scripts/golden/gen_tensor_str.py with torch "
                + torch.__version__ + "; do not edit.\n")
        f.write(body)
    print("wrote", len(out), "cases to", path)


if __name__ == "__main__":
    main()
