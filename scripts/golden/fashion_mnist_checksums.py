#!/usr/bin/python3
"""Checksums of the real Fashion-MNIST files, for tests/test_fashion_mnist.cpp.

Reads Debian's dataset-fashion-mnist files (or the folder given as the first
argument) with gzip + numpy only, independently of the C++ reader, and prints
the values the test hard-codes, per split:

  count          number of images (= number of labels)
  first_label    label of example 0
  pixel_sum      sum of every uint8 pixel
  weighted_sum   sum over images i of (i + 1) * (sum of image i's pixels),
                 which also catches reordered images
  label_sum      sum of all labels

and, with Debian's python3-torch, the stand-in for transforms.Resize(64) of
scripts/reference/d2l_torch.py on the first 256 training images:

  resize64_bits  sum of the float32 results' bit patterns read as int32,
                 with the torch release and ATen CPU capability it ran with
                 (the unvectorised DEFAULT kernels round some pixels
                 differently from 2.6 on: run it with ATEN_CPU_CAPABILITY=
                 default, avx2 and avx512 for the test's table)

Regenerate with:  /usr/bin/python3 scripts/golden/fashion_mnist_checksums.py
"""
import gzip
import os
import sys

import numpy as np


def read_idx(path, magic, ndim):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    assert int.from_bytes(raw[0:4], "big") == magic, path
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big")
            for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    assert data.size == int(np.prod(dims)), path
    return data.reshape(dims)


def main():
    root = (sys.argv[1] if len(sys.argv) > 1
            else "/usr/share/datasets/fashion-mnist")
    for split in ("train", "t10k"):
        images = read_idx(
            os.path.join(root, f"{split}-images-idx3-ubyte.gz"), 0x803, 3)
        labels = read_idx(
            os.path.join(root, f"{split}-labels-idx1-ubyte.gz"), 0x801, 1)
        per_image = images.reshape(len(images), -1).sum(axis=1, dtype=np.int64)
        weights = np.arange(1, len(images) + 1, dtype=np.int64)
        print(f"{split}: count={len(images)} shape={list(images.shape[1:])} "
              f"first_label={int(labels[0])} "
              f"pixel_sum={int(per_image.sum())} "
              f"weighted_sum={int((per_image * weights).sum())} "
              f"label_sum={int(labels.sum(dtype=np.int64))}")
        if split == "train":
            train_images = images
    try:
        import torch
    except ImportError:
        print("resize64_bits: needs python3-torch")
        return
    x = torch.from_numpy(train_images[:256].copy()).reshape(-1, 1, 28, 28)
    x = x.to(torch.float32).div(255)  # transforms.ToTensor()
    y = torch.nn.functional.interpolate(
        x, size=(64, 64), mode="bilinear", align_corners=False)
    bits = y.contiguous().view(torch.int32).to(torch.int64).sum().item()
    # ATen's capability as the reference scripts (and d2l::aten_capability)
    # name it; imported after numpy, numeric_setup changes no BLAS set-up.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "reference"))
    import numeric_setup
    capability, _ = numeric_setup.aten()
    print(f"resize64_bits={bits} (torch {torch.__version__}, ATen {capability})")

if __name__ == "__main__":
    main()
