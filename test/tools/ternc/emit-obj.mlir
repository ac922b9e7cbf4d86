// ternc --emit=obj writes a relocatable x86-64 ELF object that defines the
// entry point wrapper, the header and the weights, keeps the kernels local
// and leaves malloc/free to the loader.
// RUN: rm -f %t.o && ternc --emit=obj --mcpu=haswell %S/Inputs/layer.mlir -o %t.o
// RUN: llvm-nm %t.o | FileCheck %s
// RUN: llvm-objdump -f %t.o | FileCheck %s --check-prefix=FORMAT

// CHECK-DAG: {{^[0-9a-f]+}} T __tern_entry_layer
// CHECK-DAG: {{^[0-9a-f]+}} R __tern_metadata
// CHECK-DAG: {{^[0-9a-f]+}} R __tern_weights
// CHECK-DAG: {{^[0-9a-f]+}} B __tern_parallel_for
// CHECK-DAG: {{^[0-9a-f]+}} T _mlir_ciface_layer
// CHECK-DAG: {{^[0-9a-f]+}} t tern_matmul_avx2_i2_128_lsb_r4_dq
// CHECK-DAG: {{^[0-9a-f]+}} t tern_matmul_avx2_i2_128_lsb_r4_dq_task
// CHECK-DAG: U malloc
// CHECK-DAG: U free

// FORMAT: file format elf64-x86-64
// FORMAT: architecture: x86_64
