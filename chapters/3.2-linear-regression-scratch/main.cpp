// Section 3.2 Linear regression from scratch (d2l-zh 2nd ed., PyTorch tab).
//
// Synthesise a dataset, read it in shuffled minibatches (with Python's
// `random`, as the book does), define the model, the loss and minibatch SGD,
// and train. Flags --lr, --epochs, --batch-size and --num-examples set every
// hyperparameter. The book's exercises (--init zeros, --ohm, ...;
// `--exercises` lists them) live in exercises.cpp: add_exercises declares
// them, and App::run prints the selected ones after the book's cells.
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <iostream>
#include <numeric>
#include <vector>

#include "exercises.h"

namespace {

// cell 3: the true parameters and the dataset size
constexpr double kTrueB = 4.2;
constexpr int64_t kNumExamples = 1000;
// cell 7: minibatch size
constexpr int64_t kBatchSize = 10;
// cell 12: learning rate and number of epochs
constexpr double kLearningRate = 0.03;
constexpr int64_t kNumEpochs = 3;

}  // namespace

namespace scratch {

// cell 6: read the dataset in minibatches, shuffled with Python's `random`
Batches data_iter(
    int64_t batch_size,
    const torch::Tensor& features,
    const torch::Tensor& labels,
    d2l::PyRandom& random) {
  const int64_t num_examples = features.size(0);
  std::vector<int64_t> indices(num_examples);
  std::iota(indices.begin(), indices.end(), 0);
  random.shuffle(indices);
  Batches batches;
  for (int64_t i = 0; i < num_examples; i += batch_size) {
    const auto batch_indices = torch::tensor(std::vector<int64_t>(
        indices.begin() + i,
        indices.begin() + std::min(i + batch_size, num_examples)));
    batches.emplace_back(
        features.index({batch_indices}), labels.index({batch_indices}));
  }
  return batches;
}

}  // namespace scratch

int main(int argc, char** argv) {
  using scratch::data_iter;
  d2l::App app("3.2", "Linear regression from scratch");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  int64_t num_examples = kNumExamples;
  app.add_training_flags(lr, num_epochs, batch_size);
  app.add_num_examples_flag(num_examples);
  scratch::ExerciseOptions exercises;
  scratch::Cells cells;  // what the exercises work on, filled after cell 14
  scratch::add_exercises(app, exercises, cells);

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
    auto w = (exercises.init == "zeros"
                  ? torch::zeros({2, 1})
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

    // The exercises (exercises.cpp) run after this, on what the cells made.
    cells = {features, labels, w, b, batch_size, lr, num_epochs, random};
  });
}
