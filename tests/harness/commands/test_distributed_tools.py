"""The tools under torchrun (2 CPU processes, gloo, ``--launcher pytorch``) give what one process gives:
tools/eval_frozen.py (the videos' features encoded over the ranks), tools/actor_share.py and
tools/visualize_activations.py (the videos split over the ranks, joined again on rank 0) and
tools/export_backbone.py (rank 0 writes). The two-rank runs share one torchrun (tests/harness/commands/tool_ranks.py);
tools/extract_features.py's is in test_extract_features.py."""
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from PIL import Image

from mmrot3d.apis import init_model
from mmrot3d_harness.benchmark.labelled_sets import synthetic

TESTS = Path(__file__).resolve().parents[2]
FINETUNE = str(TESTS / 'data/configs/r3d18_finetune_tiny.py')  # narrow R3D, 8-frame 32x32 test clips
ROTATION = str(TESTS / 'data/configs/rotnet3d_tiny.py')  # val_pipeline: one 8-frame clip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def tool_runs(root: Path, out: Path, data: Path, launcher: str) -> list:
    """``[tool, args]`` of every tool, writing below ``out``."""
    ucf = synthetic(str(data))
    train, test = ucf.lists(1)
    videos = [str(p) for p in sorted(ucf.video_root.glob('*/*_c01.avi'))[:5]]  # 5 videos: 3 + 2 over two ranks
    launch = ['--launcher', launcher]
    return [
        [
            'tools/eval_frozen.py',
            [
                FINETUNE,
                str(root / 'backbone.pth'), '--split', train, test, '--data-root',
                str(ucf.video_root), '--num-clips', '1', '--work-dir',
                str(out / 'frozen'), '--out',
                str(out / 'frozen.json'), *launch
            ]
        ],
        [
            'tools/actor_share.py',
            [
                ROTATION, test, '--data-root',
                str(ucf.video_root), '--num-videos', '5', '--stages', 'layer2', 'layer3', '--backbone',
                f'other={root / "backbone.pth"}', '--out',
                str(out / 'share.json'), *launch
            ]
        ],
        [
            'tools/visualize_activations.py',
            [
                ROTATION, 'none', *videos, '--out',
                str(out / 'maps'), '--stage', 'layer2', '--combined',
                str(out / 'maps.png'), *launch
            ]
        ],
        ['tools/export_backbone.py', [str(root / 'checkpoint.pth'), '--out',
                                      str(out / 'exported.pth'), *launch]],
    ]


@pytest.fixture(scope='module')
def runs(synthetic_dataset, tmp_path_factory):
    root = tmp_path_factory.mktemp('distributed_tools')
    model, _ = init_model(FINETUNE, seed=3)  # the narrow R3D of both configs, other weights than the seeded init
    torch.save(model.backbone.state_dict(), root / 'backbone.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict(epoch=1, iter=2)), root / 'checkpoint.pth')

    one, two = root / 'one_process', root / 'two_ranks'
    for out, launcher in ((one, 'none'), (two, 'pytorch')):
        (out.parent / f'{out.name}.json').write_text(json.dumps(tool_runs(root, out, synthetic_dataset, launcher)))
    driver = str(Path(__file__).with_name('tool_ranks.py'))
    # On the CPU, also where there is a GPU: two gloo ranks (one GPU cannot host two NCCL ranks), and one
    # process to compare with, computing in the same precision.
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    runs = {}
    for name, command in (('one', [sys.executable, driver, str(root / 'one_process.json')]), ('two', [
            sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2', f'--master_port={free_port()}', driver,
            str(root / 'two_ranks.json')
    ])):
        run = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
        runs[name] = run.stdout
    return dict(one=one, two=two, stdout=runs['two'])


@pytest.mark.slow
def test_eval_frozen_under_ddp_gives_one_process_metrics(runs):
    one, two = (json.loads((runs[k] / 'frozen.json').read_text()) for k in ('one', 'two'))
    assert set(one['split1']) >= {'retrieval_R_at_1', 'linear_probe_top1', 'num_train', 'num_test'}
    assert two['split1'] == pytest.approx(one['split1'], abs=1e-6)


@pytest.mark.slow
def test_actor_share_split_over_ranks_gives_one_process_numbers(runs):
    one, two = (json.loads((runs[k] / 'share.json').read_text())['results'] for k in ('one', 'two'))
    assert set(one) == {'random init', 'other'} and one['other']['clips'] == two['other']['clips'] == 5
    for name in one:
        for stage in ('layer2', 'layer3'):
            for reading in ('raw', 'normalized'):
                assert two[name][stage][reading] == pytest.approx(one[name][stage][reading], rel=1e-5)


@pytest.mark.slow
def test_visualize_activations_split_over_ranks_draws_the_same_pictures(runs):
    one, two = runs['one'], runs['two']
    pictures = sorted(p.name for p in (one / 'maps').iterdir())
    assert len(pictures) == 10 and sorted(p.name for p in (two / 'maps').iterdir()) == pictures  # png + gif each
    for name in pictures:
        assert (two / 'maps' / name).read_bytes() == (one / 'maps' / name).read_bytes(), name
    assert Image.open(two / 'maps.png').size == Image.open(one / 'maps.png').size
    assert (two / 'maps.png').read_bytes() == (one / 'maps.png').read_bytes()  # the videos in the given order


@pytest.mark.slow
def test_export_backbone_under_torchrun_writes_once(runs):
    one, two = (torch.load(runs[k] / 'exported.pth', weights_only=True) for k in ('one', 'two'))
    assert one['state_dict'].keys() == two['state_dict'].keys() and len(one['state_dict']) > 10
    assert all(torch.equal(one['state_dict'][k], two['state_dict'][k]) for k in one['state_dict'])
    assert runs['stdout'].count('wrote ') == 2  # rank 0 only: the export's line and the combined picture's
