# Sourced by djl.sh and torch.sh: the memory allocator and OpenMP settings of a run.
# BENCH_MALLOC=launcher (djl.sh's default) does what the difflab launcher does
# (platform/cli/src/dist/bin/difflab): Debian's libjemalloc2 preloaded with a 10 s page decay when
# installed, else glibc kept from trimming and mmap-ing tensor-sized blocks. BENCH_MALLOC=jemalloc
# insists on jemalloc; BENCH_MALLOC=glibc (torch.sh's default) leaves glibc's defaults.
# OMP_WAIT_POLICY=PASSIVE as in the launcher, for both engines (same libgomp), unless set.
jemalloc_lib=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
case "${BENCH_MALLOC:-glibc}" in
  jemalloc)
    [[ -f "$jemalloc_lib" ]] || { echo "BENCH_MALLOC=jemalloc needs $jemalloc_lib (apt-get install libjemalloc2)" >&2; exit 2; }
    export LD_PRELOAD="$jemalloc_lib" MALLOC_CONF="dirty_decay_ms:10000,muzzy_decay_ms:10000,oversize_threshold:0" ;;
  launcher)
    if [[ -f "$jemalloc_lib" ]]; then
      export LD_PRELOAD="$jemalloc_lib" MALLOC_CONF="dirty_decay_ms:10000,muzzy_decay_ms:10000,oversize_threshold:0"
    else
      export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296
    fi ;;
  glibc) ;;
  *) echo "BENCH_MALLOC must be launcher, jemalloc or glibc" >&2; exit 2 ;;
esac
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# The launcher's JVM collector (djl.sh uses it unless BENCH_JAVA_OPTS names another)
case " ${BENCH_JAVA_OPTS:-} " in
  *" -XX:+Use"*GC" "*) launcher_gc= ;;
  *) launcher_gc="-XX:+UseSerialGC -Xmn16m" ;;
esac
