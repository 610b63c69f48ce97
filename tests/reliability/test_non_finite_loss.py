"""A non-finite loss stops the run with the iteration and the loss terms, and keeps the last good state."""
import math

import pytest
import torch
from mmaction.registry import RUNNERS
from test_config_errors import tiny_cfg  # noqa: E402  (tests/reliability/)

from mmrot3d.engine.hooks import NonFiniteLossError
from mmrot3d.utils.checkpoint import load_checkpoint_file


def test_nan_loss_stops_before_the_step_and_saves_the_last_good_state(video_dir, tmp_path):
    runner = RUNNERS.build(tiny_cfg(video_dir, tmp_path, {'train_cfg.max_epochs': 2}))  # as the tools build it
    head = runner.model.cls_head
    forward, calls = head.forward, []

    def nan_from_third_iteration(*args, **kwargs):  # 2 iterations per epoch: iteration 3 opens epoch 2
        calls.append(1)
        logits = forward(*args, **kwargs)
        return logits * math.nan if len(calls) >= 3 else logits

    head.forward = nan_from_third_iteration
    with pytest.raises(NonFiniteLossError) as info:
        runner.train()
    message = str(info.value)
    assert '\n' not in message
    assert message.startswith('non-finite loss at iteration 3 (epoch 2): loss=nan, loss_rotation=nan, rotation_acc=')
    saved = tmp_path / 'last_good_iter_2.pth'
    assert f'saved in {tmp_path}/last_good_iter_2.pth' in message and saved.is_file()
    # The NaN never reached the weights: what was saved is the model after iteration 2, all finite.
    state = load_checkpoint_file(saved)['state_dict']
    model = {k: v.cpu() for k, v in runner.model.state_dict().items()}  # on the GPU where there is one
    assert state.keys() == model.keys()
    assert all(torch.equal(state[k], model[k]) and torch.isfinite(model[k].float()).all() for k in model)
    assert (tmp_path / 'epoch_1.pth').is_file() and not (tmp_path / 'epoch_2.pth').exists()
