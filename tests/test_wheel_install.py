"""The wheel works without the source tree: built from a copy of the checkout, installed into a fresh
virtualenv, its console script ``mmrot3d train`` trains a few iterations from a user config in another folder
that inherits ours with ``_base_ = ['mmrot3d::...']``, and a user's own script reads our configs after
``import mmrot3d``."""
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]

USER_CONFIG = '''
_base_ = ['mmrot3d::rotnet3d/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py']
model = dict(backbone=dict(base_channels=4, conv1_kernel=(3, 7, 7)), cls_head=dict(in_channels=32, hidden_channels=8))
pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=4, frame_interval=2, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', algorithm_keys=('rotation_label', ))
]
train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                        dataset=dict(ann_file='{videos}/list.txt', data_prefix=dict(video='{videos}'),
                                     pipeline=pipeline))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
train_cfg = dict(max_epochs=1)
param_scheduler = []
default_hooks = dict(logger=dict(interval=1))
'''

USER_SCRIPT = '''
import sys
import mmrot3d, mmrot3d_harness
from mmengine.config import Config
from mmengine.hub import get_config
for package in (mmrot3d, mmrot3d_harness):  # the installed copies, not the checkout
    assert package.__file__.startswith(sys.prefix), package.__file__
ours = get_config('mmrot3d::rotnet3d/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py')
print(Config.fromfile('my_config.py').model.type, ours.model.type)
'''

# what .gitignore keeps out of a clone: at the top of the checkout, and anywhere
IGNORED_AT_TOP = {'.git', '.venv', 'work_dirs', 'data', '.pytest_cache', 'outputs', 'build', 'dist', '.whl', 'mutants'}
IGNORED_ANYWHERE = ('__pycache__', '*.egg-info')


def copy_checkout(dest: Path) -> Path:
    """The checkout as a fresh clone has it (no .venv, no mmrot3d/.mim links), read from the files themselves:
    git may not be there, or may refuse a checkout that another user owns."""

    def ignored(folder, names):
        here = Path(folder).resolve()
        drop = set(shutil.ignore_patterns(*IGNORED_ANYWHERE)(folder, names))
        if here == CHECKOUT:
            drop |= IGNORED_AT_TOP & set(names)
        if here == CHECKOUT / 'mmrot3d':
            drop.add('.mim')
        return drop

    shutil.copytree(CHECKOUT, dest, ignore=ignored)
    return dest


@pytest.mark.slow
def test_the_wheel_trains_from_a_config_that_inherits_ours(video_dir, tmp_path):
    source = copy_checkout(tmp_path / 'source')
    subprocess.run([
        sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '--no-build-isolation', '-w',
        str(tmp_path / 'dist'),
        str(source)
    ],
                   check=True,
                   capture_output=True)
    (wheel, ) = (tmp_path / 'dist').glob('mmrot3d-*.whl')
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        'mmrot3d/.mim/model-index.yml', 'mmrot3d/.mim/tools/train.py', 'mmrot3d/.mim/tools/dist_train.sh',
        'mmrot3d_harness/__main__.py', 'mmrot3d_harness/commands/train.py', 'mmrot3d_harness/benchmark/run.py',
        'mmrot3d/.mim/configs/rotnet3d_kinetics.py', 'mmrot3d/.mim/configs/_base_/default_runtime.py',
        'mmrot3d/.mim/configs/rotnet3d/rotnet3d_r3d18_1xb32-16x2x1-50e_kinetics400-rgb.py'
    } <= names

    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(venv)], check=True)
    python = venv / 'bin' / 'python'
    subprocess.run(
        [sys.executable, '-m', 'pip', '--python',
         str(python), 'install', '-q', '--no-deps', '--no-index',
         str(wheel)],
        check=True,
        capture_output=True)
    # The dependencies: this environment's packages, visible after the venv's own (its mmrot3d comes first),
    # also those on PYTHONPATH (a bare GPU machine's wheels: performance/gpu_device.sh), the checkout left out.
    site = subprocess.run([str(python), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                          check=True,
                          capture_output=True,
                          text=True).stdout.strip()
    extra = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p and Path(p).resolve() != CHECKOUT]
    Path(site, 'dependencies.pth').write_text('\n'.join([sysconfig.get_paths()['purelib'], *extra]) + '\n')

    project = tmp_path / 'my_project'  # no checkout in sight
    project.mkdir()
    (project / 'my_config.py').write_text(USER_CONFIG.format(videos=video_dir))
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    train = [str(venv / 'bin' / 'mmrot3d'), 'train', 'my_config.py', '--work-dir', 'work']  # the console script
    run = subprocess.run(train, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert (project / 'work' / 'epoch_1.pth').is_file()
    assert 'Epoch(train) [1][2/2]' in run.stdout + run.stderr
    script = subprocess.run([str(python), '-c', USER_SCRIPT], cwd=project, env=env, capture_output=True, text=True)
    assert script.returncode == 0, script.stderr[-3000:]
    assert script.stdout.split()[-2:] == ['RotationRecognizer', 'RotationRecognizer'], script.stdout
    usage = subprocess.run([str(python), '-m', 'mmrot3d_harness', '--help'],
                           cwd=project,
                           env=env,
                           capture_output=True,
                           text=True)
    assert usage.returncode == 0 and 'demo' in usage.stdout and 'benchmark' in usage.stdout
