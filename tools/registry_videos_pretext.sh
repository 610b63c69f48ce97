#!/usr/bin/env bash
# What does the pretext learn on real footage? (README "What does the pretext learn?") Segments of videos shipped in
# registry packages (tools/data/registry_videos/build_file_list.py); the demo's narrow R3D-18 rotation-pretrained on
# the training segments for STEPS steps as plain 3DRotNet, on residual frames, and with random-resized crops; each
# audited (tools/audit_pretext.py) on the training segments (which cues the learnt solution uses), on the held-out
# scenes (whether it generalises) and on footage without an "up" (fish filmed from above).
#   bash tools/registry_videos_pretext.sh [WORK_DIR] [STEPS]      (default work_dirs/registry_videos, 500)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/env.sh
D=data/registry_videos
W=${1:-work_dirs/registry_videos}
STEPS=${2:-500}
WARMUP=$(( STEPS / 10 ))
[ -f $D/sources.json ] || python tools/data/registry_videos/build_file_list.py --out $D
declare -A CONFIGS=(
    [rotnet3d]=configs/demo/rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py
    [rotnet3d-residual]=configs/demo/rotnet3d_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-residual.py
    [rotnet3d-rrc]=configs/demo/rotnet3d-rrc_r3d18-narrow_1xb8-8x4x1-1200it_synthetic-kinetics-rgb.py
)
for name in rotnet3d rotnet3d-residual rotnet3d-rrc; do
    config=${CONFIGS[$name]}
    options=(
        randomness.seed=0 train_cfg.max_iters=$STEPS train_cfg.val_interval=$STEPS
        param_scheduler.0.end=$WARMUP param_scheduler.1.begin=$WARMUP param_scheduler.1.end=$STEPS
        train_dataloader.dataset.ann_file=$D/train_list.txt train_dataloader.dataset.data_prefix.video=$D/videos
        val_dataloader.dataset.ann_file=$D/val_list.txt val_dataloader.dataset.data_prefix.video=$D/videos
    )
    [ -f $W/$name/iter_$STEPS.pth ] || python tools/train.py $config --work-dir $W/$name --cfg-options "${options[@]}"
    for kind in train val no_up; do
        [ -f $W/$name/audit_$kind/audit.json ] || python tools/audit_pretext.py $config $W/$name/iter_$STEPS.pth \
            $D/${kind}_list.txt --data-root $D/videos --out $W/$name/audit_$kind --controls clips static shuffled \
            "border only" "centre only" "layout only"
    done
done
python - "$W" <<'PY'
import json, sys
from pathlib import Path
work = Path(sys.argv[1])
for kind, what in (('train', 'the training segments (the cues the learnt solution uses)'),
                   ('val', 'the held-out scenes (other cameras and places)')):
    print(f'\nrotation top-1 % (95 % CI) on {what}; last column: footage without an "up"')
    rows = []
    for name in ('rotnet3d', 'rotnet3d-residual', 'rotnet3d-rrc'):
        found = json.loads((work / name / f'audit_{kind}' / 'audit.json').read_text())['controls']
        no_up = json.loads((work / name / 'audit_no_up' / 'audit.json').read_text())['controls']['clips']
        cells = [f'{c["top1"] * 100:.1f} ({c["ci95"][0] * 100:.0f}-{c["ci95"][1] * 100:.0f})' for c in found.values()]
        rows.append([name, *cells, f'{no_up["top1"] * 100:.1f}'])
        header = ['pretraining', *found, 'no up']
    print('| ' + ' | '.join(header) + ' |')
    print('|' + '---|' * len(header))
    for row in rows:
        print('| ' + ' | '.join(row) + ' |')
PY
