// End to end: each section's stdout equals its golden file (made by the
// Python reference scripts, scripts/golden/gen_sections.sh) and, at seed 0,
// the Python book's own output (tests/golden/book) — every number, every
// tensor repr, where this machine runs the book's arithmetic. Elsewhere the
// same files are compared number by number within the spread measured across
// OpenBLAS kernels and thread counts (support.h, NumericMode). Only timing
// values ("0.05691 sec") are masked.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support.h"

namespace fs = std::filesystem;

namespace {

struct GoldenCase {
  std::string file;     // under tests/golden
  std::string section;  // section folder
  std::vector<std::string> flags;
};

// How ctest lists a case: its golden file, not its bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) {
  *os << c.file;
}

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) {
    out.push_back(w);
  }
  return out;
}

// tests/golden/MANIFEST: file<TAB>section folder<TAB>flags. Sections whose
// folder is not in this tree yet are left out.
std::vector<GoldenCase> manifest() {
  std::vector<GoldenCase> cases;
  std::ifstream in(std::string(d2l_test::kGoldenDir) + "/MANIFEST");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::istringstream fields(line);
    GoldenCase c;
    std::string flags;
    std::getline(fields, c.file, '\t');
    std::getline(fields, c.section, '\t');
    std::getline(fields, flags);
    c.flags = split_words(flags);
    if (fs::exists(fs::path(d2l_test::kSourceDir) / "chapters" / c.section)) {
      cases.push_back(c);
    }
  }
  return cases;
}

// The printed text of a book file: what its cells printed, with `Out[k]: `
// prefixes removed, without headers, cell markers, figure and animator notes.
std::string book_stdout(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::string out;
  bool in_animator = false;
  static const std::regex out_prefix(R"(^Out\[\d+\]: )");
  while (std::getline(in, line)) {
    if (in_animator && line.rfind("  ", 0) == 0) {
      continue;
    }
    in_animator = false;
    if (line.empty() || line[0] == '#' || line.rfind("--- cell", 0) == 0 ||
        line.rfind("[figure", 0) == 0) {
      continue;
    }
    if (line.rfind("[animator", 0) == 0) {
      in_animator = true;
      continue;
    }
    out += std::regex_replace(line, out_prefix, "") + "\n";
  }
  return out;
}

std::string section_number(const std::string& folder) {
  return folder.substr(0, folder.find('-'));
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

// Whether a section's printed numbers pass through BLAS, as it says of
// itself (--describe): those that do not print no note about the
// arithmetic.
bool uses_blas(const std::string& folder) {
  return d2l_test::describe_section(folder).book_blas;
}

// A training chaotic at its settings (--stable --lr 1: its loss after 2
// epochs moves by 0.14 between ATen's CPU capabilities), outside the book's
// arithmetic: what it must show is that it trains. The same lines and text,
// every number finite (a NaN or inf is what the naive softmax gives at this
// rate), and each test accuracy far above chance (0.1 for 10 classes).
void expect_what_a_chaotic_training_shows(
    const std::string& actual,
    const std::string& expected,
    const std::string& file) {
  constexpr double kAnyFiniteDifference = 1e9;
  constexpr double kWellAboveChance = 0.5;
  EXPECT_TRUE(d2l_test::NumbersClose(actual, expected, kAnyFiniteDifference))
      << file;
  static const std::regex test_acc(R"(test[ _]acc"?:? ([-+0-9.eE]+|nan|inf))");
  int accuracies = 0;
  for (auto it = std::sregex_iterator(actual.begin(), actual.end(), test_acc);
       it != std::sregex_iterator();
       ++it, ++accuracies) {
    EXPECT_GT(std::strtod((*it)[1].str().c_str(), nullptr), kWellAboveChance)
        << file << ": " << it->str();
  }
  EXPECT_GT(accuracies, 0) << file << " prints no test accuracy:\n" << actual;
}

// A run's output against its expected text, exactly or within the
// tolerance of golden `tolerance_of`, as the mode says; the run says in one
// line on stderr exactly when its arithmetic is not the book's.
void expect_matches(
    const std::string& folder,
    const d2l_test::RunResult& r,
    const std::string& actual,
    const std::string& expected,
    const std::string& tolerance_of) {
  if (d2l_test::numeric_mode() == d2l_test::NumericMode::kExact) {
    EXPECT_EQ(d2l_test::mask_timings(actual), d2l_test::mask_timings(expected))
        << tolerance_of;
  } else if (d2l_test::golden_exact_only(tolerance_of)) {
    expect_what_a_chaotic_training_shows(actual, expected, tolerance_of);
  } else {
    EXPECT_TRUE(d2l_test::NumbersClose(
        actual, expected, d2l_test::golden_tolerance(tolerance_of)))
        << tolerance_of;
  }
  int notes = 0;
  d2l_test::without_setup_note(r.err, &notes);
  const bool book = d2l::numeric_setup().is_book();
  EXPECT_EQ(notes, !book && uses_blas(folder) ? 1 : 0) << r.err;
}

}  // namespace

TEST(Sections, ManifestListsEverySection) {
  const auto cases = manifest();
  ASSERT_FALSE(cases.empty()) << "tests/golden/MANIFEST missing or empty";
}

static bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A `.txt` golden is the run's stdout; a `.metrics.jsonl` golden is the
// `--metrics FILE` the same run writes, compared number for number as text.
TEST_P(Golden, OutputMatchesReference) {
  d2l_test::announce_numeric_mode();
  const auto& c = GetParam();
  auto args = c.flags;
  args.push_back("--no-figures");
  const bool metrics = ends_with(c.file, ".metrics.jsonl");
  const auto tmp = d2l_test::make_temp_dir();
  const auto metrics_path = tmp + "/metrics.jsonl";
  if (metrics) {
    args.insert(args.end(), {"--metrics", metrics_path});
  }
  const auto r = d2l_test::run_program(d2l_test::section_exe(c.section), args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto expected = d2l_test::read_file(d2l_test::golden_path(c.file));
  ASSERT_FALSE(expected.empty() && metrics) << c.file;
  expect_matches(
      c.section,
      r,
      metrics ? d2l_test::read_file(metrics_path) : r.out,
      expected,
      c.file);
  fs::remove_all(tmp);
}

INSTANTIATE_TEST_SUITE_P(
    Sections,
    Golden,
    ::testing::ValuesIn(manifest()),
    [](const ::testing::TestParamInfo<GoldenCase>& info) {
      return d2l_test::test_name(info.param.file);
    });

// Each section says what it is (--describe, kept by the build): its number
// as its folder gives it, a heading, and exercises numbered in its section
// (tests/test_exercises.cpp checks them against --exercises). Read from the
// build's files: no process started.
TEST(Sections, EachDescribesItself) {
  const auto folders = d2l_test::section_folders();
  ASSERT_FALSE(folders.empty());
  for (const auto& folder : folders) {
    const auto d = d2l_test::describe_section(folder);
    EXPECT_EQ(d.id, section_number(folder)) << folder;
    EXPECT_FALSE(d.title.empty()) << folder;
    EXPECT_FALSE(d.exercises.empty()) << folder;
    for (const auto& e : d.exercises) {
      EXPECT_EQ(e.id.rfind(d.id + "-", 0), 0u) << folder << ": " << e.id;
      EXPECT_FALSE(e.what.empty()) << folder << ": " << e.id;
    }
  }
}

// The book's outputs are kept in the tree (tests/golden/book, copied from
// the project's parity notes with where they came from), so this never skips.
TEST(Sections, DefaultOutputEqualsTheBook) {
  d2l_test::announce_numeric_mode();
  const fs::path book_dir = fs::path(d2l_test::kGoldenDir) / "book";
  int checked = 0;
  int with_code = 0;
  for (const auto& folder : d2l_test::section_folders()) {
    const auto book = book_dir / (section_number(folder) + ".txt");
    ASSERT_TRUE(fs::exists(book)) << book;
    // The section says whether the book's has code (3.4 has none); the
    // book's file agrees.
    const bool book_code = d2l_test::describe_section(folder).book_code;
    EXPECT_EQ(
        d2l_test::read_file(book.string()).find("--- cell") !=
            std::string::npos,
        book_code)
        << folder << " --describe and " << book;
    if (!book_code) {
      continue;
    }
    ++with_code;
    const auto r =
        d2l_test::run_program(d2l_test::section_exe(folder), {"--no-figures"});
    ASSERT_EQ(r.exit_code, 0) << folder << ": " << r.err;
    expect_matches(
        folder, r, r.out, book_stdout(book.string()), folder + ".seed0.txt");
    ++checked;
  }
  EXPECT_EQ(checked, with_code);  // every section with code: 3.1-3.3, 3.5-3.7
  EXPECT_GT(checked, 0);
}

// Exercises 3.5-1 and 3.5-2 print their times on stdout (where the goldens
// mask them) and say on stderr which way read faster, a verdict that varies
// from run to run: it must follow the printed numbers, its word ("faster",
// "slower") and its ratio alike.
TEST(Exercises, ReaderSpeedVerdictsFollowThePrintedTimes) {
  const auto r = d2l_test::run_program(
      d2l_test::section_exe("3.5-image-classification-dataset"),
      {"--batch-size", "1", "--reader-speed", "--no-figures"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The time printed after `label` on stdout ("label 0.123 sec").
  const auto time_after = [&](const std::string& label) {
    const auto at = r.out.find(label);
    EXPECT_NE(at, std::string::npos) << label << "\n" << r.out;
    return at == std::string::npos ? -1.0
                                   : std::stod(r.out.substr(at + label.size()));
  };
  struct Comparison {
    std::string a;        // the verdict's subject, after its "3.5-N: "
    std::string a_label;  // what precedes a's time on stdout
    std::string b;
    std::string b_label;
  };
  const std::vector<Comparison> comparisons = {
      {"3.5-1: reading in minibatches of 1",
       "batch_size 1: 60000 minibatches read in",
       "in minibatches of 256",
       "batch_size 256: 235 minibatches read in"},
      {"3.5-2: converting the whole set in one call",
       "convert the whole set in one call:",
       "converting per image",
       "like ToTensor:"},
      {"3.5-2: slicing a copy shuffled once",
       "as slices of a copy shuffled once:",
       "index_select of shuffled indices",
       "by index_select of shuffled indices:"}};
  for (const auto& c : comparisons) {
    const double ta = time_after(c.a_label);
    const double tb = time_after(c.b_label);
    const auto at = r.err.find(c.a + " ");
    ASSERT_NE(at, std::string::npos) << c.a << "\n" << r.err;
    const auto line = r.err.substr(at, r.err.find('\n', at) - at);
    if (ta <= 0 || tb <= 0) {
      EXPECT_NE(line.find("too quick to compare"), std::string::npos) << line;
      continue;
    }
    const double ratio = std::max(ta, tb) / std::min(ta, tb);
    if (line.find(" took as long as ") != std::string::npos) {
      EXPECT_EQ(line, c.a + " took as long as " + c.b + " here (ratio 1.0)");
      EXPECT_LT(ratio, 1.05 + 1e-6) << line;
      continue;
    }
    std::smatch m;
    ASSERT_TRUE(std::regex_match(
        line,
        m,
        std::regex(".* was ([0-9.]+)x (faster|slower) than (.*) here")))
        << line;
    EXPECT_EQ(m[2].str(), ta < tb ? "faster" : "slower")
        << line << " (" << ta << " sec against " << tb << " sec)";
    EXPECT_NEAR(std::stod(m[1]), ratio, 0.05 + 1e-6) << line;
    EXPECT_GE(ratio, 1.05 - 1e-6) << line;
    EXPECT_EQ(m[3].str(), c.b) << line;
  }
}
