"""Shared fixtures: tiny real video files, written once per test session and decoded by decord; the shipped
tools as modules, or run as their command line does, in this process. The test-sized backbones are in
``performance/backbones.py``, shared with the performance suite."""
import importlib.util
import io
import os
import runpy
import subprocess
import sys
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from mmrot3d.utils.shipped_files import shipped_path
from mmrot3d_harness.video_io import write_video


def pytest_configure(config):
    """One share of the cores per test process (``pytest -n N`` runs N): torch threads that outnumber the
    cores wait on each other. Tests' subprocesses inherit the same share through ``OMP_NUM_THREADS``."""
    import torch
    workers = int(os.environ.get('PYTEST_XDIST_WORKER_COUNT', '1'))
    threads = max(1, len(os.sched_getaffinity(0)) // workers)
    threads = min(threads, int(os.environ.get('OMP_NUM_THREADS') or threads))
    os.environ['OMP_NUM_THREADS'] = str(threads)
    torch.set_num_threads(threads)


def pytest_collection_modifyitems(config, items):
    """The long (``slow``) tests first, so that parallel workers do not wait for one of them at the end; the
    ``gpu`` tests skipped where torch sees no CUDA GPU."""
    items.sort(key=lambda item: item.get_closest_marker('slow') is None)
    import torch
    if not torch.cuda.is_available():
        skip = pytest.mark.skip(reason='needs a CUDA GPU: torch.cuda.is_available() is False here')
        for item in items:
            if item.get_closest_marker('gpu'):
                item.add_marker(skip)


@pytest.fixture
def full_fp32():
    """fp32 on the GPU as on the CPU for one test: no TF32 in convolutions and matmuls (torch's default for
    cuDNN convolutions), so that values compare with a CPU computation at fp32 tolerances."""
    import torch
    saved = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = saved


def falling_block_clip(seed: int, num_frames: int = 24, size: int = 64) -> np.ndarray:
    """A clip whose only orientation cue is its actor: a "T"-shaped block that falls.

    Returns:
        ``(T, H, W, 3)`` uint8 RGB frames.
    """
    rng = np.random.default_rng(seed)
    frames = rng.integers(0, 60, size=(num_frames, size, size, 3), dtype=np.uint8)
    color = rng.integers(150, 256, size=3, dtype=np.uint8)
    x = int(rng.integers(6, size - 18))
    for t in range(num_frames):
        y = min(2 + t, size - 14)
        frames[t, y:y + 4, x:x + 12] = color  # bar of the T, on top
        frames[t, y + 4:y + 12, x + 4:x + 8] = color  # stem
    return frames


@pytest.fixture(scope='session')
def video_dir(tmp_path_factory) -> Path:
    """8 short mp4 videos (24 frames, 64x64) and ``list.txt`` in MMAction2's ``path label`` format."""
    root = tmp_path_factory.mktemp('videos')
    lines = []
    for i in range(8):
        name = f'clip_{i}.mp4'
        write_video(root / name, falling_block_clip(seed=i))
        lines.append(f'{name} {i % 2}')
    (root / 'list.txt').write_text('\n'.join(lines) + '\n')
    return root


def video_pipeline(rotation=None, clip_len=8, crop=32, train=False):
    """decord decode -> resize -> crop [-> VideoRotation] -> FormatShape -> pack."""
    crop_step = (dict(type='RandomResizedCrop'), dict(type='Resize', scale=(crop, crop), keep_ratio=False),
                 dict(type='Flip', flip_ratio=0.5)) if train else (dict(type='CenterCrop', crop_size=crop), )
    return [
        dict(type='DecordInit'),
        dict(type='SampleFrames', clip_len=clip_len, frame_interval=2, num_clips=1, test_mode=not train),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(-1, crop + 8)), *crop_step, *([rotation] if rotation else []),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
    ]


def video_dataset(video_dir, pipeline):
    """MMAction2's ``VideoDataset`` of ``video_dir``'s ``list.txt`` through ``pipeline``."""
    from mmaction.registry import DATASETS
    return DATASETS.build(
        dict(
            type='VideoDataset',
            ann_file=str(video_dir / 'list.txt'),
            data_prefix=dict(video=str(video_dir)),
            pipeline=pipeline,
            test_mode=True))


def load_batch(video_dir, pipeline, indices=range(4)):
    """The packed samples ``indices`` of ``video_dir``'s videos through ``pipeline``."""
    from mmengine.dataset import pseudo_collate
    dataset = video_dataset(video_dir, pipeline)
    return pseudo_collate([dataset[i] for i in indices])


@pytest.fixture(autouse=True)
def private_trust_store(tmp_path, monkeypatch):
    """Keep tests from reading or writing the user's record of trusted checkpoints."""
    store = tmp_path / 'trusted_checkpoints.txt'
    monkeypatch.setenv('MMROT3D_TRUST_STORE', str(store))
    return store


def load_tool(relpath: str):
    """A shipped tool script (e.g. ``'tools/train.py'``) imported as a module, to call its functions in-process."""
    path = shipped_path(relpath)
    spec = importlib.util.spec_from_file_location(f'mmrot3d_tool_{path.stem}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mmengine_global_classes() -> list:
    """The classes that keep MMEngine's named global instances: loggers, message hubs, visualizers, scopes."""
    from mmengine.utils import ManagerMixin
    classes, todo = [], [ManagerMixin]
    while todo:
        classes.append(todo.pop())
        todo.extend(classes[-1].__subclasses__())
    return classes


@contextmanager
def forget_new_mmengine_instances():
    """Forget the MMEngine instances created inside, as the end of a process would.

    A Runner names its logger, message hub and visualizer after its config and the second it started, and
    MMEngine hands an existing instance of that name to a later Runner: two runs in one process within a second
    would share them (the second logging to the first one's file and stream, its history in the first one's hub).
    """
    before = {cls: set(cls._instance_dict) for cls in _mmengine_global_classes()}
    try:
        yield
    finally:
        for cls in _mmengine_global_classes():
            for name in set(cls._instance_dict) - before.get(cls, set()):
                instance = cls._instance_dict.pop(name)
                for handler in list(getattr(instance, 'handlers', ())):  # a logger's log file
                    instance.removeHandler(handler)
                    handler.close()


@pytest.fixture(autouse=True)
def fresh_mmengine_instances_per_test():
    """Runners built by different tests never share a logger, message hub or visualizer."""
    with forget_new_mmengine_instances():
        yield


def run_tool(relpath: str, *args) -> subprocess.CompletedProcess:
    """``python <shipped tool> ARGS`` without a new interpreter: the script's ``__main__`` block runs here with
    ``sys.argv`` set and its output captured; ``SystemExit`` becomes the return code as the interpreter would
    make it (a message goes to stderr with code 1). Other exceptions propagate and fail the test.

    For tests of a tool's behaviour; tests of what happens across a process boundary (torchrun, SIGKILL,
    another package's tool, an installed wheel) start a real process.
    """
    path = str(shipped_path(relpath))
    argv, out, err = [path, *map(str, args)], io.StringIO(), io.StringIO()
    saved, sys.argv, environ = sys.argv, argv, dict(os.environ)  # what a process changes dies with it
    try:
        with forget_new_mmengine_instances(), redirect_stdout(out), redirect_stderr(err):
            runpy.run_path(path, run_name='__main__')
        code = 0
    except SystemExit as stop:
        code = stop.code
        if code is None:
            code = 0
        elif not isinstance(code, int):
            print(code, file=err)
            code = 1
    finally:
        sys.argv = saved
        os.environ.clear()
        os.environ.update(environ)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope='session', autouse=True)
def mmaction_scope():
    """Resolve config types in MMAction2's registries, as its tools do; upstream fixes as our tools start."""
    from mmaction.utils import register_all_modules

    from mmrot3d.utils.upstream_fixes import apply_tool_fixes  # (import mmrot3d's come before mmaction.models)
    apply_tool_fixes()
    register_all_modules(init_default_scope=True)


@pytest.fixture(scope='session', autouse=True)
def quiet_default_logger():
    """MMEngine's default logger (models built outside a Runner log one INFO record per initialised parameter)
    at WARNING; a Runner's own logger keeps its configured level, so the tools' output is unchanged."""
    import logging

    from mmengine.logging import MMLogger
    MMLogger.get_instance('mmengine').setLevel(logging.WARNING)


@pytest.fixture(scope='session')
def synthetic_dataset(tmp_path_factory) -> Path:
    """A tiny dataset of the synthetic generator (16-frame 64x64 clips; 36 UCF-style, 6 Kinetics-style) with the
    MMAction2 lists its official-layout tools build, as the benchmark's ``labelled_sets.prepare_synthetic`` leaves
    it."""
    from mmrot3d_harness.synthetic import Params, generate
    root = tmp_path_factory.mktemp('synthetic')
    generate(
        root,
        Params(seed=5, pretrain_clips=4, pretrain_val_clips=2, clips_per_class=3, groups=3, frames=16, size=64),
        workers=1)
    for dataset, tool in (('kinetics_style', 'kinetics400'), ('ucf_style', 'ucf101')):
        built = run_tool(f'tools/data/{tool}/build_file_list.py', '--root', root / dataset)
        assert built.returncode == 0, built.stderr
    return root
