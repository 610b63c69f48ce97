"""The benchmark (``tools/benchmark.py``) and the main job (``tools/demo.py``): backbones in, tables out.
``cli`` is their command line.

Every run is a standard tool (``tools/train.py``, ``tools/test.py``, ``tools/eval_frozen.py``) in its own
process and folder; finished runs are skipped, interrupted ones resume. Modules:

- ``run``: one benchmark from options to results (presets ``ucf101``, ``hmdb51``, ``demo``,
  ``synthetic-paper``); ``EVALUATIONS`` lists the evaluations run for every backbone;
- ``datasets``: where the data lies and the architectures it has fine-tuning configs for; ``backbones``:
  ``--backbone`` files read (other layouts converted), given their architecture and checked before any job;
  ``data_check``: every listed video checked before any job (``--skip-bad``: the lists without the bad ones);
- ``plan``: fine-tune/test/frozen jobs; ``synthetic``: pretraining, pretext, validation lists, the bar;
  ``subsets`` (label fractions, validation carving);
- ``jobs``, ``scheduler``, ``launch``, ``devices``, ``resources``, ``progress``: running jobs safely and visibly;
- ``outputs``, ``aggregate``, ``report``, ``figure``: reading the tools' outputs, ``results.json/md/png``.

The frozen-feature protocol the ``tools/eval_frozen.py`` jobs run is the library's
(``mmrot3d.evaluation.frozen_protocol``).
"""
