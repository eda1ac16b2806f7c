#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.6 (softmax-regression-scratch.md), PyTorch cells.

Prints on stdout exactly what the book's cells print ('Out[k]:' values as
their repr), so it can be compared with
build/chapters/3.6-softmax-regression-scratch/3.6-softmax-regression-scratch:

    /usr/bin/python3 scripts/reference/3.6-softmax-regression-scratch.py [flags]

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
The Animator and predict_ch3's figure are not drawn; every draw is made
(the (2, 5) demo, one per loader pass, predict_ch3's pass). Per-epoch
progress goes to stderr.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import sys

import torch

import d2l_torch as d2l

DEFAULT_LR = 0.1  # the book's learning rate

# What a NaN loss means with the book's softmax (as the C++'s).
NAIVE_SOFTMAX_DIVERGENCE = (
    "the naive softmax overflowed (exp(o) is inf in float32 once an output o "
    "exceeds 88.7, or a probability rounds to 0 and log(0) = -inf: exercises "
    "3.6-1, 3.6-2): rerun with --stable, which computes softmax and "
    "cross-entropy without overflow")


def main(args):
    # cell 2: the data
    batch_size = args.batch_size
    train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size, data_dir=args.data_dir)

    # cell 3: the parameters
    num_inputs = 784
    num_outputs = 10
    W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
    b = torch.zeros(num_outputs, requires_grad=True)

    # cell 4: sums along each axis
    X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    d2l.show((X.sum(0, keepdim=True), X.sum(1, keepdim=True)))

    # cell 5: softmax
    def softmax(X):
        X_exp = torch.exp(X)
        partition = X_exp.sum(1, keepdim=True)
        return X_exp / partition  # 这里应用了广播机制

    # cell 6: softmax of a random (2, 5) matrix
    X = torch.normal(0, 1, (2, 5))
    X_prob = softmax(X)
    d2l.show((X_prob, X_prob.sum(1)))

    # cell 7: the model
    def net(X):
        return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

    # cell 8: pick the predicted probabilities of the true labels
    y = torch.tensor([0, 2])
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    d2l.show(y_hat[[0, 1], y])

    # cell 9: cross-entropy
    def cross_entropy(y_hat, y):
        return - torch.log(y_hat[range(len(y_hat)), y])

    d2l.show(cross_entropy(y_hat, y))

    # cell 10: accuracy (d2l.accuracy)
    accuracy = d2l.accuracy

    # cell 11: the demo's accuracy
    d2l.show(accuracy(y_hat, y) / len(y))

    # cell 12: evaluate_accuracy (d2l.evaluate_accuracy)
    evaluate_accuracy = d2l.evaluate_accuracy

    # cell 13: Accumulator (d2l.Accumulator)

    # cell 14: the untrained model's test accuracy
    d2l.show(evaluate_accuracy(net, test_iter))

    # cell 15: train_epoch_ch3 (d2l.train_epoch_ch3)
    # cell 16: Animator (replaced by --metrics / stderr progress)
    # cell 17: train_ch3 (d2l.train_ch3)
    def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
        """训练模型（定义见第3章）"""
        d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, updater,
                      metrics_path=args.metrics,
                      divergence=(lr, DEFAULT_LR, NAIVE_SOFTMAX_DIVERGENCE))

    # cell 18: the optimiser
    lr = args.lr

    def updater(batch_size):
        return d2l.sgd([W, b], lr, batch_size)

    # cell 19: training
    num_epochs = args.epochs
    train_ch3(net, train_iter, test_iter, cross_entropy, num_epochs, updater)

    # cell 20: predictions on the first test batch (figure not drawn)
    titles = d2l.predict_ch3(net, test_iter)
    print('predict_ch3:', ' | '.join(t.replace('\n', ' -> ') for t in titles),
          file=sys.stderr)


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
