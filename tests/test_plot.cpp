// Figures (d2l/plot.h): files written atomically, the gnuplot-less fallback,
// errors, and matplotlib's format strings.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "support.h"

namespace fs = std::filesystem;

namespace {

// A temporary folder, removed with everything in it at the end of a test.
class FigureFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = d2l_test::make_temp_dir();
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // The names of the files in the folder, sorted.
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  d2l::FigureTarget target(const std::string& name) const {
    return d2l::FigureTarget{dir_, name, true};
  }

  std::string path(const std::string& file) const {
    return (fs::path(dir_) / file).string();
  }

  std::string dir_;
};

// Test suites named after the function under test.
using Plot = FigureFolder;
using Scatter = FigureFolder;
using ShowImages = FigureFolder;

#define REQUIRE_GNUPLOT()                                          \
  if (!d2l::gnuplot_available()) {                                 \
    GTEST_SKIP() << "gnuplot is not installed (set D2L_GNUPLOT?)"; \
  }

// True when `bytes` start like a PNG file.
bool is_png(const std::string& bytes) {
  return bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0 && bytes.size() > 24;
}

// Width and height from a PNG's IHDR chunk.
std::pair<uint32_t, uint32_t> png_size(const std::string& bytes) {
  const auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    }
    return v;
  };
  return {be32(16), be32(20)};
}

// True when `text` is an SVG document.
bool is_svg(const std::string& text) {
  return text.find("<svg") != std::string::npos &&
         text.find("</svg>") != std::string::npos;
}

// The book's figure of section 3.1: three normal densities.
std::vector<d2l::Series> normal_densities(d2l::PlotOptions* options) {
  std::vector<d2l::Series> lines;
  const double params[3][2] = {{0, 1}, {0, 2}, {3, 1}};
  for (const auto& p : params) {
    d2l::Series s;
    for (int i = 0; i < 1400; ++i) {
      const double x = -7 + 0.01 * i;
      const double sigma = p[1];
      s.x.push_back(x);
      s.y.push_back(
          std::exp(-0.5 / (sigma * sigma) * (x - p[0]) * (x - p[0])) /
          std::sqrt(2 * M_PI * sigma * sigma));
    }
    lines.push_back(s);
    options->legend.push_back(
        "mean " + std::to_string(static_cast<int>(p[0])) + ", std " +
        std::to_string(static_cast<int>(p[1])));
  }
  options->xlabel = "x";
  options->ylabel = "p(x)";
  options->figsize = {4.5, 2.5};
  return lines;
}

// An executable shell script in `dir` that complains and fails like gnuplot.
std::string failing_gnuplot(const std::string& dir) {
  const std::string script = (fs::path(dir) / "fake-gnuplot").string();
  std::ofstream(script) << "#!/bin/sh\n"
                           "echo 'plot $line0 using 1:2' >&2\n"
                           "echo '     ^' >&2\n"
                           "echo '\"x.gp\" line 7: invented failure' >&2\n"
                           "exit 1\n";
  chmod(script.c_str(), 0755);
  return script;
}

}  // namespace

TEST_F(Plot, WritesPngAndSvg) {
  REQUIRE_GNUPLOT();
  d2l::PlotOptions options;
  const auto lines = normal_densities(&options);
  d2l::plot(lines, options, target("normal"));
  EXPECT_EQ(files(), (std::vector<std::string>{"normal.png", "normal.svg"}));
  const std::string png = d2l_test::read_file(path("normal.png"));
  ASSERT_TRUE(is_png(png));
  // figsize (4.5, 2.5) inches at 100 dpi.
  EXPECT_EQ(png_size(png), std::make_pair(450u, 250u));
  const std::string svg = d2l_test::read_file(path("normal.svg"));
  EXPECT_TRUE(is_svg(svg));
  EXPECT_NE(svg.find("width=\"450\" height=\"250\""), std::string::npos);
  EXPECT_NE(svg.find("mean 0, std 2"), std::string::npos);
}

TEST_F(Plot, RedrawingReplacesTheFiles) {
  REQUIRE_GNUPLOT();
  // The Animator redraws the same figure after every epoch.
  d2l::PlotOptions options;
  options.xlim = {{1, 10}};
  options.ylim = {{0.3, 0.9}};
  options.legend = {"train loss", "train acc", "test acc"};
  std::vector<d2l::Series> lines(3);
  for (int epoch = 1; epoch <= 3; ++epoch) {
    for (auto& line : lines) {
      line.x.push_back(epoch);
      line.y.push_back(0.3 + 0.1 * epoch);
    }
    d2l::plot(lines, options, target("animator"));
  }
  EXPECT_EQ(
      files(), (std::vector<std::string>{"animator.png", "animator.svg"}));
}

TEST_F(Plot, DisabledTargetWritesNothing) {
  d2l::PlotOptions options;
  const auto lines = normal_densities(&options);
  d2l::FigureTarget off{dir_, "off", false};
  d2l::plot(lines, options, off);
  d2l::scatter({1, 2}, {3, 4}, 1, options, off);
  d2l::show_images(
      torch::rand({2, 4, 4}), 1, 2, {}, 1.0, d2l::Colormap::kGray, off);
  EXPECT_TRUE(files().empty());
  // Not even a missing folder matters.
  off.dir = fs::path(dir_) / "missing";
  EXPECT_NO_THROW(d2l::plot(lines, options, off));
}

TEST_F(Plot, MissingGnuplotLeavesOnlyTheScript) {
  d2l::PlotOptions options;
  const auto lines = normal_densities(&options);
  {
    d2l_test::ScopedEnv env("D2L_GNUPLOT", "/nonexistent/gnuplot");
    EXPECT_FALSE(d2l::gnuplot_available());
    d2l::plot(lines, options, target("later"));
    d2l::scatter({1, 2}, {3, 4}, 1, options, target("points"));
  }
  EXPECT_EQ(files(), (std::vector<std::string>{"later.gp", "points.gp"}));
  const std::string script = d2l_test::read_file(path("later.gp"));
  // Self-contained, and drawing next to itself.
  EXPECT_NE(script.find("$line0 << EOD"), std::string::npos);
  EXPECT_NE(script.find("set output 'later.png'"), std::string::npos);
  EXPECT_NE(script.find("set output 'later.svg'"), std::string::npos);
  EXPECT_EQ(script.find(dir_), std::string::npos);

  // Rendered later, in its folder, it makes the figure.
  REQUIRE_GNUPLOT();
  const auto run = d2l_test::run_program(
      "/usr/bin/env", {"gnuplot", "-e", "cd '" + dir_ + "'", path("later.gp")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(is_png(d2l_test::read_file(path("later.png"))));
  EXPECT_TRUE(is_svg(d2l_test::read_file(path("later.svg"))));
}

TEST_F(Plot, GnuplotFoundAgainRemovesStaleScript) {
  REQUIRE_GNUPLOT();
  d2l::PlotOptions options;
  const auto lines = normal_densities(&options);
  {
    d2l_test::ScopedEnv env("D2L_GNUPLOT", "/nonexistent/gnuplot");
    d2l::plot(lines, options, target("fig"));
  }
  ASSERT_TRUE(d2l::gnuplot_available());
  d2l::plot(lines, options, target("fig"));
  EXPECT_EQ(files(), (std::vector<std::string>{"fig.png", "fig.svg"}));
}

TEST_F(Plot, MissingFolderThrowsAndWritesNothing) {
  d2l::PlotOptions options;
  const auto lines = normal_densities(&options);
  d2l::FigureTarget bad{fs::path(dir_) / "no" / "such", "fig", true};
  try {
    d2l::plot(lines, options, bad);
    FAIL() << "expected d2l::Error";
  } catch (const d2l::Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("fig."), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  // Also when there is no gnuplot to run.
  d2l_test::ScopedEnv env("D2L_GNUPLOT", "/nonexistent/gnuplot");
  EXPECT_THROW(d2l::plot(lines, options, bad), d2l::Error);
  EXPECT_TRUE(files().empty());
}

TEST_F(Plot, UnwritableFolderThrowsAndWritesNothing) {
  d2l::PlotOptions options;
  // A "folder" that is a file.
  const fs::path file = fs::path(dir_) / "file";
  std::ofstream(file.string()) << "not a folder";
  EXPECT_THROW(
      d2l::plot({}, options, d2l::FigureTarget{file, "fig", true}), d2l::Error);
  EXPECT_EQ(files(), (std::vector<std::string>{"file"}));
  if (geteuid() == 0) {
    return;  // root writes into read-only folders
  }
  const fs::path locked = fs::path(dir_) / "locked";
  fs::create_directory(locked);
  chmod(locked.c_str(), 0555);
  EXPECT_THROW(
      d2l::plot({}, options, d2l::FigureTarget{locked, "fig", true}),
      d2l::Error);
  EXPECT_TRUE(fs::is_empty(locked));
  chmod(locked.c_str(), 0755);
}

TEST_F(Plot, GnuplotFailureThrowsItsMessageAndCleansUp) {
  const std::string fake = failing_gnuplot(dir_);
  d2l_test::ScopedEnv env("D2L_GNUPLOT", fake);
  d2l::PlotOptions options;
  const auto lines = normal_densities(&options);
  try {
    d2l::plot(lines, options, target("broken"));
    FAIL() << "expected d2l::Error";
  } catch (const d2l::Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("broken.png"), std::string::npos) << message;
    EXPECT_NE(message.find("line 7: invented failure"), std::string::npos)
        << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  EXPECT_EQ(files(), (std::vector<std::string>{"fake-gnuplot"}));
}

TEST_F(Plot, LabelsWithQuotesAndNonAsciiRender) {
  REQUIRE_GNUPLOT();
  d2l::PlotOptions options;
  options.xlabel = "迭代周期 (epoch)";
  options.ylabel = "say \"hi\" \\ 50% @x_1^2";
  options.legend = {"it's", "训练损失"};
  options.yscale = "log";
  d2l::Series a{{1, 2, 3}, {1, 10, 100}};
  d2l::Series b{{1, 2, 3}, {100, 10, 1}};
  d2l::plot({a, b}, options, target("labels"));
  EXPECT_EQ(files(), (std::vector<std::string>{"labels.png", "labels.svg"}));
  const std::string svg = d2l_test::read_file(path("labels.svg"));
  // The SVG keeps every character (the PNG may lack a CJK font).
  EXPECT_NE(svg.find("训练损失"), std::string::npos);
}

TEST_F(Plot, EmptyAndUnevenLinesAreHandled) {
  REQUIRE_GNUPLOT();
  d2l::PlotOptions options;
  options.legend = {"empty"};
  d2l::plot({d2l::Series{}}, options, target("empty"));
  d2l::plot({}, options, target("none"));
  EXPECT_EQ(
      files(),
      (std::vector<std::string>{
          "empty.png", "empty.svg", "none.png", "none.svg"}));
  EXPECT_THROW(
      d2l::plot({d2l::Series{{1, 2}, {1}}}, options, target("uneven")),
      d2l::Error);
  options.xscale = "logarithmic";
  EXPECT_THROW(
      d2l::plot({d2l::Series{{1, 2}, {1, 2}}}, options, target("scale")),
      d2l::Error);
}

TEST(PlotFormat, ParsesTheBooksFormats) {
  const auto solid = d2l::parse_line_format("-");
  EXPECT_EQ(solid.color, "");
  EXPECT_EQ(solid.linestyle, "-");
  EXPECT_EQ(solid.marker, 0);
  const auto magenta = d2l::parse_line_format("m--");
  EXPECT_EQ(magenta.color, "#bf00bf");
  EXPECT_EQ(magenta.linestyle, "--");
  const auto green = d2l::parse_line_format("g-.");
  EXPECT_EQ(green.color, "#008000");
  EXPECT_EQ(green.linestyle, "-.");
  const auto red = d2l::parse_line_format("r:");
  EXPECT_EQ(red.color, "#ff0000");
  EXPECT_EQ(red.linestyle, ":");
}

TEST(PlotFormat, ParsesMarkersNumberedColoursAnyOrder) {
  const auto dots = d2l::parse_line_format("bo");
  EXPECT_EQ(dots.color, "#0000ff");
  EXPECT_EQ(dots.linestyle, "");  // markers only
  EXPECT_EQ(dots.marker, 'o');
  const auto mixed = d2l::parse_line_format("--xk");
  EXPECT_EQ(mixed.color, "#000000");
  EXPECT_EQ(mixed.linestyle, "--");
  EXPECT_EQ(mixed.marker, 'x');
  EXPECT_EQ(d2l::parse_line_format("C1").color, "#ff7f0e");
  EXPECT_EQ(d2l::parse_line_format("").linestyle, "-");
}

TEST(PlotFormat, RejectsInvalidFormats) {
  EXPECT_THROW(d2l::parse_line_format("q"), d2l::Error);
  EXPECT_THROW(d2l::parse_line_format("rg"), d2l::Error);
  EXPECT_THROW(d2l::parse_line_format("---"), d2l::Error);
  EXPECT_THROW(d2l::parse_line_format("o."), d2l::Error);
}

TEST_F(Scatter, WritesPngAndSvg) {
  REQUIRE_GNUPLOT();
  torch::manual_seed(0);
  const auto x = torch::normal(0, 1, {1000});
  const auto y = 4.2 - 3.4 * x + torch::normal(0, 0.01, {1000});
  d2l::PlotOptions options;  // d2l.set_figsize(): 3.5 x 2.5 inches
  d2l::scatter(
      d2l::to_vector(x), d2l::to_vector(y), 1, options, target("scatter"));
  EXPECT_EQ(files(), (std::vector<std::string>{"scatter.png", "scatter.svg"}));
  const std::string png = d2l_test::read_file(path("scatter.png"));
  ASSERT_TRUE(is_png(png));
  EXPECT_EQ(png_size(png), std::make_pair(350u, 250u));
  EXPECT_TRUE(is_svg(d2l_test::read_file(path("scatter.svg"))));
  EXPECT_THROW(
      d2l::scatter({1, 2}, {1}, 1, options, target("uneven")), d2l::Error);
}

TEST_F(ShowImages, DrawsATitledGrid) {
  REQUIRE_GNUPLOT();
  torch::manual_seed(0);
  const auto images = torch::rand({6, 28, 28});
  const std::vector<std::string> titles = {
      "ankle boot", "trouser\nshirt", "t-shirt", "bag", "sandal", "coat"};
  d2l::show_images(
      images, 2, 3, titles, 1.5, d2l::Colormap::kViridis, target("grid"));
  EXPECT_EQ(files(), (std::vector<std::string>{"grid.png", "grid.svg"}));
  const std::string png = d2l_test::read_file(path("grid.png"));
  ASSERT_TRUE(is_png(png));
  // (num_cols * scale, num_rows * scale) inches.
  EXPECT_EQ(png_size(png), std::make_pair(450u, 300u));
  const std::string svg = d2l_test::read_file(path("grid.svg"));
  EXPECT_TRUE(is_svg(svg));
  EXPECT_NE(svg.find("ankle boot"), std::string::npos);
}

TEST_F(ShowImages, AcceptsChannelDimAndFewerImages) {
  REQUIRE_GNUPLOT();
  // N x 1 x H x W, fewer images and titles than cells, gray colour map.
  const auto images = torch::rand({4, 1, 8, 12});
  d2l::show_images(
      images, 2, 3, {"one"}, 1.0, d2l::Colormap::kGray, target("gray"));
  EXPECT_EQ(files(), (std::vector<std::string>{"gray.png", "gray.svg"}));
  EXPECT_TRUE(is_png(d2l_test::read_file(path("gray.png"))));
}

TEST_F(ShowImages, RejectsBadShapes) {
  EXPECT_THROW(
      d2l::show_images(
          torch::rand({2, 3, 8, 8}),
          1,
          2,
          {},
          1.0,
          d2l::Colormap::kViridis,
          target("rgb")),
      d2l::Error);
  EXPECT_THROW(
      d2l::show_images(
          torch::rand({2, 8, 8}),
          0,
          2,
          {},
          1.0,
          d2l::Colormap::kViridis,
          target("rows")),
      d2l::Error);
  EXPECT_TRUE(files().empty());
}
