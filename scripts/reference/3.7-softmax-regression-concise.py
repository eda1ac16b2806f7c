#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.7 (softmax-regression-concise.md), PyTorch cells.

Prints on stdout exactly what the book's cells print (nothing: the book's
output is the training figure), so it can be compared with
build/chapters/3.7-softmax-regression-concise/3.7-softmax-regression-concise:

    /usr/bin/python3 scripts/reference/3.7-softmax-regression-concise.py [flags]

Flags (defaults are the book's):
  --seed N          torch.manual_seed and random.seed before cell 1 (0)
  --threads N       intra-op threads, 1 = the book's, 0 = torch's own choice (1)
  --lr X            learning rate (0.1)
  --epochs N        number of epochs (10)
  --batch-size N    minibatch size (256)
  --data-dir DIR    Fashion-MNIST IDX files (else $D2L_DATA_DIR, ../data/FashionMNIST/raw,
                    data/FashionMNIST/raw, /usr/share/datasets/fashion-mnist)
  --metrics FILE    write one JSON object per epoch:
                    {"epoch", "train_loss", "train_acc", "test_acc"} (full precision)
  --out, --no-figures, --device cpu: accepted and ignored
The Animator is not drawn; per-epoch progress goes to stderr.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import torch
from torch import nn

import d2l_torch as d2l

DEFAULT_LR = 0.1  # the book's learning rate


def main(args):
    # cell 2: the data
    batch_size = args.batch_size
    train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size, data_dir=args.data_dir)

    # cell 3: the model and its initialisation
    # PyTorch不会隐式地调整输入的形状。因此，
    # 我们在线性层前定义了展平层（flatten），来调整网络输入的形状
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))

    def init_weights(m):
        if type(m) == nn.Linear:
            nn.init.normal_(m.weight, std=0.01)

    net.apply(init_weights)

    # cell 4: the loss
    loss = nn.CrossEntropyLoss(reduction='none')

    # cell 5: the optimiser
    trainer = torch.optim.SGD(net.parameters(), lr=args.lr)

    # cell 6: training
    num_epochs = args.epochs
    d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer,
                  metrics_path=args.metrics, divergence=(args.lr, DEFAULT_LR))


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--lr', type=d2l.positive_float, default=DEFAULT_LR)
    p.add_argument('--epochs', type=d2l.positive_int, default=10)
    p.add_argument('--batch-size', type=d2l.positive_int, default=256)
    p.add_argument('--data-dir', metavar='DIR')
    p.add_argument('--metrics', metavar='FILE')
    args = p.parse_args()
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    d2l.main_guard(lambda: main(args))
