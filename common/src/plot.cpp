// STUB: replaced by the full implementation.
#include "d2l/plot.h"
namespace d2l {
std::vector<double> to_vector(const torch::Tensor& t) {
  auto c = t.detach().to(torch::kCPU, torch::kDouble).contiguous().flatten();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}
void plot(const std::vector<Series>&, const PlotOptions&, const FigureTarget&) {}
void scatter(const std::vector<double>&, const std::vector<double>&, double, const PlotOptions&, const FigureTarget&) {}
void show_images(const torch::Tensor&, int64_t, int64_t, const std::vector<std::string>&, double, Colormap, const FigureTarget&) {}
bool gnuplot_available() { return false; }
}  // namespace d2l
