#include "d2l/fashion_mnist.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <system_error>

#include "d2l/error.h"
#include "d2l/io.h"
#include "d2l/resource_limits.h"

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

constexpr const char* kInstallHint =
    "install it with `apt-get install dataset-fashion-mnist` "
    "(or scripts/setup.sh) or pass --data-dir";

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
  throw DataError(path.string() + ": " + what);
}

// Memory the limit does not leave: not the file's fault, so not a DataError
// (whose message blames the download).
[[noreturn]] void out_of_memory(const fs::path& path, std::size_t bytes) {
  throw Error(
      path.string() + ": out of memory for " + std::to_string(bytes) +
      " bytes" + memory_limit_hint());
}

// A problem with what is at a data file's path rather than in the file (no
// such file, not a regular file, no permission): its message is complete,
// and reinstalling the data is not the fix.
class EntryError : public DataError {
 public:
  using DataError::DataError;
};

std::string permission_denied(const fs::path& path) {
  return "permission denied: cannot read " + path.string() +
         " (check its permissions / run as a user who can read it)";
}

// "PATH is a FIFO (named pipe), not a file (...)" for an entry of type
// `mode` (from stat) that is not a regular file.
std::string not_a_file(const fs::path& path, mode_t mode) {
  return path.string() + " is " + file_type_name(mode) +
         ", not a file (replace it with the real file or pass another "
         "--data-dir)";
}

// What is at a path where a data file should be.
enum class Entry {
  kFile,    // a regular file (or a symlink to one)
  kAbsent,  // nothing
  kOther,   // something that cannot be read as a file; see `problem`
};

struct Inspection {
  Entry entry;
  // For kOther: one line naming the path, what is there and the fix.
  std::string problem;
};

// Looks at `path` without opening it (opening a FIFO for reading blocks
// until a writer comes; opening a device can have effects).
Inspection inspect(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISREG(st.st_mode)) {
      return {Entry::kFile, ""};
    }
    return {Entry::kOther, not_a_file(path, st.st_mode)};
  }
  const int err = errno;
  struct stat link {};
  const bool is_link =
      ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
  const std::string relink =
      " (point it at the real file or pass another --data-dir)";
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      if (is_link) {
        std::error_code ec;
        return {
            Entry::kOther,
            path.string() + " is a symlink to " +
                fs::read_symlink(path, ec).string() + ", which does not exist" +
                relink};
      }
      return {Entry::kAbsent, ""};
    case ELOOP:
      return {
          Entry::kOther,
          path.string() +
              (is_link ? " is a symlink loop"
                       : ": a folder on the way to it is a symlink loop") +
              ", or too long a chain of symlinks" + relink};
    case EACCES:
    case EPERM:
      return {Entry::kOther, permission_denied(path)};
    default:
      return {
          Entry::kOther,
          path.string() + ": cannot access: " + std::strerror(err)};
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

struct FreeDeleter {
  void operator()(uint8_t* p) const {
    std::free(p);
  }
};
using Buffer = std::unique_ptr<uint8_t, FreeDeleter>;

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
    throw EntryError(path.string() + ": no such file");
  }
  if (entry.entry == Entry::kOther) {
    throw EntryError(entry.problem);
  }
  // Non-blocking, and the type checked again on what was opened: a FIFO put
  // there since the check above is then refused, not waited on. Blocking
  // again once it is known to be a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == EACCES || errno == EPERM) {
      throw EntryError(permission_denied(path));
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
    throw EntryError(not_a_file(path, st.st_mode));
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

  // Payload: allocated at once when the size is known (raw file; gzip
  // trailer agreeing, and then at most 1032 times the file), else grown
  // with what actually arrives.
  size_t capacity = source->probably_holds(header_len + payload)
                        ? payload
                        : std::min<uint64_t>(payload, kChunk);
  Buffer buffer(
      static_cast<uint8_t*>(std::malloc(std::max<size_t>(capacity, 1))));
  if (!buffer) {
    out_of_memory(path, capacity);
  }
  size_t filled = 0;
  while (filled < payload) {
    if (filled == capacity) {
      capacity = std::min<uint64_t>(payload, 2 * uint64_t{capacity});
      auto* grown = static_cast<uint8_t*>(std::realloc(buffer.get(), capacity));
      if (grown == nullptr) {
        out_of_memory(path, capacity);
      }
      buffer.release();
      buffer.reset(grown);
    }
    const size_t got = source->read(buffer.get() + filled, capacity - filled);
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
  uint8_t* data = buffer.release();
  return torch::from_blob(
      data, dims, [](void* p) { std::free(p); }, torch::kUInt8);
}

// The four files, each raw or `.gz`.
const std::array<const char*, 4> kFileNames = {
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"};

struct DataFile {
  fs::path path;
  Inspection inspection;
};

// `dir/name` raw if it is a file, else `dir/name.gz` if it is one; neither
// being a file, the one that is there as something else (raw first), so
// that it is named as what it is, else `dir/name.gz` (absent).
DataFile data_file(const fs::path& dir, const std::string& name) {
  const fs::path raw = dir / name;
  const fs::path gz = dir / (name + ".gz");
  const Inspection raw_is = inspect(raw);
  if (raw_is.entry == Entry::kFile) {
    return {raw, raw_is};
  }
  const Inspection gz_is = inspect(gz);
  if (gz_is.entry != Entry::kFile && raw_is.entry == Entry::kOther) {
    return {raw, raw_is};
  }
  return {gz, gz_is};
}

// What `dir` holds of the four files.
struct FolderScan {
  // Names with nothing there ("train-images-idx3-ubyte[.gz]").
  std::vector<std::string> missing;
  // One line for each name with something there that is not a readable
  // file, or for the folder itself.
  std::vector<std::string> problems;

  bool complete() const {
    return missing.empty() && problems.empty();
  }
};

FolderScan scan_folder(const fs::path& dir) {
  FolderScan scan;
  // A folder that cannot be searched, or no folder: one line, not one per
  // file.
  struct stat st {};
  const bool exists = ::stat(dir.c_str(), &st) == 0;
  const bool denied =
      exists ? S_ISDIR(st.st_mode) &&
                   faccessat(AT_FDCWD, dir.c_str(), X_OK, AT_EACCESS) != 0 &&
                   errno == EACCES
             : errno == EACCES || errno == EPERM;
  if (denied) {
    scan.problems.push_back(permission_denied(dir));
    return scan;
  }
  if (exists && !S_ISDIR(st.st_mode)) {
    scan.problems.push_back(
        dir.string() + " is not a folder (name the folder that holds the " +
        "four files)");
    return scan;
  }
  for (const char* name : kFileNames) {
    const DataFile file = data_file(dir, name);
    if (file.inspection.entry == Entry::kAbsent) {
      scan.missing.push_back(std::string(name) + "[.gz]");
    } else if (file.inspection.entry == Entry::kOther) {
      scan.problems.push_back(file.inspection.problem);
    }
  }
  return scan;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : sep) + parts[i];
  }
  return out;
}

// Raw images and labels of one split, checked to be Fashion-MNIST.
std::pair<torch::Tensor, torch::Tensor> read_split(
    const fs::path& folder, bool train) {
  const std::string prefix = train ? "train" : "t10k";
  const fs::path images_path =
      data_file(folder, prefix + "-images-idx3-ubyte").path;
  const fs::path labels_path =
      data_file(folder, prefix + "-labels-idx1-ubyte").path;
  const std::string fix =
      " (a damaged download: reinstall it with "
      "`apt-get install --reinstall dataset-fashion-mnist`"
      " or pass another --data-dir)";
  torch::Tensor raw;
  torch::Tensor labels;
  try {
    raw = read_idx_images(images_path);
    labels = read_idx_labels(labels_path);
  } catch (const EntryError&) {
    throw;  // the path, not the download, is at fault: the message says why
  } catch (const DataError& e) {
    throw DataError(e.what() + fix);
  }
  if (raw.size(1) != 28 || raw.size(2) != 28) {
    fail(
        images_path,
        "images are " + std::to_string(raw.size(1)) + " x " +
            std::to_string(raw.size(2)) + ", not Fashion-MNIST's 28 x 28" +
            fix);
  }
  if (raw.size(0) != labels.size(0)) {
    fail(
        images_path,
        std::to_string(raw.size(0)) + " images but " + labels_path.string() +
            " has " + std::to_string(labels.size(0)) + " labels" + fix);
  }
  if (raw.size(0) == 0) {
    fail(images_path, "holds no images" + fix);
  }
  const auto bad = (labels > 9).nonzero();
  if (bad.size(0) > 0) {
    const int64_t i = bad[0][0].item<int64_t>();
    fail(
        labels_path,
        "label " + std::to_string(labels[i].item<int64_t>()) + " of example " +
            std::to_string(i) + " is outside 0..9" + fix);
  }
  return {raw, labels};
}

}  // namespace

torch::Tensor read_idx_images(const fs::path& path) {
  return read_idx(path, kImagesMagic);
}

torch::Tensor read_idx_labels(const fs::path& path) {
  return read_idx(path, kLabelsMagic).to(torch::kInt64);
}

torch::Tensor to_tensor(const torch::Tensor& images) {
  TORCH_CHECK(
      images.dim() == 3 && images.scalar_type() == torch::kUInt8,
      "to_tensor: expects uint8 N x H x W images, got ",
      images.scalar_type(),
      " ",
      images.sizes());
  // In place: the same kernel and values as `.div(255)`, one buffer less.
  return images.unsqueeze(1).to(torch::kFloat32).div_(255);
}

torch::Tensor resize_images(const torch::Tensor& images, int64_t size) {
  TORCH_CHECK(
      images.dim() == 4 && images.size(1) == 1 &&
          images.scalar_type() == torch::kFloat32,
      "resize_images: expects float32 N x 1 x H x W images, got ",
      images.scalar_type(),
      " ",
      images.sizes());
  TORCH_CHECK(size > 0, "resize_images: size must be positive, got ", size);
  namespace F = torch::nn::functional;
  const auto options = F::InterpolateFuncOptions()
                           .size(std::vector<int64_t>{size, size})
                           .mode(torch::kBilinear)
                           .align_corners(false);
  // Block by block into the result, as the reference resizes each batch
  // (each image's values do not depend on the block).
  const int64_t n = images.size(0);
  auto out = torch::empty({n, 1, size, size}, torch::kFloat32);
  constexpr int64_t kBlock = 1024;
  for (int64_t start = 0; start < n; start += kBlock) {
    const int64_t stop = std::min(n, start + kBlock);
    out.slice(0, start, stop)
        .copy_(F::interpolate(images.slice(0, start, stop), options));
  }
  return out;
}

fs::path find_fashion_mnist(
    const std::string& data_dir, const std::vector<fs::path>& system_dirs) {
  // A named folder may be the files' folder or a torchvision root.
  const auto named = [](const fs::path& dir) {
    return std::vector<fs::path>{dir, dir / "FashionMNIST" / "raw"};
  };
  // A folder the user named (flag, then environment) must hold the files:
  // falling back to another copy would hide a typo. Something there in
  // place of a file (a folder, a FIFO, a symlink loop, an unreadable
  // folder) is named as what it is, not reported as missing.
  const auto from_named = [&](const std::string& dir, const std::string& how) {
    std::vector<FolderScan> scans;
    for (const auto& candidate : named(dir)) {
      scans.push_back(scan_folder(candidate));
      if (scans.back().complete()) {
        return candidate;
      }
    }
    for (const auto& scan : scans) {
      if (!scan.problems.empty()) {
        throw DataError(how + " " + dir + ": " + join(scan.problems, "; "));
      }
    }
    throw DataError(
        how + " " + dir + " does not hold Fashion-MNIST: " +
        "neither it nor its FashionMNIST/raw has " +
        join(scans.front().missing, ", ") + "; " + kInstallHint +
        " with the folder that has them");
  };
  if (!data_dir.empty()) {
    return from_named(data_dir, "--data-dir");
  }
  if (const char* env = std::getenv(kDataDirEnv); env != nullptr && *env) {
    return from_named(env, std::string("$") + kDataDirEnv);
  }
  std::vector<fs::path> places;
  std::vector<std::string> tried;
  for (const char* rel :
       {"../data/FashionMNIST/raw", "data/FashionMNIST/raw"}) {
    places.emplace_back(rel);
    std::error_code ec;
    tried.push_back(
        std::string(rel) + " (in " + fs::current_path(ec).string() + ")");
  }
  for (const auto& dir : system_dirs) {
    places.push_back(dir);
    tried.push_back(dir.string());
  }
  // A place the user did not name is skipped unless it holds all four
  // files, whatever stands in for one (a partial download, a folder, a
  // FIFO): as when the folder does not exist, a learner who did not ask for
  // it expects the next place to be tried, and the data the book needs to
  // be found there. When no place has the data, the error names what was
  // in the way, so that it does not read as missing.
  for (size_t i = 0; i < places.size(); ++i) {
    const FolderScan scan = scan_folder(places[i]);
    if (scan.complete()) {
      return places[i];
    }
    if (!scan.problems.empty()) {
      tried[i] += " [" + join(scan.problems, "; ") + "]";
    }
  }
  throw DataError(
      "Fashion-MNIST ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]) "
      "not found; tried " +
      join(tried, ", ") + "; " + kInstallHint);
}

FashionMnist load_fashion_mnist(const std::string& data_dir, bool train) {
  FashionMnist split;
  split.folder = find_fashion_mnist(data_dir);
  std::tie(split.raw_images, split.labels) = read_split(split.folder, train);
  return split;
}

std::vector<std::string> get_fashion_mnist_labels(const torch::Tensor& labels) {
  static const std::array<const char*, 10> kTextLabels = {
      "t-shirt",
      "trouser",
      "pullover",
      "dress",
      "coat",
      "sandal",
      "shirt",
      "sneaker",
      "bag",
      "ankle boot"};
  const auto flat =
      labels.reshape({-1}).to(torch::kCPU, torch::kInt64).contiguous();
  const int64_t* p = flat.data_ptr<int64_t>();
  std::vector<std::string> text;
  text.reserve(flat.numel());
  for (int64_t i = 0; i < flat.numel(); ++i) {
    if (p[i] < 0 || p[i] > 9) {
      throw Error(
          "get_fashion_mnist_labels: label " + std::to_string(p[i]) +
          " is outside 0..9");
    }
    text.emplace_back(kTextLabels[p[i]]);
  }
  return text;
}

ArrayLoader fashion_mnist_loader(
    const FashionMnist& dataset,
    int64_t batch_size,
    bool shuffle,
    std::optional<int64_t> resize,
    torch::Device device) {
  if (resize && *resize <= 0) {
    throw UsageError(
        "resize must be a positive image size, got " + std::to_string(*resize));
  }
  auto transform = [resize, device](ArrayLoader::Batch batch) {
    batch[0] = to_tensor(batch[0]);
    if (resize) {
      batch[0] = resize_images(batch[0], *resize);
    }
    batch[0] = batch[0].to(device);
    batch[1] = batch[1].to(device);
    return batch;
  };
  return ArrayLoader(
      {dataset.raw_images, dataset.labels},
      batch_size,
      shuffle,
      /*drop_last=*/false,
      transform);
}

std::pair<ArrayLoader, ArrayLoader> load_data_fashion_mnist(
    int64_t batch_size,
    std::optional<int64_t> resize,
    const std::string& data_dir,
    torch::Device device) {
  FashionMnist train;
  FashionMnist test;
  train.folder = test.folder = find_fashion_mnist(data_dir);
  std::tie(train.raw_images, train.labels) = read_split(train.folder, true);
  std::tie(test.raw_images, test.labels) = read_split(test.folder, false);
  return {
      fashion_mnist_loader(train, batch_size, /*shuffle=*/true, resize, device),
      fashion_mnist_loader(
          test, batch_size, /*shuffle=*/false, resize, device)};
}

}  // namespace d2l
