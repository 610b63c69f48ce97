"""The command-line tools and the packages only they use, beside the ``mmrot3d`` library (as MMAction2 keeps
its launchers and dataset tools in ``tools/``): ``tools.benchmark`` (the benchmark's jobs, for
``tools/benchmark.py`` and ``tools/demo.py``) and ``tools.data`` (dataset preparation and the synthetic data).

A script that imports them puts the folder holding ``tools/`` (the checkout, or ``mmrot3d/.mim`` in an
install) first on ``sys.path``.
"""
