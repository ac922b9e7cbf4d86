//===- Blocks.h - ggml block formats decoded ---------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The weights of a GGUF tensor as values and scales (the low-bit types,
// exactly: ternary or sign values with their per-block scales) or as f32
// (every type Tern reads). The layouts, with their sources, are in
// ../shared/FORMATS.md and at each decoder.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_GGUF_BLOCKS_H
#define TERN_IMPORT_GGUF_BLOCKS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <string>

namespace mlir::tern::gguf {

/// IEEE half and bfloat16 bits to f32 (exact).
float halfToFloat(uint16_t bits);
float bfloat16ToFloat(uint16_t bits);

/// Weights per scale of a low-bit type: 256 (TQ1_0, TQ2_0), 128 (Q1_0), the
/// whole tensor (I2_S: returns 0), or -1 for a type that is not low-bit.
int64_t lowBitBlock(uint32_t type);

/// Decodes the `count` weights of a TQ1_0, TQ2_0, I2_S (x86 layout) or Q1_0
/// tensor into `values` (-1, 0, 1; Q1_0: -1, 1) and one scale per block
/// (`count / lowBitBlock` of them; one for I2_S): weight i is
/// values[i] * scales[i / block]. `data` must hold the tensor's bytes
/// (GgufFile::storageBytes). False for another type.
bool decodeLowBit(uint32_t type, llvm::ArrayRef<char> data, int64_t count,
                  int8_t *values, float *scales);

/// The `count` weights of a tensor of any type Tern reads (F32, F16, BF16,
/// Q8_0 and the low-bit ones) as f32. False for another type.
bool dequantize(uint32_t type, llvm::ArrayRef<char> data, int64_t count,
                float *out);

} // namespace mlir::tern::gguf

#endif // TERN_IMPORT_GGUF_BLOCKS_H
