"""Actor masks of synthetic clips: exactly the pixels the actor changes, replayed from the clip's seeds."""
import cv2
import decord
import numpy as np
import pytest

from mmrot3d_harness.synthetic import ActorMasks, Params, make_jobs, render_clip, render_job, render_job_masks
from mmrot3d_harness.synthetic.generator import style_for


def test_masks_are_the_pixels_the_actor_changes():
    params = Params(seed=2, pretrain_clips=12, pretrain_val_clips=0, clips_per_class=3, groups=3, frames=12)
    for job in make_jobs(params)[::4]:
        frames, _ = render_job(job, params)
        masks = render_job_masks(job, params)
        without, _ = render_clip(
            job.class_idx,
            style_for(job),
            np.random.default_rng(list(job.clip_key)),
            params.frames,
            params.size,
            params.fps,
            draw_actor=False)
        changed = np.abs(frames.astype(int) - without.astype(int)).max(axis=-1) > 30
        assert masks.shape == (params.frames, params.size, params.size) and masks.dtype == bool
        assert 0.01 < masks.mean() < 0.3
        assert (changed & masks).sum() / masks.sum() > 0.99  # every actor pixel differs from the empty scene
        # ... and what differs outside the mask is the anti-aliased rim of the figure, one pixel wide
        rim = np.stack([cv2.dilate(m.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0 for m in masks])
        assert (changed & ~rim).sum() <= 0.002 * changed.size


def test_masks_of_a_written_video_match_its_frames(synthetic_dataset):
    video = sorted((synthetic_dataset / 'ucf_style' / 'UCF-101').glob('*/*.avi'))[0]
    masks_of = ActorMasks.of_video(video)
    assert masks_of.root == synthetic_dataset.resolve()
    masks = masks_of(video)
    reader = decord.VideoReader(str(video))
    assert masks.shape == (len(reader), ) + reader[0].shape[:2]
    np.testing.assert_array_equal(masks, render_job_masks(masks_of.job(video), masks_of.params))


def test_unknown_videos_are_refused_with_one_line(synthetic_dataset, video_dir):
    masks_of = ActorMasks(synthetic_dataset)
    with pytest.raises(ValueError, match='not inside the synthetic dataset'):
        masks_of(video_dir / 'clip_0.mp4')
    with pytest.raises(ValueError, match='not a clip of'):
        masks_of(synthetic_dataset / 'ucf_style' / 'UCF-101' / 'Walk' / 'v_Walk_g09_c01.avi')
    with pytest.raises(FileNotFoundError, match='no synthetic dataset'):
        ActorMasks.of_video(video_dir / 'clip_0.mp4')
