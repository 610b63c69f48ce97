"""Build MMAction2 video lists (``relative/path.ext <label>``, 0-based) from the official
UCF101, HMDB51 and Kinetics-400 annotation files, and those of SEVERE's datasets (``sthv2``, ``finegym``,
``diving48`` through MMAction2's own data tools, ``mmaction_tools``; ``charades``; ``severe_subsets``).
CLIs: ``tools/data/<dataset>/build_file_list.py``.

Dataset preparation, kept with the data tools as MMAction2 keeps its own (``tools/data/``): the library reads
the lists these write (``mmrot3d.datasets.video_list``) and never the official layouts."""
from .common import AnnotationError, find_missing, read_text_lines, write_outputs, write_split_lists
from .hmdb51 import build_hmdb51_lists
from .kinetics import build_kinetics400_lists, read_kinetics_csv, write_kinetics400_lists
from .ucf101 import build_ucf101_lists, read_class_ind, read_testlist, read_trainlist

__all__ = [
    'AnnotationError',
    'find_missing',
    'read_text_lines',
    'write_outputs',
    'write_split_lists',
    'build_ucf101_lists',
    'read_class_ind',
    'read_trainlist',
    'read_testlist',
    'build_hmdb51_lists',
    'build_kinetics400_lists',
    'write_kinetics400_lists',
    'read_kinetics_csv',
]
