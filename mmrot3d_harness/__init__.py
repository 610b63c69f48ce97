"""The harness around the mmrot3d library: everything that runs jobs and makes data, none of it a component.

- ``commands``: the command-line tools (``mmrot3d COMMAND``, ``tools/COMMAND.py``);
- ``benchmark``: the benchmark's planner, scheduler, launcher and reports (``mmrot3d benchmark``, ``mmrot3d demo``);
- ``synthetic``: the synthetic action videos; ``preparation``: list builders for the official releases;
- the helpers only tools use: ``user_errors``, ``progress``, ``run_logs``, ``dataset_report``, ``video_io``,
  ``cores``, ``distributed``.

It depends on ``mmrot3d``; ``mmrot3d`` never imports it. Importing it imports nothing heavy.
"""
