#!/usr/bin/env bash
# The ARM paths' correctness, here on x86: cross-compile the kernel and test/kernel_check.c for aarch64 and
# run it under qemu-user, once on a CPU model with the dot-product extension (neon and neon-dotprod) and
# once on one without (neon only). Speed on ARM can only be measured on ARM hardware.
# Needs Debian's gcc-aarch64-linux-gnu and qemu-user (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
aarch64-linux-gnu-gcc -O2 -std=gnu11 -static -pthread -o "$out/kernel_check" test/kernel_check.c \
  src/isa.c src/quantize_activations.c src/ternary_matmul.c src/thread_pool.c src/kernel_scalar.c src/kernel_neon.c -lm
qemu=$(command -v qemu-aarch64 || command -v qemu-aarch64-static)
echo "with dotprod (qemu -cpu max):"
"$qemu" -cpu max "$out/kernel_check"
echo "without dotprod (qemu -cpu cortex-a53):"
"$qemu" -cpu cortex-a53 "$out/kernel_check"
