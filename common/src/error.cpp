#include "d2l/error.h"

#include <fmt/format.h>

namespace d2l {

DivergenceError::DivergenceError(
    bool nan, int64_t epoch, DivergenceAdvice advice)
    : Error(fmt::format(
          "training diverged: loss is {} at epoch {} with lr {}",
          nan ? "nan" : "inf",
          epoch,
          advice.lr)),
      nan_(nan),
      epoch_(epoch),
      advice_(std::move(advice)) {}

}  // namespace d2l
