// Python's repr of tensors, floats, strings, sizes and dtypes, rule for rule
// as torch/_tensor_str.py (PyTorch 1.13) and CPython write them, so that
// the sections print what the book prints.
#include "d2l/tensor_str.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace d2l {
namespace {

// torch._tensor_str.PRINT_OPTS with its default profile.
constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 80;

// Python's '{:.4f}' / '{:.4e}' / '{:.0f}'. fmt rounds exactly as CPython
// does; the one difference is NaN, which Python prints without its sign
// (0/0 gives a negative NaN on x86).
std::string format_fixed(double v, int precision) {
  return fmt::format("{:.{}f}", std::isnan(v) ? std::fabs(v) : v, precision);
}

std::string format_sci(double v, int precision) {
  return fmt::format("{:.{}e}", std::isnan(v) ? std::fabs(v) : v, precision);
}

int len(const std::string& s) {
  return static_cast<int>(s.size());
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    out += (i > 0 ? sep : "") + items[i];
  }
  return out;
}

std::string pad_left(const std::string& s, int width) {
  return std::string(std::max(0, width - len(s)), ' ') + s;
}

// Mirrors torch._tensor_str._Formatter for a floating tensor: chooses
// between `5.` (every finite value integral), fixed `0.1234` and
// scientific `1.2340e-05`, and the width every element is padded to. Zeros,
// NaN and infinities take no part in either choice.
class FloatFormatter {
 public:
  explicit FloatFormatter(const std::vector<double>& values) {
    std::vector<double> finite;
    for (double v : values) {
      if (std::isfinite(v) && v != 0) {
        finite.push_back(v);
      }
    }
    if (finite.empty()) {
      return;
    }
    double min_abs = std::fabs(finite[0]);
    double max_abs = min_abs;
    for (double v : finite) {
      min_abs = std::min(min_abs, std::fabs(v));
      max_abs = std::max(max_abs, std::fabs(v));
      if (v != std::ceil(v)) {
        int_mode_ = false;
      }
    }
    const bool wide = max_abs / min_abs > 1000.0 || max_abs > 1.0e8;
    sci_mode_ = int_mode_ ? wide : wide || min_abs < 1.0e-4;
    for (double v : finite) {
      if (sci_mode_) {
        width_ = std::max(width_, len(format_sci(v, kPrecision)));
      } else if (int_mode_) {
        width_ = std::max(width_, len(format_fixed(v, 0)) + 1);
      } else {
        width_ = std::max(width_, len(format_fixed(v, kPrecision)));
      }
    }
  }

  int width() const {
    return width_;
  }

  std::string format(double v) const {
    std::string s;
    if (sci_mode_) {
      s = format_sci(v, kPrecision);
    } else if (int_mode_) {
      s = format_fixed(v, 0);
      if (std::isfinite(v)) {
        s += '.';
      }
    } else {
      s = format_fixed(v, kPrecision);
    }
    return pad_left(s, width_);
  }

 private:
  bool int_mode_ = true;
  bool sci_mode_ = false;
  int width_ = 1;
};

// Mirrors _Formatter for integer and bool tensors: `str(value)`, padded to
// the widest.
class IntFormatter {
 public:
  IntFormatter(const std::vector<int64_t>& values, bool is_bool)
      : is_bool_(is_bool) {
    for (int64_t v : values) {
      width_ = std::max(width_, len(to_str(v)));
    }
  }

  int width() const {
    return width_;
  }

  std::string format(int64_t v) const {
    return pad_left(to_str(v), width_);
  }

 private:
  std::string to_str(int64_t v) const {
    if (is_bool_) {
      return v != 0 ? "True" : "False";
    }
    return std::to_string(v);
  }

  bool is_bool_;
  int width_ = 1;
};

// The values _tensor_str prints, as a contiguous CPU copy, and the
// formatters built from them. When summarising, every dimension longer
// than 2 * kEdgeItems is first cut to its first and last kEdgeItems (what
// get_summarized_data keeps), so a large tensor is never copied whole.
class TensorPrinter {
 public:
  explicit TensorPrinter(torch::Tensor t) {
    if (t._is_zerotensor()) {
      t = t.clone();
    }
    t = t.resolve_conj().resolve_neg();
    const bool summarize = t.numel() > kThreshold;
    for (int64_t d = 0; d < t.dim(); ++d) {
      const int64_t size = t.size(d);
      elided_.push_back(summarize && size > 2 * kEdgeItems);
      if (elided_.back()) {
        t = torch::cat(
            {t.narrow(d, 0, kEdgeItems),
             t.narrow(d, size - kEdgeItems, kEdgeItems)},
            d);
      }
    }
    t = t.cpu();
    sizes_ = t.sizes().vec();
    strides_.assign(sizes_.size(), 1);
    for (int64_t d = t.dim() - 2; d >= 0; --d) {
      strides_[d] = strides_[d + 1] * sizes_[d + 1];
    }

    if (t.is_complex()) {
      kind_ = Kind::kComplex;
      re_ = to_vector<double>(torch::real(t).to(torch::kDouble));
      im_ = to_vector<double>(torch::imag(t).to(torch::kDouble));
      real_.emplace(re_);
      imag_.emplace(im_);
    } else if (t.is_floating_point()) {
      kind_ = Kind::kFloat;
      re_ = to_vector<double>(t.to(torch::kDouble));
      real_.emplace(re_);
    } else {
      kind_ = Kind::kInt;
      ints_ = to_vector<int64_t>(t.to(torch::kLong));
      ints_formatter_.emplace(ints_, t.scalar_type() == torch::kBool);
    }
  }

  // Mirrors _tensor_str_with_formatter for the whole tensor.
  std::string str(int indent) const {
    return str(0, 0, indent);
  }

 private:
  enum class Kind { kFloat, kComplex, kInt };

  template <typename T>
  static std::vector<T> to_vector(const torch::Tensor& t) {
    const torch::Tensor c = t.contiguous();
    const T* p = c.data_ptr<T>();
    return std::vector<T>(p, p + c.numel());
  }

  // True before the element or slice where Python puts the `...`.
  bool ellipsis_before(size_t dim, int64_t index) const {
    return elided_[dim] && index == kEdgeItems;
  }

  int element_width() const {
    switch (kind_) {
      case Kind::kFloat:
        return real_->width();
      case Kind::kComplex:
        // The imaginary part and its `j`.
        return real_->width() + imag_->width() + 1;
      case Kind::kInt:
        break;
    }
    return ints_formatter_->width();
  }

  std::string element(int64_t offset) const {
    switch (kind_) {
      case Kind::kFloat:
        return real_->format(re_[offset]);
      case Kind::kComplex: {
        // Mirrors _vector_str's _val_formatter: `1.0000+2.0000j`.
        const std::string re = real_->format(re_[offset]);
        std::string im = imag_->format(im_[offset]) + "j";
        im.erase(0, im.find_first_not_of(' '));
        return im[0] == '+' || im[0] == '-' ? re + im : re + "+" + im;
      }
      case Kind::kInt:
        break;
    }
    return ints_formatter_->format(ints_[offset]);
  }

  // Mirrors _vector_str: elements joined by ", ", as many per line as fit
  // in the line width.
  std::string vector_str(size_t dim, int64_t offset, int indent) const {
    const int element_length = element_width() + 2;
    const int per_line = std::max(
        1,
        static_cast<int>(std::floor(
            static_cast<double>(kLineWidth - indent) / element_length)));
    std::vector<std::string> data;
    for (int64_t i = 0; i < sizes_[dim]; ++i) {
      if (ellipsis_before(dim, i)) {
        data.push_back(" ...");
      }
      data.push_back(element(offset + i * strides_[dim]));
    }
    std::string out = "[";
    for (size_t i = 0; i < data.size(); ++i) {
      if (i > 0) {
        out += i % per_line == 0 ? ",\n" + std::string(indent + 1, ' ') : ", ";
      }
      out += data[i];
    }
    return out + "]";
  }

  std::string str(size_t dim, int64_t offset, int indent) const {
    const size_t ndim = sizes_.size();
    if (dim == ndim) {
      return element(offset);
    }
    if (dim + 1 == ndim) {
      return vector_str(dim, offset, indent);
    }
    // Sub-tensors separated by one blank line per dimension below two.
    const std::string sep =
        "," + std::string(ndim - dim - 1, '\n') + std::string(indent + 1, ' ');
    std::string out = "[";
    for (int64_t i = 0; i < sizes_[dim]; ++i) {
      if (i > 0) {
        out += sep;
      }
      if (ellipsis_before(dim, i)) {
        out += "..." + sep;
      }
      out += str(dim + 1, offset + i * strides_[dim], indent + 1);
    }
    return out + "]";
  }

  std::vector<bool> elided_;
  std::vector<int64_t> sizes_;
  std::vector<int64_t> strides_;
  Kind kind_ = Kind::kFloat;
  std::vector<double> re_;
  std::vector<double> im_;
  std::vector<int64_t> ints_;
  std::optional<FloatFormatter> real_;
  std::optional<FloatFormatter> imag_;
  std::optional<IntFormatter> ints_formatter_;
};

// Mirrors _add_suffixes: `, suffix` on the same line while it fits in the
// line width, else on a new line. (Python overestimates the last line's
// length by 2; so does this, to wrap where Python wraps.)
std::string add_suffixes(
    const std::string& tensor_str,
    const std::vector<std::string>& suffixes,
    int indent) {
  std::string out = tensor_str;
  const size_t found = tensor_str.rfind('\n');
  const int newline = found == std::string::npos ? -1 : static_cast<int>(found);
  int last_line_len = len(tensor_str) - newline + 1;
  for (const std::string& suffix : suffixes) {
    if (last_line_len + len(suffix) + 2 > kLineWidth) {
      out += ",\n" + std::string(indent, ' ') + suffix;
      last_line_len = indent + len(suffix);
    } else {
      out += ", " + suffix;
      last_line_len += len(suffix) + 2;
    }
  }
  return out + ")";
}

// The sizes as Python prints ints.
std::vector<std::string> size_items(c10::IntArrayRef sizes) {
  std::vector<std::string> items;
  for (int64_t s : sizes) {
    items.push_back(std::to_string(s));
  }
  return items;
}

// Python's `str(tuple(shape))`: `(0, 3)`, `(4,)`.
std::string shape_tuple(c10::IntArrayRef sizes) {
  return py_tuple(size_items(sizes));
}

}  // namespace

std::string repr(const torch::Tensor& t) {
  if (!t.defined()) {
    throw std::invalid_argument(
        "d2l::repr: the tensor is undefined (Python has no such tensor)");
  }
  if (t.layout() != torch::kStrided || t.is_quantized() || t.is_nested()) {
    throw std::invalid_argument(
        "d2l::repr: sparse, quantized and nested tensors are not supported; "
        "convert with .to_dense() or .dequantize() first");
  }
  const std::string prefix = "tensor(";
  const int indent = len(prefix);
  std::vector<std::string> suffixes;
  if (!t.device().is_cpu()) {
    suffixes.push_back("device='" + t.device().str() + "'");
  }
  const c10::ScalarType dtype = t.scalar_type();
  const c10::ScalarType default_dtype =
      c10::typeMetaToScalarType(torch::get_default_dtype());
  const c10::ScalarType default_complex = default_dtype == torch::kDouble
                                              ? torch::kComplexDouble
                                              : torch::kComplexFloat;
  const bool has_default_dtype = dtype == default_dtype ||
                                 dtype == default_complex ||
                                 dtype == torch::kLong || dtype == torch::kBool;

  std::string tensor_str;
  if (t.is_meta()) {
    suffixes.push_back("size=" + shape_tuple(t.sizes()));
    if (dtype != default_dtype) {
      suffixes.push_back("dtype=" + repr_dtype(dtype));
    }
    tensor_str = "...";
  } else if (t.numel() == 0) {
    // NumPy's rule: the shape is shown unless it is (0,), and the dtype
    // whenever it is not the default (no values to tell it by).
    if (t.dim() != 1) {
      suffixes.push_back("size=" + shape_tuple(t.sizes()));
    }
    if (dtype != default_dtype) {
      suffixes.push_back("dtype=" + repr_dtype(dtype));
    }
    tensor_str = "[]";
  } else {
    if (!has_default_dtype) {
      suffixes.push_back("dtype=" + repr_dtype(dtype));
    }
    torch::NoGradGuard no_grad;
    tensor_str = TensorPrinter(t.detach()).str(indent);
  }

  if (t.grad_fn()) {
    // Python shows the node's class name; LibTorch's name() is the same,
    // or namespace-qualified for nodes without a generated name.
    std::string name = t.grad_fn()->name();
    const size_t colons = name.rfind("::");
    if (colons != std::string::npos) {
      name = name.substr(colons + 2);
    }
    suffixes.push_back("grad_fn=<" + name + ">");
  } else if (t.requires_grad()) {
    suffixes.push_back("requires_grad=True");
  }
  return add_suffixes(prefix + tensor_str, suffixes, indent);
}

std::string repr_size(c10::IntArrayRef sizes) {
  return "torch.Size(" + py_list(size_items(sizes)) + ")";
}

std::string repr_dtype(c10::ScalarType dtype) {
  switch (dtype) {
    case torch::kFloat:
      return "torch.float32";
    case torch::kDouble:
      return "torch.float64";
    case torch::kHalf:
      return "torch.float16";
    case torch::kBFloat16:
      return "torch.bfloat16";
    case torch::kByte:
      return "torch.uint8";
    case torch::kChar:
      return "torch.int8";
    case torch::kShort:
      return "torch.int16";
    case torch::kInt:
      return "torch.int32";
    case torch::kLong:
      return "torch.int64";
    case torch::kBool:
      return "torch.bool";
    case torch::kComplexHalf:
      return "torch.complex32";
    case torch::kComplexFloat:
      return "torch.complex64";
    case torch::kComplexDouble:
      return "torch.complex128";
    case torch::kQInt8:
      return "torch.qint8";
    case torch::kQUInt8:
      return "torch.quint8";
    case torch::kQInt32:
      return "torch.qint32";
    case torch::kQUInt4x2:
      return "torch.quint4x2";
    case torch::kQUInt2x4:
      return "torch.quint2x4";
    default:
      break;
  }
  throw std::invalid_argument(
      std::string("d2l::repr_dtype: no Python name known for dtype ") +
      c10::toString(dtype));
}

std::string py_float(double value) {
  if (std::isnan(value)) {
    return "nan";
  }
  if (std::isinf(value)) {
    return value < 0 ? "-inf" : "inf";
  }
  // The shortest digits that round-trip, as `d.ddde+XX` (what CPython's
  // repr starts from too), laid out by CPython's rules for 'r' format.
  char buf[64];
  const auto res = std::to_chars(
      buf, buf + sizeof(buf), value, std::chars_format::scientific);
  const std::string sci(buf, res.ptr);
  const size_t e = sci.find('e');
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (sci[i] >= '0' && sci[i] <= '9') {
      digits += sci[i];
    }
  }
  const int exponent = std::stoi(sci.substr(e + 1));
  const int ndigits = len(digits);
  const int decpt = exponent + 1;  // digits are 0.DIGITS * 10^decpt
  std::string out = std::signbit(value) ? "-" : "";
  if (decpt <= -4 || decpt > 16) {
    out += digits.substr(0, 1);
    if (ndigits > 1) {
      out += "." + digits.substr(1);
    }
    out +=
        fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
  } else if (decpt <= 0) {
    out += "0." + std::string(-decpt, '0') + digits;
  } else if (decpt >= ndigits) {
    out += digits + std::string(decpt - ndigits, '0') + ".0";
  } else {
    out += digits.substr(0, decpt) + "." + digits.substr(decpt);
  }
  return out;
}

std::string py_str(const std::string& value) {
  const bool has_single = value.find('\'') != std::string::npos;
  const bool has_double = value.find('"') != std::string::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      // Printable ASCII, and UTF-8 bytes passed through as Python keeps
      // printable non-ASCII characters.
      out += c;
    }
  }
  return out + quote;
}

std::string py_tuple(const std::vector<std::string>& items) {
  if (items.size() == 1) {
    return "(" + items[0] + ",)";
  }
  return "(" + join(items, ", ") + ")";
}

std::string py_list(const std::vector<std::string>& items) {
  return "[" + join(items, ", ") + "]";
}

}  // namespace d2l
