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
  --out, --no-figures, --device cpu: accepted and ignored
The scatter plot of cell 5 is not drawn (it makes no draws). data_iter
shuffles with Python's `random` module, as the book does.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import random

import torch

import d2l_torch as d2l

DEFAULT_LR = 0.03  # the book's learning rate


def main(args):
    # cell 2: synthetic_data (d2l.synthetic_data)
    synthetic_data = d2l.synthetic_data

    # cell 3: the data set
    true_w = torch.tensor([2, -3.4])
    true_b = 4.2
    features, labels = synthetic_data(true_w, true_b, args.num_examples)

    # cell 4: the first example
    print('features:', features[0], '\nlabel:', labels[0])

    # cell 5: scatter plot of the second feature against the labels (not drawn)

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

    # cell 9: the model
    def linreg(X, w, b):
        """线性回归模型"""
        return torch.matmul(X, w) + b

    # cell 10: the loss
    def squared_loss(y_hat, y):
        """均方损失"""
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

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


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--lr', type=d2l.positive_float, default=DEFAULT_LR)
    p.add_argument('--epochs', type=d2l.non_negative_int, default=3)
    p.add_argument('--batch-size', type=d2l.positive_int, default=10)
    p.add_argument('--num-examples', type=d2l.positive_int, default=1000)
    p.add_argument('--init', choices=['normal', 'zeros'], default='normal')
    args = p.parse_args()
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    d2l.main_guard(lambda: main(args))
