//===- Tensor.h - Tensors and entry-point arguments -------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// What Runtime.cpp (CPU artifacts) and CudaRuntime.cpp (CUDA artifacts)
// share: the tern_tensor behind the C API, and the argument list of an
// __tern_entry_<name> call (MLIR memref descriptors, see
// tern/Support/Artifact.h).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_TENSOR_H
#define TERN_RUNTIME_TENSOR_H

#include "tern/Support/Artifact.h"

#include <cstdint>
#include <vector>

struct tern_tensor {
  tern::DType dtype = tern::DType::F32;
  std::vector<int64_t> shape;
  void *data = nullptr;       // first element
  void *allocation = nullptr; // what free() releases
  size_t bytes = 0;
  // The copy on the GPU, made when the tensor is first an input of a CUDA
  // entry point (CudaRuntime.h); 0 when there is none.
  unsigned long long devicePointer = 0;
  // The device copy is newer than `data` (an entry point may have written
  // it): tern_tensor_data downloads it first.
  bool deviceCurrent = false;
};

namespace tern::runtime {

/// An MLIR memref descriptor: {allocated, aligned, offset, sizes, strides},
/// of a dense row-major buffer.
inline std::vector<int64_t> descriptorOf(const void *data,
                                         const std::vector<int64_t> &shape) {
  std::vector<int64_t> d(3 + 2 * shape.size());
  d[0] = d[1] = int64_t(reinterpret_cast<intptr_t>(data));
  d[2] = 0;
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    d[3 + i] = shape[i];
    d[3 + shape.size() + i] = stride;
    stride *= shape[i];
  }
  return d;
}

/// The arguments of one __tern_entry_<name> call: args[0] points at the
/// result descriptors (written by the callee; absent with no results),
/// args[1] at the weights' descriptor, args[2 ..] at the inputs'.
class EntryCall {
public:
  /// `inputData[i]` is where input i's elements are (host or device memory).
  EntryCall(const FunctionSignature &f, const void *weights,
            uint64_t weightsBytes, tern_tensor *const *inputs,
            const std::vector<const void *> &inputData)
      : signature(f) {
    size_t blockSize = 0;
    for (const TensorSignature &r : f.results)
      blockSize += 3 + 2 * r.shape.size();
    resultBlock.assign(blockSize, 0);
    weightsDesc = descriptorOf(weights, {int64_t(weightsBytes)});
    for (size_t i = 0; i < f.inputs.size(); ++i)
      inputDescs.push_back(descriptorOf(inputData[i], inputs[i]->shape));
    if (!f.results.empty())
      args.push_back(resultBlock.data());
    args.push_back(weightsDesc.data());
    for (auto &d : inputDescs)
      args.push_back(d.data());
  }

  void operator()(void (*entry)(void **)) { entry(args.data()); }

  /// Result r's descriptor, once the callee has written it.
  const int64_t *result(size_t r) const {
    size_t offset = 0;
    for (size_t i = 0; i < r; ++i)
      offset += 3 + 2 * signature.results[i].shape.size();
    return resultBlock.data() + offset;
  }

private:
  const FunctionSignature &signature;
  std::vector<int64_t> resultBlock, weightsDesc;
  std::vector<std::vector<int64_t>> inputDescs;
  std::vector<void *> args;
};

} // namespace tern::runtime

#endif // TERN_RUNTIME_TENSOR_H
