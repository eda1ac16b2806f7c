// Tests of d2l/fashion_mnist.h: the IDX reader on synthetic and damaged
// files, the data search order, the Fashion-MNIST loaders and the real
// dataset when Debian's dataset-fashion-mnist is installed.
#include <d2l/fashion_mnist.h>
#include <d2l/harness/errors.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "support.h"

namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint32_t kImagesMagic = 0x00000803;
constexpr uint32_t kLabelsMagic = 0x00000801;

// An IDX file: magic, big-endian dimensions, then `payload`.
Bytes idx_bytes(
    uint32_t magic, const std::vector<uint32_t>& dims, const Bytes& payload) {
  Bytes out;
  const auto put = [&out](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.push_back(static_cast<uint8_t>(v >> shift));
    }
  };
  put(magic);
  for (uint32_t d : dims) {
    put(d);
  }
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

// One gzip member holding `data` (what `gzip` writes).
Bytes gzip(const Bytes& data) {
  z_stream zs{};
  EXPECT_EQ(
      deflateInit2(
          &zs,
          Z_BEST_COMPRESSION,
          Z_DEFLATED,
          16 + MAX_WBITS,
          8,
          Z_DEFAULT_STRATEGY),
      Z_OK);
  Bytes out(deflateBound(&zs, data.size()) + 64);
  zs.next_in = const_cast<Bytes::value_type*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

void write_file(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(
      reinterpret_cast<const char*>(bytes.data()),
      static_cast<std::streamsize>(bytes.size()));
}

Bytes random_bytes(std::mt19937& rng, size_t n, int max_value = 255) {
  std::uniform_int_distribution<int> byte(0, max_value);
  Bytes out(n);
  for (auto& b : out) {
    b = static_cast<uint8_t>(byte(rng));
  }
  return out;
}

torch::Tensor as_tensor(const Bytes& bytes, std::vector<int64_t> sizes) {
  return torch::tensor(
             std::vector<int64_t>(bytes.begin(), bytes.end()), torch::kInt64)
      .to(torch::kUInt8)
      .reshape(sizes);
}

// The line a run ends with on the DataError `f` throws: the library's
// message with the harness's fix (fails the test if none is thrown).
template <typename F>
std::string data_error(F&& f) {
  try {
    f();
  } catch (const d2l::DataError& e) {
    return d2l::error_message(e);
  }
  ADD_FAILURE() << "no d2l::DataError thrown";
  return {};
}

// Changes the current folder for one scope.
class ScopedCwd {
 public:
  explicit ScopedCwd(const fs::path& dir) : old_(fs::current_path()) {
    fs::current_path(dir);
  }
  ~ScopedCwd() {
    fs::current_path(old_);
  }

 private:
  fs::path old_;
};

// A fresh temporary folder per test, removed afterwards.
class TempDirTest : public d2l_test::Seeded {
 protected:
  void SetUp() override {
    Seeded::SetUp();
    dir_ = d2l_test::make_temp_dir();
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

bool real_dataset_present();

class IdxReader : public TempDirTest {};
class FashionMnist : public TempDirTest {
 protected:
  // Fills `folder` with the four files, symlinks to the real ones when
  // dataset-fashion-mnist is installed, else a synthetic set (gzip); returns
  // the path of train-images-idx3-ubyte.gz, for the test to replace.
  fs::path dataset_to_spoil(const fs::path& folder) {
    fs::create_directories(folder);
    if (real_dataset_present()) {
      for (const char* name :
           {"train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz"}) {
        fs::create_symlink(
            fs::path(d2l::kFashionMnistSystemDir) / name, folder / name);
      }
    } else {
      write_dataset(folder, 4, 2, /*gz=*/true);
    }
    return folder / "train-images-idx3-ubyte.gz";
  }

  // Writes a synthetic Fashion-MNIST (28 x 28 images, labels 0..9) to
  // `folder`, gzip-compressed or raw; returns the raw train split.
  std::pair<Bytes, Bytes> write_dataset(
      const fs::path& folder, int64_t n_train, int64_t n_test, bool gz = true) {
    fs::create_directories(folder);
    std::mt19937 rng(7);
    std::pair<Bytes, Bytes> train;
    for (const bool is_train : {true, false}) {
      const int64_t n = is_train ? n_train : n_test;
      const std::string prefix = is_train ? "train" : "t10k";
      const Bytes pixels = random_bytes(rng, n * 28 * 28);
      const Bytes labels = random_bytes(rng, n, 9);
      const std::string ext = gz ? ".gz" : "";
      const auto images_file =
          idx_bytes(kImagesMagic, {static_cast<uint32_t>(n), 28, 28}, pixels);
      const auto labels_file =
          idx_bytes(kLabelsMagic, {static_cast<uint32_t>(n)}, labels);
      write_file(
          folder / (prefix + "-images-idx3-ubyte" + ext),
          gz ? gzip(images_file) : images_file);
      write_file(
          folder / (prefix + "-labels-idx1-ubyte" + ext),
          gz ? gzip(labels_file) : labels_file);
      if (is_train) {
        train = {pixels, labels};
      }
    }
    return train;
  }
};

// ---------------------------------------------------------------- IdxReader

TEST_F(IdxReader, ReadsRawImagesExactly) {
  std::mt19937 rng(1);
  const Bytes pixels = random_bytes(rng, 5 * 4 * 3);
  write_file(dir_ / "img", idx_bytes(kImagesMagic, {5, 4, 3}, pixels));
  const auto images = d2l::read_idx_images(dir_ / "img");
  EXPECT_TRUE(d2l_test::TensorsIdentical(images, as_tensor(pixels, {5, 4, 3})));
}

TEST_F(IdxReader, ReadsGzipImagesExactly) {
  std::mt19937 rng(2);
  const Bytes pixels = random_bytes(rng, 7 * 28 * 28);
  write_file(
      dir_ / "img.gz", gzip(idx_bytes(kImagesMagic, {7, 28, 28}, pixels)));
  const auto images = d2l::read_idx_images(dir_ / "img.gz");
  EXPECT_TRUE(
      d2l_test::TensorsIdentical(images, as_tensor(pixels, {7, 28, 28})));
}

TEST_F(IdxReader, RecognisesGzipByContentNotName) {
  std::mt19937 rng(3);
  const Bytes pixels = random_bytes(rng, 2 * 5 * 5);
  const Bytes file = idx_bytes(kImagesMagic, {2, 5, 5}, pixels);
  write_file(dir_ / "raw.gz", file);
  write_file(dir_ / "compressed", gzip(file));
  const auto expected = as_tensor(pixels, {2, 5, 5});
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      d2l::read_idx_images(dir_ / "raw.gz"), expected));
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      d2l::read_idx_images(dir_ / "compressed"), expected));
}

TEST_F(IdxReader, ReadsLabelsAsInt64) {
  const Bytes labels = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
  const auto expected =
      torch::tensor({9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, torch::kInt64);
  write_file(dir_ / "lab", idx_bytes(kLabelsMagic, {10}, labels));
  write_file(dir_ / "lab.gz", gzip(idx_bytes(kLabelsMagic, {10}, labels)));
  EXPECT_TRUE(
      d2l_test::TensorsIdentical(d2l::read_idx_labels(dir_ / "lab"), expected));
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      d2l::read_idx_labels(dir_ / "lab.gz"), expected));
}

TEST_F(IdxReader, ReadsConcatenatedGzipMembers) {
  std::mt19937 rng(4);
  const Bytes pixels = random_bytes(rng, 3 * 6 * 6);
  const Bytes file = idx_bytes(kImagesMagic, {3, 6, 6}, pixels);
  const Bytes first(file.begin(), file.begin() + 50);
  const Bytes second(file.begin() + 50, file.end());
  Bytes both = gzip(first);
  const Bytes tail = gzip(second);
  both.insert(both.end(), tail.begin(), tail.end());
  write_file(dir_ / "img.gz", both);
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      d2l::read_idx_images(dir_ / "img.gz"), as_tensor(pixels, {3, 6, 6})));
}

TEST_F(IdxReader, AcceptsAnEmptyButConsistentFile) {
  write_file(dir_ / "img", idx_bytes(kImagesMagic, {0, 28, 28}, {}));
  const auto images = d2l::read_idx_images(dir_ / "img");
  EXPECT_EQ(images.sizes(), torch::IntArrayRef({0, 28, 28}));
}

TEST_F(IdxReader, RejectsBadMagic) {
  write_file(dir_ / "img", idx_bytes(0x12345678, {1, 2, 2}, {1, 2, 3, 4}));
  const auto what = data_error([&] { d2l::read_idx_images(dir_ / "img"); });
  EXPECT_NE(what.find((dir_ / "img").string()), std::string::npos) << what;
  EXPECT_NE(what.find("bad magic number 0x12345678"), std::string::npos)
      << what;
  // A label file is not an image file, and the other way round.
  write_file(dir_ / "lab", idx_bytes(kLabelsMagic, {4}, {1, 2, 3, 4}));
  EXPECT_THROW(d2l::read_idx_images(dir_ / "lab"), d2l::DataError);
  EXPECT_THROW(d2l::read_idx_labels(dir_ / "img"), d2l::DataError);
}

TEST_F(IdxReader, RejectsWrongDimensionCount) {
  write_file(dir_ / "img", idx_bytes(0x00000802, {4, 4}, Bytes(16, 1)));
  const auto what = data_error([&] { d2l::read_idx_images(dir_ / "img"); });
  EXPECT_NE(what.find("2 dimensions (expected 3"), std::string::npos) << what;
}

TEST_F(IdxReader, RejectsNonByteElementType) {
  // 0x0D: float32 elements; Fashion-MNIST only has unsigned bytes.
  write_file(dir_ / "img", idx_bytes(0x00000D03, {1, 1, 1}, Bytes(4, 0)));
  EXPECT_THROW(d2l::read_idx_images(dir_ / "img"), d2l::DataError);
}

TEST_F(IdxReader, RejectsZeroSizedImages) {
  write_file(dir_ / "img", idx_bytes(kImagesMagic, {3, 0, 28}, {}));
  const auto what = data_error([&] { d2l::read_idx_images(dir_ / "img"); });
  EXPECT_NE(what.find("dimension 1 is 0"), std::string::npos) << what;
}

TEST_F(IdxReader, RejectsTruncatedRaw) {
  const Bytes file = idx_bytes(kImagesMagic, {4, 3, 3}, Bytes(36, 9));
  write_file(dir_ / "img", Bytes(file.begin(), file.end() - 1));
  const auto what = data_error([&] { d2l::read_idx_images(dir_ / "img"); });
  EXPECT_NE(what.find("truncated"), std::string::npos) << what;
  EXPECT_NE(what.find("4 x 3 x 3 (36 bytes)"), std::string::npos) << what;
  // Cut inside the header.
  write_file(dir_ / "img", Bytes(file.begin(), file.begin() + 10));
  EXPECT_NE(
      data_error([&] {
        d2l::read_idx_images(dir_ / "img");
      }).find("truncated IDX header"),
      std::string::npos);
  write_file(dir_ / "img", Bytes(file.begin(), file.begin() + 3));
  EXPECT_THROW(d2l::read_idx_images(dir_ / "img"), d2l::DataError);
}

TEST_F(IdxReader, RejectsTrailingBytes) {
  Bytes file = idx_bytes(kLabelsMagic, {3}, {1, 2, 3});
  file.push_back(0);
  write_file(dir_ / "lab", file);
  const auto what = data_error([&] { d2l::read_idx_labels(dir_ / "lab"); });
  EXPECT_NE(what.find("trailing data"), std::string::npos) << what;
  write_file(dir_ / "lab.gz", gzip(file));
  EXPECT_THROW(d2l::read_idx_labels(dir_ / "lab.gz"), d2l::DataError);
}

TEST_F(IdxReader, RejectsTruncatedGzip) {
  std::mt19937 rng(5);
  const Bytes gz = gzip(
      idx_bytes(kImagesMagic, {50, 28, 28}, random_bytes(rng, 50 * 28 * 28)));
  write_file(dir_ / "img.gz", Bytes(gz.begin(), gz.begin() + gz.size() / 2));
  const auto what = data_error([&] { d2l::read_idx_images(dir_ / "img.gz"); });
  EXPECT_NE(what.find("truncated"), std::string::npos) << what;
  // Only the 8-byte trailer missing: the data is all there but unverified.
  write_file(dir_ / "img.gz", Bytes(gz.begin(), gz.end() - 8));
  EXPECT_THROW(d2l::read_idx_images(dir_ / "img.gz"), d2l::DataError);
}

TEST_F(IdxReader, RejectsCorruptGzip) {
  std::mt19937 rng(6);
  const Bytes file =
      idx_bytes(kImagesMagic, {50, 28, 28}, random_bytes(rng, 50 * 28 * 28));
  Bytes gz = gzip(file);
  for (size_t i = gz.size() / 2; i < gz.size() / 2 + 16; ++i) {
    gz[i] ^= 0x5A;
  }
  write_file(dir_ / "img.gz", gz);
  const auto what = data_error([&] { d2l::read_idx_images(dir_ / "img.gz"); });
  EXPECT_NE(what.find("gzip"), std::string::npos) << what;
  // A wrong CRC alone (data intact) is caught too.
  gz = gzip(file);
  gz[gz.size() - 6] ^= 1;
  write_file(dir_ / "img.gz", gz);
  EXPECT_THROW(d2l::read_idx_images(dir_ / "img.gz"), d2l::DataError);
  // Garbage after the gzip member.
  gz = gzip(file);
  gz.push_back(42);
  gz.push_back(43);
  write_file(dir_ / "img.gz", gz);
  EXPECT_NE(
      data_error([&] {
        d2l::read_idx_images(dir_ / "img.gz");
      }).find("trailing garbage"),
      std::string::npos);
}

// `gzip -dc` and Python's gzip.open(...).read() both give the data of a
// member followed by zero bytes up to the end (tape and block devices pad
// files so); both refuse, or warn about, anything else after it.
TEST_F(IdxReader, AcceptsZeroPaddingAfterTheLastGzipMemberAsGzipDoes) {
  std::mt19937 rng(8);
  const Bytes pixels = random_bytes(rng, 3 * 28 * 28);
  const Bytes file = idx_bytes(kImagesMagic, {3, 28, 28}, pixels);
  const auto expected = as_tensor(pixels, {3, 28, 28});
  // One byte, a tar block's worth, and more than the reader's 1 MiB chunk.
  for (const size_t zeros : {size_t{1}, size_t{10240}, size_t{3} << 20}) {
    Bytes gz = gzip(file);
    gz.resize(gz.size() + zeros, 0);
    write_file(dir_ / "img.gz", gz);
    EXPECT_TRUE(d2l_test::TensorsIdentical(
        d2l::read_idx_images(dir_ / "img.gz"), expected))
        << zeros << " zero bytes";
  }
  // After the last of several members.
  Bytes two = gzip(Bytes(file.begin(), file.begin() + 100));
  const Bytes tail = gzip(Bytes(file.begin() + 100, file.end()));
  two.insert(two.end(), tail.begin(), tail.end());
  two.resize(two.size() + 512, 0);
  write_file(dir_ / "img.gz", two);
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      d2l::read_idx_images(dir_ / "img.gz"), expected));
}

TEST_F(IdxReader, RejectsNonZeroBytesAfterZeroPadding) {
  const Bytes file = idx_bytes(kLabelsMagic, {4}, {1, 2, 3, 4});
  // Zeros, then garbage: gzip(1) warns "trailing garbage ignored", Python
  // raises BadGzipFile.
  Bytes gz = gzip(file);
  gz.resize(gz.size() + 3, 0);
  gz.push_back('x');
  write_file(dir_ / "lab.gz", gz);
  const auto what = data_error([&] { d2l::read_idx_labels(dir_ / "lab.gz"); });
  EXPECT_NE(
      what.find("trailing garbage after the gzip data (after 3 zero bytes"),
      std::string::npos)
      << what;
  // Zeros, then a member: gzip(1) ignores it with a warning, Python reads
  // it; no answer agrees with both, so it is refused.
  gz = gzip(file);
  gz.resize(gz.size() + 3, 0);
  const Bytes again = gzip(file);
  gz.insert(gz.end(), again.begin(), again.end());
  write_file(dir_ / "lab.gz", gz);
  EXPECT_THROW(d2l::read_idx_labels(dir_ / "lab.gz"), d2l::DataError);
}

TEST_F(IdxReader, RejectsEmptyFile) {
  write_file(dir_ / "img", {});
  const auto what = data_error([&] { d2l::read_idx_images(dir_ / "img"); });
  EXPECT_NE(what.find("empty file"), std::string::npos) << what;
  write_file(dir_ / "img.gz", gzip({}));
  EXPECT_THROW(d2l::read_idx_images(dir_ / "img.gz"), d2l::DataError);
}

// The first read of any gzip file moved 0 bytes from a null pointer (undefined
// behaviour, reported by the sanitizer suite); two bytes reach it.
TEST_F(IdxReader, RejectsAGzipSignatureAloneWithoutUndefinedBehaviour) {
  write_file(dir_ / "labels", {0x1f, 0x8b});
  const auto what = data_error([&] { d2l::read_idx_labels(dir_ / "labels"); });
  EXPECT_NE(what.find("gzip"), std::string::npos) << what;
}

// Found by fuzz_idx on LibTorch 2.6, which refuses a tensor whose strides
// overflow: no images, but each 2^32 - 1 x 2^32 - 1 (1.13 made the tensor).
TEST_F(IdxReader, RejectsHugeItemsEvenWithoutItems) {
  write_file(
      dir_ / "img",
      {0, 0, 8, 3, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  const auto what = data_error([&] { d2l::read_idx_images(dir_ / "img"); });
  EXPECT_NE(what.find("implausible"), std::string::npos) << what;
}

TEST_F(IdxReader, RejectsMissingFile) {
  const auto what =
      data_error([&] { d2l::read_idx_images(dir_ / "nothing.gz"); });
  EXPECT_NE(what.find((dir_ / "nothing.gz").string()), std::string::npos);
  EXPECT_NE(what.find("no such file"), std::string::npos) << what;
  EXPECT_THROW(d2l::read_idx_labels(dir_), d2l::DataError);  // a folder
}

TEST_F(IdxReader, RejectsHugeClaimInTinyFileBeforeAllocating) {
  // 2^31 images of 28 x 28 would be 1.7 TB: if the reader trusted the header
  // it would throw std::bad_alloc (or worse), not this DataError, whose
  // message comes from the check made before any allocation.
  const Bytes file = idx_bytes(kImagesMagic, {1u << 31, 28, 28}, Bytes(84, 0));
  ASSERT_EQ(file.size(), 100u);
  write_file(dir_ / "img", file);
  write_file(dir_ / "img.gz", gzip(file));
  for (const char* name : {"img", "img.gz"}) {
    const auto what = data_error([&] { d2l::read_idx_images(dir_ / name); });
    EXPECT_NE(
        what.find("truncated: the header announces 2147483648 x 28 x 28"),
        std::string::npos)
        << what;
  }
  // Within the sanity cap but more than the gzip file can inflate to.
  write_file(
      dir_ / "big.gz",
      gzip(idx_bytes(kImagesMagic, {1u << 20, 28, 28}, Bytes(84, 0))));
  EXPECT_NE(
      data_error([&] {
        d2l::read_idx_images(dir_ / "big.gz");
      }).find("cannot decompress to that much"),
      std::string::npos);
  // Dimensions whose product overflows 64 bits.
  write_file(
      dir_ / "img",
      idx_bytes(kImagesMagic, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {}));
  EXPECT_NE(
      data_error([&] {
        d2l::read_idx_images(dir_ / "img");
      }).find("implausible"),
      std::string::npos);
}

TEST_F(IdxReader, FuzzedFilesLoadConsistentlyOrThrowDataError) {
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> pick(0, 5);
  std::uniform_int_distribution<uint32_t> small(0, 6);
  int loaded = 0;
  int rejected = 0;
  for (int round = 0; round < 400; ++round) {
    const bool images = round % 2 == 0;
    const uint32_t magic = images ? kImagesMagic : kLabelsMagic;
    std::vector<uint32_t> dims = {small(rng)};
    if (images) {
      dims.push_back(small(rng) + 1);
      dims.push_back(small(rng) + 1);
    }
    size_t numel = 1;
    for (uint32_t d : dims) {
      numel *= d;
    }
    Bytes file = idx_bytes(magic, dims, random_bytes(rng, numel));
    const bool gz = (round / 2) % 2 == 0;
    if (gz) {
      file = gzip(file);
    }
    switch (pick(rng)) {
      case 0:  // untouched
        break;
      case 1: {  // flip a few bytes anywhere (header included)
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < flips; ++i) {
          file[rng() % file.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
        }
        break;
      }
      case 2:  // truncate
        file.resize(rng() % file.size());
        break;
      case 3: {  // append garbage
        const Bytes extra = random_bytes(rng, 1 + rng() % 40);
        file.insert(file.end(), extra.begin(), extra.end());
        break;
      }
      case 4:  // random header dimensions (possibly huge)
        for (size_t i = 4; i < 4 + 4 * dims.size() && i < file.size(); ++i) {
          if (!gz) {
            file[i] = static_cast<uint8_t>(rng());
          }
        }
        if (gz) {
          file = gzip(idx_bytes(
              magic,
              {static_cast<uint32_t>(rng()),
               static_cast<uint32_t>(rng() % 64),
               static_cast<uint32_t>(rng() % 64)},
              random_bytes(rng, 64)));
        }
        break;
      default:  // pure noise, sometimes behind a gzip signature
        file = random_bytes(rng, rng() % 200);
        if (file.size() >= 2 && rng() % 2 == 0) {
          file[0] = 0x1f;
          file[1] = 0x8b;
        }
        break;
    }
    const fs::path path = dir_ / ("fuzz" + std::to_string(round));
    write_file(path, file);
    try {
      const auto t =
          images ? d2l::read_idx_images(path) : d2l::read_idx_labels(path);
      ASSERT_EQ(t.dim(), images ? 3 : 1) << "round " << round;
      ASSERT_EQ(t.scalar_type(), images ? torch::kUInt8 : torch::kInt64);
      // Consistent: a second read gives the same tensor, and a raw file
      // holds exactly its header plus the data.
      ASSERT_TRUE(torch::equal(
          t, images ? d2l::read_idx_images(path) : d2l::read_idx_labels(path)));
      if (!gz && file.size() >= 2 && file[0] != 0x1f) {
        ASSERT_EQ(file.size(), static_cast<size_t>(4 + 4 * t.dim() + t.numel()))
            << "round " << round;
      }
      ++loaded;
    } catch (const d2l::DataError&) {
      ++rejected;
    }
  }
  // Both outcomes were exercised.
  EXPECT_GT(loaded, 50);
  EXPECT_GT(rejected, 100);
}

// ------------------------------------------------------------ FashionMnist

TEST_F(FashionMnist, DataDirArgumentBeatsEnvironmentVariable) {
  write_dataset(dir_ / "arg", 2, 1);
  write_dataset(dir_ / "env", 2, 1);
  write_dataset(dir_ / "sys", 2, 1);
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, (dir_ / "env").c_str());
  EXPECT_EQ(
      d2l::find_fashion_mnist((dir_ / "arg").string(), {dir_ / "sys"}),
      dir_ / "arg");
}

TEST_F(FashionMnist, EnvironmentVariableBeatsBookLayoutAndSystemDirs) {
  write_dataset(dir_ / "env", 2, 1);
  write_dataset(dir_ / "work" / "data" / "FashionMNIST" / "raw", 2, 1);
  write_dataset(dir_ / "sys", 2, 1);
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, (dir_ / "env").c_str());
  ScopedCwd cwd(dir_ / "work");
  EXPECT_EQ(d2l::find_fashion_mnist("", {dir_ / "sys"}), dir_ / "env");
}

TEST_F(FashionMnist, NamedFolderMayBeATorchvisionRoot) {
  write_dataset(dir_ / "data" / "FashionMNIST" / "raw", 2, 1);
  EXPECT_EQ(
      d2l::find_fashion_mnist((dir_ / "data").string(), {}),
      dir_ / "data" / "FashionMNIST" / "raw");
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, (dir_ / "data").c_str());
  EXPECT_EQ(
      d2l::find_fashion_mnist("", {}), dir_ / "data" / "FashionMNIST" / "raw");
}

TEST_F(FashionMnist, FindsBookLayoutRelativeToCurrentFolder) {
  write_dataset(dir_ / "data" / "FashionMNIST" / "raw", 2, 1);
  write_dataset(dir_ / "sys", 2, 1);
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, nullptr);
  fs::create_directories(dir_ / "chapter");
  {
    ScopedCwd cwd(dir_ / "chapter");  // ../data/FashionMNIST/raw
    EXPECT_EQ(
        fs::canonical(d2l::find_fashion_mnist("", {dir_ / "sys"})),
        fs::canonical(dir_ / "data" / "FashionMNIST" / "raw"));
  }
  ScopedCwd cwd(dir_);  // data/FashionMNIST/raw
  EXPECT_EQ(
      fs::canonical(d2l::find_fashion_mnist("", {dir_ / "sys"})),
      fs::canonical(dir_ / "data" / "FashionMNIST" / "raw"));
}

TEST_F(FashionMnist, FallsBackToSystemDirs) {
  write_dataset(dir_ / "sys", 2, 1, /*gz=*/false);
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, "");  // empty value: unset
  ScopedCwd cwd(dir_);
  EXPECT_EQ(
      d2l::find_fashion_mnist("", {dir_ / "none", dir_ / "sys"}), dir_ / "sys");
}

TEST_F(FashionMnist, NotFoundErrorListsEveryPlaceTried) {
  // A folder with only some of the files does not count.
  write_dataset(dir_ / "partial", 2, 1);
  fs::remove(dir_ / "partial" / "t10k-labels-idx1-ubyte.gz");
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, "");
  ScopedCwd cwd(dir_);
  const auto what = data_error([&] {
    d2l::find_fashion_mnist("", {dir_ / "partial", "/nonexistent"});
  });
  for (const std::string& place :
       {std::string("../data/FashionMNIST/raw"),
        std::string("data/FashionMNIST/raw"),
        (dir_ / "partial").string(),
        std::string("/nonexistent"),
        std::string("apt-get install dataset-fashion-mnist"),
        std::string("--data-dir")}) {
    EXPECT_NE(what.find(place), std::string::npos) << place << "\n" << what;
  }
  EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
}

TEST_F(FashionMnist, EnvDataDirWithoutTheFilesIsAnErrorLikeTheFlag) {
  // $D2L_DATA_DIR naming an empty or missing folder is reported, not
  // silently replaced by the system copy.
  write_dataset(dir_ / "sys", 2, 1);
  fs::create_directories(dir_ / "empty");
  for (const auto& named : {dir_ / "empty", dir_ / "missing"}) {
    d2l_test::ScopedEnv env(d2l::kDataDirEnv, named.c_str());
    const auto what =
        data_error([&] { d2l::find_fashion_mnist("", {dir_ / "sys"}); });
    EXPECT_NE(
        what.find(
            "$D2L_DATA_DIR " + named.string() + " does not hold Fashion-MNIST"),
        std::string::npos)
        << what;
  }
  // The flag still wins over the environment.
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, (dir_ / "empty").c_str());
  EXPECT_EQ(d2l::find_fashion_mnist((dir_ / "sys").string(), {}), dir_ / "sys");
}

TEST_F(FashionMnist, DataDirWithoutTheFilesIsReportedSpecifically) {
  write_dataset(dir_ / "sys", 2, 1);
  fs::create_directories(dir_ / "empty");
  const auto what = data_error([&] {
    d2l::find_fashion_mnist((dir_ / "empty").string(), {dir_ / "sys"});
  });
  EXPECT_NE(
      what.find("--data-dir " + (dir_ / "empty").string()), std::string::npos)
      << what;
  EXPECT_NE(what.find("train-images-idx3-ubyte"), std::string::npos) << what;
  EXPECT_THROW(
      d2l::load_fashion_mnist((dir_ / "empty").string(), true), d2l::DataError);
}

TEST_F(FashionMnist, LoadsSplitWithToTensorImages) {
  const auto [pixels, labels] = write_dataset(dir_, 5, 3);
  const auto train = d2l::load_fashion_mnist(dir_.string(), /*train=*/true);
  EXPECT_EQ(train.size(), 5);
  EXPECT_EQ(train.folder, dir_);
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      train.raw_images, as_tensor(pixels, {5, 28, 28})));
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      train.labels, as_tensor(labels, {5}).to(torch::kInt64)));
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      train.images(),
      train.raw_images.unsqueeze(1).to(torch::kFloat32).div(255)));
  const auto test = d2l::load_fashion_mnist(dir_.string(), /*train=*/false);
  EXPECT_EQ(test.images().sizes(), torch::IntArrayRef({3, 1, 28, 28}));
}

TEST_F(FashionMnist, AcceptsAMixOfRawAndGzipFiles) {
  write_dataset(dir_, 4, 2, /*gz=*/true);
  write_dataset(dir_ / "raw", 4, 2, /*gz=*/false);
  fs::rename(
      dir_ / "raw" / "t10k-images-idx3-ubyte", dir_ / "t10k-images-idx3-ubyte");
  fs::remove(dir_ / "t10k-images-idx3-ubyte.gz");
  EXPECT_EQ(d2l::load_fashion_mnist(dir_.string(), false).size(), 2);
}

TEST_F(FashionMnist, ToTensorDividesBy255AsTorchvision) {
  const auto raw = torch::tensor({0, 1, 127, 128, 254, 255}, torch::kUInt8)
                       .reshape({1, 2, 3});
  const auto t = d2l::to_tensor(raw);
  EXPECT_EQ(t.sizes(), torch::IntArrayRef({1, 1, 2, 3}));
  EXPECT_EQ(t.scalar_type(), torch::kFloat32);
  EXPECT_EQ(t[0][0][0][0].item<float>(), 0.0f);
  EXPECT_EQ(t[0][0][1][2].item<float>(), 1.0f);
  EXPECT_EQ(t[0][0][0][2].item<float>(), 127.0f / 255.0f);
}

TEST_F(FashionMnist, ResizeIsBilinearInterpolationOfToTensorImages) {
  const auto flat = torch::full({3, 1, 28, 28}, 0.5f);
  const auto big = d2l::resize_images(flat, 64);
  EXPECT_EQ(big.sizes(), torch::IntArrayRef({3, 1, 64, 64}));
  EXPECT_EQ(big.scalar_type(), torch::kFloat32);
  EXPECT_TRUE(torch::equal(big, torch::full({3, 1, 64, 64}, 0.5f)));
  const auto random = torch::rand({2, 1, 28, 28});
  EXPECT_TRUE(torch::equal(d2l::resize_images(random, 28), random));
  // More images than one block: each image is resized on its own.
  const auto many = torch::rand({1500, 1, 28, 28});
  namespace F = torch::nn::functional;
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      d2l::resize_images(many, 64),
      F::interpolate(
          many,
          F::InterpolateFuncOptions()
              .size(std::vector<int64_t>{64, 64})
              .mode(torch::kBilinear)
              .align_corners(false))));
}

TEST_F(FashionMnist, RejectsCountMismatchBetweenImagesAndLabels) {
  write_dataset(dir_, 4, 2, /*gz=*/false);
  write_file(
      dir_ / "train-labels-idx1-ubyte",
      idx_bytes(kLabelsMagic, {3}, {1, 2, 3}));
  const auto what =
      data_error([&] { d2l::load_fashion_mnist(dir_.string(), true); });
  EXPECT_NE(what.find("4 images but"), std::string::npos) << what;
  EXPECT_NE(what.find("has 3 labels"), std::string::npos) << what;
}

TEST_F(FashionMnist, RejectsLabelsOutsideZeroToNine) {
  write_dataset(dir_, 4, 2, /*gz=*/false);
  write_file(
      dir_ / "t10k-labels-idx1-ubyte", idx_bytes(kLabelsMagic, {2}, {3, 10}));
  const auto what =
      data_error([&] { d2l::load_fashion_mnist(dir_.string(), false); });
  EXPECT_NE(what.find("label 10 of example 1"), std::string::npos) << what;
}

TEST_F(FashionMnist, RejectsImagesThatAreNot28By28) {
  write_dataset(dir_, 4, 2, /*gz=*/false);
  write_file(
      dir_ / "t10k-images-idx3-ubyte",
      idx_bytes(kImagesMagic, {2, 4, 4}, Bytes(32, 0)));
  const auto what =
      data_error([&] { d2l::load_fashion_mnist(dir_.string(), false); });
  EXPECT_NE(what.find("not Fashion-MNIST's 28 x 28"), std::string::npos)
      << what;
}

TEST_F(FashionMnist, DamagedFileErrorSaysHowToFixIt) {
  write_dataset(dir_, 4, 2, /*gz=*/true);
  write_file(dir_ / "train-images-idx3-ubyte.gz", Bytes{0x1f, 0x8b, 8, 0});
  const auto what =
      data_error([&] { d2l::load_fashion_mnist(dir_.string(), true); });
  EXPECT_NE(what.find("train-images-idx3-ubyte.gz"), std::string::npos);
  EXPECT_NE(what.find("--reinstall dataset-fashion-mnist"), std::string::npos)
      << what;
}

TEST_F(FashionMnist, TextLabelsMatchTheBook) {
  const std::vector<std::string> expected = {
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
  EXPECT_EQ(d2l::get_fashion_mnist_labels(torch::arange(10)), expected);
  EXPECT_EQ(
      d2l::get_fashion_mnist_labels(torch::tensor({9, 0}, torch::kUInt8)),
      (std::vector<std::string>{"ankle boot", "t-shirt"}));
  EXPECT_THROW(d2l::get_fashion_mnist_labels(torch::tensor({10})), d2l::Error);
  EXPECT_THROW(d2l::get_fashion_mnist_labels(torch::tensor({-1})), d2l::Error);
}

TEST_F(FashionMnist, LoadDataWithResizeGivesTheBooksShapes) {
  write_dataset(dir_, 70, 40);
  // The book: load_data_fashion_mnist(32, resize=64), first batch.
  auto [train_iter, test_iter] =
      d2l::load_data_fashion_mnist(32, /*resize=*/64, dir_.string());
  EXPECT_EQ(train_iter.num_batches(), 3);
  EXPECT_EQ(test_iter.num_batches(), 2);
  const auto batch =
      *train_iter.begin();  // a copy: the iterator is a temporary
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].sizes(), torch::IntArrayRef({32, 1, 64, 64}));
  EXPECT_EQ(batch[0].scalar_type(), torch::kFloat32);
  EXPECT_EQ(batch[1].sizes(), torch::IntArrayRef({32}));
  EXPECT_EQ(batch[1].scalar_type(), torch::kInt64);
  EXPECT_GE(batch[0].min().item<float>(), 0.0f);
  EXPECT_LE(batch[0].max().item<float>(), 1.0f);
}

TEST_F(FashionMnist, LoadDataShufflesTrainOnlyAndServesToTensorImages) {
  write_dataset(dir_, 70, 40);
  auto [train_iter, test_iter] =
      d2l::load_data_fashion_mnist(16, std::nullopt, dir_.string());
  const auto test = d2l::load_fashion_mnist(dir_.string(), false);
  const auto first = *test_iter.begin();  // a copy: the iterator is a temporary
  EXPECT_TRUE(
      d2l_test::TensorsIdentical(first[0], test.images().slice(0, 0, 16)));
  EXPECT_TRUE(
      d2l_test::TensorsIdentical(first[1], test.labels.slice(0, 0, 16)));
  int64_t seen = 0;
  for (const auto& batch : train_iter) {
    EXPECT_EQ(batch[0].size(1), 1);
    EXPECT_EQ(batch[0].size(2), 28);
    seen += batch[0].size(0);
  }
  EXPECT_EQ(seen, 70);
  EXPECT_THROW(
      d2l::load_data_fashion_mnist(0, std::nullopt, dir_.string()),
      d2l::ArgumentError);
  EXPECT_THROW(
      d2l::load_data_fashion_mnist(8, /*resize=*/0, dir_.string()),
      d2l::ArgumentError);
}

// ------------------------------------------------- the real Fashion-MNIST

bool real_dataset_present() {
  try {
    d2l::find_fashion_mnist(d2l::kFashionMnistSystemDir, {});
    return true;
  } catch (const d2l::DataError&) {
    return false;
  }
}

// Values computed from the .gz files with numpy only, independently of the
// C++ reader: /usr/bin/python3 scripts/golden/fashion_mnist_checksums.py
// (weighted_sum = sum over images i of (i + 1) * (pixel sum of image i)).
struct Checksums {
  int64_t count;
  int64_t first_label;
  int64_t pixel_sum;
  int64_t weighted_sum;
  int64_t label_sum;
};
constexpr Checksums kTrain = {60000, 9, 3431114169, 103055449636171, 270000};
constexpr Checksums kTest = {10000, 9, 573469082, 2867379403525, 45000};

TEST_F(FashionMnist, RealDatasetMatchesNumpyChecksums) {
  if (!real_dataset_present()) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed at "
                 << d2l::kFashionMnistSystemDir;
  }
  for (const bool train : {true, false}) {
    const Checksums& want = train ? kTrain : kTest;
    const auto split =
        d2l::load_fashion_mnist(d2l::kFashionMnistSystemDir, train);
    ASSERT_EQ(split.size(), want.count);
    EXPECT_EQ(split.images()[0].sizes(), torch::IntArrayRef({1, 28, 28}));
    EXPECT_EQ(split.images().scalar_type(), torch::kFloat32);
    EXPECT_EQ(split.labels.scalar_type(), torch::kInt64);
    EXPECT_EQ(split.labels.min().item<int64_t>(), 0);
    EXPECT_EQ(split.labels.max().item<int64_t>(), 9);
    EXPECT_EQ(split.labels[0].item<int64_t>(), want.first_label);
    EXPECT_EQ(split.labels.sum().item<int64_t>(), want.label_sum);
    const auto per_image = split.raw_images.sum({1, 2}, false, torch::kInt64);
    EXPECT_EQ(per_image.sum().item<int64_t>(), want.pixel_sum);
    const auto weights = torch::arange(1, want.count + 1, torch::kInt64);
    EXPECT_EQ((per_image * weights).sum().item<int64_t>(), want.weighted_sum);
    EXPECT_TRUE(d2l_test::TensorsIdentical(
        split.images(),
        split.raw_images.unsqueeze(1).to(torch::kFloat32).div(255)));
  }
}

TEST_F(FashionMnist, RealDatasetResizeMatchesReferenceScript) {
  if (!real_dataset_present()) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed at "
                 << d2l::kFashionMnistSystemDir;
  }
  // resize64_bits from scripts/golden/fashion_mnist_checksums.py: the
  // int32 bit patterns of F.interpolate(ToTensor(first 256 training
  // images), 64 x 64, bilinear), summed; equal only if every bit is. Per
  // LibTorch release and ATen capability, as Python's torch prints them:
  // 2.6's bilinear kernel rounds some pixels differently from 1.13's, and
  // from 2.6 on its unvectorised DEFAULT kernel rounds some differently from
  // AVX2 and AVX512, which agree (2.14 rounds as 2.6). An empty capability
  // stands for every capability the release was measured with.
  struct Bits {
    const char* release;
    const char* capability;
    int64_t sum;
  };
  const Bits resize64_bits[] = {
      {"1.13", "", 653684998176385},  // DEFAULT, AVX2, AVX512
      {"2.6", "DEFAULT", 653684998171933},
      {"2.6", "", 653684998173747},  // AVX2, AVX512
      {"2.14", "DEFAULT", 653684998171933},
      {"2.14", "", 653684998173747},  // AVX2, AVX512
  };
  const std::string release = d2l::torch_major_minor();
  const std::string capability = d2l::aten_capability();
  const Bits* want = nullptr;
  for (const Bits& b : resize64_bits) {
    if (b.release == release &&
        (b.capability == capability || std::string(b.capability).empty())) {
      want = &b;
      break;
    }
  }
  if (want == nullptr) {
    GTEST_SKIP() << "no checksum for LibTorch " << release
                 << ": run scripts/golden/fashion_mnist_checksums.py with "
                    "that release's Python torch and add it here";
  }
  const auto train =
      d2l::load_fashion_mnist(d2l::kFashionMnistSystemDir, /*train=*/true);
  const auto resized = d2l::resize_images(train.images().slice(0, 0, 256), 64);
  EXPECT_EQ(
      resized.view(torch::kInt32).to(torch::kInt64).sum().item<int64_t>(),
      want->sum)
      << "LibTorch " << release << ", ATen " << capability;
}

TEST_F(FashionMnist, RealDatasetBatchesOf256) {
  if (!real_dataset_present()) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed at "
                 << d2l::kFashionMnistSystemDir;
  }
  auto [train_iter, test_iter] = d2l::load_data_fashion_mnist(
      256, std::nullopt, d2l::kFashionMnistSystemDir);
  EXPECT_EQ(train_iter.num_batches(), 235);  // 234 * 256 + 96
  EXPECT_EQ(test_iter.num_batches(), 40);    // 39 * 256 + 16
  int64_t seen = 0;
  for (const auto& batch : test_iter) {
    seen += batch[0].size(0);
  }
  EXPECT_EQ(seen, 10000);
  const auto first =
      *train_iter.begin();  // a copy: the iterator is a temporary
  EXPECT_EQ(first[0].sizes(), torch::IntArrayRef({256, 1, 28, 28}));
  EXPECT_EQ(first[1].sizes(), torch::IntArrayRef({256}));
}

// ------------------------------------- what is there in place of a file

// The messages of the DataErrors that loading the training split from
// `folder` throws, and finding it through $D2L_DATA_DIR.
std::vector<std::string> named_folder_errors(const fs::path& folder) {
  std::vector<std::string> what;
  what.push_back(
      data_error([&] { d2l::load_fashion_mnist(folder.string(), true); }));
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, folder.string());
  what.push_back(data_error([&] { d2l::find_fashion_mnist("", {}); }));
  return what;
}

// Each of `messages` holds `expected`, is one line, and does not report
// train-images-idx3-ubyte as missing.
void expect_named(
    const std::vector<std::string>& messages, const std::string& expected) {
  for (const auto& what : messages) {
    EXPECT_NE(what.find(expected), std::string::npos) << what;
    EXPECT_EQ(what.find("train-images-idx3-ubyte[.gz]"), std::string::npos)
        << "reported as missing: " << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
  }
}

TEST_F(FashionMnist, AFifoInPlaceOfADataFileIsNamedAndNeverRead) {
  const fs::path fifo = dataset_to_spoil(dir_);
  fs::remove(fifo);
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0) << std::strerror(errno);
  // Held open for writing with one byte in it: opening it to read would not
  // block, and the byte still there at the end shows nothing read it.
  const int fd = open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(write(fd, "x", 1), 1);
  auto messages = std::async(std::launch::async, [&] {
    auto what = named_folder_errors(dir_);
    what.push_back(data_error([&] { d2l::read_idx_images(fifo); }));
    return what;
  });
  if (messages.wait_for(std::chrono::seconds(60)) !=
      std::future_status::ready) {
    ADD_FAILURE() << "blocked on the FIFO; closing it to end the read";
    close(fd);
    messages.wait();
    return;
  }
  expect_named(
      messages.get(), fifo.string() + " is a FIFO (named pipe), not a file");
  char byte = 0;
  EXPECT_EQ(read(fd, &byte, 1), 1) << "the FIFO was read";
  close(fd);
}

TEST_F(FashionMnist, AFolderInPlaceOfADataFileIsNamedNotMissing) {
  const fs::path folder = dataset_to_spoil(dir_);
  fs::remove(folder);
  fs::create_directory(folder);
  auto messages = named_folder_errors(dir_);
  messages.push_back(data_error([&] { d2l::read_idx_images(folder); }));
  expect_named(messages, folder.string() + " is a folder, not a file");
}

TEST_F(FashionMnist, ASymlinkLoopInPlaceOfADataFileIsNamedNotMissing) {
  const fs::path loop = dataset_to_spoil(dir_);
  fs::remove(loop);
  fs::create_symlink(loop.filename(), loop);  // points at itself
  auto messages = named_folder_errors(dir_);
  messages.push_back(data_error([&] { d2l::read_idx_images(loop); }));
  expect_named(messages, loop.string() + " is a symlink loop");
}

TEST_F(
    FashionMnist, DevicesSocketsAndBrokenSymlinksInPlaceOfADataFileAreNamed) {
  const fs::path entry = dataset_to_spoil(dir_);
  fs::remove(entry);
  fs::create_symlink("/dev/null", entry);
  expect_named(named_folder_errors(dir_), entry.string() + " is a device");
  fs::remove(entry);
  fs::create_symlink(dir_ / "nowhere.gz", entry);
  expect_named(
      named_folder_errors(dir_),
      entry.string() + " is a symlink to " + (dir_ / "nowhere.gz").string() +
          ", which does not exist");
  fs::remove(entry);
  const int sock = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(entry.string().size(), sizeof addr.sun_path);
  std::strcpy(addr.sun_path, entry.c_str());
  ASSERT_EQ(bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0)
      << std::strerror(errno);
  expect_named(named_folder_errors(dir_), entry.string() + " is a socket");
  close(sock);
}

// Where the user named no folder, a place with something odd in it is
// skipped like a partial download (the next place may have the data); the
// error, when no place has it, says what was in the way.
TEST_F(
    FashionMnist, AFifoInAFallbackFolderIsSkippedAndNamedWhenNothingIsFound) {
  const fs::path fifo =
      dataset_to_spoil(dir_ / "data" / "FashionMNIST" / "raw");
  fs::remove(fifo);
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0) << std::strerror(errno);
  write_dataset(dir_ / "sys", 2, 1);
  d2l_test::ScopedEnv env(d2l::kDataDirEnv, nullptr);
  ScopedCwd cwd(dir_);
  EXPECT_EQ(d2l::find_fashion_mnist("", {dir_ / "sys"}), dir_ / "sys");
  const auto what = data_error([&] { d2l::find_fashion_mnist("", {}); });
  EXPECT_NE(
      what.find(
          "data/FashionMNIST/raw/train-images-idx3-ubyte.gz is a FIFO (named "
          "pipe), not a file"),
      std::string::npos)
      << what;
  EXPECT_NE(
      what.find("apt-get install dataset-fashion-mnist"), std::string::npos)
      << what;
  EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
}

// Root may read a file of mode 000: run as root, the check runs the
// section's executable as user nobody (setpriv), else in this process.
TEST_F(
    FashionMnist, AnUnreadableDataFileIsAPermissionErrorNotADamagedDownload) {
  const fs::path file = dataset_to_spoil(dir_);
  if (fs::is_symlink(file)) {  // a copy of the real file, to chmod
    const fs::path real = fs::read_symlink(file);
    fs::remove(file);
    fs::copy_file(real, file);
  }
  fs::permissions(file, fs::perms::none);
  const passwd* nobody = geteuid() == 0 ? getpwnam("nobody") : nullptr;
  if (geteuid() == 0 &&
      (nobody == nullptr || !fs::exists("/usr/bin/setpriv"))) {
    GTEST_SKIP() << "running as root, which may read a file of mode 000, "
                    "without user nobody and /usr/bin/setpriv to drop to";
  }
  // The file's error, then the folder's (readable, but not searchable:
  // its files cannot be looked at).
  const fs::perms searchable = fs::perms::owner_all | fs::perms::group_read |
                               fs::perms::group_exec | fs::perms::others_read |
                               fs::perms::others_exec;
  const fs::perms unsearchable =
      fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read;
  for (const auto& [mode, unreadable] :
       {std::pair{searchable, file}, std::pair{unsearchable, dir_}}) {
    fs::permissions(dir_, mode);
    std::string what;
    if (nobody == nullptr) {
      what = data_error([&] { d2l::load_fashion_mnist(dir_.string(), true); });
    } else {
      const auto run = d2l_test::run_program(
          "/usr/bin/setpriv",
          {"--reuid=" + std::to_string(nobody->pw_uid),
           "--regid=" + std::to_string(nobody->pw_gid),
           "--clear-groups",
           // The program itself, not its launcher: setpriv may reach a
           // build in a folder that nobody cannot search (/root), but the
           // launcher it starts, running as nobody, could not reach
           // the .real beside it.
           d2l_test::section_exe("3.5-image-classification-dataset") + ".real",
           "--data-dir",
           dir_.string(),
           "--no-figures"});
      if (run.err.rfind("setpriv:", 0) == 0) {
        GTEST_SKIP() << "setpriv cannot run the section as nobody: " << run.err;
      }
      EXPECT_EQ(run.exit_code, 1) << run.err;
      what = run.err;
    }
    EXPECT_NE(
        what.find(
            "permission denied: cannot read " + unreadable.string() +
            " (check its permissions / run as a user who can read it)"),
        std::string::npos)
        << what;
    EXPECT_EQ(what.find("reinstall"), std::string::npos) << what;
    EXPECT_EQ(what.find("damaged"), std::string::npos) << what;
  }
  fs::permissions(dir_, fs::perms::owner_all);
}

// Zero padding (see IdxReader.AcceptsZeroPaddingAfterTheLastGzipMember...)
// on a file the loader finds in a data folder.
TEST_F(FashionMnist, AGzipFilePaddedWithZerosLoadsLikeTheUnpaddedOne) {
  const fs::path labels =
      dataset_to_spoil(dir_).parent_path() / "train-labels-idx1-ubyte.gz";
  const auto before = d2l::load_fashion_mnist(dir_.string(), true);
  const fs::path real =
      fs::is_symlink(labels) ? fs::read_symlink(labels) : labels;
  Bytes padded;
  {
    std::ifstream in(real, std::ios::binary);
    padded.assign(std::istreambuf_iterator<char>(in), {});
  }
  padded.resize((padded.size() / 10240 + 1) * 10240, 0);  // whole tar blocks
  fs::remove(labels);
  write_file(labels, padded);
  const auto after = d2l::load_fashion_mnist(dir_.string(), true);
  EXPECT_TRUE(d2l_test::TensorsIdentical(after.labels, before.labels));
}

}  // namespace
