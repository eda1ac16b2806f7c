// Section 3.7 Concise implementation of softmax regression (d2l-zh 2nd ed.).
//
// nn::Flatten + nn::Linear, weights initialised N(0, 0.01) (the bias keeps
// its default init), CrossEntropyLoss with reduction 'none' and optim::SGD,
// trained with the book's train_ch3 for 10 epochs (figure rewritten after
// every epoch; one progress line per epoch on stderr). The book prints
// nothing here: the figure is the output. The exercises (`--exercises` lists
// them) are declared in exercises.cpp; their output comes after the cells.
//   --metrics FILE, --data-dir DIR
#include <d2l/d2l.h>

#include <cstdint>
#include <string>

#include "exercises.h"

namespace {

// cell 2: minibatch size
constexpr int64_t kBatchSize = 256;
// cell 5: learning rate
constexpr double kLearningRate = 0.1;
// cell 6: number of epochs
constexpr int64_t kNumEpochs = 10;

}  // namespace

namespace softmax_regression_concise {

// cell 3: a flatten layer before the linear layer; weights ~ N(0, 0.01)
torch::nn::Sequential softmax_regression_net(torch::Device device) {
  torch::nn::Sequential net(torch::nn::Flatten(), torch::nn::Linear(784, 10));
  net->apply([](torch::nn::Module& m) {  // init_weights
    if (auto* linear = m.as<torch::nn::Linear>()) {
      torch::nn::init::normal_(linear->weight, /*mean=*/0, /*std=*/0.01);
    }
  });
  net->to(device);  // after the draws, which happen on the CPU
  return net;
}

}  // namespace softmax_regression_concise

int main(int argc, char** argv) {
  namespace ex = softmax_regression_concise;
  d2l::App app("3.7", "Concise implementation of softmax regression");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  const std::string& data_dir = app.add_data_dir_flag();
  app.add_metrics_flag();
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  app.add_training_flags(lr, num_epochs, batch_size);
  ex::ExerciseOptions exercises(
      /*book=*/{kLearningRate, kNumEpochs, kBatchSize});
  ex::Cells cells;  // what the exercises work on, filled after cell 6
  ex::add_exercises(app, exercises, cells);

  return app.run(argc, argv, [&] {
    // cell 2: the data iterators
    auto [train_iter, test_iter] = d2l::load_data_fashion_mnist(
        batch_size, std::nullopt, data_dir, app.device());

    // cell 3: a flatten layer before the linear layer; weights ~ N(0, 0.01)
    auto net = ex::softmax_regression_net(app.device());

    // cell 4: the loss, one value per example
    torch::nn::CrossEntropyLoss loss(
        torch::nn::CrossEntropyLossOptions().reduction(torch::kNone));
    const d2l::Loss loss_fn =
        [loss](const torch::Tensor& y_hat, const torch::Tensor& y) mutable {
          return loss->forward(y_hat, y);
        };

    // cell 5: the optimiser
    torch::optim::SGD trainer(net->parameters(), torch::optim::SGDOptions(lr));

    // cell 6: train
    const auto report = app.train_report("3.7_cell06_fig1");
    const auto metrics = d2l::train_ch3(
        d2l::Net::module(net),
        train_iter,
        test_iter,
        loss_fn,
        num_epochs,
        trainer,
        report);

    // The exercises (exercises.cpp) run after this (their draws come last).
    cells = {
        {lr, num_epochs, batch_size}, train_iter, test_iter, loss_fn, metrics};
  });
}
