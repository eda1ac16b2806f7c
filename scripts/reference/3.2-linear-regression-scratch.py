#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.2 (linear-regression-scratch.md), PyTorch cells.

Prints on stdout exactly what the book's cells print, so it can be compared
with build/chapters/3.2-linear-regression-scratch/3.2-linear-regression-scratch:

    /usr/bin/python3 scripts/reference/3.2-linear-regression-scratch.py [flags]

Flags (defaults are the book's):
  --seed N            torch.manual_seed and random.seed before cell 1 (0)
  --threads N         intra-op threads, 1 = the book's, 0 = torch's own choice (1)
  --lr X              learning rate (0.03)
  --epochs N          number of epochs (3)
  --batch-size N      minibatch size (10)
  --num-examples N    size of the synthetic data set (1000)
  --init normal|zeros initial w: N(0, 0.01) draw (book) or zeros (no draw)
Exercise demos, printed after the book's cells in this order (as the C++):
  --symmetry-demo       3.2-1: zero init in a one-hidden-layer net
  --ohm                 3.2-2: learn Ohm's law V = R I + V0 by autograd
  --planck              3.2-3: a temperature from a noisy Planck spectrum
  --second-derivatives  3.2-4: double backward, Hessian-vector products
  --reshape-demo        3.2-5: what squared_loss's reshape prevents
  --lr-sweep            3.2-6: loss per epoch for lr 0.001, 0.03, 0.5, 1.9, 3,
                        against full-batch gradient descent's bound 2 / lambda_max
  --last-batch          3.2-7: the short last minibatch
  --out DIR             draw cell 5's scatter plot into DIR (matplotlib; default: none)
  --no-figures, --device cpu: accepted
The scatter plot makes no draws. data_iter
shuffles with Python's `random` module, as the book does.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import math
import random

import torch

import d2l_torch as d2l

DEFAULT_LR = 0.03  # the book's learning rate
HIDDEN_UNITS = 4  # --symmetry-demo: hidden width of the two-layer net
# --ohm: the circuit and the measurements
TRUE_RESISTANCE = 5.0  # ohms
TRUE_OFFSET = 0.2  # volts: the voltmeter's zero offset V0
MAX_CURRENT = 2.0  # amperes: currents uniform in [0, 2)
VOLTAGE_NOISE = 0.05  # volts: the voltmeter's noise std
OHM_MEASUREMENTS = 200
OHM_LR = 0.2
OHM_EPOCHS = 10
# --planck: wavelengths in um, temperatures in kK; float64 throughout
PLANCK_C2 = 14.387769  # hc/k in um kK
TRUE_TEMPERATURE = 5.8  # kK: the Sun's surface
START_TEMPERATURE = 3.0  # kK: the first guess
MIN_WAVELENGTH = 0.3  # um
MAX_WAVELENGTH = 3.0  # um
NUM_WAVELENGTHS = 50
SPECTRUM_NOISE = 0.01  # relative noise of each density
PLANCK_LR = 0.5
PLANCK_STEPS = 50
PLANCK_REPORT_EVERY = 10
# --second-derivatives
CUBE_AT = 3.0  # f(x) = x^3 is differentiated at x = 3
TIMING_REPEATS = 100
RESHAPE_ROWS = 3  # --reshape-demo: examples in the small example
SWEEP_RATES = [0.001, 0.03, 0.5, 1.9, 3.0]  # --lr-sweep (1.9: below 2, above 2 / lambda_max)

fmt = d2l.fmt_float  # a float as the C++'s fmt "{}" writes it


def linreg(X, w, b):
    """线性回归模型"""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """均方损失"""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def train_linreg(w, b, features, labels, batch_size, lr, num_epochs, data_iter, last='book',
                 stop_above=math.inf):
    """Cell 13's loop on (w, b), in place; the mean loss after each epoch,
    stopping after the first that is not finite or above ``stop_above`` (a
    diverging run: its exploding values depend on rounding). ``last``: 'book'
    (sgd divides by batch_size), 'own' (by len(X)) or 'drop' (skip a short one)."""
    losses = []
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            if last == 'drop' and X.shape[0] < batch_size:
                continue
            squared_loss(linreg(X, w, b), y).sum().backward()
            d2l.sgd([w, b], lr, X.shape[0] if last == 'own' else batch_size)
        with torch.no_grad():
            losses.append(float(squared_loss(linreg(features, w, b), labels).mean()))
        if not math.isfinite(losses[-1]) or losses[-1] > stop_above:
            break
    return losses


def symmetry_demo(features, labels, batch_size, lr, data_iter):
    """Exercise 3.2-1: a 2-4-1 net started at one value keeps identical units."""
    print('\n# exercise 3.2-1: zero (constant) initialisation in a deeper net')
    for init in (0.0, 0.5):
        W1 = torch.full((2, HIDDEN_UNITS), init, requires_grad=True)
        b1 = torch.zeros(HIDDEN_UNITS, requires_grad=True)
        W2 = torch.full((HIDDEN_UNITS, 1), init, requires_grad=True)
        b2 = torch.zeros(1, requires_grad=True)

        def net(X):
            return torch.matmul(torch.relu(torch.matmul(X, W1) + b1), W2) + b2

        for X, y in data_iter(batch_size, features, labels):
            squared_loss(net(X), y).sum().backward()
            d2l.sgd([W1, b1, W2, b2], lr, batch_size)
        with torch.no_grad():
            distinct = torch.unique(W1.t(), dim=0).shape[0]
            print(f'all weights {fmt(init)} -> after one epoch W1 (columns = hidden units):\n'
                  f'{W1!r}\n'
                  f'distinct hidden units: {distinct} of {HIDDEN_UNITS}; '
                  f'loss {float(squared_loss(net(features), labels).mean()):f}')
    print('Each hidden unit gets the same gradient, so identical units stay '
          'identical: random initialisation breaks the symmetry.')


def ohm_demo(batch_size, data_iter):
    """Exercise 3.2-2: Ohm's law V = R I + V0 learnt by autograd and SGD."""
    print("\n# exercise 3.2-2: learn Ohm's law V = R I + V0 by autograd")
    current = torch.rand(OHM_MEASUREMENTS, 1) * MAX_CURRENT
    voltage = (TRUE_RESISTANCE * current + TRUE_OFFSET
               + torch.normal(0, VOLTAGE_NOISE, (OHM_MEASUREMENTS, 1)))
    R = torch.zeros((1, 1), requires_grad=True)
    V0 = torch.zeros(1, requires_grad=True)
    losses = train_linreg(R, V0, current, voltage, batch_size, OHM_LR, OHM_EPOCHS, data_iter)
    print(f'{OHM_MEASUREMENTS} readings, I uniform in [0, {fmt(MAX_CURRENT)}) A, '
          f'V = {fmt(TRUE_RESISTANCE)} ohm * I + {fmt(TRUE_OFFSET)} V + '
          f'N(0, {fmt(VOLTAGE_NOISE)}^2) V; R = V0 = 0 at first\n'
          f'after {len(losses)} epochs (lr {fmt(OHM_LR)}): loss {losses[-1]:f}')
    di = current - current.mean()
    dv = voltage - voltage.mean()
    r_ls = (di * dv).sum() / (di * di).sum()
    v0_ls = voltage.mean() - r_ls * current.mean()
    print(f'R learned {float(R):.4f} ohm (true {fmt(TRUE_RESISTANCE)}), '
          f'V0 learned {float(V0):.4f} V (true {fmt(TRUE_OFFSET)})\n'
          f'least squares on the same readings: R {float(r_ls):.4f} ohm, V0 {float(v0_ls):.4f} V\n'
          'Autograd learns the resistance: the model is linear regression with one feature.')


def planck_log_density(wavelength, temperature):
    """log of Planck's spectral energy density, up to a known constant."""
    return -5 * torch.log(wavelength) - torch.log(torch.expm1(PLANCK_C2 / (wavelength * temperature)))


def planck_demo():
    """Exercise 3.2-3: gradient descent on T fits Planck's law to a spectrum."""
    print('\n# exercise 3.2-3: a temperature from a noisy Planck spectrum, by gradient descent on T')
    wavelength = torch.linspace(MIN_WAVELENGTH, MAX_WAVELENGTH, NUM_WAVELENGTHS, dtype=torch.float64)
    measured = (planck_log_density(wavelength, torch.tensor(TRUE_TEMPERATURE, dtype=torch.float64))
                + torch.log1p(SPECTRUM_NOISE * torch.randn(NUM_WAVELENGTHS, dtype=torch.float64)))
    print(f'{NUM_WAVELENGTHS} wavelengths in [{fmt(MIN_WAVELENGTH)}, {fmt(MAX_WAVELENGTH)}] um, '
          f'densities with {fmt(SPECTRUM_NOISE * 100)}% noise; loss = mean squared error of '
          'log u; float64, T in kK')
    T = torch.tensor(START_TEMPERATURE, dtype=torch.float64).requires_grad_()
    for step in range(1, PLANCK_STEPS + 1):
        l = (planck_log_density(wavelength, T) - measured).pow(2).mean()
        l.backward()
        d2l.sgd([T], PLANCK_LR, 1)
        if step % PLANCK_REPORT_EVERY == 0:
            print(f'step {step}: T = {float(T) * 1000:.1f} K, loss {float(l):.3e}')
    print(f'recovered T = {float(T) * 1000:.1f} K (true {fmt(TRUE_TEMPERATURE * 1000)} K, '
          f'start {fmt(START_TEMPERATURE * 1000)} K, lr {fmt(PLANCK_LR)})\n'
          'Yes: with the scaled units and log densities the loss is smooth in T, '
          'and gradient descent on it settles '
          f'{100 * abs(float(T) - TRUE_TEMPERATURE) / TRUE_TEMPERATURE:.2f}% from the true '
          "temperature: the noise's doing (without it the loss is 0 only at the true T)")


def second_derivatives_demo(features, labels, w, b):
    """Exercise 3.2-4: second derivatives by differentiating a gradient."""
    print('\n# exercise 3.2-4: second derivatives by double backward')
    x = torch.tensor(CUBE_AT, requires_grad=True)
    dfdx, = torch.autograd.grad(x ** 3, x, create_graph=True)
    d2fdx2, = torch.autograd.grad(dfdx, x)
    print(f"f(x) = x^3 at x = {fmt(CUBE_AT)}: f' = {fmt(dfdx)} (3x^2 = {fmt(3 * CUBE_AT * CUBE_AT)}), "
          f"f'' = {fmt(d2fdx2)} (6x = {fmt(6 * CUBE_AT)})")

    def loss():
        return squared_loss(linreg(features, w, b), labels).mean()

    def loss_grad(create_graph):
        """d loss / d w; with create_graph it can be differentiated again."""
        return torch.autograd.grad(loss(), w, create_graph=create_graph)[0]

    grad = loss_grad(True)
    eye = torch.eye(w.shape[0])
    columns = [torch.autograd.grad(grad, w, eye[:, j:j + 1], retain_graph=True)[0]
               for j in range(w.shape[0])]
    hessian = torch.cat(columns, 1)
    analytic = torch.matmul(features.t(), features) / features.shape[0]
    print(f'loss(w) = mean squared_loss over the {features.shape[0]} examples at the trained w; '
          f'grad with create_graph=True requires grad: {grad.requires_grad}\n'
          f'Hessian by two HVPs (double backward):\n{hessian!r}\n'
          f'X^T X / n (analytic):\n{analytic!r}\n'
          f'largest difference: {float((hessian - analytic).abs().max()):.2e}')

    timer = d2l.Timer()
    for _ in range(TIMING_REPEATS):
        loss_grad(False)
    grad_s = timer.stop()
    timer.start()
    v = torch.ones_like(w).detach()
    for _ in range(TIMING_REPEATS):
        torch.autograd.grad(loss_grad(True), w, v)
    hvp_s = timer.stop()
    print(f'{TIMING_REPEATS} gradients: {grad_s:.5f} sec; {TIMING_REPEATS} gradients with '
          f'create_graph + HVP: {hvp_s:.5f} sec')

    plain = loss_grad(False)
    message = ''
    try:
        torch.autograd.grad(plain, w)
    except RuntimeError as e:
        message = str(e).split('\n')[0]
    print(f'without create_graph the gradient requires grad: {plain.requires_grad}; '
          f'differentiating it again fails: {message}\n'
          'So: pass create_graph=True (it keeps an extra graph in memory and time), '
          'and prefer HVPs to the full d x d Hessian.')


def reshape_demo(features, labels, w, b):
    """Exercise 3.2-5: without the reshape, (n, 1) - (n,) broadcasts to (n, n)."""
    print('\n# exercise 3.2-5: why squared_loss reshapes y')
    with torch.no_grad():
        y_hat = linreg(features[:RESHAPE_ROWS], w, b)
        y = labels[:RESHAPE_ROWS].reshape(-1)
        print(f'y_hat {y_hat.shape!r} - y {y.shape!r} broadcasts to every pair:\n{y_hat - y!r}')
        all_y_hat = linreg(features, w, b)
        all_y = labels.reshape(-1)
        wrong = (all_y_hat - all_y).pow(2) / 2
        print(f'with all {features.shape[0]} examples: shape {wrong.shape!r}, '
              f'{wrong.numel()} floats = {wrong.numel() * 4} bytes\n'
              f'mean loss without the reshape {float(wrong.mean()):f} (every prediction '
              f'against every label), with it {float(squared_loss(all_y_hat, all_y).mean()):f}')


def lr_sweep(features, labels, batch_size, num_epochs, data_iter, seed):
    """Exercise 3.2-6: the same training at several learning rates."""
    print('\n# exercise 3.2-6: learning rates (same start, same minibatches): loss after each epoch')
    print("(not the run above: w0 is a new N(0, 0.01^2) draw and the shuffles restart from "
          "the seed, so even the lr 0.03 row differs slightly from the book's)")
    n = features.shape[0]
    w0 = torch.normal(0, 0.01, size=(2, 1))
    with torch.no_grad():
        start_loss = float(squared_loss(linreg(features, w0, torch.zeros(1)), labels).mean())
    rows = []
    for lr in SWEEP_RATES:
        random.seed(seed)  # the same shuffles for every lr
        w = w0.clone().requires_grad_()
        b = torch.zeros(1, requires_grad=True)
        rows.append(train_linreg(w, b, features, labels, batch_size, lr, num_epochs, data_iter,
                                 stop_above=start_loss))
        line = f'lr {fmt(lr):<6}'
        for l in rows[-1]:
            line += f' {l:f}' if math.isfinite(l) and l <= start_loss else ' diverged'
        print(line)

    # The loss sgd minimises, in (w, b): its Hessian [X, 1]^T [X, 1] / n decides
    # which rates full-batch gradient descent converges at.
    X = torch.cat([features.to(torch.float64), torch.ones((n, 1), dtype=torch.float64)], 1)
    eigenvalues = torch.linalg.eigvalsh(X.t().matmul(X) / n, UPLO='L')
    bound = 2 / float(eigenvalues[-1])
    print("the loss sgd minimises is mean_i (x_i^T w + b - y_i)^2 / 2; its Hessian in (w, b) "
          f"is [X, 1]^T [X, 1] / n, eigenvalues {float(eigenvalues[0]):.4f}, "
          f"{float(eigenvalues[1]):.4f}, {float(eigenvalues[2]):.4f}")
    if batch_size < n:
        minibatch = (f"; SGD's steps follow each minibatch's own Hessian (batch size "
                     f"{batch_size}), and that noise makes its safe rate smaller (for "
                     "minibatches drawn independently, E |(w, b) - optimum|^2 grows "
                     "already at rates somewhat below 2 / lambda_max)")
    else:
        minibatch = f"; here (batch size {batch_size} >= {n} examples) every step is one"
    print(f"full-batch gradient descent converges iff lr < 2 / lambda_max = {bound:.4f}"
          f"{minibatch}")
    # What the sweep shows: a row diverged when its loss rose above the
    # start's or was not finite (its training stopped there).
    diverged = []
    best = None
    for i, losses in enumerate(rows):
        last = losses[-1]
        lr = fmt(SWEEP_RATES[i])
        if not math.isfinite(last) or last > start_loss:
            below = SWEEP_RATES[i] < bound
            diverged.append(f"lr {lr} ({'below' if below else 'above'} 2 / lambda_max"
                            f"{': minibatch noise' if below else ''})")
        elif best is None or last < rows[best][-1]:
            best = i
    shows = (f"this sweep: the smallest rate, lr {fmt(SWEEP_RATES[0])}, is at {rows[0][-1]:f} "
             f"after {len(rows[0])} epochs (the start: {start_loss:f})")
    if best is not None:
        shows += f"; the lowest final loss is lr {fmt(SWEEP_RATES[best])}'s, {rows[best][-1]:f}"
    shows += ("; none diverged" if not diverged else
              "; diverged (a loss above the start's, or not finite; training stopped there): "
              + ", ".join(diverged))
    print(f"too small a rate crawls, too large a one overshoots; {shows}")


def last_batch_demo(features, labels, batch_size, lr, num_epochs, data_iter, seed):
    """Exercise 3.2-7: the short last minibatch of data_iter."""
    n = features.shape[0]
    print(f'\n# exercise 3.2-7: {n} examples in minibatches of {batch_size}')
    random.seed(seed)
    batches = list(data_iter(batch_size, features, labels))
    last_X, last_y = batches[-1]
    print(f'data_iter yields {len(batches)} minibatches; the last: X {last_X.shape!r}, '
          f'y {last_y.shape!r}')
    if n % batch_size == 0:
        print(f'{batch_size} divides {n}: no short minibatch (try --num-examples 1005)')
        return
    print(f'the last has {n % batch_size} examples, yet sgd divides its gradient by '
          f'batch_size = {batch_size}: that step is {n % batch_size}/{batch_size} of a full one\n'
          f'from w = 0, b = 0 with the same minibatches, loss after {num_epochs} epochs:')
    for last, name in (('book', 'sgd divides by batch_size (the book)'),
                       ('own', 'sgd divides by len(X)'),
                       ('drop', 'the short minibatch dropped')):
        random.seed(seed)
        w = torch.zeros((2, 1), requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        losses = train_linreg(w, b, features, labels, batch_size, lr, num_epochs, data_iter, last)
        print(f"  {name:<38} {f'{losses[-1]:.6e}' if losses else '-'}")
    print("It trains either way; dividing by len(X) gives the last minibatch's "
          'examples their full weight.')


def main(args):
    # cell 2: synthetic_data (d2l.synthetic_data)
    synthetic_data = d2l.synthetic_data

    # cell 3: the data set
    true_w = torch.tensor([2, -3.4])
    true_b = 4.2
    features, labels = synthetic_data(true_w, true_b, args.num_examples)

    # cell 4: the first example
    print('features:', features[0], '\nlabel:', labels[0])

    # cell 5: scatter plot of the second feature against the labels (drawn with --out)
    d2l.scatter(features[:, (1)].detach().numpy(), labels.detach().numpy(), 1,
                name='3.2_cell05_fig1')

    # cell 6: the minibatch iterator
    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        # 这些样本是随机读取的，没有特定的顺序
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(
                indices[i: min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]

    # cell 7: read and print the first minibatch
    batch_size = args.batch_size
    for X, y in data_iter(batch_size, features, labels):
        print(X, '\n', y)
        break

    # cell 8: initialise the parameters
    if args.init == 'normal':
        w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    else:
        w = torch.zeros((2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)

    # cell 9: the model (linreg, above)
    # cell 10: the loss (squared_loss, above)

    # cell 11: the optimiser (d2l.sgd)
    sgd = d2l.sgd

    # cell 12: hyperparameters
    lr = args.lr
    num_epochs = args.epochs
    net = linreg
    loss = squared_loss

    # cell 13: training
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = loss(net(X, w, b), y)  # X和y的小批量损失
            # 因为l形状是(batch_size,1)，而不是一个标量。l中的所有元素被加到一起，
            # 并以此计算关于[w,b]的梯度
            l.sum().backward()
            sgd([w, b], lr, batch_size)  # 使用参数的梯度更新参数
        with torch.no_grad():
            train_l = loss(net(features, w, b), labels)
            d2l.check_finite_loss(float(train_l.mean()), epoch + 1, lr, DEFAULT_LR)
            print(f'epoch {epoch + 1}, loss {float(train_l.mean()):f}')

    # cell 14: estimation errors
    print(f'w的估计误差: {true_w - w.reshape(true_w.shape)}')
    print(f'b的估计误差: {true_b - b}')

    # The exercises, in the book's order.
    if args.symmetry_demo:
        symmetry_demo(features, labels, batch_size, lr, data_iter)
    if args.ohm:
        ohm_demo(batch_size, data_iter)
    if args.planck:
        planck_demo()
    if args.second_derivatives:
        second_derivatives_demo(features, labels, w, b)
    if args.reshape_demo:
        reshape_demo(features, labels, w, b)
    if args.lr_sweep:
        lr_sweep(features, labels, batch_size, num_epochs, data_iter, args.seed)
    if args.last_batch:
        last_batch_demo(features, labels, batch_size, lr, num_epochs, data_iter, args.seed)


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--lr', type=d2l.positive_float, default=DEFAULT_LR)
    p.add_argument('--epochs', type=d2l.positive_int, default=3)
    p.add_argument('--batch-size', type=d2l.positive_int, default=10)
    p.add_argument('--num-examples', type=d2l.positive_int, default=1000)
    p.add_argument('--init', choices=['normal', 'zeros'], default='normal',
                   help="exercise 3.2-1: initial w: normal (the book's N(0, 0.01)) or zeros")
    p.add_argument('--symmetry-demo', action='store_true',
                   help='exercise 3.2-1: zero init in a one-hidden-layer net')
    p.add_argument('--ohm', action='store_true',
                   help="exercise 3.2-2: learn the resistance of Ohm's law by autograd")
    p.add_argument('--planck', action='store_true',
                   help='exercise 3.2-3: a temperature from a noisy Planck spectrum')
    p.add_argument('--second-derivatives', action='store_true',
                   help='exercise 3.2-4: second derivatives (double backward, Hessian-vector product)')
    p.add_argument('--reshape-demo', action='store_true',
                   help="exercise 3.2-5: what squared_loss's reshape prevents")
    p.add_argument('--lr-sweep', action='store_true',
                   help='exercise 3.2-6: loss per epoch for lr 0.001, 0.03, 0.5, 1.9 and 3, '
                   "against full-batch gradient descent's bound 2 / lambda_max")
    p.add_argument('--last-batch', action='store_true',
                   help='exercise 3.2-7: the short last minibatch (try --num-examples 1005)')
    args = p.parse_args()
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    d2l.main_guard(lambda: main(args))
