// -O0 .. -O3 all build working artifacts (-O0 skips the LLVM IR optimizer and
// uses the fast instruction selector) with the same numerical result: the
// BitNet layer of Inputs/layer.mlir against a numpy reference of its
// documented math. -O4 is rejected.
// RUN: rm -rf %t && mkdir -p %t
// RUN: ternc -O0 --mcpu=haswell %S/Inputs/layer.mlir -o %t/o0.so
// RUN: ternc -O1 --mcpu=haswell %S/Inputs/layer.mlir -o %t/o1.so
// RUN: ternc -O2 %S/Inputs/layer.mlir -o %t/o2.so
// RUN: ternc -O3 %S/Inputs/layer.mlir -o %t/o3.so
// -O0 IR is not optimized: the C interface is a separate function still
// called from the entry point wrapper.
// RUN: ternc -O0 --mcpu=haswell --emit=llvm %S/Inputs/layer.mlir -o - | FileCheck %s --check-prefix=IR
// IR-LABEL: define void @__tern_entry_layer(
// IR: call void @_mlir_ciface_layer(
// RUN: not ternc -O4 %S/Inputs/layer.mlir -o %t/o4.so 2>&1 | FileCheck %s --check-prefix=O4
// O4: ternc: error: optimization level must be 0 to 3

// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[1, 2, 3, 4, -1, -2, -3, -4], [0.5, 0, 0, 0, 0, 0, 0, -0.25], [0, 0, 0, 0, 0, 0, 0, 0]], np.float32)); np.save('%t/b.npy', np.array([0.5, -1, 2], np.float32))"
// RUN: tern-run %t/o0.so --function=layer --input=@%t/x.npy --input=@%t/b.npy --output=@%t/o0.npy
// RUN: tern-run %t/o1.so --function=layer --input=@%t/x.npy --input=@%t/b.npy --output=@%t/o1.npy
// RUN: tern-run %t/o2.so --function=layer --input=@%t/x.npy --input=@%t/b.npy --output=@%t/o2.npy
// RUN: tern-run %t/o3.so --function=layer --input=@%t/x.npy --input=@%t/b.npy --output=@%t/o3.npy
// Reference: m = max(max|x|, 1e-5); q = clip(rint(x * (127 / m)), -128, 127);
// y = f32(q @ trits^T) * (m / 127) * 0.5 + bias, all in f32.
// RUN: %python -c "import numpy as np; x = np.load('%t/x.npy'); b = np.load('%t/b.npy'); t = np.array([[1, -1, 0, 0, 1, 1, -1, 0], [1, 1, -1, 0, 1, -1, 0, 0], [0, 0, 1, 1, -1, -1, 0, 0]], np.int32); m = np.maximum(np.abs(x).max(1), np.float32(1e-5)); q = np.clip(np.rint(x * (np.float32(127) / m)[:, None]), -128, 127).astype(np.int32); ref = ((q @ t.T).astype(np.float32) * (m / np.float32(127))[:, None] * np.float32(0.5) + b).astype(np.float32); print(np.round(ref.astype(np.float64), 4).tolist()); [print(o, 'OK' if np.allclose(y, ref, rtol=1e-6, atol=1e-6) else 'MISMATCH', y.dtype, y.shape) for o in ['o0', 'o1', 'o2', 'o3'] for y in [np.load('%t/' + o + '.npy')]]" | FileCheck %s
// CHECK: {{\[}}[-0.0197, -0.4803, 7.0079], [0.75, -0.75, 2.0], [0.5, -1.0, 2.0]]
// CHECK-NEXT: o0 OK float32 (3, 3)
// CHECK-NEXT: o1 OK float32 (3, 3)
// CHECK-NEXT: o2 OK float32 (3, 3)
// CHECK-NEXT: o3 OK float32 (3, 3)
