#!/usr/bin/python3
"""Reference for d2l-zh 2.0.0 section 3.1 (linear-regression.md), PyTorch cells.

Prints on stdout exactly what the book's cells print ('Out[k]:' values as
their repr), so it can be compared with the C++ executable
build/chapters/3.1-linear-regression/3.1-linear-regression:

    /usr/bin/python3 scripts/reference/3.1-linear-regression.py [--seed N] [--threads N]

Flags: --seed (0), --threads (1 = the book's, 0 = torch's own choice); --out, --no-figures and
--device cpu are accepted and ignored. The figure of cell 7 is not drawn
(its densities are still computed). This section makes no random draws.
"""
import numeric_setup  # noqa: F401  (first: the book's BLAS set-up, before OpenBLAS loads)
import math

import numpy as np
import torch

import d2l_torch as d2l


def main(args):
    # cell 2: two vectors of ones
    n = 10000
    a = torch.ones([n])
    b = torch.ones([n])

    # cell 3: Timer (d2l.Timer)
    Timer = d2l.Timer

    # cell 4: add them element by element
    c = torch.zeros(n)
    timer = Timer()
    for i in range(n):
        c[i] = a[i] + b[i]
    d2l.show(f'{timer.stop():.5f} sec')

    # cell 5: the vectorized add
    timer.start()
    d = a + b
    d2l.show(f'{timer.stop():.5f} sec')

    # cell 6: the normal density
    def normal(x, mu, sigma):
        p = 1 / math.sqrt(2 * math.pi * sigma**2)
        return p * np.exp(-0.5 / sigma**2 * (x - mu)**2)

    # cell 7: the three densities (plotted in the book; not drawn here)
    x = np.arange(-7, 7, 0.01)
    params = [(0, 1), (0, 2), (3, 1)]
    ys = [normal(x, mu, sigma) for mu, sigma in params]
    del c, d, ys


if __name__ == '__main__':
    args = d2l.parser(__doc__).parse_args()
    d2l.setup(args, report_blas=True)  # numbers pass through BLAS
    main(args)
