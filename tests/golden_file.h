// Reading the whitespace-separated golden tables under tests/golden.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

namespace d2l_test {

/// Lines of `tests/golden/<name>` (or its LibTorch-specific copy, see
/// d2l_test::golden_path) split into tokens, keyed by the first
/// `key_tokens` tokens joined with spaces; the value is the remaining tokens.
inline std::map<std::string, std::vector<std::string>> read_golden_table(
    const std::string& name, int key_tokens) {
  std::map<std::string, std::vector<std::string>> table;
  std::ifstream in(golden_path(name));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream tokens(line);
    std::string key;
    std::string token;
    for (int i = 0; i < key_tokens && tokens >> token; ++i) {
      key += (i ? " " : "") + token;
    }
    std::vector<std::string> rest;
    while (tokens >> token) {
      rest.push_back(token);
    }
    table[key] = rest;
  }
  return table;
}

}  // namespace d2l_test
