{
  "targets": [
    {
      "target_name": "bitnet_ternary",
      "sources": [
        "src/addon.c",
        "src/custom_op.c",
        "src/isa.c",
        "src/quantize_activations.c",
        "src/ternary_matmul.c",
        "src/thread_pool.c",
        "src/kernel_scalar.c",
        "src/kernel_avx2.c",
        "src/kernel_avx512.c",
        "src/kernel_neon.c"
      ],
      "cflags": ["-O3", "-std=gnu11", "-fno-strict-aliasing", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags!": ["-O2"],
      "libraries": ["-ldl", "-lpthread", "-lm"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=gnu11"] }
    }
  ]
}
