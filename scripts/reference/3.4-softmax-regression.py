#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.4 (softmax-regression.md).

The book has no code in this section; chapters/3.4-softmax-regression makes
its mathematics runnable, and this script is its Python twin (same torch
calls, same draws, same printed text), so the C++ output can be checked:

    /usr/bin/python3 scripts/reference/3.4-softmax-regression.py [flags]

Flags (as the C++ program's):
  --seed N        torch.manual_seed before the first draw (0)
  --threads N     intra-op threads, 1 = the book's, 0 = torch's own choice (1)
  --d N, --q N    inputs and outputs of the layer in part 4 (784, 12)
  --phm-n N ...   the PHM n values (1 2 4 that divide d and q); each must divide d and q
  --a A, --b B    the numbers of part 6 and --soft-min (2, 1)
  --out, --no-figures, --device cpu: accepted and ignored
Exercise flags, whose output follows part 6:
  --hessian       3.4-1(b): the Hessian diag(p) - p p^T is the covariance of the one-hot label
  --coding        3.4-2: three equally likely classes: 2 bits (fixed length), 5/3 (prefix
                  code {0, 10, 11}), or ceil(n log2 3) for n jointly
  --soft-min      3.4-3(d): SoftMin(a, b) = -RealSoftMax(-a, -b)
  --values X ...  3.4-3(e): RealSoftMax of more than two numbers
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import argparse
import math
import sys

import torch

import d2l_torch as d2l

NUM_CLASSES = 4
LABEL = 2
SHIFT = 100.0
PHM_BATCH = 2
PHM_N = [1, 2, 4]
# Part 6: the default a and b (--a, --b), and the scales l.
A, B = 2.0, 1.0
LAMBDAS = [0.5, 1.0, 2.0, 5.0, 10.0, 100.0]
# --a, --b, --values: at most this large in magnitude (l x stays finite).
MAX_MAGNITUDE = 1e6
# --coding: the numbers n of symbols coded jointly, and the example's n.
JOINT_N = [1, 2, 3, 5, 10, 100, 1000]
EXAMPLE_SYMBOLS = 5


def softmax(o):
    o_exp = torch.exp(o)
    return o_exp / o_exp.sum(-1, keepdim=True)


class Phm:
    def __init__(self, n, d, q):
        self.A = torch.randn((n, n, n))
        self.S = torch.randn((n, q // n, d // n)) / math.sqrt(d)
        self.b = torch.zeros(q)

    def weight(self):
        H = torch.kron(self.A[0], self.S[0])
        for i in range(1, self.A.shape[0]):
            H = H + torch.kron(self.A[i], self.S[i])
        return H

    def num_parameters(self):
        return self.A.numel() + self.S.numel() + self.b.numel()

    def forward(self, X):
        return torch.matmul(X, self.weight().t()) + self.b


def size(s):
    return repr(torch.Size(s))


def softmax_part():
    print("# 1. softmax(o)_j = exp(o_j) / sum_k exp(o_k)")
    o = torch.randn((1, NUM_CLASSES))
    y_hat = softmax(o)
    print(f"o = {o!r}")
    print(f"softmax(o) = {y_hat!r}")
    print(f"sum = {float(y_hat.sum()):.6f}, argmax o = {int(o.argmax())}, "
          f"argmax softmax(o) = {int(y_hat.argmax())}")
    print(f"naive softmax(o + {SHIFT:g}) = {softmax(o + SHIFT)!r}")
    shifted = torch.softmax(o + SHIFT, dim=-1)
    print(f"torch::softmax(o + {SHIFT:g}) = {shifted!r}  (subtracts max(o) first)")
    # softmax(o + c) = softmax(o) exactly; in float32, o + c is rounded to the
    # spacing of numbers near c, and that rounding is what differs.
    print(f"max |softmax(o + c) - softmax(o)| = {float((shifted - y_hat).abs().max()):.3e}: "
          "float32 rounding of o + c, not softmax, which is exactly invariant to adding c")
    print(f"(max |(o + c) - c - o| = {float(((o + SHIFT) - SHIFT - o).abs().max()):.3e}: "
          "o + c keeps fewer of o's digits; without the shift, torch::softmax(o) and the "
          f"naive one differ by {float((torch.softmax(o, dim=-1) - y_hat).abs().max()):.3e})\n")


def cross_entropy_part():
    print("# 2. cross-entropy l(y, y_hat) = -sum_j y_j log y_hat_j")
    o = torch.randn(NUM_CLASSES).requires_grad_()
    y = torch.nn.functional.one_hot(torch.tensor(LABEL), NUM_CLASSES).to(torch.float32)
    l = -(y * torch.log(softmax(o))).sum()
    l.backward()
    expected = softmax(o.detach()) - y
    print(f"o = {o.detach()!r}\ny = {y!r}\nl = {float(l):.6f}")
    print(f"autograd dl/do   = {o.grad!r}")
    print(f"softmax(o) - y   = {expected!r}")
    print(f"max difference: {float((o.grad - expected).abs().max()):.3e}\n")


def entropy_part():
    print("# 3. entropy H[P] = -sum_j P(j) log P(j)")
    p = torch.tensor([0.5, 0.25, 0.125, 0.125], dtype=torch.float64)
    q = torch.full((4,), 0.25, dtype=torch.float64)

    def entropy(a, b):
        return float(-(a * torch.log(b)).sum())

    h = entropy(p, p)
    ce = entropy(p, q)
    print(f"P = {p!r}\nQ = {q!r}")
    print(f"H[P]    = {h:.6f} nats = {h / math.log(2.0):.6f} bits")
    print(f"H(P, Q) = {ce:.6f} nats = {ce / math.log(2.0):.6f} bits")
    print(f"H(P, Q) - H[P] = KL(P || Q) = {ce - h:.6f} nats >= 0\n")


def parameters_part(d, q, ns):
    print(f"# 4. parameters of a layer from d = {d} inputs to q = {q} outputs")
    dense = d * q + q
    print(f"fully connected: d*q + q = {dense} parameters, O(dq)")
    print(f"{'n':>3} {'PHM params':>12} {'vs dense':>10}  forward shapes")
    X = torch.randn((PHM_BATCH, d))
    for n in ns:
        layer = Phm(n, d, q)
        out = layer.forward(X)
        print(f"{n:>3} {layer.num_parameters():>12} "
              f"{layer.num_parameters() / dense:>10.4f}  X {size(X.shape)} -> "
              f"H {size(layer.weight().shape)} -> {size(out.shape)}")
    print("(n^3 + dq/n + q parameters: O(dq/n))\n")


def second_derivative_part():
    """Part 5; returns its logits and the Hessian of its loss (for --hessian)."""
    print("# 5. exercise: d^2 l / do_j^2 = softmax(o)_j (1 - softmax(o)_j) = Var[Y_j], the "
          "variance of the indicator Y_j of a one-hot label Y drawn from softmax(o)")
    o = torch.randn(NUM_CLASSES, dtype=torch.float64).requires_grad_()
    y = torch.nn.functional.one_hot(torch.tensor(LABEL), NUM_CLASSES).to(torch.float64)
    l = torch.logsumexp(o, 0) - (y * o).sum()
    (grad,) = torch.autograd.grad([l], [o], retain_graph=True, create_graph=True)
    second = []
    rows = []
    for j in range(NUM_CLASSES):
        (g2,) = torch.autograd.grad([grad[j]], [o], retain_graph=True)
        second.append(float(g2[j]))
        rows.append(g2)
    s = torch.softmax(o.detach(), 0)
    variance = s * (1 - s)
    max_diff = 0.0
    for j in range(NUM_CLASSES):
        print(f"j = {j}: autograd {second[j]:.10f}  softmax*(1-softmax) {float(variance[j]):.10f}")
        max_diff = max(max_diff, abs(second[j] - float(variance[j])))
    print(f"max difference: {max_diff:.3e}\n")
    return o.detach(), torch.stack(rows)


def real_softmax(x):
    """log(sum_i exp(x_i)), computed as m + log(sum_i exp(x_i - m)), m = max x_i."""
    m = max(x)
    total = 0.0
    for v in x:
        total += math.exp(v - m)
    return m + math.log(total)


def print_rounding_note(columns, limits):
    """After a table over LAMBDAS whose column c approaches limits[c]
    strictly: names the lambdas at which a value prints (10 decimals) as its
    limit, where the gap is below the printed digits."""
    at = [f"{lam:g}" for i, lam in enumerate(LAMBDAS)
          if any(f"{column[i]:.10f}" == f"{limit:.10f}"
                 for column, limit in zip(columns, limits))]
    if at:
        print(f"(at lambda {', '.join(at)} a printed value equals its limit: the gap is "
              "positive for every lambda > 0, but smaller than the printed digits)")


def real_softmax_part(a, b):
    print("# 6. exercise: RealSoftMax(a, b) = log(exp(a) + exp(b)) > max(a, b)")
    print(f"a = {a:g}, b = {b:g}: RealSoftMax = {real_softmax([a, b]):.6f} > max = {max(a, b):g}")
    print(f"{'lambda':>8} {'RealSoftMax(la, lb)/l':>22}")
    column = []
    for lam in LAMBDAS:
        column.append(real_softmax([lam * a, lam * b]) / lam)
        print(f"{lam:>8g} {column[-1]:>22.10f}")
    print(f"-> max(a, b) = {max(a, b):g} as lambda grows; the gap is "
          "log(1 + exp(-l |a - b|)) / l > 0")
    print_rounding_note([column], [max(a, b)])


def hessian_part(o, hessian):
    """Exercise 3.4-1(b): the Hessian of l(y, softmax(o)) with respect to o is
    the covariance matrix of the one-hot label Y ~ softmax(o)."""
    print("\n# exercise 3.4-1(b): the Hessian of the loss is the covariance matrix of the "
          "one-hot label Y ~ softmax(o)")
    p = torch.softmax(o, 0)
    covariance = torch.diag(p) - torch.outer(p, p)
    print(f"o as in part 5 = {o!r}")
    print(f"autograd d^2 l / do_j do_k =\n{hessian!r}")
    print(f"E[Y Y^T] - E[Y] E[Y]^T = diag(p) - p p^T, p = softmax(o) =\n{covariance!r}")
    print(f"max difference: {float((hessian - covariance).abs().max()):.3e}")
    print("-> diagonal: Var[Y_j] = p_j (1 - p_j) (part 5); off the diagonal: "
          "Cov[Y_j, Y_k] = -p_j p_k; y enters l only through -y^T o, so the Hessian is the "
          "same for every label")


def coding_part():
    """Exercise 3.4-2: three equally likely classes, coded one by one or jointly."""
    print("\n# exercise 3.4-2: coding three equally likely classes")
    h = math.log2(3.0)
    print(f"entropy of (1/3, 1/3, 1/3): log2 3 = {h:.6f} bits per symbol")
    print("(a) a fixed-length binary code needs 2 bits per symbol (00, 01, 10; 11 is never "
          f"used): 2 - log2 3 = {2 - h:.6f} bits too many, {100 * (2 - h) / h:.1f}% more "
          "than the entropy")
    prefix = 5.0 / 3.0
    print("    the best code for single symbols, the prefix code {0, 10, 11} (Huffman's), "
          f"averages (1 + 2 + 2) / 3 = 5/3 = {prefix:.6f} bits: 5/3 - log2 3 = "
          f"{prefix - h:.6f} too many, {100 * (prefix - h) / h:.1f}% more; no code for "
          "single symbols reaches log2 3, as 1/3 is not a power of 1/2")
    print("(b) n symbols coded jointly as one number below 3^n need k = ceil(n log2 3) bits:")
    print(f"{'n':>6} {'k':>6} {'bits/symbol':>12} {'excess':>9}")
    for n in JOINT_N:
        k = math.ceil(float(n) * h)
        per_symbol = k / n
        print(f"{n:>6} {k:>6} {per_symbol:>12.6f} {per_symbol - h:>9.6f}")
    print("-> k / n -> log2 3 as n grows: the excess is below 1 / n")
    symbols = torch.randint(3, (EXAMPLE_SYMBOLS,), dtype=torch.int64)
    value = 0
    power = 1
    for i in range(EXAMPLE_SYMBOLS):
        value += int(symbols[i]) * power
        power *= 3
    bits = math.ceil(float(EXAMPLE_SYMBOLS) * h)
    print(f"e.g. the symbols {symbols!r} -> sum_i s_i 3^i = {value} < 3^{EXAMPLE_SYMBOLS} = "
          f"{power} <= 2^{bits}: '{value:0{bits}b}', {bits} bits instead of "
          f"{2 * EXAMPLE_SYMBOLS} (fixed length) or {EXAMPLE_SYMBOLS * 5.0 / 3.0:.2f} on "
          "average (prefix code)")


def soft_min_part(a, b):
    """Exercise 3.4-3(d): a soft minimum."""
    print("\n# exercise 3.4-3(d): a soft minimum: SoftMin(a, b) = -RealSoftMax(-a, -b) "
          "< min(a, b)")
    print(f"a = {a:g}, b = {b:g}: SoftMin = {-real_softmax([-a, -b]):.6f} < min = {min(a, b):g}")
    print(f"{'lambda':>8} {'-RealSoftMax(-la, -lb)/l':>24}")
    column = []
    for lam in LAMBDAS:
        column.append(-real_softmax([-lam * a, -lam * b]) / lam)
        print(f"{lam:>8g} {column[-1]:>24.10f}")
    print(f"-> min(a, b) = {min(a, b):g} as lambda grows; softmax(-o) is the matching soft argmin")
    print_rounding_note([column], [min(a, b)])


def values_part(x):
    """Exercise 3.4-3(e): RealSoftMax of more than two numbers."""
    print("\n# exercise 3.4-3(e): RealSoftMax(x_1, ..., x_n) = log sum_i exp(x_i), "
          f"for n = {len(x)} numbers")
    high = max(x)
    low = min(x)
    log_n = math.log(float(len(x)))
    print(f"x = [{', '.join(f'{v:g}' for v in x)}]: max = {high:g} < RealSoftMax = "
          f"{real_softmax(x):.6f} <= max + log n = {high + log_n:.6f}")
    print(f"{'lambda':>8} {'RealSoftMax(lx)/l':>22} {'-RealSoftMax(-lx)/l':>22}")
    soft_max = []
    soft_min = []
    for lam in LAMBDAS:
        soft_max.append(real_softmax([lam * v for v in x]) / lam)
        soft_min.append(-real_softmax([-lam * v for v in x]) / lam)
        print(f"{lam:>8g} {soft_max[-1]:>22.10f} {soft_min[-1]:>22.10f}")
    print(f"-> max(x) = {high:g} and min(x) = {low:g} as lambda grows (within log(n) / lambda)")
    print_rounding_note([soft_max, soft_min], [high, low])


def bounded_number(text):
    """argparse type: a number from -1e6 to 1e6 (--a, --b, --values)."""
    value = float(text)
    if not abs(value) <= MAX_MAGNITUDE:
        raise argparse.ArgumentTypeError(f"must be a number from -1e6 to 1e6, got {text}")
    return value


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--d', type=d2l.positive_int, default=784,
                   help="inputs of the layer in part 4 (784)")
    p.add_argument('--q', type=d2l.positive_int, default=12,
                   help="outputs of the layer in part 4 (12)")
    p.add_argument('--phm-n', type=d2l.positive_int, nargs='+', default=None,
                   help="PHM n values (each must divide d and q; default: 1 2 4 that do)")
    p.add_argument('--a', type=bounded_number, default=A,
                   help="exercise 3.4-3: a in RealSoftMax(a, b) (part 6; 2)")
    p.add_argument('--b', type=bounded_number, default=B,
                   help="exercise 3.4-3: b in RealSoftMax(a, b) (part 6; 1)")
    p.add_argument('--hessian', action='store_true',
                   help="exercise 3.4-1: the Hessian of the loss, diag(p) - p p^T, is the "
                   "covariance of the one-hot label Y ~ softmax(o)")
    p.add_argument('--coding', action='store_true',
                   help="exercise 3.4-2: three equally likely classes: 2 bits (fixed length), "
                   "5/3 (prefix code), or ceil(n log2 3) bits for n jointly")
    p.add_argument('--soft-min', action='store_true',
                   help="exercise 3.4-3: SoftMin(a, b) = -RealSoftMax(-a, -b) < min(a, b)")
    p.add_argument('--values', type=bounded_number, nargs='+', default=[],
                   help="exercise 3.4-3: RealSoftMax of these numbers (two or more), "
                   "e.g. --values 1 2 3.5")
    args = p.parse_args()
    if args.phm_n is None:
        # The default n values that fit these sizes (1 always does).
        args.phm_n = [n for n in PHM_N if args.d % n == 0 and args.q % n == 0]
    for n in args.phm_n:
        if args.d % n or args.q % n:
            print(f"error: --phm-n {n}: n must divide both --d {args.d} and --q {args.q}",
                  file=sys.stderr)
            sys.exit(2)
    if len(args.values) == 1:
        print("error: --values: give two or more numbers (RealSoftMax of one is itself)",
              file=sys.stderr)
        sys.exit(2)
    d2l.setup(args, report_blas=True, figures=False)  # numbers pass through BLAS
    softmax_part()
    cross_entropy_part()
    entropy_part()
    parameters_part(args.d, args.q, args.phm_n)
    o, hessian = second_derivative_part()
    real_softmax_part(args.a, args.b)
    # Exercises beyond parts 1-6, in the book's order.
    if args.hessian:
        hessian_part(o, hessian)
    if args.coding:
        coding_part()
    if args.soft_min:
        soft_min_part(args.a, args.b)
    if args.values:
        values_part(args.values)
