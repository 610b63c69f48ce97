"""The README's TensorBoard switch: a real short pretraining run and a fine-tuning run write event files
that TensorBoard reads back with the loss, the per-angle rotation accuracy and the fine-tuning accuracy."""
import json
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.runner import Runner
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

REPO = Path(__file__).resolve().parents[2]
SWITCH = "visualizer = dict(vis_backends=[dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')])\n"


def train_with_tensorboard(base: str, video_dir: Path, work_dir: Path, name: str):
    """Train one epoch; the TensorBoard events read back, and the rows MMEngine's local backend logged."""
    config = work_dir / f'{name}.py'
    work_dir.mkdir(parents=True)
    config.write_text(f"_base_ = ['{REPO / 'tests/data/configs' / base}']\n" + SWITCH)
    cfg = Config.fromfile(config)
    cfg.work_dir, cfg.experiment_name = str(work_dir), name
    for split in ('train', 'val'):
        cfg[f'{split}_dataloader'].dataset.update(
            ann_file=str(video_dir / 'list.txt'), data_prefix=dict(video=str(video_dir)))
    cfg.train_cfg.update(max_epochs=1, val_interval=1)
    cfg.default_hooks.pop('pretrained_backbone', None)  # fine-tuning from scratch is enough here
    Runner.from_cfg(cfg).train()
    (events, ) = work_dir.glob('**/events.out.tfevents.*')
    accumulator = EventAccumulator(str(events.parent))
    accumulator.Reload()
    (local, ) = work_dir.glob('**/vis_data/scalars.json')
    return accumulator, [json.loads(line) for line in local.read_text().splitlines()]


def test_training_curves_round_trip_through_tensorboard_event_files(video_dir, tmp_path):
    pretrain, rows = train_with_tensorboard('rotnet3d_tiny.py', video_dir, tmp_path / 'pretrain', 'tb_pretrain')
    tags = set(pretrain.Tags()['scalars'])
    assert {'loss', 'loss_rotation', 'lr', 'rotation/top1'} <= tags
    assert {f'rotation/acc_{a}deg' for a in (0, 90, 180, 270)} <= tags
    assert [e.step for e in pretrain.Scalars('loss')] == [1, 2]  # 8 clips, batch 4
    # the same numbers as MMEngine's own scalars.json
    assert [e.value for e in pretrain.Scalars('loss')] == pytest.approx([r['loss'] for r in rows if 'loss' in r])
    (val, ) = [r for r in rows if 'rotation/acc_90deg' in r]
    assert pretrain.Scalars('rotation/acc_90deg')[-1].value == pytest.approx(val['rotation/acc_90deg'])

    finetune, rows = train_with_tensorboard('r3d18_finetune_tiny.py', video_dir, tmp_path / 'finetune', 'tb_finetune')
    assert {'loss_cls', 'acc/top1', 'acc/mean1'} <= set(finetune.Tags()['scalars'])
    (val, ) = [r for r in rows if 'acc/top1' in r]
    assert finetune.Scalars('acc/top1')[-1].value == pytest.approx(val['acc/top1'])
