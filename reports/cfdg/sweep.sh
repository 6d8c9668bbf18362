#!/bin/sh
# Regenerates reports/cfdg/ from real runs. Trains the classifier-free guidance model of
# experiments/cfdg-fashion-mnist.yaml ONCE, at a budget for 2 CPU cores (the --set overrides below),
# then samples and evaluates that one checkpoint at every guidance scale with `difflab run --resume`
# (no further training step), copies what each run logged into runs/ and grids/, and writes
# README.md and the plot from those files. From the repository root:
#   reports/cfdg/sweep.sh
# Run folders go to runs/cfdg-sweep/ and the MLflow records to ./mlruns (both git-ignored).
set -euf   # -f: the [1,2,2] in the overrides are values, not file patterns
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$ROOT"
REPORT=reports/cfdg
RUNS=runs/cfdg-sweep
SCALES=${CFDG_SCALES:-"0 1 1.5 2 3 5"}
TRAIN_STEPS=1500
BUDGET="--set train.steps=$TRAIN_STEPS --set train.batch_size=64 --set train.lr=5.0e-4 --set train.warmup_steps=100
 --set train.ema_decay=0.995 --set train.checkpoint_every=500 --set estimator.base_channels=32
 --set estimator.channel_mult=[1,2,2] --set estimator.num_res_blocks=1 --set estimator.attention_resolutions=[7]
 --set estimator.dropout=0 --set sampler.name=ddim --set sampler.steps=25 --set sample.count=250
 --set sample.batch_size=250"
BUDGET=$(echo $BUDGET)   # one line
SPEC=experiments/cfdg-fashion-mnist.yaml

if [ -e "$RUNS" ]; then
  echo "sweep.sh: $RUNS exists; move it away to start a new sweep" >&2
  exit 1
fi
mkdir -p "$REPORT/runs" "$REPORT/grids"
rm -f "$REPORT"/runs/s-*.properties "$REPORT"/grids/s-*.png
FACTS=$REPORT/runs/sweep.properties
{
  echo "command=reports/cfdg/sweep.sh"
  echo "workdir=the repository root"
  echo "commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- platform plugins datasets experiments || echo ' (with local changes)')"
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine=$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), shared: load average $(cut -d' ' -f1 /proc/loadavg) at the start)"
  echo "train.steps=$TRAIN_STEPS"
  echo "budget=\`$BUDGET\` over the spec: a U-Net of 32 base channels with one residual block per level, $TRAIN_STEPS steps of batch 64, DDIM with 25 steps (eta = 0), 250 samples per scale."
} > "$FACTS"

# 1. train once (one sample only, no metrics: the scales below do the sampling)
TRAIN="./difflab run $SPEC --runs-dir $RUNS $BUDGET --set sample.count=1 --set sample.batch_size=1 --set metrics=[]"
echo "run.0=$TRAIN" >> "$FACTS"
started=$(date +%s)
$TRAIN
echo "train.seconds=$(( $(date +%s) - started ))" >> "$FACTS"

# 2. the same checkpoint at every scale
i=1
for s in $SCALES; do
  SAMPLE="./difflab run $SPEC --runs-dir $RUNS --resume $BUDGET --set guidance.scale=$s"
  echo "run.$i=$SAMPLE" >> "$FACTS"
  $SAMPLE
  run=$(ls -d "$RUNS"/*/ | tail -n 1)
  cp "$run/results.properties" "$REPORT/runs/s-$s.properties"
  cp "$run/samples.png" "$REPORT/grids/s-$s.png"
  i=$((i + 1))
done

# 3. the page and the plot, from the copied results
./mvnw -q -pl plugins/cfdg -am -Pcfdg-report -DskipTests verify
