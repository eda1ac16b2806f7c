// Figures (d2l/plot.h): files written atomically, the gnuplot-less fallback,
// errors, matplotlib's format strings, the book's layout (sizes, legend
// placement, limits) and the one line per figure on stderr.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "plot_internal.h"
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

// The book's figure of section 3.6 (cell 19): the animator's final data.
std::vector<d2l::Series> book_training_curves(d2l::PlotOptions* options) {
  const std::vector<std::vector<double>> values = {
      {0.7865,
       0.5703,
       0.5257,
       0.5019,
       0.4857,
       0.4743,
       0.4649,
       0.4580,
       0.4529,
       0.4471},
      {0.7487,
       0.8130,
       0.8248,
       0.8318,
       0.8369,
       0.8397,
       0.8420,
       0.8449,
       0.8453,
       0.8482},
      {0.7899,
       0.8094,
       0.8131,
       0.8246,
       0.8231,
       0.8286,
       0.8222,
       0.8298,
       0.8309,
       0.8268}};
  std::vector<d2l::Series> lines(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    for (size_t epoch = 1; epoch <= values[i].size(); ++epoch) {
      lines[i].x.push_back(static_cast<double>(epoch));
      lines[i].y.push_back(values[i][epoch - 1]);
    }
  }
  options->xlabel = "epoch";
  options->xlim = {{1, 10}};
  options->ylim = {{0.3, 0.9}};
  options->legend = {"train loss", "train acc", "test acc"};
  return lines;
}

// What a figure's gnuplot script (left when there is no gnuplot) says.
struct Script {
  std::string text;

  // The PNG canvas size, in pixels.
  std::pair<int, int> size() const {
    const std::string key = "set terminal pngcairo size ";
    const auto at = text.find(key);
    if (at == std::string::npos) {
      return {0, 0};
    }
    int w = 0;
    int h = 0;
    char comma = 0;
    std::istringstream(text.substr(at + key.size())) >> w >> comma >> h;
    return {w, h};
  }
  // The limits of axis `name` ("x" or "y").
  std::pair<double, double> range(const std::string& name) const {
    const std::string key = "set " + name + "range [";
    const auto at = text.find(key);
    if (at == std::string::npos) {
      return {NAN, NAN};
    }
    double lo = NAN;
    double hi = NAN;
    char colon = 0;
    std::istringstream(text.substr(at + key.size())) >> lo >> colon >> hi;
    return {lo, hi};
  }
  // The legend's place, as matplotlib names it ("upper left", ...).
  std::string legend() const {
    const std::string key = "# legend at '";
    const auto at = text.find(key);
    if (at == std::string::npos) {
      return "";
    }
    const auto start = at + key.size();
    return text.substr(start, text.find('\'', start) - start);
  }
};

// Draws with `draw` while gnuplot is missing; returns the script it left.
template <typename Draw>
Script script_of(const std::string& dir, const std::string& name, Draw draw) {
  d2l_test::ScopedEnv env("D2L_GNUPLOT", "/nonexistent/gnuplot");
  testing::internal::CaptureStderr();
  draw(d2l::FigureTarget{dir, name, true});
  testing::internal::GetCapturedStderr();
  return Script{d2l_test::read_file((fs::path(dir) / (name + ".gp")).string())};
}

// Fashion-MNIST-sized images (28 x 28) with the book's kind of titles.
torch::Tensor some_images(int64_t n) {
  torch::manual_seed(0);
  return torch::rand({n, 28, 28});
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
  // figsize (4.5, 2.5) inches at 100 dpi, cropped as the notebook crops:
  // the book's 3.1_cell07_fig1.png is 420 x 255.
  EXPECT_EQ(png_size(png), std::make_pair(420u, 255u));
  const std::string svg = d2l_test::read_file(path("normal.svg"));
  EXPECT_TRUE(is_svg(svg));
  EXPECT_NE(svg.find("width=\"420\" height=\"255\""), std::string::npos);
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
  testing::internal::CaptureStderr();
  d2l::plot(lines, options, off);
  d2l::scatter({1, 2}, {3, 4}, 1, options, off);
  d2l::show_images(
      torch::rand({2, 4, 4}), 1, 2, {}, 1.0, d2l::Colormap::kGray, off);
  EXPECT_TRUE(files().empty());
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
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
  EXPECT_NE(script.find("set output \"later.png\""), std::string::npos);
  EXPECT_NE(script.find("set output \"later.svg\""), std::string::npos);
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
  // Near the book's 3.2_cell05_fig1.png (330 x 236; tick labels differ).
  const auto [w, h] = png_size(png);
  EXPECT_NEAR(w, 330, 4);
  EXPECT_NEAR(h, 236, 4);
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
  // A (num_cols * scale, num_rows * scale) inch figure, cropped.
  const auto [w, h] = png_size(png);
  EXPECT_LT(w, 450u);
  EXPECT_LT(h, 300u);
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

// The notebook shows the book's figures cropped to what is drawn plus 0.1
// inch (`bbox_inches='tight'`); the files come out the size of the book's.
TEST_F(Plot, CroppedToTheSizeOfTheBooksFigures) {
  d2l::PlotOptions normal;
  const auto densities = normal_densities(&normal);
  const auto normal_script = script_of(
      dir_, "normal", [&](const auto& t) { d2l::plot(densities, normal, t); });
  EXPECT_EQ(normal_script.size(), std::make_pair(420, 255));  // 3.1 cell 7

  d2l::PlotOptions training;
  const auto curves = book_training_curves(&training);
  const auto training_script = script_of(
      dir_, "training", [&](const auto& t) { d2l::plot(curves, training, t); });
  EXPECT_EQ(training_script.size(), std::make_pair(331, 255));  // 3.6 cell 19

  // 3.5 cell 7: 2 x 9 images at scale 1.5, one-line titles.
  const std::vector<std::string> names(18, "ankle boot");
  const auto grid = script_of(dir_, "grid", [&](const auto& t) {
    d2l::show_images(
        some_images(18), 2, 9, names, 1.5, d2l::Colormap::kViridis, t);
  });
  EXPECT_EQ(grid.size().first, 1071);
  EXPECT_NEAR(grid.size().second, 269, 1);
  // 3.6 cell 20: 1 x 6 images, two-line titles.
  const std::vector<std::string> pairs(6, "trouser\ntrouser");
  const auto row = script_of(dir_, "row", [&](const auto& t) {
    d2l::show_images(
        some_images(6), 1, 6, pairs, 1.5, d2l::Colormap::kViridis, t);
  });
  EXPECT_EQ(row.size(), std::make_pair(722, 162));
}

// In the image grids each image fills its share of the width as in the
// book's (about 84%: 99.6 of 118.6 pixels in 3.6 cell 20).
TEST_F(ShowImages, ImagesFillTheirCellsAsInTheBook) {
  const auto row = script_of(dir_, "row", [&](const auto& t) {
    d2l::show_images(some_images(6), 1, 6, {}, 1.5, d2l::Colormap::kViridis, t);
  });
  // The first image's left and right margins, in screen fractions.
  const auto margin = [&](const std::string& side) {
    const std::string key = "set " + side + "margin at screen ";
    return std::stod(row.text.substr(row.text.find(key) + key.size()));
  };
  const double width_px = (margin("r") - margin("l")) * row.size().first;
  EXPECT_NEAR(width_px, 99.6, 1.0);
}

// matplotlib's loc='best': the first of its places that the curves avoid,
// as the book's figures show (3.1: upper left, clear of N(0, 1)'s left
// flank; 3.6: right, between the loss and the accuracies).
TEST_F(Plot, LegendGoesWhereTheBooksDoes) {
  d2l::PlotOptions normal;
  const auto densities = normal_densities(&normal);
  EXPECT_EQ(
      script_of(
          dir_,
          "normal",
          [&](const auto& t) { d2l::plot(densities, normal, t); })
          .legend(),
      "upper left");
  d2l::PlotOptions training;
  const auto curves = book_training_curves(&training);
  EXPECT_EQ(
      script_of(
          dir_,
          "training",
          [&](const auto& t) { d2l::plot(curves, training, t); })
          .legend(),
      "right");
  // With nothing in the way, matplotlib's first choice.
  d2l::PlotOptions empty;
  empty.legend = {"nothing"};
  EXPECT_EQ(
      script_of(
          dir_,
          "empty",
          [&](const auto& t) { d2l::plot({d2l::Series{}}, empty, t); })
          .legend(),
      "upper right");
}

// The Animator keeps the book's limits (0.3, 0.9) while the lines fit, and
// lets a line that leaves them show (3.6 --stable --lr 10: loss 35).
TEST_F(Plot, LimitsGrowToTakeInDataOutsideThem) {
  d2l::PlotOptions options;
  const auto curves = book_training_curves(&options);
  options.limits_grow = true;
  const auto range = [&](const std::vector<d2l::Series>& lines) {
    return script_of(
               dir_,
               "fig",
               [&](const auto& t) { d2l::plot(lines, options, t); })
        .range("y");
  };
  EXPECT_EQ(range(curves), std::make_pair(0.3, 0.9));
  auto high = curves;
  high[0].y[0] = 35;
  const auto [lo, hi] = range(high);
  EXPECT_EQ(lo, 0.3);
  EXPECT_GT(hi, 35);
  EXPECT_LT(hi, 35 + 0.06 * (35 - 0.3));  // matplotlib's 5% margin
  auto low = curves;
  low[2].y[1] = 0.1;
  const auto low_range = range(low);
  EXPECT_LT(low_range.first, 0.1);
  EXPECT_EQ(low_range.second, 0.9);
  // Fixed limits stay fixed.
  options.limits_grow = false;
  EXPECT_EQ(range(high), std::make_pair(0.3, 0.9));
  // The x limits too, and non-finite values are ignored.
  options.limits_grow = true;
  auto later = curves;
  later[1].x.push_back(12);
  later[1].y.push_back(std::nan(""));
  later[0].x.push_back(std::numeric_limits<double>::infinity());
  later[0].y.push_back(0.5);
  EXPECT_EQ(range(later), std::make_pair(0.3, 0.9));
  const auto x = script_of(dir_, "fig", [&](const auto& t) {
                   d2l::plot(later, options, t);
                 }).range("x");
  EXPECT_EQ(x.first, 1);
  EXPECT_GT(x.second, 12);
}

// A run says where each figure is, once, however often it is redrawn.
TEST_F(Plot, SaysWhereOnceTheFirstTimeAFigureIsWritten) {
  REQUIRE_GNUPLOT();
  d2l::PlotOptions options;
  const auto curves = book_training_curves(&options);
  options.rewrite_note = "rewritten each epoch";
  testing::internal::CaptureStderr();
  for (int epoch = 0; epoch < 3; ++epoch) {
    d2l::plot(curves, options, target("animator"));
  }
  d2l::scatter({1, 2}, {3, 4}, 1, d2l::PlotOptions{}, target("points"));
  d2l::show_images(
      some_images(2), 1, 2, {}, 1.0, d2l::Colormap::kGray, target("images"));
  d2l::show_images(
      some_images(2), 1, 2, {}, 1.0, d2l::Colormap::kGray, target("images"));
  EXPECT_EQ(
      testing::internal::GetCapturedStderr(),
      "figure: " + path("animator.png") +
          " (and .svg), rewritten each epoch\n"
          "figure: " +
          path("points.png") + " (and .svg)\nfigure: " + path("images.png") +
          " (and .svg)\n");
}

// Without gnuplot, the line about the script left is the figure's line.
TEST_F(Plot, SaysOnceWhereTheScriptIsWithoutGnuplot) {
  d2l_test::ScopedEnv env("D2L_GNUPLOT", "/nonexistent/gnuplot");
  d2l::PlotOptions options;
  const auto curves = book_training_curves(&options);
  testing::internal::CaptureStderr();
  for (int epoch = 0; epoch < 3; ++epoch) {
    d2l::plot(curves, options, target("animator"));
  }
  d2l::plot(curves, options, target("other"));
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 2) << err;
  EXPECT_NE(err.find(path("animator.gp")), std::string::npos) << err;
  EXPECT_NE(err.find(path("other.gp")), std::string::npos) << err;
  EXPECT_EQ(err.find("figure: "), std::string::npos) << err;
}

// After one epoch the Animator's xlim is (1, 1): widened as set_xlim does.
TEST_F(Plot, EqualLimitsWidenAsMatplotlibDoes) {
  d2l::PlotOptions options;
  options.xlim = {{1, 1}};
  options.limits_grow = true;
  const auto x = script_of(dir_, "one", [&](const auto& t) {
                   d2l::plot({d2l::Series{{1}, {0.5}}}, options, t);
                 }).range("x");
  EXPECT_DOUBLE_EQ(x.first, 0.95);
  EXPECT_DOUBLE_EQ(x.second, 1.05);
}

namespace {

// An executable shell script `name` in `dir` with `body`.
std::string fake_gnuplot(
    const std::string& dir, const std::string& name, const std::string& body) {
  const std::string script = (fs::path(dir) / name).string();
  std::ofstream(script) << "#!/bin/sh\n" << body;
  chmod(script.c_str(), 0755);
  return script;
}

// The message of the d2l::Error that drawing a two-point line into `target`
// throws; "" when it throws none.
std::string plot_error(const d2l::FigureTarget& target) {
  try {
    d2l::plot({d2l::Series{{1, 2}, {1, 2}}}, {}, target);
  } catch (const d2l::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(GnuplotString, ReadsBackAsExactlyItsBytes) {
  REQUIRE_GNUPLOT();
  // Every byte but NUL (no path or text holds one), the backquote that would
  // run a command, a newline that would end the line, quotes and escapes.
  std::string bytes;
  for (int b = 1; b < 256; ++b) {
    bytes += static_cast<char>(b);
  }
  bytes += "`touch PWNED` \\\" ' @x $y";
  const std::string dir = d2l_test::make_temp_dir();
  const std::string out = dir + "/out.txt";
  std::ofstream(dir + "/t.gp")
      << "set print " << d2l::plot_internal::gp_string(out) << "\nprint "
      << d2l::plot_internal::gp_string(bytes) << "\n";
  const auto r = d2l_test::run_program(
      "/bin/sh", {"-c", "exec ${D2L_GNUPLOT:-gnuplot} \"$0\"", dir + "/t.gp"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(d2l_test::read_file(out), bytes + "\n");
  EXPECT_FALSE(fs::exists("PWNED"));
  fs::remove_all(dir);
}

TEST_F(Plot, NoPathOrTextRunsACommand) {
  REQUIRE_GNUPLOT();
  // A folder whose name ends gnuplot's line and starts a command, as
  // `--out $'d/x\nsystem("...")\n#'` did; texts with backquotes, which
  // gnuplot expands in double-quoted strings.
  const std::string pwned = path("PWNED");
  const std::string odd =
      path(fmt::format("x\nsystem(\"touch {}\")\n#'\"`", pwned));
  fs::create_directories(odd);
  d2l::PlotOptions options;
  options.xlabel = fmt::format("`touch {}`", pwned);
  options.ylabel = fmt::format("'\n`touch {}`\n\"\\", pwned);
  options.legend = {fmt::format("\";system(\"touch {}\");\"", pwned)};
  d2l::plot(
      {d2l::Series{{1, 2}, {1, 2}}}, options, d2l::FigureTarget{odd, "fig"});
  EXPECT_FALSE(fs::exists(pwned));
  EXPECT_TRUE(is_png(d2l_test::read_file(odd + "/fig.png")));
  const std::string svg = d2l_test::read_file(odd + "/fig.svg");
  EXPECT_TRUE(is_svg(svg));
  EXPECT_NE(svg.find("`touch"), std::string::npos) << "drawn as text";
}

TEST_F(Plot, RefusesFigureNamesThatAreNoPlainFileName) {
  for (const char* name : {"", ".hidden", "a/b", "a\nb", "a b", "`x`"}) {
    EXPECT_THROW(d2l::plot({}, {}, d2l::FigureTarget{dir_, name}), d2l::Error)
        << name;
  }
  EXPECT_TRUE(files().empty());
}

TEST_F(Plot, ACutShortFigureIsNeverCommitted) {
  // gnuplot exits 0 after a short write (a full disk); what it wrote is
  // checked. This one writes the start of each file, as a full disk leaves.
  const std::string fake = fake_gnuplot(
      dir_,
      "short-gnuplot",
      "sed -n 's/^set output \"\\(.*\\)\"$/\\1/p' \"$1\" > \"$1.outs\"\n"
      "png=$(sed -n 1p \"$1.outs\"); svg=$(sed -n 2p \"$1.outs\")\n"
      "rm -f \"$1.outs\"\n"
      "printf '\\211PNG\\r\\n\\032\\n\\0\\0\\0\\rIHDR' > \"$png\"\n"
      "printf '<?xml version=\"1.0\"?>\\n<svg width=\"10\">' > \"$svg\"\n");
  d2l_test::ScopedEnv env("D2L_GNUPLOT", fake);
  const std::string message = plot_error(target("fig"));
  EXPECT_NE(message.find("cut short"), std::string::npos) << message;
  EXPECT_EQ(files(), (std::vector<std::string>{"short-gnuplot"}));
}

TEST_F(Plot, AHangingGnuplotIsStoppedAtItsTimeLimit) {
  const std::string fake =
      fake_gnuplot(dir_, "hanging-gnuplot", "exec sleep 60\n");
  d2l_test::ScopedEnv env("D2L_GNUPLOT", fake);
  d2l_test::ScopedEnv limit("D2L_GNUPLOT_TIMEOUT", "0.5");
  const auto start = std::chrono::steady_clock::now();
  const std::string message = plot_error(target("fig"));
  EXPECT_NE(message.find("did not finish"), std::string::npos) << message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_EQ(files(), (std::vector<std::string>{"hanging-gnuplot"}));
  // The default limit is generous and grows with the script.
  d2l_test::ScopedEnv unset("D2L_GNUPLOT_TIMEOUT", nullptr);
  EXPECT_EQ(d2l::plot_internal::gnuplot_time_limit(0), 60);
  EXPECT_EQ(d2l::plot_internal::gnuplot_time_limit(3000000), 90);
}

TEST_F(Plot, GnuplotsMessageIsShownAsText) {
  const std::string fake = fake_gnuplot(
      dir_,
      "binary-gnuplot",
      "printf '\\033[31m\"x.gp\" line 3: bad \\001\\377 byte\\n' >&2\nexit "
      "1\n");
  d2l_test::ScopedEnv env("D2L_GNUPLOT", fake);
  const std::string message = plot_error(target("fig"));
  EXPECT_NE(
      message.find("\\x1b[31m\"x.gp\" line 3: bad \\x01\\xff byte"),
      std::string::npos)
      << message;
  EXPECT_EQ(d2l::printable(message), message) << "only printable text";
}

TEST_F(Plot, FiguresReplaceOnlyRegularFiles) {
  REQUIRE_GNUPLOT();
  fs::create_directory(path("fig.png"));
  EXPECT_NE(plot_error(target("fig")).find("is a folder"), std::string::npos);
  EXPECT_TRUE(fs::is_directory(path("fig.png")));
  EXPECT_EQ(files(), (std::vector<std::string>{"fig.png"}));
}
