#pragma once

#include <torch/torch.h>

#include <vector>

namespace d2l {

/// Mirrors d2l.linreg: the linear regression model Xw + b.
torch::Tensor linreg(
    const torch::Tensor& X, const torch::Tensor& w, const torch::Tensor& b);

/// Mirrors d2l.squared_loss: (y_hat - y.reshape(y_hat.shape))**2 / 2,
/// per example (no reduction).
torch::Tensor squared_loss(const torch::Tensor& y_hat, const torch::Tensor& y);

/// Mirrors d2l.sgd: minibatch stochastic gradient descent,
/// param -= lr * param.grad / batch_size, then zeroes the gradients.
void sgd(std::vector<torch::Tensor> params, double lr, int64_t batch_size);

}  // namespace d2l
