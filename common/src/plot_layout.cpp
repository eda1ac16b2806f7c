// matplotlib's layout rules, as the book's figures show them at 100 dpi:
// autoscaled limits and MaxNLocator ticks, DejaVu Sans text sizes, where the
// default subplot puts its axes, tick labels and axis labels, the legend's
// size and its loc='best' placement, and the notebook's tight crop
// (`bbox_inches='tight'`, pad 0.1 inch).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "d2l/error.h"
#include "plot_internal.h"

namespace d2l::plot_internal {
namespace {

// ---------------------------------------------------------------------------
// DejaVu Sans, matplotlib's default font.

constexpr double kUnitsPerEm = 2048;
// Advance widths of ' ' .. '~' in font units (the font's hmtx table).
constexpr std::array<int16_t, 95> kAdvance = {
    651,  821,  942,  1716, 1303, 1946, 1597, 563,  799,  799,  1024, 1716,
    651,  739,  651,  690,  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,
    1303, 1303, 690,  690,  1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430,
    1577, 1294, 1178, 1587, 1540, 604,  604,  1343, 1141, 1767, 1532, 1612,
    1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799,
    690,  799,  1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721,  1300,
    1298, 569,  569,  1186, 569,  1995, 1298, 1253, 1300, 1300, 842,  1067,
    803,  1298, 1212, 1675, 1212, 1212, 1075, 1303, 690,  1303, 1716,
};
constexpr double kMinusAdvance = 1716;  // U+2212, matplotlib's minus sign
// 'l' reaches 1556 units above the baseline, 'p' 426 below.
constexpr double kAscentUnits = 1556;
constexpr double kDescentUnits = 426;

// ---------------------------------------------------------------------------
// Axis limits and ticks, as matplotlib computes them.

// Python's float divmod (floor division), which MaxNLocator relies on.
std::pair<double, double> py_divmod(double x, double y) {
  double mod = std::fmod(x, y);
  double div = (x - mod) / y;
  if (mod != 0.0) {
    if ((y < 0) != (mod < 0)) {
      mod += y;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, y);
  }
  double floordiv = 0.0;
  if (div != 0.0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) {
      floordiv += 1.0;
    }
  } else {
    floordiv = std::copysign(0.0, x / y);
  }
  return {floordiv, mod};
}

// matplotlib.transforms.nonsingular: widens an empty interval.
std::pair<double, double> nonsingular(double lo, double hi, double expander) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    return {-expander, expander};
  }
  if (hi < lo) {
    std::swap(lo, hi);
  }
  const double maxabs = std::max(std::abs(lo), std::abs(hi));
  if (maxabs < 1e-300 || hi - lo <= maxabs * 1e-15) {
    if (hi == 0 && lo == 0) {
      return {-expander, expander};
    }
    return {lo - expander * std::abs(lo), hi + expander * std::abs(hi)};
  }
  return {lo, hi};
}

// The finite (and, on a log axis, positive) data's minimum and maximum;
// lo > hi when there are none.
std::pair<double, double> data_range(
    const std::vector<const std::vector<double>*>& data, bool log) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const auto* values : data) {
    for (const double v : *values) {
      if (std::isfinite(v) && (!log || v > 0)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  return {lo, hi};
}

// Autoscaled view limits: the data range widened by 5% on each side, in the
// axis' own scale.
std::pair<double, double> auto_limits(
    const std::vector<const std::vector<double>*>& data, bool log) {
  const auto [lo, hi] = data_range(data, log);
  if (lo > hi) {
    return log ? std::make_pair(1.0, 10.0) : std::make_pair(0.0, 1.0);
  }
  if (log) {
    auto [l, h] = nonsingular(std::log10(lo), std::log10(hi), 0.05);
    const double d = (h - l) * kMargin;
    return {std::pow(10.0, l - d), std::pow(10.0, h + d)};
  }
  auto [l, h] = nonsingular(lo, hi, 0.05);
  const double d = (h - l) * kMargin;
  return {l - d, h + d};
}

// matplotlib's _Edge_integer without an offset: n * step compared with
// tolerance.
double edge_le(double x, double step) {
  const auto [d, m] = py_divmod(x, step);
  return std::abs(m / step - 1) < 1e-10 ? d + 1 : d;
}
double edge_ge(double x, double step) {
  const auto [d, m] = py_divmod(x, step);
  return std::abs(m / step) < 1e-10 ? d : d + 1;
}

// matplotlib's AutoLocator (MaxNLocator, steps 1 2 2.5 5 10) for the view
// [vmin, vmax] with at most `nbins` intervals; the ticks inside the view.
std::vector<double> max_n_ticks(double vmin, double vmax, int nbins) {
  std::tie(vmin, vmax) = nonsingular(vmin, vmax, 1e-13);
  const double dv = vmax - vmin;
  const double meanv = (vmax + vmin) / 2;
  double offset = 0;
  if (std::abs(meanv) / dv >= 100) {
    offset = std::copysign(
        std::pow(10.0, std::floor(std::log10(std::abs(meanv)))), meanv);
  }
  const double scale = std::pow(10.0, std::floor(std::log10(dv / nbins)));
  const double vmin0 = vmin - offset;
  const double vmax0 = vmax - offset;
  constexpr std::array<double, 10> kSteps = {
      0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20};
  const double raw_step = (vmax0 - vmin0) / nbins;
  size_t istep = kSteps.size() - 1;
  for (size_t i = 0; i < kSteps.size(); ++i) {
    if (kSteps[i] * scale >= raw_step) {
      istep = i;
      break;
    }
  }
  std::vector<double> ticks;
  for (size_t i = istep + 1; i-- > 0;) {
    const double step = kSteps[i] * scale;
    const double best_vmin = py_divmod(vmin0, step).first * step;
    const double low = edge_le(vmin0 - best_vmin, step);
    const double high = edge_ge(vmax0 - best_vmin, step);
    ticks.clear();
    int inside = 0;
    for (double n = low; n <= high && ticks.size() < 1000; n += 1) {
      const double t = n * step + best_vmin;
      ticks.push_back(t);
      inside += t <= vmax0 && t >= vmin0;
    }
    if (inside >= 2) {
      break;
    }
  }
  std::vector<double> shown;
  const double tol = 1e-10 * dv;
  for (const double t : ticks) {
    if (t + offset >= vmin - tol && t + offset <= vmax + tol) {
      shown.push_back(t + offset);
    }
  }
  return shown;
}

// matplotlib's ScalarFormatter: one number of decimals for all ticks, enough
// to tell them apart; a Unicode minus sign.
std::vector<std::string> tick_labels(const std::vector<double>& locs) {
  std::vector<std::string> out;
  if (locs.empty()) {
    return out;
  }
  const auto [mn, mx] = std::minmax_element(locs.begin(), locs.end());
  double range = *mx - *mn;
  double maxabs = std::max(std::abs(*mn), std::abs(*mx));
  if (range == 0) {
    range = maxabs;
  }
  if (range == 0) {
    range = 1;
  }
  const bool sci = maxabs >= 1e6 || (maxabs > 0 && maxabs < 1e-5);
  const int oom = static_cast<int>(std::floor(std::log10(range)));
  int sigfigs = std::max(0, 3 - oom);
  const double thresh = 1e-3 * std::pow(10.0, oom);
  while (sigfigs >= 0) {
    const double p = std::pow(10.0, sigfigs);
    double worst = 0;
    for (const double v : locs) {
      worst = std::max(worst, std::abs(v - std::nearbyint(v * p) / p));
    }
    if (worst < thresh) {
      --sigfigs;
    } else {
      break;
    }
  }
  ++sigfigs;
  for (double v : locs) {
    if (std::abs(v) < 1e-8 * std::max(1.0, maxabs)) {
      v = 0;
    }
    std::string s =
        sci ? fmt::format("{:g}", v) : fmt::format("{:.{}f}", v, sigfigs);
    if (!s.empty() && s[0] == '-') {
      s = "\u2212" + s.substr(1);
    }
    out.push_back(s);
  }
  return out;
}

// matplotlib's tick count for an axis of `length_pt` (Axis.get_tick_space).
int tick_space(double length_pt, bool x_axis) {
  const int n = static_cast<int>(
      std::floor(length_pt / (kFontPt * (x_axis ? 3.0 : 2.0))));
  return std::clamp(n, 1, 9);
}

// True for "log", false for "linear"; throws otherwise.
bool is_log(const std::string& scale, const char* which) {
  if (scale == "log") {
    return true;
  }
  if (scale == "linear") {
    return false;
  }
  throw Error(
      fmt::format("bad {} '{}': use \"linear\" or \"log\"", which, scale));
}

// `limits` widened to take in the finite data outside them, plus the
// autoscale margin on each side that grew (in the axis' own scale).
std::pair<double, double> grown_limits(
    std::pair<double, double> limits,
    const std::vector<const std::vector<double>*>& data,
    bool log) {
  const auto to = [&](double v) { return log ? std::log10(v) : v; };
  const auto from = [&](double v) { return log ? std::pow(10.0, v) : v; };
  const auto [dmin, dmax] = data_range(data, log);
  const bool reversed = limits.first > limits.second;
  double lo = std::min(limits.first, limits.second);
  double hi = std::max(limits.first, limits.second);
  if (dmin > dmax || (log && (lo <= 0 || hi <= 0)) || !std::isfinite(lo) ||
      !std::isfinite(hi) || (dmin >= lo && dmax <= hi)) {
    return limits;
  }
  const double new_lo = to(std::min(lo, dmin));
  const double new_hi = to(std::max(hi, dmax));
  const double margin = (new_hi - new_lo) * kMargin;
  lo = from(dmin < lo ? new_lo - margin : new_lo);
  hi = from(dmax > hi ? new_hi + margin : new_hi);
  return reversed ? std::make_pair(hi, lo) : std::make_pair(lo, hi);
}

// ---------------------------------------------------------------------------
// Legend placement: matplotlib's loc='best'.

// True when the segment from (ax, ay) to (bx, by) meets box `b`.
bool segment_hits_box(
    double ax, double ay, double bx, double by, const Box& b) {
  // Liang-Barsky clipping of the segment against the box.
  double t0 = 0;
  double t1 = 1;
  const double dx = bx - ax;
  const double dy = by - ay;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {ax - b.x0, b.x1 - ax, ay - b.y0, b.y1 - ay};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) {
        return false;
      }
    } else {
      const double t = q[i] / p[i];
      if (p[i] < 0) {
        t0 = std::max(t0, t);
      } else {
        t1 = std::min(t1, t);
      }
      if (t0 > t1) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------
// Text.

void Box::add(const Box& b) {
  x0 = std::min(x0, b.x0);
  y0 = std::min(y0, b.y0);
  x1 = std::max(x1, b.x1);
  y1 = std::max(y1, b.y1);
}

double text_width_px(const std::string& s, double pt) {
  double units = 0;
  for (const char32_t cp : code_points(s)) {
    if (cp >= 0x20 && cp < 0x7F) {
      units += kAdvance[cp - 0x20];
    } else if (cp == 0x2212) {
      units += kMinusAdvance;
    } else if (cp >= 0x1100) {
      units += kUnitsPerEm;  // CJK and other wide characters: 1 em
    } else {
      units += 0.6 * kUnitsPerEm;
    }
  }
  return units / kUnitsPerEm * pt * kPxPerPt;
}

double text_ascent_px(double pt) {
  return std::ceil(kAscentUnits / kUnitsPerEm * pt * kPxPerPt - 1e-9);
}

double text_descent_px(double pt) {
  return std::ceil(kDescentUnits / kUnitsPerEm * pt * kPxPerPt - 1e-9);
}

// ---------------------------------------------------------------------------
// Axes.

std::pair<int, int> figure_pixels(std::pair<double, double> inches) {
  if (!(inches.first > 0) || !(inches.second > 0)) {
    throw Error(fmt::format(
        "bad figure size {} x {} inches: both must be positive",
        inches.first,
        inches.second));
  }
  return {
      std::max(16, static_cast<int>(std::lround(inches.first * kDpi))),
      std::max(16, static_cast<int>(std::lround(inches.second * kDpi)))};
}

std::pair<Axis, Axis> make_axes(
    const std::vector<const std::vector<double>*>& xs,
    const std::vector<const std::vector<double>*>& ys,
    const PlotOptions& options) {
  Axis x;
  Axis y;
  x.log = is_log(options.xscale, "xscale");
  y.log = is_log(options.yscale, "yscale");
  const auto limits = [&](const auto& given, const auto& data, bool log) {
    if (!given) {
      return auto_limits(data, log);
    }
    auto lim = options.limits_grow ? grown_limits(*given, data, log) : *given;
    // Equal limits (an Animator's xlim (1, 1) after one epoch) widen by 5%,
    // as set_xlim does with a warning.
    if (lim.first == lim.second && std::isfinite(lim.first) &&
        (!log || lim.first > 0)) {
      if (log) {
        const auto [l, h] =
            nonsingular(std::log10(lim.first), std::log10(lim.second), 0.05);
        return std::make_pair(std::pow(10.0, l), std::pow(10.0, h));
      }
      return nonsingular(lim.first, lim.second, 0.05);
    }
    return lim;
  };
  std::tie(x.lo, x.hi) = limits(options.xlim, xs, x.log);
  std::tie(y.lo, y.hi) = limits(options.ylim, ys, y.log);
  for (const Axis* a : {&x, &y}) {
    if (!std::isfinite(a->lo) || !std::isfinite(a->hi) || a->lo == a->hi ||
        (a->log && (a->lo <= 0 || a->hi <= 0))) {
      throw Error(fmt::format(
          "bad {} limits [{}, {}]: they must be finite, differ and be "
          "positive on a log axis",
          a == &x ? "x" : "y",
          a->lo,
          a->hi));
    }
  }
  x.label = options.xlabel;
  y.label = options.ylabel;
  return {x, y};
}

namespace {

// Where `v` lies on axis `a`, as a fraction from its low end; NaN when it
// cannot be drawn.
double axis_fraction(double v, const Axis& a) {
  if (!std::isfinite(v)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (a.log) {
    return v > 0 ? (std::log10(v) - std::log10(a.lo)) /
                       (std::log10(a.hi) - std::log10(a.lo))
                 : std::numeric_limits<double>::quiet_NaN();
  }
  return (v - a.lo) / (a.hi - a.lo);
}

}  // namespace

double AxesLayout::px(double v, const Axis& a) const {
  return axes.x0 + axis_fraction(v, a) * axes.width();
}

double AxesLayout::py(double v, const Axis& a) const {
  return axes.y1 - axis_fraction(v, a) * axes.height();
}

Crop tight_crop(const Box& content) {
  // savefig(bbox_inches='tight', pad_inches=0.1): the canvas is the
  // content's box plus the pad, cut to whole pixels at the top (matplotlib's
  // origin is the bottom left corner).
  const double pad = 0.1 * kDpi;
  Crop crop;
  crop.width = std::max(16, static_cast<int>(content.width() + 2 * pad));
  crop.height = std::max(16, static_cast<int>(content.height() + 2 * pad));
  crop.dx = pad - content.x0;
  crop.dy = crop.height - pad - content.y1;
  return crop;
}

AxesLayout layout_axes(
    const Axis& x, const Axis& y, std::pair<double, double> figsize) {
  const auto [fig_w, fig_h] = figure_pixels(figsize);
  AxesLayout out;
  // The default subplot: left 0.125, right 0.9, bottom 0.11, top 0.88.
  out.axes = {0.125 * fig_w, 0.12 * fig_h, 0.9 * fig_w, 0.89 * fig_h};
  const Box& axes = out.axes;
  const double asc = text_ascent_px(kFontPt);
  const double desc = text_descent_px(kFontPt);
  const double labelpad = 4 * kPxPerPt;
  // The spines with their outward ticks (left and bottom).
  Box content = axes;
  content.add({axes.x0 - kTickPx, axes.y0, axes.x1, axes.y1 + kTickPx});

  // x tick labels: centred under their ticks, tops 7 pt below the axes.
  const double xtick_top = axes.y1 + kTickPx + kTickPadPx;
  double below = axes.y1 + kTickPx;
  if (x.log) {
    // gnuplot's own labels ("10^k" with a raised exponent), one line.
    below = xtick_top + asc + desc + 2;
    content.add({axes.x0, xtick_top, axes.x1, below});
  } else {
    out.xticks = max_n_ticks(
        x.lo, x.hi, tick_space(axes.width() / kPxPerPt, /*x_axis=*/true));
    const auto labels = tick_labels(out.xticks);
    for (size_t i = 0; i < labels.size(); ++i) {
      const double at = out.px(out.xticks[i], x);
      const double w = text_width_px(labels[i], kFontPt);
      out.texts.push_back({labels[i], at, xtick_top + asc, 'c'});
      content.add({at - w / 2, xtick_top, at + w / 2, xtick_top + asc + desc});
      below = std::max(below, xtick_top + asc + desc);
    }
  }
  // y tick labels: right-aligned 7 pt left of the axes, centred between
  // their top and baseline on their ticks ('center_baseline').
  const double ytick_right = axes.x0 - kTickPx - kTickPadPx;
  double left = axes.x0 - kTickPx;
  if (y.log) {
    left = ytick_right - text_width_px("10-1", kFontPt);
    content.add({left, axes.y0, ytick_right, axes.y1});
  } else {
    out.yticks = max_n_ticks(
        y.lo, y.hi, tick_space(axes.height() / kPxPerPt, /*x_axis=*/false));
    const auto labels = tick_labels(out.yticks);
    for (size_t i = 0; i < labels.size(); ++i) {
      const double at = out.py(out.yticks[i], y);
      const double w = text_width_px(labels[i], kFontPt);
      out.texts.push_back({labels[i], ytick_right, at + asc / 2, 'r'});
      content.add(
          {ytick_right - w, at - asc / 2, ytick_right, at + asc / 2 + desc});
      left = std::min(left, ytick_right - w);
    }
  }
  // Axis labels: 4 pt beyond the tick labels, centred on the axes.
  if (!x.label.empty()) {
    const double top = below + labelpad;
    const double w = text_width_px(x.label, kFontPt);
    const double mid = (axes.x0 + axes.x1) / 2;
    out.texts.push_back({x.label, mid, top + asc, 'c'});
    content.add({mid - w / 2, top, mid + w / 2, top + asc + desc});
  }
  if (!y.label.empty()) {
    const double right = left - labelpad;
    const double w = text_width_px(y.label, kFontPt);
    const double mid = (axes.y0 + axes.y1) / 2;
    out.texts.push_back({y.label, right - desc, mid, 'c', /*vertical=*/true});
    content.add({right - asc - desc, mid - w / 2, right, mid + w / 2});
  }

  const Crop crop = tight_crop(content);
  out.width = crop.width;
  out.height = crop.height;
  out.axes = {
      axes.x0 + crop.dx,
      axes.y0 + crop.dy,
      axes.x1 + crop.dx,
      axes.y1 + crop.dy};
  for (auto& t : out.texts) {
    t.x += crop.dx;
    t.y += crop.dy;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Legend.

LegendLayout place_legend(
    const std::vector<std::string>& entries,
    const std::vector<std::vector<std::pair<double, double>>>& lines,
    const Box& axes) {
  LegendLayout out;
  if (entries.empty()) {
    return out;
  }
  // rcParams legend.*: sizes in font sizes (10 pt).
  const double em = kFontPt * kPxPerPt;
  const double borderpad = 0.4 * em;
  const double labelspacing = 0.5 * em;
  const double handlelength = 2.0 * em;
  const double handletextpad = 0.8 * em;
  const double borderaxespad = 0.5 * em;
  const double asc = text_ascent_px(kFontPt);
  const double row_h = std::max(asc, 0.7 * em) + text_descent_px(kFontPt);
  double text_w = 0;
  for (const auto& e : entries) {
    text_w = std::max(text_w, text_width_px(e, kFontPt));
  }
  const double n = static_cast<double>(entries.size());
  const double w = 2 * borderpad + handlelength + handletextpad + text_w;
  const double h = 2 * borderpad + n * row_h + (n - 1) * labelspacing;

  // matplotlib's loc codes 1..10 in order ('right' is 'center right').
  struct Candidate {
    const char* name;
    double fx;  // 0 left, 0.5 centre, 1 right
    double fy;  // 0 top, 0.5 centre, 1 bottom
  };
  constexpr std::array<Candidate, 9> kCandidates = {{
      {"upper right", 1, 0},
      {"upper left", 0, 0},
      {"lower left", 0, 1},
      {"lower right", 1, 1},
      {"right", 1, 0.5},
      {"center left", 0, 0.5},
      {"lower center", 0.5, 1},
      {"upper center", 0.5, 0},
      {"center", 0.5, 0.5},
  }};
  long best_badness = std::numeric_limits<long>::max();
  for (const auto& c : kCandidates) {
    const double x0 =
        axes.x0 + borderaxespad + c.fx * (axes.width() - 2 * borderaxespad - w);
    const double y0 = axes.y0 + borderaxespad +
                      c.fy * (axes.height() - 2 * borderaxespad - h);
    const Box box = {x0, y0, x0 + w, y0 + h};
    // Points strictly inside, plus one per line that meets the box.
    long badness = 0;
    for (const auto& line : lines) {
      bool crossed = false;
      for (size_t i = 0; i < line.size(); ++i) {
        const auto [x, y] = line[i];
        if (!std::isfinite(x) || !std::isfinite(y)) {
          continue;
        }
        if (x > box.x0 && x < box.x1 && y > box.y0 && y < box.y1) {
          ++badness;
        }
        if (!crossed && i > 0 && std::isfinite(line[i - 1].first) &&
            std::isfinite(line[i - 1].second)) {
          crossed = segment_hits_box(
              line[i - 1].first, line[i - 1].second, x, y, box);
        }
      }
      badness += crossed;
    }
    if (badness < best_badness) {
      best_badness = badness;
      out.frame = box;
      out.where = c.name;
      if (badness == 0) {
        break;
      }
    }
  }

  // Rows: the handle (a line 0.35 em above the baseline), then the text.
  out.handle_x0 = out.frame.x0 + borderpad;
  out.handle_x1 = out.handle_x0 + handlelength;
  for (size_t i = 0; i < entries.size(); ++i) {
    const double baseline = out.frame.y0 + borderpad +
                            static_cast<double>(i) * (row_h + labelspacing) +
                            std::max(asc, 0.7 * em);
    out.handle_y.push_back(baseline - 0.35 * em);
    out.texts.push_back(
        {entries[i], out.handle_x1 + handletextpad, baseline, 'l'});
  }
  return out;
}

}  // namespace d2l::plot_internal
