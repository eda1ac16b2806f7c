#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.3 (linear-regression-concise.md), PyTorch cells.

Prints on stdout exactly what the book's cells print ('Out[k]:' values as
their repr), so it can be compared with
build/chapters/3.3-linear-regression-concise/3.3-linear-regression-concise:

    /usr/bin/python3 scripts/reference/3.3-linear-regression-concise.py [flags]

Flags (defaults are the book's):
  --seed N              torch.manual_seed and random.seed before cell 1 (0)
  --threads N           intra-op threads, 1 = the book's, 0 = torch's own choice (1)
  --lr X                learning rate (0.03)
  --epochs N            number of epochs (3)
  --batch-size N        minibatch size (10)
  --num-examples N      size of the synthetic data set (1000)
  --loss mse|huber      nn.MSELoss (book) or nn.SmoothL1Loss(beta=sigma), the
                        exercise's Huber loss
  --huber-sigma X       the Huber loss's sigma (1.0)
  --reduction mean|sum  the loss's reduction (mean)
  --drop-last           DataLoader(drop_last=True)
Exercise demos, printed after the book's cells in this order (as the C++):
  --newton              3.3-1: Newton's method vs SGD (no learning rate)
  --losses              3.3-2: MSELoss, L1Loss, SmoothL1Loss, HuberLoss
  --inits               3.3-2: torch.nn.init's initialisers
  --show-grad           3.3-3: the parameters' gradients after training
  --out, --no-figures, --device cpu: accepted and ignored
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import math

import torch
from torch import nn
from torch.nn import functional as F

import d2l_torch as d2l

DEFAULT_LR = 0.03  # the book's learning rate
TRUE_B = 4.2  # cell 2: the true bias
NEWTON_DIMS = [2, 200, 2000]  # --newton: feature counts to time
UNIFORM_BOUND = 1.0  # --inits: the uniform initialiser's range

fmt = d2l.fmt_float  # a float as the C++'s fmt "{}" writes it


def newton_demo(num_examples, batch_size, lr):
    """Exercise 3.3-1: one Newton step on the squared loss vs one SGD epoch."""
    print("\n# exercise 3.3-1: Newton's method vs SGD on the squared loss: no learning rate to rescale")
    for d in NEWTON_DIMS:
        n = max(num_examples, 2 * d)
        sgd_lr = min(lr, 1.0 / (d + 1))
        true_w = torch.randn(d) / math.sqrt(d)
        X, y = d2l.synthetic_data(true_w, TRUE_B, n)
        Xb = torch.cat([X, torch.ones(n, 1)], 1)
        target = torch.cat([true_w, torch.tensor([TRUE_B])])

        timer = d2l.Timer()
        theta0 = torch.zeros(d + 1, 1)
        residual = Xb.matmul(theta0) - y
        xtx = Xb.t().matmul(Xb)
        grad = Xb.t().matmul(residual) / n
        hessian = xtx / n  # (d+1) x (d+1)
        theta = theta0 - torch.linalg.solve(hessian, grad)
        newton_s = timer.stop()
        # The summed loss: gradient and Hessian both n times larger, same step.
        theta_sum = theta0 - torch.linalg.solve(xtx, Xb.t().matmul(residual))

        net = nn.Linear(d, 1)
        trainer = torch.optim.SGD(net.parameters(), lr=sgd_lr)
        loss = nn.MSELoss()
        timer.start()
        for X_batch, y_batch in d2l.load_array((X, y), batch_size):
            l = loss(net(X_batch), y_batch)
            trainer.zero_grad()
            l.backward()
            trainer.step()
        sgd_s = timer.stop()
        sgd_theta = torch.cat([net.weight.detach().reshape(-1), net.bias.detach()])
        print(f'd = {d}, n = {n}: the Hessian is {d + 1} x {d + 1} floats = {(d + 1) * (d + 1) * 4} bytes\n'
              f'  Newton, one step: {newton_s:.5f} sec, parameter error '
              f"{float((theta.reshape(-1) - target).norm()):.3e}; the summed loss's step differs by "
              f'{float((theta_sum - theta).abs().max()):.1e}\n'
              f'  SGD (lr {sgd_lr:.2e}), one epoch: {sgd_s:.5f} sec, parameter error '
              f'{float((sgd_theta - target).norm()):.3e}')
    print("Newton's step H^-1 g is the same whether the loss is summed or averaged: no learning "
          "rate to rescale. It costs the d x d Hessian (O(d^2) memory) and a solve (O(d^3) time) "
          "per step; an SGD step costs O(d) per example.")


def train_variant(name, loss, init, show_init, data_iter, features, labels, lr, num_epochs, state):
    """Exercise 3.3-2: cells 6-10 for one (loss, initialiser) pair, the
    generator started from ``state`` for the init and again for the
    minibatches; prints one line."""
    torch.set_rng_state(state)
    linear = nn.Linear(2, 1)
    init(linear)
    w0 = linear.weight.detach().clone()
    torch.set_rng_state(state)
    trainer = torch.optim.SGD(linear.parameters(), lr=lr)
    for epoch in range(num_epochs):
        for X, y in data_iter:
            l = loss(linear(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
    with torch.no_grad():
        mse = float(F.mse_loss(linear(features), labels))
        w_error = torch.tensor([2, -3.4]) - linear.weight.reshape(2)
        b_error = TRUE_B - float(linear.bias)
    line = f'{name:<31}'
    if show_init:
        line += f'  w0 [{float(w0[0][0]):+.4f}, {float(w0[0][1]):+.4f}]'
    if math.isfinite(mse):
        line += (f'  MSE {mse:.6f}  w error [{float(w_error[0]):+.6f}, {float(w_error[1]):+.6f}]'
                 f'  b error {b_error:+.6f}')
    else:
        line += '  diverged'
    print(line)


def book_init(linear):
    """The book's cell 7: weight ~ N(0, 0.01), bias 0."""
    linear.weight.data.normal_(0, 0.01)
    linear.bias.data.fill_(0)


def losses_demo(data_iter, features, labels, lr, num_epochs, sigma):
    """Exercise 3.3-2: the framework's regression losses side by side."""
    print("\n# exercise 3.3-2: LibTorch's regression losses (reduction mean), same start and minibatches")
    losses = [
        ("MSELoss (the book's)", nn.MSELoss()),
        ('L1Loss', nn.L1Loss()),
        (f'SmoothL1Loss(beta={fmt(sigma)})', nn.SmoothL1Loss(beta=sigma)),
        (f'HuberLoss(delta={fmt(sigma)})', nn.HuberLoss(delta=sigma)),
    ]
    state = torch.get_rng_state()
    for name, loss in losses:
        train_variant(name, loss, book_init, False, data_iter, features, labels, lr, num_epochs, state)
    print("L1, SmoothL1 and Huber bound each example's gradient (by 1, 1 and delta): robust to "
          'outliers, slower from a far start. HuberLoss(delta) = delta * '
          'SmoothL1Loss(beta=delta): quadratic near 0, linear beyond (--huber-sigma).')


def inits_demo(data_iter, features, labels, lr, num_epochs):
    """Exercise 3.3-2: torch.nn.init's initialisers side by side."""
    init = nn.init
    print('\n# exercise 3.3-2: torch::nn::init initialisers for the weight (bias 0), MSELoss, '
          'same minibatches')

    def weight_only(f):
        def apply(linear):
            f(linear.weight)
            init.zeros_(linear.bias)
        return apply

    inits = [
        ("normal_(0, 0.01) (the book's)", weight_only(lambda w: init.normal_(w, 0, 0.01))),
        ('zeros_', weight_only(init.zeros_)),
        ('uniform_(-1, 1)', weight_only(lambda w: init.uniform_(w, -UNIFORM_BOUND, UNIFORM_BOUND))),
        ('xavier_uniform_', weight_only(init.xavier_uniform_)),
        ('xavier_normal_', weight_only(init.xavier_normal_)),
        ('kaiming_uniform_', weight_only(init.kaiming_uniform_)),
        ('kaiming_normal_', weight_only(init.kaiming_normal_)),
        ("Linear's own (bias too)", lambda linear: None),
    ]
    state = torch.get_rng_state()
    for name, weight_init in inits:
        train_variant(name, nn.MSELoss(), weight_init, True, data_iter, features, labels, lr,
                      num_epochs, state)
    print('The squared loss of a linear model is convex, with one minimiser here ([X, 1] has '
          'full rank): every start reaches the same line (init matters in deeper nets, '
          '3.2-1). Also in torch::nn::init: constant_, ones_, eye_, dirac_, orthogonal_, '
          'sparse_.')


def reduction_demo(data_iter, num_examples, batch_size, lr):
    """Exercise 3.3-1 asks what the learning rate becomes when the minibatch's
    summed loss is replaced by its mean; the book's PyTorch code already
    averages, so --reduction sum shows the other direction."""
    print("\n# exercise 3.3-1: the minibatch loss's sum instead of its mean (the book asks "
          "the reverse)")
    print("the book's code already averages the minibatch loss (reduction='mean', "
          "nn.MSELoss's default), so this run (--reduction sum) goes the other way, "
          "mean -> sum")
    print(f"the sum's gradient is batch_size = {batch_size} times the mean's: lr_sum = "
          "lr_mean / batch_size takes the same steps (and from sum to mean, "
          "lr_mean = batch_size * lr_sum)")
    last = num_examples - (len(data_iter) - 1) * batch_size
    short = (f", except the short last minibatch of {last}: its sum is {last} times its "
             f"mean, so its step is {last}/{batch_size} of the mean's"
             if last < batch_size else "")
    print(f"this run: --lr {lr:g} with the sum steps as --lr {lr * batch_size:g} with the "
          f"mean (the book's: 0.03){short}; the losses above are sums over the "
          f"{num_examples} examples, {num_examples} times their mean")


def main(args):
    # cell 2: the data set (d2l.synthetic_data)
    true_w = torch.tensor([2, -3.4])
    true_b = 4.2
    features, labels = d2l.synthetic_data(true_w, true_b, args.num_examples)

    # cell 3: load_array (d2l.load_array; drop_last is the --drop-last flag)
    def load_array(data_arrays, batch_size, is_train=True):
        """构造一个PyTorch数据迭代器"""
        return d2l.load_array(data_arrays, batch_size, is_train, drop_last=args.drop_last)

    # cell 4: the loader
    batch_size = args.batch_size
    data_iter = load_array((features, labels), batch_size)

    # cell 5: peek at the first minibatch
    d2l.show(next(iter(data_iter)))

    # cell 6: the model
    from torch import nn
    net = nn.Sequential(nn.Linear(2, 1))

    # cell 7: initialise the parameters
    net[0].weight.data.normal_(0, 0.01)
    d2l.show(net[0].bias.data.fill_(0))

    # cell 8: the loss
    if args.loss == 'mse':
        loss = nn.MSELoss(reduction=args.reduction)
    else:
        loss = nn.SmoothL1Loss(reduction=args.reduction, beta=args.huber_sigma)

    # cell 9: the optimiser
    trainer = torch.optim.SGD(net.parameters(), lr=args.lr)

    # cell 10: training
    num_epochs = args.epochs
    for epoch in range(num_epochs):
        for X, y in data_iter:
            l = loss(net(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
        l = loss(net(features), labels)
        d2l.check_finite_loss(float(l), epoch + 1, args.lr, DEFAULT_LR)
        print(f'epoch {epoch + 1}, loss {l:f}')

    # cell 11: estimation errors
    w = net[0].weight.data
    print('w的估计误差：', true_w - w.reshape(true_w.shape))
    b = net[0].bias.data
    print('b的估计误差：', true_b - b)

    # The exercises, in the book's order.
    if args.reduction == 'sum':
        reduction_demo(data_iter, args.num_examples, batch_size, args.lr)
    if args.newton:
        newton_demo(args.num_examples, batch_size, args.lr)
    if args.losses:
        losses_demo(data_iter, features, labels, args.lr, num_epochs, args.huber_sigma)
    if args.inits:
        inits_demo(data_iter, features, labels, args.lr, num_epochs)
    if args.show_grad:
        print('\n# exercise 3.3-3: the gradients, linear->weight.grad() and linear->bias.grad(), '
              'after the last minibatch step')
        print(f'weight.grad: {net[0].weight.grad!r}\nbias.grad: {net[0].bias.grad!r}')


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--lr', type=d2l.positive_float, default=DEFAULT_LR)
    p.add_argument('--epochs', type=d2l.positive_int, default=3)
    p.add_argument('--batch-size', type=d2l.positive_int, default=10)
    p.add_argument('--num-examples', type=d2l.positive_int, default=1000)
    p.add_argument('--reduction', choices=['mean', 'sum'], default='mean',
                   help="exercise 3.3-1: loss reduction: mean (the book's) or sum (then "
                   "divide --lr by the batch size for the same steps)")
    p.add_argument('--newton', action='store_true',
                   help="exercise 3.3-1: Newton's method vs SGD: a step with no learning rate")
    p.add_argument('--loss', choices=['mse', 'huber'], default='mse',
                   help="exercise 3.3-2: the loss: mse (the book's) or huber")
    p.add_argument('--huber-sigma', type=d2l.positive_float, default=None,
                   help="exercise 3.3-2: the Huber loss's threshold sigma")
    p.add_argument('--losses', action='store_true',
                   help='exercise 3.3-2: MSELoss, L1Loss, SmoothL1Loss and HuberLoss side by side')
    p.add_argument('--inits', action='store_true',
                   help="exercise 3.3-2: torch.nn.init's initialisers side by side")
    p.add_argument('--show-grad', action='store_true',
                   help="exercise 3.3-3: print the parameters' gradients after training")
    p.add_argument('--drop-last', action='store_true')
    args = p.parse_args()
    if args.huber_sigma is not None and args.loss != 'huber' and not args.losses:
        p.error('--huber-sigma: only the Huber loss uses it; add --loss huber (or --losses)')
    if args.huber_sigma is None:
        args.huber_sigma = 1.0
    d2l.setup(args, report_blas=True, figures=False)  # numbers pass through BLAS
    d2l.main_guard(lambda: main(args))
