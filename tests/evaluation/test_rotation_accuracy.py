"""RotationAccuracy against MMAction2's AccMetric on a rotation recognizer's predictions of real decoded videos."""
import pytest
import torch
from conftest import load_batch, video_pipeline
from mmaction.evaluation import AccMetric
from mmaction.registry import MODELS
from mmengine.evaluator import Evaluator
from small_backbones import narrow_r3d

from mmrot3d.evaluation import RotationAccuracy


def recognizer(num_classes=4, **kwargs):
    model = MODELS.build(
        dict(
            type='RotationRecognizer',
            backbone=narrow_r3d(),
            cls_head=dict(type='RotationHead', num_classes=num_classes, in_channels=64, hidden_channels=16),
            data_preprocessor=dict(
                type='ActionDataPreprocessor', format_shape='NCTHW', mean=[114.75] * 3, std=[57.375] * 3),
            **kwargs))
    model.init_weights()
    return model.eval()


def predictions(model, video_dir, rotation=None):
    """The model's predictions of the 8 test videos (center crops), rotated by ``rotation`` in the pipeline."""
    batch = load_batch(video_dir, video_pipeline(rotation), range(8))
    labels = [s.rotation_label.tolist() if rotation else None for s in batch['data_samples']]
    with torch.no_grad():
        return model.test_step(batch), labels


def evaluate(metrics, samples):
    evaluator = Evaluator(metrics)
    evaluator.process(samples)
    return evaluator.evaluate(len(samples))


def test_accmetric_gives_rotation_accuracys_top1_for_one_rotated_clip_per_sample(video_dir):
    torch.manual_seed(0)
    samples, rotation_labels = predictions(recognizer(), video_dir, dict(type='VideoRotation', mode='random'))
    # MMAction2's single-label samples, whose gt_label is the rotation (the videos' action labels are 0/1)
    assert [s.gt_label.tolist() for s in samples] == rotation_labels
    assert all(s.pred_score.shape == (4, ) and s.pred_label.shape == (1, ) for s in samples)
    scores = torch.stack([s.pred_score for s in samples])
    expected = (scores.argmax(dim=1) == torch.tensor(rotation_labels).view(-1)).float().mean().item()

    results = evaluate([
        AccMetric(metric_list=('top_k_accuracy', ), metric_options=dict(top_k_accuracy=dict(topk=(1, )))),
        RotationAccuracy()
    ], samples)
    assert results['acc/top1'] == pytest.approx(expected) == results['rotation/top1']
    per_angle = {f'rotation/acc_{(0, 90, 180, 270)[label]}deg' for (label, ) in rotation_labels}
    assert results.keys() == {'acc/top1', 'rotation/top1'} | per_angle


def test_rotation_accuracy_scores_every_rotated_copy_and_names_results_by_the_models_angles(video_dir):
    samples, _ = predictions(recognizer(2, rotate_in_model=True, angles=(0, 180)), video_dir)
    assert all(s.pred_score.shape == (2, 2) and s.gt_label.tolist() == [0, 1] for s in samples)
    results = evaluate(RotationAccuracy(), samples)
    hits = [(s.pred_score.argmax(dim=1) == s.gt_label).float() for s in samples]
    assert results['rotation/top1'] == pytest.approx(torch.cat(hits).mean().item())
    assert results['rotation/acc_180deg'] == pytest.approx(torch.stack(hits)[:, 1].mean().item())
    assert set(results) == {'rotation/top1', 'rotation/acc_0deg', 'rotation/acc_180deg'}


def test_rotation_accuracy_refuses_angles_other_than_the_models(video_dir):
    """Outside a Runner (no RotationConfigCheckHook), on the first prediction: a metric left at
    angles=(0, 180) must not name a 4-angle model's results acc_0deg/acc_90deg."""
    samples, _ = predictions(recognizer(rotate_in_model=True), video_dir)
    metric = RotationAccuracy(angles=(0, 180))
    with pytest.raises(
            ValueError,
            match=r'^RotationAccuracy\(angles=\(0, 180\)\) scores predictions of a model '
            r'with angles=\(0, 90, 180, 270\); leave angles unset'):
        metric.process({}, [s.to_dict() for s in samples])
    assert not metric.results


def scored(pred_score, gt_label, angles=(0, 90, 180, 270)):
    """A prediction as RotationRecognizer.predict gives it, as a dict (what a metric's ``process`` receives)."""
    return dict(pred_score=torch.tensor(pred_score), gt_label=torch.tensor(gt_label), rotation_angles=angles)


def test_one_prediction_is_scored_and_the_prefix_names_the_results():
    metric = RotationAccuracy(prefix='pretext')
    metric.process({}, [scored([[0.1, 0.9], [0.8, 0.2]], [1, 1], angles=(0, 180))])
    assert metric.evaluate(1) == {'pretext/top1': 0.5, 'pretext/acc_180deg': 0.5}


def test_collect_device_reaches_mmengine():
    """Where MMEngine gathers the ranks' results (``'gpu'``: NCCL); the default is the host."""
    assert RotationAccuracy(collect_device='gpu').collect_device == 'gpu'
    assert RotationAccuracy().collect_device == 'cpu'


def test_predictions_of_another_model_are_refused_saying_what_to_do():
    with pytest.raises(
            KeyError,
            match=r'RotationAccuracy: predictions carry no rotation_angles; it scores the predictions '
            r'of a RotationRecognizer'):
        RotationAccuracy().process({}, [dict(pred_score=torch.zeros(4), gt_label=torch.tensor([0]))])
    with pytest.raises(ValueError, match=r"leave angles unset \(the model's name the results\)$"):
        RotationAccuracy(angles=(0, 180)).process({}, [scored([0.0, 1.0, 0.0, 0.0], [1])])
