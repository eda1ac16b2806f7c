// Implementation of support.h: the test support library (d2l_test_support).
#include "support.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace d2l_test {

namespace {
// The test process runs LibTorch as the sections do by default: one
// intra-op thread, the book's set-up (see App's --threads).
const bool kBookThreads = [] {
  torch::set_num_threads(1);
  return true;
}();
}  // namespace

RunResult run_program(
    const std::string& program, const std::vector<std::string>& args) {
  const d2l::ProcessResult r = d2l::run_process(program, args);
  RunResult result;
  result.exit_code = r.exit_code;
  result.out = r.out;
  result.err = r.started ? r.err : "cannot start " + program;
  return result;
}

namespace {

// How the line a section prints when its arithmetic is not the book's starts.
constexpr const char* kSetupNote = "note: arithmetic differs from the book's";

// The LibTorch releases tests/golden was made for: 1.13 (the files
// themselves) and those with a torch-<major.minor> folder of differences.
bool goldens_made_for_this_torch() {
  const auto version = d2l::torch_major_minor();
  return version == "1.13" ||
         std::filesystem::is_directory(
             std::string(kGoldenDir) + "/torch-" + version);
}

// One printed number: its value and the size of one unit of its last digit
// (0 for an integer without a decimal point, which must match exactly).
struct Printed {
  double value;
  double unit;
};

// Splits `text` into its numbers and the text between them, whitespace
// removed. Timing values ("12.5 sec") are dropped.
void split_numbers(
    const std::string& text,
    std::vector<Printed>& numbers,
    std::string& skeleton) {
  static const std::regex number(
      R"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)");
  const std::string masked = mask_timings(text);
  auto it = std::sregex_iterator(masked.begin(), masked.end(), number);
  std::size_t pos = 0;
  auto add_text = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      if (!std::isspace(static_cast<unsigned char>(masked[i]))) {
        skeleton += masked[i];
      }
    }
  };
  for (; it != std::sregex_iterator(); ++it) {
    const std::string token = it->str();
    add_text(pos, static_cast<std::size_t>(it->position()));
    skeleton += '#';
    pos = static_cast<std::size_t>(it->position() + it->length());
    const auto e = token.find_first_of("eE");
    const std::string mantissa = token.substr(0, e);
    const int exponent =
        e == std::string::npos ? 0 : std::stoi(token.substr(e + 1));
    const auto dot = mantissa.find('.');
    double unit = 0;
    if (dot != std::string::npos || e != std::string::npos) {
      const int decimals = dot == std::string::npos
                               ? 0
                               : static_cast<int>(mantissa.size() - dot - 1);
      unit = std::pow(10.0, exponent - decimals);
    }
    numbers.push_back({std::strtod(token.c_str(), nullptr), unit});
  }
  add_text(pos, masked.size());
}

}  // namespace

NumericMode numeric_mode() {
  static const NumericMode mode =
      d2l::numeric_setup().is_book() && goldens_made_for_this_torch()
          ? NumericMode::kExact
          : NumericMode::kTolerant;
  return mode;
}

std::string numeric_mode_description() {
  const auto setup = d2l::numeric_setup();
  return std::string(
             numeric_mode() == NumericMode::kExact ? "exact" : "tolerant") +
         " (" + setup.describe_blas() +
         (setup.describe_aten().empty() ? "" : ", " + setup.describe_aten()) +
         (setup.aten_forced.empty()
              ? ""
              : " (ATEN_CPU_CAPABILITY=" + setup.aten_forced + ")") +
         "; LibTorch " + setup.torch_version +
         (goldens_made_for_this_torch() ? ""
                                        : ", no goldens for this release") +
         ")";
}

void announce_numeric_mode() {
  const auto description = numeric_mode_description();
  ::testing::Test::RecordProperty("numeric_mode", description);
  std::cout << "[ numeric  ] " << description << "\n";
}

std::string golden_path(const std::string& name) {
  const std::string versioned = std::string(kGoldenDir) + "/torch-" +
                                d2l::torch_major_minor() + "/" + name;
  if (std::filesystem::exists(versioned)) {
    return versioned;
  }
  return std::string(kGoldenDir) + "/" + name;
}

std::string mask_timings(const std::string& text) {
  static const std::regex timing(R"(\d+(\.\d+)? sec)");
  return std::regex_replace(text, timing, "<t> sec");
}

std::string setup_note(const std::string& err) {
  std::istringstream in(err);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(kSetupNote, 0) == 0) {
      return line;
    }
  }
  return {};
}

std::string without_setup_note(const std::string& err, int* notes) {
  std::istringstream in(err);
  std::string line;
  std::string out;
  int count = 0;
  while (std::getline(in, line)) {
    if (line.rfind(kSetupNote, 0) == 0) {
      ++count;
      continue;
    }
    out += line + "\n";
  }
  if (notes != nullptr) {
    *notes = count;
  }
  return out;
}

std::string test_name(const std::string& words) {
  std::string name;
  for (const char ch : words) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      name += ch;
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') {
    name.pop_back();
  }
  return name;
}

::testing::AssertionResult NumbersClose(
    const std::string& actual, const std::string& expected, double atol) {
  std::vector<Printed> a;
  std::vector<Printed> b;
  std::string a_text;
  std::string b_text;
  split_numbers(actual, a, a_text);
  split_numbers(expected, b, b_text);
  if (a_text != b_text || a.size() != b.size()) {
    return ::testing::AssertionFailure()
           << "the text around the numbers differs:\n"
           << actual << "\nvs expected\n"
           << expected;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    // unit * (1 + 1e-9): decimal fractions are inexact in binary.
    const double allowed = b[i].unit == 0 ? 0 : atol + b[i].unit * (1 + 1e-9);
    const double diff = std::fabs(a[i].value - b[i].value);
    if (!(diff <= allowed)) {
      return ::testing::AssertionFailure()
             << "number " << i + 1 << " differs by " << diff << " > " << allowed
             << " (atol " << atol << " + one printed unit " << b[i].unit
             << "): " << a[i].value << " vs expected " << b[i].value << "\n"
             << actual << "\nvs expected\n"
             << expected;
    }
  }
  return ::testing::AssertionSuccess();
}

bool golden_exact_only(const std::string& file) {
  static const std::set<std::string> names = [] {
    std::set<std::string> out;
    std::ifstream in(std::string(kGoldenDir) + "/TOLERANCES");
    std::string line;
    while (std::getline(in, line)) {
      const auto tab = line.find('\t');
      if (!line.empty() && line[0] != '#' && tab != std::string::npos &&
          line.size() >= 11 &&
          line.compare(line.size() - 11, 11, "\texact only") == 0) {
        out.insert(line.substr(0, tab));
      }
    }
    return out;
  }();
  return names.count(file) > 0;
}

double golden_tolerance(const std::string& file) {
  static const std::map<std::string, double> table = [] {
    std::map<std::string, double> out;
    std::ifstream in(std::string(kGoldenDir) + "/TOLERANCES");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') {
        continue;
      }
      std::istringstream fields(line);
      std::string name;
      double atol = 0;
      if (fields >> name >> atol) {
        out[name] = atol;
      }
    }
    return out;
  }();
  const auto it = table.find(file);
  return it == table.end() ? 0.0 : it->second;
}

d2l::Description describe_section(const std::string& name) {
  // The build keeps what `--describe` printed beside the executable.
  const std::string out = read_file(section_exe(name) + ".describe.json");
  EXPECT_FALSE(out.empty()) << name << ": no " << section_exe(name)
                            << ".describe.json (the section's build writes it)";
  d2l::Description d;
  const auto text = [&](const char* key) {
    std::smatch m;
    const std::regex re(std::string("\"") + key + "\": \"((\\\\.|[^\"])*)\"");
    return std::regex_search(out, m, re) ? m[1].str() : std::string();
  };
  const auto flag = [&](const char* key) {
    const auto at = out.find(std::string("\"") + key + "\": ");
    EXPECT_NE(at, std::string::npos)
        << name << " --describe lacks " << key << ": " << out;
    return at != std::string::npos &&
           out.compare(at + std::strlen(key) + 4, 4, "true") == 0;
  };
  d.id = text("id");
  d.title = text("title");
  d.book_code = flag("book_code");
  d.figures = flag("figures");
  d.metrics = flag("metrics");
  d.book_blas = flag("book_blas");
  // Each exercise: {"id": "...", "flags": "...", "what": "..."}, its texts
  // as printed (JSON escapes kept).
  static const std::string kText = R"re("((?:\\.|[^"\\])*)")re";
  static const std::regex exercise(
      "\\{\"id\": " + kText + ", \"flags\": " + kText + ", \"what\": " + kText);
  for (std::sregex_iterator it(out.begin(), out.end(), exercise), end;
       it != end;
       ++it) {
    d.exercises.push_back({(*it)[1], (*it)[2], (*it)[3]});
  }
  EXPECT_FALSE(d.id.empty()) << name << ": " << out;
  return d;
}

std::vector<std::string> section_folders() {
  std::vector<std::string> folders;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(kSourceDir) / "chapters")) {
    if (std::filesystem::exists(entry.path() / "main.cpp")) {
      folders.push_back(entry.path().filename().string());
    }
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

std::string section_exe(const std::string& name) {
  return std::string(kChaptersBinDir) + "/" + name + "/" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string make_temp_dir() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "d2l-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    return {};
  }
  return tmpl;
}

}  // namespace d2l_test
