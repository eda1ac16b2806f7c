#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/*): small
valid and almost-valid inputs, from which libFuzzer mutates.

  idx/  a mode byte (1: images, 0: labels), then an IDX file: raw, gzip,
        multi-member gzip, a first dimension of 0, a bad magic, trailing
        bytes, a truncated gzip member, gzip with zero padding after it
        (accepted) and with garbage after the padding (refused)
  cli/  command lines of a section, arguments separated by NUL bytes
  gnuplot/  a figure's PNG and SVG paths, x and y labels, then legend
        entries and image titles in turns, each ended as FuzzedDataProvider's
        ConsumeRandomLengthString ends a string (a backslash and another
        byte; two backslashes are one): the book's texts, and paths and
        texts that once ran commands (newlines, backquotes, quotes)

Regenerate: python3 tests/fuzz/make_corpus.py (standard library only; gzip
output is made with mtime 0, so the files do not change).
"""
import gzip
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def idx(magic, dims, payload):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload


def gz(data):
    return gzip.compress(data, mtime=0)


def write(folder, name, data):
    os.makedirs(os.path.join(HERE, "corpus", folder), exist_ok=True)
    with open(os.path.join(HERE, "corpus", folder, name), "wb") as f:
        f.write(data)


def main():
    images = idx(0x803, [2, 3, 3], bytes(range(18)))
    labels = idx(0x801, [5], bytes([3, 1, 4, 1, 5]))
    write("idx", "images_raw", b"\x01" + images)
    write("idx", "images_gz", b"\x01" + gz(images))
    write("idx", "images_two_members", b"\x01" + gz(images[:9]) + gz(images[9:]))
    write("idx", "images_empty_set", b"\x01" + idx(0x803, [0, 28, 28], b""))
    # Found by fuzz_idx on LibTorch 2.6: no items, but 2^32 x 2^32 each.
    write("idx", "images_empty_set_huge_items",
          b"\x01" + idx(0x803, [0, 0xFFFFFFFF, 0xFFFFFFFF], b""))
    write("idx", "labels_raw", b"\x00" + labels)
    write("idx", "labels_gz", b"\x00" + gz(labels))
    write("idx", "labels_bad_magic", b"\x00" + idx(0x803, [5], bytes(5)))
    write("idx", "labels_trailing", b"\x00" + labels + b"\x00")
    write("idx", "labels_truncated_gz", b"\x00" + gz(labels)[:-6])
    write("idx", "labels_gz_zero_padded", b"\x00" + gz(labels) + bytes(512))
    write("idx", "labels_gz_padding_then_garbage",
          b"\x00" + gz(labels) + bytes(3) + b"x")
    for name, args in {
        "defaults": [],
        "training": ["--lr", "0.1", "--epochs", "2", "--batch-size", "256"],
        "common": ["--seed", "7", "--threads", "2", "--out", "figs", "--device", "cpu"],
        "files": ["--data-dir", "data", "--metrics", "m.jsonl"],
        "bad": ["--lr", "nan", "--epochs", "-1", "--batch-size", "9223372036854775808"],
    }.items():
        write("cli", name, b"\x00".join(a.encode() for a in args))

    def fields(*texts):
        return b"".join(t.replace(b"\\", b"\\\\") + b"\\ " for t in texts)

    write("gnuplot", "book", fields(
        b"out/3.6_cell19_fig1.png", b"out/3.6_cell19_fig1.svg", b"epoch", b"",
        b"train loss", b"t-shirt\ntrouser", b"train acc", b"pullover\ndress"))
    write("gnuplot", "unicode", fields(
        "/tmp/输出/f.png".encode(), "/tmp/输出/f.svg".encode(),
        "迭代周期".encode(), b"p(x)", "训练损失".encode(), b"", b"", b""))
    write("gnuplot", "injection", fields(
        b"d/x\nsystem(\"id > PWNED\")\n#.png", b"d/'`id`'.svg",
        b"`touch PWNED`", b"\";system(\"id\");\"", b"@GPVAL_TERM",
        b"a\\\"b\r\t\x00\x7f", b"\xff\xfe", b"'\n'"))


if __name__ == "__main__":
    main()
