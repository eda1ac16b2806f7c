#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.1 (linear-regression.md), PyTorch cells.

Prints on stdout exactly what the book's cells print ('Out[k]:' values as
their repr), so it can be compared with the C++ executable
build/chapters/3.1-linear-regression/3.1-linear-regression:

    /usr/bin/python3 scripts/reference/3.1-linear-regression.py [flags]

Flags (as the C++ program's): --seed (0), --threads (1 = the book's, 0 = torch's
own choice); --out DIR draws cell 7's figure there (matplotlib; without --out
nothing is drawn), --no-figures and --device cpu are accepted. The book's
cells make no random draws. Exercise demos, after the book's cells:
  --constant-b    3.1-1: argmin_b sum_i (x_i - b)^2 is the mean, the Gaussian MLE
  --analytic      3.1-2 (a)-(c): ||y - Xw||^2, its gradient, the closed form vs SGD
  --collinear     3.1-2 (d): the closed form's cost; nearly collinear features
  --laplace       3.1-3 (a), (b): Laplace noise's NLL, SGD on |r|, the median, an LP
  --laplace-sgd   3.1-3 (c): constant-step SGD on |r| bounces; lr / k settles
  --lr (0.03), --epochs (3; --laplace and --laplace-sgd: 10), --batch-size (10)
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import math
from collections import namedtuple

import numpy as np
import torch

import d2l_torch as d2l

# Exercise demos: the 3.2 problem and its SGD settings (--lr, --epochs, --batch-size).
NUM_EXAMPLES = 1000
TRUE_B = 4.2
LEARNING_RATE = 0.03
BATCH_SIZE = 10
NUM_EPOCHS = 3
# The absolute loss's gradient does not shrink near the optimum: more epochs.
LAPLACE_EPOCHS = 10
# 3.1-1: the sample x_i ~ N(3, 2^2) and the gradient descent on it.
NUM_SAMPLES = 100
SAMPLE_MEAN = 3.0
SAMPLE_STD = 2.0
GD_LEARNING_RATE = 0.001
GD_STEPS = 200
# 3.1-1(b): the sigmas tried, and the grid of mu (0 to 6, step 0.001).
SIGMAS = [1.0, 2.0, 4.0]
MU_LOW, MU_HIGH, MU_POINTS = 0.0, 6.0, 6001
# 3.1-2(d): the second feature is x1 + eps z; eps = 0 copies x1.
COLLINEAR_EPS = [1e-1, 1e-2, 1e-3, 1e-4, 0.0]
# 3.1-3(b): Laplace draws (an odd count: one middle value) and the grid of b,
# TRUE_B +- 2 in steps of 0.001.
NUM_LAPLACE_SAMPLES = 101
B_HALF_WIDTH = 2.0
B_POINTS = 4001

SgdSettings = namedtuple("SgdSettings", "lr num_epochs batch_size")
SgdResult = namedtuple("SgdResult", "w b loss")
EpochTrace = namedtuple("EpochTrace", "lr b range mean_step")


def true_w():
    return torch.tensor([2, -3.4])


def abs_loss(y_hat, y):
    """The absolute loss |y_hat - y| per example (3.1-3)."""
    return (y_hat - y.reshape(y_hat.shape)).abs()


def train_sgd(features, labels, loss, sgd):
    """Minibatch SGD on the linear model with `loss`, as in 3.2 (3.3's loader)."""
    w = torch.normal(0, 0.01, (2, 1)).requires_grad_()
    b = torch.zeros(1, requires_grad=True)
    data_iter = d2l.load_array((features, labels), sgd.batch_size)
    mean_loss = 0.0
    for epoch in range(sgd.num_epochs):
        for X, y in data_iter:
            loss(d2l.linreg(X, w, b), y).sum().backward()
            d2l.sgd([w, b], sgd.lr, sgd.batch_size)
        with torch.no_grad():
            mean_loss = float(loss(d2l.linreg(features, w, b), labels).mean())
        d2l.check_finite_loss(mean_loss, epoch + 1, sgd.lr, LEARNING_RATE)
    return SgdResult(w.detach().reshape(-1), b.detach(), mean_loss)


def sgd_label(sgd):
    return f"SGD ({sgd.num_epochs} epochs, lr {d2l.fmt_float(sgd.lr)}, batch {sgd.batch_size})"


def constant_b_demo():
    """Exercise 3.1-1: argmin_b sum_i (x_i - b)^2 is the mean (a), the
    maximum-likelihood location of a Gaussian (b)."""
    print("\n# exercise 3.1-1(a): the b minimising sum_i (x_i - b)^2")
    x = torch.normal(SAMPLE_MEAN, SAMPLE_STD, (NUM_SAMPLES,)).to(torch.double)
    b = torch.zeros(1, dtype=torch.double, requires_grad=True)
    for step in range(GD_STEPS):
        l = (x - b).pow(2).sum()
        l.backward()
        with torch.no_grad():
            b -= GD_LEARNING_RATE * b.grad
            b.grad.zero_()
    mean = float(x.mean())
    print(f"gradient descent: b = {float(b):.6f}; mean of x = {mean:.6f}\n"
          "(d/db sum (x_i - b)^2 = -2 sum (x_i - b) = 0  =>  b = mean(x))")

    print("\n# exercise 3.1-1(b): the mean is the maximum-likelihood location of a Gaussian")
    print("-log p(x | mu, sigma) = n/2 log(2 pi sigma^2) + sum_i (x_i - mu)^2 / (2 sigma^2), "
          "over a grid of mu (step 0.001):")
    mu = torch.linspace(MU_LOW, MU_HIGH, MU_POINTS, dtype=torch.double)
    squares = (x.unsqueeze(0) - mu.unsqueeze(1)).pow(2).sum(1)
    n = float(NUM_SAMPLES)
    for sigma in SIGMAS:
        nll = 0.5 * n * math.log(2 * math.pi * sigma * sigma) + squares / (2 * sigma * sigma)
        best = nll.argmin()
        print(f"sigma {d2l.fmt_float(sigma)}: argmin mu = {float(mu[best]):.3f}, "
              f"NLL = {float(nll[best]):.4f}")
    sigma_hat = float((x - mean).pow(2).mean().sqrt())
    print(f"mean(x) = {mean:.6f} for every sigma: the squared loss is the Gaussian's NLL up to "
          f"constants (and the best sigma is sqrt(mean (x - mean)^2) = {sigma_hat:.4f})")


def analytic_demo(sgd):
    """Exercise 3.1-2 (a)-(c): the matrix form, its gradient, and the closed
    form w* = (X^T X)^-1 X^T y with the bias as a column of ones."""
    features, labels = d2l.synthetic_data(true_w(), TRUE_B, NUM_EXAMPLES)
    X = torch.cat([features, torch.ones(NUM_EXAMPLES, 1)], 1).to(torch.float64)
    y = labels.to(torch.float64)
    print("\n# exercise 3.1-2(a): linear regression in matrix notation")
    print(f"X = [features, 1] is {X.shape[0]} x {X.shape[1]} (the bias as a column of ones), "
          f"y is {y.shape[0]} x 1, w = (w1, w2, b):\n"
          "minimise L(w) = ||y - X w||^2 = (y - X w)^T (y - X w)")

    print("\n# exercise 3.1-2(b): the gradient of L with respect to w")
    w0 = torch.ones((3, 1), dtype=torch.float64).requires_grad_()
    (y - X.matmul(w0)).pow(2).sum().backward()
    formula = 2 * X.t().matmul(X.matmul(w0.detach()) - y)
    print(f"at w = (1, 1, 1):\nautograd        {w0.grad.reshape(-1)!r}\n"
          f"2 X^T (X w - y) {formula.reshape(-1)!r}\n"
          f"max difference: {float((w0.grad - formula).abs().max()):.3e}")

    print("\n# exercise 3.1-2(c): gradient 0 => X^T X w = X^T y => w* = (X^T X)^-1 X^T y")
    w_star = torch.linalg.solve(X.t().matmul(X), X.t().matmul(y)).reshape(-1)
    print(f"analytic: w = {w_star[0:2].to(torch.float32)!r}, b = {float(w_star[2]):.6f}")
    fit = train_sgd(features, labels, d2l.squared_loss, sgd)
    print(f"{sgd_label(sgd)}: w = {fit.w!r}, b = {float(fit.b):.6f}")
    print(f"true: w = {true_w()!r}, b = {d2l.fmt_float(TRUE_B)}")


def pair_str(w):
    return f"{float(w[0]):.3f}, {float(w[1]):.3f}"


def collinear_demo(sgd):
    """Exercise 3.1-2(d): the closed form's cost, and a nearly collinear feature."""
    print("\n# exercise 3.1-2(d): when is the closed form better than SGD, and when does it "
          "break down?")
    print("cost: X^T X takes O(n d^2), its solve O(d^3), one SGD epoch O(n d): the closed form "
          f"wins while d is small (here n = {NUM_EXAMPLES}, d = 3) and X fits in memory")
    print("features x1 and x2 = x1 + eps z (x1, z ~ N(0, 1)); y = 2 x1 - 3.4 x2 + 4.2 + noise, "
          "the same draws for every eps;\nloss = mean (y_hat - y)^2 / 2; " + sgd_label(sgd))
    base = torch.normal(0, 1, (NUM_EXAMPLES, 2))
    noise = torch.normal(0, 0.01, (NUM_EXAMPLES,))
    print(f"{'eps':>7} {'cond(X^T X)':>12} {'closed-form w':>18} {'loss':>9} {'SGD w':>16} "
          f"{'loss':>9}")
    for eps in COLLINEAR_EPS:
        x1 = base.select(1, 0)
        features = torch.stack([x1, x1 + eps * base.select(1, 1)], 1)
        labels = (torch.matmul(features, true_w()) + TRUE_B + noise).reshape(-1, 1)
        X = torch.cat([features, torch.ones(NUM_EXAMPLES, 1)], 1).to(torch.float64)
        y = labels.to(torch.float64)
        rank = int(torch.linalg.matrix_rank(X))
        cond = f"rank(X) {rank}"
        closed = "singular"
        closed_loss = "-"
        if rank == X.shape[1]:
            # cond(X^T X) = cond(X)^2, and X's is the more accurate to compute.
            cond_x = float(torch.linalg.cond(X))
            cond = f"{cond_x * cond_x:.2e}"
            w = torch.linalg.solve(X.t().matmul(X), X.t().matmul(y))
            closed = pair_str(w.reshape(-1))
            closed_loss = f"{float(d2l.squared_loss(X.matmul(w), y).mean()):.2e}"
        fit = train_sgd(features, labels, d2l.squared_loss, sgd)
        print(f"{d2l.fmt_float(eps):>7} {cond:>12} {closed:>18} {closed_loss:>9} "
              f"{pair_str(fit.w):>16} {fit.loss:>9.2e}")
    print("-> as eps -> 0 only w1 + w2 = -1.4 is pinned down: the closed form still fits best, "
          "but its w1, w2 follow the noise (error ~ 0.01 / (eps sqrt(n))), and at eps = 0 X^T X "
          "has no inverse; SGD from w ~ 0 fits w1 + w2 but barely moves w1 - w2 (its curvature "
          "is ~ eps^2): for small eps it ends near w1 = w2 = -0.7, with a loss near the closed "
          "form's")


def laplace(shape, scale):
    """Laplace(0, scale) noise by inverse CDF from uniform draws."""
    u = torch.rand(shape) - 0.5
    return -scale * torch.sign(u) * torch.log1p(-2 * u.abs())


def laplace_data():
    """y = Xw + b + Laplace noise, X ~ N(0, 1) (3.1-3)."""
    features = torch.normal(0, 1, (NUM_EXAMPLES, 2))
    labels = (torch.matmul(features, true_w()) + TRUE_B
              + laplace((NUM_EXAMPLES,), 1.0)).reshape(-1, 1)
    return features, labels


def laplace_demo(sgd):
    """Exercise 3.1-3 (a), (b): the negative log-likelihood under Laplace noise;
    a constant model's minimiser is the median, a general X's solves a linear
    program."""
    print("\n# exercise 3.1-3(a): the negative log-likelihood under Laplace noise "
          "p(eps) = exp(-|eps|)/2")
    print("-log P(y | X) = sum_i [ log 2 + |y_i - x_i^T w - b| ]: minimising it "
          "is minimising the absolute loss")
    features, labels = laplace_data()
    fit = train_sgd(features, labels, abs_loss, sgd)

    def mean_nll(w, b):
        residual = labels.reshape(-1) - torch.matmul(features, w) - b
        return float((math.log(2.0) + residual.abs()).mean())

    print(f"{sgd_label(sgd)} on |y_hat - y|: w = {fit.w!r}, b = {float(fit.b):.4f}")
    print(f"mean NLL: {mean_nll(fit.w, float(fit.b)):.4f} at the SGD fit, "
          f"{mean_nll(true_w(), TRUE_B):.4f} at the true w = {true_w()!r}, "
          f"b = {d2l.fmt_float(TRUE_B)}")

    print("\n# exercise 3.1-3(b): the analytic solution: a constant model's argmin_b "
          "sum_i |x_i - b| is the median; with features, a linear program")
    x = (TRUE_B + laplace((NUM_LAPLACE_SAMPLES,), 1.0)).to(torch.double)
    median = float(x.median())
    mean = float(x.mean())
    b = torch.linspace(TRUE_B - B_HALF_WIDTH, TRUE_B + B_HALF_WIDTH, B_POINTS,
                       dtype=torch.double)
    total = (x.unsqueeze(0) - b.unsqueeze(1)).abs().sum(1)

    def total_at(value):
        return float((x - value).abs().sum())

    print(f"x: {NUM_LAPLACE_SAMPLES} draws of {d2l.fmt_float(TRUE_B)} + Laplace noise: "
          f"median = {median:.4f}, mean = {mean:.4f}")
    print(f"grid argmin of sum_i |x_i - b| (step 0.001): b = {float(b[total.argmin()]):.3f}")
    print(f"sum_i |x_i - b| = {total_at(median):.4f} at the median, "
          f"{total_at(mean):.4f} at the mean")
    print("the subgradient #(x_i < b) - #(x_i > b) + [-1, 1] holds 0 at the median: "
          f"{int((x < median).sum())} below, {int((x > median).sum())} above")
    print("with features, minimising sum_i |y_i - x_i^T w - b| has no closed-form formula: "
          "it is a linear program (minimise sum_i t_i subject to -t_i <= y_i - x_i^T w - b "
          "<= t_i), and when [X, 1] has rank d (here d = 3: w1, w2, b) some minimiser makes "
          "at least d residuals zero, a vertex of that program (the constant model: d = 1, "
          "and the median above is one of the x_i)")


def abs_sgd_epochs(features, labels, sgd, w, b, decay, first_epoch):
    """`sgd.num_epochs` epochs of minibatch SGD on the absolute loss from (w, b),
    which it updates, tracing b step by step: learning rate sgd.lr in every
    epoch, or sgd.lr / k in the k-th (`decay`)."""
    data_iter = d2l.load_array((features, labels), sgd.batch_size)
    trace = []
    b_prev = float(b)
    for k in range(1, sgd.num_epochs + 1):
        lr = sgd.lr / k if decay else sgd.lr
        low = math.inf
        high = -low
        steps = 0.0
        num_steps = 0
        for X, y in data_iter:
            abs_loss(d2l.linreg(X, w, b), y).sum().backward()
            d2l.sgd([w, b], lr, sgd.batch_size)
            b_now = float(b)
            low = min(low, b_now)
            high = max(high, b_now)
            steps += abs(b_now - b_prev)
            b_prev = b_now
            num_steps += 1
        with torch.no_grad():
            loss = float(abs_loss(d2l.linreg(features, w, b), labels).mean())
        d2l.check_finite_loss(loss, first_epoch + k - 1, sgd.lr, LEARNING_RATE)
        trace.append(EpochTrace(lr, b_prev, high - low, steps / num_steps))
    return trace


def fork(param):
    """A copy of a parameter, detached, that records gradients."""
    return param.detach().clone().requires_grad_()


def laplace_sgd_demo(sgd):
    """Exercise 3.1-3(c): SGD on the absolute loss near its optimum, and a fix."""
    print("\n# exercise 3.1-3(c): SGD on the absolute loss near its optimum")
    features, labels = laplace_data()
    n = sgd.num_epochs
    lr = d2l.fmt_float(sgd.lr)
    print(f"Laplace data as in (a), minibatch {sgd.batch_size}; epochs 1-{n}: lr {lr} from "
          f"w ~ N(0, 0.01^2), b = 0;\nepochs {n + 1}-{2 * n}, from there: left lr {lr} kept, "
          f"right lr {lr} / k in the k-th epoch")
    w = torch.normal(0, 0.01, (2, 1)).requires_grad_()
    b = torch.zeros(1, requires_grad=True)
    approach = abs_sgd_epochs(features, labels, sgd, w, b, False, 1)
    w_decay = fork(w)
    b_decay = fork(b)
    kept = abs_sgd_epochs(features, labels, sgd, w, b, False, n + 1)
    decayed = abs_sgd_epochs(features, labels, sgd, w_decay, b_decay, True, n + 1)
    print(f"{'epoch':>5} {'b':>9} {'range':>8} {'mean|db|':>9}   {'lr':>9} {'b':>9} "
          f"{'range':>8} {'mean|db|':>9}")

    def row(t):
        return f"{t.b:>9.4f} {t.range:>8.4f} {t.mean_step:>9.5f}"

    for i in range(n):
        print(f"{i + 1:>5} {row(approach[i])}")
    for i in range(n):
        print(f"{n + i + 1:>5} {row(kept[i])}   {decayed[i].lr:>9.5f} {row(decayed[i])}")
    print("(range: max - min of b over the epoch's steps; mean|db|: the mean size of one step "
          "of b)\n"
          "-> the gradient of |r| is sign(r), as large next to the optimum as far from it: with "
          "a constant lr, b keeps jumping by ~lr times the batch's mean sign and never settles; "
          "lr / k (the sum of the lr's infinite, of their squares finite) shrinks the jumps and "
          "b settles. The Huber loss (3.3's --loss huber) is another fix: its gradient shrinks "
          "near 0")


def main(args):
    # cell 2: two vectors of ones
    n = 10000
    a = torch.ones([n])
    b = torch.ones([n])

    # cell 3: Timer (d2l.Timer)
    Timer = d2l.Timer

    # cell 4: add them element by element
    c = torch.zeros(n)
    timer = Timer()
    for i in range(n):
        c[i] = a[i] + b[i]
    d2l.show(f'{timer.stop():.5f} sec')

    # cell 5: the vectorized add
    timer.start()
    d = a + b
    d2l.show(f'{timer.stop():.5f} sec')

    # cell 6: the normal density
    def normal(x, mu, sigma):
        p = 1 / math.sqrt(2 * math.pi * sigma**2)
        return p * np.exp(-0.5 / sigma**2 * (x - mu)**2)

    # cell 7: plot the three normal densities (drawn with --out)
    x = np.arange(-7, 7, 0.01)
    params = [(0, 1), (0, 2), (3, 1)]
    d2l.plot(x, [normal(x, mu, sigma) for mu, sigma in params], xlabel='x',
             ylabel='p(x)', figsize=(4.5, 2.5),
             legend=[f'mean {mu}, std {sigma}' for mu, sigma in params],
             name='3.1_cell07_fig1')
    del c, d

    # Exercises, in the book's order. The absolute loss's demos train longer
    # unless --epochs says otherwise.
    sgd = SgdSettings(args.lr, args.epochs or NUM_EPOCHS, args.batch_size)
    laplace_sgd = sgd._replace(num_epochs=args.epochs or LAPLACE_EPOCHS)
    if args.constant_b:
        constant_b_demo()
    if args.analytic:
        analytic_demo(sgd)
    if args.collinear:
        collinear_demo(sgd)
    if args.laplace:
        laplace_demo(laplace_sgd)
    if args.laplace_sgd:
        laplace_sgd_demo(laplace_sgd)


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument("--constant-b", action="store_true",
                   help="exercise 3.1-1: the b minimising sum_i (x_i - b)^2 is the mean, the "
                   "Gaussian maximum-likelihood location")
    p.add_argument("--analytic", action="store_true",
                   help="exercise 3.1-2: ||y - Xw||^2, its gradient, the closed form next to SGD")
    p.add_argument("--collinear", action="store_true",
                   help="exercise 3.1-2: the closed form's cost; nearly collinear features "
                   "break it, SGD still trains")
    p.add_argument("--laplace", action="store_true",
                   help="exercise 3.1-3: Laplace noise: the negative log-likelihood, SGD on the "
                   "absolute loss, the median, a linear program")
    p.add_argument("--laplace-sgd", action="store_true",
                   help="exercise 3.1-3: SGD on the absolute loss bounces near the optimum; a "
                   "decaying step settles")
    p.add_argument("--lr", type=d2l.positive_float, default=LEARNING_RATE,
                   help="learning rate of the exercises' SGD (default 0.03)")
    p.add_argument("--epochs", type=d2l.positive_int, default=None,
                   help="epochs of the exercises' SGD (default 3; --laplace and --laplace-sgd: 10 "
                   "unless given)")
    p.add_argument("--batch-size", type=d2l.positive_int, default=BATCH_SIZE,
                   help="minibatch size of the exercises' SGD (default 10)")
    args = p.parse_args()
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    d2l.main_guard(lambda: main(args))
