"""tools/extract_features.py: the features' values (a backbone's pooled output averaged over the clips, computed
here independently), snippet files in MMAction2's layout, bad videos skipped, resuming, and two torchrun ranks
(gloo) sharing a list: the same values as one process, one index."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import run_tool
from mmaction.datasets.transforms import LoadLocalizationFeature
from mmaction.registry import MODELS, TRANSFORMS
from mmengine.config import Config

from mmrot3d.utils.shipped_files import shipped_path

CONFIG = str(Path(__file__).resolve().parents[2] / 'data/configs/r3d18_finetune_tiny.py')  # narrow R3D: 64-d
TOOL = 'tools/extract_features.py'


def extract(*args):
    result = run_tool(TOOL, *args)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope='module')
def backbone(tmp_path_factory):
    """A backbone file (plain tensor state dict, as another codebase saves one) and the module it holds."""
    cfg = Config.fromfile(CONFIG)
    torch.manual_seed(7)
    module = MODELS.build(cfg.model.backbone)
    module.eval()  # (MMAction2's ResNet3d.train returns None)
    path = tmp_path_factory.mktemp('backbone') / 'backbone.pth'
    torch.save(module.state_dict(), path)
    return path, module


def expected_pooled(module, video, num_clips: int) -> np.ndarray:
    """The pooled feature by hand: the config's test pipeline with ``num_clips`` clips, normalised with the
    config's mean/std, the backbone, global average pooling, the mean over the clips. ``(D,)``."""
    cfg = Config.fromfile(CONFIG)
    results = dict(filename=str(video), start_index=0, modality='RGB')
    for step in cfg.test_pipeline:
        step = dict(step, num_clips=num_clips) if step['type'] == 'SampleFrames' else step
        results = TRANSFORMS.build(step)(results)
    clips = results['inputs'].float()  # (num_clips, C, T, H, W)
    pre = cfg.model.data_preprocessor
    mean, std = (torch.tensor(v).view(1, 3, 1, 1, 1) for v in (pre.mean, pre.std))
    with torch.no_grad():
        features = module((clips - mean) / std).mean(dim=(2, 3, 4))
    return features.mean(dim=0).numpy()


@pytest.fixture
def video_list(video_dir, tmp_path):
    """The 8 session videos and one missing file, in the middle of the list."""
    lines = (video_dir / 'list.txt').read_text().splitlines()
    path = tmp_path / 'list.txt'
    path.write_text('\n'.join(lines[:3] + ['gone.mp4 1'] + lines[3:]) + '\n')
    return path


def test_pooled_features_are_the_backbones_mean_over_clips_bad_videos_skipped_and_resumed(
        video_dir, video_list, backbone, tmp_path, full_fp32):
    path, module = backbone
    out = tmp_path / 'pooled'
    args = [CONFIG, path, video_list, '--out', out, '--data-root', video_dir, '--num-clips', '2', '--batch-size', '1']
    result = extract(*args)
    assert 'wrote 8, kept 0 already there, skipped 1 bad videos' in result.stdout
    assert 'skipped bad video' in result.stdout and 'gone.mp4' in result.stdout
    index = (out / 'features.txt').read_text().splitlines()
    assert index == [f'clip_{i}.npy {i % 2}' for i in range(8)]
    for i in (0, 5):
        found = np.load(out / f'clip_{i}.npy')
        assert found.shape == (64, ) and found.dtype == np.float32
        np.testing.assert_allclose(found, expected_pooled(module, video_dir / f'clip_{i}.mp4', 2), rtol=1e-4, atol=1e-5)
    assert not np.allclose(np.load(out / 'clip_0.npy'), np.load(out / 'clip_1.npy'))  # videos differ
    assert (out / 'skipped.txt').read_text().startswith(str(video_dir / 'gone.mp4'))

    written = {p.name: (p.stat().st_mtime_ns, np.load(p)) for p in out.glob('*.npy')}
    (out / 'clip_5.npy').unlink()
    again = extract(*args)  # resume: only the removed file is made again, with the same values
    assert 'wrote 1, kept 7 already there' in again.stdout
    for name, (mtime, values) in written.items():
        assert (out / name).stat().st_mtime_ns == mtime or name == 'clip_5.npy'
        np.testing.assert_array_equal(np.load(out / name), values)
    refused = run_tool(TOOL, *args[:-3], '3')
    assert refused.returncode == 1 and 'other settings (num_clips differ)' in refused.stderr

    random_init = tmp_path / 'random'
    extract(CONFIG, video_list, '--out', random_init, '--data-root', video_dir, '--num-clips', '2')
    assert not np.allclose(np.load(random_init / 'clip_0.npy'), np.load(out / 'clip_0.npy'))  # the file was loaded


def test_snippet_features_in_the_layout_mmaction2_localisers_read(video_dir, tmp_path):
    out = tmp_path / 'snippets'
    extract(CONFIG, video_dir / 'list.txt', '--out', out, '--data-root', video_dir, '--mode', 'snippets', '--stride',
            '8', '--format', 'csv')
    loaded = LoadLocalizationFeature()(dict(feature_path=str(out / 'clip_0.csv')))
    assert loaded['raw_feature'].shape == (64, 3)  # (D, snippets): 24 frames, a window centred every 8
    assert not np.allclose(loaded['raw_feature'][:, 0], loaded['raw_feature'][:, 2])  # one row per window


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def on_cpus(command):
    """Run ``command`` on the CPU, also where there is a GPU (two gloo ranks; one GPU cannot host two NCCL ranks)."""
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES=''))
    assert run.returncode == 0, run.stderr[-3000:]
    return run


@pytest.mark.slow
def test_two_torchrun_ranks_share_the_list_with_one_process_values(video_dir, video_list, backbone, tmp_path):
    path, _ = backbone
    tool = str(shipped_path(TOOL))
    args = [CONFIG, str(path), str(video_list), '--data-root', str(video_dir), '--num-clips', '2']
    single, two = tmp_path / 'one_process', tmp_path / 'two_ranks'
    on_cpus([sys.executable, tool, *args, '--out', str(single)])
    run = on_cpus([
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2', f'--master_port={free_port()}', tool,
        *args, '--out',
        str(two), '--launcher', 'pytorch'
    ])
    # list: clip_0 clip_1 clip_2 gone clip_3 ... clip_7 -> rank 0 takes entries 0, 2, 4, 6, 8 (5 videos) and
    # rank 1 entries 1, 3 (gone), 5, 7; rank 0 writes the index after both passed the barrier
    assert 'wrote 5, kept 0 already there, skipped 0 bad videos; index' in run.stdout
    assert 'wrote 3, kept 0 already there, skipped 1 bad videos\n' in run.stdout
    assert (two / 'features.txt').read_text() == (single / 'features.txt').read_text()
    (skipped, ) = (two / 'skipped.txt').read_text().splitlines()  # both ranks' records, merged
    assert skipped.startswith(str(video_dir / 'gone.mp4')) and not list(two.glob('skipped.rank*'))
    for i in range(8):
        np.testing.assert_allclose(
            np.load(two / f'clip_{i}.npy'), np.load(single / f'clip_{i}.npy'), rtol=1e-5, atol=1e-6)
