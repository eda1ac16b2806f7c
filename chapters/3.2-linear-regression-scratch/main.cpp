// Section 3.2 Linear regression from scratch (d2l-zh 2nd ed., PyTorch tab).
//
// Synthesise a dataset, read it in shuffled minibatches (with Python's
// `random`, as the book does), define the model, the loss and minibatch SGD,
// and train. Exercise flags (defaults reproduce the book):
//   --init zeros        start from w = 0 (works for this single layer)
//   --symmetry-demo     why zero init fails in deeper nets: a one-hidden-layer
//                       net started at zero keeps its hidden units identical
//   --lr, --epochs, --batch-size, --num-examples   every hyperparameter
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <iostream>
#include <vector>

namespace {

// cell 3: the true parameters and the dataset size
constexpr double kTrueB = 4.2;
constexpr int64_t kNumExamples = 1000;
// cell 7: minibatch size
constexpr int64_t kBatchSize = 10;
// cell 12: learning rate and number of epochs
constexpr double kLearningRate = 0.03;
constexpr int64_t kNumEpochs = 3;
// --symmetry-demo: hidden width of the two-layer net
constexpr int64_t kHiddenUnits = 4;

// cell 6: read the dataset in minibatches, shuffled with Python's `random`
std::vector<std::pair<torch::Tensor, torch::Tensor>> data_iter(
    int64_t batch_size,
    const torch::Tensor& features,
    const torch::Tensor& labels,
    d2l::PyRandom& random) {
  const int64_t num_examples = features.size(0);
  std::vector<int64_t> indices(num_examples);
  std::iota(indices.begin(), indices.end(), 0);
  random.shuffle(indices);
  std::vector<std::pair<torch::Tensor, torch::Tensor>> batches;
  for (int64_t i = 0; i < num_examples; i += batch_size) {
    const auto batch_indices = torch::tensor(std::vector<int64_t>(
        indices.begin() + i,
        indices.begin() + std::min(i + batch_size, num_examples)));
    batches.emplace_back(
        features.index({batch_indices}), labels.index({batch_indices}));
  }
  return batches;
}

// Exercise: a 2-4-1 net whose every weight starts at the same value keeps
// its hidden units identical, so it is no wider than one unit.
void symmetry_demo(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    int64_t batch_size,
    double lr,
    d2l::PyRandom& random) {
  fmt::print("\n# exercise: zero (constant) initialisation in a deeper net\n");
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

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.2", "Linear regression from scratch");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  int64_t num_examples = kNumExamples;
  std::string init = "normal";
  bool symmetry = false;
  app.add_training_flags(lr, num_epochs, batch_size);
  app.add_num_examples_flag(num_examples);
  app.cli()
      .add_option("--init", init, "weight initialisation")
      ->check(CLI::IsMember({"normal", "zeros"}))
      ->capture_default_str();
  app.cli().add_flag(
      "--symmetry-demo",
      symmetry,
      "exercise: zero init in a one-hidden-layer net");

  return app.run(argc, argv, [&] {
    auto random = app.python_random();  // the book's random.seed(0)

    // cell 3: generate the dataset
    const auto true_w = torch::tensor({2.0, -3.4}, torch::kFloat32);
    const double true_b = kTrueB;
    auto [features, labels] = d2l::synthetic_data(true_w, true_b, num_examples);
    features = features.to(app.device());  // drawn on the CPU, as in Python
    labels = labels.to(app.device());

    // cell 4: the first example
    fmt::print(
        "features: {} \nlabel: {}\n",
        d2l::repr(features[0]),
        d2l::repr(labels[0]));

    // cell 5: scatter plot of the second feature against the labels
    d2l::PlotOptions scatter_options;  // d2l.set_figsize(): 3.5 x 2.5 in
    d2l::scatter(
        d2l::to_vector(features.select(1, 1)),
        d2l::to_vector(labels),
        /*marker_size=*/1,
        scatter_options,
        app.figure("3.2_cell05_fig1"));

    // cell 7: read and print the first minibatch
    if (num_examples % batch_size != 0) {
      std::cerr << fmt::format(
          "note: {} examples in minibatches of {}: the last minibatch has {}, "
          "yet sgd divides its gradient by batch_size={}, so that step is "
          "smaller\n",
          num_examples,
          batch_size,
          num_examples % batch_size,
          batch_size);
    }
    for (const auto& [X, y] : data_iter(batch_size, features, labels, random)) {
      fmt::print("{} \n {}\n", d2l::repr(X), d2l::repr(y));
      break;
    }

    // cell 8: initialise the model parameters
    auto w = (init == "zeros" ? torch::zeros({2, 1})
                              : torch::normal(/*mean=*/0, /*std=*/0.01, {2, 1}))
                 .to(app.device())
                 .requires_grad_();
    auto b = torch::zeros({1}, features.options()).requires_grad_();

    // cells 9-12: model, loss and optimiser (d2l::linreg, d2l::squared_loss,
    // d2l::sgd), hyperparameters
    const auto net = d2l::linreg;
    const auto loss = d2l::squared_loss;

    // cell 13: training
    for (int64_t epoch = 0; epoch < num_epochs; ++epoch) {
      for (const auto& [X, y] :
           data_iter(batch_size, features, labels, random)) {
        auto l = loss(net(X, w, b), y);  // minibatch loss of X and y
        l.sum().backward();
        d2l::sgd({w, b}, lr, batch_size);  // update with the gradients
      }
      torch::NoGradGuard no_grad;
      const auto train_l = loss(net(features, w, b), labels);
      const double mean_loss = train_l.mean().item<double>();
      d2l::check_finite_loss(mean_loss, epoch + 1, app.divergence_advice());
      fmt::print("epoch {}, loss {:f}\n", epoch + 1, mean_loss);
    }

    // cell 14: estimation errors
    fmt::print(
        "w的估计误差: {}\n",
        d2l::repr(true_w.to(w.device()) - w.reshape(true_w.sizes())));
    fmt::print("b的估计误差: {}\n", d2l::repr(torch::rsub(b, true_b)));

    if (symmetry) {
      symmetry_demo(features, labels, batch_size, lr, random);
    }
  });
}
