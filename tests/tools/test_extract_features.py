"""tools/extract_features.py: pooled and snippet features, bad videos skipped, resuming, ranks sharing a list."""
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest
from mmaction.datasets.transforms import LoadLocalizationFeature

REPO = Path(__file__).resolve().parents[2]
CONFIG = str(REPO / 'tests/data/configs/r3d18_finetune_tiny.py')  # narrow R3D (64-d), test clips of 8 frames
TOOL = str(REPO / 'tools/extract_features.py')


def run_tool(args):
    argv, sys.argv = sys.argv, [TOOL] + [str(a) for a in args]
    try:
        return runpy.run_path(TOOL, run_name='not_main')['main']()
    finally:
        sys.argv = argv


@pytest.fixture
def video_list(video_dir, tmp_path):
    """The 8 session videos and one missing file, in the middle of the list."""
    lines = (video_dir / 'list.txt').read_text().splitlines()
    path = tmp_path / 'list.txt'
    path.write_text('\n'.join(lines[:3] + ['gone.mp4 1'] + lines[3:]) + '\n')
    return path


def test_pooled_features_skip_bad_videos_and_resume(video_dir, video_list, tmp_path, capsys):
    out = tmp_path / 'pooled'
    args = [CONFIG, video_list, '--out', out, '--data-root', video_dir, '--num-clips', '2']
    result = run_tool(args)
    assert result['written'] == 8 and result['reused'] == 0
    assert len(result['skipped']) == 1 and 'gone.mp4' in result['skipped'][0]
    assert 'skipped bad video' in capsys.readouterr().out
    index = (out / 'features.txt').read_text().splitlines()
    assert index == [f'clip_{i}.npy {i % 2}' for i in range(8)]
    assert all(np.load(out / f'clip_{i}.npy').shape == (64, ) for i in range(8))
    assert (out / 'skipped.txt').read_text().startswith(str(video_dir / 'gone.mp4'))
    written = {p.name: p.stat().st_mtime_ns for p in out.glob('*.npy')}
    (out / 'clip_5.npy').unlink()
    again = run_tool(args)  # resume: only the removed file is made again
    assert again['written'] == 1 and again['reused'] == 7
    assert {p.name: p.stat().st_mtime_ns for p in out.glob('*.npy') if p.name != 'clip_5.npy'} == \
        {k: v for k, v in written.items() if k != 'clip_5.npy'}
    with pytest.raises(SystemExit, match='other settings .num_clips differ'):
        run_tool(args[:-1] + ['3'])


def test_snippet_features_in_the_layout_mmaction2_localisers_read(video_dir, tmp_path):
    out = tmp_path / 'snippets'
    run_tool([
        CONFIG, video_dir / 'list.txt', '--out', out, '--data-root', video_dir, '--mode', 'snippets', '--stride', '8',
        '--format', 'csv'
    ])
    loaded = LoadLocalizationFeature()(dict(feature_path=str(out / 'clip_0.csv')))
    assert loaded['raw_feature'].shape == (64, 3)  # (D, snippets): 24 frames, a window centred every 8


def test_ranks_share_the_list_and_rank_0_writes_one_index(video_dir, video_list, tmp_path, monkeypatch):
    # Two ranks of a torchrun job, one after the other in this process (a real 2-process gloo run takes
    # ~35 s here; tools/train.py's CPU torchrun path is tested in test_dist_train.py).
    import mmrot3d.apis.feature_extraction as extraction
    out = tmp_path / 'dist'
    monkeypatch.setattr(extraction, 'barrier', lambda: None)
    results = {}
    for rank in (1, 0):  # rank 0 last: it merges the index after the (here trivially passed) barrier
        monkeypatch.setattr(extraction, 'get_dist_info', lambda rank=rank: (rank, 2))
        results[rank] = run_tool([CONFIG, video_list, '--out', out, '--data-root', video_dir, '--num-clips', '1'])
    # list: clip_0 clip_1 clip_2 gone clip_3 ... clip_7 -> rank 0 takes entries 0, 2, 4, 6, 8 and rank 1
    # entries 1, 3 (gone), 5, 7
    assert results[0]['written'] == 5 and not results[0]['skipped']
    assert results[1]['written'] == 3 and len(results[1]['skipped']) == 1 and 'index' not in results[1]
    assert len((out / 'features.txt').read_text().splitlines()) == 8
    (skipped, ) = (out / 'skipped.txt').read_text().splitlines()  # both ranks' records, merged
    assert skipped.startswith(str(video_dir / 'gone.mp4')) and not list(out.glob('skipped.rank*'))
