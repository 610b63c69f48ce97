"""Synthetic action dataset: official layouts, decodable videos, determinism, reuse, and "up" only on the actor."""
import csv
import json
import re
from pathlib import Path

import cv2
import decord
import numpy as np
import pytest

from mmrot3d_harness.synthetic import (CLASSES, Params, camel_case, generate, make_jobs, render_clip, render_job,
                                       render_job_masks)
from mmrot3d_harness.synthetic.generator import held_out_groups
from mmrot3d_harness.synthetic.render import sample_style
from mmrot3d_harness.synthetic.stick_figure import J

SMALL = Params(seed=3, pretrain_clips=24, pretrain_val_clips=12, clips_per_class=6, groups=3, frames=8, size=32)
UCF_NAME = re.compile(r'^([A-Za-z]+)/v_\1_g(\d{2})_c(\d{2})\.avi$')


@pytest.fixture(scope='module')
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp('synthetic')
    assert generate(out, SMALL, workers=2) is True
    return out


def _decode(path: Path) -> np.ndarray:
    vr = decord.VideoReader(str(path))
    return vr.get_batch(list(range(len(vr)))).asnumpy()


def test_kinetics_layout(dataset):
    root = dataset / 'kinetics_style'
    for name, split, count in (('train.csv', 'train', SMALL.pretrain_clips), ('validate.csv', 'val',
                                                                              SMALL.pretrain_val_clips)):
        lines = (root / name).read_text().splitlines()
        assert lines[0] == 'label,youtube_id,time_start,time_end,split'
        rows = list(csv.DictReader(lines))
        assert len(rows) == count
        assert {r['label'] for r in rows} == set(CLASSES) or count < len(CLASSES)
        for r in rows:
            assert re.fullmatch(r'[A-Za-z0-9_-]{11}', r['youtube_id'])
            assert r['split'] == split and r['label'] in CLASSES
            start, end = int(r['time_start']), int(r['time_end'])
            assert 0 <= start < end
            video = root / 'videos' / split / r['label'] / f"{r['youtube_id']}_{start:06d}_{end:06d}.mp4"
            assert video.is_file(), video
        assert len({r['youtube_id'] for r in rows}) == count
        assert len(list((root / 'videos' / split).glob('*/*.mp4'))) == count  # nothing else there


def test_ucf_layout_and_splits(dataset):
    lists = dataset / 'ucf_style' / 'ucfTrainTestlist'
    class_ind = [line.split(' ') for line in (lists / 'classInd.txt').read_text().splitlines()]
    assert [int(i) for i, _ in class_ind] == list(range(1, len(CLASSES) + 1))
    names = {name: int(i) for i, name in class_ind}
    assert list(names) == [camel_case(c) for c in CLASSES] and 'JumpingJack' in names
    videos = {
        str(p.relative_to(dataset / 'ucf_style' / 'UCF-101'))
        for p in (dataset / 'ucf_style' / 'UCF-101').glob('*/*.avi')
    }
    assert len(videos) == SMALL.clips_per_class * len(CLASSES)
    held_out_count = {}
    for split in (1, 2, 3):
        train = [line.split(' ') for line in (lists / f'trainlist0{split}.txt').read_text().splitlines()]
        test = (lists / f'testlist0{split}.txt').read_text().splitlines()
        assert all(len(t) == 2 for t in train) and all(' ' not in t for t in test)
        train_paths = [p for p, _ in train]
        assert set(train_paths) | set(test) == videos and not set(train_paths) & set(test)
        for path, label in train:
            assert names[UCF_NAME.match(path).group(1)] == int(label)
        groups = {'train': set(), 'test': set()}
        for kind, paths in (('train', train_paths), ('test', test)):
            for path in paths:
                m = UCF_NAME.match(path)
                assert m, path
                groups[kind].add(int(m.group(2)))
            assert {UCF_NAME.match(p).group(1) for p in paths} == set(names)  # every class on both sides
        assert not groups['train'] & groups['test']
        for g in groups['test']:
            held_out_count[g] = held_out_count.get(g, 0) + 1
    assert held_out_count == {g: 1 for g in range(1, SMALL.groups + 1)}  # each group tested exactly once


def test_test_groups_are_thirds():
    for groups in (3, 6, 7, 25):
        parts = [held_out_groups(s, groups) for s in (1, 2, 3)]
        assert sorted(sum(parts, [])) == list(range(1, groups + 1))
        assert max(map(len, parts)) - min(map(len, parts)) <= 1


def test_decord_reads_both_layouts(dataset):
    paths = sorted((dataset / 'kinetics_style' / 'videos').glob('*/*/*.mp4'))[:3] + \
        sorted((dataset / 'ucf_style' / 'UCF-101').glob('*/*.avi'))[:3]
    for path in paths:
        frames = _decode(path)
        assert frames.shape == (SMALL.frames, SMALL.size, SMALL.size, 3), path
        assert frames.std() > 5  # not blank


def test_decoded_video_matches_render(dataset):
    job = next(j for j in make_jobs(SMALL) if j.path.endswith('.avi'))
    rendered, _ = render_job(job, SMALL)
    decoded = _decode(dataset / job.path).astype(np.float32)
    assert np.abs(decoded - rendered).mean() < 12  # XVID is lossy but it is the same clip


def test_deterministic_for_a_seed(dataset, tmp_path):
    jobs = make_jobs(SMALL)
    for job in (jobs[0], jobs[-1]):
        a, ja = render_job(job, SMALL)
        b, jb = render_job(job, SMALL)
        assert np.array_equal(a, b) and np.array_equal(ja, jb)
    other = Params(**{**SMALL.__dict__, 'seed': SMALL.seed + 1})
    assert not np.array_equal(render_job(make_jobs(other)[0], other)[0], render_job(jobs[0], SMALL)[0])
    # A second run with a different worker count writes the same videos.
    generate(tmp_path, SMALL, workers=1)
    for job in (jobs[1], jobs[-2]):
        assert np.array_equal(_decode(tmp_path / job.path), _decode(dataset / job.path))


def test_contact_sheet_and_meta(dataset):
    sheet = cv2.imread(str(dataset / 'contact_sheet.png'))
    assert sheet is not None and sheet.shape[0] >= len(CLASSES) * SMALL.size
    meta = json.loads((dataset / 'meta.json').read_text())
    assert meta['complete'] and meta['classes'] == CLASSES and meta['params']['seed'] == SMALL.seed


def test_complete_output_is_reused_and_changed_params_regenerate(tmp_path):
    params = Params(seed=5, pretrain_clips=4, pretrain_val_clips=2, clips_per_class=3, groups=3, frames=4, size=32)
    assert generate(tmp_path, params, workers=1) is True
    video = tmp_path / make_jobs(params)[0].path
    stamps = (video.stat().st_mtime_ns, (tmp_path / 'meta.json').stat().st_mtime_ns)
    assert generate(tmp_path, params, workers=1) is False
    assert (video.stat().st_mtime_ns, (tmp_path / 'meta.json').stat().st_mtime_ns) == stamps
    # An interrupted run (a video missing, meta not complete) is resumed, not restarted.
    video.unlink()
    assert generate(tmp_path, params, workers=1) is True and video.is_file()
    changed = Params(**{**params.__dict__, 'pretrain_clips': 2})
    assert generate(tmp_path, changed, workers=1) is True
    assert len(list((tmp_path / 'kinetics_style' / 'videos' / 'train').glob('*/*.mp4'))) == 2  # no stale clips


@pytest.mark.parametrize('class_idx', range(len(CLASSES)))
def test_head_above_feet_in_every_class(class_idx):
    """The actor carries "up": averaged over clips, the head is well above the ankles (image v grows down)."""
    gaps = []
    for i in range(6):
        rng = np.random.default_rng([11, class_idx, i])
        _, joints = render_clip(class_idx, sample_style(rng), rng, num_frames=32, size=64)
        head_v = joints[:, J['head'], 1]
        feet_v = 0.5 * (joints[:, J['ankle_l'], 1] + joints[:, J['ankle_r'], 1])
        gaps.append(np.mean(feet_v - head_v))
        assert joints.min() > -1 and joints.max() < 65  # the whole motion stays in the frame
    assert np.mean(gaps) > 0.15 * 64, (CLASSES[class_idx], gaps)


def test_background_has_no_up_direction():
    """Without the actor, clips look the same under 90-degree rotations: no vertical or horizontal gradient."""
    sums = np.zeros((32, 32))
    diffs_v, diffs_h = [], []
    for i in range(240):
        rng = np.random.default_rng([12, i])
        frames, _ = render_clip(i % len(CLASSES), sample_style(rng), rng, num_frames=4, size=32, draw_actor=False)
        img = frames.astype(np.float64).mean(axis=(0, 3))  # (H, W)
        sums += img
        diffs_v.append(img[:16].mean() - img[16:].mean())
        diffs_h.append(img[:, :16].mean() - img[:, 16:].mean())
    for d in (diffs_v, diffs_h):
        se = np.std(d) / np.sqrt(len(d))
        assert abs(np.mean(d)) < max(3 * se, 0.5), (np.mean(d), se)
    # The mean image's row profile is flat, like its column profile.
    mean = sums / 240
    rows, cols = mean.mean(axis=1), mean.mean(axis=0)
    assert np.ptp(rows) < 3 * np.ptp(cols) + 2.0
    assert abs(np.polyfit(np.arange(32), rows, 1)[0]) < 0.08  # grey levels per row


def test_actor_free_controls_twin_the_val_clips(dataset):
    """Each control is its validation clip without the actor: on the actor's pixels (its mask, replayed from
    the clip's seeds) the two videos differ by far more than codec noise; away from the actor they are the
    same scene, frame by frame, up to codec noise."""
    from mmrot3d_harness.synthetic import generate_actor_free
    root = generate_actor_free(dataset, SMALL, workers=1)
    videos = dataset / 'kinetics_style' / 'videos'
    val = sorted((videos / 'val').rglob('*.mp4'))
    twins = sorted(root.rglob('*.mp4'))
    assert [p.relative_to(videos) for p in val] == [p.relative_to(root) for p in twins]
    jobs = [j for j in make_jobs(SMALL) if j.path.startswith('kinetics_style/videos/val/')]
    assert len(jobs) == len(val) == SMALL.pretrain_val_clips
    pixel = np.ones((3, 3), np.uint8)
    for job in jobs:
        rel = Path(job.path).relative_to('kinetics_style/videos')
        diff = np.abs(_decode(videos / rel).astype(int) - _decode(root / rel).astype(int)).max(axis=-1)  # (T, H, W)
        masks = render_job_masks(job, SMALL)
        actor = np.stack([cv2.erode(m.astype(np.uint8), pixel) > 0 for m in masks])  # inside, off the rim
        away = ~np.stack([cv2.dilate(m.astype(np.uint8), pixel, iterations=2) > 0 for m in masks])
        assert actor.sum() >= 10 and away.mean() > 0.5, job.path
        # The actor is gone (measured: the 10 % quantile is 127..193 grey levels) ...
        assert np.quantile(diff[actor], 0.1) > 60, (job.path, np.quantile(diff[actor], 0.1))
        # ... and the rest is the same scene in every frame (measured: mean 2..8, 99 % quantile <= 22).
        for t in range(len(diff)):
            assert diff[t][away[t]].mean() < 12 and np.quantile(diff[t][away[t]], 0.99) < 40, (job.path, t)
    assert generate_actor_free(dataset, SMALL, workers=1) == root  # reused


def test_actor_blob_controls_keep_the_actors_place_and_nothing_of_its_shape(dataset):
    """Each position-only twin is the actor-free twin with a grey disc at the actor's centroid, of its area."""
    from mmrot3d_harness.synthetic import generate_actor_blob, generate_actor_free
    free, blob = generate_actor_free(dataset, SMALL, workers=1), generate_actor_blob(dataset, SMALL, workers=1)
    job = next(j for j in make_jobs(SMALL) if j.path.startswith('kinetics_style/videos/val/'))
    rel = Path(job.path).relative_to('kinetics_style/videos')
    with_disc, without = _decode(blob / rel).astype(int), _decode(free / rel).astype(int)
    masks = render_job_masks(job, SMALL)
    for t in range(len(masks)):
        ys, xs = np.nonzero(masks[t])
        y, x = int(round(ys.mean())), int(round(xs.mean()))
        assert np.abs(with_disc[t, y, x] - 128).max() < 25  # grey at the actor's centroid
        corner = (0, 0) if abs(y) + abs(x) > 8 else (-1, -1)
        assert np.abs(with_disc[t][corner] - without[t][corner]).max() < 25  # the scene elsewhere


def test_the_pretraining_clips_carry_the_shortcuts_asked_for_and_the_ucf_clips_none():
    from mmrot3d_harness.synthetic.generator import has_bars
    shortcut = Params(
        seed=3,
        pretrain_clips=40,
        pretrain_val_clips=4,
        clips_per_class=3,
        groups=3,
        frames=4,
        size=32,
        bars=0.5,
        logo=True)
    kinetics = [j for j in make_jobs(shortcut) if j.path.startswith('kinetics_style/')]
    barred = [j for j in kinetics if has_bars(j, shortcut)]
    assert 0.3 < len(barred) / len(kinetics) < 0.7  # a share of them, drawn per clip
    frames, _ = render_job(barred[0], shortcut)
    bar = int(round(0.15 * 32))
    assert (frames[:, :bar] == 0).all() and (frames[:, -bar:] == 0).all()
    clean = next(j for j in kinetics if not has_bars(j, shortcut))
    frames, _ = render_job(clean, shortcut)
    assert (frames[:, 10:13, 9] == 255).all() and not (frames[:, :bar] == 0).all()  # the logo's white stem, no bar
    ucf = next(j for j in make_jobs(shortcut) if j.path.startswith('ucf_style/'))
    plain = Params(**{**shortcut.__dict__, 'bars': 0.0, 'logo': False})
    assert np.array_equal(render_job(ucf, shortcut)[0], render_job(ucf, plain)[0])
    # recorded only where set: a dataset made before the shortcuts existed stays complete
    assert 'bars' not in SMALL.identity() and shortcut.identity()['bars'] == 0.5
