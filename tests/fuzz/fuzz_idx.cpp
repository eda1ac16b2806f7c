// libFuzzer target: the IDX reader (d2l::read_idx_images / read_idx_labels,
// raw and gzip, through the public API) against a simple reference decoder
// written here from the format's definition, so that a wrong answer counts
// as much as a crash: both must accept the same inputs, with the same shape
// and bytes, and the reader may fail only with DataError.
//
// Input: one byte choosing images (odd) or labels (even), then the file.
// Run: scripts/fuzz.sh (seed corpus: tests/fuzz/corpus/idx).
#include <d2l/error.h>
#include <d2l/fashion_mnist.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace {

// Inputs that decompress to more than this are skipped (speed, not safety:
// the reader bounds its allocations by the file's size itself).
constexpr size_t kMaxDecoded = size_t{16} << 20;

[[noreturn]] void disagree(const std::string& what) {
  std::fprintf(
      stderr, "fuzz_idx: reader and reference disagree: %s\n", what.c_str());
  std::abort();
}

struct Decoded {
  bool ok = false;
  bool too_big = false;
  std::vector<uint8_t> bytes;
};

// The file's bytes: raw, or every member of a gzip file inflated in turn
// (after a member, only another member's 1f 8b or the end may follow, or
// zero bytes up to the end: padding, which gzip(1) and Python accept).
Decoded decode(const uint8_t* data, size_t size) {
  Decoded out;
  if (size < 2 || data[0] != 0x1f || data[1] != 0x8b) {
    out.ok = true;
    out.bytes.assign(data, data + size);
    return out;
  }
  size_t pos = 0;
  std::vector<uint8_t> chunk(1 << 16);
  while (true) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
      return out;
    }
    zs.next_in = const_cast<uint8_t*>(data + pos);
    zs.avail_in = static_cast<uInt>(size - pos);
    int rc = Z_OK;
    while (rc == Z_OK) {
      zs.next_out = chunk.data();
      zs.avail_out = static_cast<uInt>(chunk.size());
      rc = inflate(&zs, Z_NO_FLUSH);
      out.bytes.insert(
          out.bytes.end(),
          chunk.data(),
          chunk.data() + (chunk.size() - zs.avail_out));
      if (out.bytes.size() > kMaxDecoded) {
        inflateEnd(&zs);
        out.too_big = true;
        return out;
      }
    }
    pos = size - zs.avail_in;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) {
      return out;  // corrupt or truncated
    }
    if (std::all_of(
            data + pos, data + size, [](uint8_t b) { return b == 0; })) {
      out.ok = true;
      return out;
    }
    if (size - pos < 2 || data[pos] != 0x1f || data[pos + 1] != 0x8b) {
      return out;  // trailing garbage
    }
  }
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

struct Idx {
  std::vector<int64_t> dims;
  std::vector<uint8_t> payload;
};

// IDX: magic (0x0803 images, 3 dims; 0x0801 labels, 1 dim), one big-endian
// uint32 per dimension (all but the first non-zero), then exactly their
// product of bytes. Plus the reader's documented cap: one item (the
// dimensions after the first) is at most 2^48 bytes, even with no items.
std::optional<Idx> parse(const std::vector<uint8_t>& b, uint32_t magic) {
  const size_t ndims = magic & 0xFF;
  const size_t header = 4 * (1 + ndims);
  if (b.size() < header || be32(b.data()) != magic) {
    return std::nullopt;
  }
  Idx idx;
  uint64_t payload = 1;
  uint64_t item = 1;
  for (size_t i = 0; i < ndims; ++i) {
    const uint32_t d = be32(b.data() + 4 * (i + 1));
    if (i > 0 && d == 0) {
      return std::nullopt;
    }
    if (i > 0 && (__builtin_mul_overflow(item, uint64_t{d}, &item) ||
                  item > (uint64_t{1} << 48))) {
      return std::nullopt;
    }
    idx.dims.push_back(d);
    if (__builtin_mul_overflow(payload, uint64_t{d}, &payload)) {
      return std::nullopt;  // more than any file holds
    }
  }
  if (payload != b.size() - header) {
    return std::nullopt;
  }
  idx.payload.assign(b.begin() + static_cast<std::ptrdiff_t>(header), b.end());
  return idx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  const bool images = (data[0] & 1) != 0;
  ++data;
  --size;
  const Decoded decoded = decode(data, size);
  if (decoded.too_big) {
    return 0;
  }
  const uint32_t magic = images ? 0x00000803 : 0x00000801;
  const auto expected =
      decoded.ok ? parse(decoded.bytes, magic) : std::optional<Idx>();

  const int fd = memfd_create("fuzz_idx", 0);
  if (fd < 0 || (size > 0 && write(fd, data, size) != ssize_t(size))) {
    std::abort();
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  std::optional<torch::Tensor> got;
  try {
    got = images ? d2l::read_idx_images(path) : d2l::read_idx_labels(path);
  } catch (const d2l::DataError&) {
    got.reset();
  }
  close(fd);

  if (got.has_value() != expected.has_value()) {
    disagree(
        got ? "the reader accepted an invalid file"
            : "the reader rejected a valid file");
  }
  if (!got) {
    return 0;
  }
  if (got->sizes().vec() != expected->dims) {
    disagree("shapes differ");
  }
  const auto bytes = got->to(torch::kUInt8).contiguous();
  if (bytes.numel() != static_cast<int64_t>(expected->payload.size()) ||
      (bytes.numel() > 0 && std::memcmp(
                                bytes.data_ptr<uint8_t>(),
                                expected->payload.data(),
                                expected->payload.size()) != 0)) {
    disagree("bytes differ");
  }
  return 0;
}
