// scripts/setup.sh --libtorch: a LibTorch of one's own is found where CMake's
// find_package(Torch) would find it, replaces Debian's libtorch-dev, and a
// folder without one, or one built with the pre-C++11 string ABI, is one
// line and exit 2 before anything is installed; CMakeLists.txt refuses the
// latter too (BuildConfig), for those who configure without setup.sh.
// (Building with it is checked by hand in a fresh root: README, "A LibTorch
// of your own".)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "d2l_test_paths.h"
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
fs::path fake_archive(const fs::path& tmp,
                      const std::string& text = "# a stand-in\n") {
  const fs::path config = tmp / "libtorch" / "share" / "cmake" / "Torch";
  fs::create_directories(config);
  std::ofstream(config / "TorchConfig.cmake") << text;
  return tmp / "libtorch";
}

// What a pre-C++11-ABI LibTorch's TorchConfig.cmake says (pytorch.org's
// other archive, pip's torch before 2.7): the same line with 0 for 1.
constexpr const char* kPreCxx11AbiFlags =
    "set(TORCH_CXX_FLAGS \"-D_GLIBCXX_USE_CXX11_ABI=0\")\n";

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

TEST(SetupScript, APreCxx11AbiLibTorchIsOneLineAndExitTwo) {
  const fs::path tmp = d2l_test::make_temp_dir();
  const fs::path archive = fake_archive(tmp, kPreCxx11AbiFlags);
  const auto r = setup(tmp / "build", {"--libtorch", archive.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("pre-C++11 string ABI (_GLIBCXX_USE_CXX11_ABI=0)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("cxx11-ABI archive"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.out.find("installing"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(tmp / "build"));
  fs::remove_all(tmp);
}

// CMake itself refuses such a LibTorch before anything is compiled: the
// build's own TorchConfig.cmake, wrapped to set the flag as a pre-C++11-ABI
// LibTorch sets it, configured afresh with this build's cmake and compiler.
TEST(BuildConfig, RefusesAPreCxx11AbiLibTorch) {
  const fs::path tmp = d2l_test::make_temp_dir();
  const fs::path config = tmp / "Torch";
  fs::create_directories(config);
  std::ofstream(config / "TorchConfig.cmake")
      << "include(\"" << d2l_test::kTorchDir << "/TorchConfig.cmake\")\n"
      << kPreCxx11AbiFlags;
  const auto r = d2l_test::run_program(
      d2l_test::kCMakeCommand,
      {"-S", d2l_test::kSourceDir, "-B", (tmp / "build").string(), "-G",
       d2l_test::kCMakeGenerator,
       std::string("-DCMAKE_CXX_COMPILER=") + d2l_test::kCxxCompiler,
       "-DTorch_DIR=" + config.string(), "-DD2L_BUILD_TESTS=OFF"});
  EXPECT_NE(r.exit_code, 0);
  // CMake wraps a message's lines: compare with runs of blanks as one.
  std::string all;
  for (const char c : r.out + r.err) {
    const bool blank = c == ' ' || c == '\n';
    if (!blank || (!all.empty() && all.back() != ' ')) all += blank ? ' ' : c;
  }
  EXPECT_NE(all.find("pre-C++11 string"), std::string::npos) << all;
  EXPECT_NE(all.find("--libtorch debian"), std::string::npos) << all;
  EXPECT_FALSE(fs::exists(tmp / "build" / "build.ninja")) << all;
  fs::remove_all(tmp);
}
