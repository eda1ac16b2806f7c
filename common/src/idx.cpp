#include "d2l/idx.h"

#include <c10/util/Exception.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "d2l/error.h"
#include "file_entry.h"

namespace d2l {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, 3 dims
constexpr uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, 1 dim
// Sanity cap on one file's payload (256 TiB): far above any real dataset,
// below where a product of dimensions could overflow.
constexpr uint64_t kMaxPayload = uint64_t{1} << 48;
// Deflate cannot expand one compressed byte into more than 1032 bytes.
constexpr uint64_t kMaxDeflateRatio = 1032;
// Read and growth granularity.
constexpr size_t kChunk = size_t{1} << 20;

// What is wrong with the file's content: a damaged file.
[[noreturn]] void fail(const fs::path& path, const std::string& what) {
  throw DataError(path.string() + ": " + what, DataError::Remedy::kDamaged);
}

// What is wrong with what is at the path (no such file, not a regular file,
// no permission): the file is not at fault.
[[noreturn]] void entry_problem(
    const std::string& what, DataError::Remedy remedy) {
  throw DataError(what, remedy);
}

// Memory the limit does not leave: not the file's fault.
[[noreturn]] void out_of_memory(const fs::path& path, uint64_t bytes) {
  throw OutOfMemoryError(
      path.string() + ": out of memory for " + std::to_string(bytes) +
      " bytes");
}

// A uint8 tensor of `bytes` elements, or OutOfMemoryError.
torch::Tensor allocate(const fs::path& path, uint64_t bytes) {
  try {
    return torch::empty({static_cast<int64_t>(bytes)}, torch::kUInt8);
  } catch (const c10::Error&) {
    out_of_memory(path, bytes);
  } catch (const std::bad_alloc&) {
    out_of_memory(path, bytes);
  }
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

uint32_t big_endian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// A stream of the file's (decompressed) bytes.
class Source {
 public:
  virtual ~Source() = default;
  // Reads up to `n` bytes into `dst`; fewer only at the end of the data.
  virtual size_t read(uint8_t* dst, size_t n) = 0;
  // The most bytes the rest of the stream could possibly hold.
  virtual uint64_t max_remaining() const = 0;
  // True when the stream is known to hold exactly `total` bytes in all,
  // so a buffer that size can be allocated at once.
  virtual bool probably_holds(uint64_t total) const = 0;
  // Why `payload` bytes cannot follow the header (for the message).
  virtual std::string cannot_hold(uint64_t file_size) const = 0;
};

// A raw (uncompressed) file: its size is known exactly.
class RawSource : public Source {
 public:
  RawSource(std::FILE* f, const fs::path& path, uint64_t size)
      : f_(f), path_(path), size_(size) {}

  size_t read(uint8_t* dst, size_t n) override {
    const size_t got = std::fread(dst, 1, n, f_);
    if (got < n && std::ferror(f_)) {
      fail(path_, std::string("read error: ") + std::strerror(errno));
    }
    consumed_ += got;
    return got;
  }
  uint64_t max_remaining() const override {
    return size_ > consumed_ ? size_ - consumed_ : 0;
  }
  bool probably_holds(uint64_t total) const override {
    return total <= size_;
  }
  std::string cannot_hold(uint64_t /*file_size*/) const override {
    return "only " + std::to_string(max_remaining()) + " follow";
  }

 private:
  std::FILE* f_;
  const fs::path& path_;
  uint64_t size_;
  uint64_t consumed_ = 0;
};

// A gzip file (one or more members), inflated in chunks as it is read.
class GzipSource : public Source {
 public:
  GzipSource(std::FILE* f, const fs::path& path, uint64_t size)
      : f_(f), path_(path), size_(size), in_(kChunk) {
    std::memset(&zs_, 0, sizeof zs_);
    if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) {
      fail(path_, "cannot initialise zlib");
    }
    // The gzip trailer's ISIZE (uncompressed size mod 2^32) of the last
    // member: only a hint, a truncated or forged file can say anything.
    uint8_t trailer[4];
    if (size_ >= 18 && std::fseek(f_, -4, SEEK_END) == 0 &&
        std::fread(trailer, 1, 4, f_) == 4) {
      isize_ = uint32_t{trailer[0]} | (uint32_t{trailer[1]} << 8) |
               (uint32_t{trailer[2]} << 16) | (uint32_t{trailer[3]} << 24);
      has_isize_ = true;
    }
    std::rewind(f_);
  }
  ~GzipSource() override {
    inflateEnd(&zs_);
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  size_t read(uint8_t* dst, size_t n) override {
    size_t produced = 0;
    while (produced < n && !done_) {
      if (zs_.avail_in == 0 && fill(1) == 0) {
        fail(path_, "truncated gzip data (unexpected end of file)");
      }
      const size_t want = std::min<size_t>(n - produced, UINT_MAX);
      zs_.next_out = dst + produced;
      zs_.avail_out = static_cast<uInt>(want);
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      produced += want - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        next_member();
      } else if (rc == Z_BUF_ERROR && zs_.avail_in == 0) {
        continue;  // needs more input: refilled above
      } else if (rc != Z_OK) {
        fail(
            path_,
            std::string("corrupt gzip data (") +
                (zs_.msg != nullptr ? zs_.msg : zError(rc)) + ")");
      }
    }
    return produced;
  }
  uint64_t max_remaining() const override {
    // Slack for what inflate holds internally (at most one match).
    const uint64_t left = size_ > consumed_ ? size_ - consumed_ : 0;
    return (left + zs_.avail_in) * kMaxDeflateRatio + 1024;
  }
  bool probably_holds(uint64_t total) const override {
    return has_isize_ && isize_ == static_cast<uint32_t>(total);
  }
  std::string cannot_hold(uint64_t file_size) const override {
    return "a gzip file of " + std::to_string(file_size) +
           " bytes cannot decompress to that much";
  }

 private:
  // Makes at least `k` unread input bytes available unless the file ends;
  // returns how many are available.
  size_t fill(size_t k) {
    if (zs_.avail_in >= k) {
      return zs_.avail_in;
    }
    // Before the first read next_in is null, and memmove's arguments must
    // be valid pointers even for a length of 0.
    if (zs_.avail_in > 0) {
      std::memmove(in_.data(), zs_.next_in, zs_.avail_in);
    }
    size_t have = zs_.avail_in;
    while (have < k) {
      const size_t got =
          std::fread(in_.data() + have, 1, in_.size() - have, f_);
      if (got == 0) {
        if (std::ferror(f_)) {
          fail(path_, std::string("read error: ") + std::strerror(errno));
        }
        break;
      }
      have += got;
      consumed_ += got;
    }
    zs_.next_in = in_.data();
    zs_.avail_in = static_cast<uInt>(have);
    return have;
  }

  // After a member's end: another member follows, or the file ends.
  void next_member() {
    const size_t have = fill(2);
    if (have == 0) {
      done_ = true;
    } else if (have >= 2 && zs_.next_in[0] == 0x1f && zs_.next_in[1] == 0x8b) {
      inflateReset(&zs_);
    } else {
      skip_zero_padding();
    }
  }

  // Zero bytes up to the end of the file are padding (tape and block
  // devices add it), which gzip(1) and Python's gzip module accept; anything
  // else is refused, a member after the zeros too (gzip(1) ignores it with a
  // warning, Python reads it: no answer is the same for both).
  void skip_zero_padding() {
    uint64_t zeros = 0;
    while (fill(1) > 0) {
      uint8_t* const end = zs_.next_in + zs_.avail_in;
      const uint8_t* const other =
          std::find_if(zs_.next_in, end, [](uint8_t b) { return b != 0; });
      if (other != end) {
        zeros += other - zs_.next_in;
        fail(
            path_,
            "trailing garbage after the gzip data" +
                (zeros == 0 ? std::string()
                            : " (after " + std::to_string(zeros) +
                                  " zero bytes of padding)"));
      }
      zeros += zs_.avail_in;
      zs_.next_in = end;
      zs_.avail_in = 0;
    }
    done_ = true;
  }

  std::FILE* f_;
  const fs::path& path_;
  uint64_t size_;
  uint64_t consumed_ = 0;
  std::vector<uint8_t> in_;
  z_stream zs_;
  bool done_ = false;
  bool has_isize_ = false;
  uint32_t isize_ = 0;
};

// Reads an IDX file of unsigned bytes whose magic must be `magic` (its low
// byte is the number of dimensions) into a uint8 tensor of those
// dimensions, validating everything on the way.
torch::Tensor read_idx(const fs::path& path, uint32_t magic) {
  const uint32_t ndims = magic & 0xFF;
  const Inspection entry = inspect(path);
  if (entry.entry == Entry::kAbsent) {
    entry_problem(path.string() + ": no such file", DataError::Remedy::kNone);
  }
  if (entry.entry == Entry::kOther) {
    entry_problem(entry.problem, entry.remedy);
  }
  // Non-blocking, and the type checked again on what was opened: a FIFO put
  // there since the check above is then refused, not waited on. Blocking
  // again once it is known to be a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == EACCES || errno == EPERM) {
      entry_problem(permission_denied(path), DataError::Remedy::kNone);
    }
    fail(path, std::string("cannot open: ") + std::strerror(errno));
  }
  File file(fdopen(fd, "rb"));
  if (!file) {
    const int err = errno;
    ::close(fd);
    fail(path, std::string("cannot open: ") + std::strerror(err));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    fail(path, std::string("cannot stat: ") + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    entry_problem(
        not_a_file(path, st.st_mode), DataError::Remedy::kReplaceEntry);
  }
  const int flags = fcntl(fd, F_GETFL);
  if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
    fail(path, std::string("cannot open: ") + std::strerror(errno));
  }
  const auto file_size = static_cast<uint64_t>(st.st_size);
  if (file_size == 0) {
    fail(path, "empty file");
  }

  // gzip or raw, told apart by content: IDX starts 00 00, gzip 1f 8b.
  uint8_t sig[2] = {0, 0};
  const size_t sig_len = std::fread(sig, 1, 2, file.get());
  std::rewind(file.get());
  std::unique_ptr<Source> source;
  if (sig_len == 2 && sig[0] == 0x1f && sig[1] == 0x8b) {
    source = std::make_unique<GzipSource>(file.get(), path, file_size);
  } else {
    source = std::make_unique<RawSource>(file.get(), path, file_size);
  }

  // Header: magic, then one big-endian uint32 per dimension.
  std::array<uint8_t, 4 * 4> header{};
  const size_t header_len = 4 * (1 + ndims);
  if (source->read(header.data(), 4) < 4) {
    fail(path, "too short for an IDX header");
  }
  const uint32_t got_magic = big_endian32(header.data());
  if (got_magic != magic) {
    std::string what = "bad magic number " + hex32(got_magic) + " (expected " +
                       hex32(magic) + ")";
    if ((got_magic & 0xFFFFFF00) == (magic & 0xFFFFFF00)) {
      what = "IDX file with " + std::to_string(got_magic & 0xFF) +
             " dimensions (expected " + std::to_string(ndims) + "; magic " +
             hex32(got_magic) + ", expected " + hex32(magic) + ")";
    } else if (path.extension() == ".gz") {
      what += "; neither an IDX nor a gzip file";
    }
    fail(path, what);
  }
  if (source->read(header.data() + 4, header_len - 4) < header_len - 4) {
    fail(path, "truncated IDX header");
  }
  std::vector<int64_t> dims;
  // The payload, and the size of one item (the dimensions after the first):
  // both capped, the item too when there are no items, since a tensor of
  // 0 x 2^32 x 2^32 would have strides that overflow.
  uint64_t payload = 1;
  uint64_t item = 1;
  for (uint32_t i = 0; i < ndims; ++i) {
    const uint32_t d = big_endian32(header.data() + 4 * (i + 1));
    if (i > 0 && d == 0) {
      fail(path, "dimension " + std::to_string(i) + " is 0");
    }
    if (d > 0 && payload > kMaxPayload / d) {
      payload = kMaxPayload + 1;  // flagged below; no overflow
    } else {
      payload *= d;
    }
    if (i > 0) {
      item = item > kMaxPayload / d ? kMaxPayload + 1 : item * d;
    }
    dims.push_back(d);
  }
  std::string shape;
  for (size_t i = 0; i < dims.size(); ++i) {
    shape += (i == 0 ? "" : " x ") + std::to_string(dims[i]);
  }
  const std::string claim = "the header announces " + shape;
  if (payload > kMaxPayload || item > kMaxPayload) {
    fail(path, claim + ", an implausible size");
  }
  // Reject a header that claims more than the file could hold before
  // allocating anything that size.
  if (payload > source->max_remaining()) {
    fail(
        path,
        "truncated: " + claim + " (" + std::to_string(payload) +
            " bytes) but " + source->cannot_hold(file_size));
  }

  // Payload, read straight into the tensor: allocated at once when the
  // size is known (raw file; gzip trailer agreeing, and then at most 1032
  // times the file), else grown with what actually arrives (resize_ keeps
  // what was read).
  uint64_t capacity = source->probably_holds(header_len + payload)
                          ? payload
                          : std::min<uint64_t>(payload, kChunk);
  torch::Tensor data = allocate(path, capacity);
  uint64_t filled = 0;
  while (filled < payload) {
    if (filled == capacity) {
      capacity = std::min<uint64_t>(payload, 2 * capacity);
      try {
        data.resize_({static_cast<int64_t>(capacity)});
      } catch (const c10::Error&) {
        out_of_memory(path, capacity);
      } catch (const std::bad_alloc&) {
        out_of_memory(path, capacity);
      }
    }
    const size_t got = source->read(
        data.data_ptr<uint8_t>() + filled,
        static_cast<size_t>(capacity - filled));
    filled += got;
    if (filled < capacity) {  // read() stops short only at the end
      fail(
          path,
          "truncated: " + claim + " (" + std::to_string(payload) +
              " bytes) but only " + std::to_string(filled) + " follow");
    }
  }
  uint8_t extra = 0;
  if (source->read(&extra, 1) != 0) {
    fail(
        path,
        "trailing data after the " + std::to_string(payload) +
            " bytes the header announces (" + shape + ")");
  }
  return data.view(dims);
}

}  // namespace

torch::Tensor read_idx_images(const fs::path& path) {
  return read_idx(path, kImagesMagic);
}

torch::Tensor read_idx_labels(const fs::path& path) {
  return read_idx(path, kLabelsMagic).to(torch::kInt64);
}

}  // namespace d2l
