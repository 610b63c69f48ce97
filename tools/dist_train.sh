#!/usr/bin/env bash
# Multi-process training with torchrun: one process per GPU (NCCL), or per CPU worker (gloo) on a
# machine without GPUs -- the same config either way.
#   tools/dist_train.sh CONFIG NPROC_PER_NODE [tools/train.py arguments ...]
# Multi-node: run on every node with the same MASTER_ADDR/PORT and NNODES, and NODE_RANK=0..NNODES-1:
#   NNODES=2 NODE_RANK=0 MASTER_ADDR=10.0.0.1 PORT=29500 tools/dist_train.sh CONFIG 8
# PYTHON picks the interpreter (default: python).
set -euo pipefail
CONFIG=$1
NPROC=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
TOOLS="$(cd "$(dirname "$0")" && pwd)"
set -x
exec "${PYTHON:-python}" -m torch.distributed.run --nnodes="$NNODES" --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" --master_port="$PORT" --nproc_per_node="$NPROC" \
    "$TOOLS/train.py" "$CONFIG" --launcher pytorch "${@:3}"
