from typing import Optional

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ...models.backbone_io import describe_export, load_backbone_weights
from ...structures.video_input import config_input


@HOOKS.register_module()
class PretrainedBackboneHook(Hook):
    """Start training from an exported backbone (``tools/export_backbone.py``), strictly.

    MMAction2's own ways to do this fail quietly: ``ResNet3d(pretrained=...)`` loads with
    ``strict=False`` and only warns when nothing matches, and a backbone-level ``init_cfg`` is
    ignored. This hook runs after the model's own init and after ``load_from``/``--resume``:

    * when the run resumed or loaded a checkpoint, it does nothing (the checkpoint wins);
    * otherwise it loads ``checkpoint`` with ``torch.load(weights_only=True)`` into
      ``model.<module>``, logs ``loaded N tensors into backbone from PATH``, and raises
      :class:`~mmrot3d.models.BackboneCheckpointError` -- before the first iteration -- if a
      tensor is missing, unexpected or of another shape, or if the export was pretrained on another input
      (RGB or residual frames) than this run's pipeline gives. Nothing is loaded in that case.

    Config (a ``default_hooks`` entry merges with the base config's hooks, and
    ``--cfg-options default_hooks.pretrained_backbone.checkpoint=PATH`` picks another file)::

        default_hooks = dict(pretrained_backbone=dict(
            type="PretrainedBackboneHook", checkpoint="work_dirs/rotnet3d_kinetics/backbone.pth"))

    The file may also be another codebase's (see :func:`~mmrot3d.models.read_backbone_file`): a
    torchvision-keyed state dict converts on loading, and ``prefix`` picks its backbone's tensors.

    Args:
        checkpoint: the exported file.
        module: the model attribute to initialise.
        prefix: the key prefix of that module's tensors in the file (default ``<module>.``).
    """

    priority = 'VERY_HIGH'  # before EMA and other hooks that copy weights in before_train

    def __init__(self,
                 checkpoint: Optional[str] = None,
                 module: str = 'backbone',
                 prefix: Optional[str] = None) -> None:
        self.checkpoint = checkpoint
        self.module = module
        self.prefix = f'{module}.' if prefix is None else prefix

    def before_train(self, runner) -> None:
        if not self.checkpoint:
            raise ValueError('PretrainedBackboneHook: no checkpoint given; set '
                             'default_hooks.pretrained_backbone.checkpoint=PATH')
        if getattr(runner, '_has_loaded', False):
            runner.logger.info(f'PretrainedBackboneHook: weights come from the resumed/loaded checkpoint; '
                               f'not loading {self.checkpoint}')
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        target = getattr(model, self.module, None)
        if target is None:
            raise AttributeError(f'PretrainedBackboneHook: the model ({type(model).__name__}) has no '
                                 f'"{self.module}" to initialise')
        count, meta = load_backbone_weights(
            target,
            self.checkpoint,
            self.prefix,
            flag=lambda kind, value: f'default_hooks.pretrained_backbone.{kind}={value}',
            name=f'model.{self.module}',
            backbone_cfg=(getattr(runner, 'cfg', None) or {}).get('model', {}).get(self.module),
            input_kind=config_input(runner.cfg) if getattr(runner, 'cfg', None) else None)
        origin = f', converted: {meta["conversion"]}' if 'conversion' in meta else \
            f', exported from {describe_export(meta)}' if meta else ''
        runner.logger.info(f'loaded {count} tensors into {self.module} from {self.checkpoint}{origin}')
