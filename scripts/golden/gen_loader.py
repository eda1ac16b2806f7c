#!/usr/bin/python3
"""Golden batch orders of torch.utils.data.DataLoader for tests/test_data.cpp.

Regenerate: /usr/bin/python3 scripts/golden/gen_loader.py > tests/golden/loader.txt
For each case (n, batch_size, shuffle, drop_last) and seed: two full passes
over DataLoader(TensorDataset(arange(n)), ...), one line per pass listing the
visiting order (every element of every batch served, in order), then `torch.rand(3)` drawn
afterwards (proves the default generator was consumed exactly as Python's).
Also a case that abandons an iterator after one batch (`next(iter(loader))`).
"""
import torch
from torch.utils import data

CASES = [(1000, 10, True, False), (60, 7, True, False), (60, 7, True, True),
         (25, 8, False, False), (25, 8, False, True), (5, 10, True, False)]

for seed in (0, 3):
    for n, bs, shuffle, drop_last in CASES:
        torch.manual_seed(seed)
        ds = data.TensorDataset(torch.arange(n))
        loader = data.DataLoader(ds, bs, shuffle=shuffle, drop_last=drop_last)
        tag = f"{seed} {n} {bs} {int(shuffle)} {int(drop_last)}"
        for p in range(2):
            order = []
            for (x,) in loader:
                order.extend(x.tolist())
            print(f"pass {tag} {p}", *order)
        print(f"rand {tag}", *[f"{v:.9g}" for v in torch.rand(3).tolist()])
    torch.manual_seed(seed)
    loader = data.DataLoader(data.TensorDataset(torch.arange(100)), 10, shuffle=True)
    (x,) = next(iter(loader))
    print(f"peek {seed}", *x.tolist())
    print(f"peekrand {seed}", *[f"{v:.9g}" for v in torch.rand(3).tolist()])

# d2l.synthetic_data(tensor([2, -3.4]), 4.2, 1000) at seed 0: a few exact values
# (float.hex) and the generator state afterwards.
def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


torch.manual_seed(0)
X, y = synthetic_data(torch.tensor([2, -3.4]), 4.2, 1000)
print("synthetic X", *[float(v).hex() for v in (X[0, 0], X[0, 1], X[999, 1])])
print("synthetic y", *[float(v).hex() for v in (y[0, 0], y[500, 0], y[999, 0])])
print("synthetic rand", *[f"{v:.9g}" for v in torch.rand(3).tolist()])
