#!/usr/bin/env bash
# Alternates benchmark commands for ROUNDS rounds (A B A B ...), so that a busy machine slows
# them alike, and prints per command the median over rounds of each reported figure.
# Usage: bench/compare.sh ROUNDS 'label1=command 1' 'label2=command 2' ...   (from the repository root)
set -euo pipefail
rounds="$1"; shift
out=$(mktemp)
for ((r = 1; r <= rounds; r++)); do
  for spec in "$@"; do
    label="${spec%%=*}"; cmd="${spec#*=}"
    line=$(bash -c "$cmd" 2>/dev/null | grep -E '^phase(=|s )' | tr '\n' ' ' || true)
    echo "$label $line" >> "$out"
    echo "round $r $label: $line" >&2
  done
done
/usr/bin/python3 - "$out" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    label, *fields = line.split()
    for f in fields:
        k, _, v = f.partition("=")
        try:
            rows[label][k].append(float(v))
        except ValueError:
            pass
keys = ["median_ms", "min_ms", "cpu_median_ms", "main_thread_cpu_median_ms", "peak_rss_MiB", "rss_before_MiB", "minor_faults_per_step", "user_ms_per_step", "sys_ms_per_step",
        "forward_cpu_ms", "backward_cpu_ms", "update_cpu_ms"]
width = {k: len(k) + 2 for k in keys}
print("label".ljust(14) + "".join(k.ljust(width[k]) for k in keys) + "rounds")
for label, m in rows.items():
    print(label.ljust(14) + "".join((f"{statistics.median(m[k]):.0f}" if m[k] else "-").ljust(width[k]) for k in keys)
          + str(len(m["median_ms"])))
PY
rm -f "$out"
