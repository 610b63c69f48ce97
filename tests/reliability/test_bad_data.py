"""Bad videos and malformed lines: training goes on, each is named once, counts per epoch, a clear stop."""
import logging
import shutil
from pathlib import Path

import pytest
from bad_data import BAD_FILES, MALFORMED, NUM_CLASSES, make_mixed_list  # noqa: E402  (tests/reliability/)
from conftest import run_tool
from mmaction.registry import DATASETS
from mmengine.logging import MMLogger
from torch.utils.data import DataLoader

from mmrot3d.datasets.checks import ConfigError, missing_videos_hint
from mmrot3d.datasets.robust_video_dataset import TooManyBadVideosError
from mmrot3d.datasets.video_list import read_video_list
from mmrot3d.engine.hooks.skipped_videos_hook import SkippedVideosHook
from mmrot3d_harness.check_cache import CheckCache
from mmrot3d_harness.list_check import scan_entries

CHECK_DATASET = 'tools/check_dataset.py'
PIPELINE = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', meta_keys=('filename', ))
]


def _write(path, lines):
    path.write_text(''.join(f'{line}\n' for line in lines))
    return path


def build(ann_file, prefix, **kwargs):
    cfg = dict(
        type='RobustVideoDataset',
        ann_file=str(ann_file),
        data_prefix=dict(video=str(prefix)),
        pipeline=PIPELINE,
        num_classes=NUM_CLASSES,
        max_bad_fraction=0.5)
    return DATASETS.build({**cfg, **kwargs})


@pytest.fixture(scope='module')
def mixed_list(video_dir, tmp_path_factory):
    """8 good clips, 7 bad files of every kind, 4 malformed lines (no conftest.py here: it would shadow
    tests/conftest.py for tests that import from it)."""
    return make_mixed_list(video_dir, tmp_path_factory.mktemp('mixed'))


@pytest.fixture
def log_records(tmp_path):
    """What MMEngine's current logger writes, from this process and from DataLoader workers (a log file,
    as a run has: worker processes inherit the handler and append to the same file)."""
    path = tmp_path / 'run.log'
    handler = logging.FileHandler(path, mode='a')
    handler.setFormatter(logging.Formatter('%(message)s'))
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)

    class Records:

        def __iter__(self):
            handler.flush()
            return iter(path.read_text().splitlines())

    yield Records()
    logger.removeHandler(handler)
    handler.close()


def test_every_kind_of_bad_file_is_skipped_named_once_and_counted(mixed_list, log_records):
    root, ann_file, good = mixed_list
    dataset = build(ann_file, root, max_bad_fraction=0.6)
    assert len(dataset) == len(good) + len(BAD_FILES)
    malformed_lines = [m for m in log_records if 'line skipped' in m]
    for line, reason in MALFORMED.items():  # file:line and why, for each malformed line
        lineno = ann_file.read_text().splitlines().index(line) + 1
        assert sum(f'{ann_file}:{lineno}: {reason}' in m for m in malformed_lines) == 1, malformed_lines

    # Two epochs through DataLoader workers: every sample comes back (bad ones substituted by good ones).
    loader = DataLoader(dataset, batch_size=5, num_workers=2, collate_fn=lambda batch: batch, persistent_workers=True)
    hook = SkippedVideosHook()
    for epoch in range(2):
        names = [s['data_samples'].filename for batch in loader for s in batch]
        assert len(names) == len(dataset) and all(Path(n).name in good for n in names)
        hook._report(dataset, f'Epoch(train) [{epoch + 1}]')
    skips = [m for m in log_records if m.startswith('Skipping bad video')]
    for name, reason in BAD_FILES.items():
        assert sum(f'{root / name}: {reason}' in m for m in skips) == 1, (name, skips)  # named once, with why
    reports = [m for m in log_records if 'bad video files' in m]
    # both epochs meet all 7 bad files (first epoch: found while decoding; second: known bad, not decoded again)
    assert [r.split(' (')[0] for r in reports] == [f'Epoch(train) [{e}]: skipped 7 bad video files' for e in (1, 2)]
    assert all(f'; 11 of 19 entries of {ann_file} known bad so far (max_bad_fraction=60.0%)' in r for r in reports)


def test_too_many_bad_files_stop_with_one_clear_line(mixed_list):
    root, ann_file, _ = mixed_list
    with pytest.raises(TooManyBadVideosError, match=r'4 of 19 lines are malformed \(first at line 4: missing label'):
        build(ann_file, root, max_bad_fraction=0.1)
    dataset = build(ann_file, root, max_bad_fraction=0.4)  # 4 malformed of 19: fine; + 7 bad files: 58% > 40%
    with pytest.raises(TooManyBadVideosError) as info:
        for i in range(len(dataset)):
            dataset[i]
    message = str(info.value)
    assert '\n' not in message and 'entries of' in message and 'max_bad_fraction=40.0%' in message
    assert 'tools/check_dataset.py' in message


def test_missing_list_or_video_folder_is_named_at_build(mixed_list, tmp_path):
    root, ann_file, _ = mixed_list
    with pytest.raises(ConfigError, match=r"^dataset.ann_file='.*nope.txt' does not exist$"):
        build(tmp_path / 'nope.txt', root)
    with pytest.raises(ConfigError, match=r"^dataset.data_prefix.video='.*no_videos' is not a directory$"):
        build(ann_file, tmp_path / 'no_videos')


def test_preflight_tool_reports_every_bad_entry_and_writes_a_clean_list(mixed_list, tmp_path):
    root, ann_file, good = mixed_list
    clean = tmp_path / 'clean.txt'
    result = run_tool(CHECK_DATASET, ann_file, '--data-prefix', root, '--workers', 2, '--clip-len', 8,
                      '--frame-interval', 2, '--num-classes', NUM_CLASSES, '--write-clean', clean)
    assert result.returncode == 1, result.stderr
    lines = ann_file.read_text().splitlines()
    report = result.stdout.splitlines()
    for name, reason in BAD_FILES.items():
        lineno = next(i for i, line in enumerate(lines, 1) if line.startswith(name + ' '))
        assert any(r.startswith(f'{ann_file}:{lineno}: {name}: {reason}') for r in report), (name, report)
    for line, reason in MALFORMED.items():
        assert any(r.startswith(f'{ann_file}:{lines.index(line) + 1}: malformed line') and reason in r
                   for r in report), (line, report)
    assert report[-1].startswith(f'{len(good)} good, 11 bad of 19 entries')
    assert '[check 19/19 videos |' in result.stderr  # the progress line
    assert [line.split()[0] for line in clean.read_text().splitlines()] == good

    again = run_tool(CHECK_DATASET, clean, '--data-prefix', root, '--clip-len', 8, '--workers', 1)
    assert again.returncode == 0 and again.stdout.startswith(f'{len(good)} good, 0 bad'), again.stdout + again.stderr


def test_a_check_cache_remembers_good_videos_only(video_dir, tmp_path):
    for name in ('a.mp4', 'b.mp4'):
        shutil.copy(video_dir / 'clip_0.mp4', tmp_path / name)
    (tmp_path / 'bad.mp4').write_bytes(b'')
    entries = read_video_list(_write(tmp_path / 'list.txt', ['a.mp4 0', 'bad.mp4 1', 'b.mp4 0', 'a.mp4 1']))

    def scan():
        cache = CheckCache(str(tmp_path / 'cache.json'))
        reasons = [r for _, r in scan_entries(entries, str(tmp_path), 8, 2, cache=cache)]
        cache.save()
        return reasons, cache.hits

    assert scan() == ([None, 'zero-byte file', None, None], 0)  # a.mp4, listed twice, checked once
    assert scan() == ([None, 'zero-byte file', None, None], 2)  # the zero-byte file is checked again
    (tmp_path / 'b.mp4').write_bytes(b'now broken')  # another size and mtime: checked again
    assert scan() == ([None, 'zero-byte file', 'not a video (Error reading ' + str(tmp_path / 'b.mp4') + '...)',
                       None], 1)


def test_missing_videos_hint_finds_the_prefix_that_fits(tmp_path):
    (tmp_path / 'data' / 'videos' / 'a').mkdir(parents=True)
    (tmp_path / 'data' / 'videos' / 'a' / 'x.avi').write_bytes(b'RIFF')
    data = tmp_path / 'data'
    assert missing_videos_hint(str(data / 'videos'), ['videos/a/x.avi']) == \
        f"the list's paths already start with 'videos/', which the prefix '{data / 'videos'}' ends with: use '{data}'"
    assert missing_videos_hint(str(tmp_path), ['a/x.avi']) == ''
    assert missing_videos_hint(str(data), ['a/x.avi']) == f"the videos are one folder deeper: use '{data / 'videos'}'"
    assert missing_videos_hint(str(tmp_path / 'elsewhere'), [str(data / 'videos/a/x.avi')]) == \
        f"the list's paths already lead to the videos without a prefix: drop '{tmp_path / 'elsewhere'}'"
