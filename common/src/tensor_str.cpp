// STUB: replaced by the full implementation.
#include "d2l/tensor_str.h"
#include <sstream>
namespace d2l {
std::string repr(const torch::Tensor& t) { std::ostringstream s; s << t; return s.str(); }
std::string repr_size(c10::IntArrayRef sizes) { return "torch.Size(" + fmt::format("{}", fmt::join(sizes, ", ")) + ")"; }
std::string repr_dtype(c10::ScalarType dtype) { return std::string("torch.") + c10::toString(dtype); }
std::string py_float(double v) { return fmt::format("{}", v); }
std::string py_str(const std::string& v) { return "'" + v + "'"; }
std::string py_tuple(const std::vector<std::string>& items) { return "(" + fmt::format("{}", fmt::join(items, ", ")) + ")"; }
std::string py_list(const std::vector<std::string>& items) { return "[" + fmt::format("{}", fmt::join(items, ", ")) + "]"; }
}  // namespace d2l
