// Section 3.5 The image classification dataset (d2l-zh 2nd ed., PyTorch tab).
//
// Reads Fashion-MNIST (the real IDX files: --data-dir, $D2L_DATA_DIR, the
// book's ../data/FashionMNIST/raw, or Debian's dataset-fashion-mnist), shows
// 18 labelled training images, times one pass over the training set in
// minibatches and reads a resized batch. The exercises (`--exercises` lists
// them) are declared in exercises.cpp; their output comes after the cells.
//   --data-dir DIR
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "exercises.h"

namespace {

// cell 7: how many images to show, in a 2 x 9 grid
constexpr int64_t kNumShown = 18;
constexpr int64_t kGridRows = 2;
constexpr int64_t kGridCols = 9;
// cell 8: minibatch size of the timed pass
constexpr int64_t kBatchSize = 256;
// cell 11: the resized batch
constexpr int64_t kResize = 64;
constexpr int64_t kResizeBatchSize = 32;

}  // namespace

int main(int argc, char** argv) {
  namespace ex = image_classification_dataset;
  d2l::App app("3.5", "The image classification dataset");
  const std::string& data_dir = app.add_data_dir_flag();
  ex::ExerciseOptions exercises(/*book_batch_size=*/kBatchSize);
  ex::Cells cells;  // what the exercises work on, filled after cell 11
  ex::add_exercises(app, exercises, cells);  // --batch-size among them

  return app.run(argc, argv, [&] {
    // cell 2: the training and test sets, transformed by ToTensor
    const auto mnist_train = d2l::load_fashion_mnist(data_dir, /*train=*/true);
    const auto mnist_test = d2l::load_fashion_mnist(data_dir, /*train=*/false);

    // cell 3: their sizes
    fmt::print(
        "{}\n",
        d2l::py_tuple(
            {std::to_string(mnist_train.size()),
             std::to_string(mnist_test.size())}));

    // cell 4: the shape of one image
    const auto image = d2l::to_tensor(mnist_train.raw_images.slice(0, 0, 1))[0];
    fmt::print("{}\n", d2l::repr_size(image.sizes()));  // mnist_train[0][0]

    // cell 7: the first 18 training images with their labels
    const auto first =
        *d2l::fashion_mnist_loader(mnist_train, kNumShown, /*shuffle=*/false)
             .begin();
    d2l::show_images(
        first[0].reshape({kNumShown, 28, 28}),
        kGridRows,
        kGridCols,
        d2l::get_fashion_mnist_labels(first[1]),
        /*scale=*/1.5,
        d2l::Colormap::kViridis,
        app.figure("3.5_cell07_fig1"));

    // cell 8: a shuffled iterator over the training set
    const auto train_iter = d2l::fashion_mnist_loader(
        mnist_train, exercises.batch_size, /*shuffle=*/true);

    // cell 9: time one pass over it
    d2l::Timer timer;
    for (const auto& batch : train_iter) {
      (void)batch;
    }
    const double read_seconds = timer.stop();
    fmt::print("{}\n", d2l::py_str(fmt::format("{:.2f} sec", read_seconds)));

    // cell 11: load_data_fashion_mnist with images resized to 64 x 64
    auto [resized_train, resized_test] =
        d2l::load_data_fashion_mnist(kResizeBatchSize, kResize, data_dir);
    for (const auto& batch : resized_train) {
      const auto& X = batch[0];
      const auto& y = batch[1];
      fmt::print(
          "{} {} {} {}\n",
          d2l::repr_size(X.sizes()),
          d2l::repr_dtype(X.scalar_type()),
          d2l::repr_size(y.sizes()),
          d2l::repr_dtype(y.scalar_type()));
      break;
    }

    // The exercises (exercises.cpp) run after this (their draws come last).
    cells = {mnist_train, mnist_test, read_seconds};
  });
}
