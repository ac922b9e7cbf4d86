//===- CpuFeatures.cpp - Host CPU feature detection -----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Bit positions from the Intel SDM, CPUID leaves 1 and 7 (sub-leaf 0 and 1);
// AVX and AVX-512 also need the OS to save their registers (XCR0). AArch64:
// the hwcap bits of Linux's arch/arm64 uapi asm/hwcap.h.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/CpuFeatures.h"

#include <cstdint>

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#define TERN_X86 1
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#define TERN_AARCH64_LINUX 1
#endif

namespace tern {

namespace {
enum Reg { EAX, EBX, ECX, EDX };
struct FeatureBit {
  const char *name;
  unsigned leaf, subleaf;
  Reg reg;
  unsigned bit;
  bool needsAvxState, needsAvx512State;
};
constexpr FeatureBit kFeatures[] = {
    {"sse4.2", 1, 0, ECX, 20, false, false},
    {"avx", 1, 0, ECX, 28, true, false},
    {"fma", 1, 0, ECX, 12, true, false},
    {"f16c", 1, 0, ECX, 29, true, false},
    {"avx2", 7, 0, EBX, 5, true, false},
    {"bmi2", 7, 0, EBX, 8, false, false},
    {"avx512f", 7, 0, EBX, 16, true, true},
    {"avx512dq", 7, 0, EBX, 17, true, true},
    {"avx512bw", 7, 0, EBX, 30, true, true},
    {"avx512vl", 7, 0, EBX, 31, true, true},
    {"avx512vnni", 7, 0, ECX, 11, true, true},
    {"avx512vbmi", 7, 0, ECX, 1, true, true},
    {"avx512bf16", 7, 1, EAX, 5, true, true},
    {"avxvnni", 7, 1, EAX, 4, true, false},
};

/// AArch64 features and their Linux hwcap bits (AT_HWCAP, or AT_HWCAP2).
struct HwcapBit {
  const char *name;
  bool hwcap2;
  unsigned bit;
};
constexpr HwcapBit kAArch64Features[] = {
    {"dotprod", false, 20}, // HWCAP_ASIMDDP
    {"i8mm", true, 13},     // HWCAP2_I8MM
};
} // namespace

const std::vector<std::string> &knownCpuFeatures(bool aarch64) {
  static const std::vector<std::string> x86 = [] {
    std::vector<std::string> v;
    for (const FeatureBit &f : kFeatures)
      v.push_back(f.name);
    return v;
  }();
  static const std::vector<std::string> arm = [] {
    std::vector<std::string> v;
    for (const HwcapBit &f : kAArch64Features)
      v.push_back(f.name);
    return v;
  }();
  return aarch64 ? arm : x86;
}

bool hostHasCpuFeature(const std::string &feature) {
#ifdef TERN_AARCH64_LINUX
  for (const HwcapBit &f : kAArch64Features)
    if (feature == f.name)
      return (getauxval(f.hwcap2 ? AT_HWCAP2 : AT_HWCAP) >> f.bit) & 1;
#endif
#ifdef TERN_X86
  for (const FeatureBit &f : kFeatures) {
    if (feature != f.name)
      continue;
    unsigned regs[4] = {0, 0, 0, 0};
    unsigned maxLeaf = __get_cpuid_max(0, nullptr);
    if (f.leaf > maxLeaf)
      return false;
    __cpuid_count(f.leaf, f.subleaf, regs[EAX], regs[EBX], regs[ECX],
                  regs[EDX]);
    if (!((regs[f.reg] >> f.bit) & 1))
      return false;
    if (f.needsAvxState || f.needsAvx512State) {
      unsigned a, b, c, d;
      __cpuid(1, a, b, c, d);
      if (!((c >> 27) & 1)) // OSXSAVE
        return false;
      uint32_t lo, hi;
      __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
      if ((lo & 0x6) != 0x6) // SSE and AVX state
        return false;
      if (f.needsAvx512State && (lo & 0xE0) != 0xE0) // opmask, ZMM state
        return false;
    }
    return true;
  }
#endif
  (void)feature;
  return false;
}

} // namespace tern
