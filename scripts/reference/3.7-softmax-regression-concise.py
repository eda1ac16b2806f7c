#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.7 (softmax-regression-concise.md), PyTorch cells.

Prints on stdout exactly what the book's cells print (nothing: the book's
output is the training figure), so it can be compared with
build/chapters/3.7-softmax-regression-concise/3.7-softmax-regression-concise:

    /usr/bin/python3 scripts/reference/3.7-softmax-regression-concise.py [flags]

Flags (defaults are the book's):
  --seed N          torch.manual_seed and random.seed before cell 1 (0)
  --threads N       intra-op threads, 1 = the book's, 0 = torch's own choice (1)
  --lr X            exercise 3.7-1: learning rate (0.1)
  --epochs N        exercise 3.7-1, 3.7-2: number of epochs (10)
  --batch-size N    exercise 3.7-1: minibatch size (256)
                    (when any of these three is given, the final and best epochs are
                    printed after training)
  --overfit-summary exercise 3.7-2: best and final test accuracy and the train-test gap,
                    beside weight decay (a second training from the same seed) and
                    early stopping (with e.g. --epochs 50)
  --weight-decay X  exercise 3.7-2: that second training's weight decay (1e-3)
  --data-dir DIR    Fashion-MNIST IDX files (else $D2L_DATA_DIR, ../data/FashionMNIST/raw,
                    data/FashionMNIST/raw, /usr/share/datasets/fashion-mnist)
  --metrics FILE    write one JSON object per epoch:
                    {"epoch", "train_loss", "train_acc", "test_acc"} (full precision)
  --out DIR         draw the Animator into DIR (matplotlib; default: none)
  --no-figures, --device cpu: accepted
Per-epoch progress goes to stderr. The exercises
print after the book's cells, as the C++ does.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)

import torch
from torch import nn

import d2l_torch as d2l

DEFAULT_LR = 0.1  # the book's learning rate
DEFAULT_BATCH_SIZE = 256  # the book's minibatch size
DEFAULT_EPOCHS = 10  # the book's number of epochs
WEIGHT_DECAY = 1e-3  # exercise 3.7-2: the remedy's weight decay (SGD's weight_decay)
LAST_EPOCHS = 10  # exercise 3.7-2: how many final epochs show the test accuracy's wander


def best_epoch(rows):
    """The epoch with the best test accuracy (the first, on ties)."""
    return max(rows, key=lambda r: r["test_acc"])


def tuning_summary(rows, lr, batch_size):
    """Exercise 3.7-1: what these hyperparameters gave."""
    print(f"\n# exercise 3.7-1: tuning lr {lr!r}, batch size {batch_size}, {len(rows)} epochs "
          f"(the book's: {DEFAULT_LR!r}, {DEFAULT_BATCH_SIZE}, {DEFAULT_EPOCHS})")
    last, best = rows[-1], best_epoch(rows)
    print(f"final epoch {last['epoch']}: train loss {last['train_loss']:.4f}, train acc "
          f"{last['train_acc']:.4f}, test acc {last['test_acc']:.4f}; best test acc "
          f"{best['test_acc']:.4f} at epoch {best['epoch']}")


def overfit_line(label, rows):
    """One line of exercise 3.7-2: best and final test accuracy, final gap."""
    best, last = best_epoch(rows), rows[-1]
    print(f"{label + ':':<19} best test acc {best['test_acc']:.4f} at epoch {best['epoch']}, "
          f"final {last['test_acc']:.4f} (train {last['train_acc']:.4f}, "
          f"gap {last['train_acc'] - last['test_acc']:.4f})")


def as_printed(value):
    """An accuracy as printed (4 decimals), read back: the conclusions compare
    the numbers the reader sees."""
    return float(f"{value:.4f}")


def trend(start, end):
    """'rose', 'fell' or 'stayed', from ``start`` to ``end`` as printed."""
    a, b = as_printed(start), as_printed(end)
    return "rose" if a < b else "fell" if a > b else "stayed"


def overfit_summary(rows, remedy, weight_decay):
    """Exercise 3.7-2: does test accuracy fall, and do the remedies help?"""
    print("\n# exercise 3.7-2: more epochs: why can test accuracy fall, and what helps?")
    overfit_line("no remedy", rows)
    overfit_line(f"weight decay {weight_decay!r}", remedy)
    best = best_epoch(rows)
    print(f"{'early stopping:':<19} stop at epoch {best['epoch']}: test acc "
          f"{best['test_acc']:.4f} (train {best['train_acc']:.4f}, gap "
          f"{best['train_acc'] - best['test_acc']:.4f}); choose the epoch on a validation "
          "split, not on the test set")
    n = len(rows)

    def gap(epoch):
        r = rows[epoch - 1]
        return f"{epoch}: {r['train_acc'] - r['test_acc']:.4f}"

    print(f"train-test gap by epoch, without remedy: {gap(1)}, {gap((n + 1) // 2)}, {gap(n)}")
    last = min(LAST_EPOCHS, n)
    tail = rows[n - last:]
    print(f"last {last} epochs: test acc between {min(r['test_acc'] for r in tail):.4f} and "
          f"{max(r['test_acc'] for r in tail):.4f}, train acc from "
          f"{tail[0]['train_acc']:.4f} to {rows[-1]['train_acc']:.4f}")
    # What these numbers show, compared as printed.
    final = rows[-1]
    if as_printed(final['test_acc']) < as_printed(best['test_acc']):
        fell = (f"test accuracy fell from {best['test_acc']:.4f} (epoch {best['epoch']}) to "
                f"{final['test_acc']:.4f} (epoch {final['epoch']}) while train accuracy went "
                f"from {best['train_acc']:.4f} to {final['train_acc']:.4f}")
    else:
        fell = (f"test accuracy did not fall below its best in these {n} epochs (best "
                f"{best['test_acc']:.4f} at epoch {best['epoch']}, final "
                f"{final['test_acc']:.4f})")
    first_gap = rows[0]['train_acc'] - rows[0]['test_acc']
    final_gap = final['train_acc'] - final['test_acc']
    gap_trend = {"rose": "widened", "fell": "narrowed"}.get(trend(first_gap, final_gap),
                                                           "stayed")
    print(f"{fell}; the train-test gap {gap_trend} from {first_gap:.4f} (epoch 1) to "
          f"{final_gap:.4f} (epoch {n})")
    # in the last epochs, falls from one to the next
    drops = sum(as_printed(tail[i]['test_acc']) < as_printed(tail[i - 1]['test_acc'])
                for i in range(1, len(tail)))
    moved = ("never fell from one epoch to the next" if drops == 0 else
             f"fell from one epoch to the next {drops} time{'' if drops == 1 else 's'}")
    print("a widening train-test gap is the mark of overfitting (the model keeps fitting "
          "the training set's particulars); at a constant lr SGD's noise also moves test "
          f"accuracy from epoch to epoch (in the last {last} epochs it {moved}); early "
          f"stopping keeps the best epoch; weight decay {weight_decay!r} changed the best "
          f"test accuracy by {best_epoch(remedy)['test_acc'] - best['test_acc']:+.4f}")


def main(args):
    # cell 2: the data
    batch_size = args.batch_size or DEFAULT_BATCH_SIZE
    train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size, data_dir=args.data_dir)

    # cell 3: the model and its initialisation
    # PyTorch不会隐式地调整输入的形状。因此，
    # 我们在线性层前定义了展平层（flatten），来调整网络输入的形状
    def softmax_regression_net():  # (a function: exercise 3.7-2 builds it twice)
        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))

        def init_weights(m):
            if type(m) == nn.Linear:
                nn.init.normal_(m.weight, std=0.01)

        net.apply(init_weights)
        return net

    net = softmax_regression_net()

    # cell 4: the loss
    loss = nn.CrossEntropyLoss(reduction='none')

    # cell 5: the optimiser
    lr = args.lr or DEFAULT_LR
    trainer = torch.optim.SGD(net.parameters(), lr=lr)

    # cell 6: training
    num_epochs = args.epochs or DEFAULT_EPOCHS
    rows = d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer,
                         metrics_path=args.metrics, divergence=(lr, DEFAULT_LR),
                         figure='3.7_cell06_fig1')

    # The exercises, after the book's cells (their draws come last).
    if (args.lr, args.epochs, args.batch_size) != (None, None, None):
        tuning_summary(rows, lr, batch_size)
    if args.overfit_summary:
        # The same seed again: the same initial weights and minibatch order,
        # only the weight decay differs.
        torch.manual_seed(args.seed)
        decayed = softmax_regression_net()
        decayed_trainer = torch.optim.SGD(decayed.parameters(), lr=lr,
                                          weight_decay=args.weight_decay)
        remedy = d2l.train_ch3(decayed, train_iter, test_iter, loss, num_epochs,
                               decayed_trainer, divergence=(lr, DEFAULT_LR))
        overfit_summary(rows, remedy, args.weight_decay)


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    # defaults None: exercise 3.7-1's summary is printed only when one is given
    p.add_argument('--lr', type=d2l.positive_float, default=None,
                   help=f"exercise 3.7-1: learning rate (default {DEFAULT_LR})")
    p.add_argument('--epochs', type=d2l.positive_int, default=None,
                   help=f"exercise 3.7-1, 3.7-2: number of epochs (default {DEFAULT_EPOCHS})")
    p.add_argument('--batch-size', type=d2l.positive_int, default=None,
                   help=f"exercise 3.7-1: minibatch size (default {DEFAULT_BATCH_SIZE})")
    p.add_argument('--data-dir', metavar='DIR')
    p.add_argument('--metrics', metavar='FILE')
    p.add_argument('--overfit-summary', action='store_true',
                   help="exercise 3.7-2: best and final test accuracy and the train-test gap, "
                        "beside weight decay and early stopping (with e.g. --epochs 50)")
    p.add_argument('--weight-decay', type=d2l.positive_float, default=None,
                   help=f"exercise 3.7-2: the weight decay of --overfit-summary's second "
                        f"training (default {WEIGHT_DECAY}; needs --overfit-summary)")
    args = p.parse_args()
    if args.weight_decay is not None and not args.overfit_summary:
        p.error("--weight-decay requires --overfit-summary")
    if args.weight_decay is None:
        args.weight_decay = WEIGHT_DECAY
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    d2l.main_guard(lambda: main(args))
