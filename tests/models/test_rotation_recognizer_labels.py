"""RotationRecognizer: the clips and labels it builds, what reaches backbone, neck and head, its defaults and
refusals. Fast (no videos, no real backbone): ``tests/models/test_rotation_recognizer.py`` trains real ones."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

import mmrot3d  # noqa: F401


class FirstPixels(nn.Module):
    """A backbone whose features are the first ``channels`` values of each clip (rotation-sensitive), and which
    records the shapes it is given. Built by class (``type=FirstPixels``): the registry is left alone."""

    def __init__(self, channels=4, num_segments=None):
        super().__init__()
        self.channels, self.seen = channels, []
        if num_segments:
            self.num_segments = num_segments

    def forward(self, x):
        self.seen.append(tuple(x.shape))
        return x.flatten(1)[:, :self.channels]


class Doubling(nn.Module):
    """A neck: twice its input, and MMAction2's neck output ``(feats, aux)``."""

    def forward(self, x):
        return 2 * x, None


def recognizer(angles=(0, 90, 180, 270), num_classes=None, **kwargs):
    model = MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=dict(type=FirstPixels, **kwargs.pop('backbone', {})),
            cls_head=dict(type='RotationHead', num_classes=num_classes or len(angles), in_channels=4),
            angles=angles,
            **kwargs))
    model.init_weights()
    return model


def labelled(labels):
    """Data samples as ``VideoRotation`` packs them: one ``rotation_label`` per rotated copy."""
    samples = []
    for row in labels:
        sample = ActionDataSample()
        sample.rotation_label = torch.tensor(row)
        samples.append(sample)
    return samples


def clips(*shape):
    return torch.randn(shape)


def test_in_model_rotation_builds_every_copy_and_its_label():
    model = recognizer(angles=(0, 270), rotate_in_model=True)
    upright = clips(2, 1, 3, 2, 4, 4)
    inputs, labels = model.rotated_batch(upright, None)
    torch.testing.assert_close(inputs, torch.cat([upright, torch.rot90(upright, 3, dims=(-2, -1))], dim=1))
    assert labels.tolist() == [[0, 1], [0, 1]]


def test_in_model_rotation_needs_square_frames_for_quarter_turns_only():
    with pytest.raises(ValueError, match=r'^RotationRecognizer: frames are 4x6 \(HxW\) but rotations by 90/270'):
        recognizer(rotate_in_model=True).rotated_batch(clips(1, 1, 3, 2, 4, 6), None)
    inputs, _ = recognizer(angles=(0, 180), rotate_in_model=True).rotated_batch(clips(1, 1, 3, 2, 4, 6), None)
    assert inputs.shape == (1, 2, 3, 2, 4, 6)


def test_by_default_the_pipeline_rotates_and_its_labels_are_read():
    model = recognizer()
    inputs = clips(2, 2, 3, 2, 4, 4)
    same, labels = model.rotated_batch(inputs, labelled([[3, 1], [0, 2]]))
    assert same is inputs and labels.tolist() == [[3, 1], [0, 2]]
    # one label per sample (mode='random') is a copy of one
    assert model.rotated_batch(inputs, labelled([[2], [0]]))[1].tolist() == [[2], [0]]
    assert model.rotated_batch(inputs, labelled([2, 0]))[1].shape == (2, 1)


@pytest.mark.parametrize('samples', [None, [], [ActionDataSample()]], ids=['none', 'empty', 'unlabelled'])
def test_without_rotation_labels_training_says_how_to_get_them(samples):
    with pytest.raises(
            KeyError,
            match=r'RotationRecognizer: data samples carry no rotation_label; add VideoRotation '
            r"to the pipeline and PackActionInputs\(algorithm_keys=\('rotation_label',\)\), or set "
            r'rotate_in_model=True'):
        recognizer().loss(clips(1, 1, 3, 2, 4, 4), samples)


def test_labels_follow_the_inputs_to_their_device():
    """On whatever device the clips are (the meta device here, as CUDA would be)."""
    _, labels = recognizer().rotated_batch(torch.empty(1, 1, 3, 2, 4, 4, device='meta'), labelled([[1]]))
    assert labels.device.type == 'meta'
    _, labels = recognizer(rotate_in_model=True).rotated_batch(torch.empty(1, 1, 3, 2, 4, 4, device='meta'), None)
    assert labels.device.type == 'meta'


def test_rows_per_clip():
    """3D inputs: one backbone row per clip, whatever the views; 2D: the backbone's segments, else the frames of a
    copy."""
    model = recognizer()
    assert model.num_segments(clips(2, 3, 3, 2, 4, 4), copies=1) == 1
    assert model.num_segments(clips(2, 8, 3, 4, 4), copies=2) == 4
    assert recognizer(backbone=dict(num_segments=2)).num_segments(clips(2, 8, 3, 4, 4), copies=2) == 2


def test_views_are_flattened_into_the_batch_and_the_stage_picks_the_output():
    model = recognizer(neck=dict(type=Doubling))
    inputs = clips(2, 3, 3, 2, 4, 4)
    raw, meta = model.extract_feat(inputs, stage='backbone')
    assert model.backbone.seen == [(6, 3, 2, 4, 4)] and meta == dict(num_segs=1)
    torch.testing.assert_close(raw, inputs.flatten(0, 1).flatten(1)[:, :4])
    torch.testing.assert_close(model.extract_feat(inputs)[0], 2 * raw)  # the neck's by default
    logits, meta = model.extract_feat(inputs, stage='head', num_segs=3)
    torch.testing.assert_close(logits, model.cls_head(2 * raw, 3))
    assert logits.shape == (2, 4) and meta == dict(num_segs=3)
    assert recognizer().extract_feat(inputs, stage='head')[0].shape == (6, 4)  # no neck: the head on the backbone's


def test_the_loss_is_the_heads_cross_entropy_of_each_copy_against_its_label():
    model = recognizer(rotate_in_model=True)
    upright = clips(2, 1, 3, 2, 4, 4)
    rotated, labels = model.rotated_batch(upright, None)
    expected = F.cross_entropy(model.cls_head(model.backbone(rotated.flatten(0, 1))), labels.reshape(-1))
    torch.testing.assert_close(model.loss(upright, [ActionDataSample(), ActionDataSample()])['loss_rotation'], expected)
    # 2D inputs: the frames of a copy are one clip for the head
    model = recognizer(angles=(0, 180), rotate_in_model=True)
    frames = clips(1, 3, 3, 4, 4)
    rotated, _ = model.rotated_batch(frames, None)
    expected = F.cross_entropy(model.cls_head(model.backbone(rotated.flatten(0, 1)), 3), torch.tensor([0, 1]))
    torch.testing.assert_close(model.loss(frames, [ActionDataSample()])['loss_rotation'], expected)


def test_predict_labels_every_copy_and_names_the_angles():
    model = recognizer(angles=(0, 180), rotate_in_model=True).eval()
    (sample, ) = model.predict(clips(1, 1, 3, 2, 4, 4), [ActionDataSample().set_gt_label(7)])
    assert sample.gt_label.tolist() == [0, 1] and sample.rotation_angles == (0, 180)
    assert sample.pred_score.shape == (2, 2)
    (sample, ) = recognizer().eval().predict(clips(1, 1, 3, 2, 4, 4), labelled([[3]]))
    assert sample.gt_label.tolist() == [3] and sample.pred_score.shape == (4, )


def test_clips_nobody_rotated_are_scored_as_upright():
    (sample, ) = recognizer(angles=(90, 0, 180)).eval().predict(clips(1, 1, 3, 2, 4, 4), [ActionDataSample()])
    assert sample.gt_label.tolist() == [1] and sample.gt_label.dtype == torch.long  # the label of 0 degrees
    with pytest.raises(
            ValueError,
            match=r'^RotationRecognizer: angles=\(90, 270\) has no 0, so clips without a '
            r'rotation_label have no label; rotate them \(rotate_in_model=True or VideoRotation in the '
            r'pipeline\)$'):
        recognizer(angles=(90, 270)).predict(clips(1, 1, 3, 2, 4, 4), [ActionDataSample()])


def test_in_model_rotation_needs_one_class_per_angle():
    with pytest.raises(
            ValueError,
            match=r'^RotationRecognizer: cls_head.num_classes=4 but angles=\(0, 180\) has 2 '
            r'rotations; they must be equal$'):
        recognizer(angles=(0, 180), num_classes=4, rotate_in_model=True)
    # in the pipeline the angles are VideoRotation's, which RotationConfigCheckHook compares before step 1
    assert recognizer(angles=(0, 180), num_classes=4).angles == (0, 180)


def test_the_configs_reach_mmaction2s_recognizer():
    pre = dict(type='ActionDataPreprocessor', mean=[1.0, 2.0, 3.0], std=[1.0, 1.0, 1.0], format_shape='NCTHW')
    model = recognizer(neck=dict(type=Doubling), train_cfg=dict(a=1), test_cfg=dict(b=2), data_preprocessor=pre)
    assert isinstance(model.backbone, FirstPixels) and isinstance(model.neck, Doubling)
    assert model.cls_head.num_classes == 4 and (model.train_cfg, model.test_cfg) == (dict(a=1), dict(b=2))
    assert model.data_preprocessor.mean.flatten().tolist() == [1.0, 2.0, 3.0]
    assert not recognizer().with_neck and recognizer().rotate_in_model is False


def test_the_loss_reads_the_pipelines_labels():
    model = recognizer()
    inputs = clips(2, 1, 3, 2, 4, 4)
    expected = F.cross_entropy(model.cls_head(model.backbone(inputs.flatten(0, 1))), torch.tensor([2, 1]))
    torch.testing.assert_close(model.loss(inputs, labelled([[2], [1]]))['loss_rotation'], expected)


def test_predict_on_2d_inputs_scores_each_copy_from_all_its_frames():
    """``(N, F, C, H, W)``: the head averages a copy's frames into one clip before scoring it."""
    model = recognizer(angles=(0, 180), rotate_in_model=True).eval()
    for weight in model.cls_head.parameters():  # logits far from 0: a mean of per-frame softmaxes differs
        nn.init.normal_(weight, std=3.0)
    frames = clips(1, 3, 3, 4, 4)
    (sample, ) = model.predict(frames, [ActionDataSample()])
    rotated, _ = model.rotated_batch(frames, None)
    expected = model.cls_head(model.backbone(rotated.flatten(0, 1)), 3).softmax(dim=-1)
    torch.testing.assert_close(sample.pred_score, expected)


def test_unrotated_clips_each_get_the_upright_label_on_their_device():
    samples = recognizer().eval().predict(clips(2, 1, 3, 2, 4, 4), [ActionDataSample(), ActionDataSample()])
    assert [s.gt_label.tolist() for s in samples] == [[0], [0]]
    meta = recognizer().to('meta').eval().predict(torch.empty(1, 1, 3, 2, 4, 4, device='meta'), [ActionDataSample()])
    assert meta[0].gt_label.device.type == 'meta'
