"""Checkpoints from other people: weights load weights-only; pickled code is refused and never runs."""
import pytest
import torch
from conftest import forget_new_mmengine_instances
from mmengine.runner import Runner
from test_config_errors import tiny_cfg  # noqa: E402  (tests/reliability/)

from mmrot3d.utils.checkpoint import UntrustedCheckpointError


class WritesAFile:

    def __init__(self, target):
        self.target = target

    def __reduce__(self):  # unpickling this calls open(target, 'w'): code from the file runs
        return (open, (self.target, 'w'))


@pytest.mark.parametrize('how', ['load_from', 'resume'])
def test_a_run_refuses_a_checkpoint_carrying_code_before_training(how, video_dir, tmp_path):
    with forget_new_mmengine_instances():  # the run below may start within the same second
        state = Runner.from_cfg(tiny_cfg(video_dir, tmp_path / 'work', {})).model.state_dict()
    target = tmp_path / 'pwned.txt'
    evil = tmp_path / 'downloaded.pth'
    torch.save({'state_dict': state, 'payload': WritesAFile(str(target))}, evil)
    runner = Runner.from_cfg(
        tiny_cfg(video_dir, tmp_path / 'work', {
            'load_from': str(evil),
            'resume': how == 'resume'
        }))
    with pytest.raises(UntrustedCheckpointError) as info:
        runner.train()
    assert '\n' not in str(info.value) and 'downloaded.pth: refusing to unpickle Python objects' in str(info.value)
    assert not target.exists() and runner.iter == 0


def test_a_plain_state_dict_from_elsewhere_loads_weights_only(video_dir, tmp_path):
    with forget_new_mmengine_instances():  # the run below may start within the same second
        state = Runner.from_cfg(tiny_cfg(video_dir, tmp_path / 'a', {})).model.state_dict()
    weights = tmp_path / 'weights.pth'
    torch.save({'state_dict': {
        k: torch.full_like(v, 0.5) if v.is_floating_point() else v
        for k, v in state.items()
    }}, weights)
    runner = Runner.from_cfg(
        tiny_cfg(video_dir, tmp_path / 'b', {
            'load_from': str(weights),
            'train_cfg.max_epochs': 0
        }))
    runner.load_or_resume()
    assert all(torch.all(v == 0.5) for v in runner.model.state_dict().values() if v.is_floating_point())
