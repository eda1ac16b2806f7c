// The gnuplot side of the figures: finding and running gnuplot (no shell),
// the script that draws a figure on both terminals, the files it writes
// atomically, and the one line per figure that says where they are.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "d2l/error.h"
#include "d2l/io.h"
#include "d2l/process.h"
#include "plot_internal.h"

namespace d2l {
namespace plot_internal {

namespace fs = std::filesystem;

const Terminal kPng = {
    "pngcairo", "butt", 100.0 / 96.0, 4.0, 6.0, 1.0, true, 0.37, 1.0};
const Terminal kSvg = {
    "svg", "fixed butt", 100.0 / 72.0, 2.0, 9.0, 0.0, false, 0.234, 0.0};

// ---------------------------------------------------------------------------
// Small text helpers.

// A number as gnuplot reads it; NaN (gnuplot skips it) for non-finite ones.
std::string num(double v) {
  if (!std::isfinite(v)) {
    return "NaN";
  }
  return fmt::format("{:.10g}", v);
}

std::string gp_string(const std::string& bytes) {
  std::string out = "\"";
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u >= 0x80 || (u >= 0x20 && u < 0x7F && c != '`')) {
      out += c;
    } else {
      out += fmt::format("\\{:03o}", u);
    }
  }
  return out + "\"";
}

std::string quoted(const std::string& s) {
  std::string text;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\t') {
      text += ' ';
    } else if (c == '\r') {
      continue;
    } else if (c != '\n' && (u < 0x20 || u == 0x7F)) {
      text += '?';
    } else {
      text += c;
    }
  }
  return gp_string(text);
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

}  // namespace plot_internal

namespace {

using namespace plot_internal;
namespace fs = std::filesystem;

// What run_process keeps of a helper's one captured stream: enough for a
// message.
constexpr std::size_t kMaxCapturedBytes = 65536;

// Options capturing only stdout (fd 1) or only stderr (fd 2).
ProcessOptions capturing(int fd, double limit_s = 0) {
  ProcessOptions options;
  options.capture_out = fd == 1;
  options.capture_err = fd == 2;
  options.max_bytes = kMaxCapturedBytes;
  options.limit_s = limit_s;
  return options;
}

// How much of one line of gnuplot's complaints a message quotes.
constexpr std::size_t kMaxErrorBytes = 300;

// The most useful line of gnuplot's complaints: the one naming the script
// line ("...gp" line 12: ...), else the first non-empty one; as printable
// text.
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
      return printable(line.substr(0, kMaxErrorBytes));
    }
  }
  return lines.empty() ? "no message"
                       : printable(lines.front().substr(0, kMaxErrorBytes));
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
  const std::string found = find_program(wanted);
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
      "fc-list",
      {fmt::format(":charset={:x}", uint32_t{cp}), "family"},
      capturing(1));
  const bool has = !r.started || r.exit_code != 0 ||
                   r.out.find_first_not_of(" \n") != std::string::npos;
  known[cp] = has;
  return has;
}

}  // namespace

namespace plot_internal {

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
// One pass of a figure's script.

std::string Pass::text(const std::string& s) const {
  return quoted(check_glyphs && term->needs_glyphs ? drawable(s) : s);
}

std::string Pass::lw(double pt) {
  return fmt::format("{:.2f}", pt * kPxPerPt);
}

std::string Pass::ps(double diameter_pt) const {
  return fmt::format(
      "{:.3f}",
      std::max(
          0.05,
          (diameter_pt * kPxPerPt - term->point_extra_px) / term->point_px));
}

double Pass::sx(double x) const {
  return x / std::max(1.0, width - term->screen_inset_px);
}

double Pass::sy(double y) const {
  return 1 - y / std::max(1.0, height - term->screen_inset_px);
}

std::string Pass::at(double x, double y) const {
  return fmt::format("screen {:.5f}, screen {:.5f}", sx(x), sy(y));
}

std::string Pass::margins(const Box& box) const {
  return fmt::format(
      "set lmargin at screen {:.5f}\nset rmargin at screen {:.5f}\n"
      "set tmargin at screen {:.5f}\nset bmargin at screen {:.5f}\n",
      sx(box.x0),
      sx(box.x1),
      sy(box.y0),
      sy(box.y1));
}

std::string Pass::label(const TextItem& item) const {
  // gnuplot places a label's baseline `baseline_em` below its position
  // (right of it when rotated by 90 degrees).
  const double shift = term->baseline_em * item.size_pt * kPxPerPt;
  const double x = item.vertical ? item.x - shift : item.x;
  const double y = item.vertical ? item.y : item.y - shift;
  return fmt::format(
      "set label {} at {} {}{} front noenhanced tc rgb 'black' font ',{}'\n",
      text(item.text),
      at(x, y),
      item.vertical       ? "center"
      : item.align == 'r' ? "right"
      : item.align == 'c' ? "center"
                          : "left",
      item.vertical ? " rotate by 90" : "",
      item.size_pt);
}

// ---------------------------------------------------------------------------
// Data.

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

}  // namespace plot_internal

namespace plot_internal {

// ---------------------------------------------------------------------------
// The script.

void check_figure_name(const std::string& name) {
  const bool ok = !name.empty() && name[0] != '.' &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                           std::strchr("._+-", c) != nullptr;
                  });
  if (!ok) {
    throw Error(fmt::format(
        "bad figure name '{}': use letters, digits and ._+- (a file name "
        "without a folder or extension, not starting with '.')",
        printable(name)));
  }
}

std::string script_text(
    const Figure& fig,
    const std::string& png,
    const std::string& svg,
    const std::string& name,
    bool check_glyphs) {
  check_figure_name(name);
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
        gp_string(out));
    s += "reset\nset encoding utf8\n";
    s += fig.body(Pass{
        term,
        check_glyphs,
        static_cast<double>(fig.width),
        static_cast<double>(fig.height)});
    s += "unset output\n";
  }
  return s;
}

double gnuplot_time_limit(std::size_t script_bytes) {
  if (const char* env = std::getenv("D2L_GNUPLOT_TIMEOUT"); env && *env) {
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    if (end != env && *end == '\0' && std::isfinite(v) && v > 0) {
      return v;
    }
    throw Error(fmt::format(
        "D2L_GNUPLOT_TIMEOUT={}: must be a number of seconds > 0",
        printable(env)));
  }
  return 60.0 + 10.0 * static_cast<double>(script_bytes) / 1e6;
}

}  // namespace plot_internal

namespace {

using namespace plot_internal;

// ---------------------------------------------------------------------------
// Files.

// Why `bytes` is not a whole PNG file (signature, chunks up to IEND and
// nothing after), or "" when it is one.
std::string png_problem(const std::string& bytes) {
  static const std::string kSignature = "\x89PNG\r\n\x1a\n";
  if (bytes.compare(0, kSignature.size(), kSignature) != 0) {
    return "not a PNG file";
  }
  std::size_t at = kSignature.size();
  while (at + 12 <= bytes.size()) {
    const auto u = [&](std::size_t i) {
      return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i]));
    };
    const uint32_t length =
        u(at) << 24 | u(at + 1) << 16 | u(at + 2) << 8 | u(at + 3);
    if (length > bytes.size() - at - 12) {
      break;
    }
    if (bytes.compare(at + 4, 4, "IEND") == 0) {
      return at + 12 + length == bytes.size() ? "" : "data after its end";
    }
    at += 12 + length;
  }
  return "cut short (no IEND chunk)";
}

// Why `text` is not a whole SVG document (an XML declaration or <svg> first,
// </svg> last), or "" when it is one.
std::string svg_problem(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  if (first == std::string::npos || (text.compare(first, 5, "<?xml") != 0 &&
                                     text.compare(first, 4, "<svg") != 0)) {
    return "not an SVG file";
  }
  const std::string end = "</svg>";
  if (last + 1 < end.size() ||
      text.compare(last + 1 - end.size(), end.size(), end) != 0) {
    return "cut short (no closing </svg>)";
  }
  return "";
}

// Asks SVG viewers to draw embedded images with square pixels, as the PNG
// (and matplotlib's upsampled images) show them; viewers smooth them
// otherwise.
std::string pixelate_svg_images(std::string text) {
  const std::string tag = "<image ";
  const std::string styled =
      "<image style='image-rendering:optimizeSpeed;"
      "image-rendering:pixelated' ";
  for (size_t at = text.find(tag); at != std::string::npos;
       at = text.find(tag, at + styled.size())) {
    text.replace(at, tag.size(), styled);
  }
  return text;
}

// True the first time this process asks about `key` (a figure's file).
bool first_time(const std::string& key) {
  static std::mutex mutex;
  static std::set<std::string> seen;
  std::lock_guard<std::mutex> lock(mutex);
  return seen.insert(key).second;
}

// Where a figure file `path` is committed (see output_target); throws.
fs::path figure_file(const fs::path& path) {
  std::string problem;
  const auto target = output_target(path, &problem);
  if (!target) {
    throw FigureError(
        fmt::format(
            "cannot write figure {}: it {}", printable(path.string()), problem),
        FigureError::Remedy::kOtherFolder);
  }
  return *target;
}

// Leaves `<dir>/<name>.gp` for later when gnuplot is missing; says so once
// per figure.
void write_script_for_later(
    const Figure& fig, const fs::path& dir, const std::string& name) {
  const fs::path gp = dir / (name + ".gp");
  write_file_atomically(
      gp,
      script_text(
          fig, name + ".png", name + ".svg", name, /*check_glyphs=*/false));
  if (first_time(gp.string())) {
    std::cerr << "note: gnuplot not found; wrote " << printable(gp.string())
              << " (the figure as a gnuplot script) - render it later with: "
              << "cd " << printable(dir.string()) << " && gnuplot " << name
              << ".gp" << std::endl;
  }
}

}  // namespace

namespace plot_internal {

void render(const Figure& fig, const FigureTarget& target) {
  if (!target.enabled) {
    return;
  }
  check_figure_name(target.name);
  const fs::path dir = target.dir.empty() ? fs::path(".") : target.dir;
  const fs::path png = figure_file(dir / (target.name + ".png"));
  const fs::path svg = figure_file(dir / (target.name + ".svg"));
  const std::string shown_png =
      printable((dir / (target.name + ".png")).string());
  const std::string gnuplot = gnuplot_path();
  if (gnuplot.empty()) {
    write_script_for_later(fig, dir, target.name);
    return;
  }
  TempFile png_tmp(png.parent_path(), png.filename().string());
  TempFile svg_tmp(svg.parent_path(), svg.filename().string());
  TempFile script(dir, target.name + ".gp");
  std::error_code ec;
  const auto absolute = [&](const fs::path& p) {
    const fs::path a = fs::absolute(p, ec);
    return ec ? p.string() : a.string();
  };
  const std::string text = script_text(
      fig,
      absolute(png_tmp.path()),
      absolute(svg_tmp.path()),
      target.name,
      /*check_glyphs=*/true);
  script.write_all(text, dir / (target.name + ".gp"));
  const double limit_s = gnuplot_time_limit(text.size());
  const auto result =
      run_process(gnuplot, {absolute(script.path())}, capturing(2, limit_s));
  if (!result.started) {
    if (result.spawn_error == ENOENT || result.spawn_error == EACCES) {
      write_script_for_later(fig, dir, target.name);
      return;
    }
    throw Error(fmt::format(
        "cannot draw {}: cannot run {}: {}",
        shown_png,
        printable(gnuplot),
        std::strerror(result.spawn_error)));
  }
  if (result.timed_out) {
    throw FigureError(
        fmt::format(
            "gnuplot ({}) did not finish drawing {} within {:g} s and was "
            "stopped; is it waiting for something? (D2L_GNUPLOT_TIMEOUT sets "
            "the limit in seconds)",
            printable(gnuplot),
            shown_png,
            limit_s),
        FigureError::Remedy::kNoFigures);
  }
  if (result.exit_code != 0) {
    throw Error(fmt::format(
        "gnuplot failed to draw {} (exit {}): {}",
        shown_png,
        result.exit_code,
        first_error_line(result.err)));
  }
  // gnuplot exits 0 after a short write (a full disk): commit only whole
  // files.
  const std::string png_bytes = read_whole_file(png_tmp.path(), png);
  const std::string svg_text = read_whole_file(svg_tmp.path(), svg);
  for (const auto& [problem, file] :
       {std::make_pair(png_problem(png_bytes), png),
        std::make_pair(svg_problem(svg_text), svg)}) {
    if (!problem.empty()) {
      throw Error(fmt::format(
          "gnuplot did not write a whole {} ({}; is the disk full?): {}",
          printable(file.string()),
          problem,
          result.err.empty() ? "it printed nothing"
                             : first_error_line(result.err)));
    }
  }
  const std::string pixelated = pixelate_svg_images(svg_text);
  if (pixelated != svg_text) {
    TempFile styled(svg.parent_path(), svg.filename().string());
    styled.write_all(pixelated, svg);
    png_tmp.commit(png);
    styled.commit(svg);
  } else {
    png_tmp.commit(png);
    svg_tmp.commit(svg);
  }
  // A script left by an earlier run without gnuplot is stale now.
  fs::remove(dir / (target.name + ".gp"), ec);
  if (first_time(png.string())) {
    std::cerr << "figure: " << shown_png << " (and .svg)"
              << (fig.note.empty() ? "" : ", " + fig.note) << std::endl;
  }
}

}  // namespace plot_internal

bool gnuplot_available() {
  return !gnuplot_path().empty();
}

}  // namespace d2l
