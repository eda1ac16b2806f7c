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
  --out, --no-figures, --device cpu: accepted and ignored
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import torch

import d2l_torch as d2l

DEFAULT_LR = 0.03  # the book's learning rate


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


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--lr', type=d2l.positive_float, default=DEFAULT_LR)
    p.add_argument('--epochs', type=d2l.non_negative_int, default=3)
    p.add_argument('--batch-size', type=d2l.positive_int, default=10)
    p.add_argument('--num-examples', type=d2l.positive_int, default=1000)
    p.add_argument('--loss', choices=['mse', 'huber'], default='mse')
    p.add_argument('--huber-sigma', type=d2l.positive_float, default=1.0)
    p.add_argument('--reduction', choices=['mean', 'sum'], default='mean')
    p.add_argument('--drop-last', action='store_true')
    args = p.parse_args()
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    d2l.main_guard(lambda: main(args))
