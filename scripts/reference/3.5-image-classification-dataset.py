#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.5 (image-classification-dataset.md), PyTorch cells.

Prints on stdout exactly what the book's cells print ('Out[k]:' values as
their repr), so it can be compared with
build/chapters/3.5-image-classification-dataset/3.5-image-classification-dataset:

    /usr/bin/python3 scripts/reference/3.5-image-classification-dataset.py [flags]

Flags:
  --seed N          torch.manual_seed and random.seed before cell 1 (0)
  --threads N       intra-op threads, 1 = the book's, 0 = torch's own choice (1)
  --batch-size N    exercise 3.5-1: minibatch size of the timed pass over the training
                    set (256); when given, timed again at the book's size to compare
  --reader-speed    exercise 3.5-2: the reader against converting the whole set at once
                    and slicing a shuffled copy, with checksums
  --framework-datasets
                    exercise 3.5-3: the C++ side reads Fashion-MNIST through LibTorch's
                    torch::data::datasets::MNIST; here (no torchvision) the same files
                    are read with d2l_torch's IDX reader and converted as MNIST does,
                    and the same checksums and facts are printed
  --data-dir DIR    Fashion-MNIST IDX files (else $D2L_DATA_DIR, ../data/FashionMNIST/raw,
                    data/FashionMNIST/raw, /usr/share/datasets/fashion-mnist)
  --out DIR         draw cell 7's figure into DIR (matplotlib; default: none)
  --no-figures, --device cpu: accepted
No torchvision: the data set is read from the IDX files (ToTensor's values),
Resize is torch.nn.functional.interpolate per batch, and the loaders use
num_workers=0 (same draws and batches as the book's 4 workers). Cell 7's
loader draw is made whether or not its figure is drawn.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import sys

import torch
from torch.utils import data

import d2l_torch as d2l

BOOK_BATCH_SIZE = 256  # cell 8's minibatch size
SMALL_BATCH_SIZE = 1  # exercise 3.5-1: compared with a given --batch-size 256


def raw_split(train, data_dir):
    """The uint8 pixels (N x 28 x 28) and int64 labels of a split, read with
    d2l_torch's IDX reader (the C++ FashionMnist's raw_images and labels)."""
    folder = d2l.find_fashion_mnist(data_dir)
    images_name, labels_name = d2l.FASHION_FILES["train" if train else "test"]
    images = d2l._read_idx(d2l._idx_path(folder, images_name))
    labels = d2l._read_idx(d2l._idx_path(folder, labels_name)).to(torch.int64)
    return images, labels


def as_printed(seconds):
    """A time as the demos print it (3 decimals), read back: the verdicts are
    computed from the numbers the reader sees."""
    return float(f"{seconds:.3f}")


def speed_verdict(a, a_seconds, b, b_seconds):
    """How ``a`` compared with ``b`` in time, from their printed times (the
    C++ speed_verdict); printed on stderr, as it varies from run to run."""
    ta = as_printed(a_seconds)
    tb = as_printed(b_seconds)
    if ta <= 0 or tb <= 0:
        return f"{a} ({ta:.3f} sec) and {b} ({tb:.3f} sec) were too quick to compare"
    ratio = f"{(tb / ta if ta < tb else ta / tb):.1f}"
    if ratio == "1.0":
        return f"{a} took as long as {b} here (ratio 1.0)"
    return f"{a} was {ratio}x {'faster' if ta < tb else 'slower'} than {b} here"


def batch_size_demo(n, batch_size, seconds, mnist_train):
    """Exercise 3.5-1: cell 9's pass against one at the book's batch size."""
    other = SMALL_BATCH_SIZE if batch_size == BOOK_BATCH_SIZE else BOOK_BATCH_SIZE
    print("\n# exercise 3.5-1: does a smaller batch_size slow reading down?")

    def num_batches(size):
        return (n + size - 1) // size  # the last one short

    def line(size, sec):
        print(f"batch_size {size}: {num_batches(size)} minibatches read in {sec:.3f} sec")

    line(batch_size, seconds)  # cell 9's pass
    loader = data.DataLoader(mnist_train, other, shuffle=True,
                             num_workers=d2l.get_dataloader_workers())
    timer = d2l.Timer()
    for X, y in loader:
        continue
    other_seconds = timer.stop()
    line(other, other_seconds)
    print("every minibatch costs a fixed overhead (gather, convert, hand over) "
          f"on top of its images: minibatches of {batch_size} pay it "
          f"{num_batches(batch_size)} times, minibatches of {other} "
          f"{num_batches(other)} times (which read faster here: stderr, from these times)")
    print("3.5-1: " + speed_verdict(f"reading in minibatches of {batch_size}", seconds,
                                    f"in minibatches of {other}", other_seconds),
          file=sys.stderr)


def batches_checksum(batches):
    """Sum over k of (k + 1) times the sum of minibatch k (order-sensitive)."""
    total = 0.0
    for k, batch in enumerate(batches):
        total += float(k + 1) * batch.sum(dtype=torch.float64).item()
    return total


def reader_speed_demo(raw, y, batch_size, loader_seconds):
    """Exercise 3.5-2: converting pixels and gathering minibatches, faster."""
    n = raw.shape[0]
    print(f"\n# exercise 3.5-2: is the reader fast enough? ({n} training images)")
    print(f"the data loader (cell 9, batch_size {batch_size}): {loader_seconds:.2f} sec")

    # uint8 -> float32 in [0, 1]: image by image (ToTensor) or all at once
    timer = d2l.Timer()
    per_image = torch.stack([raw[i].unsqueeze(0).to(torch.float32).div(255)
                             for i in range(n)])
    per_image_seconds = timer.stop()
    timer.start()
    X = raw.unsqueeze(1).to(torch.float32).div(255)
    whole_seconds = timer.stop()
    print("convert per image (uint8 -> float / 255, then stack), like "
          f"ToTensor: {per_image_seconds:.3f} sec")
    print(f"convert the whole set in one call: {whole_seconds:.3f} sec")
    print(f"same tensor: {torch.equal(per_image, X)}, checksums "
          f"{per_image.sum(dtype=torch.float64).item():.6f} and "
          f"{X.sum(dtype=torch.float64).item():.6f}")
    print("3.5-2: " + speed_verdict("converting the whole set in one call", whole_seconds,
                                    "converting per image", per_image_seconds),
          file=sys.stderr)

    # one shuffled pass: index_select per minibatch, or slice a shuffled copy
    perm = torch.randperm(n)
    gathered = []
    timer.start()
    for i in range(0, n, batch_size):
        idx = perm[i:min(i + batch_size, n)]
        gathered.append(X.index_select(0, idx))
        y.index_select(0, idx)
    gather_seconds = timer.stop()
    sliced = []
    timer.start()
    X_shuffled = X.index_select(0, perm)
    y_shuffled = y.index_select(0, perm)
    for i in range(0, n, batch_size):
        stop = min(i + batch_size, n)
        sliced.append(X_shuffled[i:stop])
        y_shuffled[i:stop]
    slice_seconds = timer.stop()
    print(f"minibatches of {batch_size} by index_select of shuffled indices: "
          f"{gather_seconds:.3f} sec")
    print(f"minibatches of {batch_size} as slices of a copy shuffled once: "
          f"{slice_seconds:.3f} sec")
    same = len(gathered) == len(sliced) and all(
        torch.equal(a, b) for a, b in zip(gathered, sliced))
    print(f"same minibatches: {same}, checksums {batches_checksum(gathered):.6f} "
          f"and {batches_checksum(sliced):.6f}")
    print("3.5-2: " + speed_verdict("slicing a copy shuffled once", slice_seconds,
                                    "index_select of shuffled indices", gather_seconds),
          file=sys.stderr)
    print("converting once up front keeps the whole set as float32: "
          f"{X.numel() * 4 / 1e6:.1f} MB, against {raw.numel() / 1e6:.1f} MB of uint8 "
          "pixels (which way was faster here: stderr, from these times)")


def framework_datasets_demo(mnist_train, mnist_test, data_dir):
    """Exercise 3.5-3, Python side: what the C++ reads through
    torch::data::datasets::MNIST (uint8 .to(float32).div_(255), N x 1 x 28 x 28;
    labels int64), read here with d2l_torch's IDX reader."""
    print("\n# exercise 3.5-3: which datasets does the framework provide?")
    for mode, train, ours in (("kTrain", True, mnist_train), ("kTest", False, mnist_test)):
        raw, targets = raw_split(train, data_dir)
        images = raw.reshape(-1, 1, 28, 28).to(torch.float32).div_(255)
        print(f"torch::data::datasets::MNIST({mode}): images {images.shape!r} "
              f"{images.dtype!r}, targets {targets.shape!r} {targets.dtype!r}")
        print(f"  same as d2l's reader: images {torch.equal(images, ours.tensors[0])}, "
              f"labels {torch.equal(targets, ours.tensors[1])}; checksums "
              f"{images.sum(dtype=torch.float64).item():.6f} and {targets.sum().item()}")
    print("LibTorch's C++ frontend ships one dataset: torch::data::datasets::MNIST "
          "(IDX files, uncompressed), which reads Fashion-MNIST as well")
    print("plus building blocks: TensorDataset, MapDataset, ChunkDataset, "
          "StatefulDataset; transforms Normalize, Stack, Lambda")
    print("torchvision.datasets (FashionMNIST, CIFAR10, ImageNet, COCO, ...) and "
          "the datasets of torchtext and torchaudio are Python-only")


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

    # cell 6: show_images (d2l.show_images)
    show_images = d2l.show_images

    # cell 7: the first 18 examples (drawn with --out; the loader draw is made)
    X, y = next(iter(data.DataLoader(mnist_train, batch_size=18)))
    show_images(X.reshape(18, 28, 28), 2, 9, titles=get_fashion_mnist_labels(y),
                name='3.5_cell07_fig1')

    # cell 8: a shuffled training loader (d2l.get_dataloader_workers)
    batch_size = args.batch_size or BOOK_BATCH_SIZE
    train_iter = data.DataLoader(mnist_train, batch_size, shuffle=True,
                                 num_workers=d2l.get_dataloader_workers())

    # cell 9: time one pass
    timer = d2l.Timer()
    for X, y in train_iter:
        continue
    read_seconds = timer.stop()
    d2l.show(f'{read_seconds:.2f} sec')

    # cell 10: load_data_fashion_mnist (d2l.load_data_fashion_mnist)
    def load_data_fashion_mnist(batch_size, resize=None):
        """下载Fashion-MNIST数据集，然后将其加载到内存中"""
        return d2l.load_data_fashion_mnist(batch_size, resize, data_dir=args.data_dir)

    # cell 11: resized batches
    train_iter, test_iter = load_data_fashion_mnist(32, resize=64)
    for X, y in train_iter:
        print(X.shape, X.dtype, y.shape, y.dtype)
        break

    # The exercises, after the book's cells (their draws come last).
    if args.batch_size is not None:
        batch_size_demo(len(mnist_train), batch_size, read_seconds, mnist_train)
    if args.reader_speed:
        raw, labels = raw_split(True, args.data_dir)
        reader_speed_demo(raw, labels, batch_size, read_seconds)
    if args.framework_datasets:
        framework_datasets_demo(mnist_train, mnist_test, args.data_dir)


if __name__ == '__main__':
    p = d2l.parser(__doc__)
    # default None: the exercise 3.5-1 comparison runs only when the flag is given
    p.add_argument('--batch-size', type=d2l.positive_int, default=None,
                   help=f"exercise 3.5-1: minibatch size of the timed read (cell 9), timed "
                        f"again at the book's size to compare (default {BOOK_BATCH_SIZE})")
    p.add_argument('--reader-speed', action='store_true',
                   help="exercise 3.5-2: the reader against converting the whole set at "
                        "once and slicing a shuffled copy, with checksums and which was faster")
    p.add_argument('--framework-datasets', action='store_true',
                   help="exercise 3.5-3: the checksums and facts of the C++ side's "
                        "torch::data::datasets::MNIST run (read here with d2l_torch's reader)")
    p.add_argument('--data-dir', metavar='DIR')
    args = p.parse_args()
    d2l.setup(args)
    d2l.main_guard(lambda: main(args))
