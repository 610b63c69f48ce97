import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

# Shipped inside the package as mmrot3d/.mim/<name>, as MMAction2 ships its own: MMEngine resolves
# `_base_ = ['mmrot3d::<path>']` in .mim/configs/, and mmrot3d.utils.shipped_path() finds both.
MIM_FILES = ('configs', 'tools', 'model-index.yml')


def add_mim_extension():
    """Put ``configs/``, ``tools/`` and ``model-index.yml`` into ``mmrot3d/.mim/``.

    Symlinks for an editable install (``pip install -e .``: edits show at once), copies for a wheel
    or an sdist (``pip install .``, ``python -m build``).
    """
    if 'develop' in sys.argv or 'editable_wheel' in sys.argv:
        mode = 'symlink'
    elif 'sdist' in sys.argv or 'bdist_wheel' in sys.argv:
        mode = 'copy'
    else:
        return
    repo_path = osp.dirname(osp.abspath(__file__))
    mim_path = osp.join(repo_path, 'mmrot3d', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    for name in MIM_FILES:
        src_path = osp.join(repo_path, name)
        if not osp.exists(src_path):  # building from an sdist: .mim already holds the copies
            continue
        tar_path = osp.join(mim_path, name)
        if osp.isfile(tar_path) or osp.islink(tar_path):
            os.remove(tar_path)
        elif osp.isdir(tar_path):
            shutil.rmtree(tar_path)
        if mode == 'symlink':
            os.symlink(osp.relpath(src_path, osp.dirname(tar_path)), tar_path)
        elif osp.isfile(src_path):
            shutil.copyfile(src_path, tar_path)
        else:
            shutil.copytree(src_path, tar_path, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmrot3d',
        version='0.1.0',
        description='3DRotNet: self-supervised video rotation prediction as an MMAction2 plugin',
        packages=find_packages(include=['mmrot3d', 'mmrot3d.*']),
        include_package_data=True,  # mmrot3d/.mim, listed in MANIFEST.in
        python_requires='>=3.9',
        # Exact, verified versions live in requirements/lock.txt; these are the ranges the code needs.
        install_requires=[
            'torch>=2.0', 'mmengine>=0.10,<0.11', 'mmcv-lite>=2.0.0rc4,<2.2.0', 'mmaction2==1.2.0',
            'decord>=0.6', 'numpy<2', 'importlib_metadata', 'setuptools<81', 'matplotlib',
        ],
        zip_safe=False,
    )
