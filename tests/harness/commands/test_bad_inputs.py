"""Every tool names bad videos (file, list line, reason) in one error line, without a traceback, and a tool
whose inputs are all (or mostly) missing or unreadable exits non-zero with a hint where the videos are."""
import shutil
from pathlib import Path

import pytest
from conftest import run_tool

CONFIG = str(Path(__file__).parents[2] / 'data' / 'configs' / 'r3d18_finetune_tiny.py')


@pytest.fixture
def videos(video_dir, tmp_path):
    """``tmp/data/videos/clip_*.mp4`` (the session clips) and ``tmp/data/list.txt`` whose paths start with
    ``videos/`` (relative to ``tmp/data``), as some downloads list them."""
    data = tmp_path / 'data'
    shutil.copytree(video_dir, data / 'videos', ignore=shutil.ignore_patterns('*.txt'))
    lines = (video_dir / 'list.txt').read_text().splitlines()
    (data / 'list.txt').write_text(''.join(f'videos/{line}\n' for line in lines))
    return data


def last_line(result) -> str:
    assert 'Traceback' not in result.stdout + result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_extract_features_with_the_prefix_doubled_stops_with_the_prefix_to_use(videos, tmp_path):
    out = tmp_path / 'features'
    result = run_tool('tools/extract_features.py', CONFIG, videos / 'list.txt', '--out', out, '--data-root',
                      videos / 'videos')
    assert result.returncode == 1
    error = last_line(result)
    assert error.startswith(f"error: dataset.data_prefix.video='{videos / 'videos'}': none of 8 videos sampled from")
    assert f"the list's paths already start with 'videos/', which the prefix '{videos / 'videos'}' ends with: use " \
        f"'{videos}'" in error
    assert not list(out.glob('**/*.npy'))


def test_extract_features_with_most_videos_unreadable_fails_after_writing_the_others(videos, tmp_path):
    for clip in sorted((videos / 'videos').glob('clip_*.mp4'))[:5]:
        clip.write_text('not a video\n')
    out = tmp_path / 'features'
    result = run_tool('tools/extract_features.py', CONFIG, videos / 'list.txt', '--out', out, '--data-root', videos,
                      '--num-clips', '1')
    assert result.returncode == 1
    error = last_line(result)
    assert error.startswith(f'error: 5 of 8 videos of {videos / "list.txt"} are bad (more than 50%')
    skipped = (out / 'skipped.txt').read_text().splitlines()
    assert skipped[0].startswith(f'{videos / "videos" / "clip_0.mp4"}: not a video (')
    assert skipped[0].endswith(f'({videos / "list.txt"}:1)')
    assert len(list(out.glob('**/*.npy'))) == 3


def test_eval_frozen_stops_at_a_bad_test_video_naming_it(videos, tmp_path):
    lines = (videos / 'list.txt').read_text().splitlines()
    (videos / 'train.txt').write_text('\n'.join(lines[:4]) + '\n')
    (videos / 'test.txt').write_text('\n'.join(lines[4:]) + '\n')
    (videos / 'videos' / 'clip_5.mp4').write_bytes(b'')
    result = run_tool('tools/eval_frozen.py', CONFIG, '--split', videos / 'train.txt', videos / 'test.txt',
                      '--data-root', videos, '--work-dir', tmp_path / 'frozen', '--num-clips', '1')
    assert result.returncode == 1
    union = tmp_path / 'frozen' / 'videos.txt'  # every video of the split once: the list the features are read from
    error = last_line(result)
    assert error.startswith(f'error: {union}:6: {videos / "videos" / "clip_5.mp4"}: zero-byte file'), error
    assert 'a test set must not change' in error


def test_visualize_activations_names_unreadable_videos_before_building_a_model(video_dir, tmp_path):
    bad = tmp_path / 'cut.mp4'
    bad.write_bytes((video_dir / 'clip_0.mp4').read_bytes()[:3000])
    result = run_tool('tools/visualize_activations.py', CONFIG, 'none', video_dir / 'clip_1.mp4', bad, '--out',
                      tmp_path / 'maps')
    assert result.returncode == 1
    assert last_line(result) == f'error: 1 of 2 videos cannot be read: {bad}: truncated or corrupt video ' \
        f'(Error reading {bad}...)'
    assert not (tmp_path / 'maps').exists()


def test_actor_share_names_the_list_lines_of_unreadable_videos(videos, tmp_path):
    everything_missing = run_tool('tools/actor_share.py', CONFIG, videos / 'list.txt', '--data-root', videos / 'videos')
    assert everything_missing.returncode == 1
    assert last_line(everything_missing).endswith(f"use '{videos}'")
    (videos / 'videos' / 'clip_2.mp4').unlink()
    result = run_tool('tools/actor_share.py', CONFIG, videos / 'list.txt', '--data-root', videos, '--num-videos', '8')
    assert result.returncode == 1
    assert last_line(result) == f'error: 1 of the 8 videos to measure cannot be read: {videos / "list.txt"}:3: ' \
        'videos/clip_2.mp4: missing'
