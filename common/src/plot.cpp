// d2l::plot and d2l::scatter through gnuplot, drawn the way the book's
// matplotlib draws them: 100 dpi, DejaVu Sans 10 pt, the tab10 colour cycle,
// MaxNLocator ticks, a grid, legend 'best', cropped as the notebook shows
// figures (plot_layout.cpp has the rules; plot_gnuplot.cpp runs gnuplot).
#include "d2l/plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "d2l/error.h"
#include "plot_internal.h"

namespace d2l {
namespace {

using namespace plot_internal;

constexpr double kLegendFramePt = 1.0;  // patch.linewidth
constexpr double kScatterEdgePt = 1.0;  // patch.linewidth
// legend.edgecolor '0.8' at legend.framealpha 0.8, on white.
constexpr const char* kLegendEdge = "#d6d6d6";

// ---------------------------------------------------------------------------
// Line formats.

// matplotlib's single-letter colours; empty for other letters.
std::string single_letter_color(char c) {
  switch (c) {
    case 'b':
      return "#0000ff";
    case 'g':
      return "#008000";
    case 'r':
      return "#ff0000";
    case 'c':
      return "#00bfbf";
    case 'm':
      return "#bf00bf";
    case 'y':
      return "#bfbf00";
    case 'k':
      return "#000000";
    case 'w':
      return "#ffffff";
    default:
      return "";
  }
}

// gnuplot point type and matplotlib size (points) for a marker.
std::pair<int, double> marker_style(char marker) {
  switch (marker) {
    case '.':
      return {7, kMarkerPt * 0.5};
    case ',':
      return {7, 1.0};
    case 's':
      return {5, kMarkerPt};
    case '^':
    case '<':
    case '>':
      return {9, kMarkerPt};
    case 'v':
      return {11, kMarkerPt};
    case 'D':
    case 'd':
      return {13, kMarkerPt};
    case 'p':
      return {15, kMarkerPt};
    case '*':
      return {3, kMarkerPt};
    case '+':
    case 'P':
    case '|':
    case '_':
      return {1, kMarkerPt};
    case 'x':
    case 'X':
    case '1':
    case '2':
    case '3':
    case '4':
      return {2, kMarkerPt};
    default:  // 'o', 'h', 'H', '8'
      return {7, kMarkerPt};
  }
}

// matplotlib's dash patterns in multiples of the line width.
std::string dash_pattern(const std::string& style) {
  if (style == "--") {
    return "3.7,1.6";
  }
  if (style == "-.") {
    return "6.4,1.6,1,1.6";
  }
  if (style == ":") {
    return "1,1.65";
  }
  return "";
}

// gnuplot's "dt (...)" for a line style on terminal `term`.
std::string dash_type(const std::string& style, const Terminal& term) {
  const std::string pattern = dash_pattern(style);
  if (pattern.empty()) {
    return "dt solid";
  }
  std::string out = "dt (";
  size_t start = 0;
  while (start < pattern.size()) {
    size_t end = pattern.find(',', start);
    if (end == std::string::npos) {
      end = pattern.size();
    }
    const double v = std::stod(pattern.substr(start, end - start));
    out += fmt::format("{}{:.2f}", start ? "," : "", v * term.dash_per_lw);
    start = end + 1;
  }
  return out + ")";
}

// ---------------------------------------------------------------------------
// Axes and legend as gnuplot commands.

// One line's look: colour and format.
struct LineStyle {
  std::string color;
  LineFormat format;
};

// The ticks of axis `name` ("x" or "y"): linear axes get marks (and grid
// lines) at `locs` and their labels as separate texts; log axes keep
// gnuplot's own ticks, powers of ten as 10^k when the axis spans a decade.
std::string tick_settings(
    const char* name, const Axis& axis, const std::vector<double>& locs) {
  std::string s;
  if (axis.log) {
    const bool decades = std::abs(std::log10(axis.hi / axis.lo)) >= 1;
    s += fmt::format(
        "set logscale {0} 10\nset format {0} {1}\nset {0}tics autofreq\n"
        "set m{0}tics {2}\n",
        name,
        decades ? "\"10^{%T}\"" : "\"%g\"",
        decades ? 10 : 1);
  } else if (locs.empty()) {
    s += fmt::format("unset {}tics\n", name);
  } else {
    std::string list;
    for (size_t i = 0; i < locs.size(); ++i) {
      list += fmt::format("{}\"\" {}", i ? ", " : "", num(locs[i]));
    }
    s += fmt::format("set {}tics ({})\n", name, list);
  }
  s += fmt::format("set {}range [{}:{}]\n", name, num(axis.lo), num(axis.hi));
  return s;
}

// Frame, ticks, tick labels, axis labels and (with `grid`) the grid of one
// axes, as d2l.set_axes leaves them.
std::string axes_settings(
    const AxesLayout& layout,
    const Axis& x,
    const Axis& y,
    bool grid,
    const Pass& pass) {
  std::string s = fmt::format(
      "set border 15 lw {} lc rgb 'black' front\n"
      "set tics out nomirror scale 0.9,0.5 front\n",
      Pass::lw(kFramePt));
  s += tick_settings("x", x, layout.xticks);
  s += tick_settings("y", y, layout.yticks);
  s += pass.margins(layout.axes);
  if (grid) {
    s += fmt::format(
        "set grid xtics ytics back lt 1 lw {} lc rgb '{}'\n",
        Pass::lw(kFramePt),
        kGridColor);
  }
  for (const auto& text : layout.texts) {
    s += pass.label(text);
  }
  return s;
}

// The legend drawn as matplotlib draws it: a white frame with rounded
// corners at 80% opacity over the lines, then a handle and a text per row.
std::string legend_settings(
    const LegendLayout& legend,
    const std::vector<LineStyle>& styles,
    const std::vector<double>& marker_pt,
    const Pass& pass) {
  std::string s = "unset key\n";
  if (legend.texts.empty()) {
    return s;
  }
  s +=
      fmt::format("# legend at '{}' (matplotlib's loc='best')\n", legend.where);
  // Corners rounded with radius 0.2 em, as FancyBboxPatch's 'round' style.
  const Box& f = legend.frame;
  const double r = 0.2 * kFontPt * kPxPerPt;
  struct Corner {
    double cx, cy;     // the arc's centre
    double start_deg;  // where its quarter turn starts (y up)
  };
  const std::array<Corner, 4> corners = {{
      {f.x1 - r, f.y1 - r, 270},
      {f.x1 - r, f.y0 + r, 0},
      {f.x0 + r, f.y0 + r, 90},
      {f.x0 + r, f.y1 - r, 180},
  }};
  std::string path;
  for (const auto& c : corners) {
    for (int k = 0; k <= 3; ++k) {
      const double t = (c.start_deg + 30.0 * k) * M_PI / 180;
      path += fmt::format(
          "{} {}",
          path.empty() ? "from" : " to",
          pass.at(c.cx + r * std::cos(t), c.cy - r * std::sin(t)));
    }
  }
  path += " to " + path.substr(5, path.find(" to ") - 5);
  s += fmt::format(
      "set object polygon {} front fc rgb 'white' "
      "fillstyle transparent solid 0.8 border lc rgb '{}' lw {}\n",
      path,
      kLegendEdge,
      Pass::lw(kLegendFramePt));
  for (size_t i = 0; i < legend.texts.size() && i < styles.size(); ++i) {
    const auto& style = styles[i];
    const double y = legend.handle_y[i];
    if (!style.format.linestyle.empty()) {
      // Solid lines end in 'projecting' caps (lines.solid_capstyle).
      const double cap =
          style.format.linestyle == "-" ? kLinePt * kPxPerPt / 2 : 0.0;
      s += fmt::format(
          "set arrow from {} to {} nohead front lw {} lc rgb '{}' {}\n",
          pass.at(legend.handle_x0 - cap, y),
          pass.at(legend.handle_x1 + cap, y),
          Pass::lw(kLinePt),
          style.color,
          dash_type(style.format.linestyle, *pass.term));
    }
    if (style.format.marker) {
      const int type = marker_style(style.format.marker).first;
      s += fmt::format(
          "set label \"\" at {} point pt {} ps {} lc rgb '{}' front\n",
          pass.at((legend.handle_x0 + legend.handle_x1) / 2, y),
          type,
          pass.ps(marker_pt[i]),
          style.color);
    }
    s += pass.label(legend.texts[i]);
  }
  return s;
}

// The pixel positions of a line's points (for the legend placement).
std::vector<std::pair<double, double>> to_pixels(
    const std::vector<double>& xs,
    const std::vector<double>& ys,
    const AxesLayout& layout,
    const Axis& x,
    const Axis& y) {
  std::vector<std::pair<double, double>> out;
  out.reserve(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    out.emplace_back(layout.px(xs[i], x), layout.py(ys[i], y));
  }
  return out;
}

}  // namespace

LineFormat parse_line_format(const std::string& fmt) {
  LineFormat out;
  bool has_color = false;
  // A whole-string colour: 'C0'..'C9' or a letter.
  const auto bad = [&](const std::string& why) {
    return Error(fmt::format(
        "bad line format '{}': {} (use e.g. '-', 'm--', 'g-.', 'r:', 'bo')",
        fmt,
        why));
  };
  for (size_t i = 0; i < fmt.size();) {
    const char c = fmt[i];
    if (c == '-' || c == ':') {
      if (!out.linestyle.empty()) {
        throw bad("two line styles");
      }
      if (fmt.compare(i, 2, "--") == 0 || fmt.compare(i, 2, "-.") == 0) {
        out.linestyle = fmt.substr(i, 2);
        i += 2;
      } else {
        out.linestyle = std::string(1, c);
        ++i;
      }
      continue;
    }
    if (c == 'C' && i + 1 < fmt.size() && fmt[i + 1] >= '0' &&
        fmt[i + 1] <= '9') {
      if (has_color) {
        throw bad("two colours");
      }
      out.color = kTab10[fmt[i + 1] - '0'];
      has_color = true;
      i += 2;
      continue;
    }
    if (!single_letter_color(c).empty()) {
      if (has_color) {
        throw bad("two colours");
      }
      out.color = single_letter_color(c);
      has_color = true;
      ++i;
      continue;
    }
    if (std::strchr(".,ov^<>1234sp*hH+xXDd|_P8", c) != nullptr && c != 0) {
      if (out.marker != 0) {
        throw bad("two markers");
      }
      out.marker = c;
      ++i;
      continue;
    }
    throw bad(fmt::format("unknown character '{}'", c));
  }
  if (out.linestyle.empty() && out.marker == 0) {
    out.linestyle = "-";
  }
  return out;
}

std::vector<double> to_vector(const torch::Tensor& t) {
  auto c = t.detach().to(torch::kCPU, torch::kDouble).contiguous().flatten();
  return std::vector<double>(
      c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

namespace plot_internal {

Figure line_figure(
    const std::vector<Series>& lines, const PlotOptions& options) {
  std::vector<LineFormat> formats;
  for (const auto& f : options.fmts) {
    formats.push_back(parse_line_format(f));
  }
  if (formats.empty()) {
    formats.push_back(parse_line_format("-"));
  }
  std::vector<const std::vector<double>*> xs;
  std::vector<const std::vector<double>*> ys;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].x.size() != lines[i].y.size()) {
      throw Error(fmt::format(
          "plot: line {} has {} x values but {} y values",
          i,
          lines[i].x.size(),
          lines[i].y.size()));
    }
    xs.push_back(&lines[i].x);
    ys.push_back(&lines[i].y);
  }
  const auto [x, y] = make_axes(xs, ys, options);
  const AxesLayout layout = layout_axes(x, y, options.figsize);
  Figure fig;
  fig.width = layout.width;
  fig.height = layout.height;
  fig.note = options.rewrite_note;

  // One colour, style and marker per line; lines without a colour take the
  // next one of the cycle, as matplotlib's do.
  std::vector<LineStyle> styles;
  size_t cycle = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& f = formats[i % formats.size()];
    styles.push_back(
        {f.color.empty() ? kTab10[cycle++ % kTab10.size()] : f.color, f});
    fig.data += datablock(fmt::format("line{}", i), lines[i].x, lines[i].y);
  }
  const std::vector<std::string> entries(
      options.legend.begin(),
      options.legend.begin() + static_cast<std::ptrdiff_t>(std::min(
                                   options.legend.size(), lines.size())));
  std::vector<std::vector<std::pair<double, double>>> points;
  std::vector<double> marker_pt;
  for (size_t i = 0; i < lines.size(); ++i) {
    points.push_back(to_pixels(lines[i].x, lines[i].y, layout, x, y));
    marker_pt.push_back(
        styles[i].format.marker ? marker_style(styles[i].format.marker).second
                                : 0.0);
  }
  const LegendLayout legend = place_legend(entries, points, layout.axes);
  fig.body = [=, x = x, y = y](const Pass& pass) {
    std::string s = axes_settings(layout, x, y, /*grid=*/true, pass);
    s += legend_settings(legend, styles, marker_pt, pass);
    std::string cmd;
    for (size_t i = 0; i < styles.size(); ++i) {
      const auto& f = styles[i].format;
      std::string style;
      if (!f.linestyle.empty()) {
        style = fmt::format(
            "with {} lw {} {}",
            f.marker ? "linespoints" : "lines",
            Pass::lw(kLinePt),
            dash_type(f.linestyle, *pass.term));
      } else {
        style = "with points";
      }
      if (f.marker) {
        const auto [type, size_pt] = marker_style(f.marker);
        style += fmt::format(" pt {} ps {}", type, pass.ps(size_pt));
      }
      cmd += fmt::format(
          "{}$line{} using 1:2 {} lc rgb '{}' notitle",
          i ? ", \\\n     " : "plot ",
          i,
          style,
          styles[i].color);
    }
    if (cmd.empty()) {
      cmd = "plot NaN notitle";
    }
    return s + cmd + "\n";
  };
  return fig;
}

Figure scatter_figure(
    const std::vector<double>& x,
    const std::vector<double>& y,
    double marker_size,
    const PlotOptions& options) {
  if (x.size() != y.size()) {
    throw Error(fmt::format(
        "scatter: {} x values but {} y values", x.size(), y.size()));
  }
  if (!(marker_size >= 0)) {
    throw Error(fmt::format(
        "scatter: bad marker size {} (an area in points^2, >= 0)",
        marker_size));
  }
  const auto [ax, ay] = make_axes({&x}, {&y}, options);
  const AxesLayout layout = layout_axes(ax, ay, options.figsize);
  Figure fig;
  fig.width = layout.width;
  fig.height = layout.height;
  fig.note = options.rewrite_note;
  fig.data = datablock("points", x, y);
  const std::vector<std::string> entries(
      options.legend.begin(),
      options.legend.begin() +
          std::min<std::ptrdiff_t>(
              1, static_cast<std::ptrdiff_t>(options.legend.size())));
  // matplotlib draws a marker of area s with an edge of its colour, 1 pt
  // wide (patch.linewidth) as the book's figure shows it.
  const double diameter_pt = std::sqrt(marker_size) + kScatterEdgePt;
  const LegendLayout legend =
      place_legend(entries, {to_pixels(x, y, layout, ax, ay)}, layout.axes);
  const std::vector<LineStyle> styles = {{kTab10[0], parse_line_format("o")}};
  fig.body = [=, ax = ax, ay = ay](const Pass& pass) {
    std::string s = axes_settings(layout, ax, ay, /*grid=*/false, pass);
    s += legend_settings(legend, styles, {diameter_pt}, pass);
    s += fmt::format(
        "plot $points using 1:2 with points pt 7 ps {} lc rgb '{}' notitle\n",
        pass.ps(diameter_pt),
        kTab10[0]);
    return s;
  };
  return fig;
}

}  // namespace plot_internal

void plot(
    const std::vector<Series>& lines,
    const PlotOptions& options,
    const FigureTarget& target) {
  if (target.enabled) {
    render(line_figure(lines, options), target);
  }
}

void scatter(
    const std::vector<double>& x,
    const std::vector<double>& y,
    double marker_size,
    const PlotOptions& options,
    const FigureTarget& target) {
  if (target.enabled) {
    render(scatter_figure(x, y, marker_size, options), target);
  }
}

}  // namespace d2l
