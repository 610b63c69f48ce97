"""tools/benchmark.py on official-layout UCF101 and HMDB51 trees with the damage real downloads show (a
zero-byte file, a file cut after 3 kB, a text file named .avi, a missing file, a directory, a broken
symlink): the data check stops before any job naming every bad entry, or with --skip-bad leaves them out of
training and testing for every backbone and says so in the results; a video that breaks after the check is
skipped and named in training, and stops a test, named."""
import json
import re
import shutil

import pytest
from conftest import run_tool
from official_trees import DAMAGE, benchmark, damage, damaged_tree, tiny_options

from mmrot3d.datasets.video_list import read_video_list
from mmrot3d.utils.shipped_files import shipped_path
from mmrot3d_harness.benchmark.labelled_sets import FINETUNE_CONFIG

# Split 1 of UCF101 tests group 1 and trains on groups 2 and 3; of HMDB51 (flags 1 1 2 0) it trains on
# videos 0 and 1 of each class, tests on 2, leaves 3 out.
UCF_DAMAGE = {
    'Basketball/v_Basketball_g01_c01.avi': 'zero-byte',
    'YoYo/v_YoYo_g02_c02.avi': 'cut',
    'ApplyEyeMakeup/v_ApplyEyeMakeup_g03_c01.avi': 'text',
}
HMDB_DAMAGE = {
    'brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_2.avi': 'missing',
    'cartwheel/April_09_cartwheel_u_nm_np1_ba_goo_0.avi': 'directory',
    'catch/April_09_catch_u_nm_np1_ba_goo_1.avi': 'broken symlink',
    'catch/April_09_catch_u_nm_np1_ba_goo_3.avi': 'zero-byte',  # in no list of split 1: not a problem
}
LISTS = {  # list of split 1 -> (entries, bad)
    'ucf101_train_split_1_videos.txt': (12, 2),
    'ucf101_val_split_1_videos.txt': (6, 1),
    'hmdb51_train_split_1_videos.txt': (6, 2),
    'hmdb51_val_split_1_videos.txt': (3, 1),
}


@pytest.fixture(scope='module')
def trees(tmp_path_factory):
    base = tmp_path_factory.mktemp('damaged')
    return dict(
        ucf101=damaged_tree('ucf101', base / 'ucf101', UCF_DAMAGE),
        hmdb51=damaged_tree('hmdb51', base / 'hmdb51', HMDB_DAMAGE))


def argv(trees, work, *extra):
    return [
        'ucf101', 'hmdb51', '--data-root', f'ucf101={trees["ucf101"]}', '--data-root', f'hmdb51={trees["hmdb51"]}',
        '--work-dir', work, '--splits', '1', '--seeds', '0', *extra, '--cfg-options', *tiny_options()
    ]


def expected_report(trees):
    """``LIST:LINE: path: reason`` of every damaged video that split 1 lists."""
    lines = []
    for name, damaged in (('ucf101', UCF_DAMAGE), ('hmdb51', HMDB_DAMAGE)):
        for lst in sorted(trees[name].glob(f'{name}_*_split_1_videos.txt')):
            for e in read_video_list(lst):
                if e.path in damaged:
                    lines.append(f'{lst}:{e.lineno}: {e.path}: {DAMAGE[damaged[e.path]]}')
    return lines


def test_bad_videos_stop_the_benchmark_before_any_job_naming_them_all(trees, tmp_path):
    with pytest.raises(SystemExit) as stop:
        benchmark(argv(trees, tmp_path))
    message, report = str(stop.value), tmp_path / 'data_check' / 'bad_videos.txt'
    assert message.startswith('error: 6 listed video(s) are bad (') and '\n' not in message
    for name, (_, bad) in LISTS.items():
        assert f'{name}: {bad}' in message
    assert f'listed as LIST:LINE: path: reason in {report}' in message and 'run again with --skip-bad' in message
    written = report.read_text().splitlines()
    expected = expected_report(trees)
    assert len(written) == len(expected) == 6
    assert all(any(w.startswith(e) for w in written) for e in expected), (written, expected)
    assert not (tmp_path / 'jobs').exists()


def test_skip_bad_stops_when_a_list_would_lose_more_than_its_limit(trees, tmp_path):
    with pytest.raises(
            SystemExit,
            match=r'hmdb51_train_split_1_videos.txt: 2 of 6 entries are bad, more than '
            r'--skip-bad leaves out \(20%\)'):
        benchmark(argv(trees, tmp_path, '--skip-bad', '0.2'))
    assert not (tmp_path / 'jobs').exists()


def test_a_list_whose_videos_are_all_missing_stops_with_where_they_are(trees, tmp_path):
    root = tmp_path / 'hmdb51'
    shutil.copytree(trees['hmdb51'], root, symlinks=True)
    (root / 'videos').rename(root / 'clips')
    (root / 'videos').mkdir()
    (root / 'clips').rename(root / 'videos' / 'clips')  # one folder too deep
    with pytest.raises(SystemExit) as stop:
        benchmark(['hmdb51', '--data-root', root, '--work-dir', tmp_path / 'work', '--splits', '1', '--skip-bad'])
    message = str(stop.value)
    assert 'hmdb51_train_split_1_videos.txt: none of its 6 entries is usable' in message and '\n' not in message
    assert f"the videos are one folder deeper: use '{root / 'videos' / 'clips'}'" in message


@pytest.fixture(scope='module')
def skipped(trees, tmp_path_factory):
    work = tmp_path_factory.mktemp('skip_bad')
    return dict(work=work, results=benchmark(argv(trees, work, '--skip-bad', '0.5')))


@pytest.mark.slow
def test_skip_bad_leaves_them_out_of_training_and_testing_and_says_so(trees, skipped):
    work, res = skipped['work'], skipped['results']
    assert json.loads((work / 'results.json').read_text())['data'] == res['data']
    records = {r['list'].rsplit('/', 1)[1]: r for r in res['data']['lists']}
    assert {k: (r['entries'], r['bad']) for k, r in records.items()} == LISTS
    damaged = set(UCF_DAMAGE) | set(HMDB_DAMAGE)
    for name, r in records.items():
        used = read_video_list(r['used'])
        assert r['used'].startswith(str(work / 'data_check')) and len(used) == r['entries'] - r['bad']
        assert not damaged & {e.path for e in used}
    md = (work / 'results.md').read_text()
    assert '## Videos left out (--skip-bad)' in md and str(work / 'data_check' / 'bad_videos.txt') in md
    assert '| UCF101 | ucf101_val_split_1_videos.txt | 6 | 1 |' in md
    assert '| HMDB51 | hmdb51_train_split_1_videos.txt | 6 | 2 |' in md
    for data in ('ucf101', 'hmdb51'):
        train = records[f'{data}_train_split_1_videos.txt']['used']
        test = records[f'{data}_val_split_1_videos.txt']['used']
        jobs = [j for name, j in res['jobs'].items() if f'/{data}/' in name or name.endswith(f'/{data}/scratch')]
        assert len(jobs) == 3  # fine-tune, test, frozen: every one reads the lists without the bad videos
        assert all(train in j['command'] and test in j['command'] for j in jobs), jobs
        frozen = res['frozen'][data]['scratch']['runs']['split1']
        assert (frozen['num_train'], frozen['num_test']) == (len(read_video_list(train)), len(read_video_list(test)))


@pytest.mark.slow
def test_a_rerun_checks_no_video_again(trees, skipped, capsys):
    work = skipped['work']
    kept = ['data_check/*/*.txt', 'jobs/**/result.json']  # the lists without bad entries, the results
    before = {p: p.stat().st_mtime_ns for pattern in kept for p in work.glob(pattern)}
    benchmark(argv(trees, work, '--skip-bad', '0.5'))
    err = capsys.readouterr().err
    assert re.search(r'data: checked 27 list entries in [\d.]+ s \(21 videos known good from an earlier run\), 6 bad',
                     err)
    assert '6 job(s) finished by an earlier run: skipped' in err
    assert {p: p.stat().st_mtime_ns for pattern in kept for p in work.glob(pattern)} == before
    assert len(before) == 4 + 6


@pytest.mark.slow
def test_a_video_that_breaks_after_the_check_is_skipped_in_training_and_stops_a_test(trees, skipped, tmp_path):
    root = damaged_tree('ucf101', tmp_path / 'ucf101', UCF_DAMAGE)
    records = {r['list'].rsplit('/', 1)[1]: r for r in skipped['results']['data']['lists']}
    test_list = records['ucf101_val_split_1_videos.txt']['used']
    config = str(shipped_path(FINETUNE_CONFIG.format(name='ucf101', split=1, architecture='r3d18', input='rgb')))
    train_list = trees['ucf101'] / 'ucf101_train_split_1_videos.txt'  # 2 bad of 12, as if never checked
    common = [
        config, '--cfg-options', *tiny_options(), *(f'{loader}_dataloader.dataset.data_prefix.video={root / "UCF-101"}'
                                                    for loader in ('train', 'val', 'test')),
        f'train_dataloader.dataset.ann_file={train_list}', f'val_dataloader.dataset.ann_file={test_list}',
        'train_dataloader.num_workers=1', 'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False'
    ]
    trained = run_tool('tools/train.py', *common, 'train_dataloader.dataset.max_bad_fraction=0.5', '--work-dir',
                       tmp_path / 'train')
    assert trained.returncode == 0, trained.stderr[-2000:]
    # the run's log file: the loader worker that meets the bad videos appends to it too
    log = next((tmp_path / 'train').glob('*/*.log')).read_text()
    for e in read_video_list(train_list):
        if e.path in UCF_DAMAGE:
            assert f'Skipping bad video {train_list}:{e.lineno}: {root / "UCF-101" / e.path}: ' \
                f'{DAMAGE[UCF_DAMAGE[e.path]]}' in log
    assert 'Epoch(train) [1]: skipped 2 bad video files' in log
    stopped = run_tool('tools/train.py', *common, '--work-dir', tmp_path / 'stopped')  # max_bad_fraction 1 %
    assert stopped.returncode == 1
    error = stopped.stderr.strip().splitlines()[-1]
    # stopped after the batch the loader worker met the first bad video in (the worker may have met both)
    assert re.match(rf'error: [12] of 12 entries of {train_list} are bad', error) and 'max_bad_fraction=1.0%' in error
    assert 'tools/check_dataset.py' in error and 'Traceback' not in stopped.stderr

    entry = read_video_list(test_list)[2]
    damage(root / 'UCF-101' / entry.path, 'cut')  # e.g. a network file system returning a short read
    checkpoint = tmp_path / 'train' / 'epoch_1.pth'
    tested = run_tool('tools/test.py', *common[:1], checkpoint, '--work-dir', tmp_path / 'test', *common[1:],
                      f'test_dataloader.dataset.ann_file={test_list}', 'test_dataloader.num_workers=1',
                      'test_dataloader.persistent_workers=False')
    assert tested.returncode == 1
    error = tested.stderr.strip().splitlines()[-1]
    assert error.startswith(f'error: {test_list}:{entry.lineno}: {root / "UCF-101" / entry.path}: truncated or '
                            'corrupt video'), error
    assert 'a test set must not change' in error and 'Traceback' not in tested.stdout + tested.stderr


def test_pretraining_lists_stop_only_beyond_their_configs_tolerance(trees, video_dir, tmp_path):
    """Pretraining skips bad videos by design: its lists stop the benchmark only with more bad entries than the
    config's max_bad_fraction (where the pretraining would stop hours later)."""
    videos = tmp_path / 'kinetics' / 'videos'
    shutil.copytree(video_dir, videos, ignore=shutil.ignore_patterns('*.txt'))
    (videos / 'clip_7.mp4').write_bytes(b'')  # 1 of 8
    train = tmp_path / 'kinetics' / 'train.txt'
    train.write_text(''.join(f'clip_{i}.mp4 0\n' for i in range(8)))
    base = shipped_path('configs/rotnet3d/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py')

    def pretrain_config(max_bad):
        dataset = f'dataset=dict(ann_file={str(train)!r}, data_prefix=dict(video={str(videos)!r}), min_frames=8, ' \
            f'max_bad_fraction={max_bad})'
        path = tmp_path / f'pretrain_{max_bad}.py'
        path.write_text(f'_base_ = [{str(base)!r}]\nmodel = dict(backbone=dict(base_channels=8))\n'
                        f'train_dataloader = dict({dataset})\nval_dataloader = dict({dataset})\n')
        return f'mine={path}'

    with pytest.raises(
            SystemExit,
            match=rf'^error: {train}: 1 of 8 entries are bad, more than the pretraining '
            r'config allows \(max_bad_fraction=1%'):
        benchmark(argv(trees, tmp_path / 'strict', '--pretrain-config', pretrain_config(0.01)))
    with pytest.raises(SystemExit, match=r'^error: 6 listed video\(s\) are bad \(ucf101_train'):  # the others only
        benchmark(argv(trees, tmp_path / 'tolerant', '--pretrain-config', pretrain_config(0.2)))
    report = (tmp_path / 'tolerant' / 'data_check' / 'bad_videos.txt').read_text().splitlines()
    assert f'{train}:8: clip_7.mp4: zero-byte file' in report and len(report) == 7
