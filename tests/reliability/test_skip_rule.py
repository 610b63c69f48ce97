"""RobustVideoDataset's skip rule on stand-in reading steps, in this process: which failures make a sample bad,
what replaces it, what is counted and named, when the run stops. ``test_bad_data.py`` runs it on real bad
files through DataLoader workers."""
import logging
import random
from pathlib import Path

import pytest
from mmaction.registry import DATASETS
from mmengine.logging import MMLogger

from mmrot3d.datasets.robust_video_dataset import BadVideoError, TooManyBadVideosError


class FakeInit:
    """Opens a "video": a text file holding its frame count (``corrupt``: an unreadable header)."""

    def __call__(self, results):
        text = Path(results['filename']).read_text()  # FileNotFoundError for a missing file
        if text == 'corrupt':
            raise OSError('corrupt header\nsecond line of the decoder message')
        results['total_frames'] = int(text)
        return results


class FakeDecode:
    """Decodes: 13 frames stand for a file whose frames cannot be decoded."""

    def __call__(self, results):
        if results['total_frames'] == 13:
            raise RuntimeError('cannot decode frame 3')
        results['imgs'] = list(range(results['total_frames']))
        return results


class WrongInit:
    """A reading step with a wrong argument: what it raises is no bad file's doing."""

    def __call__(self, results):
        raise TypeError('bad argument')


class Trim:
    """A later step that keeps only the first 4 frames (and says so in ``total_frames``)."""

    def __call__(self, results):
        results['imgs'], results['total_frames'] = results['imgs'][:4], 4
        return results


def dataset(tmp_path, videos, pipeline=None, malformed=(), **kwargs):
    """A list of ``videos`` (name -> file content; None: listed, never written) under ``tmp_path``, then the
    ``malformed`` lines."""
    root = tmp_path / 'videos'
    root.mkdir(parents=True, exist_ok=True)
    for name, content in videos.items():
        if content is not None:
            (root / name).write_text(content)
    ann_file = tmp_path / 'list.txt'
    ann_file.write_text(''.join(f'{line}\n' for line in [f'{name} 0' for name in videos] + list(malformed)))
    cfg = dict(
        type='RobustVideoDataset',
        ann_file=str(ann_file),
        data_prefix=dict(video=str(root)),
        pipeline=pipeline or [FakeInit(), FakeDecode()],
        min_frames=8,
        max_bad_fraction=1.0)
    return DATASETS.build({**cfg, **kwargs})


GOOD = {f'good{i}.mp4': '16' for i in range(3)}


def test_a_good_video_goes_through_every_step(tmp_path):
    data = dataset(tmp_path, {'a.mp4': '8'}, lazy_init=True)
    sample = data[0]  # a lazily initialised dataset initialises itself on first use
    assert sample['filename'].endswith('a.mp4') and sample['imgs'] == list(range(8)) and sample['total_frames'] == 8
    assert data.bad_counts() == (0, 0, 0, 1)


@pytest.mark.parametrize('content, reason', [
    (None, r'^FakeInit: \[Errno 2\] No such file or directory'),
    ('corrupt', r'^FakeInit: corrupt header$'),
    ('13', r'^FakeDecode: cannot decode frame 3$'),
    ('5', r'^too short: 5 frames < sampled window of 8$'),
])
def test_a_failing_reading_step_or_a_short_video_makes_a_bad_video(tmp_path, content, reason):
    """Named by the step and the first line of its error, or by the length against the sampled window."""
    data = dataset(tmp_path, {'bad.mp4': content, **GOOD})
    with pytest.raises(BadVideoError, match=reason):
        data.prepare_data(0)


def test_an_error_that_no_bad_file_raises_is_raised_naming_the_reading_step(tmp_path):

    data = dataset(tmp_path, {'a.mp4': '16'}, pipeline=[FakeInit(), WrongInit()])
    with pytest.raises(
            TypeError,
            match=rf"^dataset.pipeline\[1\] \(WrongInit\) reading {tmp_path / 'videos' / 'a.mp4'}: "
            r"bad argument$"):
        data[0]


def test_errors_of_later_steps_are_raised_as_they_are(tmp_path):

    def broken(results):
        raise KeyError('a bug in a later step')

    data = dataset(tmp_path, {'a.mp4': '16'}, pipeline=[FakeInit(), FakeDecode(), broken])
    with pytest.raises(KeyError, match='a bug in a later step'):
        data[0]


def test_the_length_is_the_files_checked_once_where_it_is_read(tmp_path):
    """A step before the reader has no length to check; a later step that shortens the clip is no bad video; a
    video of exactly the sampled window is long enough."""

    def tag(results):
        results['tagged'] = True
        return results

    data = dataset(tmp_path, {'a.mp4': '8'}, pipeline=[tag, FakeInit(), FakeDecode(), Trim()])
    sample = data.prepare_data(0)
    assert sample['tagged'] and sample['total_frames'] == 4


def test_a_step_that_drops_the_sample_is_not_a_bad_video(tmp_path):

    def drop_the_first(results):
        return None if results['filename'].endswith('good0.mp4') else results

    data = dataset(tmp_path, GOOD, pipeline=[FakeInit(), drop_the_first, FakeDecode()])
    assert data.prepare_data(0) is None
    assert not data[0]['filename'].endswith('good0.mp4')  # another sample instead ...
    assert data.bad_counts() == (0, 0, 0, 3)  # ... and nothing counted bad


def test_a_bad_video_is_replaced_the_same_way_every_run(tmp_path):
    """Sample ``i``'s ``a``-th substitute is ``random.Random(i * 1_000_003 + a).randrange(len)``: resumed runs,
    and runs of another version, see the same substitutes."""
    size = 10

    def substitute(idx, attempt):
        return random.Random(idx * 1_000_003 + attempt).randrange(size)

    # a bad sample whose first substitute is bad too, and whose second is good
    idx = next(i for i in range(1, 100) if substitute(i, 0) != i and substitute(i, 1) not in (i, substitute(i, 0)))
    bad = {idx, substitute(idx, 0)}
    data = dataset(tmp_path / 'two', {f'v{i}.mp4': '5' if i in bad else '16' for i in range(size)})
    assert data[idx]['filename'].endswith(f'v{substitute(idx, 1)}.mp4')
    # every bad sample of a list where half are bad: its first good substitute
    bad = set(range(0, size, 2))
    data = dataset(tmp_path / 'half', {f'v{i}.mp4': '5' if i in bad else '16' for i in range(size)})
    for idx in sorted(bad):
        first_good = next(s for s in (substitute(idx, a) for a in range(data.max_retries)) if s not in bad)
        assert data[idx]['filename'].endswith(f'v{first_good}.mp4'), idx


def test_a_bad_video_is_named_once_counted_each_time_and_never_read_again(tmp_path):
    logger = MMLogger.get_current_instance()
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        data = dataset(tmp_path, {'bad.mp4': '5', **GOOD}, malformed=['no_label.mp4'])
        data[0]
        assert data.bad_counts() == (1, 1, 2, 5)  # 1 file met, 1 sample skipped; + the malformed line
        (tmp_path / 'videos' / 'bad.mp4').write_text('16')  # fixed meanwhile: known bad all the same
        data[0]
    finally:
        logger.removeHandler(handler)
    where = f'{tmp_path / "list.txt"}:1: {tmp_path / "videos" / "bad.mp4"}: too short: 5 frames < sampled window of 8'
    assert [r.getMessage() for r in records if 'bad video' in r.getMessage()] == [f'Skipping bad video {where}']
    assert data.last_bad() == where
    assert data.bad_counts() == (1, 2, 2, 5)  # 1 file, skipped twice; 2 entries known bad of 5
    assert data.bad_counts(reset=True) == (1, 2, 2, 5)
    assert data.bad_counts() == (0, 0, 2, 5)  # what was met since the reset; the known bad stay known


def test_the_latest_bad_video_is_kept_up_to_2047_bytes(tmp_path):
    """A path as long as Linux allows still fits the stop message: cut, not refused."""
    long_dir = tmp_path.joinpath(*(letter * 200 for letter in 'defgh'))
    name = 'v' * 200 + '.mp4'
    data = dataset(long_dir, {name: '5', **GOOD})
    data[0]
    where = f'{long_dir / "list.txt"}:1: {long_dir / "videos" / name}: too short: 5 frames < sampled window of 8'
    assert len(where) > 2047 and data.last_bad() == where[:2047]


def test_a_sample_gives_up_after_max_retries_substitutes(tmp_path):
    data = dataset(tmp_path, {f'bad{i}.mp4': '5' for i in range(4)}, max_retries=3)
    with pytest.raises(
            TooManyBadVideosError,
            match=rf'^4 videos in a row were bad while fetching sample 2 of {tmp_path / "list.txt"} '
            r'\(last: .*too short: 5 frames < sampled window of 8\); run tools/check_dataset.py on the '
            r'list$'):
        data[2]
    assert data.bad_counts()[1] == 4  # the sample and its 3 substitutes


def test_a_list_that_allows_no_bad_video_stops_at_the_first(tmp_path):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    MMLogger.get_current_instance().addHandler(handler)
    try:
        data = dataset(tmp_path, {'bad.mp4': '5', **GOOD}, max_bad_fraction=0)
        with pytest.raises(TooManyBadVideosError) as info:
            data[0]
    finally:
        MMLogger.get_current_instance().removeHandler(handler)
    ann_file = tmp_path / 'list.txt'
    assert str(info.value) == (f'{data.last_bad()}; this list allows no bad video (max_bad_fraction=0: a test set '
                               f'must not change); find them all with tools/check_dataset.py {ann_file}')
    assert not [r for r in records if 'Skipping bad video' in r.getMessage()]  # the error names it, once


def test_the_run_stops_once_more_than_max_bad_fraction_is_bad(tmp_path):
    data = dataset(tmp_path, {'bad0.mp4': '5', 'bad1.mp4': '5', **GOOD, 'good3.mp4': '16'}, max_bad_fraction=0.25)
    data[0]  # 1 of 6 bad
    data.check_bad_fraction()
    with pytest.raises(TooManyBadVideosError) as info:
        data[1]  # 2 of 6: 33.3 % > 25 %
    ann_file = tmp_path / 'list.txt'
    assert str(info.value) == (f'2 of 6 entries of {ann_file} are bad (33.3% > max_bad_fraction=25.0%; latest: '
                               f'{data.last_bad()}); find them all with tools/check_dataset.py {ann_file} '
                               '--write-clean CLEAN_LIST')
    exactly = dataset(tmp_path / 'exactly', {'bad0.mp4': '5', **GOOD}, max_bad_fraction=0.25)
    exactly[0]  # 1 of 4: at the limit, not over it
    assert exactly.bad_counts()[2] == 1
