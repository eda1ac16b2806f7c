// The IDX file format (the MNIST family's), raw or gzip-compressed: what
// torchvision's read_image_file / read_label_file read.
#pragma once

#include <torch/torch.h>

#include <filesystem>

namespace d2l {

/// Mirrors the reading half of torchvision's `read_image_file`: the images of
/// an IDX file with magic 0x00000803 (unsigned bytes, 3 dimensions), as a
/// uint8 tensor of shape N x rows x cols. The file is gzip-compressed
/// (`*-ubyte.gz`, recognised by its content; zero bytes of padding after the
/// last member are ignored, as gzip(1) and Python's gzip module do) or raw
/// (`*-ubyte`). Any rows and cols are accepted. Throws DataError naming the
/// file and the problem (its remedy: kReinstall for what is in the file,
/// else what fixes the entry): no such file, not a file (named as what it is: a
/// folder, a FIFO, a device, a socket, a symlink loop or a broken symlink;
/// never opened for reading, so a FIFO cannot block), permission denied, bad
/// magic, wrong dimension count, truncated, trailing data, corrupt gzip. A
/// header announcing more data than the file can hold is rejected before
/// anything that size is allocated; OutOfMemoryError when the memory for
/// the contents cannot be had.
torch::Tensor read_idx_images(const std::filesystem::path& path);

/// Mirrors torchvision's `read_label_file`: the labels of an IDX file with
/// magic 0x00000801 (unsigned bytes, 1 dimension) as an int64 tensor of
/// shape N. Same formats and errors as `read_idx_images`.
torch::Tensor read_idx_labels(const std::filesystem::path& path);

}  // namespace d2l
