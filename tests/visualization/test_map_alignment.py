"""Known answers for the maps the tools draw and measure: a backbone whose activation is the input's
brightness, a video bright only in an off-centre block that moves between the first and the second half,
and that block as the actor mask. Through the code ``tools/actor_share.py`` (``compare_backbones``) and
``tools/visualize_activations.py`` (``load_clip`` + ``clip_maps``) run, the map lies on the mask; a mask
shifted, transposed or moved in time, or a map drawn so, misses it."""
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule

from mmrot3d.apis import init_model, load_config
from mmrot3d.visualization import clip_maps, compare_backbones, load_clip, single_clip_pipeline
from mmrot3d_harness.video_io import write_video

REPO = Path(__file__).resolve().parents[2]
# val_pipeline: 8 frames at stride 2 of the first 16, resized to 40 (a no-op here), centre crop 32
CONFIG = str(REPO / 'tests/data/configs/rotnet3d_tiny.py')
SIZE, FRAMES, CROP = 40, 16, 32
# The block in the frames (rows, columns), first half and second half of the video. Neither it nor its
# transpose, its time-swapped twin or its 8-row shift overlap; even edges, so 2x2x2 pooling keeps them.
FIRST = (slice(6, 12), slice(22, 34))
SECOND = (slice(20, 26), slice(28, 34))


@MODELS.register_module(force=True)
class BrightnessProbe(BaseModule):
    """A backbone with known activations. ``layer3``: ``ReLU(mean over RGB - 1.5)`` of the normalised input,
    per pixel (only near-white pixels are active); ``layer4``: that averaged over 2x2x2 blocks (a stage with
    stride 2 in time and space, whose map must be upsampled)."""

    def __init__(self) -> None:
        super().__init__()
        self.layer3 = nn.Sequential(nn.Conv3d(3, 1, 1), nn.ReLU())
        self.layer4 = nn.AvgPool3d(2)

    def init_weights(self) -> None:
        with torch.no_grad():
            self.layer3[0].weight.fill_(1 / 3)
            self.layer3[0].bias.fill_(-1.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer4(self.layer3(x))


def block_masks() -> np.ndarray:
    """``(FRAMES, SIZE, SIZE)`` bool: the block in every frame of the video."""
    masks = np.zeros((FRAMES, SIZE, SIZE), bool)
    masks[:FRAMES // 2][(slice(None), ) + FIRST] = True
    masks[FRAMES // 2:][(slice(None), ) + SECOND] = True
    return masks


@pytest.fixture(scope='module')
def video(tmp_path_factory) -> str:
    """Dark noise everywhere, near-white in the block (mp4v: edges blur a little, as in real videos)."""
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 40, size=(FRAMES, SIZE, SIZE, 3), dtype=np.uint8)
    frames[block_masks()] = 250
    path = tmp_path_factory.mktemp('block') / 'block.mp4'
    write_video(path, frames)
    return str(path)


@pytest.fixture(scope='module')
def cfg():
    cfg = load_config(CONFIG)
    cfg.model.backbone = dict(type='BrightnessProbe')
    cfg.model.cls_head = dict(type='RotationHead', num_classes=4, in_channels=1)
    return cfg


MASKS = {
    'the block': lambda m: m,
    'shifted 8 rows': lambda m: np.roll(m, 8, axis=1),
    'transposed': lambda m: m.transpose(0, 2, 1),
    'moved in time': lambda m: m[::-1],
}


def test_actor_share_is_one_on_the_block_and_zero_off_it(cfg, video):
    """``compare_backbones`` (what tools/actor_share.py runs) measures the probe's maps against each mask."""
    shares = {}
    for name, move in MASKS.items():
        result = compare_backbones(
            cfg, {'probe': None}, [video], lambda _, move=move: move(block_masks()),
            stages=('layer3', 'layer4'))['probe']
        shares[name] = {
            (stage, reading): result[stage][reading]['actor_share']
            for stage in ('layer3', 'layer4')
            for reading in ('raw', 'normalized')
        }
        for stage in ('layer3', 'layer4'):
            assert result[stage]['raw']['frames'] == FRAMES // 2  # 8 sampled frames, every one scored
    # The pointwise stage gives exactly 1 and 0 (measured). The stride-2 stage's map, upsampled, spills over
    # the block's edges and, in time, into the neighbouring frame (measured: 0.80 on, <= 0.06 off).
    for key, share in shares['the block'].items():
        assert share > (0.99 if key[0] == 'layer3' else 0.75), (key, share)
    for name in ('shifted 8 rows', 'transposed', 'moved in time'):
        for key, share in shares[name].items():
            assert share < (0.01 if key[0] == 'layer3' else 0.1), (name, key, share)


def test_drawn_maps_lie_on_the_block(cfg, video):
    """``load_clip`` + ``clip_maps`` (what tools/visualize_activations.py draws per video): the normalised
    activation map and the Grad-CAM of a head that scores brightness are the block, frame by frame."""
    model, _ = init_model(cfg)
    with torch.no_grad():  # rotation logit 0 = the clip's mean brightness in the probe
        model.cls_head.classifier.weight.zero_()
        model.cls_head.classifier.weight[0] = 1.0
    clip = load_clip(video, single_clip_pipeline(cfg), model.data_preprocessor, block_masks())
    assert clip.frame_inds.tolist() == list(range(0, FRAMES, 2)) and clip.masks.shape == (8, CROP, CROP)
    offset = (SIZE - CROP) // 2
    for t, (rows, cols) in enumerate([FIRST] * 4 + [SECOND] * 4):  # the mask followed the frames
        expected = np.zeros((CROP, CROP), bool)
        expected[rows.start - offset:rows.stop - offset, cols.start - offset:cols.stop - offset] = True
        np.testing.assert_array_equal(clip.masks[t], expected)
    for method in ('activation', 'gradcam'):
        maps, _ = clip_maps(model, clip, method, stage='layer3')
        assert maps.shape == clip.masks.shape
        hot = maps > 0.5
        for t in range(len(maps)):
            iou = (hot[t] & clip.masks[t]).sum() / (hot[t] | clip.masks[t]).sum()
            assert iou > 0.8, (method, t, iou)
