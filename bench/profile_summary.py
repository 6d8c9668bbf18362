"""Self time per operator from a PyTorch profiler Chrome trace (DJL's JniUtils.stopProfile or torch's export_chrome_trace).

Usage: python3 bench/profile_summary.py TRACE.json [TOP]
"""
import json
import sys
from collections import defaultdict


def main():
    with open(sys.argv[1]) as f:
        text = f.read().strip()
    if text.endswith(","):
        text = text[:-1]
    if not text.endswith("]") and not text.endswith("}"):
        text += "]"
    data = json.loads(text)
    events = data["traceEvents"] if isinstance(data, dict) else data
    events = [e for e in events if e.get("ph") == "X" and "dur" in e]
    by_thread = defaultdict(list)
    for e in events:
        by_thread[e.get("tid")].append(e)
    self_time, calls, total = defaultdict(float), defaultdict(int), 0.0
    for evs in by_thread.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # (end, name, child_time)
        def pop():
            end, name, child = stack.pop()
            return name, child
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                stack.pop()
            if stack:
                stack[-1][2] += dur
            else:
                total += dur
            stack.append([ts + dur, e["name"], 0.0])
            self_time[e["name"]] += dur
            calls[e["name"]] += 1
        # subtract children: second pass
    child_time = defaultdict(float)
    for evs in by_thread.values():
        stack = []
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                stack.pop()
            if stack:
                child_time[stack[-1][1]] += dur
            stack.append((ts + dur, e["name"]))
    rows = sorted(((self_time[n] - child_time[n], calls[n], n) for n in self_time), reverse=True)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    print(f"top-level time {total / 1000:.1f} ms")
    for s, c, n in rows[:top]:
        print(f"{s / 1000:10.1f} ms {c:7d}  {n}")


if __name__ == "__main__":
    main()
