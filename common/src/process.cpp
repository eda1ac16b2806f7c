#include "d2l/process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "d2l/io.h"

extern char** environ;

namespace d2l {

ProcessResult run_process(
    const std::string& program,
    const std::vector<std::string>& args,
    const ProcessOptions& options) {
  ProcessResult result;
  // One pipe per captured stream: [read end, write end].
  int pipes[2][2] = {{-1, -1}, {-1, -1}};
  const bool capture[2] = {options.capture_out, options.capture_err};
  const auto close_pipes = [&] {
    for (auto& p : pipes) {
      for (int& fd : p) {
        if (fd >= 0) {
          close(fd);
          fd = -1;
        }
      }
    }
  };
  for (int i = 0; i < 2; ++i) {
    if (capture[i] && pipe2(pipes[i], O_CLOEXEC) != 0) {
      result.spawn_error = errno;
      close_pipes();
      return result;
    }
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  for (int i = 0; i < 2; ++i) {
    if (capture[i]) {
      posix_spawn_file_actions_adddup2(&actions, pipes[i][1], i + 1);
    } else {
      posix_spawn_file_actions_addopen(
          &actions, i + 1, "/dev/null", O_WRONLY, 0);
    }
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigset_t all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(
      &attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(
      &pid, program.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  for (auto& p : pipes) {
    if (p[1] >= 0) {
      close(p[1]);
      p[1] = -1;
    }
  }
  if (rc != 0) {
    close_pipes();
    result.spawn_error = rc;
    return result;
  }
  set_running_child(pid);
  result.started = true;
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(options.limit_s));
  std::string* sinks[2] = {&result.out, &result.err};
  char buf[65536];
  for (;;) {
    pollfd fds[2];
    int nfds = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (pipes[i][0] >= 0) {
        fds[nfds] = {pipes[i][0], POLLIN, 0};
        which[nfds++] = i;
      }
    }
    if (nfds == 0) {
      break;  // every captured stream ended: the program is ending
    }
    int wait_ms = -1;
    if (options.limit_s > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        kill(pid, SIGKILL);
        result.timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<int64_t>(left.count() + 1, 1000000));
    }
    const int ready = poll(fds, nfds, wait_ms);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      if (ready < 0) {
        break;
      }
      continue;  // the deadline check above ends it
    }
    for (int k = 0; k < nfds; ++k) {
      if ((fds[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        continue;
      }
      const int i = which[k];
      const ssize_t n = read(pipes[i][0], buf, sizeof buf);
      if (n > 0) {
        std::string& sink = *sinks[i];
        if (sink.size() < options.max_bytes) {
          sink.append(
              buf,
              std::min(
                  static_cast<std::size_t>(n),
                  options.max_bytes - sink.size()));
        }
      } else if (n == 0 || errno != EINTR) {
        close(pipes[i][0]);
        pipes[i][0] = -1;
      }
    }
  }
  // Without a captured stream, or once the limit has passed: wait for the
  // end (the limit: it was killed).
  if (options.limit_s > 0 && !result.timed_out) {
    for (;;) {
      int status = 0;
      const pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        close_pipes();
        set_running_child(0);
        result.exit_code =
            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return result;
      }
      if (done < 0 && errno != EINTR) {
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        kill(pid, SIGKILL);
        result.timed_out = true;
        break;
      }
      usleep(1000);
    }
  }
  close_pipes();
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  set_running_child(0);
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string find_program(const std::string& program) {
  const auto runnable = [](const std::string& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec) &&
           access(p.c_str(), X_OK) == 0;
  };
  if (program.find('/') != std::string::npos) {
    return runnable(program) ? program : "";
  }
  const char* path_env = std::getenv("PATH");
  const std::string dirs = path_env ? path_env : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) {
      end = dirs.size();
    }
    const std::string dir = dirs.substr(start, end - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (runnable(candidate)) {
      return candidate;
    }
    start = end + 1;
  }
  return "";
}

}  // namespace d2l
