// libFuzzer target: arbitrary bytes as the paths, labels, legend entries and
// image titles of a figure's gnuplot script (plot_internal::script_text)
// cannot change what the script does. Each script is scanned as gnuplot's
// scanner reads it (strings, backquote substitution, `@` macros, lines),
// and must be the same commands as the script of the same figure with
// harmless texts: equal once every string literal and number is masked.
// The output paths must read back as exactly the given bytes.
#include <fuzzer/FuzzedDataProvider.h>
#include <torch/torch.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "plot_internal.h"

namespace {

using d2l::plot_internal::Figure;

[[noreturn]] void fail(const char* what, const std::string& script) {
  std::fprintf(
      stderr, "fuzz_gnuplot: %s\n--- script ---\n%s\n", what, script.c_str());
  std::abort();
}

// A double-quoted string's contents as gnuplot reads them, for the escapes
// gp_string writes (\\, \", \ooo); nullopt for anything else.
std::optional<std::string> decode(const std::string& body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    if (i + 1 < body.size() && (body[i + 1] == '\\' || body[i + 1] == '"')) {
      out += body[++i];
    } else if (
        i + 3 < body.size() + 0 && body[i + 1] >= '0' && body[i + 1] <= '3' &&
        body[i + 2] >= '0' && body[i + 2] <= '7' && body[i + 3] >= '0' &&
        body[i + 3] <= '7') {
      out += static_cast<char>(
          (body[i + 1] - '0') * 64 + (body[i + 2] - '0') * 8 +
          (body[i + 3] - '0'));
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool number_start(const std::string& s, std::size_t i) {
  return std::isdigit(static_cast<unsigned char>(s[i])) != 0 ||
         (s[i] == '.' && i + 1 < s.size() &&
          std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0);
}

// `script` as gnuplot's scanner sees its commands: each string literal
// becomes S, each number N and each comment #C; the double-quoted strings' contents, decoded,
// go to `strings`. Fails on anything that would let text act: a raw control
// byte, a string left open at a line's end, a backquote (command
// substitution, expanded in double-quoted strings too) or an `@` (macro)
// outside what gp_string writes.
std::string commands(
    const std::string& script, std::vector<std::string>* strings) {
  std::string out;
  for (std::size_t i = 0; i < script.size();) {
    const char c = script[i];
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7F) {
      fail("a raw control byte in the script", script);
    }
    if (c == '`' || c == '@') {
      fail("a backquote or @ outside a string", script);
    }
    if (c == '#') {
      // A comment to the end of the line: the program's own words, which
      // may name where the texts put the legend; C.
      const std::size_t end = script.find('\n', i);
      const std::size_t stop = end == std::string::npos ? script.size() : end;
      for (std::size_t j = i; j < stop; ++j) {
        if (script[j] == '`' || script[j] == '@' ||
            (static_cast<unsigned char>(script[j]) < 0x20)) {
          fail("a backquote, @ or control byte in a comment", script);
        }
      }
      out += "#C";
      i = stop;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < script.size() && script[j] != '"'; ++j) {
        if (script[j] == '\n') {
          fail("a double-quoted string open at the end of a line", script);
        }
        if (script[j] == '`') {
          fail("a backquote in a double-quoted string", script);
        }
        if (script[j] == '\\') {
          ++j;  // the scanner skips the escaped byte
          if (j < script.size() && script[j] == '\n') {
            fail("a line continued inside a string", script);
          }
        }
      }
      if (j >= script.size()) {
        fail("a double-quoted string never closed", script);
      }
      const auto text = decode(script.substr(i + 1, j - i - 1));
      if (!text) {
        fail("an escape gp_string does not write", script);
      }
      strings->push_back(*text);
      out += 'S';
      i = j + 1;
    } else if (c == '\'') {
      std::size_t j = i + 1;
      for (;; ++j) {
        if (j >= script.size() || script[j] == '\n') {
          fail("a single-quoted string open at the end of a line", script);
        }
        if (script[j] == '\'') {
          if (j + 1 < script.size() && script[j + 1] == '\'') {
            ++j;  // '' is a quote inside the string
            continue;
          }
          break;
        }
      }
      out += 'S';
      i = j + 1;
    } else if (
        number_start(script, i) &&
        (i == 0 ||
         std::isalpha(static_cast<unsigned char>(script[i - 1])) == 0)) {
      std::size_t j = i;
      while (j < script.size() &&
             (std::isdigit(static_cast<unsigned char>(script[j])) != 0 ||
              script[j] == '.')) {
        ++j;
      }
      if (j < script.size() && (script[j] == 'e' || script[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < script.size() && (script[k] == '-' || script[k] == '+')) {
          ++k;
        }
        if (k < script.size() &&
            std::isdigit(static_cast<unsigned char>(script[k])) != 0) {
          j = k;
          while (j < script.size() &&
                 std::isdigit(static_cast<unsigned char>(script[j])) != 0) {
            ++j;
          }
        }
      }
      // A sign belongs to the number: "-0.5" and "2" are both N.
      if (!out.empty() && out.back() == '-') {
        out.pop_back();
      }
      out += 'N';
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// A harmless text of the same shape: the same lines (so the same number of
// label commands), each byte that could matter replaced by 'x'.
std::string harmless(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c != '\n' && c != '\r' && c != '\t' && c != ' ' &&
        std::isalnum(static_cast<unsigned char>(c)) == 0) {
      c = 'x';
    }
  }
  return out;
}

std::string no_nul(std::string s) {
  for (char& c : s) {
    if (c == '\0') {
      c = 'x';
    }
  }
  return s;
}

struct Texts {
  std::string xlabel, ylabel;
  std::vector<std::string> legend, titles;
};

std::vector<Figure> figures(const Texts& t) {
  d2l::PlotOptions options;
  options.xlabel = t.xlabel;
  options.ylabel = t.ylabel;
  options.legend = t.legend;
  std::vector<Figure> out;
  out.push_back(d2l::plot_internal::line_figure(
      {d2l::Series{{1, 2, 3}, {1, 4, 9}}, d2l::Series{{1, 2, 3}, {2, 3, 1}}},
      options));
  out.push_back(d2l::plot_internal::scatter_figure({1, 2}, {2, 1}, 4, options));
  out.push_back(d2l::plot_internal::images_figure(
      torch::zeros({2, 2, 2}), 1, 2, t.titles, 1.0, d2l::Colormap::kViridis));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string png = no_nul(in.ConsumeRandomLengthString(200));
  const std::string svg = no_nul(in.ConsumeRandomLengthString(200));
  Texts texts;
  texts.xlabel = in.ConsumeRandomLengthString(100);
  texts.ylabel = in.ConsumeRandomLengthString(100);
  for (int i = 0; i < 2; ++i) {
    texts.legend.push_back(in.ConsumeRandomLengthString(100));
    texts.titles.push_back(in.ConsumeRandomLengthString(100));
  }
  Texts plain;
  plain.xlabel = harmless(texts.xlabel);
  plain.ylabel = harmless(texts.ylabel);
  for (int i = 0; i < 2; ++i) {
    plain.legend.push_back(harmless(texts.legend[i]));
    plain.titles.push_back(harmless(texts.titles[i]));
  }
  const auto fuzzed = figures(texts);
  const auto reference = figures(plain);
  for (std::size_t f = 0; f < fuzzed.size(); ++f) {
    const std::string script = d2l::plot_internal::script_text(
        fuzzed[f], png, svg, "fig", /*check_glyphs=*/false);
    const std::string expected = d2l::plot_internal::script_text(
        reference[f], "a.png", "a.svg", "fig", /*check_glyphs=*/false);
    std::vector<std::string> strings;
    std::vector<std::string> expected_strings;
    const std::string got = commands(script, &strings);
    const std::string want = commands(expected, &expected_strings);
    if (got != want) {
      // The first line that differs, for the report.
      std::size_t at = 0;
      while (at < got.size() && at < want.size() && got[at] == want[at]) {
        ++at;
      }
      const std::size_t from = got.rfind('\n', at) + 1;
      const std::size_t from_want = want.rfind('\n', at) + 1;
      fail(
          ("the texts changed the script's commands: got\n  " +
           got.substr(from, got.find('\n', at) - from) + "\nwhere\n  " +
           want.substr(from_want, want.find('\n', at) - from_want) +
           "\nis expected")
              .c_str(),
          script);
    }
    // The output files: the first two double-quoted strings after each
    // terminal are the paths (the script's only `set output` lines).
    std::vector<std::string> outputs;
    for (std::size_t at = script.find("\nset output \"");
         at != std::string::npos;
         at = script.find("\nset output \"", at + 1)) {
      std::vector<std::string> one;
      const auto end = script.find('\n', at + 1);
      commands(script.substr(at + 1, end - at - 1), &one);
      outputs.push_back(one.empty() ? "" : one.front());
    }
    if (outputs != std::vector<std::string>{png, svg}) {
      fail("an output path did not read back as its bytes", script);
    }
  }
  return 0;
}
