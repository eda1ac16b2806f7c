// scripts/report.sh, the parity report a teacher hands out: it holds every
// section, its numbers are the runs' own, a difference is marked and fails
// it, and it never replaces a folder it did not write.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

namespace fs = std::filesystem;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Epochs of 3.6 and 3.7 in the report tests (the book's 10 take a minute).
constexpr int kEpochs = 1;

// Whether /usr/bin/python3 has what the Python twins need.
bool twins_can_run() {
  return d2l_test::run_program(
             "/usr/bin/python3", {"-c", "import torch, matplotlib"})
             .exit_code == 0;
}

#define SKIP_WITHOUT_TWINS()                                                 \
  do {                                                                       \
    if (!twins_can_run()) {                                                  \
      GTEST_SKIP() << "the Python twins need python3-torch and "             \
                      "python3-matplotlib (scripts/setup.sh --with-python)"; \
    }                                                                        \
  } while (false)

// The build folder these tests belong to (report.sh runs its sections).
std::string build_dir() {
  return fs::path(d2l_test::section_exe("x"))
      .parent_path()
      .parent_path()
      .parent_path()
      .string();
}

d2l_test::RunResult report(const std::vector<std::string>& args) {
  const d2l_test::ScopedEnv build("D2L_BUILD_DIR", build_dir());
  return d2l_test::run_program(
      (fs::path(d2l_test::kSourceDir) / "scripts" / "report.sh").string(),
      args);
}

// The section numbers of chapters/ (3.1 ... 3.7).
std::vector<std::string> sections() {
  std::set<std::string> out;
  for (const auto& entry :
       fs::directory_iterator(fs::path(d2l_test::kSourceDir) / "chapters")) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.rfind("3.", 0) == 0) {
      out.insert(name.substr(0, name.find('-')));
    }
  }
  return {out.begin(), out.end()};
}

// `text` as report.py writes it into the page (html.escape, quote=True).
std::string html_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#x27;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// Temporaries report.py would leave next to `out` (".NAME.tmp-...").
int temporaries_beside(const fs::path& out) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(out.parent_path())) {
    if (entry.path().filename().string().rfind(
            "." + out.filename().string() + ".tmp-", 0) == 0) {
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST(Report, HoldsEverySectionAndTheRunsOwnNumbers) {
  if (kSanitized) {
    GTEST_SKIP() << "runs the sections and their Python twins (no C++ of its "
                    "own to sanitize; the suite runs each section)";
  }
  SKIP_WITHOUT_TWINS();
  const fs::path tmp = d2l_test::make_temp_dir();
  const fs::path out = tmp / "report";
  const auto r =
      report({"--epochs", std::to_string(kEpochs), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("7 of 7 runs identical"), std::string::npos) << r.out;
  const std::string page = d2l_test::read_file((out / "index.html").string());
  ASSERT_FALSE(page.empty());
  for (const std::string& section : sections()) {
    SCOPED_TRACE(section);
    // A heading and a summary row per section.
    std::string id = "run-" + section;
    id[id.find('.')] = '-';
    EXPECT_NE(page.find("<h2 id=\"" + id + "\">"), std::string::npos);
    EXPECT_NE(page.find("<a href=\"#" + id + "\">"), std::string::npos);
    // Every line the C++ and the Python run printed is on the page: the
    // numbers shown are the captured runs' own.
    std::string slug = section;
    if (section == "3.6" || section == "3.7") {
      slug += ".epochs_" + std::to_string(kEpochs);
    }
    for (const char* side : {"cpp", "py"}) {
      const std::string printed = d2l_test::read_file(
          (out / "runs" / (slug + "." + side + ".stdout")).string());
      ASSERT_FALSE(printed.empty()) << slug << "." << side;
      for (const std::string& line : lines_of(printed)) {
        // Timing values are wrapped in a span of their own.
        if (line.find(" sec") != std::string::npos) {
          continue;
        }
        EXPECT_NE(page.find(html_escaped(line)), std::string::npos)
            << side << ": " << line;
      }
    }
  }
  // The captured C++ run is the section's own output: the same program run
  // here prints the same lines (3.3 prints no timings).
  const auto direct = d2l_test::run_program(
      d2l_test::section_exe("3.3-linear-regression-concise"), {"--no-figures"});
  EXPECT_EQ(
      direct.out,
      d2l_test::read_file((out / "runs" / "3.3.cpp.stdout").string()));
  // Per-epoch metrics as the metrics files hold them.
  const std::string metrics = d2l_test::read_file(
      (out / "runs" /
       ("3.6.epochs_" + std::to_string(kEpochs) + ".cpp.metrics.jsonl"))
          .string());
  const std::regex train_loss("\"train_loss\": ([0-9.e-]+)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(metrics, m, train_loss)) << metrics;
  EXPECT_NE(page.find(">" + m[1].str() + "<"), std::string::npos) << m[1];
  // Every figure the page shows exists beside it.
  const std::regex img("<img src=\"([^\"]+)\"");
  int figures = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), img);
       it != std::sregex_iterator();
       ++it, ++figures) {
    EXPECT_TRUE(fs::is_regular_file(out / (*it)[1].str())) << (*it)[1];
  }
  // The book's six figures, each drawn by C++, by the twin and the book's.
  EXPECT_EQ(figures, 18);
  // Where this machine runs the book's arithmetic, the C++ runs with the
  // book's flags (all but the shortened 3.6 and 3.7; 3.4 has no code in the
  // book) print the book's own lines.
  if (d2l_test::numeric_mode() == d2l_test::NumericMode::kExact) {
    const std::string same = "<span class=\"ok\">lines identical</span>";
    int count = 0;
    for (auto at = page.find(same); at != std::string::npos;
         at = page.find(same, at + 1)) {
      ++count;
    }
    EXPECT_EQ(count, 4) << d2l_test::numeric_mode_description();
  }
  EXPECT_EQ(temporaries_beside(out), 0);
  fs::remove_all(tmp);
}

TEST(Report, MarksADifferingNumberAndFails) {
  if (kSanitized) {
    GTEST_SKIP() << "runs a section and its Python twin only";
  }
  SKIP_WITHOUT_TWINS();
  const fs::path tmp = d2l_test::make_temp_dir();
  // A "python" whose twin prints one number of 3.4 otherwise.
  const fs::path fake = tmp / "python";
  std::ofstream(fake)
      << "#!/bin/sh\n/usr/bin/python3 \"$@\" | sed 's/0.173287 nats/0.173288 "
         "nats/'\n";
  fs::permissions(fake, fs::perms::owner_all);
  const d2l_test::ScopedEnv python("D2L_PYTHON", fake.string());
  const fs::path out = tmp / "report";
  const auto r = report({"3.4", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("0 of 1 runs identical"), std::string::npos) << r.out;
  const std::string page = d2l_test::read_file((out / "index.html").string());
  EXPECT_NE(page.find("<mark>0.173287</mark>"), std::string::npos);
  EXPECT_NE(page.find("<mark>0.173288</mark>"), std::string::npos);
  EXPECT_NE(page.find("1 of 50 differ"), std::string::npos);
  EXPECT_NE(page.find("max abs diff 1e-06"), std::string::npos);
  fs::remove_all(tmp);
}

TEST(Report, NeverReplacesAFolderItDidNotWrite) {
  const fs::path tmp = d2l_test::make_temp_dir();
  const fs::path out = tmp / "mine";
  fs::create_directory(out);
  std::ofstream(out / "notes.txt") << "a teacher's notes\n";
  const auto r = report({"3.1", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("not a report made by report.sh"), std::string::npos)
      << r.err;
  EXPECT_EQ(
      d2l_test::read_file((out / "notes.txt").string()), "a teacher's notes\n");
  EXPECT_EQ(temporaries_beside(out), 0);
  // A bad section or flag is one line and exit 2, before anything runs.
  const auto bad = report({"3.9", "--out", (tmp / "r").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no section '3.9'"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(tmp / "r"));
  fs::remove_all(tmp);
}
