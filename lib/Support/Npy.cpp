//===- Npy.cpp - numpy .npy files -----------------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Format (numpy/lib/format.py): "\x93NUMPY", major, minor, header length (u16
// for 1.x, u32 for 2.x/3.x), then a Python dict literal with 'descr',
// 'fortran_order' and 'shape', padded so the data starts 64-byte aligned.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Npy.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace tern {

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

namespace {
struct Descr {
  const char *text;
  DType dtype;
};
constexpr Descr kDescrs[] = {
    {"<f4", DType::F32}, {"<f2", DType::F16}, {"<f8", DType::F64},
    {"|i1", DType::I8},  {"<i1", DType::I8},  {"<i2", DType::I16},
    {"<i4", DType::I32}, {"<i8", DType::I64}, {"|u1", DType::U8},
    {"<u1", DType::U8}, {"|b1", DType::Bool}};

/// The value of `key` in the header dict, as raw text up to the next ',' at
/// depth 0 (or the closing paren of a tuple).
bool dictValue(const std::string &header, const std::string &key,
               std::string &value) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos)
    return false;
  at = header.find(':', at);
  if (at == std::string::npos)
    return false;
  ++at;
  while (at < header.size() && header[at] == ' ')
    ++at;
  size_t end = at;
  if (at < header.size() && header[at] == '(') {
    end = header.find(')', at);
    if (end == std::string::npos)
      return false;
    ++end;
  } else {
    while (end < header.size() && header[end] != ',' && header[end] != '}')
      ++end;
  }
  value = header.substr(at, end - at);
  while (!value.empty() && value.back() == ' ')
    value.pop_back();
  return true;
}
} // namespace

bool readNpy(const std::string &path, NpyArray &out, std::string &error) {
  auto fail = [&](const std::string &what) {
    error = path + ": " + what;
    return false;
  };
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return fail("cannot open the file");
  char magic[8];
  if (!file.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    return fail("not a .npy file (bad magic)");
  uint32_t headerLen = 0;
  if (magic[6] == 1) {
    unsigned char len[2];
    if (!file.read(reinterpret_cast<char *>(len), 2))
      return fail("truncated header");
    headerLen = len[0] | (len[1] << 8);
  } else if (magic[6] == 2 || magic[6] == 3) {
    unsigned char len[4];
    if (!file.read(reinterpret_cast<char *>(len), 4))
      return fail("truncated header");
    headerLen = len[0] | (len[1] << 8) | (len[2] << 16) | (uint32_t(len[3]) << 24);
  } else {
    return fail("unsupported .npy version " + std::to_string(int(magic[6])));
  }
  if (headerLen > (1u << 20))
    return fail("header is implausibly large");
  std::string header(headerLen, '\0');
  if (!file.read(header.data(), headerLen))
    return fail("truncated header");

  std::string descr, fortran, shape;
  if (!dictValue(header, "descr", descr) ||
      !dictValue(header, "fortran_order", fortran) ||
      !dictValue(header, "shape", shape))
    return fail("header lacks descr, fortran_order or shape");
  if (descr.size() < 2 || descr.front() != '\'' || descr.back() != '\'')
    return fail("bad descr " + descr);
  descr = descr.substr(1, descr.size() - 2);
  bool known = false;
  for (const Descr &d : kDescrs)
    if (descr == d.text) {
      out.dtype = d.dtype;
      known = true;
    }
  if (!known)
    return fail("unsupported element type '" + descr +
                "' (expected little-endian f2/f4/f8/i1/i2/i4/i8/u1/b1)");
  if (fortran != "False")
    return fail("Fortran-ordered arrays are not supported");
  out.shape.clear();
  std::string dims = shape.substr(1, shape.size() - 2);
  std::stringstream items(dims);
  std::string item;
  while (std::getline(items, item, ',')) {
    size_t start = item.find_first_not_of(' ');
    if (start == std::string::npos)
      continue;
    char *end = nullptr;
    long long d = std::strtoll(item.c_str() + start, &end, 10);
    if (d < 0 || (*end && *end != ' '))
      return fail("bad shape " + shape);
    out.shape.push_back(d);
  }
  int64_t count = 1;
  for (int64_t d : out.shape) {
    if (d && count > std::numeric_limits<int64_t>::max() / d)
      return fail("shape " + shape + " is too large");
    count *= d;
  }
  size_t bytes = size_t(count) * dtypeBytes(out.dtype);
  std::streampos dataStart = file.tellg();
  file.seekg(0, std::ios::end);
  std::streamoff available = file.tellg() - dataStart;
  if (available < std::streamoff(bytes))
    return fail("truncated data: " + std::to_string(available) +
                " bytes for shape " + shape + " of " + descr + " (" +
                std::to_string(bytes) + " expected)");
  file.seekg(dataStart);
  out.data.resize(bytes);
  if (bytes && !file.read(out.data.data(), bytes))
    return fail("cannot read the data");
  return true;
}

bool writeNpy(const std::string &path, const NpyArray &array,
              std::string &error) {
  const char *descr = nullptr;
  for (const Descr &d : kDescrs)
    if (d.dtype == array.dtype && !descr)
      descr = d.text;
  if (!descr) {
    error = path + ": cannot write element type " + toString(array.dtype);
    return false;
  }
  std::ostringstream header;
  header << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < array.shape.size(); ++i)
    header << array.shape[i] << (array.shape.size() == 1 || i + 1 < array.shape.size() ? "," : "")
           << (i + 1 < array.shape.size() ? " " : "");
  header << "), }";
  std::string text = header.str();
  size_t total = 10 + text.size() + 1;
  text.append((64 - total % 64) % 64, ' ');
  text.push_back('\n');
  std::ofstream file(path, std::ios::binary);
  if (!file) {
    error = path + ": cannot create the file";
    return false;
  }
  unsigned char prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                              uint8_t(text.size() & 0xff),
                              uint8_t(text.size() >> 8)};
  file.write(reinterpret_cast<char *>(prefix), 10);
  file.write(text.data(), text.size());
  file.write(array.data.data(), array.data.size());
  if (!file) {
    error = path + ": write failed";
    return false;
  }
  return true;
}

} // namespace tern
