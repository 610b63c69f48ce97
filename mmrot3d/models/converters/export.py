"""Our backbones in another codebase's format: a pretraining run's backbone as the state dict of torchvision's
video model it is the twin of (``tools/export_backbone.py --format torchvision``)."""
import os.path as osp
import tempfile
from typing import Dict, Optional

from mmaction.registry import MODELS as REGISTRY
from mmengine.config import Config

from ...utils.checkpoint import PathLike, save_checkpoint_file
from ...utils.shipped_files import shipped_path
from ..backbone_io import BackboneCheckpointError, export_backbone, read_backbone_file
from .layouts import misfits
from .torchvision_video_resnet import MODELS, to_torchvision, twin_differences


def export_torchvision(source: PathLike,
                       out: PathLike,
                       prefix: str = 'backbone.',
                       validations: Optional[Dict[int, Dict[str, float]]] = None) -> Dict:
    """Write the backbone of a training checkpoint (or a work dir's latest) as a plain state dict that
    ``torchvision.models.video.<model>().load_state_dict(..., strict=True)`` takes: the run's config must
    build the twin of one of torchvision's models (``MODELS``) at torchvision's width. Its ``fc`` is zeros
    (3DRotNet trains no action classifier).

    Returns:
        the export's meta (as :func:`~mmrot3d.models.export_backbone`, which takes ``validations``) and
        ``torchvision_model``.
    """
    with tempfile.TemporaryDirectory(dir=osp.dirname(osp.abspath(str(out)))) as tmp:
        export_backbone(source, osp.join(tmp, 'backbone.pth'), prefix, validations)
        state, meta = read_backbone_file(osp.join(tmp, 'backbone.pth'))
    if not meta.get('source_config'):
        raise BackboneCheckpointError(f'{source}: the checkpoint records no config, so which torchvision model its '
                                      f'backbone is cannot be told')
    backbone = Config.fromstring(meta['source_config'], '.py').model[prefix.rstrip('.')]
    differences = {name: twin_differences(backbone, name) for name in MODELS}
    name = next((n for n, d in differences.items() if not d), None)
    if name is None:
        closest = min(differences, key=lambda n: (differences[n][0].startswith('type='), len(differences[n])))
        raise BackboneCheckpointError(
            f'{source}: its backbone is none of torchvision\'s {", ".join(MODELS)}; closest {closest}, but '
            f'{", ".join(differences[closest])} (configs/rotnet3d/rotnet3d_r3d18-torchvision_*.py pretrains r3d_18)')
    twin = REGISTRY.build(Config.fromfile(shipped_path(MODELS[name])).model.backbone)
    _, problems = misfits(twin.state_dict(), state)
    if problems:
        raise BackboneCheckpointError(f'{source}: its backbone is {name}\'s architecture but not its width '
                                      f'({"; ".join(problems)})')
    save_checkpoint_file(to_torchvision(state, name), out)
    return {**meta, 'torchvision_model': name}
