// Section 3.7 Concise implementation of softmax regression (d2l-zh 2nd ed.).
//
// nn::Flatten + nn::Linear, weights initialised N(0, 0.01) (the bias keeps
// its default init), CrossEntropyLoss with reduction 'none' and optim::SGD,
// trained with the book's train_ch3 for 10 epochs (figure rewritten after
// every epoch; one progress line per epoch on stderr). The book prints
// nothing here: the figure is the output. Exercise flags:
//   --epochs 50       train longer and watch test accuracy
//   --lr, --batch-size, --metrics FILE, --data-dir DIR
#include <d2l/d2l.h>

namespace {

// cell 2: minibatch size
constexpr int64_t kBatchSize = 256;
// cell 5: learning rate
constexpr double kLearningRate = 0.1;
// cell 6: number of epochs
constexpr int64_t kNumEpochs = 10;

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.7", "Concise implementation of softmax regression");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  const std::string& data_dir = app.add_data_dir_flag();
  app.add_metrics_flag();
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  app.add_training_flags(lr, num_epochs, batch_size);

  return app.run(argc, argv, [&] {
    // cell 2: the data iterators
    auto [train_iter, test_iter] = d2l::load_data_fashion_mnist(
        batch_size, std::nullopt, data_dir, app.device());

    // cell 3: a flatten layer before the linear layer; weights ~ N(0, 0.01)
    torch::nn::Sequential net(torch::nn::Flatten(), torch::nn::Linear(784, 10));
    net->apply([](torch::nn::Module& m) {  // init_weights
      if (auto* linear = m.as<torch::nn::Linear>()) {
        torch::nn::init::normal_(linear->weight, /*mean=*/0, /*std=*/0.01);
      }
    });
    net->to(app.device());  // after the draws, which happen on the CPU

    // cell 4: the loss, one value per example
    torch::nn::CrossEntropyLoss loss(
        torch::nn::CrossEntropyLossOptions().reduction(torch::kNone));

    // cell 5: the optimiser
    torch::optim::SGD trainer(net->parameters(), torch::optim::SGDOptions(lr));

    // cell 6: train
    const auto report = app.train_report("3.7_cell06_fig1");
    d2l::train_ch3(
        d2l::Net::module(net),
        train_iter,
        test_iter,
        [&loss](const torch::Tensor& y_hat, const torch::Tensor& y) {
          return loss->forward(y_hat, y);
        },
        num_epochs,
        trainer,
        report);
  });
}
