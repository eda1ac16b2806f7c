"""The part of d2l-zh 2.0.0's ``d2l/torch.py`` that the chapter-3 reference scripts use.

Not a script: imported by ``scripts/reference/3.X-*.py`` (which run with
``/usr/bin/python3``, Debian's python3-torch 1.13.1). Neither ``d2l`` nor
``torchvision`` is needed: the helpers below are the book's own code, with two
replacements that make the same torch random draws as the originals
(``docs/rng.md``):

* ``torchvision.datasets.FashionMNIST`` + ``transforms.ToTensor()`` become an
  IDX reader + ``data.TensorDataset`` (uint8 -> float32 ``/ 255``, N x 1 x 28 x 28;
  labels int64); iterating a ``data.DataLoader`` over it draws from torch's
  generator exactly as the book's loader does (one int64 per ``iter()``, one more
  for a shuffled loader).
* ``transforms.Resize`` becomes ``torch.nn.functional.interpolate`` on each batch
  (deterministic, no draws; only shapes and dtypes are printed).

Plotting (``plot``, ``Animator``, ``show_images``) is the book's matplotlib code,
run only when a figures folder is given (``--out DIR``, see ``parser``): then the
book's figures are written there as PNG files named as the C++ sections name
theirs (``3.1_cell07_fig1.png``), for scripts/report.sh to set side by side.
Drawing makes no random draws, so the printed numbers are the same either way.
``num_workers`` is 0 (the book uses 4; the draws and batches are the same:
docs/rng.md, "The DataLoader").
"""

import numeric_setup  # first: the book's BLAS set-up, before numpy/torch

import argparse
import gzip
import json
import math
import os
import random
import re
import sys
import time

import numpy as np
import torch
from torch.utils import data

# ---------------------------------------------------------------------------
# Command line and set-up shared by the scripts (same flags as the C++ apps)


def positive_int(text):
    """argparse type: an integer > 0."""
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def non_negative_int(text):
    """argparse type: an integer >= 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def positive_float(text):
    """argparse type: a finite number > 0."""
    value = float(text)
    if not (value > 0 and value != float("inf")):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return value


def seed_value(text):
    """What torch.manual_seed takes: an integer in [-2^63, 2^64 - 1]."""
    if re.fullmatch(r"[+-]?[0-9]+", text) is None or not -2**63 <= int(text) <= 2**64 - 1:
        raise argparse.ArgumentTypeError(
            f"must be an integer from -2^63 to 2^64 - 1 (what torch.manual_seed takes), got '{text}'")
    return int(text)


class DivergenceError(RuntimeError):
    """The training loss became NaN or infinite (main_guard: exit 1)."""


def fmt_float(x):
    """A float as fmt's "{}" writes it (the C++ messages): 100, not 100.0."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def check_finite_loss(loss, epoch, lr, default_lr, cause=""):
    """Mirrors d2l::check_finite_loss: the C++ sections' divergence message."""
    if math.isfinite(loss):
        return
    if lr > default_lr > 0:
        fix = f"try a smaller learning rate: the default, --lr {fmt_float(default_lr)}, converges"
    else:
        fix = f"try a smaller learning rate (e.g. --lr {fmt_float(lr / 10)})"
    if cause:
        fix = f"{cause}, or {fix}"
    raise DivergenceError(
        f"training diverged: loss is {'nan' if math.isnan(loss) else 'inf'} at epoch {epoch} "
        f"with lr {fmt_float(lr)}; {fix}")


def parser(doc):
    """An ArgumentParser with the flags every section takes.

    ``--seed`` and ``--threads`` are used; ``--out DIR`` draws the book's
    figures into DIR with matplotlib (python3-matplotlib; without ``--out``
    nothing is drawn, unlike the C++ sections, whose default folder is out/),
    ``--no-figures`` turns that off again; ``--device cpu`` is accepted and
    ignored (the reference runs on the CPU only).
    """
    p = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--seed", type=seed_value, default=0,
                   help="torch.manual_seed and random.seed before cell 1 (default 0)")
    p.add_argument("--threads", type=non_negative_int, default=1,
                   help="intra-op threads; 1 = the book's, 0 = torch's own choice (default 1)")
    p.add_argument("--out", metavar="DIR",
                   help="draw the book's figures into DIR as PNG files (needs python3-matplotlib; "
                   "default: draw nothing)")
    p.add_argument("--no-figures", action="store_true", help="draw no figures, even with --out")
    p.add_argument("--device", choices=["cpu"], default="cpu",
                   help="ignored; the reference runs on the CPU only")
    return p


def setup(args, report_blas=False, figures=True):
    """Thread count and seeds, as the book's run: before the first cell.

    ``figures``: the section draws figures (3.3 and 3.4 draw none: their
    ``--out`` is accepted and ignored, as the C++ sections do).

    ``report_blas``: the section's numbers pass through BLAS; say on stderr
    when the set-up is not the book's (numeric_setup.note()), as the C++ does.
    """
    numeric_setup.restore()
    _start_figures(None if args.no_figures or not figures else args.out)
    if report_blas and numeric_setup.note():
        print(numeric_setup.note(), file=sys.stderr)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)


def show(value):
    """Prints a notebook cell's displayed value (``Out[k]:``): its repr."""
    print(repr(value))


def warn(message):
    print(f"warning: {message}", file=sys.stderr)


# ---------------------------------------------------------------------------
# Figures: the book's d2l.plot, Animator and show_images, drawn into the
# --out folder (nothing is drawn without one)

_figure_dir = None
_plt = None


def _start_figures(folder):
    """Makes ``folder`` the figures folder and loads matplotlib (Agg: no
    display needed); None draws nothing. A missing matplotlib or a folder that
    cannot be made is one line and exit 2, before any cell runs."""
    global _figure_dir, _plt
    _figure_dir = None
    if folder is None:
        return
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("error: --out draws the figures with matplotlib, which is missing: "
              "apt-get install python3-matplotlib (or leave out --out)", file=sys.stderr)
        sys.exit(2)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        print(f"error: --out {folder!r}: cannot make the folder ({e.strerror})", file=sys.stderr)
        sys.exit(2)
    _figure_dir, _plt = folder, plt


def _save(fig, name):
    """Writes ``fig`` to ``<--out>/<name>.png`` (the book's 100 dpi, tight box)
    through a temporary, so the folder never holds a partial figure."""
    path = os.path.join(_figure_dir, name + ".png")
    tmp = os.path.join(_figure_dir, f".{name}.png.tmp-{os.getpid()}")
    try:
        fig.savefig(tmp, format="png", dpi=100, bbox_inches="tight")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def drawing():
    """True when figures are drawn (``--out`` given)."""
    return _figure_dir is not None


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """设置matplotlib的轴"""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def plot(X, Y=None, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None,
         xscale='linear', yscale='linear', fmts=('-', 'm--', 'g-.', 'r:'),
         figsize=(3.5, 2.5), name=None):
    """绘制数据点 (d2l.plot; the figure is saved as ``name``)"""
    if not drawing():
        return
    if legend is None:
        legend = []
    fig, axes = _plt.subplots(figsize=figsize)

    def has_one_axis(X):
        return (hasattr(X, "ndim") and X.ndim == 1 or isinstance(X, list)
                and not hasattr(X[0], "__len__"))

    if has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    for x, y, fmt in zip(X, Y, fmts):
        if len(x):
            axes.plot(x, y, fmt)
        else:
            axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
    _save(fig, name)
    _plt.close(fig)


def scatter(x, y, s, figsize=(3.5, 2.5), name=None):
    """d2l.set_figsize(); d2l.plt.scatter(x, y, s), saved as ``name``"""
    if not drawing():
        return
    fig, axes = _plt.subplots(figsize=figsize)
    axes.scatter(x, y, s)
    _save(fig, name)
    _plt.close(fig)


def show_images(imgs, num_rows, num_cols, titles=None, scale=1.5, name=None):
    """绘制图像列表 (d2l.show_images; saved as ``name``)"""
    if not drawing():
        return
    figsize = (num_cols * scale, num_rows * scale)
    fig, axes = _plt.subplots(num_rows, num_cols, figsize=figsize)
    axes = np.array(axes).flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        if torch.is_tensor(img):
            ax.imshow(img.numpy())
        else:
            ax.imshow(img)
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles:
            ax.set_title(titles[i])
    _save(fig, name)
    _plt.close(fig)


class Animator:
    """在动画中绘制数据 (d2l.Animator): the figure is saved as ``name`` after
    every ``add``, as the book redraws it after every epoch."""

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None,
                 xscale='linear', yscale='linear', fmts=('-', 'm--', 'g-.', 'r:'),
                 figsize=(3.5, 2.5), name=None):
        self.name = name if drawing() else None
        if self.name is None:
            return
        if legend is None:
            legend = []
        self.fig, self.axes = _plt.subplots(figsize=figsize)
        self.config_axes = lambda: set_axes(
            self.axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.X, self.Y, self.fmts = None, None, fmts

    def add(self, x, y):
        if self.name is None:
            return
        if not hasattr(y, "__len__"):
            y = [y]
        n = len(y)
        if not hasattr(x, "__len__"):
            x = [x] * n
        if not self.X:
            self.X = [[] for _ in range(n)]
        if not self.Y:
            self.Y = [[] for _ in range(n)]
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                self.X[i].append(a)
                self.Y[i].append(b)
        self.axes.cla()
        for x, y, fmt in zip(self.X, self.Y, self.fmts):
            self.axes.plot(x, y, fmt)
        self.config_axes()
        _save(self.fig, self.name)


# ---------------------------------------------------------------------------
# d2l.Timer (3.1)


class Timer:
    """记录多次运行时间"""

    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        """启动计时器"""
        self.tik = time.time()

    def stop(self):
        """停止计时器并将时间记录在列表中"""
        self.times.append(time.time() - self.tik)
        return self.times[-1]

    def avg(self):
        """返回平均时间"""
        return sum(self.times) / len(self.times)

    def sum(self):
        """返回时间总和"""
        return sum(self.times)

    def cumsum(self):
        """返回累计时间"""
        return np.array(self.times).cumsum().tolist()


# ---------------------------------------------------------------------------
# Linear regression (3.2, 3.3)


def synthetic_data(w, b, num_examples):
    """生成y=Xw+b+噪声"""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def linreg(X, w, b):
    """线性回归模型 (3.2, saved into d2l)"""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """均方损失 (3.2, saved into d2l)"""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """小批量随机梯度下降"""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def load_array(data_arrays, batch_size, is_train=True, drop_last=False):
    """构造一个PyTorch数据迭代器

    ``drop_last`` (default False, the book's behaviour) is the ``--drop-last`` flag.
    """
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train, drop_last=drop_last)


# ---------------------------------------------------------------------------
# Fashion-MNIST (3.5) without torchvision

FASHION_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
SYSTEM_DATA_DIR = "/usr/share/datasets/fashion-mnist"


def _repo_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _has_fashion_files(folder):
    return all(
        os.path.isfile(os.path.join(folder, name)) or os.path.isfile(os.path.join(folder, name + ".gz"))
        for pair in FASHION_FILES.values() for name in pair
    )


def find_fashion_mnist(data_dir=None):
    """The folder holding the four Fashion-MNIST IDX files (raw or .gz).

    A folder named by ``--data-dir``, else ``$D2L_DATA_DIR``, must hold them
    (itself or its FashionMNIST/raw). Else tried in order: ``../data/FashionMNIST/raw`` and
    ``data/FashionMNIST/raw`` (from the current folder, as the book's
    ``root="../data"``; then from the repository root), then
    /usr/share/datasets/fashion-mnist. Raises FileNotFoundError listing them.
    """
    # A folder the user named must hold the files (no fallback hiding a typo).
    for given, how in ((data_dir, "--data-dir"), (os.environ.get("D2L_DATA_DIR"), "$D2L_DATA_DIR")):
        if given:
            for folder in (given, os.path.join(given, "FashionMNIST", "raw")):
                if _has_fashion_files(folder):
                    return folder
            raise FileNotFoundError(
                f"{how} {given} does not hold Fashion-MNIST (nor its FashionMNIST/raw); "
                "pass the folder that has them")
    candidates = []
    root = _repo_root()
    candidates += [
        os.path.join("..", "data", "FashionMNIST", "raw"),
        os.path.join("data", "FashionMNIST", "raw"),
        os.path.join(root, "..", "data", "FashionMNIST", "raw"),
        os.path.join(root, "data", "FashionMNIST", "raw"),
        SYSTEM_DATA_DIR,
    ]
    for folder in candidates:
        if _has_fashion_files(folder):
            return folder
    names = ", ".join(FASHION_FILES["train"] + FASHION_FILES["test"])
    raise FileNotFoundError(
        f"Fashion-MNIST not found: need {names} (raw or .gz) in one of: "
        + "; ".join(candidates)
        + ". Pass --data-dir DIR, set D2L_DATA_DIR, or install Debian's "
        "dataset-fashion-mnist package"
    )


def _read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype_code, ndim = raw[0] * 256 + raw[1], raw[2], raw[3]
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    array = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    return torch.from_numpy(array.copy()).reshape(shape)


def _idx_path(folder, name):
    path = os.path.join(folder, name)
    return path if os.path.isfile(path) else path + ".gz"


def fashion_mnist(train, data_dir=None):
    """Mirrors ``torchvision.datasets.FashionMNIST(..., transform=transforms.ToTensor())``.

    A TensorDataset of (N x 1 x 28 x 28 float32 in [0, 1], int64 labels): each
    image is ToTensor's ``uint8.to(float32).div(255)`` (same values).
    """
    folder = find_fashion_mnist(data_dir)
    images_name, labels_name = FASHION_FILES["train" if train else "test"]
    images = _read_idx(_idx_path(folder, images_name))
    labels = _read_idx(_idx_path(folder, labels_name))
    images = images.reshape(-1, 1, 28, 28).to(dtype=torch.get_default_dtype()).div(255)
    return data.TensorDataset(images, labels.to(torch.int64))


def get_fashion_mnist_labels(labels):
    """返回Fashion-MNIST数据集的文本标签"""
    text_labels = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat',
                   'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot']
    return [text_labels[int(i)] for i in labels]


def get_dataloader_workers():
    """The book uses 4 worker processes; 0 makes the same draws and batches."""
    return 0


class Resized:
    """A DataLoader whose image batches are resized to ``size`` x ``size``.

    Stands in for ``transforms.Resize(size)``; ``iter()`` is the wrapped
    loader's, so the generator draws are the same.
    """

    def __init__(self, loader, size):
        self.loader = loader
        self.size = size

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        for X, y in self.loader:
            yield torch.nn.functional.interpolate(
                X, size=(self.size, self.size), mode="bilinear", align_corners=False
            ), y


def load_data_fashion_mnist(batch_size, resize=None, data_dir=None):
    """下载Fashion-MNIST数据集，然后将其加载到内存中"""
    mnist_train = fashion_mnist(train=True, data_dir=data_dir)
    mnist_test = fashion_mnist(train=False, data_dir=data_dir)
    loaders = (data.DataLoader(mnist_train, batch_size, shuffle=True,
                               num_workers=get_dataloader_workers()),
               data.DataLoader(mnist_test, batch_size, shuffle=False,
                               num_workers=get_dataloader_workers()))
    if resize:
        return tuple(Resized(loader, resize) for loader in loaders)
    return loaders


# ---------------------------------------------------------------------------
# Softmax regression (3.6, 3.7)


def accuracy(y_hat, y):
    """计算预测正确的数量"""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    """计算在指定数据集上模型的精度"""
    if isinstance(net, torch.nn.Module):
        net.eval()  # 将模型设置为评估模式
    metric = Accumulator(2)  # 正确预测数、预测总数
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


class Accumulator:
    """在n个变量上累加"""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def train_epoch_ch3(net, train_iter, loss, updater):
    """训练模型一个迭代周期（定义见第3章）"""
    # 将模型设置为训练模式
    if isinstance(net, torch.nn.Module):
        net.train()
    # 训练损失总和、训练准确度总和、样本数
    metric = Accumulator(3)
    for X, y in train_iter:
        # 计算梯度并更新参数
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            # 使用PyTorch内置的优化器和损失函数
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            # 使用定制的优化器和损失函数
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    # 返回训练损失和训练精度
    return metric[0] / metric[2], metric[1] / metric[2]


class MetricsLog:
    """Stands in for the book's Animator: records what ``animator.add`` gets.

    ``path`` (``--metrics FILE``) receives one JSON object per epoch:
    ``{"epoch": 1, "train_loss": ..., "train_acc": ..., "test_acc": ...}``,
    floats at full precision (Python's repr). None: nothing is written.
    """

    def __init__(self, path):
        self.path = path
        self.rows = []
        if path:
            open(path, "w").close()

    def add(self, epoch, values):
        train_loss, train_acc, test_acc = values
        row = {"epoch": epoch, "train_loss": train_loss,
               "train_acc": train_acc, "test_acc": test_acc}
        self.rows.append(row)
        print(f"epoch {epoch}: train loss {train_loss:.4f}, train acc {train_acc:.4f}, "
              f"test acc {test_acc:.4f}", file=sys.stderr)
        if self.path:
            with open(self.path, "a") as f:
                f.write(json.dumps(row) + "\n")


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater, metrics_path=None,
              divergence=None, figure=None):
    """训练模型（定义见第3章）

    Beside the book's Animator (drawn as ``figure`` when figures are drawn) a
    MetricsLog (``metrics_path``) prints and records each epoch. The book's closing
    asserts are checked but reported as one stderr note, so that flag variants
    (fewer epochs, other rates) still run to the end. ``divergence``:
    (lr, default_lr[, cause]) for check_finite_loss, as the C++ TrainReport.
    Returns every epoch's metrics (dicts as in the metrics file), as the C++
    train_ch3 does.
    """
    metrics = MetricsLog(metrics_path)
    animator = Animator(xlabel='epoch', xlim=[1, num_epochs], ylim=[0.3, 0.9],
                        legend=['train loss', 'train acc', 'test acc'], name=figure)
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        if divergence is not None:
            check_finite_loss(train_metrics[0], epoch + 1, *divergence)
        test_acc = evaluate_accuracy(net, test_iter)
        metrics.add(epoch + 1, train_metrics + (test_acc,))
        animator.add(epoch + 1, train_metrics + (test_acc,))
    train_loss, train_acc = train_metrics
    # The book asserts these after its own run; other settings need not meet
    # them: one note naming the values that do not (the C++ train_ch3's).
    failures = []
    if not train_loss < 0.5:
        failures.append(f"train loss {train_loss:.4f}")
    if not (train_acc <= 1 and train_acc > 0.7):
        failures.append(f"train accuracy {train_acc:.4f}")
    if not (test_acc <= 1 and test_acc > 0.7):
        failures.append(f"test accuracy {test_acc:.4f}")
    if failures:
        print("note: the book's end-of-training check (train loss < 0.5, accuracies in "
              "(0.7, 1], meant for its 10 epochs at lr 0.1, batch size 256) does not hold "
              f"here: {', '.join(failures)}", file=sys.stderr)
    return metrics.rows


def predict_ch3(net, test_iter, n=6, figure=None):
    """预测标签（定义见第3章）

    Makes no random draw itself; the loop over test_iter makes the loader's
    draw. The figure is drawn as ``figure`` when figures are drawn; its titles
    are returned.
    """
    for X, y in test_iter:
        break
    trues = get_fashion_mnist_labels(y)
    preds = get_fashion_mnist_labels(net(X).argmax(axis=1))
    titles = [true + '\n' + pred for true, pred in zip(trues, preds)]
    show_images(X[0:n].reshape((n, 28, 28)), 1, n, titles=titles[0:n], name=figure)
    return titles[0:n]


def main_guard(body):
    """Runs ``body()``; a missing data set or a diverging training is one line
    on stderr and exit 1, as in the C++ sections."""
    try:
        body()
    except (FileNotFoundError, DivergenceError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
