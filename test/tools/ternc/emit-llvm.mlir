// ternc --emit=llvm prints the optimized LLVM IR of the artifact: the header
// @__tern_metadata (format version 1, triple and CPU, the CPU features the
// code needs, the embedded weights' size and FNV-1a checksum, the entry
// point's signature), the weights blob @__tern_weights (64-byte aligned; the
// 160 bytes of Inputs/layer.mlir for haswell, whose checksum is
// 7fba7deaa65a785b), the parallel-for hook and the entry point wrapper
// __tern_entry_layer that calls _mlir_ciface_layer. Functions carry the target
// CPU. With external weights the header names OUT.weights and there is no
// @__tern_weights.
// RUN: ternc --emit=llvm --mcpu=haswell %S/Inputs/layer.mlir -o %t.ll
// RUN: FileCheck %s --input-file=%t.ll
// RUN: ternc --emit=llvm --mcpu=haswell --weights=external %S/Inputs/layer.mlir -o %t.ext.ll
// RUN: FileCheck %s --input-file=%t.ext.ll --check-prefix=EXT

// CHECK: target triple = "x86_64-unknown-linux-gnu"
// CHECK: @__tern_parallel_for = {{.*}}global ptr null
// CHECK: @__tern_metadata = {{.*}}constant [206 x i8] c"tern-artifact 1\0Atarget x86_64-unknown-linux-gnu haswell\0Afeatures sse4.2,avx,fma,f16c,avx2,bmi2\0Aweights embedded 160 7fba7deaa65a785b\0Afunction layer 2 1\0Ainput f32 2 -1 8\0Ainput f32 1 3\0Aresult f32 2 -1 3\0Aend\0A\00", align 8
// CHECK: @__tern_weights = {{.*}}constant [160 x i8] c"\00\00\00?\00{{.*}}VTUUVVTUUUUUUUUUUUUUUUUUUUUUUUUUVVTUVTUUUUUUUUUUUUUUUUUUUUUUUUUUUUVVTTUUUUUUUUUUUUUUUUUUUUUUUUUU", align 64
// CHECK: define {{.*}} @layer(
// CHECK: define void @_mlir_ciface_layer(
// CHECK: define internal void @tern_matmul_avx2_i2_128_lsb_r4_dq_task(
// CHECK: define internal {{.*}}void @tern_matmul_avx2_i2_128_lsb_r4_dq(
// CHECK: declare <16 x i16> @llvm.x86.avx2.pmadd.ub.sw(<32 x i8>, <32 x i8>)
// CHECK: define void @__tern_entry_layer(ptr {{.*}}%0)
// CHECK: call {{.*}} @{{(_mlir_ciface_)?}}layer(
// CHECK: attributes #{{[0-9]+}} = { "target-cpu"="haswell"

// EXT: @__tern_metadata = {{.*}}c"tern-artifact 1\0Atarget x86_64-unknown-linux-gnu haswell\0Afeatures sse4.2,avx,fma,f16c,avx2,bmi2\0Aweights external {{.*}}.ext.ll.weights 160 7fba7deaa65a785b\0Afunction layer 2 1\0A
// EXT-NOT: @__tern_weights
// EXT: define void @__tern_entry_layer(
