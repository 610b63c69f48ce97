"""Test-only: training subprocesses of test_interrupted_runs.py start with this folder on PYTHONPATH, and
Python imports ``sitecustomize`` at start-up, before the config is read (a ``--cfg-options
custom_imports`` would come too late: MMEngine imports custom modules while parsing the config file)."""
import os

if os.environ.get('MMROT3D_PAUSE'):
    import kill_points  # noqa: F401
