//===- TernToGpu.cpp - tern ops to launches of CUDA kernels ---------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// convert-tern-to-gpu: see Passes.td. The kernels are MLIR text
// (Kernels.mlir, Attention.mlir), embedded at build time and parsed into the
// module's gpu.module on first use; this file only decides which kernel runs
// an op and with which pointers, strides and launch shape.
//
//===----------------------------------------------------------------------===//
#include "tern/Conversion/Passes.h"
#include "tern/Conversion/TernToKernels/Buffers.h"
#include "tern/Dialect/Tern/IR/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::tern {
#define GEN_PASS_DEF_CONVERTTERNTOGPUPASS
#include "tern/Conversion/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

constexpr llvm::StringLiteral kLaunchPrefix = "tern.launch.";
constexpr llvm::StringLiteral kLaunchKernelAttr = "tern.launch_kernel";
/// Threads of the row and matrix-vector kernels' blocks.
constexpr int64_t kBlockThreads = 256;

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}
Value i64Const(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}
Value nullPointer(OpBuilder &b, Location loc) {
  return LLVM::ZeroOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()));
}
Value toIndex(OpBuilder &b, Location loc, Value v) {
  return v.getType().isIndex()
             ? v
             : arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}
Value toI64(OpBuilder &b, Location loc, Value v) {
  return v.getType().isIndex()
             ? arith::IndexCastOp::create(b, loc, b.getI64Type(), v)
             : v;
}
/// ceil(v / d) as an index, for grid sizes.
Value ceilDiv(OpBuilder &b, Location loc, Value v, int64_t d) {
  return arith::CeilDivUIOp::create(b, loc, toIndex(b, loc, v),
                                    indexConst(b, loc, d));
}

/// A launch of kernel `name` of Kernels.mlir (or the attention template),
/// as a call of a declaration standing for it: the deallocation passes
/// reject ops of unknown memory effects (gpu.launch_func, and the kernels'
/// NVVM ops), so tern-map-parallel-loops-to-gpu adds the kernels and turns
/// the calls into launches after bufferization (materializeKernelLaunches).
void launch(OpBuilder &b, Location loc, StringRef kernel,
            std::array<Value, 3> grid, int64_t threads, ValueRange args) {
  SmallVector<Value> operands(grid.begin(), grid.end());
  operands.push_back(indexConst(b, loc, threads));
  operands.append(args.begin(), args.end());
  auto module = b.getBlock()->getParentOp()->getParentOfType<ModuleOp>();
  std::string name = (kLaunchPrefix + kernel).str();
  auto callee = module.lookupSymbol<func::FuncOp>(name);
  if (!callee) {
    OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
    callee = func::FuncOp::create(
        mb, loc, name,
        mb.getFunctionType(ValueRange(operands).getTypes(), {}));
    callee.setPrivate();
    callee->setAttr(kLaunchKernelAttr, mb.getStringAttr(kernel));
  }
  func::CallOp::create(b, loc, callee, operands);
}

/// A new buffer of `shape` (dynamic sizes from `dynamicSizes`), 64-byte
/// aligned.
Value alloc(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
            Type elementType, ValueRange dynamicSizes) {
  return memref::AllocOp::create(b, loc, MemRefType::get(shape, elementType),
                                 dynamicSizes, b.getI64IntegerAttr(64));
}

/// A new f32 buffer of `type`'s shape, its dynamic sizes read from `like`.
Value allocLike(OpBuilder &b, Location loc, RankedTensorType type, Value like) {
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(memref::DimOp::create(b, loc, like, d));
  return alloc(b, loc, type.getShape(), b.getF32Type(), dynamicSizes);
}

Value resultTensor(OpBuilder &b, Location loc, Type type, Value buffer) {
  return bufferization::ToTensorOp::create(b, loc, type, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

/// A norm weight for the row kernels: the bf16 or f16 tensor an element-wise
/// widening to f32 reads (as checkpoints store norm weights), read directly
/// so the widening is not a kernel of its own, or the f32 tensor itself.
/// `type` is tern_load_weight's code: 0 f32, 1 bf16, 2 f16.
Value normWeight(Value weight, int64_t &type) {
  type = 0;
  auto generic = weight.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return weight;
  Block &body = generic.getRegion().front();
  auto ext = dyn_cast<arith::ExtFOp>(body.front());
  if (!ext || ext.getIn() != body.getArgument(0) ||
      body.getTerminator()->getOperand(0) != ext.getResult())
    return weight;
  Type source = ext.getIn().getType();
  if (!source.isBF16() && !source.isF16())
    return weight;
  type = source.isBF16() ? 1 : 2;
  return generic.getDpsInputs()[0];
}

/// i2 codes in 64-weight blocks, one row after another: what the kernels read.
bool isGpuLayout(const ::tern::Layout &layout) {
  return layout.encoding == ::tern::Encoding::I2 && layout.block == 64 &&
         layout.order == ::tern::BitOrder::Lsb && layout.rows == 1;
}

/// tern.bitlinear: quantize (with the preceding RMSNorm when it is only
/// used here), then the matrix-vector or tensor-core kernel.
LogicalResult lowerBitLinear(BitLinearOp op) {
  auto inputType = op.getInput().getType();
  ScaleGranularity granularity = op.getGranularity().getGranularity();
  const bool grouped = granularity == ScaleGranularity::Group;
  if (!isGpuLayout(op.getLayout().getLayout()) || inputType.getRank() != 2 ||
      inputType.isDynamicDim(1))
    return success(); // convert-tern-to-linalg takes it
  const int64_t groupSize = grouped ? op.getGranularity().getGroupSize() : 0;
  auto scaleType = cast<RankedTensorType>(op.getWeightScale().getType());
  if (grouped && (groupSize % 32 != 0 || scaleType.getRank() != 2 ||
                  scaleType.isDynamicDim(1)))
    return op.emitOpError()
           << "has scale groups of " << groupSize
           << " weights; the CUDA kernels take a multiple of 32 with static "
              "[N, groups] scales";
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value input = op.getInput();
  RmsNormOp norm = input.getDefiningOp<RmsNormOp>();
  if (norm && (!norm->hasOneUse() || norm.getInput().getType().getRank() != 2))
    norm = {};
  if (norm)
    input = norm.getInput();
  const int64_t k = inputType.getDimSize(1);
  const int64_t paddedK = (k + 63) / 64 * 64;
  const int64_t rows = inputType.getDimSize(0);
  const int64_t n = op.getWeight().getType().getDimSize(0);
  StringRef quantize = "tern_quantize";
  std::string product = rows == 1 ? "tern_gemv_i2" : "tern_gemm_i2";
  if (grouped)
    product += "_g";

  Value x = toBuffer(b, loc, input);
  SmallVector<Value> dynamicRows;
  if (ShapedType::isDynamic(rows))
    dynamicRows.push_back(memref::DimOp::create(b, loc, x, 0));
  Value m = dimAsI64(b, loc, x, 0);
  Value q = alloc(b, loc, {rows, paddedK}, b.getI8Type(), dynamicRows);
  Value xs = alloc(b, loc, {rows}, b.getF32Type(), dynamicRows);
  Value qsum = alloc(b, loc, {rows}, b.getI32Type(), dynamicRows);
  int64_t gType = 0;
  Value g = norm ? pointerOf(b, loc,
                             toBuffer(b, loc, normWeight(norm.getWeight(), gType)))
                 : nullPointer(b, loc);
  float normEpsilon = norm ? norm.getEpsilon().convertToFloat() : 0.0f;
  auto [xPtr, ldx] = pointerAndRowStride(b, loc, x);
  Value kp = i64Const(b, loc, paddedK);
  Value qPtr = pointerOf(b, loc, q), xsPtr = pointerOf(b, loc, xs),
        qsumPtr = pointerOf(b, loc, qsum);
  Value one = indexConst(b, loc, 1);
  launch(b, loc, quantize, {toIndex(b, loc, m), one, one}, kBlockThreads,
         {xPtr, ldx, i64Const(b, loc, k), g, i64Const(b, loc, gType),
          arith::ConstantOp::create(b, loc, b.getF32FloatAttr(normEpsilon)),
          arith::ConstantOp::create(b, loc, op.getEpsilonAttr()), qPtr, kp, kp,
          xsPtr, qsumPtr});

  auto [wPtr, rowBytes] = pointerAndRowStride(b, loc, toBuffer(b, loc, op.getWeight()));
  Value ws = pointerOf(b, loc, toBuffer(b, loc, op.getWeightScale()));
  Value wsStride =
      i64Const(b, loc, granularity == ScaleGranularity::PerRow ? 1 : 0);
  Value bias = op.getBias() ? pointerOf(b, loc, toBuffer(b, loc, op.getBias()))
                            : nullPointer(b, loc);
  Value y = alloc(b, loc, {rows, n}, b.getF32Type(), dynamicRows);
  Value yPtr = pointerOf(b, loc, y);
  Value nValue = i64Const(b, loc, n);
  // A residual add after the layer is the kernel's last step.
  Value residual;
  linalg::AddOp add = residualAddOf(op, op.getOutput(), residual);
  Value res = nullPointer(b, loc), ldr = i64Const(b, loc, 0);
  if (add)
    std::tie(res, ldr) =
        pointerAndRowStride(b, loc, toBuffer(b, loc, residual));
  // Per-tensor and per-row scales apply once per output, after the row's
  // code offset (qsum) is taken back; group scales apply per group.
  SmallVector<Value> args =
      grouped ? SmallVector<Value>{qPtr, kp, xsPtr, wPtr, rowBytes, ws,
                                   i64Const(b, loc, groupSize),
                                   i64Const(b, loc, scaleType.getDimSize(1)),
                                   bias, res, ldr, yPtr, nValue}
              : SmallVector<Value>{qPtr, kp, qsumPtr, xsPtr, wPtr, rowBytes,
                                   ws, wsStride, bias, res, ldr, yPtr, nValue};
  if (rows == 1) {
    args.push_back(nValue);
    launch(b, loc, product, {ceilDiv(b, loc, nValue, 8), toIndex(b, loc, m), one},
           kBlockThreads, args);
  } else {
    args.append({m, nValue});
    launch(b, loc, product,
           {ceilDiv(b, loc, nValue, 128), ceilDiv(b, loc, m, 16), one}, 128,
           args);
  }
  op.getOutput().replaceAllUsesWith(
      resultTensor(b, loc, op.getOutput().getType(), y));
  op.erase();
  if (add)
    removeFusedAdd(add, residual);
  if (norm)
    norm.erase();
  return success();
}

LogicalResult lowerRmsNorm(RmsNormOp op) {
  auto type = op.getInput().getType();
  if (type.getRank() != 2)
    return success();
  OpBuilder b(op);
  Location loc = op.getLoc();
  StringRef kernel = "tern_rms_norm";
  int64_t gType = 0;
  Value x = toBuffer(b, loc, op.getInput());
  Value y = allocLike(b, loc, type, x);
  auto [xPtr, ldx] = pointerAndRowStride(b, loc, x);
  auto [yPtr, ldy] = pointerAndRowStride(b, loc, y);
  Value one = indexConst(b, loc, 1);
  launch(b, loc, kernel, {toIndex(b, loc, dimAsI64(b, loc, x, 0)), one, one},
         kBlockThreads,
         {xPtr, ldx, dimAsI64(b, loc, x, 1),
          pointerOf(b, loc, toBuffer(b, loc, normWeight(op.getWeight(), gType))),
          i64Const(b, loc, gType),
          arith::ConstantOp::create(b, loc, op.getEpsilonAttr()), yPtr, ldy});
  op.getOutput().replaceAllUsesWith(resultTensor(b, loc, type, y));
  op.erase();
  return success();
}

LogicalResult lowerRope(RopeOp op) {
  auto type = op.getInput().getType();
  int64_t dim = type.getRank() == 3 ? type.getDimSize(2) : ShapedType::kDynamic;
  if (ShapedType::isDynamic(dim) || dim % 2 != 0)
    return success();
  OpBuilder b(op);
  Location loc = op.getLoc();
  StringRef kernel = "tern_rope";
  // freq_i = theta^(-2i / D), computed here once, as the op defines it.
  SmallVector<float> inverseFrequencies;
  double theta = op.getTheta().convertToFloat();
  for (int64_t i = 0; i < dim / 2; ++i)
    inverseFrequencies.push_back(
        float(std::pow(theta, -2.0 * double(i) / double(dim))));
  auto freqType = RankedTensorType::get({dim / 2}, b.getF32Type());
  Value freqs = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(freqType, ArrayRef(inverseFrequencies)));
  Value x = toBuffer(b, loc, op.getInput());
  Value positions = toBuffer(b, loc, op.getPositions());
  Value y = allocLike(b, loc, type, x);
  Value tokens = dimAsI64(b, loc, x, 0), heads = dimAsI64(b, loc, x, 1);
  Value pairs = arith::MulIOp::create(
      b, loc, arith::MulIOp::create(b, loc, tokens, heads),
      i64Const(b, loc, dim / 2));
  int64_t positionBytes =
      op.getPositions().getType().getElementType().getIntOrFloatBitWidth() / 8;
  Value one = indexConst(b, loc, 1);
  launch(b, loc, kernel, {ceilDiv(b, loc, pairs, kBlockThreads), one, one},
         kBlockThreads,
         {pointerOf(b, loc, x), strideAsI64(b, loc, x, 0),
          strideAsI64(b, loc, x, 1), pointerOf(b, loc, positions),
          i64Const(b, loc, positionBytes),
          pointerOf(b, loc, toBuffer(b, loc, freqs)), pointerOf(b, loc, y),
          tokens, heads, i64Const(b, loc, dim),
          i64Const(b, loc, op.getStyle() == RopeStyle::Interleaved ? 1 : 0)});
  op.getOutput().replaceAllUsesWith(resultTensor(b, loc, type, y));
  op.erase();
  return success();
}

LogicalResult lowerAttention(AttentionOp op) {
  auto queryType = op.getQuery().getType();
  int64_t headDim = queryType.getDimSize(2);
  if (ShapedType::isDynamic(headDim) || headDim % 32 != 0 || headDim > 256)
    return op.emitOpError() << "has heads of " << headDim
                            << " elements; the CUDA attention kernel takes a "
                               "static multiple of 32 up to 256";
  if (op.getKeyCache().getType() != op.getValueCache().getType())
    return op.emitOpError() << "needs key and value caches of one shape on CUDA";
  OpBuilder b(op);
  Location loc = op.getLoc();
  std::string kernel = "tern_attention_d" + std::to_string(headDim);
  AttentionCaches caches = updateAttentionCaches(b, op);
  Value query = toBuffer(b, loc, op.getQuery());
  Value kc = toBuffer(b, loc, caches.keyCache);
  Value vc = toBuffer(b, loc, caches.valueCache);
  Value out = allocLike(b, loc, queryType, query);
  float scale = op.getScale() ? op.getScale()->convertToFloat()
                              : 1.0f / std::sqrt(float(headDim));
  auto compute = scf::IfOp::create(b, loc, TypeRange{}, caches.inRange,
                                   /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&compute.getThenRegion().front());
    launch(b, loc, kernel,
           {toIndex(b, loc, caches.heads), toIndex(b, loc, caches.tokens),
            indexConst(b, loc, 1)},
           128,
           {pointerOf(b, loc, query), strideAsI64(b, loc, query, 0),
            strideAsI64(b, loc, query, 1), pointerOf(b, loc, kc),
            pointerOf(b, loc, vc), strideAsI64(b, loc, kc, 0),
            strideAsI64(b, loc, kc, 1), caches.p0, caches.tokens,
            caches.heads, caches.kvHeads, caches.capacity,
            arith::ConstantOp::create(b, loc, b.getF32FloatAttr(scale)),
            pointerOf(b, loc, out), strideAsI64(b, loc, out, 0),
            strideAsI64(b, loc, out, 1)});
    b.setInsertionPointToStart(&compute.getElseRegion().front());
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0));
    linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{out});
  }
  op.getOutput().replaceAllUsesWith(resultTensor(b, loc, queryType, out));
  op.getNewKeyCache().replaceAllUsesWith(caches.keyCache);
  op.getNewValueCache().replaceAllUsesWith(caches.valueCache);
  op.erase();
  return success();
}

LogicalResult lowerLinear(LinearOp op) {
  auto weightType = op.getWeight().getType();
  Type element = weightType.getElementType();
  int64_t wtype = element.isF32()    ? 0
                  : element.isBF16() ? 1
                  : element.isF16()  ? 2
                                     : 3;
  OpBuilder b(op);
  Location loc = op.getLoc();
  StringRef kernel = "tern_linear";
  Value x = toBuffer(b, loc, op.getInput());
  Value w = toBuffer(b, loc, op.getWeight());
  auto resultType = op.getOutput().getType();
  SmallVector<Value> dynamicSizes;
  if (resultType.isDynamicDim(0))
    dynamicSizes.push_back(memref::DimOp::create(b, loc, x, 0));
  if (resultType.isDynamicDim(1))
    dynamicSizes.push_back(memref::DimOp::create(b, loc, w, 0));
  Value y = alloc(b, loc, resultType.getShape(), b.getF32Type(), dynamicSizes);
  auto [xPtr, ldx] = pointerAndRowStride(b, loc, x);
  auto [wPtr, ldw] = pointerAndRowStride(b, loc, w);
  auto [yPtr, ldy] = pointerAndRowStride(b, loc, y);
  Value scale = op.getScale()
                    ? pointerOf(b, loc, toBuffer(b, loc, op.getScale()))
                    : nullPointer(b, loc);
  Value n = dimAsI64(b, loc, w, 0);
  Value one = indexConst(b, loc, 1);
  launch(b, loc, kernel, {ceilDiv(b, loc, n, 8), one, one}, kBlockThreads,
         {xPtr, ldx, wPtr, ldw, i64Const(b, loc, wtype), scale, yPtr, ldy,
          dimAsI64(b, loc, x, 0), n, dimAsI64(b, loc, x, 1)});
  op.getOutput().replaceAllUsesWith(resultTensor(b, loc, resultType, y));
  op.erase();
  return success();
}

/// quantize -> matmul -> dequantize (an imported graph's bit-linear layer:
/// the matmul used only by the dequantize, whose row scale is the quantize's
/// scale) becomes the tern.bitlinear it spells out, for lowerBitLinear. The
/// quantize stays if something else reads it.
/// Any other tern.matmul is an error: the CUDA kernels produce f32.
LogicalResult foldQuantizedMatmul(MatmulOp matmul) {
  auto quantize = matmul.getLhs().getDefiningOp<QuantizeOp>();
  DequantizeOp dequantize =
      matmul->hasOneUse() ? dyn_cast<DequantizeOp>(*matmul->user_begin())
                          : DequantizeOp();
  if (!quantize || !dequantize ||
      !dequantize.getColScale() ||
      dequantize.getRowScale() != quantize.getScale() ||
      quantize.getInput().getType().getElementType() !=
          Float32Type::get(matmul.getContext()))
    return matmul.emitOpError()
           << "on CUDA must be a bit-linear layer: the tern.quantize of "
              "f32 activations, this matmul, and a tern.dequantize by the "
              "quantize's scale and a weight scale";
  OpBuilder b(dequantize);
  auto colScaleType = cast<RankedTensorType>(dequantize.getColScale().getType());
  auto granularity = ScaleAttr::get(
      b.getContext(), colScaleType.getRank() == 1 ? ScaleGranularity::PerRow
                                                  : ScaleGranularity::PerTensor);
  auto bitlinear = BitLinearOp::create(
      b, dequantize.getLoc(), dequantize.getOutput().getType(),
      quantize.getInput(), matmul.getWeight(), dequantize.getColScale(),
      /*bias=*/Value(), matmul.getKindAttr(), matmul.getLayoutAttr(),
      granularity, quantize.getEpsilonAttr());
  dequantize.getOutput().replaceAllUsesWith(bitlinear.getOutput());
  dequantize.erase();
  matmul.erase();
  if (quantize.getScale().use_empty() && quantize.getOutput().use_empty())
    quantize.erase();
  return success();
}

struct ConvertTernToGpuPass
    : public mlir::tern::impl::ConvertTernToGpuPassBase<ConvertTernToGpuPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool failed = false;
    SmallVector<MatmulOp> matmuls;
    module.walk([&](MatmulOp op) { matmuls.push_back(op); });
    for (MatmulOp op : matmuls)
      failed |= mlir::failed(foldQuantizedMatmul(op));
    if (failed)
      return signalPassFailure();
    // Bit-linear layers first: they absorb the norms feeding them.
    SmallVector<BitLinearOp> bitlinears;
    module.walk([&](BitLinearOp op) { bitlinears.push_back(op); });
    for (BitLinearOp op : bitlinears)
      failed |= mlir::failed(lowerBitLinear(op));
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<RmsNormOp, RopeOp, AttentionOp, LinearOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      LogicalResult result =
          TypeSwitch<Operation *, LogicalResult>(op)
              .Case([&](RmsNormOp op) { return lowerRmsNorm(op); })
              .Case([&](RopeOp op) { return lowerRope(op); })
              .Case([&](AttentionOp op) { return lowerAttention(op); })
              .Case([&](LinearOp op) { return lowerLinear(op); });
      failed |= mlir::failed(result);
    }
    if (failed)
      signalPassFailure();
  }
};

} // namespace
