// Section 3.2's exercises (d2l-zh 2nd ed., 3.2 exercises 1-7), each
// declared once in add_exercises: its flag, what it shows (`--exercises`
// lists them) and its demo, which App::run prints after the book's cells.
#include "exercises.h"

#include <d2l/d2l.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace scratch {
namespace {

// --symmetry-demo: hidden width of the two-layer net
constexpr int64_t kHiddenUnits = 4;
// --ohm: the circuit and the measurements
constexpr double kTrueResistance = 5.0;  // ohms
constexpr double kTrueOffset = 0.2;     // volts: the voltmeter's zero offset V0
constexpr double kMaxCurrent = 2.0;     // amperes: currents uniform in [0, 2)
constexpr double kVoltageNoise = 0.05;  // volts: the voltmeter's noise std
constexpr int64_t kOhmMeasurements = 200;
constexpr double kOhmLearningRate = 0.2;
constexpr int64_t kOhmEpochs = 10;
// --planck: wavelengths in micrometres, temperatures in kilokelvin, so that
// hc/k is O(10) and every number is O(1)-O(10^3); float64 throughout
constexpr double kPlanckC2 = 14.387769;    // hc/k in um kK
constexpr double kTrueTemperature = 5.8;   // kK: the Sun's surface
constexpr double kStartTemperature = 3.0;  // kK: the first guess
constexpr double kMinWavelength = 0.3;     // um
constexpr double kMaxWavelength = 3.0;     // um
constexpr int64_t kNumWavelengths = 50;
constexpr double kSpectrumNoise = 0.01;  // relative noise of each density
constexpr double kPlanckLearningRate = 0.5;
constexpr int64_t kPlanckSteps = 50;
constexpr int64_t kPlanckReportEvery = 10;
// --second-derivatives: the scalar example and the timing repetitions
constexpr double kCubeAt = 3.0;  // f(x) = x^3 is differentiated at x = 3
constexpr int64_t kTimingRepeats = 100;
// --reshape-demo: examples in the small broadcasting example
constexpr int64_t kReshapeRows = 3;
// --lr-sweep: the learning rates tried, from too small to divergent (1.9:
// below 2, above the bound 2 / lambda_max of this data)
const std::vector<double> kSweepRates = {0.001, 0.03, 0.5, 1.9, 3.0};

// How the exercises' trainings treat a short last minibatch.
enum class LastBatch {
  kBook,     // sgd divides by batch_size, as the book does
  kOwnSize,  // sgd divides by the minibatch's own size
  kDrop,     // the short minibatch is skipped
};

// Cell 13's loop on (w, b), updated in place. Returns the mean loss after
// each epoch, stopping after the first one that is not finite or above
// `stop_above` (a diverging run: its exploding values depend on rounding).
std::vector<double> train_linreg(
    torch::Tensor& w,
    torch::Tensor& b,
    const torch::Tensor& features,
    const torch::Tensor& labels,
    int64_t batch_size,
    double lr,
    int64_t num_epochs,
    d2l::PyRandom& random,
    LastBatch last = LastBatch::kBook,
    double stop_above = std::numeric_limits<double>::infinity()) {
  std::vector<double> losses;
  for (int64_t epoch = 0; epoch < num_epochs; ++epoch) {
    for (const auto& [X, y] : data_iter(batch_size, features, labels, random)) {
      if (last == LastBatch::kDrop && X.size(0) < batch_size) {
        continue;
      }
      d2l::squared_loss(d2l::linreg(X, w, b), y).sum().backward();
      d2l::sgd(
          {w, b}, lr, last == LastBatch::kOwnSize ? X.size(0) : batch_size);
    }
    torch::NoGradGuard no_grad;
    losses.push_back(d2l::squared_loss(d2l::linreg(features, w, b), labels)
                         .mean()
                         .item<double>());
    if (!std::isfinite(losses.back()) || losses.back() > stop_above) {
      break;
    }
  }
  return losses;
}

// Exercise 3.2-1: a 2-4-1 net whose every weight starts at the same value
// keeps its hidden units identical, so it is no wider than one unit.
void symmetry_demo(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    int64_t batch_size,
    double lr,
    d2l::PyRandom& random) {
  fmt::print(
      "\n# exercise 3.2-1: zero (constant) initialisation in a deeper net\n");
  for (const double init : {0.0, 0.5}) {
    const auto options = features.options().requires_grad(true);
    auto W1 = torch::full({2, kHiddenUnits}, init, options);
    auto b1 = torch::zeros({kHiddenUnits}, options);
    auto W2 = torch::full({kHiddenUnits, 1}, init, options);
    auto b2 = torch::zeros({1}, options);
    auto net = [&](const torch::Tensor& X) {
      return torch::matmul(torch::relu(torch::matmul(X, W1) + b1), W2) + b2;
    };
    for (const auto& [X, y] : data_iter(batch_size, features, labels, random)) {
      d2l::squared_loss(net(X), y).sum().backward();
      d2l::sgd({W1, b1, W2, b2}, lr, batch_size);
    }
    torch::NoGradGuard no_grad;
    const auto distinct = std::get<0>(torch::unique_dim(W1.t(), 0)).size(0);
    fmt::print(
        "all weights {} -> after one epoch W1 (columns = hidden units):\n{}\n"
        "distinct hidden units: {} of {}; loss {:f}\n",
        init,
        d2l::repr(W1),
        distinct,
        kHiddenUnits,
        d2l::squared_loss(net(features), labels).mean().item<double>());
  }
  fmt::print(
      "Each hidden unit gets the same gradient, so identical units stay "
      "identical: random initialisation breaks the symmetry.\n");
}

// Exercise 3.2-2: Ohm's law V = R I + V0 is a linear model with one feature;
// autograd and minibatch SGD learn R (and the offset V0) from noisy readings.
void ohm_demo(int64_t batch_size, d2l::PyRandom& random) {
  fmt::print("\n# exercise 3.2-2: learn Ohm's law V = R I + V0 by autograd\n");
  const auto current = torch::rand({kOhmMeasurements, 1}) * kMaxCurrent;
  const auto voltage =
      kTrueResistance * current + kTrueOffset +
      torch::normal(/*mean=*/0, /*std=*/kVoltageNoise, {kOhmMeasurements, 1});
  auto R = torch::zeros({1, 1}, torch::requires_grad());
  auto V0 = torch::zeros({1}, torch::requires_grad());
  const auto losses = train_linreg(
      R,
      V0,
      current,
      voltage,
      batch_size,
      kOhmLearningRate,
      kOhmEpochs,
      random);
  fmt::print(
      "{} readings, I uniform in [0, {}) A, V = {} ohm * I + {} V + "
      "N(0, {}^2) V; R = V0 = 0 at first\n"
      "after {} epochs (lr {}): loss {:f}\n",
      kOhmMeasurements,
      kMaxCurrent,
      kTrueResistance,
      kTrueOffset,
      kVoltageNoise,
      losses.size(),
      kOhmLearningRate,
      losses.back());
  // The least-squares line through the same readings: the best any
  // estimator can do with this noise.
  const auto di = current - current.mean();
  const auto dv = voltage - voltage.mean();
  const auto r_ls = (di * dv).sum() / (di * di).sum();
  const auto v0_ls = voltage.mean() - r_ls * current.mean();
  fmt::print(
      "R learned {:.4f} ohm (true {}), V0 learned {:.4f} V (true {})\n"
      "least squares on the same readings: R {:.4f} ohm, V0 {:.4f} V\n"
      "Autograd learns the resistance: the model is linear regression with "
      "one feature.\n",
      R.item<double>(),
      kTrueResistance,
      V0.item<double>(),
      kTrueOffset,
      r_ls.item<double>(),
      v0_ls.item<double>());
}

// log of Planck's spectral energy density, up to a known constant:
// u(lambda, T) ~ lambda^-5 / (exp(hc / (lambda k T)) - 1).
torch::Tensor planck_log_density(
    const torch::Tensor& wavelength, const torch::Tensor& temperature) {
  return -5 * torch::log(wavelength) -
         torch::log(torch::expm1(kPlanckC2 / (wavelength * temperature)));
}

// Exercise 3.2-3: the temperature is the one parameter of Planck's law, so
// gradient descent on T fits it to a measured spectrum.
void planck_demo() {
  fmt::print(
      "\n# exercise 3.2-3: a temperature from a noisy Planck spectrum, by "
      "gradient descent on T\n");
  const auto wavelength = torch::linspace(
      kMinWavelength, kMaxWavelength, kNumWavelengths, torch::kFloat64);
  const auto measured =
      planck_log_density(
          wavelength, torch::tensor(kTrueTemperature, torch::kFloat64)) +
      torch::log1p(
          kSpectrumNoise * torch::randn({kNumWavelengths}, torch::kFloat64));
  fmt::print(
      "{} wavelengths in [{}, {}] um, densities with {}% noise; loss = mean "
      "squared error of log u; float64, T in kK\n",
      kNumWavelengths,
      kMinWavelength,
      kMaxWavelength,
      kSpectrumNoise * 100);
  auto T = torch::tensor(kStartTemperature, torch::kFloat64).requires_grad_();
  for (int64_t step = 1; step <= kPlanckSteps; ++step) {
    const auto l = (planck_log_density(wavelength, T) - measured).pow(2).mean();
    l.backward();
    d2l::sgd({T}, kPlanckLearningRate, /*batch_size=*/1);
    if (step % kPlanckReportEvery == 0) {
      fmt::print(
          "step {}: T = {:.1f} K, loss {:.3e}\n",
          step,
          T.item<double>() * 1000,
          l.item<double>());
    }
  }
  fmt::print(
      "recovered T = {:.1f} K (true {} K, start {} K, lr {})\n"
      "Yes: with the scaled units and log densities the loss is smooth in T, "
      "and gradient descent on it settles {:.2f}% from the true temperature: "
      "the noise's doing (without it the loss is 0 only at the true T)\n",
      T.item<double>() * 1000,
      kTrueTemperature * 1000,
      kStartTemperature * 1000,
      kPlanckLearningRate,
      100 * std::abs(T.item<double>() - kTrueTemperature) / kTrueTemperature);
}

// Exercise 3.2-4: second derivatives by differentiating a gradient.
void second_derivatives_demo(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    const torch::Tensor& w,
    const torch::Tensor& b) {
  fmt::print("\n# exercise 3.2-4: second derivatives by double backward\n");
  // A scalar function: f(x) = x^3, f' = 3x^2, f'' = 6x.
  const auto x = torch::tensor(kCubeAt, torch::requires_grad());
  const auto dfdx = torch::autograd::grad(
      {x.pow(3)},
      {x},
      {},
      /*retain_graph=*/c10::nullopt,
      /*create_graph=*/true)[0];
  const auto d2fdx2 = torch::autograd::grad({dfdx}, {x})[0];
  fmt::print(
      "f(x) = x^3 at x = {}: f' = {} (3x^2 = {}), f'' = {} (6x = {})\n",
      kCubeAt,
      dfdx.item<double>(),
      3 * kCubeAt * kCubeAt,
      d2fdx2.item<double>(),
      6 * kCubeAt);

  // The squared loss of the trained model over the whole dataset: its
  // Hessian with respect to w is X^T X / n, one Hessian-vector product
  // (HVP) per column.
  const auto loss = [&] {
    return d2l::squared_loss(d2l::linreg(features, w, b), labels).mean();
  };
  // d loss / d w; with create_graph it can be differentiated again.
  const auto loss_grad = [&](bool create_graph) {
    return torch::autograd::grad(
        {loss()}, {w}, {}, /*retain_graph=*/c10::nullopt, create_graph)[0];
  };
  const auto grad = loss_grad(/*create_graph=*/true);
  std::vector<torch::Tensor> columns;
  const auto eye = torch::eye(w.size(0), w.options().requires_grad(false));
  for (int64_t j = 0; j < w.size(0); ++j) {
    columns.push_back(torch::autograd::grad(
        {grad}, {w}, {eye.slice(1, j, j + 1)}, /*retain_graph=*/true)[0]);
  }
  const auto hessian = torch::cat(columns, 1);
  const auto analytic =
      torch::matmul(features.t(), features) / features.size(0);
  fmt::print(
      "loss(w) = mean squared_loss over the {} examples at the trained w; "
      "grad with create_graph=True requires grad: {}\n"
      "Hessian by two HVPs (double backward):\n{}\n"
      "X^T X / n (analytic):\n{}\n"
      "largest difference: {:.2e}\n",
      features.size(0),
      grad.requires_grad() ? "True" : "False",
      d2l::repr(hessian),
      d2l::repr(analytic),
      (hessian - analytic).abs().max().item<double>());

  // The cost: the first backward must build a graph of its own.
  d2l::Timer timer;
  for (int64_t i = 0; i < kTimingRepeats; ++i) {
    loss_grad(/*create_graph=*/false);
  }
  const double grad_s = timer.stop();
  timer.start();
  const auto v = torch::ones_like(w).detach();
  for (int64_t i = 0; i < kTimingRepeats; ++i) {
    torch::autograd::grad({loss_grad(/*create_graph=*/true)}, {w}, {v});
  }
  const double hvp_s = timer.stop();
  fmt::print(
      "{} gradients: {:.5f} sec; {} gradients with create_graph + HVP: "
      "{:.5f} sec\n",
      kTimingRepeats,
      grad_s,
      kTimingRepeats,
      hvp_s);

  // Without create_graph the gradient is a plain tensor: no graph to
  // differentiate again.
  const auto plain = loss_grad(/*create_graph=*/false);
  std::string message;
  try {
    torch::autograd::grad({plain}, {w});
  } catch (const c10::Error& e) {
    message = e.what_without_backtrace();
    message = message.substr(0, message.find('\n'));
  }
  fmt::print(
      "without create_graph the gradient requires grad: {}; differentiating "
      "it again fails: {}\n"
      "So: pass create_graph=True (it keeps an extra graph in memory and "
      "time), and prefer HVPs to the full d x d Hessian.\n",
      plain.requires_grad() ? "True" : "False",
      message);
}

// Exercise 3.2-5: without the reshape, (n, 1) - (n,) broadcasts to (n, n).
void reshape_demo(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    const torch::Tensor& w,
    const torch::Tensor& b) {
  fmt::print("\n# exercise 3.2-5: why squared_loss reshapes y\n");
  torch::NoGradGuard no_grad;
  const auto y_hat = d2l::linreg(features.slice(0, 0, kReshapeRows), w, b);
  const auto y = labels.slice(0, 0, kReshapeRows).reshape({-1});
  fmt::print(
      "y_hat {} - y {} broadcasts to every pair:\n{}\n",
      d2l::repr_size(y_hat.sizes()),
      d2l::repr_size(y.sizes()),
      d2l::repr(y_hat - y));
  const auto all_y_hat = d2l::linreg(features, w, b);
  const auto all_y = labels.reshape({-1});
  const auto wrong = (all_y_hat - all_y).pow(2) / 2;
  fmt::print(
      "with all {} examples: shape {}, {} floats = {} bytes\n"
      "mean loss without the reshape {:f} (every prediction against every "
      "label), with it {:f}\n",
      features.size(0),
      d2l::repr_size(wrong.sizes()),
      wrong.numel(),
      wrong.numel() * 4,
      wrong.mean().item<double>(),
      d2l::squared_loss(all_y_hat, all_y).mean().item<double>());
}

// Exercise 3.2-6: the same training at several learning rates.
void lr_sweep(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    int64_t batch_size,
    int64_t num_epochs,
    const d2l::App& app) {
  fmt::print(
      "\n# exercise 3.2-6: learning rates (same start, same minibatches): "
      "loss after each epoch\n");
  fmt::print(
      "(not the run above: w0 is a new N(0, 0.01^2) draw and the shuffles "
      "restart from the seed, so even the lr 0.03 row differs slightly from "
      "the book's)\n");
  const int64_t n = features.size(0);
  const auto w0 = torch::normal(/*mean=*/0, /*std=*/0.01, {2, 1});
  double start_loss = 0;
  {
    torch::NoGradGuard no_grad;
    start_loss = d2l::squared_loss(
                     d2l::linreg(
                         features,
                         w0.to(features.device()),
                         torch::zeros({1}, features.options())),
                     labels)
                     .mean()
                     .item<double>();
  }
  std::vector<std::vector<double>> rows;
  for (const double lr : kSweepRates) {
    auto random = app.python_random();  // the same shuffles for every lr
    auto w = w0.to(features.device()).clone().requires_grad_();
    auto b = torch::zeros({1}, features.options()).requires_grad_();
    rows.push_back(train_linreg(
        w,
        b,
        features,
        labels,
        batch_size,
        lr,
        num_epochs,
        random,
        LastBatch::kBook,
        /*stop_above=*/start_loss));
    std::string line = fmt::format("lr {:<6}", fmt::format("{}", lr));
    for (const double l : rows.back()) {
      line += std::isfinite(l) && l <= start_loss ? fmt::format(" {:f}", l)
                                                  : " diverged";
    }
    fmt::print("{}\n", line);
  }

  // The loss sgd minimises, in (w, b): its Hessian [X, 1]^T [X, 1] / n
  // decides which rates full-batch gradient descent converges at.
  const auto X = torch::cat(
      {features.to(torch::kCPU, torch::kFloat64),
       torch::ones({n, 1}, torch::kFloat64)},
      1);
  const auto eigenvalues = torch::linalg_eigvalsh(X.t().matmul(X) / n, "L");
  const double bound = 2 / eigenvalues[-1].item<double>();
  fmt::print(
      "the loss sgd minimises is mean_i (x_i^T w + b - y_i)^2 / 2; its "
      "Hessian in (w, b) is [X, 1]^T [X, 1] / n, eigenvalues {:.4f}, {:.4f}, "
      "{:.4f}\n",
      eigenvalues[0].item<double>(),
      eigenvalues[1].item<double>(),
      eigenvalues[2].item<double>());
  fmt::print(
      "full-batch gradient descent converges iff lr < 2 / lambda_max = "
      "{:.4f}{}\n",
      bound,
      batch_size < n
          ? fmt::format(
                "; SGD's steps follow each minibatch's own Hessian (batch "
                "size {}), and that noise makes its safe rate smaller (for "
                "minibatches drawn independently, E |(w, b) - optimum|^2 grows "
                "already at rates somewhat below 2 / lambda_max)",
                batch_size)
          : fmt::format(
                "; here (batch size {} >= {} examples) every step is one",
                batch_size,
                n));
  // What the sweep shows: a row diverged when its loss rose above the
  // start's or was not finite (its training stopped there).
  std::vector<std::string> diverged;
  size_t best = 0;
  bool any_converged = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    const double last = rows[i].back();
    const auto lr = fmt::format("{}", kSweepRates[i]);
    if (!std::isfinite(last) || last > start_loss) {
      diverged.push_back(fmt::format(
          "lr {} ({} 2 / lambda_max{})",
          lr,
          kSweepRates[i] < bound ? "below" : "above",
          kSweepRates[i] < bound ? ": minibatch noise" : ""));
    } else if (!any_converged || last < rows[best].back()) {
      best = i;
      any_converged = true;
    }
  }
  std::string shows = fmt::format(
      "this sweep: the smallest rate, lr {}, is at {:f} after {} epochs (the "
      "start: {:f})",
      kSweepRates[0],
      rows[0].back(),
      rows[0].size(),
      start_loss);
  if (any_converged) {
    shows += fmt::format(
        "; the lowest final loss is lr {}'s, {:f}",
        kSweepRates[best],
        rows[best].back());
  }
  shows += diverged.empty()
               ? "; none diverged"
               : fmt::format(
                     "; diverged (a loss above the start's, or not finite; "
                     "training stopped there): "
                     "{}",
                     fmt::join(diverged, ", "));
  fmt::print(
      "too small a rate crawls, too large a one overshoots; {}\n", shows);
}

// Exercise 3.2-7: data_iter's last minibatch is short when batch_size does
// not divide the number of examples; sgd still divides by batch_size.
void last_batch_demo(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    int64_t batch_size,
    double lr,
    int64_t num_epochs,
    const d2l::App& app) {
  const int64_t n = features.size(0);
  fmt::print(
      "\n# exercise 3.2-7: {} examples in minibatches of {}\n", n, batch_size);
  auto random = app.python_random();
  const auto batches = data_iter(batch_size, features, labels, random);
  const auto& [last_X, last_y] = batches.back();
  fmt::print(
      "data_iter yields {} minibatches; the last: X {}, y {}\n",
      batches.size(),
      d2l::repr_size(last_X.sizes()),
      d2l::repr_size(last_y.sizes()));
  if (n % batch_size == 0) {
    fmt::print(
        "{} divides {}: no short minibatch (try --num-examples 1005)\n",
        batch_size,
        n);
    return;
  }
  fmt::print(
      "the last has {} examples, yet sgd divides its gradient by batch_size = "
      "{}: that step is {}/{} of a full one\n"
      "from w = 0, b = 0 with the same minibatches, loss after {} epochs:\n",
      n % batch_size,
      batch_size,
      n % batch_size,
      batch_size,
      num_epochs);
  const std::vector<std::pair<LastBatch, std::string>> variants = {
      {LastBatch::kBook, "sgd divides by batch_size (the book)"},
      {LastBatch::kOwnSize, "sgd divides by len(X)"},
      {LastBatch::kDrop, "the short minibatch dropped"}};
  for (const auto& [last, name] : variants) {
    auto variant_random = app.python_random();
    auto w = torch::zeros({2, 1}, features.options()).requires_grad_();
    auto b = torch::zeros({1}, features.options()).requires_grad_();
    const auto losses = train_linreg(
        w,
        b,
        features,
        labels,
        batch_size,
        lr,
        num_epochs,
        variant_random,
        last);
    fmt::print(
        "  {:<38} {}\n",
        name,
        losses.empty() ? std::string("-")
                       : fmt::format("{:.6e}", losses.back()));
  }
  fmt::print(
      "It trains either way; dividing by len(X) gives the last minibatch's "
      "examples their full weight.\n");
}

}  // namespace

void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells) {
  app.exercise(
         "3.2-1",
         "w = 0 still trains this single layer: the loss falls as with N(0, "
         "0.01)")
      .option(
          "--init",
          options.init,
          "zeros",
          "initial w: normal (the book's N(0, 0.01)) or zeros",
          CLI::IsMember({"normal", "zeros"}));
  app.exercise(
         "3.2-1",
         "a hidden layer started at one value keeps identical units: it fails")
      .flag(
          "--symmetry-demo",
          "zero init in a one-hidden-layer net keeps its hidden units "
          "identical")
      .runs([&cells] {
        symmetry_demo(
            cells.features,
            cells.labels,
            cells.batch_size,
            cells.lr,
            cells.random);
      });
  app.exercise("3.2-2", "SGD learns R from noisy (current, voltage) readings")
      .flag(
          "--ohm", "learn the resistance of Ohm's law V = R I + V0 by autograd")
      .runs([&cells] { ohm_demo(cells.batch_size, cells.random); });
  app.exercise("3.2-3", "gradient descent on T recovers the temperature")
      .flag(
          "--planck",
          "recover a temperature from a noisy Planck spectrum by gradient "
          "descent")
      .runs([] { planck_demo(); });
  app.exercise(
         "3.2-4",
         "f'' and the Hessian X^T X / n by double backward; cost; create_graph")
      .flag(
          "--second-derivatives",
          "second derivatives (double backward, Hessian-vector product)")
      .runs([&cells] {
        second_derivatives_demo(cells.features, cells.labels, cells.w, cells.b);
      });
  app.exercise(
         "3.2-5",
         "(n,1) - (n,) silently becomes (n,n): a wrong loss, n^2 memory")
      .flag(
          "--reshape-demo",
          "what squared_loss's reshape prevents: (n,1) - (n,) broadcasts to "
          "(n,n)")
      .runs([&cells] {
        reshape_demo(cells.features, cells.labels, cells.w, cells.b);
      });
  app.exercise(
         "3.2-6",
         "loss per epoch for five learning rates, against full-batch gradient "
         "descent's bound lr < 2 / lambda_max, computed from the data")
      .flag(
          "--lr-sweep",
          "loss per epoch for lr 0.001, 0.03, 0.5, 1.9 and 3, against "
          "full-batch gradient descent's bound 2 / lambda_max")
      .runs([&app, &cells] {
        lr_sweep(
            cells.features,
            cells.labels,
            cells.batch_size,
            cells.num_epochs,
            app);
      });
  app.exercise("3.2-7", "a last minibatch of 5 and how sgd's divisor treats it")
      .with("--num-examples 1005")
      .flag(
          "--last-batch", "the short last minibatch (try --num-examples 1005)")
      .runs([&app, &cells] {
        last_batch_demo(
            cells.features,
            cells.labels,
            cells.batch_size,
            cells.lr,
            cells.num_epochs,
            app);
      });
}

}  // namespace scratch
