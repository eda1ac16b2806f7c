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
  --phm-n N ...   the PHM n values (1 2 4); each must divide d and q
  --out, --no-figures, --device cpu: accepted and ignored
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import math
import sys

import torch

import d2l_torch as d2l

NUM_CLASSES = 4
LABEL = 2
SHIFT = 100.0
PHM_BATCH = 2
LAMBDAS = [0.5, 1.0, 2.0, 5.0, 10.0, 100.0]


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
    print(f"max |softmax(o + c) - softmax(o)| = {float((shifted - y_hat).abs().max()):.3e}\n")


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
    print("# 5. exercise: d^2 l / do_j^2 = softmax(o)_j (1 - softmax(o)_j), the "
          "variance of softmax(o)_j")
    o = torch.randn(NUM_CLASSES, dtype=torch.float64).requires_grad_()
    y = torch.nn.functional.one_hot(torch.tensor(LABEL), NUM_CLASSES).to(torch.float64)
    l = torch.logsumexp(o, 0) - (y * o).sum()
    (grad,) = torch.autograd.grad([l], [o], retain_graph=True, create_graph=True)
    second = []
    for j in range(NUM_CLASSES):
        (g2,) = torch.autograd.grad([grad[j]], [o], retain_graph=True)
        second.append(float(g2[j]))
    s = torch.softmax(o.detach(), 0)
    variance = s * (1 - s)
    max_diff = 0.0
    for j in range(NUM_CLASSES):
        print(f"j = {j}: autograd {second[j]:.10f}  softmax*(1-softmax) {float(variance[j]):.10f}")
        max_diff = max(max_diff, abs(second[j] - float(variance[j])))
    print(f"max difference: {max_diff:.3e}\n")


def real_softmax_part():
    print("# 6. exercise: RealSoftMax(a, b) = log(exp(a) + exp(b)) > max(a, b)")
    a, b = 2.0, 1.0

    def real_softmax(x, y):
        m = max(x, y)
        return m + math.log(math.exp(x - m) + math.exp(y - m))

    print(f"a = {a:g}, b = {b:g}: RealSoftMax = {real_softmax(a, b):.6f} > max = {max(a, b):g}")
    print(f"{'lambda':>8} {'RealSoftMax(la, lb)/l':>22}")
    for lam in LAMBDAS:
        print(f"{lam:>8g} {real_softmax(lam * a, lam * b) / lam:>22.10f}")
    print(f"-> max(a, b) = {max(a, b):g} as lambda grows")


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--d', type=d2l.positive_int, default=784)
    p.add_argument('--q', type=d2l.positive_int, default=12)
    p.add_argument('--phm-n', type=d2l.positive_int, nargs='+', default=[1, 2, 4])
    args = p.parse_args()
    for n in args.phm_n:
        if args.d % n or args.q % n:
            print(f"error: --phm-n {n}: n must divide both --d {args.d} and --q {args.q}",
                  file=sys.stderr)
            sys.exit(2)
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    softmax_part()
    cross_entropy_part()
    entropy_part()
    parameters_part(args.d, args.q, args.phm_n)
    second_derivative_part()
    real_softmax_part()
