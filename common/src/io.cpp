#include "d2l/io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>
#include <set>

#include "d2l/error.h"

namespace d2l {

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------
// The temporary files and the child process a signal handler cleans up.
// Fixed storage, so that the handler reads no memory that may be freed; a
// slot's path is written while it is held (state 1) and read by the handler
// only while it is live (state 2).

constexpr int kSlots = 64;
struct Slot {
  std::atomic<int> state{0};
  char path[PATH_MAX];
};
Slot g_slots[kSlots];
std::atomic<pid_t> g_child{0};

int hold_slot(const std::string& path) {
  if (path.size() >= PATH_MAX) {
    return -1;
  }
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state.store(2);
      return i;
    }
  }
  return -1;  // more than kSlots at once: not cleaned up by a signal
}

void release_slot(int slot) {
  if (slot >= 0) {
    g_slots[slot].state.store(0);
  }
}

// The temporaries' names: `.<final>.tmp-<pid>-<6 letters or digits>`.
constexpr const char* kTempInfix = ".tmp-";
constexpr std::size_t kSuffixLength = 6;

// The pid in a temporary's name of this naming, or 0.
pid_t temp_owner(const std::string& name) {
  const auto at = name.rfind(kTempInfix);
  if (name.empty() || name[0] != '.' || at == std::string::npos) {
    return 0;
  }
  const std::string rest = name.substr(at + std::strlen(kTempInfix));
  const auto dash = rest.find('-');
  if (dash == 0 || dash == std::string::npos || dash > 9 ||
      rest.size() != dash + 1 + kSuffixLength) {
    return 0;
  }
  pid_t pid = 0;
  for (std::size_t i = 0; i < dash; ++i) {
    if (rest[i] < '0' || rest[i] > '9') {
      return 0;
    }
    pid = pid * 10 + (rest[i] - '0');
  }
  for (std::size_t i = dash + 1; i < rest.size(); ++i) {
    if (std::isalnum(static_cast<unsigned char>(rest[i])) == 0) {
      return 0;
    }
  }
  return pid;
}

// A temporary is stale when the process that made it is not running and it
// is older than this (a process in another pid namespace sharing the folder
// would look absent; its temporaries live for one write, well under this).
constexpr std::time_t kStaleSeconds = 60;

// Removes, once per folder and process, the temporaries of this naming that
// processes no longer running left in `dir` (a run ended by SIGKILL or a
// crash leaves them).
void remove_stale_temporaries(const fs::path& dir) {
  static std::mutex mutex;
  static std::set<std::string> swept;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!swept.insert(dir.string()).second) {
      return;
    }
  }
  std::error_code ec;
  const std::time_t now = std::time(nullptr);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const pid_t pid = temp_owner(name);
    struct stat st {};
    if (pid <= 0 || pid == getpid() ||
        !(::kill(pid, 0) != 0 && errno == ESRCH) ||
        ::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        now - st.st_mtime < kStaleSeconds) {
      continue;
    }
    ::unlink(it->path().c_str());
  }
}

}  // namespace

std::string file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "a folder";
  }
  if (S_ISCHR(mode)) {
    return "a device (character special file)";
  }
  if (S_ISBLK(mode)) {
    return "a device (block special file)";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO (named pipe)";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  if (S_ISLNK(mode)) {
    return "a symbolic link";
  }
  return S_ISREG(mode) ? "a regular file" : "not a regular file";
}

std::optional<fs::path> output_target(
    const fs::path& path, std::string* problem) {
  if (path.empty()) {
    *problem = "is an empty name";
    return std::nullopt;
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return path;  // a new file (a missing folder is the create's to report)
  }
  if (S_ISLNK(st.st_mode)) {
    if (::stat(path.c_str(), &st) != 0) {
      *problem = errno == ELOOP    ? "is a loop of symbolic links"
                 : errno == ENOENT ? "is a symbolic link to a missing file"
                                   : std::string(
                                         "is a symbolic link that cannot be "
                                         "followed: ") +
                                         std::strerror(errno);
      return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
      *problem = "is a symbolic link to " + file_type_name(st.st_mode);
      return std::nullopt;
    }
    std::error_code ec;
    const fs::path resolved = fs::canonical(path, ec);
    return ec ? path : resolved;
  }
  if (!S_ISREG(st.st_mode)) {
    *problem = "is " + file_type_name(st.st_mode);
    return std::nullopt;
  }
  return path;
}

TempFile::TempFile(const fs::path& dir, const std::string& final_name) {
  static std::mutex mutex;
  static std::mt19937_64 rng{
      std::random_device{}() ^ static_cast<uint64_t>(getpid())};
  constexpr char kChars[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  remove_stale_temporaries(dir);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string suffix;
    {
      std::lock_guard<std::mutex> lock(mutex);
      for (std::size_t i = 0; i < kSuffixLength; ++i) {
        suffix += kChars[rng() % (sizeof kChars - 1)];
      }
    }
    path_ = dir /
            fmt::format(".{}{}{}-{}", final_name, kTempInfix, getpid(), suffix);
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
  slot_ = hold_slot(path_.string());
}

TempFile::~TempFile() {
  close_fd();
  if (!committed_) {
    unlink(path_.c_str());
  }
  release_slot(slot_);
}

void TempFile::write_all(const std::string& content, const fs::path& what) {
  if (fd_ < 0) {
    throw Error(fmt::format("cannot write {}: already closed", what.string()));
  }
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
  if (close_fd() != 0) {
    throw Error(fmt::format(
        "cannot write {}: {}", dest.string(), std::strerror(errno)));
  }
  std::string problem;
  const auto target = output_target(dest, &problem);
  if (!target) {
    throw Error(fmt::format(
        "cannot write {}: it {}; remove it or choose another name",
        dest.string(),
        problem));
  }
  struct stat st {};
  if (::stat(target->c_str(), &st) == 0) {
    ::chmod(path_.c_str(), st.st_mode & 07777);
    if (::geteuid() == 0) {
      [[maybe_unused]] const int rc =
          ::chown(path_.c_str(), st.st_uid, st.st_gid);
    }
  }
  if (std::rename(path_.c_str(), target->c_str()) != 0) {
    throw Error(fmt::format(
        "cannot write {}: {}", dest.string(), std::strerror(errno)));
  }
  committed_ = true;
  release_slot(slot_);
  slot_ = -1;
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
  std::string problem;
  const auto target = output_target(path, &problem);
  if (!target) {
    throw Error(fmt::format(
        "cannot write {}: it {}; remove it or choose another name",
        path.string(),
        problem));
  }
  TempFile tmp(
      target->has_parent_path() ? target->parent_path() : fs::path("."),
      target->filename().string());
  tmp.write_all(contents, path);
  tmp.commit(*target);
}

std::string read_whole_file(const fs::path& path, const fs::path& what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    throw Error(
        fmt::format("cannot read {}: {}", what.string(), std::strerror(errno)));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      const int err = errno;
      ::close(fd);
      throw Error(
          fmt::format("cannot read {}: {}", what.string(), std::strerror(err)));
    }
  }
  ::close(fd);
  return out;
}

std::string printable(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    // The length of a well-formed UTF-8 sequence starting here, or 0.
    std::size_t len = c >= 0x20 && c < 0x7F ? 1
                      : (c >> 5) == 6       ? 2
                      : (c >> 4) == 14      ? 3
                      : (c >> 3) == 30      ? 4
                                            : 0;
    if (len > 1) {
      uint32_t cp = c & (0x7F >> len);
      for (std::size_t k = 1; k < len; ++k) {
        const auto b =
            i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
        if ((b & 0xC0) != 0x80) {
          len = 0;
          break;
        }
        cp = (cp << 6) | (b & 0x3F);
      }
      // Overlong forms, surrogates and beyond U+10FFFF are not characters.
      static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      if (len > 1 && (cp < kMin[len] || (cp >= 0xD800 && cp <= 0xDFFF) ||
                      cp > 0x10FFFF || (cp >= 0x80 && cp < 0xA0))) {
        len = 0;
      }
    }
    if (c == '\t') {
      out += ' ';
      ++i;
    } else if (len == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  return out;
}

void set_running_child(pid_t pid) {
  g_child.store(pid);
}

void remove_temporaries_now() noexcept {
  const pid_t child = g_child.load();
  if (child > 0) {
    ::kill(child, SIGKILL);
  }
  for (auto& slot : g_slots) {
    if (slot.state.load() == 2) {
      ::unlink(slot.path);
    }
  }
}

}  // namespace d2l
