"""tools/visualize_activations.py on real decoded videos: a contact sheet and an animation per video."""
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from mmrot3d.apis import init_model

REPO = Path(__file__).resolve().parents[3]
CONFIG = str(REPO / 'tests/data/configs/rotnet3d_tiny.py')  # val_pipeline: one 8-frame clip, 32x32 crop


def run_tool(args):
    argv, sys.argv = sys.argv, ['tools/visualize_activations.py'] + [str(a) for a in args]
    try:
        runpy.run_path(str(REPO / 'tools/visualize_activations.py'), run_name='__main__')
    finally:
        sys.argv = argv


def test_activation_sheets_and_animations(video_dir, tmp_path):
    videos = [video_dir / 'clip_0.mp4', video_dir / 'clip_1.mp4']
    run_tool([
        CONFIG, 'none', *videos, '--out', tmp_path, '--stage', 'layer2', '--columns', '4', '--combined',
        tmp_path / 'all.png'
    ])
    for video in videos:
        sheet = np.asarray(Image.open(tmp_path / f'{video.stem}.png'))
        tile = 32 * 4  # 32-pixel frames shown 4x
        assert sheet.shape == (22 + 2 * tile, 110 + 4 * tile, 3)  # title, frames row, overlay row
        frames, overlays = (sheet[22 + row * tile:22 + (row + 1) * tile, 110:].astype(int) for row in (0, 1))
        # overlay = (frame + colour-mapped map) / 2: the map's colours are 2 x overlay - frame. Each frame's map is
        # min-max normalised, so every frame shows both ends of the JET colour map: blue (low) and red (high).
        colours = 2 * overlays - frames
        for column in range(4):
            red_minus_blue = (colours[..., 0] - colours[..., 2])[:, column * tile:(column + 1) * tile]
            assert red_minus_blue.max() > 100 and red_minus_blue.min() < -100, (video, column)
        gif = Image.open(tmp_path / f'{video.stem}.gif')
        assert gif.n_frames == 8 and gif.size == (2 * tile, tile)  # every frame of the clip, beside its overlay
    assert Image.open(tmp_path / 'all.png').size == (110 + 4 * tile, 2 * (22 + 2 * tile))  # both sheets stacked


def test_gradcam_needs_the_whole_model_and_then_draws_it(video_dir, tmp_path):
    model, _ = init_model(CONFIG)
    whole, backbone = tmp_path / 'model.pth', tmp_path / 'backbone.pth'
    torch.save(model.state_dict(), whole)
    torch.save(model.backbone.state_dict(), backbone)
    with pytest.raises(SystemExit, match='Grad-CAM explains a logit of the trained head, which the backbone export'):
        run_tool([CONFIG, backbone, video_dir / 'clip_0.mp4', '--out', tmp_path, '--method', 'gradcam'])
    run_tool([CONFIG, whole, video_dir / 'clip_0.mp4', '--out', tmp_path / 'cam', '--method', 'gradcam'])
    assert Image.open(tmp_path / 'cam' / 'clip_0.gif').n_frames == 8
    with pytest.raises(SystemExit, match='no such file: nope.mp4'):
        run_tool([CONFIG, 'none', 'nope.mp4', '--out', tmp_path])
