import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

import mmrot3d  # noqa: F401


def build_head(**kwargs):
    head = MODELS.build(dict(type='RotationHead', **kwargs))
    head.init_weights()
    return head


@pytest.mark.parametrize(
    'feats, num_segs, in_channels',
    [
        (torch.randn(6, 16, 2, 3, 3), 1, 16),  # 3D CNN map (N, C, T, H, W)
        ((torch.randn(6, 16, 1, 2, 2), torch.randn(6, 4, 4, 2, 2)), 1, 20),  # SlowFast pathways
        (torch.randn(6 * 3, 16, 3, 3), 3, 16),  # TSN/TSM per-segment maps (N * S, C, H, W)
        (torch.randn(6, 16), 1, 16),  # TimeSformer (N, C)
        (torch.randn(6, 5, 16), 1, 16),  # tokens (N, L, C)
    ])
def test_pools_every_backbone_output_to_one_vector_per_clip(feats, num_segs, in_channels):
    head = build_head(in_channels=in_channels)
    assert head(feats, num_segs).shape == (6, 4)


def test_segment_consensus_averages_consecutive_rows():
    head = build_head(in_channels=2, num_classes=2)
    feats = torch.tensor([[1., 0.], [3., 2.], [0., 0.], [2., 4.]]).view(4, 2, 1, 1)
    torch.testing.assert_close(head.pool(feats, num_segs=2), torch.tensor([[2., 1.], [1., 2.]]))


def test_linear_and_paper_mlp_classifiers():
    assert isinstance(build_head(in_channels=512).classifier, torch.nn.Linear)
    mlp = build_head(in_channels=512, hidden_channels=64).classifier
    assert [tuple(m.weight.shape) for m in mlp if isinstance(m, torch.nn.Linear)] == [(64, 512), (4, 64)]


def samples(labels):
    """One data sample per row of ``labels`` ``(N, R)``: ``R`` rotated copies of a clip."""
    return [ActionDataSample().set_gt_label(row) for row in labels]


def test_loss_and_accuracy():
    head = build_head(in_channels=8)
    feats, labels = torch.randn(12, 8, 1, 2, 2), torch.arange(4).repeat(3)
    out = head.loss(feats, samples(labels.view(3, 4)))
    assert out['loss_rotation'].requires_grad and 0.0 <= out['rotation_acc'].item() <= 1.0
    logits = head(feats)
    assert out['rotation_acc'].item() == pytest.approx((logits.argmax(1) == labels).float().mean().item())


def test_predict_scores_each_copy_with_its_views_averaged():
    head = build_head(in_channels=8).eval()
    feats = torch.randn(2 * 4 * 3, 8)  # 2 samples x 4 rotated copies x 3 views, copy-major
    out = head.predict(feats, samples(torch.arange(4).repeat(2, 1)))
    expected = head(feats).view(2, 4, 3, 4).softmax(dim=-1).mean(dim=2)
    for sample, score in zip(out, expected):
        torch.testing.assert_close(sample.pred_score, score)
        assert sample.pred_label.tolist() == score.argmax(dim=-1).tolist() and sample.num_classes == 4
    # one copy per sample: MMAction2's single-label shapes
    (one, ) = head.predict(torch.randn(3, 8), samples(torch.tensor([[2]])))
    assert one.pred_score.shape == (4, ) and one.pred_label.shape == (1, ) and one.gt_label.tolist() == [2]


def test_labels_that_do_not_fit_the_scored_clips_are_rejected():
    with pytest.raises(ValueError, match='5 scored clips cannot be split into 1 samples x 4 rotated copies'):
        build_head(in_channels=8).loss(torch.randn(5, 8), samples(torch.tensor([[0, 1, 2, 3]])))


def test_channel_mismatch_names_both_numbers():
    head = build_head(in_channels=512)
    with pytest.raises(
            ValueError, match=r'in_channels=512\) got backbone features with 2304 channels.*'
            r'set in_channels=2304'):
        head((torch.randn(2, 2048, 1, 1, 1), torch.randn(2, 256, 1, 1, 1)))


def test_label_beyond_num_classes_is_rejected():
    head = build_head(in_channels=8, num_classes=2)
    with pytest.raises(ValueError, match='num_classes=2.*rotation label 3'):
        head.loss(torch.randn(4, 8), samples(torch.tensor([[0, 1, 2, 3]])))


def test_unpoolable_output_is_rejected():
    with pytest.raises(ValueError, match='cannot pool a backbone output of shape'):
        build_head(in_channels=8)(torch.randn(2, 8, 1, 1, 1, 1))


def test_defaults_are_a_linear_classifier_of_512_channels_with_small_weights():
    """``RotationHead()``: R3D-18's 512 channels, 4 angles, no dropout, weights N(0, 0.01) and zero biases."""
    torch.manual_seed(0)
    head = build_head()
    assert isinstance(head.dropout, torch.nn.Identity) and head.classifier.weight.shape == (4, 512)
    weight = head.classifier.weight  # 2048 draws: the mean within 0.2 of its std, the std within 10 %
    assert abs(weight.mean().item()) < 0.002 and weight.std().item() == pytest.approx(0.01, rel=0.1)
    assert not head.classifier.bias.any()


def test_dropout_acts_in_training_only_where_a_ratio_is_set():
    feats = torch.randn(16, 8)
    plain = build_head(in_channels=8)
    torch.testing.assert_close(plain.train()(feats), plain.eval()(feats))  # ratio 0: no dropout at all
    head = build_head(in_channels=8, dropout_ratio=0.5)
    assert not torch.equal(head.train()(feats), head(feats))  # a new mask each step
    torch.testing.assert_close(head.eval()(feats), head.classifier(feats))


@pytest.mark.parametrize('ratio', [-0.1, 1.0])
def test_a_dropout_ratio_outside_0_1_is_rejected(ratio):
    with pytest.raises(ValueError, match=rf'^RotationHead: dropout_ratio={ratio}; give a probability in \[0, 1\)$'):
        build_head(dropout_ratio=ratio)


def test_the_mlp_is_linear_relu_linear():
    head = build_head(in_channels=8, hidden_channels=6)
    first, last = [m for m in head.classifier if isinstance(m, torch.nn.Linear)]
    feats = torch.randn(5, 8)
    assert (first(feats) < 0).any()  # the ReLU has something to cut
    torch.testing.assert_close(head(feats), last(torch.relu(first(feats))))


def test_the_configured_loss_and_init_cfg_are_used():
    feats, labels = torch.randn(4, 8), samples(torch.tensor([[0, 1, 2, 3]]))
    head = build_head(in_channels=8)
    doubled = build_head(in_channels=8, loss_cls=dict(type='CrossEntropyLoss', loss_weight=2.0))
    doubled.load_state_dict(head.state_dict())
    torch.testing.assert_close(
        doubled.loss(feats, labels)['loss_rotation'], 2 * head.loss(feats, labels)['loss_rotation'])
    # MMEngine keeps a module's init_cfg and prints it with the model
    init_cfg = dict(type='Normal', layer='Linear', std=0.02)
    assert build_head(in_channels=8, init_cfg=init_cfg).init_cfg == init_cfg


def test_pool_takes_one_row_per_clip_by_default():
    feats = torch.randn(3, 8)
    torch.testing.assert_close(build_head(in_channels=8).pool(feats), feats)


def test_a_label_equal_to_num_classes_is_rejected_before_the_loss():
    with pytest.raises(ValueError, match=r'^RotationHead\(num_classes=4\) got rotation label 4; num_classes must'):
        build_head(in_channels=8).loss(torch.randn(4, 8), samples(torch.tensor([[1, 2, 3, 4]])))


def test_labels_follow_the_scores_to_their_device():
    """On whatever device the scores are (the meta device here, as CUDA would be): no host/device mix."""
    scores, labels = torch.randn(4, 4, device='meta'), samples(torch.tensor([[0, 1, 2, 3]]))
    out = build_head(in_channels=8).loss_by_feat(scores, labels)
    assert {v.device.type for v in out.values()} == {'meta'}


SLOW_FAST = (torch.randn(2, 6, 1, 1, 1), torch.randn(2, 3, 1, 1))


@pytest.mark.parametrize('feats, described', [
    (torch.randn(2, 6, 1, 1, 1), r'6 channels after pooling \(2, 6, 1, 1, 1\); set in_channels=6$'),
    (SLOW_FAST, r'9 channels after pooling a tuple of \(2, 6, 1, 1, 1\), \(2, 3, 1, 1\); set in_channels=9$'),
])
def test_a_channel_mismatch_describes_the_backbone_output(feats, described):
    with pytest.raises(ValueError, match=r'^RotationHead\(in_channels=8\) got backbone features with ' + described):
        build_head(in_channels=8)(feats)


def test_fewer_than_two_angles_are_rejected():
    with pytest.raises(ValueError, match=r'^RotationHead: num_classes=1; rotation prediction needs at least 2'):
        build_head(num_classes=1)


def test_rows_that_do_not_split_into_segments_are_rejected():
    with pytest.raises(ValueError, match=r'^RotationHead: 5 feature rows are not a multiple of num_segs=2$'):
        build_head(in_channels=8)(torch.randn(5, 8), num_segs=2)


def test_an_output_of_another_type_is_named():
    with pytest.raises(TypeError, match=r'^RotationHead cannot pool a backbone output of type dict$'):
        build_head(in_channels=8)(dict(feats=torch.randn(2, 8)))
