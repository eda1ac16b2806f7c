// scripts/setup.sh --libtorch: a LibTorch of one's own is found where CMake's
// find_package(Torch) would find it, replaces Debian's libtorch-dev, and a
// folder without one is one line and exit 2 before anything is installed.
// (Building with it is checked by hand in a fresh root: README, "A LibTorch
// of your own".)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support.h"

namespace fs = std::filesystem;

namespace {

// setup.sh --no-build with `args`, into a build folder of its own.
d2l_test::RunResult setup(
    const fs::path& build, const std::vector<std::string>& args) {
  const d2l_test::ScopedEnv dir("D2L_BUILD_DIR", build.string());
  const d2l_test::ScopedEnv torch_dir("Torch_DIR", nullptr);
  const d2l_test::ScopedEnv prefix("CMAKE_PREFIX_PATH", nullptr);
  std::vector<std::string> all = args;
  all.push_back("--no-build");
  return d2l_test::run_program(
      (fs::path(d2l_test::kSourceDir) / "scripts" / "setup.sh").string(), all);
}

// A folder laid out as the official archive:
// share/cmake/Torch/TorchConfig.cmake.
fs::path fake_archive(const fs::path& tmp) {
  const fs::path config = tmp / "libtorch" / "share" / "cmake" / "Torch";
  fs::create_directories(config);
  std::ofstream(config / "TorchConfig.cmake") << "# a stand-in\n";
  return tmp / "libtorch";
}

}  // namespace

TEST(SetupScript, UsesTheGivenLibTorchInsteadOfDebians) {
  if (!fs::exists("/usr/bin/dpkg-query")) {
    GTEST_SKIP() << "setup.sh is for Debian (no dpkg-query)";
  }
  const fs::path tmp = d2l_test::make_temp_dir();
  const fs::path archive = fake_archive(tmp);
  // The archive's folder, its cmake folder (pip's cmake_prefix_path is the
  // like of it) and the config folder itself all name the same LibTorch.
  for (const fs::path& given :
       {archive,
        archive / "share" / "cmake",
        archive / "share" / "cmake" / "Torch"}) {
    SCOPED_TRACE(given.string());
    const auto r = setup(tmp / "build", {"--libtorch", given.string()});
    EXPECT_NE(
        r.out.find(
            "using your LibTorch (" +
            fs::canonical(archive / "share" / "cmake" / "Torch").string() +
            "): Debian's libtorch-dev is not needed"),
        std::string::npos)
        << r.out << r.err;
  }
  // From the environment too.
  {
    const d2l_test::ScopedEnv dir("D2L_BUILD_DIR", (tmp / "build").string());
    const d2l_test::ScopedEnv prefix(
        "CMAKE_PREFIX_PATH", "/nonexistent:" + archive.string());
    const auto r = d2l_test::run_program(
        (fs::path(d2l_test::kSourceDir) / "scripts" / "setup.sh").string(),
        {"--no-build"});
    EXPECT_NE(r.out.find("using your LibTorch"), std::string::npos)
        << r.out << r.err;
  }
  fs::remove_all(tmp);
}

TEST(SetupScript, AFolderWithoutLibTorchIsOneLineAndExitTwo) {
  const fs::path tmp = d2l_test::make_temp_dir();
  const auto missing =
      setup(tmp / "build", {"--libtorch", (tmp / "nope").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no such folder"), std::string::npos)
      << missing.err;
  fs::create_directory(tmp / "empty");
  const auto empty =
      setup(tmp / "build", {"--libtorch", (tmp / "empty").string()});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no TorchConfig.cmake in it"), std::string::npos)
      << empty.err;
  EXPECT_NE(empty.err.find("torch.utils.cmake_prefix_path"), std::string::npos);
  EXPECT_EQ(std::count(empty.err.begin(), empty.err.end(), '\n'), 1)
      << empty.err;
  const auto bare = setup(tmp / "build", {"--libtorch"});
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_FALSE(fs::exists(tmp / "build"));
  fs::remove_all(tmp);
}
