#!/bin/sh
# Spark's resource discovery for GPUs (spark.worker.resource.gpu.discoveryScript on standalone
# workers, spark.executor.resource.gpu.discoveryScript for executors): prints this machine's
# NVIDIA GPUs as {"name": "gpu", "addresses": ["0", "1", ...]}. Needs nvidia-smi on the PATH.
set -e
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | sed 's/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
