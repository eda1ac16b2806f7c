#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.5 (image-classification-dataset.md), PyTorch cells.

Prints on stdout exactly what the book's cells print ('Out[k]:' values as
their repr), so it can be compared with
build/chapters/3.5-image-classification-dataset/3.5-image-classification-dataset:

    /usr/bin/python3 scripts/reference/3.5-image-classification-dataset.py [flags]

Flags:
  --seed N          torch.manual_seed and random.seed before cell 1 (0)
  --threads N       intra-op threads, 1 = the book's, 0 = torch's own choice (1)
  --batch-size N    minibatch size of the timed pass over the training set (256)
  --data-dir DIR    Fashion-MNIST IDX files (else $D2L_DATA_DIR, ../data/FashionMNIST/raw,
                    data/FashionMNIST/raw, /usr/share/datasets/fashion-mnist)
  --out, --no-figures, --device cpu: accepted and ignored
No torchvision: the data set is read from the IDX files (ToTensor's values),
Resize is torch.nn.functional.interpolate per batch, and the loaders use
num_workers=0 (same draws and batches as the book's 4 workers). The figure of
cell 7 is not drawn; its loader draw is made.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
from torch.utils import data

import d2l_torch as d2l


def main(args):
    # cell 2: the data sets, as ToTensor() images
    mnist_train = d2l.fashion_mnist(train=True, data_dir=args.data_dir)
    mnist_test = d2l.fashion_mnist(train=False, data_dir=args.data_dir)

    # cell 3: their sizes
    d2l.show((len(mnist_train), len(mnist_test)))

    # cell 4: the shape of one image
    d2l.show(mnist_train[0][0].shape)

    # cell 5: text labels (d2l.get_fashion_mnist_labels)
    get_fashion_mnist_labels = d2l.get_fashion_mnist_labels

    # cell 6: show_images (plotting; not drawn here)

    # cell 7: the first 18 examples (figure not drawn; the loader draw is made)
    X, y = next(iter(data.DataLoader(mnist_train, batch_size=18)))
    get_fashion_mnist_labels(y)  # the figure's titles

    # cell 8: a shuffled training loader (d2l.get_dataloader_workers)
    batch_size = args.batch_size
    train_iter = data.DataLoader(mnist_train, batch_size, shuffle=True,
                                 num_workers=d2l.get_dataloader_workers())

    # cell 9: time one pass
    timer = d2l.Timer()
    for X, y in train_iter:
        continue
    d2l.show(f'{timer.stop():.2f} sec')

    # cell 10: load_data_fashion_mnist (d2l.load_data_fashion_mnist)
    def load_data_fashion_mnist(batch_size, resize=None):
        """下载Fashion-MNIST数据集，然后将其加载到内存中"""
        return d2l.load_data_fashion_mnist(batch_size, resize, data_dir=args.data_dir)

    # cell 11: resized batches
    train_iter, test_iter = load_data_fashion_mnist(32, resize=64)
    for X, y in train_iter:
        print(X.shape, X.dtype, y.shape, y.dtype)
        break


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    p.add_argument('--batch-size', type=d2l.positive_int, default=256)
    p.add_argument('--data-dir', metavar='DIR')
    args = p.parse_args()
    d2l.setup(args)
    d2l.main_guard(lambda: main(args))
