#!/usr/bin/env bash
# README "Looking inside": the picture docs/looking_inside.png and the actor-share numbers, from a short
# rotation pretraining of the demo's narrow R3D-18 on a 600-clip synthetic set, and a fine-tuning of it on
# split 1 (about 20 minutes on 2 busy CPU cores). Steps whose output exists are skipped.
#   bash tools/looking_inside.sh [PICTURE]        (default: docs/looking_inside.png)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/env.sh
export OMP_NUM_THREADS=1
PNG="${1:-docs/looking_inside.png}"
D=data/synthetic_600
W=work_dirs/looking_inside
K=$D/kinetics_style
U=$D/ucf_style
python tools/data/synthetic/generate.py --out $D --pretrain-clips 600 --clips-per-class 24 --groups 6
python tools/data/kinetics400/build_file_list.py --root $K > /dev/null
python tools/data/ucf101/build_file_list.py --root $U > /dev/null

data() {  # the --cfg-options that point a demo config at TRAIN_LIST VAL_LIST VIDEO_ROOT
    for split in train val test; do
        list=$2; [ $split = train ] && list=$1
        echo "$split"_dataloader.dataset.ann_file=$list "$split"_dataloader.dataset.data_prefix.video=$3
    done
}
if [ ! -f $W/rotnet/backbone.pth ]; then
    python tools/train.py configs/demo/rotnet3d_r3d18-narrow_1xb8-16x2x1-1200it_synthetic-kinetics-rgb.py --work-dir $W/rotnet --cfg-options \
        train_cfg.max_iters=400 train_cfg.val_interval=400 param_scheduler.1.end=400 \
        $(data $K/kinetics400_train_list_videos.txt $K/kinetics400_val_list_videos.txt $K/videos)
    python tools/export_backbone.py $W/rotnet --out $W/rotnet/backbone.pth
fi
if [ ! -f $W/finetune/backbone.pth ]; then
    python tools/train.py configs/demo/r3d18-narrow_1xb8-16x2x1-300it_synthetic-ucf-split1-rgb.py --work-dir $W/finetune --cfg-options \
        train_cfg.val_interval=300 default_hooks.pretrained_backbone.type=PretrainedBackboneHook \
        default_hooks.pretrained_backbone.checkpoint=$W/rotnet/backbone.pth \
        $(data $U/ucf101_train_split_1_videos.txt $U/ucf101_val_split_1_videos.txt $U/UCF-101)
    python tools/export_backbone.py $W/finetune --out $W/finetune/backbone.pth
fi
V=$U/UCF-101
python tools/visualize_activations.py configs/demo/rotnet3d_r3d18-narrow_1xb8-16x2x1-1200it_synthetic-kinetics-rgb.py $W/rotnet/backbone.pth \
    $V/Walk/v_Walk_g05_c01.avi $V/JumpingJack/v_JumpingJack_g05_c01.avi $V/FallDown/v_FallDown_g05_c01.avi \
    --out $W/maps --columns 6 --combined "$PNG"
python tools/actor_share.py configs/demo/rotnet3d_r3d18-narrow_1xb8-16x2x1-1200it_synthetic-kinetics-rgb.py $U/ucf101_val_split_1_videos.txt \
    --data-root $V --num-videos 96 --backbone rotation-pretrained=$W/rotnet/backbone.pth \
    --backbone fine-tuned=$W/finetune/backbone.pth --out $W/actor_share.json
