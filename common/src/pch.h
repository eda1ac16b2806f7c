// The one precompiled header of the project: LibTorch's, fmt's and CLI11's
// headers dominate compile time, so they are parsed once for every target.
#pragma once

#include <fmt/format.h>
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>
