#include "d2l/io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <random>

#include "d2l/error.h"

namespace d2l {

namespace fs = std::filesystem;

TempFile::TempFile(const fs::path& dir, const std::string& final_name) {
  static std::mutex mutex;
  static std::mt19937_64 rng{
      std::random_device{}() ^ static_cast<uint64_t>(getpid())};
  constexpr char kChars[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string suffix;
    {
      std::lock_guard<std::mutex> lock(mutex);
      for (int i = 0; i < 6; ++i) {
        suffix += kChars[rng() % (sizeof kChars - 1)];
      }
    }
    path_ = dir / ("." + final_name + ".tmp-" + suffix);
    fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0 || errno != EEXIST) {
      break;
    }
  }
  if (fd_ < 0) {
    throw Error(fmt::format(
        "cannot write {}: {} (does the folder exist and is it writable?)",
        (dir / final_name).string(),
        std::strerror(errno)));
  }
}

TempFile::~TempFile() {
  close_fd();
  if (!committed_) {
    unlink(path_.c_str());
  }
}

void TempFile::write_all(const std::string& content, const fs::path& what) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n =
        ::write(fd_, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      throw Error(fmt::format(
          "cannot write {}: {}", what.string(), std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  if (close_fd() != 0) {
    throw Error(fmt::format(
        "cannot write {}: {}", what.string(), std::strerror(errno)));
  }
}

void TempFile::commit(const fs::path& dest) {
  close_fd();
  if (std::rename(path_.c_str(), dest.c_str()) != 0) {
    throw Error(fmt::format(
        "cannot write {}: {}", dest.string(), std::strerror(errno)));
  }
  committed_ = true;
}

int TempFile::close_fd() {
  int rc = 0;
  if (fd_ >= 0) {
    rc = ::close(fd_);
    fd_ = -1;
  }
  return rc;
}

void write_file_atomically(const fs::path& path, const std::string& contents) {
  TempFile tmp(
      path.has_parent_path() ? path.parent_path() : fs::path("."),
      path.filename().string());
  tmp.write_all(contents, path);
  tmp.commit(path);
}

}  // namespace d2l
