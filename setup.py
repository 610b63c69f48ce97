from setuptools import find_packages, setup

setup(
    name='mmrot3d',
    version='0.1.0',
    description='3DRotNet: self-supervised video rotation prediction as an MMAction2 plugin',
    packages=find_packages(include=['mmrot3d', 'mmrot3d.*']),
    python_requires='>=3.9',
    # Exact, verified versions live in requirements/lock.txt; these are the ranges the code needs.
    install_requires=[
        'torch>=2.0', 'mmengine>=0.10,<0.11', 'mmcv-lite>=2.0.0rc4,<2.2.0', 'mmaction2==1.2.0',
        'decord>=0.6', 'numpy<2', 'importlib_metadata', 'setuptools<81', 'matplotlib',
    ],
)
