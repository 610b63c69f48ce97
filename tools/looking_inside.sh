#!/usr/bin/env bash
# README "Looking inside": the picture docs/looking_inside.png from the demo's rotation-pretrained
# backbone, and the actor-share numbers the demo measured (random init, pretrained, fine-tuned).
# Runs the demo first when its results are not there (bash tools/run_demo.sh; finished runs are kept).
#   bash tools/looking_inside.sh [PICTURE]        (default: docs/looking_inside.png)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/env.sh
PNG="${1:-docs/looking_inside.png}"
W=work_dirs/demo
[ -f $W/results.json ] || python tools/demo.py
V=data/synthetic/ucf_style/UCF-101
# three test videos of split 1 (groups 1-8 are its test groups), one per row
python tools/visualize_activations.py configs/demo/rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py \
    $W/backbones/rotnet3d.pth $V/Walk/v_Walk_g05_c01.avi $V/JumpingJack/v_JumpingJack_g05_c01.avi \
    $V/FallDown/v_FallDown_g05_c01.avi --out $W/maps --columns 6 --combined "$PNG" --threads 1
python - $W/results.json <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))
for job, found in res['evaluations']['actor_share'].items():
    area = found['actor area']
    print(job.split('/')[-1], f'(actor area {area:.3f}):',
          ', '.join(f'{k} {v:.3f} (x{v / area:.2f})' for k, v in found.items() if k != 'actor area'))
EOF
