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
  --softmax-demo    exercises 3.6-1, 3.6-2: the naive softmax overflows (exp(100)) and
                    cross_entropy takes log(0); the stable versions don't
  --stable          exercise 3.6-3: train with the stable softmax and cross-entropy
                    (subtract the row max; LogSumExp); a NaN loss then gets no
                    naive-softmax cause, as in the C++
  --reject-option   exercise 3.6-4: after training, answer only above a confidence
                    threshold: coverage against accuracy
  --vocab-softmax   exercise 3.6-5: parameters, memory and time of a softmax over a
                    vocabulary of q words
  --out DIR         draw the Animator and predict_ch3's figure into DIR
                    (matplotlib; default: none)
  --no-figures, --device cpu: accepted
Every draw is made whether or not figures are drawn (the (2, 5) demo, one
per loader pass, predict_ch3's pass). Per-epoch
progress goes to stderr. The exercises print after the book's cells, in the
book's order, as the C++ does.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import math
import sys

import torch
import torch.nn.functional as F

import d2l_torch as d2l

DEFAULT_LR = 0.1  # the book's learning rate
# Exercise 3.6-4: answer only when the top probability reaches a threshold (0: always)
REJECT_THRESHOLDS = (0.0, 0.5, 0.7, 0.9, 0.95, 0.99)
WORD_VECTOR_SIZE = 300  # exercise 3.6-5: a word vector's length (d), as word2vec's
VOCAB_BATCH_SIZE = 256  # exercise 3.6-5: the minibatch of the timed forward pass
VOCAB_SIZES = (10, 1000, 10000, 100000)  # exercise 3.6-5: vocabulary sizes q that are run
VOCAB_SIZE_NOT_RUN = 1000000  # exercise 3.6-5: a vocabulary size whose memory is only computed

# What a NaN loss means with the book's softmax (as the C++'s).
NAIVE_SOFTMAX_DIVERGENCE = (
    "the naive softmax overflowed (exp(o) is inf in float32 once an output o "
    "exceeds 88.7, or a probability rounds to 0 and log(0) = -inf: exercises "
    "3.6-1, 3.6-2): rerun with --stable, which computes softmax and "
    "cross-entropy without overflow")


# Exercise 3.6-3: the stable versions (as the C++'s)
def stable_softmax(X):
    X_exp = torch.exp(X - X.max(1, keepdim=True)[0])
    return X_exp / X_exp.sum(1, keepdim=True)


def stable_cross_entropy(o, y):
    """-log softmax(o)_y = logsumexp(o) - o_y: never log(0)."""
    m = o.max(1, keepdim=True)[0]
    lse = m.squeeze(1) + torch.log(torch.exp(o - m).sum(1))
    return lse - o[torch.arange(o.shape[0]), y]


def softmax_overflow_demo(softmax):
    """Exercise 3.6-1: exp overflows float32, so the naive softmax gives NaN."""
    print("\n# exercise 3.6-1: what can go wrong with the naive softmax? (exp(50))")
    print(f"exp(50) = {torch.exp(torch.tensor([50.0]))!r}, "
          f"exp(100) = {torch.exp(torch.tensor([100.0]))!r} (float32 overflows past ~88.7)")
    big = torch.tensor([[50.0, 150.0, 1.0]])
    print(f"naive softmax([[50, 150, 1]]):  {softmax(big)!r}  (inf / inf)")
    print(f"stable softmax([[50, 150, 1]]): {stable_softmax(big)!r}  (exp(o - max o))")


def cross_entropy_log_demo(cross_entropy):
    """Exercise 3.6-2: a probability that rounds to 0 makes the loss log(0)."""
    print("\n# exercise 3.6-2: what can go wrong with cross_entropy by its definition? "
          "(log's domain)")
    big = torch.tensor([[50.0, 150.0, 1.0]])
    y = torch.tensor([2])
    print(f"cross_entropy for class 2 on those probabilities: "
          f"{cross_entropy(stable_softmax(big), y)!r}  (-log(0): exp(1 - 150) underflows to 0 "
          "in float32)")
    print(f"cross-entropy from the logits, logsumexp(o) - o_y: {stable_cross_entropy(big, y)!r}")


def stable_training_summary(rows, lr):
    """Exercise 3.6-3: what training with the stable versions gave."""
    print("\n# exercise 3.6-3: a fix for both: softmax and cross-entropy without overflow")
    last = rows[-1]
    print(f"trained with --stable at lr {lr!r}: epoch {last['epoch']}: train loss "
          f"{last['train_loss']:.4f}, train acc {last['train_acc']:.4f}, "
          f"test acc {last['test_acc']:.4f}")
    print("exp(o - max o) is at most 1 and logsumexp(o) - o_y never takes log(0): the "
          "loss is finite whenever the logits are (compare a run without --stable at this "
          "--lr)")


def reject_option_demo(net, test_iter, net_gives_logits):
    """Exercise 3.6-4: answer only when the top probability reaches a threshold."""
    probs, labels = [], []
    with torch.no_grad():
        for X, y in test_iter:
            out = net(X)
            probs.append(stable_softmax(out) if net_gives_logits else out)
            labels.append(y)
    P = torch.cat(probs)
    y = torch.cat(labels)
    confidence, predicted = P.max(1)
    correct = predicted == y
    n = y.shape[0]
    print("\n# exercise 3.6-4: is the most likely label always the best answer? "
          "(a reject option)")
    print(f"confidence (top probability) on the {n} test images: mean "
          f"{confidence.mean().item():.4f}, lowest {confidence.min().item():.4f}")
    print(f"{'threshold':>9} {'answered':>8} {'coverage':>8} {'accuracy':>8}")
    rows = []  # the rows that answered any case, as printed
    for t in REJECT_THRESHOLDS:
        answer = confidence >= t
        answered = answer.sum().item()
        right = (correct & answer).sum().item()
        accuracy = "-" if answered == 0 else f"{right / answered:.4f}"
        print(f"{t:>9.2f} {answered:>8} {answered / n:>8.4f} {accuracy:>8}")
        if answered > 0:
            rows.append((f"{t:.2f}", f"{answered / n:.4f}", accuracy))
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]

        def trend(a, b):
            a, b = float(a), float(b)
            return "rose" if a < b else "fell" if a > b else "stayed"

        every_step = all(float(rows[i][2]) > float(rows[i - 1][2]) for i in range(1, len(rows)))
        accuracy_trend = trend(first[2], last[2])
        steps = ("" if accuracy_trend != "rose" else
                 ", at every step" if every_step else ", though not at every step")
        print(f"here, from threshold {first[0]} to {last[0]}, coverage "
              f"{trend(first[1], last[1])} from {first[1]} to {last[1]} and accuracy "
              f"{accuracy_trend} from {first[2]} to {last[2]}{steps}")
    print("so no: the unanswered cases go to a person (a doctor), and with unequal costs "
          "of errors (a missed illness against a needless test) the best answer minimises "
          "the expected cost sum_k P(k | x) cost(answer, k), which need not be the most "
          "likely label")


def vocab_softmax_demo():
    """Exercise 3.6-5: a softmax over a vocabulary of q words."""
    d = WORD_VECTOR_SIZE
    batch = VOCAB_BATCH_SIZE
    print(f"\n# exercise 3.6-5: softmax regression over a vocabulary of q words "
          f"(d = {d}, minibatch of {batch})")
    print(f"{'q':>8} {'parameters':>11} {'W+b (MB)':>10} {'outputs (MB)':>12} {'loss':>8} "
          f"{'log(q)':>8}  XW + b, softmax, cross-entropy")

    def sizes(q):
        params = q * d + q
        return params, params * 4 / 1e6, batch * q * 4 / 1e6

    for q in VOCAB_SIZES:
        W = torch.normal(0, 0.01, size=(d, q))
        b = torch.zeros(q)
        X = torch.normal(0, 1, size=(batch, d))
        y = torch.randint(0, q, (batch,))
        timer = d2l.Timer()
        loss = F.cross_entropy(torch.matmul(X, W) + b, y)
        value = loss.item()
        seconds = timer.stop()
        params, w_mb, out_mb = sizes(q)
        print(f"{q:>8} {params:>11} {w_mb:>10.2f} {out_mb:>12.2f} {value:>8.4f} "
              f"{math.log(q):>8.4f}  {seconds:.4f} sec")
    params, w_mb, out_mb = sizes(VOCAB_SIZE_NOT_RUN)
    print(f"{VOCAB_SIZE_NOT_RUN:>8} {params:>11} {w_mb:>10.2f} {out_mb:>12.2f} {'-':>8} "
          f"{math.log(VOCAB_SIZE_NOT_RUN):>8.4f}  (not run)")
    print("every prediction scores and normalises all q words: O(q d) work per example, "
          "and weights, outputs and gradients grow linearly in q; a uniform guess's loss, "
          "log(q), grows too")
    print("most words are rare, so most columns of W (one per word) see few examples; "
          "hierarchical softmax and negative sampling avoid the full softmax")


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

    # cell 7: the model (--stable: it returns the logits, for LogSumExp)
    def net(X):
        o = torch.matmul(X.reshape((-1, W.shape[0])), W) + b
        return o if args.stable else softmax(o)

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
    # cell 16: Animator (d2l.Animator; drawn with --out, beside --metrics and
    # the stderr progress)
    # cell 17: train_ch3 (d2l.train_ch3)
    def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
        """训练模型（定义见第3章）"""
        # A NaN loss has the naive softmax as its cause, unless --stable.
        cause = () if args.stable else (NAIVE_SOFTMAX_DIVERGENCE,)
        return d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, updater,
                             metrics_path=args.metrics,
                             divergence=(lr, DEFAULT_LR) + cause,
                             figure='3.6_cell19_fig1')

    # cell 18: the optimiser
    lr = args.lr

    def updater(batch_size):
        return d2l.sgd([W, b], lr, batch_size)

    # cell 19: training
    num_epochs = args.epochs
    loss = stable_cross_entropy if args.stable else cross_entropy
    rows = train_ch3(net, train_iter, test_iter, loss, num_epochs, updater)

    # cell 20: predictions on the first test batch (drawn with --out)
    titles = d2l.predict_ch3(net, test_iter, figure='3.6_cell20_fig1')
    print('predict_ch3:', ' | '.join(t.replace('\n', ' -> ') for t in titles),
          file=sys.stderr)

    # The exercises, after the book's cells (their draws come last).
    if args.softmax_demo:
        softmax_overflow_demo(softmax)
        cross_entropy_log_demo(cross_entropy)
    if args.stable:
        stable_training_summary(rows, lr)
    if args.reject_option:
        reject_option_demo(net, test_iter, net_gives_logits=args.stable)
    if args.vocab_softmax:
        vocab_softmax_demo()


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--lr', type=d2l.positive_float, default=DEFAULT_LR)
    p.add_argument('--epochs', type=d2l.positive_int, default=10)
    p.add_argument('--batch-size', type=d2l.positive_int, default=256)
    p.add_argument('--data-dir', metavar='DIR')
    p.add_argument('--metrics', metavar='FILE')
    p.add_argument('--softmax-demo', action='store_true',
                   help="exercise 3.6-1, 3.6-2: the naive softmax overflows (exp(100)) and "
                        "cross_entropy takes log(0); the stable versions don't")
    p.add_argument('--stable', action='store_true',
                   help="exercise 3.6-3: train with the stable softmax and cross-entropy "
                        "(subtract the row max; LogSumExp)")
    p.add_argument('--reject-option', action='store_true',
                   help="exercise 3.6-4: after training, answer only above a confidence "
                        "threshold: coverage against accuracy")
    p.add_argument('--vocab-softmax', action='store_true',
                   help="exercise 3.6-5: parameters, memory and time of a softmax over a "
                        "vocabulary of q words")
    args = p.parse_args()
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    d2l.main_guard(lambda: main(args))
