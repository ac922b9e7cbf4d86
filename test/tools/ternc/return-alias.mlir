// Entry points whose result is not a fresh buffer: one returns its argument,
// one returns a constant. Both compile (the result is copied into a buffer
// the caller owns) and return the right values; the input is untouched.
// RUN: rm -rf %t && mkdir -p %t
// RUN: ternc --mcpu=haswell %s -o %t/alias.so
// RUN: tern-run %t/alias.so --list | FileCheck %s --check-prefix=LIST
// LIST: {{^}}identity(f32[4]) -> (f32[4]){{$}}
// LIST-NEXT: {{^}}constant(f32[4]) -> (f32[4]){{$}}
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([1.5, -2, 3, 0.25], np.float32))"
// RUN: tern-run %t/alias.so --function=identity --input=@%t/x.npy --output=@%t/id.npy
// RUN: tern-run %t/alias.so --function=constant --input=@%t/x.npy --output=@%t/cst.npy
// RUN: %python -c "import numpy as np; print(np.load('%t/id.npy').tolist(), np.load('%t/cst.npy').tolist(), np.load('%t/x.npy').tolist())" | FileCheck %s
// CHECK: [1.5, -2.0, 3.0, 0.25] [7.0, 8.0, 9.0, 10.0] [1.5, -2.0, 3.0, 0.25]
func.func @identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @constant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<[7.0, 8.0, 9.0, 10.0]> : tensor<4xf32>
  return %c : tensor<4xf32>
}
