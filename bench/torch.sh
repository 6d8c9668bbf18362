#!/usr/bin/env bash
# Runs bench/unet_torch.py with Debian's python3-torch on THREADS threads.
# Usage: [BENCH_MALLOC=glibc|jemalloc|launcher] bench/torch.sh THREADS --phase train|sample [--key value ...]
set -euo pipefail
threads="$1"; shift
cd "$(dirname "$0")/.."
source bench/malloc.sh
export OMP_NUM_THREADS="$threads"
exec /usr/bin/python3 bench/unet_torch.py --threads "$threads" "$@"
