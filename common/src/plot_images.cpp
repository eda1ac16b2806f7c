// d2l::show_images: a grid of images laid out as plt.subplots(num_rows,
// num_cols) lays out its axes (subplot parameters 0.125 / 0.9 / 0.11 / 0.88,
// wspace = hspace = 0.2, each axes shrunk to its image's aspect), titled
// above, and cropped as the notebook shows the figure.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "d2l/error.h"
#include "d2l/plot.h"
#include "plot_internal.h"

namespace d2l {
namespace {

using namespace plot_internal;

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

// Baseline to baseline of a multi-line title at 12 pt, as the book's
// figures space them.
constexpr double kTitleLineStep = 17.0;

// The lines of `s`, split at '\n'.
std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t end = s.find('\n', start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string::npos) {
      return out;
    }
    start = end + 1;
  }
}

}  // namespace

namespace plot_internal {

Figure images_figure(
    const torch::Tensor& imgs,
    int64_t num_rows,
    int64_t num_cols,
    const std::vector<std::string>& titles,
    double scale,
    Colormap cmap) {
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

  const auto [fig_w, fig_h] = figure_pixels(
      {static_cast<double>(num_cols) * scale,
       static_cast<double>(num_rows) * scale});
  Figure fig;
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

  // The grid of plt.subplots: cells between the subplot parameters with
  // gaps of 0.2 cells; each axes keeps its image's aspect, centred in its
  // cell ('equal' aspect, anchor 'C').
  const double cols = static_cast<double>(num_cols);
  const double rows = static_cast<double>(num_rows);
  const double cell_w = 0.775 * fig_w / (cols + 0.2 * (cols - 1));
  const double cell_h = 0.77 * fig_h / (rows + 0.2 * (rows - 1));
  const double aspect = static_cast<double>(h) / static_cast<double>(w);
  const double box_w = std::min(cell_w, cell_h / aspect);
  const double box_h = box_w * aspect;
  // Titles at 12 pt, their last baseline 6 pt (axes.titlepad) above the
  // axes.
  const double title_asc = text_ascent_px(kTitlePt);
  const double title_pad = 6.0 * kPxPerPt;
  std::vector<Box> boxes;
  std::vector<std::vector<TextItem>> title_texts;
  Box content;
  for (int64_t i = 0; i < count; ++i) {
    const double row = static_cast<double>(i / num_cols);
    const double col = static_cast<double>(i % num_cols);
    const double left =
        0.125 * fig_w + col * 1.2 * cell_w + (cell_w - box_w) / 2;
    const double top = 0.12 * fig_h + row * 1.2 * cell_h + (cell_h - box_h) / 2;
    boxes.push_back({left, top, left + box_w, top + box_h});
    // The hidden axes still count their outward ticks (left and bottom) in
    // the crop, as the book's figures show.
    content.add({left - kTickPx, top, left + box_w, top + box_h + kTickPx});
    std::vector<TextItem> texts;
    if (i < static_cast<int64_t>(titles.size())) {
      const auto lines = split_lines(titles[static_cast<size_t>(i)]);
      const double mid = left + box_w / 2;
      double baseline = top - title_pad -
                        kTitleLineStep * static_cast<double>(lines.size() - 1);
      for (const auto& line : lines) {
        const double tw = text_width_px(line, kTitlePt);
        texts.push_back({line, mid, baseline, 'c', false, kTitlePt});
        content.add(
            {mid - tw / 2, baseline - title_asc, mid + tw / 2, baseline});
        baseline += kTitleLineStep;
      }
    }
    title_texts.push_back(texts);
  }
  if (content.empty()) {
    content = {0, 0, 1, 1};
  }
  const Crop crop = tight_crop(content);
  fig.width = crop.width;
  fig.height = crop.height;
  for (auto& b : boxes) {
    b = {b.x0 + crop.dx, b.y0 + crop.dy, b.x1 + crop.dx, b.y1 + crop.dy};
  }
  for (auto& texts : title_texts) {
    for (auto& t : texts) {
      t.x += crop.dx;
      t.y += crop.dy;
    }
  }

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
    for (size_t i = 0; i < boxes.size(); ++i) {
      s += pass.margins(boxes[i]);
      s += fmt::format(
          "set cbrange [{}:{}]\nunset label\n",
          num(ranges[i].first),
          num(ranges[i].second));
      for (const auto& t : title_texts[i]) {
        s += pass.label(t);
      }
      s += fmt::format("plot $image{} matrix with image notitle\n", i);
    }
    return s + "unset multiplot\n";
  };
  return fig;
}

}  // namespace plot_internal

void show_images(
    const torch::Tensor& imgs,
    int64_t num_rows,
    int64_t num_cols,
    const std::vector<std::string>& titles,
    double scale,
    Colormap cmap,
    const FigureTarget& target) {
  if (target.enabled) {
    render(
        images_figure(imgs, num_rows, num_cols, titles, scale, cmap), target);
  }
}

}  // namespace d2l
