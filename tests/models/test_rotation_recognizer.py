import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from conftest import load_batch, video_dataset, video_pipeline
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction.utils import GradCAM
from mmengine.dataset import pseudo_collate
from small_backbones import narrow_r3d, small_backbones

PREPROCESSOR_3D = dict(
    type='ActionDataPreprocessor', format_shape='NCTHW', mean=[114.75, 114.75, 114.75], std=[57.375, 57.375, 57.375])


def build_recognizer(backbone=None, in_channels=64, format_shape='NCTHW', **kwargs):
    model = MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=backbone or narrow_r3d(),
            cls_head=dict(type='RotationHead', in_channels=in_channels, hidden_channels=16),
            data_preprocessor=dict(PREPROCESSOR_3D, format_shape=format_shape),
            **kwargs))
    model.init_weights()
    return model


def trainable(model):
    names = {n for n, p in model.named_parameters() if p.requires_grad}
    assert any(n.startswith('backbone.') for n in names) and any(n.startswith('cls_head.') for n in names)
    return names


def moved_by_the_loss(model):
    """The weights whose gradient is non-zero."""
    return {n for n, p in model.named_parameters() if p.grad is not None and p.grad.abs().sum() > 0}


def test_in_pipeline_and_in_model_rotation_give_identical_inputs_and_labels(video_dir):
    in_pipeline = build_recognizer()
    in_model = build_recognizer(rotate_in_model=True)
    rotated = in_pipeline.data_preprocessor(
        load_batch(video_dir, video_pipeline(dict(type='VideoRotation', mode='all'))), training=True)
    plain = in_model.data_preprocessor(load_batch(video_dir, video_pipeline()), training=True)
    assert plain['inputs'].shape == (4, 1, 3, 8, 32, 32)

    inputs_a, labels_a = in_pipeline.rotated_batch(rotated['inputs'], rotated['data_samples'])
    inputs_b, labels_b = in_model.rotated_batch(plain['inputs'], plain['data_samples'])
    assert inputs_a.shape == (4, 4, 3, 8, 32, 32)
    torch.testing.assert_close(inputs_a, inputs_b, rtol=0, atol=0)
    assert torch.equal(labels_a, labels_b) and labels_a.tolist() == [[0, 1, 2, 3]] * 4

    # ... so the two ways train the same model: identical weights give identical losses.
    in_model.load_state_dict(in_pipeline.state_dict())
    loss_a = in_pipeline(rotated['inputs'], rotated['data_samples'], mode='loss')['loss_rotation']
    loss_b = in_model(plain['inputs'], plain['data_samples'], mode='loss')['loss_rotation']
    torch.testing.assert_close(loss_a, loss_b)


def test_loss_decreases_when_overfitting_real_decoded_videos(video_dir):
    torch.manual_seed(0)
    model = build_recognizer(rotate_in_model=True)
    batch = model.data_preprocessor(load_batch(video_dir, video_pipeline()), training=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(25):
        loss = model(batch['inputs'], batch['data_samples'], mode='loss')['loss_rotation']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[0] > 1.2  # chance level for 4 angles is ln 4 = 1.39
    assert min(losses[-5:]) < 0.5 * losses[0], losses


def test_predict_scores_every_copy_and_keeps_labels(video_dir):
    model = build_recognizer().eval()
    data = model.data_preprocessor(load_batch(video_dir, video_pipeline(dict(type='VideoRotation', mode='all'))))
    with torch.no_grad():
        samples = model(data['inputs'], data['data_samples'], mode='predict')
    for sample in samples:
        assert sample.pred_score.shape == (4, 4)
        torch.testing.assert_close(sample.pred_score.sum(1), torch.ones(4))
        assert sample.gt_label.tolist() == [0, 1, 2, 3] and sample.rotation_angles == (0, 90, 180, 270)


def seeded_batch(video_dir, pipeline, indices):
    """Samples drawn with numpy's and Python's generators seeded by the index: the same crop and flip for
    a pipeline with and without a final random step."""
    dataset = video_dataset(video_dir, pipeline)
    samples = []
    for i in indices:
        np.random.seed(i)
        random.seed(i)
        samples.append(dataset[i])
    return pseudo_collate(samples)


def test_random_rotation_in_the_training_pipeline_trains(video_dir):
    """VideoRotation(mode='random') after a random crop and flip: each clip arrives turned by its own label's
    angle, the loss is the head's cross-entropy against those labels, and a few steps on it train the
    backbone and bring the loss down."""
    torch.manual_seed(0)
    model = build_recognizer()
    rotated = model.data_preprocessor(
        seeded_batch(video_dir, video_pipeline(dict(type='VideoRotation', mode='random'), train=True), range(8)),
        training=True)
    plain = model.data_preprocessor(seeded_batch(video_dir, video_pipeline(train=True), range(8)), training=True)
    inputs, samples = rotated['inputs'], rotated['data_samples']
    assert inputs.shape == (8, 1, 3, 8, 32, 32)
    labels = torch.cat([torch.as_tensor(s.rotation_label) for s in samples])
    assert labels.shape == (8, ) and len(set(labels.tolist())) >= 3  # the seeds draw different angles
    for clip, upright, label in zip(inputs, plain['inputs'], labels):  # label k: turned k x 90 deg
        torch.testing.assert_close(clip, torch.rot90(upright, int(label), dims=(-2, -1)), rtol=0, atol=0)

    logits = model.cls_head(model.backbone(inputs.flatten(0, 1)))
    loss = model(inputs, samples, mode='loss')['loss_rotation']
    torch.testing.assert_close(loss, F.cross_entropy(logits, labels))

    before = [p.detach().clone() for p in model.backbone.parameters()]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses, moved = [], set()
    for _ in range(15):
        loss = model(inputs, samples, mode='loss')['loss_rotation']
        optimizer.zero_grad()
        loss.backward()
        moved |= moved_by_the_loss(model)
        optimizer.step()
        losses.append(loss.item())
    assert not trainable(model) - moved, f'no gradient reaches {sorted(trainable(model) - moved)}'
    assert all(not torch.equal(a, b) for a, b in zip(before, model.backbone.parameters()))  # every one trained
    assert min(losses[-3:]) < 0.7 * losses[0], losses  # measured: 1.39 -> 0.67


def test_tensor_mode_and_extract_feat_return_backbone_features():
    model = build_recognizer()
    feats = model(torch.randn(2, 1, 3, 8, 32, 32), mode='tensor')
    assert feats.shape == (2, 64, 1, 1, 1)
    logits, _ = model.extract_feat(torch.randn(2, 3, 3, 8, 32, 32), stage='head')
    assert logits.shape == (6, 4)


@pytest.mark.parametrize('rotate_in_model', [True, False], ids=['in-model', 'in-pipeline'])
@pytest.mark.parametrize('name', list(small_backbones()))
def test_backbones_train_forward_and_backward(name, rotate_in_model):
    """The loss of every supported backbone is the cross-entropy of each rotated copy against its own angle (the
    value of the test's own four copies, ``torch.rot90`` rotation-major along the view axis, through backbone and
    head against labels 0, 1, 2, 3), and its gradient reaches every backbone weight."""
    backbone, channels, clip, format_shape = small_backbones()[name]
    # (N, V, C, T, H, W), one clip for C3D (full width); a 2D backbone's segments are its views: (N, segments, C, H, W)
    shape = (1 if name == 'C3D' else 2, 1, 3, *clip) if format_shape == 'NCTHW' else (2, clip[0], 3, *clip[1:])
    torch.manual_seed(0)
    model = build_recognizer(backbone, channels, format_shape, rotate_in_model=rotate_in_model)
    upright = torch.randn(shape)
    turned = torch.cat([torch.rot90(upright, k, dims=(-2, -1)) for k in range(4)], dim=1)
    samples = [ActionDataSample() for _ in range(shape[0])]
    if not rotate_in_model:  # as VideoRotation(mode='all') packs it: the copies along the view axis, their labels
        for sample in samples:
            sample.rotation_label = torch.arange(4)
    segments = 1 if format_shape == 'NCTHW' else clip[0]  # backbone rows per scored clip
    torch.manual_seed(1)  # the same dropout draws in both passes
    with torch.no_grad():
        logits = model.cls_head(model.backbone(turned.flatten(0, 1)), segments)  # one row per (sample, copy)
    expected = F.cross_entropy(logits, torch.arange(4).repeat(shape[0]))

    torch.manual_seed(1)
    loss = model(upright if rotate_in_model else turned, samples, mode='loss')['loss_rotation']
    torch.testing.assert_close(loss, expected)
    loss.backward()
    moved = moved_by_the_loss(model)  # all but those behind zero-initialised gates (residual branches' last BN)
    torch.optim.Adam(model.parameters(), lr=1e-2).step()  # opens the gates
    model.zero_grad()
    model(upright if rotate_in_model else turned, samples, mode='loss')['loss_rotation'].backward()
    moved |= moved_by_the_loss(model)
    assert not trainable(model) - moved, f'no gradient reaches {sorted(trainable(model) - moved)}'
    model.eval()
    with torch.no_grad():
        predicted = model(upright if rotate_in_model else turned, samples, mode='predict')
    assert predicted[0].pred_score.shape == (4, 4)


def test_mmaction_gradcam_explains_the_rotation_scores_unchanged(video_dir):
    """MMAction2's own Grad-CAM on clips rotated by the pipeline, explaining each clip's rotation label (the
    gt_label of the model's predictions)."""
    model = build_recognizer().eval()  # as GradCAM sets it
    data = load_batch(video_dir, video_pipeline(dict(type='VideoRotation', mode='random')))
    with torch.no_grad():
        inputs = model.data_preprocessor(data)['inputs']
        logits, _ = model.extract_feat(inputs, stage='head')

    blended, preds = GradCAM(model, 'backbone/layer4/1/relu')(data, use_labels=True)
    assert blended.shape == (4, 8, 32, 32, 3)  # (clips, T, H, W, RGB) at the input size
    assert 0 <= blended.min() and blended.max() <= 1
    torch.testing.assert_close(preds.detach(), logits)  # the rotation logits ('score'), one row per clip
    heat = blended - 0.5 * torch.stack(data['inputs']).permute(0, 1, 3, 4, 5, 2).flatten(0, 1).float() / 255
    assert heat.flatten(1).std(dim=1).min() > 0  # a map that varies over each clip, not a constant colour
