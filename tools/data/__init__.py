"""Dataset tools: ``preparation`` (video lists from the official UCF101, HMDB51 and Kinetics-400 layouts, for
``tools/data/<dataset>/build_file_list.py``) and ``synthetic`` (the synthetic action videos, for
``tools/data/synthetic/generate.py``)."""
