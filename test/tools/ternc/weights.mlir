// Where ternc puts the weights. For haswell the blob of Inputs/layer.mlir is
// 160 bytes (gamma at 0, three rows of 32 packed bytes from 64).
//  --weights=embed     in the library (__tern_weights); no sidecar file.
//  --weights=external  in OUT.weights beside OUT, exactly the blob; the
//                      header names the file (relative) and its size and
//                      checksum; the library has no __tern_weights.
//  --weights=auto      (the default) embeds up to --weights-threshold bytes
//                      (64 MiB by default), else external: threshold 160
//                      embeds, 159 and 0 go external.
// Both kinds of artifact load and give the same result.
// RUN: rm -rf %t && mkdir -p %t
// RUN: ternc --mcpu=haswell --weights=embed %S/Inputs/layer.mlir -o %t/embed.so
// RUN: ternc --mcpu=haswell --weights=external %S/Inputs/layer.mlir -o %t/external.so
// RUN: ternc --mcpu=haswell %S/Inputs/layer.mlir -o %t/auto.so
// RUN: ternc --mcpu=haswell --weights=auto --weights-threshold=160 %S/Inputs/layer.mlir -o %t/auto160.so
// RUN: ternc --mcpu=haswell --weights=auto --weights-threshold=159 %S/Inputs/layer.mlir -o %t/auto159.so
// RUN: ternc --mcpu=haswell --weights-threshold=0 %S/Inputs/layer.mlir -o %t/auto0.so
// RUN: ls %t | FileCheck %s --check-prefix=FILES
// FILES: {{^}}auto.so{{$}}
// FILES-NEXT: {{^}}auto0.so{{$}}
// FILES-NEXT: {{^}}auto0.so.weights{{$}}
// FILES-NEXT: {{^}}auto159.so{{$}}
// FILES-NEXT: {{^}}auto159.so.weights{{$}}
// FILES-NEXT: {{^}}auto160.so{{$}}
// FILES-NEXT: {{^}}embed.so{{$}}
// FILES-NEXT: {{^}}external.so{{$}}
// FILES-NEXT: {{^}}external.so.weights{{$}}
// FILES-NOT: {{.}}

// The sidecar holds exactly the blob, and its checksum (64-bit FNV-1a over
// 8-byte little-endian words, then the tail bytes, then the length) is the
// one in the header, which names the file without a directory.
// RUN: %python -c "import struct, sys; d = open(sys.argv[1], 'rb').read(); h = 0xcbf29ce484222325; M = (1 << 64) - 1; n = len(d) // 8 * 8; ws = [struct.unpack('<Q', d[i:i + 8])[0] for i in range(0, n, 8)] + list(d[n:]); [h := ((h ^ w) * 0x100000001b3) & M for w in ws]; h = ((h ^ len(d)) * 0x100000001b3) & M; print(len(d), '%%016x' %% h, d[:4].hex(), d[64:72])" %t/external.so.weights | FileCheck %s --check-prefix=BLOB
// BLOB: 160 7fba7deaa65a785b 0000003f b'VTUUVVTU'
// RUN: cmp %t/external.so.weights %t/auto0.so.weights
// RUN: %python -c "import sys; d = open(sys.argv[1], 'rb').read(); i = d.find(b'tern-artifact 1'); print(d[i:d.find(b'end', i)].decode())" %t/external.so | FileCheck %s --check-prefix=HEADER-EXT
// HEADER-EXT: weights external external.so.weights 160 7fba7deaa65a785b
// RUN: %python -c "import sys; d = open(sys.argv[1], 'rb').read(); i = d.find(b'tern-artifact 1'); print(d[i:d.find(b'end', i)].decode())" %t/embed.so | FileCheck %s --check-prefix=HEADER-EMBED
// HEADER-EMBED: weights embedded 160 7fba7deaa65a785b

// RUN: llvm-nm -D --defined-only %t/embed.so | FileCheck %s --check-prefix=NM-EMBED
// NM-EMBED: R __tern_weights
// RUN: llvm-nm -D --defined-only %t/external.so | FileCheck %s --check-prefix=NM-EXT
// NM-EXT-NOT: __tern_weights
// NM-EXT: T __tern_entry_layer
// NM-EXT-NOT: __tern_weights

// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[1, 2, 3, 4, -1, -2, -3, -4], [0.5, 0, 0, 0, 0, 0, 0, -0.25]], np.float32)); np.save('%t/b.npy', np.array([0.5, -1, 2], np.float32))"
// RUN: tern-run %t/embed.so --function=layer --input=@%t/x.npy --input=@%t/b.npy --output=@%t/y-embed.npy
// RUN: tern-run %t/external.so --function=layer --input=@%t/x.npy --input=@%t/b.npy --output=@%t/y-external.npy
// RUN: cmp %t/y-embed.npy %t/y-external.npy
// External weights are read into huge-page memory by default; with
// TERN_WEIGHTS_MMAP set the runtime maps the file instead, same results.
// RUN: env TERN_WEIGHTS_MMAP=1 tern-run %t/external.so --function=layer --input=@%t/x.npy --input=@%t/b.npy --output=@%t/y-mmap.npy
// RUN: cmp %t/y-embed.npy %t/y-mmap.npy
