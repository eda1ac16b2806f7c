#include "d2l/linreg.h"

namespace d2l {

torch::Tensor linreg(
    const torch::Tensor& X, const torch::Tensor& w, const torch::Tensor& b) {
  return torch::matmul(X, w) + b;
}

torch::Tensor squared_loss(const torch::Tensor& y_hat, const torch::Tensor& y) {
  return (y_hat - y.reshape(y_hat.sizes())).pow(2) / 2;
}

void sgd(std::vector<torch::Tensor> params, double lr, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  for (auto& param : params) {
    param -= lr * param.grad() / batch_size;
    param.grad().zero_();
  }
}

}  // namespace d2l
