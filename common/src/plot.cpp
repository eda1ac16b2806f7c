// Figures through gnuplot, drawn the way the book's matplotlib draws them:
// 100 dpi, DejaVu Sans 10 pt, the tab10 colour cycle, 5% data margins,
// MaxNLocator ticks, a grid, legend 'best'. One gnuplot process per figure
// writes the PNG and the SVG; both appear atomically (temp file + rename).
#include "d2l/plot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>

#include "d2l/error.h"
#include "d2l/io.h"

extern char** environ;

namespace d2l {
namespace {

namespace fs = std::filesystem;

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
constexpr const char* kLegendEdge = "#cccccc";

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

// matplotlib's viridis, every 8th of its 256 entries (and the last).
constexpr std::array<std::pair<int, const char*>, 33> kViridis = {{
    {0, "#440154"},   {8, "#470d60"},   {16, "#48186a"},  {24, "#482374"},
    {32, "#472d7b"},  {40, "#453781"},  {48, "#424086"},  {56, "#3e4989"},
    {64, "#3b528b"},  {72, "#375b8d"},  {80, "#33638d"},  {88, "#2f6b8e"},
    {96, "#2c728e"},  {104, "#297a8e"}, {112, "#26828e"}, {120, "#23898e"},
    {128, "#21918c"}, {136, "#1f988b"}, {144, "#1fa088"}, {152, "#22a785"},
    {160, "#28ae80"}, {168, "#32b67a"}, {176, "#3fbc73"}, {184, "#4ec36b"},
    {192, "#5ec962"}, {200, "#70cf57"}, {208, "#84d44b"}, {216, "#98d83e"},
    {224, "#addc30"}, {232, "#c2df23"}, {240, "#d8e219"}, {248, "#ece51b"},
    {255, "#fde725"},
}};

// ---------------------------------------------------------------------------
// Terminals. How gnuplot 5.4 measures things differs between its cairo PNG
// and its SVG terminal; these factors make both match matplotlib at 100 dpi.

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
};

const Terminal kPng = {"pngcairo", "butt", 100.0 / 96.0, 4.0, 6.0, 1.0, true};
const Terminal kSvg = {"svg", "fixed butt", 100.0 / 72.0, 2.0, 9.0, 0.0, false};

// ---------------------------------------------------------------------------
// Small text helpers.

// A number as gnuplot reads it; NaN (gnuplot skips it) for non-finite ones.
std::string num(double v) {
  if (!std::isfinite(v)) {
    return "NaN";
  }
  return fmt::format("{:.10g}", v);
}

// A double-quoted gnuplot string (backslash escapes; "\n" breaks the line).
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

// A single-quoted gnuplot string (no escapes but '' for a quote): paths.
std::string single_quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    out += c;
    if (c == '\'') {
      out += '\'';
    }
  }
  return out + "'";
}

// Decodes UTF-8 into code points (invalid bytes become U+FFFD).
std::vector<char32_t> code_points(const std::string& s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80         ? 1
              : (c >> 5) == 6  ? 2
              : (c >> 4) == 14 ? 3
              : (c >> 3) == 30 ? 4
                               : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Approximate width of `s` in ems of DejaVu Sans (wide glyphs count more).
double text_width_em(const std::string& s) {
  double w = 0;
  for (const char32_t cp : code_points(s)) {
    w += cp >= 0x1100 ? 1.0 : 0.6;
  }
  return w;
}

// ---------------------------------------------------------------------------
// Child processes, without a shell.

struct ProcessResult {
  // False when the program could not be started; `spawn_error` says why.
  bool started = false;
  int spawn_error = 0;
  // Exit status (128 + signal when killed).
  int exit_code = -1;
  // What the program wrote to the captured descriptor (first 64 KiB).
  std::string captured;
};

// Runs `program` (looked up on PATH unless it contains '/') with `args`;
// stdin and the uncaptured one of stdout/stderr are /dev/null, `capture_fd`
// (1 or 2) is collected.
ProcessResult run_process(
    const std::string& program,
    const std::vector<std::string>& args,
    int capture_fd) {
  ProcessResult result;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    result.spawn_error = errno;
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(
      &actions, capture_fd == 1 ? 2 : 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], capture_fd);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(
      &pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    result.spawn_error = rc;
    return result;
  }
  result.started = true;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) {
      if (result.captured.size() < 65536) {
        result.captured.append(buf, static_cast<size_t>(n));
      }
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// The most useful line of gnuplot's complaints: the one naming the script
// line ("...gp" line 12: ...), else the first non-empty one.
std::string first_error_line(const std::string& err) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= err.size()) {
    size_t end = err.find('\n', start);
    if (end == std::string::npos) {
      end = err.size();
    }
    std::string line = err.substr(start, end - start);
    const auto first = line.find_first_not_of(" \t\r^");
    if (first != std::string::npos) {
      lines.push_back(line.substr(first));
    }
    start = end + 1;
  }
  for (const auto& line : lines) {
    if (line.find("\" line ") != std::string::npos) {
      return line;
    }
  }
  return lines.empty() ? "no message" : lines.front();
}

// ---------------------------------------------------------------------------
// Which gnuplot, and which glyphs the installed fonts have.

// The gnuplot to run: $D2L_GNUPLOT or "gnuplot", resolved against PATH; empty
// when there is none. Cached until D2L_GNUPLOT or PATH changes.
std::string gnuplot_path() {
  static std::mutex mutex;
  static std::string cached_key;
  static std::string cached_path;
  static bool cached = false;
  const char* env = std::getenv("D2L_GNUPLOT");
  const char* path_env = std::getenv("PATH");
  const std::string wanted = env && *env ? env : "gnuplot";
  const std::string key = wanted + '\0' + (path_env ? path_env : "");
  std::lock_guard<std::mutex> lock(mutex);
  if (cached && key == cached_key) {
    return cached_path;
  }
  const auto runnable = [](const std::string& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
  };
  std::string found;
  if (wanted.find('/') != std::string::npos) {
    if (runnable(wanted)) {
      found = wanted;
    }
  } else {
    const std::string dirs = path_env ? path_env : "/usr/bin:/bin";
    size_t start = 0;
    while (found.empty() && start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) {
        end = dirs.size();
      }
      const std::string dir = dirs.substr(start, end - start);
      const std::string candidate = (dir.empty() ? "." : dir) + "/" + wanted;
      if (runnable(candidate)) {
        found = candidate;
      }
      start = end + 1;
    }
  }
  cached = true;
  cached_key = key;
  cached_path = found;
  return found;
}

// True when some installed font has a glyph for `cp` (asks fontconfig's
// fc-list once per character; assumes yes when fc-list is missing).
bool font_has_glyph(char32_t cp) {
  static std::mutex mutex;
  static std::map<char32_t, bool> known;
  std::lock_guard<std::mutex> lock(mutex);
  const auto it = known.find(cp);
  if (it != known.end()) {
    return it->second;
  }
  const auto r = run_process(
      "fc-list", {fmt::format(":charset={:x}", uint32_t{cp}), "family"}, 1);
  const bool has = !r.started || r.exit_code != 0 ||
                   r.captured.find_first_not_of(" \n") != std::string::npos;
  known[cp] = has;
  return has;
}

// `s` with every character no installed font can draw replaced by '?':
// cairo draws garbage over the whole figure for them. Says so once.
std::string drawable(const std::string& s) {
  static std::atomic<bool> told{false};
  std::string out;
  for (const char32_t cp : code_points(s)) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
      continue;
    }
    if (!font_has_glyph(cp)) {
      if (!told.exchange(true)) {
        std::cerr << fmt::format(
                         "note: no installed font has the character U+{:04X}; "
                         "PNG figures show '?' instead (the SVG keeps it); "
                         "install a CJK font such as fonts-noto-cjk",
                         uint32_t{cp})
                  << std::endl;
      }
      out += '?';
      continue;
    }
    // Re-encode as UTF-8.
    if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
    } else {
      if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      }
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    }
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

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

// Autoscaled view limits: the finite (and, on a log axis, positive) data
// range widened by 5% on each side, in the axis' own scale.
std::pair<double, double> auto_limits(
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

// One axis of a figure, ready to be written as gnuplot settings.
struct Axis {
  double lo = 0;
  double hi = 1;
  bool log = false;
  std::string label;
};

// matplotlib's tick count for an axis of `length_pt` (Axis.get_tick_space).
int tick_space(double length_pt, bool x_axis) {
  const int n = static_cast<int>(
      std::floor(length_pt / (kFontPt * (x_axis ? 3.0 : 2.0))));
  return std::clamp(n, 1, 9);
}

// gnuplot settings for axis `name` ("x" or "y").
std::string axis_settings(const char* name, const Axis& axis, int nbins) {
  std::string s;
  if (axis.log) {
    // Powers of ten as 10^k when the axis spans a decade, else plain numbers.
    const bool decades = std::abs(std::log10(axis.hi / axis.lo)) >= 1;
    s += fmt::format(
        "set logscale {0} 10\nset format {0} {1}\nset {0}tics autofreq\n"
        "set m{0}tics {2}\n",
        name,
        decades ? "\"10^{%T}\"" : "\"%g\"",
        decades ? 10 : 1);
  } else {
    const auto locs = max_n_ticks(axis.lo, axis.hi, nbins);
    const auto labels = tick_labels(locs);
    std::string list;
    for (size_t i = 0; i < locs.size(); ++i) {
      list += fmt::format(
          "{}{} {}", i ? ", " : "", quoted(labels[i]), num(locs[i]));
    }
    s += fmt::format("set {}tics ({})\n", name, list);
  }
  s += fmt::format("set {}range [{}:{}]\n", name, num(axis.lo), num(axis.hi));
  return s;
}

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
// Legend placement: matplotlib's loc='best', the first of its candidate
// corners covering the fewest data points and crossing the fewest lines.

struct LegendBox {
  double x0, y0, x1, y1;  // axes fraction
};

bool segment_hits_box(
    double ax, double ay, double bx, double by, const LegendBox& b) {
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

// gnuplot's key position for the best of matplotlib's legend locations.
std::string best_legend_position(
    const std::vector<std::vector<std::pair<double, double>>>& lines,
    double width,
    double height) {
  struct Candidate {
    const char* gnuplot;
    double fx;  // 0 left, 0.5 centre, 1 right
    double fy;  // 0 bottom, 0.5 centre, 1 top
  };
  // loc codes 1..10 in matplotlib's order ('right' == 'center right').
  constexpr std::array<Candidate, 9> kCandidates = {{
      {"right top", 1, 1},
      {"left top", 0, 1},
      {"left bottom", 0, 0},
      {"right bottom", 1, 0},
      {"right center", 1, 0.5},
      {"left center", 0, 0.5},
      {"center bottom", 0.5, 0},
      {"center top", 0.5, 1},
      {"center center", 0.5, 0.5},
  }};
  const double pad_x = 0.02;
  const double pad_y = 0.03;
  const char* best = kCandidates[0].gnuplot;
  long best_badness = std::numeric_limits<long>::max();
  for (const auto& c : kCandidates) {
    const double x0 = pad_x + c.fx * (1 - 2 * pad_x - width);
    const double y0 = pad_y + c.fy * (1 - 2 * pad_y - height);
    const LegendBox box = {x0, y0, x0 + width, y0 + height};
    long badness = 0;
    for (const auto& line : lines) {
      bool crossed = false;
      for (size_t i = 0; i < line.size(); ++i) {
        const auto [x, y] = line[i];
        if (!std::isfinite(x) || !std::isfinite(y)) {
          continue;
        }
        if (x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1) {
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
      best = c.gnuplot;
      if (badness == 0) {
        break;
      }
    }
  }
  return best;
}

// ---------------------------------------------------------------------------
// A figure: data blocks plus a body drawn once per terminal.

// One drawing of a figure: on which terminal, and how to write text for it.
struct Pass {
  const Terminal* term;
  // The script runs here and now: replace characters no font here has.
  bool check_glyphs;

  // `s` as a quoted gnuplot string for this pass.
  std::string text(const std::string& s) const {
    return quoted(check_glyphs && term->needs_glyphs ? drawable(s) : s);
  }
  // A length in (matplotlib) points as a gnuplot line width.
  static std::string lw(double pt) {
    return fmt::format("{:.2f}", pt * kPxPerPt);
  }
  // A marker diameter in points as a gnuplot point size.
  std::string ps(double diameter_pt) const {
    return fmt::format(
        "{:.3f}",
        std::max(
            0.05,
            (diameter_pt * kPxPerPt - term->point_extra_px) / term->point_px));
  }
};

struct Figure {
  // Size in pixels at 100 dpi (the SVG uses the same units).
  int width = 350;
  int height = 250;
  // Inline data: gnuplot datablocks.
  std::string data;
  // Settings and plot commands for one pass.
  std::function<std::string(const Pass&)> body;
};

// The whole script, drawing PNG `png` and SVG `svg` (paths as gnuplot sees
// them).
std::string script_text(
    const Figure& fig,
    const std::string& png,
    const std::string& svg,
    const std::string& name,
    bool check_glyphs) {
  std::string s = fmt::format(
      "# {} - drawn by d2l-cpp (d2l/plot.h); render with: gnuplot {}.gp\n"
      "set encoding utf8\n",
      name,
      name);
  s += fig.data;
  for (const auto& [term, out] :
       {std::make_pair(&kPng, png), std::make_pair(&kSvg, svg)}) {
    s += fmt::format(
        "\nset terminal {} size {},{} enhanced font '{},{}' "
        "fontscale {:.4f} {} background rgb 'white'\n"
        "set output {}\n",
        term->name,
        fig.width,
        fig.height,
        kFont,
        kFontPt,
        term->font_scale,
        term->options,
        single_quoted(out));
    s += "reset\nset encoding utf8\n";
    s += fig.body(Pass{term, check_glyphs});
    s += "unset output\n";
  }
  return s;
}

// A datablock named `name` with one "x y" row per point.
std::string datablock(
    const std::string& name,
    const std::vector<double>& x,
    const std::vector<double>& y) {
  std::string s = "$" + name + " << EOD\n";
  for (size_t i = 0; i < x.size(); ++i) {
    s += num(x[i]);
    s += ' ';
    s += num(y[i]);
    s += '\n';
  }
  if (x.empty()) {
    s += "NaN NaN\n";
  }
  return s + "EOD\n";
}

// ---------------------------------------------------------------------------
// Files.

// Asks SVG viewers to draw embedded images with square pixels, as the PNG
// (and matplotlib's upsampled images) show them; viewers smooth them
// otherwise.
void pixelate_svg_images(const fs::path& svg, const fs::path& what) {
  std::string text;
  {
    std::ifstream in(svg, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string tag = "<image ";
  const std::string styled =
      "<image style='image-rendering:optimizeSpeed;"
      "image-rendering:pixelated' ";
  size_t at = text.find(tag);
  if (at == std::string::npos) {
    return;
  }
  for (; at != std::string::npos; at = text.find(tag, at + styled.size())) {
    text.replace(at, tag.size(), styled);
  }
  std::ofstream out(svg, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) {
    throw Error(fmt::format("cannot write figure {}", what.string()));
  }
}

// Leaves `<dir>/<name>.gp` for later when gnuplot is missing; says so once.
void write_script_for_later(
    const Figure& fig, const fs::path& dir, const std::string& name) {
  const fs::path gp = dir / (name + ".gp");
  TempFile tmp(dir, name + ".gp");
  tmp.write_all(
      script_text(
          fig, name + ".png", name + ".svg", name, /*check_glyphs=*/false),
      gp);
  tmp.commit(gp);
  static std::atomic<bool> told{false};
  if (!told.exchange(true)) {
    std::cerr << "note: gnuplot not found; wrote " << gp.string()
              << " (figures as gnuplot scripts) - render them later with: "
              << "cd " << dir.string() << " && gnuplot " << name << ".gp"
              << std::endl;
  }
}

// Draws `fig` into `<dir>/<name>.png` and `.svg` with one gnuplot run.
void render(const Figure& fig, const FigureTarget& target) {
  if (!target.enabled) {
    return;
  }
  if (target.name.empty() || target.name.find('/') != std::string::npos) {
    throw Error(fmt::format(
        "bad figure name '{}': give a file name without a folder or "
        "extension",
        target.name));
  }
  const fs::path dir = target.dir.empty() ? fs::path(".") : target.dir;
  const fs::path png = dir / (target.name + ".png");
  const fs::path svg = dir / (target.name + ".svg");
  const std::string gnuplot = gnuplot_path();
  if (gnuplot.empty()) {
    write_script_for_later(fig, dir, target.name);
    return;
  }
  TempFile png_tmp(dir, target.name + ".png");
  TempFile svg_tmp(dir, target.name + ".svg");
  TempFile script(dir, target.name + ".gp");
  std::error_code ec;
  const auto absolute = [&](const fs::path& p) {
    const fs::path a = fs::absolute(p, ec);
    return ec ? p.string() : a.string();
  };
  script.write_all(
      script_text(
          fig,
          absolute(png_tmp.path()),
          absolute(svg_tmp.path()),
          target.name,
          /*check_glyphs=*/true),
      dir / (target.name + ".gp"));
  const auto result = run_process(gnuplot, {script.path().string()}, 2);
  if (!result.started) {
    if (result.spawn_error == ENOENT || result.spawn_error == EACCES) {
      write_script_for_later(fig, dir, target.name);
      return;
    }
    throw Error(fmt::format(
        "cannot draw {}: cannot run {}: {}",
        png.string(),
        gnuplot,
        std::strerror(result.spawn_error)));
  }
  if (result.exit_code != 0) {
    throw Error(fmt::format(
        "gnuplot failed to draw {} (exit {}): {}",
        png.string(),
        result.exit_code,
        first_error_line(result.captured)));
  }
  for (const auto* tmp : {&png_tmp, &svg_tmp}) {
    if (fs::file_size(tmp->path(), ec) == 0 || ec) {
      throw Error(fmt::format(
          "gnuplot wrote nothing for {}: {}",
          tmp == &png_tmp ? png.string() : svg.string(),
          first_error_line(result.captured)));
    }
  }
  pixelate_svg_images(svg_tmp.path(), svg);
  png_tmp.commit(png);
  svg_tmp.commit(svg);
  // A script left by an earlier run without gnuplot is stale now.
  fs::remove(dir / (target.name + ".gp"), ec);
}

// ---------------------------------------------------------------------------
// Axes shared by plot() and scatter().

// A figure's size in pixels; throws on a non-positive size.
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

// The two axes of a figure of `lines`, limits given or autoscaled.
std::pair<Axis, Axis> make_axes(
    const std::vector<const std::vector<double>*>& xs,
    const std::vector<const std::vector<double>*>& ys,
    const PlotOptions& options) {
  Axis x;
  Axis y;
  x.log = is_log(options.xscale, "xscale");
  y.log = is_log(options.yscale, "yscale");
  std::tie(x.lo, x.hi) = options.xlim ? *options.xlim : auto_limits(xs, x.log);
  std::tie(y.lo, y.hi) = options.ylim ? *options.ylim : auto_limits(ys, y.log);
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

// Frame, ticks, labels and (with `grid`) the grid of one axes, as
// d2l.set_axes leaves them; `figsize` in inches.
std::string axes_settings(
    const Axis& x,
    const Axis& y,
    std::pair<double, double> figsize,
    bool grid,
    const Pass& pass) {
  std::string s = fmt::format(
      "set border 15 lw {} lc rgb 'black' front\n"
      "set tics out nomirror scale 0.9,0.5 front\n",
      Pass::lw(kFramePt));
  // matplotlib's default axes cover 77.5% x 77% of the figure.
  s += axis_settings("x", x, tick_space(0.775 * figsize.first * 72, true));
  s += axis_settings("y", y, tick_space(0.77 * figsize.second * 72, false));
  if (grid) {
    s += fmt::format(
        "set grid xtics ytics back lt 1 lw {} lc rgb '{}'\n",
        Pass::lw(kFramePt),
        kGridColor);
  }
  if (!x.label.empty()) {
    s += fmt::format(
        "set xlabel {} offset 0,0.4 noenhanced\n", pass.text(x.label));
  }
  if (!y.label.empty()) {
    s += fmt::format("set ylabel {} noenhanced\n", pass.text(y.label));
  }
  s += "set rmargin 2.5\nset tmargin 1\n";
  return s;
}

// Points of `xs`/`ys` in axes fractions (for the legend placement).
std::vector<std::pair<double, double>> to_axes_fraction(
    const std::vector<double>& xs,
    const std::vector<double>& ys,
    const Axis& x,
    const Axis& y) {
  const auto frac = [](double v, const Axis& a) {
    if (a.log) {
      return v > 0 ? (std::log10(v) - std::log10(a.lo)) /
                         (std::log10(a.hi) - std::log10(a.lo))
                   : std::numeric_limits<double>::quiet_NaN();
    }
    return (v - a.lo) / (a.hi - a.lo);
  };
  std::vector<std::pair<double, double>> out;
  out.reserve(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    out.emplace_back(frac(xs[i], x), frac(ys[i], y));
  }
  return out;
}

// `set key` for `entries` placed at matplotlib's 'best' location.
std::string key_settings(
    const std::vector<std::string>& entries,
    const std::vector<std::vector<std::pair<double, double>>>& points,
    const Figure& fig,
    const PlotOptions& options) {
  if (entries.empty()) {
    return "unset key\n";
  }
  // The legend's size in fractions of the axes (estimated: the axes span
  // the figure less the tick labels and axis labels).
  const double em = kFontPt * kPxPerPt;
  double text_em = 0;
  for (const auto& e : entries) {
    text_em = std::max(text_em, text_width_em(e));
  }
  const double n = static_cast<double>(entries.size());
  const double axes_w =
      fig.width - (options.ylabel.empty() ? 45.0 : 65.0) - 25.0;
  const double axes_h =
      fig.height - (options.xlabel.empty() ? 30.0 : 50.0) - 15.0;
  const double w = em * (0.8 + 2.0 + 0.8 + text_em) / std::max(axes_w, 1.0);
  const double h = em * (0.8 + 1.2 * n + 0.3 * (n - 1)) / std::max(axes_h, 1.0);
  return fmt::format(
      "set key inside {} reverse Left samplen 2 spacing 1.2 width -1 "
      "height 0.6 box lt 1 lw {} lc rgb '{}' opaque noenhanced\n",
      best_legend_position(points, w, h),
      Pass::lw(kFramePt),
      kLegendEdge);
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

void plot(
    const std::vector<Series>& lines,
    const PlotOptions& options,
    const FigureTarget& target) {
  if (!target.enabled) {
    return;
  }
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
  Figure fig;
  std::tie(fig.width, fig.height) = figure_pixels(options.figsize);
  Axis x;
  Axis y;
  std::tie(x, y) = make_axes(xs, ys, options);

  // One colour, style and marker per line; lines without a colour take the
  // next one of the cycle, as matplotlib's do.
  std::vector<std::string> colors;
  size_t cycle = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& f = formats[i % formats.size()];
    colors.push_back(
        f.color.empty() ? kTab10[cycle++ % kTab10.size()] : f.color);
    fig.data += datablock(fmt::format("line{}", i), lines[i].x, lines[i].y);
  }
  std::vector<std::string> entries(
      options.legend.begin(),
      options.legend.begin() + static_cast<std::ptrdiff_t>(std::min(
                                   options.legend.size(), lines.size())));
  std::vector<std::vector<std::pair<double, double>>> points;
  for (const auto& line : lines) {
    points.push_back(to_axes_fraction(line.x, line.y, x, y));
  }
  const std::string key = key_settings(entries, points, fig, options);
  const auto figsize = options.figsize;
  fig.body = [=](const Pass& pass) {
    std::string s = axes_settings(x, y, figsize, /*grid=*/true, pass);
    s += key;
    std::string cmd;
    for (size_t i = 0; i < colors.size(); ++i) {
      const auto& f = formats[i % formats.size()];
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
          "{}$line{} using 1:2 {} lc rgb '{}' {}",
          i ? ", \\\n     " : "plot ",
          i,
          style,
          colors[i],
          i < entries.size() ? "title " + pass.text(entries[i])
                             : std::string("notitle"));
    }
    if (cmd.empty()) {
      cmd = "plot NaN notitle";
    }
    return s + cmd + "\n";
  };
  render(fig, target);
}

void scatter(
    const std::vector<double>& x,
    const std::vector<double>& y,
    double marker_size,
    const PlotOptions& options,
    const FigureTarget& target) {
  if (!target.enabled) {
    return;
  }
  if (x.size() != y.size()) {
    throw Error(fmt::format(
        "scatter: {} x values but {} y values", x.size(), y.size()));
  }
  if (!(marker_size >= 0)) {
    throw Error(fmt::format(
        "scatter: bad marker size {} (an area in points^2, >= 0)",
        marker_size));
  }
  Figure fig;
  std::tie(fig.width, fig.height) = figure_pixels(options.figsize);
  Axis ax;
  Axis ay;
  std::tie(ax, ay) = make_axes({&x}, {&y}, options);
  fig.data = datablock("points", x, y);
  const std::vector<std::string> entries(
      options.legend.begin(),
      options.legend.begin() +
          std::min<std::ptrdiff_t>(
              1, static_cast<std::ptrdiff_t>(options.legend.size())));
  const std::string key =
      key_settings(entries, {to_axes_fraction(x, y, ax, ay)}, fig, options);
  const auto figsize = options.figsize;
  // matplotlib draws a marker of area s with a 1.5 pt edge of its colour.
  const double diameter_pt = std::sqrt(marker_size) + kLinePt;
  fig.body = [=](const Pass& pass) {
    std::string s = axes_settings(ax, ay, figsize, /*grid=*/false, pass);
    s += key;
    s += fmt::format(
        "plot $points using 1:2 with points pt 7 ps {} lc rgb '{}' {}\n",
        pass.ps(diameter_pt),
        kTab10[0],
        entries.empty() ? std::string("notitle")
                        : "title " + pass.text(entries[0]));
    return s;
  };
  render(fig, target);
}

void show_images(
    const torch::Tensor& imgs,
    int64_t num_rows,
    int64_t num_cols,
    const std::vector<std::string>& titles,
    double scale,
    Colormap cmap,
    const FigureTarget& target) {
  if (!target.enabled) {
    return;
  }
  if (num_rows <= 0 || num_cols <= 0 || !(scale > 0)) {
    throw Error(fmt::format(
        "show_images: bad grid {} x {} or scale {} (all must be positive)",
        num_rows,
        num_cols,
        scale));
  }
  torch::Tensor images = imgs.detach();
  if (images.dim() == 4 && images.size(1) == 1) {
    images = images.squeeze(1);
  }
  if (images.dim() != 3) {
    throw Error(fmt::format(
        "show_images: expected N x H x W or N x 1 x H x W images, got {}",
        fmt::join(imgs.sizes().vec(), " x ")));
  }
  images = images.to(torch::kCPU, torch::kDouble).contiguous();
  const int64_t count = std::min(images.size(0), num_rows * num_cols);
  const int64_t h = images.size(1);
  const int64_t w = images.size(2);

  Figure fig;
  std::tie(fig.width, fig.height) = figure_pixels(
      {static_cast<double>(num_cols) * scale,
       static_cast<double>(num_rows) * scale});
  // Each image as a matrix datablock, and its colour range: imshow scales
  // every image to its own minimum and maximum.
  std::vector<std::pair<double, double>> ranges;
  const double* data = images.data_ptr<double>();
  for (int64_t i = 0; i < count; ++i) {
    fig.data += fmt::format("$image{} << EOD\n", i);
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (int64_t r = 0; r < h; ++r) {
      for (int64_t c = 0; c < w; ++c) {
        const double v = data[(i * h + r) * w + c];
        if (std::isfinite(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
        fig.data += c ? " " : "";
        fig.data += std::isfinite(v) ? fmt::format("{:.4g}", v) : "NaN";
      }
      fig.data += '\n';
    }
    fig.data += "EOD\n";
    if (!(lo < hi)) {
      lo = std::isfinite(lo) ? lo : 0;
      hi = lo + 1;
    }
    ranges.emplace_back(lo, hi);
  }

  // Layout in pixels: a grid of cells inside a 0.1 in border; each cell has
  // its title on top and the image, at its aspect ratio, below.
  size_t title_lines = 0;
  for (int64_t i = 0; i < count && i < static_cast<int64_t>(titles.size());
       ++i) {
    title_lines = std::max<size_t>(
        title_lines,
        static_cast<size_t>(
            std::count(titles[i].begin(), titles[i].end(), '\n')) +
            1);
  }
  const double line_h = 1.2 * kTitlePt * kPxPerPt;
  const double title_pad = 6.0 * kPxPerPt;  // axes.titlepad
  const double title_h = title_lines ? title_lines * line_h + title_pad : 0;
  const double border = 0.1 * kDpi;
  const double cell_w = (fig.width - 2 * border) / num_cols;
  const double cell_h = (fig.height - 2 * border) / num_rows;
  const double gap = 0.1 * cell_w;
  const double avail_w = std::max(1.0, cell_w - gap);
  const double avail_h = std::max(1.0, cell_h - title_h - gap / 2);
  const double aspect = static_cast<double>(h) / static_cast<double>(w);
  const double box_w = std::min(avail_w, avail_h / aspect);
  const double box_h = box_w * aspect;
  const double fw = fig.width;
  const double fh = fig.height;

  const std::vector<std::string> names(
      titles.begin(),
      titles.begin() + std::min<std::ptrdiff_t>(
                           count, static_cast<std::ptrdiff_t>(titles.size())));
  fig.body = [=](const Pass& pass) {
    std::string s = fmt::format(
        "set multiplot\n"
        "unset key\nunset tics\nunset colorbox\n"
        "set border 15 lw {} lc rgb 'black' front\n",
        Pass::lw(kFramePt));
    if (cmap == Colormap::kGray) {
      s += "set palette defined (0 'black', 1 'white')\n";
    } else {
      s += "set palette defined (";
      for (size_t k = 0; k < kViridis.size(); ++k) {
        s += fmt::format(
            "{}{} '{}'", k ? ", " : "", kViridis[k].first, kViridis[k].second);
      }
      s += ")\n";
    }
    s += fmt::format(
        "set xrange [-0.5:{}]\nset yrange [{}:-0.5]\n", w - 0.5, h - 0.5);
    for (int64_t i = 0; i < count; ++i) {
      const int64_t row = i / num_cols;
      const int64_t col = i % num_cols;
      const double left = border + col * cell_w + (cell_w - box_w) / 2;
      const double top =
          border + row * cell_h + title_h + (avail_h - box_h) / 2;
      s += fmt::format(
          "set lmargin at screen {:.5f}\nset rmargin at screen {:.5f}\n"
          "set tmargin at screen {:.5f}\nset bmargin at screen {:.5f}\n"
          "set cbrange [{}:{}]\n",
          left / fw,
          (left + box_w) / fw,
          1 - top / fh,
          1 - (top + box_h) / fh,
          num(ranges[i].first),
          num(ranges[i].second));
      if (i < static_cast<int64_t>(names.size())) {
        const auto lines =
            std::count(names[i].begin(), names[i].end(), '\n') + 1;
        // A label's first line is centred on its position.
        const double first_line =
            top - title_pad - (lines - 1) * line_h - line_h / 2;
        s += fmt::format(
            "set label 1 {} at screen {:.5f}, screen {:.5f} center "
            "font ',{}' noenhanced front\n",
            pass.text(names[i]),
            (left + box_w / 2) / fw,
            1 - first_line / fh,
            kTitlePt);
      } else {
        s += "unset label 1\n";
      }
      s += fmt::format("plot $image{} matrix with image notitle\n", i);
    }
    return s + "unset multiplot\n";
  };
  render(fig, target);
}

bool gnuplot_available() {
  return !gnuplot_path().empty();
}

}  // namespace d2l
