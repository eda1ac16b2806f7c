// The suite's own test names: the same in every run, so that
// `scripts/test.sh -R NAME`, ctest's --rerun-failed and --gtest_filter find
// a test again (ctest takes gtest's names as they are: NO_PRETTY_VALUES in
// tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace {

bool is_name_char(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' ||
         ch == '/' || ch == '.';
}

}  // namespace

// Letters, digits, '_', '/' and '.' only (a printed parameter would bring
// spaces, '<', '-' and heap addresses), and every value-parameterised test
// named by a generator, not by its index: an index names another case as
// soon as a case is added before it.
TEST(SuiteNames, AreStableIdentifiersNamedByTheirCase) {
  const auto& unit = *::testing::UnitTest::GetInstance();
  int parameterised = 0;
  for (int s = 0; s < unit.total_test_suite_count(); ++s) {
    const auto& suite = *unit.GetTestSuite(s);
    for (int t = 0; t < suite.total_test_count(); ++t) {
      const auto& info = *suite.GetTestInfo(t);
      const std::string name =
          std::string(info.test_suite_name()) + "." + info.name();
      EXPECT_TRUE(std::all_of(name.begin(), name.end(), is_name_char))
          << name;
      if (info.value_param() == nullptr) {
        continue;
      }
      ++parameterised;
      const std::string n = info.name();
      const std::string last = n.substr(n.rfind('/') + 1);
      EXPECT_FALSE(std::all_of(last.begin(), last.end(), [](char ch) {
        return std::isdigit(static_cast<unsigned char>(ch));
      })) << name << ": give its INSTANTIATE_TEST_SUITE_P a name generator";
    }
  }
  EXPECT_GT(parameterised, 0) << "the suite has value-parameterised tests";
}
