import hashlib
import json
import os.path as osp
from pathlib import Path
from typing import Dict, List, Union

import torch
from mmaction.registry import HOOKS
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


def state_dict_sha256(model: Union[torch.nn.Module, Dict[str, torch.Tensor]]) -> str:
    """A digest of every parameter and buffer (names, dtypes, shapes and exact values) of a model
    or a state dict; equal digests mean bit-identical weights."""
    digest = hashlib.sha256()
    state = model.state_dict() if isinstance(model, torch.nn.Module) else model
    for name, tensor in sorted(state.items()):
        tensor = tensor.detach().cpu().contiguous()
        digest.update(f'{name}:{tensor.dtype}:{tuple(tensor.shape)}'.encode())
        digest.update(tensor.view(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b'')
    return digest.hexdigest()


@HOOKS.register_module()
class TrainingAuditHook(Hook):
    """Debugging aid for multi-process training: what did each rank train on, and where did it end?

    Every rank writes ``<work_dir>/<out_dir>/rank<R>.json`` after training with the samples of
    each of its iterations (their ``filename`` when ``PackActionInputs(meta_keys=(..., 'filename'))``
    packs it, else a digest of the input clip), a SHA-256 of its final model weights, and SHA-256s of
    its parameters before and after training (without buffers: BatchNorm statistics change in any
    forward pass, trained or not). Ranks of a correct data-parallel run list disjoint samples and
    identical digests, and their parameters moved.
    """

    priority = 'VERY_LOW'

    def __init__(self, out_dir: str = 'audit') -> None:
        self.out_dir = out_dir
        self.samples: List[List[str]] = []
        self.initial_params_sha256 = ''

    @staticmethod
    def _model(runner) -> torch.nn.Module:
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def before_train(self, runner) -> None:
        self.initial_params_sha256 = state_dict_sha256(dict(self._model(runner).named_parameters()))

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        if not data_batch:
            return
        seen = []
        for i, sample in enumerate(data_batch.get('data_samples') or []):
            name = sample.metainfo.get('filename') if hasattr(sample, 'metainfo') else None
            if name is None:
                clip = data_batch['inputs'][i]
                name = 'sha256:' + hashlib.sha256(clip.cpu().numpy().tobytes()).hexdigest()[:16]
            seen.append(str(name))
        self.samples.append(seen)

    def after_train(self, runner) -> None:
        rank, world_size = get_dist_info()
        model = self._model(runner)
        record = dict(
            rank=rank,
            world_size=world_size,
            iters=runner.iter,
            samples=self.samples,
            state_dict_sha256=state_dict_sha256(model),
            initial_params_sha256=self.initial_params_sha256,
            params_sha256=state_dict_sha256(dict(model.named_parameters())))
        out = Path(osp.join(runner.work_dir, self.out_dir))
        out.mkdir(parents=True, exist_ok=True)
        (out / f'rank{rank}.json').write_text(json.dumps(record, indent=1))
