// Section 3.1 Linear regression (d2l-zh 2nd ed., PyTorch tab).
//
// The book's cells: vectorization for speed (a Python-style loop against one
// vectorized add, both timed) and the normal distribution with squared loss
// (three normal densities, plotted). The default run prints the book's cells
// only; the exercises (`--exercises` lists them) are declared in
// exercises.cpp, and App::run prints the selected ones after the cells.
// scripts/reference/3.1-linear-regression.py prints the same, from Python.
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <cmath>
#include <utility>
#include <vector>

#include "exercises.h"

namespace {

// cell 2: the vectors to add
constexpr int64_t kN = 10000;
// cell 7: the (mean, std) pairs to plot
const std::vector<std::pair<double, double>> kParams = {{0, 1}, {0, 2}, {3, 1}};

// cell 6: the normal density (the book uses numpy; doubles here too)
torch::Tensor normal(const torch::Tensor& x, double mu, double sigma) {
  const double p = 1 / std::sqrt(2 * M_PI * sigma * sigma);
  return p * torch::exp(-0.5 / (sigma * sigma) * (x - mu).pow(2));
}

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.1", "Linear regression");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  linear_regression::ExerciseOptions exercises;
  linear_regression::add_exercises(app, exercises);

  return app.run(argc, argv, [&] {
    // cell 2: two vectors of ones
    const auto a = torch::ones({kN});
    const auto b = torch::ones({kN});

    // cell 4: add them element by element in a loop
    auto c = torch::zeros({kN});
    d2l::Timer timer;
    for (int64_t i = 0; i < kN; ++i) {
      c[i] = a[i] + b[i];
    }
    fmt::print("{}\n", d2l::py_str(fmt::format("{:.5f} sec", timer.stop())));

    // cell 5: the vectorized add
    timer.start();
    const auto d = a + b;
    fmt::print("{}\n", d2l::py_str(fmt::format("{:.5f} sec", timer.stop())));

    // cell 7: plot the three normal densities
    const auto x = torch::arange(-7, 7, 0.01, torch::kFloat64);
    std::vector<d2l::Series> lines;
    d2l::PlotOptions options;
    options.xlabel = "x";
    options.ylabel = "p(x)";
    options.figsize = {4.5, 2.5};
    for (const auto& [mu, sigma] : kParams) {
      lines.push_back(
          {d2l::to_vector(x), d2l::to_vector(normal(x, mu, sigma))});
      options.legend.push_back(fmt::format("mean {}, std {}", mu, sigma));
    }
    d2l::plot(lines, options, app.figure("3.1_cell07_fig1"));
    // The exercises (exercises.cpp) run after this: they need no cell's
    // result.
  });
}
