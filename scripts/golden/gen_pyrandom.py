#!/usr/bin/python3
"""Golden values of Python's `random` for tests/test_pyrandom.cpp.

Regenerate: /usr/bin/python3 scripts/golden/gen_pyrandom.py > tests/golden/pyrandom.txt
Each line: `<case> <values...>` (space separated).
"""
import random

for seed in (0, 1, 42, 2**32 + 5, 12345678901234, -7):
    r = random.Random(seed)
    print(f"getrandbits32 {seed}", *[r.getrandbits(32) for _ in range(5)])
    r = random.Random(seed)
    print(f"randbelow {seed}", *[r._randbelow(n) for n in (1, 2, 3, 10, 1000, 2**31 + 3)])
    r = random.Random(seed)
    print(f"random {seed}", *[repr(r.random()) for _ in range(3)])
    r = random.Random(seed)
    x = list(range(20))
    r.shuffle(x)
    print(f"shuffle20 {seed}", *x)
# 3.2's peek batch: random.seed(0); shuffle(range(1000)); first 10
r = random.Random(0)
x = list(range(1000))
r.shuffle(x)
print("shuffle1000 0", *x[:10])
