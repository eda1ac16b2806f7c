#include "d2l/harness/errors.h"

#include <fmt/format.h>

#include "d2l/harness/resource_limits.h"

namespace d2l {
namespace {

// What fixes the Fashion-MNIST data, in the command line's terms.
std::string data_remedy(const DataError& e) {
  using Remedy = DataError::Remedy;
  const std::string flag = kDataDirFlag;
  switch (e.remedy()) {
    case Remedy::kInstall:
      return "; install it with `apt-get install dataset-fashion-mnist` (or "
             "scripts/setup.sh) or pass " +
             flag +
             (e.named_by() == DataError::NamedBy::kNobody
                  ? ""
                  : " with the folder that has them");
    case Remedy::kReinstall:
      return " (a damaged download: reinstall it with `apt-get install "
             "--reinstall dataset-fashion-mnist` or pass another " +
             flag + ")";
    case Remedy::kReplaceEntry:
      return " (replace it with the real file or pass another " + flag + ")";
    case Remedy::kRelink:
      return " (point it at the real file or pass another " + flag + ")";
    case Remedy::kDamaged:
    case Remedy::kNone:
      break;
  }
  return "";
}

std::string data_message(const DataError& e) {
  const std::string subject =
      e.named_by() == DataError::NamedBy::kCaller
          ? std::string(kDataDirFlag) + " " + e.folder() + e.detail()
          : std::string(e.what());
  return subject + data_remedy(e);
}

std::string divergence_message(const DivergenceError& e) {
  const DivergenceAdvice& advice = e.advice();
  std::string fix =
      advice.lr > advice.default_lr && advice.default_lr > 0
          ? fmt::format(
                "try a smaller learning rate: the default, --lr {}, converges",
                advice.default_lr)
          : fmt::format(
                "try a smaller learning rate (e.g. --lr {})", advice.lr / 10);
  if (!advice.cause.empty()) {
    fix = advice.cause + ", or " + fix;
  }
  return std::string(e.what()) + "; " + fix;
}

std::string figure_message(const FigureError& e) {
  switch (e.remedy()) {
    case FigureError::Remedy::kOtherFolder:
      return std::string(e.what()) + "; remove it or choose another --out";
    case FigureError::Remedy::kNoFigures:
      return std::string(e.what()) + "; --no-figures draws nothing";
    case FigureError::Remedy::kNone:
      break;
  }
  return e.what();
}

}  // namespace

std::string error_message(const Error& e) {
  if (const auto* data = dynamic_cast<const DataError*>(&e)) {
    return data_message(*data);
  }
  if (const auto* diverged = dynamic_cast<const DivergenceError*>(&e)) {
    return divergence_message(*diverged);
  }
  if (const auto* figure = dynamic_cast<const FigureError*>(&e)) {
    return figure_message(*figure);
  }
  if (dynamic_cast<const OutOfMemoryError*>(&e) != nullptr) {
    return std::string(e.what()) + memory_limit_hint();
  }
  return e.what();
}

int exit_code(const Error& e) {
  const bool bad_value = dynamic_cast<const UsageError*>(&e) != nullptr ||
                         dynamic_cast<const ArgumentError*>(&e) != nullptr;
  return bad_value ? 2 : 1;
}

}  // namespace d2l
