"""CropFlipDataPreprocessor: the device-side crop + flip + normalisation equals the pipeline's."""
import numpy as np
import pytest
import torch
from conftest import load_batch
from mmaction.registry import MODELS, TRANSFORMS
from mmaction.structures import ActionDataSample
from small_backbones import narrow_r3d

NORM = dict(mean=[114.75, 110.0, 100.5], std=[57.375, 50.0, 60.25], format_shape='NCTHW')
CROP = 32


def decoded_pipeline(*augment):
    """decord -> 80x48 (WxH, not square: both offsets are drawn) -> [augment] -> NCTHW uint8."""
    return [
        dict(type='DecordInit'),
        dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1, test_mode=True),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(80, 48), keep_ratio=False), *augment,
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs', meta_keys=('img_shape', 'crop_bbox', 'flip'))
    ]


def crop_flip(**kwargs):
    return MODELS.build(dict(type='CropFlipDataPreprocessor', crop_size=CROP, **NORM, **kwargs))


def test_seeded_run_gives_the_pipelines_crops_flips_and_values(video_dir):
    np.random.seed(7)
    pipeline = load_batch(video_dir,
                          decoded_pipeline(dict(type='RandomCrop', size=CROP), dict(type='Flip', flip_ratio=0.5)),
                          range(8))
    expected = MODELS.build(dict(type='ActionDataPreprocessor', **NORM))(pipeline, training=True)

    np.random.seed(7)
    uncropped = load_batch(video_dir, decoded_pipeline(), range(8))
    assert uncropped['inputs'][0].shape == (1, 3, 8, 48, 80) and uncropped['inputs'][0].dtype == torch.uint8
    device = crop_flip()(uncropped, training=True)

    assert device['inputs'].shape == (8, 1, 3, 8, CROP, CROP)
    torch.testing.assert_close(device['inputs'], expected['inputs'], rtol=0, atol=0)
    boxes = [s.crop_bbox.tolist() for s in pipeline['data_samples']]
    assert [s.crop_bbox.tolist() for s in device['data_samples']] == boxes
    assert [s.flip for s in device['data_samples']] == [s.flip for s in pipeline['data_samples']]
    assert len({tuple(b) for b in boxes}) > 1 and len({s.flip for s in device['data_samples']}) == 2


def test_crop_positions_and_flip_rate_have_the_pipelines_distribution():
    """Unseeded statistics over many draws: the same offset range (RandomCrop never draws the last
    position), uniform over it, and the flip rate."""
    pre = crop_flip()
    random_crop, flip = TRANSFORMS.build(dict(type='RandomCrop', size=CROP)), TRANSFORMS.build(dict(type='Flip'))
    draws = 6000
    mine = np.array([pre.draw(48, 80) for _ in range(draws)])
    theirs = []
    for _ in range(draws):
        res = random_crop(dict(img_shape=(48, 80)))
        flipped = flip(dict(imgs=[], img_shape=(48, 80), modality='RGB'))['flip']
        theirs.append((res['crop_bbox'][1], res['crop_bbox'][0], flipped))
    theirs = np.array(theirs)
    for axis, span in ((0, 48 - CROP), (1, 80 - CROP)):
        for values in (mine[:, axis], theirs[:, axis]):
            assert values.min() == 0 and values.max() == span - 1
            counts = np.bincount(values, minlength=span)
            assert counts.min() > 0.6 * draws / span and counts.max() < 1.4 * draws / span  # ~uniform
    assert abs(mine[:, 2].mean() - 0.5) < 0.03 and abs(theirs[:, 2].mean() - 0.5) < 0.03


def test_outside_training_it_centre_crops_as_center_crop(video_dir):
    expected = MODELS.build(dict(type='ActionDataPreprocessor', **NORM))(
        load_batch(video_dir, decoded_pipeline(dict(type='CenterCrop', crop_size=CROP)), range(3)), training=False)
    device = crop_flip()(load_batch(video_dir, decoded_pipeline(), range(3)), training=False)
    torch.testing.assert_close(device['inputs'], expected['inputs'], rtol=0, atol=0)
    assert all(s.flip is False for s in device['data_samples'])


def test_rotation_recognizer_rotates_the_device_crops(video_dir):
    model = MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=narrow_r3d(),
            rotate_in_model=True,
            cls_head=dict(type='RotationHead', in_channels=64, hidden_channels=16),
            data_preprocessor=dict(type='CropFlipDataPreprocessor', crop_size=CROP, **NORM)))
    model.init_weights()
    data = model.data_preprocessor(load_batch(video_dir, decoded_pipeline(), range(2)), training=True)
    inputs, labels = model.rotated_batch(data['inputs'], data['data_samples'])
    assert inputs.shape == (2, 4, 3, 8, CROP, CROP) and labels.tolist() == [[0, 1, 2, 3]] * 2
    assert torch.isfinite(model(data['inputs'], data['data_samples'], mode='loss')['loss_rotation'])


def test_clips_smaller_than_the_crop_fail_with_the_fix():
    batch = dict(inputs=[torch.zeros(1, 3, 4, 24, 40, dtype=torch.uint8)], data_samples=None)
    with pytest.raises(ValueError, match=r'clip 0 of the batch is 24x40 .*crop_size=32.*Resize'):
        crop_flip()(batch, training=True)
    with pytest.raises(ValueError, match='crop_size=0'):
        MODELS.build(dict(type='CropFlipDataPreprocessor', crop_size=0))


def test_device_aug_config_moves_exactly_the_crop_and_flip_of_its_base():
    from mmengine.config import Config

    from mmrot3d.engine.hooks.config_check_hook import check_rotation_config, dummy_clip
    from mmrot3d.utils.shipped_files import shipped_path
    configs = shipped_path('configs') / 'rotnet3d'
    base = Config.fromfile(configs / 'rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py')
    cfg = Config.fromfile(configs / 'rotnet3d_r3d18-device-aug_1xb32-16x2x1-50e_kinetics400-rgb.py')
    moved = [s for s in base.train_pipeline if s['type'] in ('RandomCrop', 'Flip')]
    assert [s['type'] for s in moved] == ['RandomCrop', 'Flip']
    kept = [s for s in base.train_pipeline if s not in moved]
    assert [dict(s, algorithm_keys=None)
            for s in cfg.train_dataloader.dataset.pipeline] == [dict(s, algorithm_keys=None) for s in kept]
    pre = cfg.model.data_preprocessor
    assert (pre.type, pre.crop_size, pre.flip_ratio) == ('CropFlipDataPreprocessor', moved[0]['size'],
                                                         moved[1]['flip_ratio'])
    assert (pre.mean, pre.std) == (base.model.data_preprocessor.mean, base.model.data_preprocessor.std)
    # the config check knows the preprocessor makes square clips: no warning, the right dummy clip
    model = MODELS.build(dict(cfg.model, backbone=narrow_r3d(), cls_head=dict(cfg.model.cls_head, in_channels=64)))
    assert check_rotation_config(model, cfg.train_dataloader.dataset.pipeline, 'train_dataloader') is None
    assert dummy_clip(model, cfg.train_dataloader.dataset.pipeline).shape == (1, 1, 3, 16, 112, 112)


@pytest.mark.gpu
def test_on_the_gpu_the_same_crops_flips_and_values(video_dir):
    np.random.seed(7)
    uncropped = load_batch(video_dir, decoded_pipeline(), range(8))
    on_cpu = crop_flip()(uncropped, training=True)
    np.random.seed(7)
    on_gpu = crop_flip().cuda()(load_batch(video_dir, decoded_pipeline(), range(8)), training=True)
    assert on_gpu['inputs'].is_cuda
    torch.testing.assert_close(on_gpu['inputs'].cpu(), on_cpu['inputs'])
    for gpu, cpu in zip(on_gpu['data_samples'], on_cpu['data_samples']):
        assert gpu.crop_bbox.tolist() == cpu.crop_bbox.tolist() and gpu.flip == cpu.flip


def clips(*sizes):
    """Random uint8 clips ``(1, 3, 2, H, W)``, one per ``(H, W)``."""
    gen = torch.Generator().manual_seed(0)
    return [torch.randint(0, 256, (1, 3, 2, h, w), generator=gen, dtype=torch.uint8) for h, w in sizes]


def test_by_default_a_112_crop_and_a_resize_hint_for_smaller_clips():
    pre = MODELS.build(dict(type='CropFlipDataPreprocessor', **NORM))
    assert pre(dict(inputs=clips((128, 171)), data_samples=None), training=True)['inputs'].shape[-2:] == (112, 112)
    with pytest.raises(
            ValueError,
            match=r'^CropFlipDataPreprocessor: clip 0 of the batch is 100x150 \(HxW\), smaller than '
            r'crop_size=112; resize it to at least 112 in the pipeline, e.g. Resize\(scale=\(-1, 128\)\)$'):
        pre(dict(inputs=clips((100, 150)), data_samples=None), training=True)


@pytest.mark.parametrize('size', [True, 32.0, 0])
def test_crop_size_must_be_a_positive_int(size):
    with pytest.raises(
            ValueError,
            match=rf'^CropFlipDataPreprocessor: crop_size={size!r}; give the side of the '
            r'square crop in pixels, e.g. crop_size=112$'):
        MODELS.build(dict(type='CropFlipDataPreprocessor', crop_size=size))


def test_a_one_pixel_crop_and_flip_ratios_0_and_1_are_allowed():
    pre = MODELS.build(dict(type='CropFlipDataPreprocessor', crop_size=1, **NORM))
    assert pre(dict(inputs=clips((4, 4)), data_samples=None), training=True)['inputs'].shape[-2:] == (1, 1)
    assert [crop_flip(flip_ratio=r).flip_ratio for r in (0, 1)] == [0, 1]


@pytest.mark.parametrize('ratio', [-0.1, 1.5])
def test_a_flip_ratio_outside_0_1_is_rejected(ratio):
    with pytest.raises(
            ValueError, match=rf'^CropFlipDataPreprocessor: flip_ratio={ratio}; give a probability in '
            r'\[0, 1\]$'):
        crop_flip(flip_ratio=ratio)


def test_flip_ratio_0_never_flips_and_1_always_flips(monkeypatch):
    """Even on a draw of exactly 0.0, which ``np.random.rand`` can return: a flip when ``rand() < flip_ratio``,
    as ``Flip`` decides."""
    monkeypatch.setattr(np.random, 'rand', lambda: 0.0)
    assert crop_flip(flip_ratio=0.0).draw(CROP, CROP)[2] is False
    assert crop_flip(flip_ratio=1.0).draw(CROP, CROP)[2] is True


@pytest.mark.parametrize('training', [True, False])
def test_a_clip_already_at_the_crop_size_passes_unchanged(training):
    batch = clips((CROP, CROP))
    expected = MODELS.build(dict(type='ActionDataPreprocessor', **NORM))(
        dict(inputs=batch, data_samples=None), training=training)
    out = crop_flip(flip_ratio=0.0)(dict(inputs=batch, data_samples=[ActionDataSample()]), training=training)
    torch.testing.assert_close(out['inputs'], expected['inputs'], rtol=0, atol=0)
    (sample, ) = out['data_samples']
    assert sample.crop_bbox.tolist() == [0, 0, CROP, CROP] and sample.img_shape == (CROP, CROP)


def test_preprocess_centre_crops_unless_told_it_is_training():
    """``training`` defaults to False, as in ``ActionDataPreprocessor.preprocess``."""
    _, (sample, ) = crop_flip().preprocess(clips((40, 48)), [ActionDataSample()])
    assert sample.crop_bbox.tolist() == [8, 4, 40, 36] and sample.flip is False


def test_training_reaches_mmaction2s_blending():
    pre = crop_flip(blending=dict(type='MixupBlending', num_classes=3, alpha=0.2))
    samples = [ActionDataSample().set_gt_label(torch.tensor([i])) for i in range(2)]
    out = pre(dict(inputs=clips((CROP, CROP), (CROP, CROP)), data_samples=samples), training=True)
    assert [tuple(s.gt_label.shape) for s in out['data_samples']] == [(3, ), (3, )]  # mixed soft labels
