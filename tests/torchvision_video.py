"""torchvision's video ResNets for the tests (torchvision is a test dependency, never a runtime one).

Where torchvision is not installed with the other packages, it is taken from ``.venv/torchvision/``, where
tools/env.sh installs requirements/torchvision.txt apart from them. That wheel is a CUDA build: beside a
CPU-only torch its ops library (``_C.so``, which needs ``libtorch_cuda.so``) does not load, and
``torchvision/_meta_registrations.py`` then fails the import with ``RuntimeError: operator torchvision::nms
does not exist`` while registering fake kernels for those never-loaded ops. The video models are pure Python
and need none of them, so only in that case the import is retried without that module.
"""
import sys
import types
from pathlib import Path

APART = Path(sys.prefix) / 'torchvision'


def import_torchvision():
    try:
        import torchvision
    except ModuleNotFoundError:
        if not APART.is_dir() or str(APART) in sys.path:
            raise
        # on the path only while importing: processes started later (e.g. a forkserver, which gets this
        # process's sys.path) must not find it, since there its import would fail in MMEngine's Runner
        sys.path.append(str(APART))
        try:
            return import_torchvision()
        finally:
            sys.path.remove(str(APART))
    except RuntimeError as err:
        if 'operator torchvision::' not in str(err):
            raise
        for name in [n for n in sys.modules if n == 'torchvision' or n.startswith('torchvision.')]:
            del sys.modules[name]
        sys.modules['torchvision._meta_registrations'] = types.ModuleType('torchvision._meta_registrations')
        import torchvision
    return torchvision


def video_resnet(name: str, **kwargs):
    """``torchvision.models.video.<name>(**kwargs)``, e.g. ``r3d_18``, randomly initialised."""
    return getattr(import_torchvision().models.video, name)(**kwargs)


def features(model, clips):
    """A torchvision ``VideoResNet``'s output before pooling: ``(N, 3, T, H, W)`` -> ``(N, 512, T', H', W')``."""
    x = model.stem(clips)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        x = layer(x)
    return x
