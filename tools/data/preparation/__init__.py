"""Build MMAction2 video lists (``relative/path.ext <label>``, 0-based) from the official
UCF101, HMDB51 and Kinetics-400 annotation files. CLIs: ``tools/data/<dataset>/build_file_list.py``."""
from .common import AnnotationError, find_missing, read_text_lines, write_outputs
from .hmdb51 import build_hmdb51_lists
from .kinetics import build_kinetics400_lists, read_kinetics_csv
from .ucf101 import build_ucf101_lists, read_class_ind, read_testlist, read_trainlist

__all__ = [
    'AnnotationError',
    'find_missing',
    'read_text_lines',
    'write_outputs',
    'build_ucf101_lists',
    'read_class_ind',
    'read_trainlist',
    'read_testlist',
    'build_hmdb51_lists',
    'build_kinetics400_lists',
    'read_kinetics_csv',
]
