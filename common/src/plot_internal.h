// Internals shared by the figure sources (not installed, not public API):
//   plot_gnuplot.cpp  the gnuplot process, its script, the files it writes
//   plot_layout.cpp   matplotlib's layout rules: limits, ticks, text sizes,
//                     where the axes, labels and legend go, the tight crop
//   plot.cpp          d2l::plot and d2l::scatter: line formats, axes, legend
//   plot_images.cpp   d2l::show_images: image grids
// Lengths are pixels at 100 dpi with y pointing down, unless said otherwise.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "d2l/plot.h"

namespace d2l::plot_internal {

// matplotlib's defaults (rcParams), in points; PNG pixels are at kDpi.
constexpr double kDpi = 100.0;
constexpr double kPxPerPt = kDpi / 72.0;
constexpr double kFontPt = 10.0;   // font.size, tick and axis labels, legend
constexpr double kTitlePt = 12.0;  // axes.titlesize 'large'
constexpr double kLinePt = 1.5;    // lines.linewidth
constexpr double kFramePt = 0.8;   // axes.linewidth, grid.linewidth
constexpr double kMarkerPt = 6.0;  // lines.markersize
constexpr double kMargin = 0.05;   // axes.xmargin, axes.ymargin
constexpr const char* kFont = "DejaVu Sans";
constexpr const char* kGridColor = "#b0b0b0";

// The default colour cycle (tab10): C0, C1, ...
constexpr std::array<const char*, 10> kTab10 = {
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf"};

// ---------------------------------------------------------------------------
// Text helpers (plot_gnuplot.cpp).

// A number as gnuplot reads it; NaN (gnuplot skips it) for non-finite ones.
std::string num(double v);
// `bytes` as a double-quoted gnuplot string that gnuplot reads back as
// exactly these bytes: printable ASCII as is (but '"' and '\\' escaped),
// bytes from 0x80 as is, every other byte (control characters, the
// backquote that would run a command) as an octal escape. No byte of `bytes`
// can end the string or the line.
std::string gp_string(const std::string& bytes);
// A text to draw, as a gnuplot string: "\n" breaks the line, a tab is a
// space, other control characters (nothing a font draws) become '?'.
std::string quoted(const std::string& s);
// Decodes UTF-8 into code points (invalid bytes become U+FFFD).
std::vector<char32_t> code_points(const std::string& s);
// `s` with every character no installed font can draw replaced by '?'.
std::string drawable(const std::string& s);

// ---------------------------------------------------------------------------
// Drawing a figure with gnuplot (plot_gnuplot.cpp).

// How gnuplot 5.4 measures things differs between its cairo PNG and its SVG
// terminal; these factors make both match matplotlib at 100 dpi.
struct Terminal {
  // gnuplot's terminal name and extra options.
  const char* name;
  const char* options;
  // gnuplot's font size for a matplotlib one (pngcairo draws text at 96 dpi,
  // SVG at 72 pixels per point).
  double font_scale;
  // gnuplot's custom dash lengths for matplotlib's (both are relative to the
  // line width; gnuplot's unit is 1/4 of it in cairo, 1/2 in SVG).
  double dash_per_lw;
  // Point type 7 at point size ps is point_px * ps + point_extra_px wide.
  double point_px;
  double point_extra_px;
  // Replace characters no installed font has (they break cairo's text).
  bool needs_glyphs;
  // A label's baseline lies this many ems below (for rotated text: right
  // of) the point it is placed at (measured on gnuplot 5.4).
  double baseline_em;
  // Screen coordinates 0..1 span the canvas less this many pixels (pngcairo
  // maps them to pixels 0..width-1, whole pixels; SVG to 0..width).
  double screen_inset_px;
};

extern const Terminal kPng;
extern const Terminal kSvg;

// A rectangle in pixels (y down); empty until something is added.
struct Box {
  double x0 = 1e300;
  double y0 = 1e300;
  double x1 = -1e300;
  double y1 = -1e300;

  bool empty() const {
    return x0 > x1;
  }
  double width() const {
    return x1 - x0;
  }
  double height() const {
    return y1 - y0;
  }
  void add(const Box& b);
};

// A text placed by pixel position, as matplotlib lays it out.
struct TextItem {
  std::string text;
  // Horizontal text: `x` is where `align` puts it, `y` its baseline.
  // Vertical text (reading upwards): `x` is its baseline, `y` its centre.
  double x = 0;
  double y = 0;
  // 'l', 'c' or 'r' (horizontal text only; vertical text is centred).
  char align = 'l';
  bool vertical = false;
  double size_pt = kFontPt;
};

// One drawing of a figure: on which terminal, and how to write text for it.
struct Pass {
  const Terminal* term;
  // The script runs here and now: replace characters no font here has.
  bool check_glyphs;
  // The canvas in pixels, for screen coordinates.
  double width;
  double height;

  // `s` as a quoted gnuplot string for this pass.
  std::string text(const std::string& s) const;
  // A length in (matplotlib) points as a gnuplot line width.
  static std::string lw(double pt);
  // A marker diameter in points as a gnuplot point size.
  std::string ps(double diameter_pt) const;
  // A pixel position as gnuplot's screen coordinates (y up).
  double sx(double x) const;
  double sy(double y) const;
  // "screen x, screen y" for a pixel position.
  std::string at(double x, double y) const;
  // `set lmargin at screen ...` etc. putting the plot area at `box`.
  std::string margins(const Box& box) const;
  // `set label` drawing `item` (front, no enhanced text).
  std::string label(const TextItem& item) const;
};

struct Figure {
  // Size in pixels at 100 dpi (the SVG uses the same units).
  int width = 350;
  int height = 250;
  // Inline data: gnuplot datablocks.
  std::string data;
  // Settings and plot commands for one pass.
  std::function<std::string(const Pass&)> body;
  // Said after the file names when the figure is first written.
  std::string note;
};

// A datablock named `name` with one "x y" row per point.
std::string datablock(
    const std::string& name,
    const std::vector<double>& x,
    const std::vector<double>& y);

// The gnuplot script drawing `fig` into the PNG file `png` and the SVG file
// `svg` (any bytes: they are encoded with gp_string), headed by a comment
// naming figure `name` (checked by check_figure_name); `check_glyphs`
// replaces characters no installed font has (see drawable).
std::string script_text(
    const Figure& fig,
    const std::string& png,
    const std::string& svg,
    const std::string& name,
    bool check_glyphs);

// Throws Error unless `name` is a figure name: letters, digits and "._+-",
// not starting with '.' (it names files and heads the script).
void check_figure_name(const std::string& name);

// Draws `fig` into `<dir>/<name>.png` and `.svg` with one gnuplot run, or
// leaves `<name>.gp` when there is no gnuplot; says where on stderr the
// first time this process writes the figure. gnuplot gets a time limit
// (gnuplot_time_limit); what it wrote is checked to be a whole PNG and SVG
// before either is committed.
void render(const Figure& fig, const FigureTarget& target);

// Seconds gnuplot may take for a script of `script_bytes` bytes: 60 plus 10
// per MB, or $D2L_GNUPLOT_TIMEOUT when set (a number > 0).
double gnuplot_time_limit(std::size_t script_bytes);

// The figures d2l::plot, d2l::scatter and d2l::show_images draw, built
// without drawing them (plot.cpp, plot_images.cpp).
Figure line_figure(
    const std::vector<Series>& lines, const PlotOptions& options);
Figure scatter_figure(
    const std::vector<double>& x,
    const std::vector<double>& y,
    double marker_size,
    const PlotOptions& options);
Figure images_figure(
    const torch::Tensor& imgs,
    int64_t num_rows,
    int64_t num_cols,
    const std::vector<std::string>& titles,
    double scale,
    Colormap cmap);

// ---------------------------------------------------------------------------
// matplotlib's layout rules (plot_layout.cpp).

// The width of `s` in DejaVu Sans (matplotlib's font) at `pt` points, from
// the font's advance widths.
double text_width_px(const std::string& s, double pt);
// The ascent and descent of a line of text ("lp" as matplotlib measures
// it: FreeType's bounding box, whole pixels) at `pt` points.
double text_ascent_px(double pt);
double text_descent_px(double pt);

// One axis of a figure.
struct Axis {
  double lo = 0;
  double hi = 1;
  bool log = false;
  std::string label;
};

// A figure's size in pixels; throws on a non-positive size.
std::pair<int, int> figure_pixels(std::pair<double, double> inches);

// The two axes of a figure of `lines`, limits given (widened to the data
// when `options.limits_grow`) or autoscaled as matplotlib does.
std::pair<Axis, Axis> make_axes(
    const std::vector<const std::vector<double>*>& xs,
    const std::vector<const std::vector<double>*>& ys,
    const PlotOptions& options);

// Where one axes and its decorations go on a canvas cropped as the notebook
// crops (`bbox_inches='tight'`: the drawn things plus 0.1 inch).
struct AxesLayout {
  int width = 0;
  int height = 0;
  // The axes frame on the canvas.
  Box axes;
  // Linear axes: tick positions (data values) with labels drawn as `texts`;
  // log axes are left to gnuplot's own ticks.
  std::vector<double> xticks;
  std::vector<double> yticks;
  // Tick labels and axis labels.
  std::vector<TextItem> texts;

  // A data point's pixel position on the canvas (NaN when not drawable).
  double px(double v, const Axis& a) const;
  double py(double v, const Axis& a) const;
};

// Lays out one axes on a `figsize` figure as matplotlib's default subplot
// (tick labels, axis labels, then the tight crop).
AxesLayout layout_axes(
    const Axis& x, const Axis& y, std::pair<double, double> figsize);

// A legend laid out as matplotlib's (font size 10, handle length 2, ...).
struct LegendLayout {
  // The frame; rows of (handle line from x0 to x1 at y, text).
  Box frame;
  double handle_x0 = 0;
  double handle_x1 = 0;
  std::vector<double> handle_y;
  std::vector<TextItem> texts;
  // matplotlib's name of the chosen location, e.g. "upper left".
  std::string where;
};

// Places a legend of `entries` at matplotlib's loc='best' inside `axes`:
// the first of its candidate places covering the fewest of the lines'
// points (pixel positions, NaN skipped) and crossed by the fewest lines.
LegendLayout place_legend(
    const std::vector<std::string>& entries,
    const std::vector<std::vector<std::pair<double, double>>>& lines,
    const Box& axes);

// The tight crop of a figure whose drawn things cover `content` (figure
// pixels): the canvas size, and the shift that takes figure pixels to it.
struct Crop {
  int width = 0;
  int height = 0;
  double dx = 0;
  double dy = 0;
};
Crop tight_crop(const Box& content);

// matplotlib's major tick length and tick-to-label pad (3.5 pt each).
constexpr double kTickPx = 3.5 * kPxPerPt;
constexpr double kTickPadPx = 3.5 * kPxPerPt;

}  // namespace d2l::plot_internal
