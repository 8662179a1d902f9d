#!/bin/sh
# Rebuild kernels.wasm from kernels.c (needs clang and wasm-ld: apt-get install clang lld).
# The module imports the tfjs wasm backend's memory and must own none of it: no data, no stack.
set -eu
cd "$(dirname "$0")"
clang --target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -ffreestanding -fno-builtin \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--import-memory -Wl,--strip-all -Wl,-z,stack-size=0 -Wl,--global-base=0 \
  -o kernels.wasm kernels.c
# Refuse a build that touches its own stack or data (it would write into the backend's heap).
if command -v wasm-objdump >/dev/null 2>&1; then
  if wasm-objdump -x kernels.wasm | grep -q '^Data' || wasm-objdump -d kernels.wasm | grep -q 'global\.'; then
    echo "kernels.wasm uses a stack or static data: rewrite the kernel without them" >&2
    exit 1
  fi
fi
ls -l kernels.wasm
