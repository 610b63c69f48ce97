"""The benchmark (``mmrot3d benchmark``, ``tools/benchmark.py``) and the demo (``mmrot3d demo``,
``tools/demo.py``): backbones in, tables out. ``cli`` is their command line.

Every run is a standard tool (``tools/train.py``, ``tools/test.py``, ``tools/eval_frozen.py``) in its own
process and folder; finished runs are skipped, interrupted ones resume. Modules:

- ``run``: one benchmark from options to results (presets ``ucf101``, ``hmdb51``, SEVERE's, ``demo``,
  ``synthetic-paper``); ``EVALUATIONS`` lists the evaluations run for every backbone;
- ``severe_presets``: SEVERE's datasets as preset descriptions and the ``severe`` group; ``severe_report`` and
  ``severe_anchors``: its table in ``results.md`` with the published rows;
- ``labelled_sets``: where the data lies and the architectures it has fine-tuning configs for;
  ``backbone_files``: ``--backbone`` files read (other layouts converted), given their architecture and checked
  before any job; ``data_check``: every listed video checked before any job (``--skip-bad``: the lists without
  the bad ones);
- ``plan``: fine-tune/test/frozen jobs; ``synthetic_presets``: pretraining, pretext, validation lists, the bar;
  ``subsets`` (label fractions, validation carving);
- ``jobs``, ``scheduler``, ``launch``, ``devices``, ``resources``: running jobs safely and visibly (with the
  harness's ``progress``);
- ``outputs``, ``aggregate``, ``report``, ``results_plot``, ``results``: reading the tools' outputs (through the
  harness's ``run_logs``), ``results.json/md/png``.

The frozen features the ``tools/eval_frozen.py`` jobs judge come from the library's one feature-extraction
engine (``mmrot3d.apis.feature_extraction``).
"""
