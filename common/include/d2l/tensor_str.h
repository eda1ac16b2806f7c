#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace d2l {

/// Mirrors Python's `repr(tensor)` in PyTorch 1.13 (torch/_tensor_str.py,
/// default print options: precision 4, threshold 1000, edgeitems 3,
/// linewidth 80): `tensor([-1.1258, -1.1524])`, sci mode
/// (`tensor([-9.0837e-05, -1.0216e-03], grad_fn=<SubBackward0>)`), integer
/// and bool tensors, multi-row alignment, summarisation with `...`, and the
/// suffixes Python adds (`dtype=...`, `requires_grad=True`,
/// `grad_fn=<...>`, `device=...`).
std::string repr(const torch::Tensor& t);

/// Mirrors `repr(torch.Size([...]))`: `torch.Size([1, 28, 28])`.
std::string repr_size(c10::IntArrayRef sizes);

/// Mirrors `repr(dtype)`: `torch.float32`, `torch.int64`, ...
std::string repr_dtype(c10::ScalarType dtype);

/// Mirrors Python's `repr(float)`: the shortest string that round-trips,
/// `0.5`, `0.0328`, `1e-05`, `100.0`, `inf`, `nan`.
std::string py_float(double value);

/// Mirrors Python's `repr(str)` for the strings the book displays:
/// `'0.05691 sec'` (single quotes; escapes quotes and backslashes).
std::string py_str(const std::string& value);

/// Mirrors Python's repr of a tuple of already-repr'd items: `(a, b)`,
/// and `(a,)` for one item.
std::string py_tuple(const std::vector<std::string>& items);

/// Mirrors Python's repr of a list of already-repr'd items: `[a, b]`.
std::string py_list(const std::vector<std::string>& items);

}  // namespace d2l
