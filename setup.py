import os
import os.path as osp
import shutil
import sys
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

# Shipped inside the package as mmrot3d/.mim/<name>, as MMAction2 ships its own: MMEngine resolves
# `_base_ = ['mmrot3d::<path>']` in .mim/configs/, and mmrot3d.utils.shipped_path() finds both.
MIM_FILES = ('configs', 'tools', 'model-index.yml')
REPO = osp.dirname(osp.abspath(__file__))


def add_mim_extension():
    """For an editable install (``pip install -e .``), link ``mmrot3d/.mim/<name>`` to the checkout's
    ``configs/``, ``tools/`` and ``model-index.yml``, so edits show at once."""
    if 'develop' not in sys.argv and 'editable_wheel' not in sys.argv:
        return
    mim_path = osp.join(REPO, 'mmrot3d', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    for name in MIM_FILES:
        tar_path = osp.join(mim_path, name)
        if osp.islink(tar_path) or osp.isfile(tar_path):
            os.remove(tar_path)
        elif osp.isdir(tar_path):
            shutil.rmtree(tar_path)
        os.symlink(osp.relpath(osp.join(REPO, name), mim_path), tar_path)


class BuildPyWithMim(build_py):
    """A wheel (``pip install .``) gets copies in its own ``mmrot3d/.mim/``; the checkout is left as it is."""

    def run(self):
        super().run()
        if getattr(self, 'editable_mode', False):
            return
        mim_path = osp.join(self.build_lib, 'mmrot3d', '.mim')
        os.makedirs(mim_path, exist_ok=True)
        for name in MIM_FILES:
            src_path, tar_path = osp.join(REPO, name), osp.join(mim_path, name)
            if osp.isdir(tar_path):
                shutil.rmtree(tar_path)
            if osp.isfile(src_path):
                shutil.copyfile(src_path, tar_path)
            else:
                shutil.copytree(src_path, tar_path, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmrot3d',
        version='0.1.0',
        description='3DRotNet: self-supervised video rotation prediction as an MMAction2 plugin',
        # the library, and the harness that runs jobs and makes data around it (it imports mmrot3d, never the reverse)
        packages=find_packages(include=['mmrot3d', 'mmrot3d.*', 'mmrot3d_harness', 'mmrot3d_harness.*']),
        cmdclass={'build_py': BuildPyWithMim},
        # `mmrot3d train CONFIG`, `mmrot3d demo`, `mmrot3d benchmark ucf101 --backbone ...`: the tools of tools/
        entry_points={'console_scripts': ['mmrot3d = mmrot3d_harness.__main__:main']},
        python_requires='>=3.9',
        # Exact, verified versions live in requirements/lock.txt; these are the ranges the code needs.
        install_requires=[
            # 2.6: torch.load's weights-only default, from which MMEngine's own loading goes through the trust
            # check (upstream_fixes); with an older torch's default a checkpoint's pickled code runs on load_from
            # and --resume (tests/reliability/test_untrusted_checkpoints.py fails there). Tests run on 2.13.
            'torch>=2.6',
            'mmengine>=0.10,<0.11',
            'mmcv-lite>=2.0.0rc4,<2.2.0',
            'mmaction2==1.2.0',
            'decord>=0.6',
            'numpy<2',
            'importlib_metadata',
            'setuptools<81',
            'matplotlib',
        ],
        # the tests' extras (requirements/lock.txt and requirements/torchvision.txt pin the versions); torchvision
        # only for them: its video ResNets are what the converted backbones are checked against (beside a CPU-only
        # torch, take torchvision's CPU build: a CUDA build breaks MMEngine's Runner there, see torchvision.txt)
        extras_require={'tests': ['pytest', 'pytest-xdist', 'torchvision']},
        zip_safe=False,
    )
