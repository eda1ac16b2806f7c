// Section 3.3 Concise implementation of linear regression (d2l-zh 2nd ed.).
//
// The same problem as 3.2 with LibTorch's high-level API: a DataLoader-like
// d2l::load_array, nn::Linear, nn::MSELoss and optim::SGD.
// Flags --lr, --epochs, --batch-size and --num-examples set every
// hyperparameter, --drop-last drops the short last minibatch. The book's
// exercises (--reduction sum, --loss huber, --newton, ...; `--exercises` lists
// them) live in exercises.cpp: add_exercises declares them, and App::run
// prints the selected ones after the book's cells.
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <functional>
#include <iostream>

#include "exercises.h"

namespace {

// cell 2: the true parameters and dataset size
constexpr double kTrueB = 4.2;
constexpr int64_t kNumExamples = 1000;
// cell 4: minibatch size
constexpr int64_t kBatchSize = 10;
// cell 9: learning rate
constexpr double kLearningRate = 0.03;
// cell 10: number of epochs
constexpr int64_t kNumEpochs = 3;

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.3", "Concise implementation of linear regression");
  app.draws_no_figures();
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  int64_t num_examples = kNumExamples;
  bool drop_last = false;
  app.add_training_flags(lr, num_epochs, batch_size);
  app.add_num_examples_flag(num_examples);
  concise::ExerciseOptions exercises;
  concise::Cells cells;  // what the exercises work on, filled after cell 11
  concise::add_exercises(app, exercises, cells);
  app.cli().add_flag("--drop-last", drop_last, "drop the short last minibatch");

  return app.run(argc, argv, [&] {
    // cell 2: generate the dataset
    const auto true_w = torch::tensor({2.0, -3.4}, torch::kFloat32);
    const double true_b = kTrueB;
    auto [features, labels] = d2l::synthetic_data(true_w, true_b, num_examples);

    // cells 3-4: a data iterator (d2l::load_array)
    auto data_iter = d2l::load_array(
        {features, labels}, batch_size, /*is_train=*/true, drop_last);

    // cell 5: peek at the first minibatch
    const auto first = *data_iter.begin();
    fmt::print(
        "{}\n", d2l::py_list({d2l::repr(first[0]), d2l::repr(first[1])}));

    // cell 6: the model, one fully connected layer
    torch::nn::Sequential net(torch::nn::Linear(2, 1));
    auto linear = net[0]->as<torch::nn::Linear>();

    // cell 7: initialise the parameters
    linear->weight.data().normal_(/*mean=*/0, /*std=*/0.01);
    fmt::print("{}\n", d2l::repr(linear->bias.data().fill_(0)));

    // cell 8: the loss
    const auto torch_reduction =
        exercises.reduction == "sum"
            ? torch::nn::MSELossOptions::reduction_t(torch::kSum)
            : torch::nn::MSELossOptions::reduction_t(torch::kMean);
    std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>
        loss;
    if (exercises.loss_name == "huber") {
      torch::nn::SmoothL1Loss huber(torch::nn::SmoothL1LossOptions()
                                        .beta(exercises.huber_sigma)
                                        .reduction(torch_reduction));
      loss = [huber](
                 const torch::Tensor& y_hat, const torch::Tensor& y) mutable {
        return huber->forward(y_hat, y);
      };
    } else {
      torch::nn::MSELoss mse(
          torch::nn::MSELossOptions().reduction(torch_reduction));
      loss = [mse](const torch::Tensor& y_hat, const torch::Tensor& y) mutable {
        return mse->forward(y_hat, y);
      };
    }
    if (exercises.reduction == "sum" && lr == kLearningRate) {
      std::cerr << fmt::format(
          "note: with reduction sum the gradient is {} times larger; the "
          "equivalent learning rate is --lr {}\n",
          batch_size,
          kLearningRate / batch_size);
    }

    net->to(app.device());  // after the draws, which happen on the CPU
    const auto device = app.device();

    // cell 9: the optimiser
    torch::optim::SGD trainer(net->parameters(), torch::optim::SGDOptions(lr));

    // cell 10: training
    for (int64_t epoch = 0; epoch < num_epochs; ++epoch) {
      for (const auto& batch : data_iter) {
        auto l = loss(net->forward(batch[0].to(device)), batch[1].to(device));
        trainer.zero_grad();
        l.backward();
        trainer.step();
      }
      auto l = loss(net->forward(features.to(device)), labels.to(device));
      const double value = l.item<double>();
      d2l::check_finite_loss(value, epoch + 1, app.divergence_advice());
      fmt::print("epoch {}, loss {:f}\n", epoch + 1, value);
    }

    // cell 11: estimation errors
    const auto w = linear->weight.data();
    fmt::print(
        "w的估计误差： {}\n",
        d2l::repr(true_w.to(device) - w.reshape(true_w.sizes())));
    const auto b = linear->bias.data();
    fmt::print("b的估计误差： {}\n", d2l::repr(torch::rsub(b, true_b)));

    // The exercises (exercises.cpp) run after this, on what the cells made.
    cells = {
        true_w,
        true_b,
        data_iter,
        net,
        num_examples,
        batch_size,
        lr,
        num_epochs};
  });
}
