#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace d2l {

/// Where a figure goes: `<dir>/<name>.png` and `<dir>/<name>.svg`. A
/// disabled target (`enabled` false) makes every plotting call a no-op. The
/// first time a process writes a figure it says where, in one line on
/// stderr: `figure: out/3.1_cell07_fig1.png (and .svg)`.
struct FigureTarget {
  /// The folder the files are written to (must exist).
  std::filesystem::path dir;
  /// File name without extension, e.g. `3.1_cell07_fig1`.
  std::string name;
  /// False to skip drawing altogether.
  bool enabled = true;
};

/// Axes settings, mirroring the keyword arguments of d2l.plot / set_axes.
struct PlotOptions {
  /// x-axis label (may be UTF-8, e.g. Chinese).
  std::string xlabel;
  /// y-axis label.
  std::string ylabel;
  /// One legend entry per line; empty for no legend.
  std::vector<std::string> legend;
  /// x-axis limits; automatic when unset.
  std::optional<std::pair<double, double>> xlim;
  /// y-axis limits; automatic when unset.
  std::optional<std::pair<double, double>> ylim;
  /// When true, given limits stay as they are while the data fit in them,
  /// and widen to take in data outside them (with matplotlib's 5% margin on
  /// the side that grew): the Animator's book limits (0.3, 0.9) then still
  /// show a training loss above 0.9.
  bool limits_grow = false;
  /// "linear" or "log".
  std::string xscale = "linear";
  /// "linear" or "log".
  std::string yscale = "linear";
  /// matplotlib format strings, cycled over the lines: the book's
  /// ('-', 'm--', 'g-.', 'r:').
  std::vector<std::string> fmts = {"-", "m--", "g-.", "r:"};
  /// Figure size in inches (width, height), the book's default (3.5, 2.5).
  /// The axes and text are laid out on a figure of this size at 100 dpi,
  /// then the files are cropped to what is drawn plus 0.1 inch, as the
  /// notebook shows the book's figures (`bbox_inches='tight'`).
  std::pair<double, double> figsize = {3.5, 2.5};
  /// Added to the line announcing the figure on stderr, e.g. "rewritten
  /// each epoch" for the Animator's; empty for none.
  std::string rewrite_note;
};

/// One line of a plot: y against x (equal lengths).
struct Series {
  /// x coordinates.
  std::vector<double> x;
  /// y coordinates.
  std::vector<double> y;
};

/// A matplotlib format string taken apart, e.g. 'm--' or 'ro'.
struct LineFormat {
  /// "#rrggbb"; empty for the next colour of matplotlib's default cycle.
  std::string color;
  /// "-", "--", "-." or ":"; empty for no line (markers only).
  std::string linestyle;
  /// matplotlib's marker character ('o', '.', 's', ...); 0 for none.
  char marker = 0;
};

/// Mirrors matplotlib's parsing of `plt.plot(x, y, fmt)`'s fmt: a colour
/// (b g r c m y k w, or C0..C9), a line style (- -- -. :) and a marker, in
/// any order, each at most once. A marker without a line style draws markers
/// only; an empty string is a solid line. Throws d2l::Error when invalid.
LineFormat parse_line_format(const std::string& fmt);

/// Copies a 1-D (or any, flattened) tensor into doubles for plotting.
std::vector<double> to_vector(const torch::Tensor& t);

/// Mirrors d2l.plot: draws each series as a line with the book's formats,
/// legend (at matplotlib's loc='best'), labels, limits and size; writes PNG
/// and SVG atomically (temp file + rename). When gnuplot is missing it
/// leaves `<name>.gp` (script with inline data) to render later, and says
/// so once per figure on stderr instead of the `figure:` line.
void plot(
    const std::vector<Series>& lines,
    const PlotOptions& options,
    const FigureTarget& target);

/// Mirrors `d2l.plt.scatter(x, y, s)` on a `d2l.set_figsize()` figure:
/// points of marker area `marker_size` (matplotlib's `s`, points²).
void scatter(
    const std::vector<double>& x,
    const std::vector<double>& y,
    double marker_size,
    const PlotOptions& options,
    const FigureTarget& target);

/// Colormap for `show_images`.
enum class Colormap {
  /// matplotlib's default for 2-D arrays, which the book's figures use.
  kViridis,
  /// Black (0) to white (max).
  kGray,
};

/// Mirrors d2l.show_images(imgs, num_rows, num_cols, titles, scale): a grid
/// of num_rows x num_cols images (`imgs` is N x H x W or N x 1 x H x W, N <=
/// rows*cols, values in [0, 1]) without axes, each titled by `titles[i]`
/// when given; laid out as plt.subplots on a (num_cols * scale, num_rows *
/// scale) inch figure, cropped like PlotOptions::figsize.
void show_images(
    const torch::Tensor& imgs,
    int64_t num_rows,
    int64_t num_cols,
    const std::vector<std::string>& titles,
    double scale,
    Colormap cmap,
    const FigureTarget& target);

/// True when a gnuplot executable was found: `$D2L_GNUPLOT` when set (a path,
/// or a name looked up on PATH), else `gnuplot` on PATH. The answer is
/// cached until either variable changes.
bool gnuplot_available();

}  // namespace d2l
