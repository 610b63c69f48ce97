"""A VideoDataset that survives bad files in lists of hundreds of thousands of scraped videos."""
import logging
import multiprocessing as mp
import os.path as osp
import random
from typing import Optional, Tuple

import numpy as np
from mmaction.datasets import VideoDataset
from mmaction.registry import DATASETS
from mmengine.logging import print_log
from torch.utils.data import get_worker_info

from .checks import ConfigError, check_rotation_crop, check_video, missing_videos_hint, read_errors, sampled_window
from .video_list import read_video_list

# Videos whose existence is checked when the list is read (spread over the list): if none exists, the
# data prefix is wrong, and the run stops before step 1 instead of skipping every sample.
EXISTENCE_SAMPLE = 32


class BadVideoError(Exception):
    """One sample cannot be read (internal: caught by RobustVideoDataset, which substitutes another)."""


class TooManyBadVideosError(RuntimeError):
    """More of the list is unreadable than ``max_bad_fraction`` allows: the data, not the run, needs fixing."""


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return (text.splitlines()[0][:160] if text else type(err).__name__)


@DATASETS.register_module()
class RobustVideoDataset(VideoDataset):
    """``VideoDataset`` that skips unreadable videos instead of stopping a days-long run.

    A sample whose file is missing, empty, unreadable, not a video, truncated or corrupt, or shorter
    than the sampled window is replaced by another one (drawn from a seeded generator keyed by the
    index, so runs and resumed runs see the same substitutes); the file is named once in the log
    (WARNING) and never decoded again. :class:`mmrot3d.engine.hooks.SkippedVideosHook` reports the
    number of skipped samples at the end of every epoch. Malformed list lines are reported with
    ``file:line`` when the list is read, and dropped; a bad video as ``LIST:LINE: path: reason``.

    A test set must not change: with ``max_bad_fraction=0`` the first bad video stops the run, naming
    it (the fine-tuning configs' test loaders; ``tools/check_dataset.py`` finds them all beforehand).
    A list none of whose sampled videos exists under the data prefix stops at build, with a guess at
    the right prefix.

    Only what a bad file raises in the *reading* steps (``*Init`` / ``*Decode`` transforms; see
    :func:`~mmrot3d.datasets.checks.read_errors`) counts as bad data. Any other error is a bug or a
    config error and is raised as it is; from a reading step, its message names the step
    (``dataset.pipeline[0] (DecordInit)``), so that, e.g., a misspelt argument of ``DecordInit`` stops
    the run at its first sample instead of making every video "bad".

    Skip records live in shared memory created before DataLoader workers start, so the counts, the
    "already logged" marks and the bad-fraction limit hold across all workers of a rank (and across
    epochs with persistent workers), without files or extra processes.

    Args:
        max_bad_fraction: stop (:class:`TooManyBadVideosError`) once more than this fraction of the
            list's lines turned out bad (0: at the first). Set from what a preflight
            (``tools/check_dataset.py``) finds.
        min_frames: frames a video needs; default: the sampled window of the pipeline's
            ``SampleFrames`` (``clip_len * frame_interval``).
        require_label: report lines without a label (``VideoDataset`` would silently use -1).
        max_retries: substitutes tried for one sample before giving up.
        **kwargs: as for ``VideoDataset``.
    """

    def __init__(self,
                 ann_file: str,
                 pipeline,
                 max_bad_fraction: float = 0.01,
                 min_frames: Optional[int] = None,
                 require_label: bool = True,
                 max_retries: int = 50,
                 **kwargs) -> None:
        if not 0 <= max_bad_fraction <= 1:
            raise ConfigError(f'dataset.max_bad_fraction={max_bad_fraction}; use a fraction in [0, 1], e.g. 0.01')
        self.max_bad_fraction = max_bad_fraction
        self.require_label = require_label
        self.max_retries = max_retries
        pipeline_cfg = [dict(step) if isinstance(step, dict) else step for step in pipeline]
        self.min_frames = int(min_frames) if min_frames else sampled_window(pipeline_cfg)
        uncertain = check_rotation_crop(pipeline_cfg, 'dataset.pipeline')
        if uncertain:
            print_log(uncertain, logger='current', level=logging.WARNING)
        self.malformed_lines = 0
        super().__init__(ann_file, pipeline=pipeline, **kwargs)

    # -- reading the list -------------------------------------------------------------------------
    def load_data_list(self):
        """The list's good lines; each malformed one is logged as ``file:line: reason``."""
        remote = '://' in str(self.ann_file)
        if not remote and not osp.isfile(self.ann_file):
            raise ConfigError(f'dataset.ann_file={self.ann_file!r} does not exist' +
                              (f' (data_root={self.data_root!r})' if self.data_root else ''))
        prefix = self.data_prefix.get('video') or ''
        if prefix and '://' not in prefix and not osp.isdir(prefix):
            raise ConfigError(f"dataset.data_prefix.video={prefix!r} is not a directory")
        if remote:  # lists on object stores: keep upstream parsing, nothing local to check
            return super().load_data_list()
        data_list, malformed = [], []
        for entry in read_video_list(self.ann_file, self.delimiter, self.multi_class, self.num_classes,
                                     self.require_label):
            if entry.error:
                malformed.append(entry)
                print_log(
                    f'{self.ann_file}:{entry.lineno}: {entry.error}: {entry.text[:200]!r} (line skipped)',
                    logger='current',
                    level=logging.WARNING)
                continue
            data_list.append(dict(filename=osp.join(prefix, entry.path), label=entry.label, lineno=entry.lineno))
        self.malformed_lines = len(malformed)
        total = len(data_list) + len(malformed)
        if malformed and len(malformed) > self.max_bad_fraction * total:
            raise TooManyBadVideosError(
                f'{self.ann_file}: {len(malformed)} of {total} lines are malformed (first at line '
                f'{malformed[0].lineno}: {malformed[0].error}), more than max_bad_fraction={self.max_bad_fraction}')
        if not data_list:
            raise ConfigError(f'dataset.ann_file={self.ann_file!r} lists no usable video')
        self._check_some_exist(data_list, prefix)
        return data_list

    def _check_some_exist(self, data_list, prefix: str) -> None:
        """Stop when none of the videos sampled evenly over the list exists: a wrong prefix, not bad files."""
        if '://' in prefix:
            return
        step = max(1, len(data_list) // EXISTENCE_SAMPLE)
        sample = [d['filename'] for d in data_list[::step][:EXISTENCE_SAMPLE]]
        if any(osp.lexists(f) for f in sample):
            return
        listed = [osp.relpath(f, prefix) if prefix else f for f in sample]
        hint = missing_videos_hint(prefix, listed)
        raise ConfigError(f'dataset.data_prefix.video={prefix!r}: none of {len(sample)} videos sampled from '
                          f'{self.ann_file} exists (e.g. {sample[0]})' + (f'; {hint}' if hint else ''))

    def full_init(self) -> None:
        if self._fully_initialized:
            return
        super().full_init()
        # Created here, in the process that builds the dataset, *before* DataLoader workers fork (or
        # get it pickled through process spawning), so all workers of this rank share them.
        self._lock = mp.Lock()
        self._known_bad = mp.RawArray('b', len(self))  # 1 = bad, already logged: skip without decoding
        self._hit = mp.RawArray('b', len(self))  # 1 = bad file met since the last report (this epoch)
        self._stats = mp.RawArray('q', 2)  # [samples skipped since the last report, distinct bad files]
        self._last_bad = mp.RawArray('c', 2048)  # "LIST:LINE: file: reason" of the latest bad file, to stop with

    # -- reading samples --------------------------------------------------------------------------
    def prepare_data(self, idx: int):
        """Run the pipeline; failures of the reading steps (or a too-short video) raise BadVideoError."""
        results = self.get_data_info(idx)
        filename, length_checked = results['filename'], False
        for i, transform in enumerate(self.pipeline.transforms):
            name = type(transform).__name__
            reads_the_file = name.endswith(('Init', 'Decode'))
            try:
                results = transform(results)
            except read_errors() as err:
                if not reads_the_file:
                    raise
                raise BadVideoError(f'{name}: {_first_line(err)}') from err
            except Exception as err:  # never bad data: raised, from a reading step with its place in the config
                if reads_the_file:
                    err.args = (f'dataset.pipeline[{i}] ({name}) reading {filename}: {err}', )
                raise
            if results is None:
                return None
            if not length_checked and 'total_frames' in results:
                length_checked = True
                if results['total_frames'] < self.min_frames:
                    raise BadVideoError(f'too short: {results["total_frames"]} frames < sampled window of '
                                        f'{self.min_frames}')
        return results

    def __getitem__(self, idx: int):
        if not self._fully_initialized:
            self.full_init()
        current = idx
        for attempt in range(self.max_retries + 1):
            if not self._known_bad[current]:
                try:
                    data = self.prepare_data(current)
                    if data is not None:
                        return data
                except BadVideoError as err:
                    self._record_bad(current, str(err))
            else:
                with self._lock:
                    self._stats[0] += 1
                    self._hit[current] = 1
            # The same bad index always gets the same substitutes: runs (and resumed runs) stay reproducible.
            current = random.Random(idx * 1_000_003 + attempt).randrange(len(self))
        raise TooManyBadVideosError(f'{self.max_retries + 1} videos in a row were bad while fetching sample {idx} '
                                    f'of {self.ann_file} (last: {self.last_bad()}); run tools/check_dataset.py '
                                    'on the list')

    def describe_bad(self, idx: int, error: str) -> Tuple[str, str, str]:
        """``(LIST:LINE, file, reason)`` of a sample whose reading failed with ``error`` (a BadVideoError's
        message); the reason names the cause (missing, zero bytes, not a video...) where the decoder's
        message would not."""
        info = self.get_data_info(idx)
        filename = info['filename']
        if error.startswith(('DecordInit', 'ResizedDecordInit', 'PyAVInit', 'OpenCVInit')):
            error = check_video(filename, self.min_frames, decode=False) or error
        return f'{self.ann_file}:{info.get("lineno", "?")}', filename, error

    def _record_bad(self, idx: int, error: str) -> None:
        where = ': '.join(self.describe_bad(idx, error))
        with self._lock:
            first_time = not self._known_bad[idx]
            self._known_bad[idx] = 1
            self._hit[idx] = 1
            self._stats[0] += 1
            if first_time:
                self._stats[1] += 1
                self._last_bad.value = where.encode()[:2047]
        if first_time and self.max_bad_fraction > 0:
            print_log(f'Skipping bad video {where}', logger='current', level=logging.WARNING)
        if get_worker_info() is None:
            # In a DataLoader worker the exception would reach the user wrapped in a worker traceback;
            # there SkippedVideosHook raises it in the main process after the iteration instead.
            self.check_bad_fraction()

    # -- reporting (called by SkippedVideosHook in the main process) ------------------------------
    def last_bad(self) -> str:
        return self._last_bad.value.decode(errors='replace')

    def bad_counts(self, reset: bool = False):
        """``(bad files met, samples substituted -- both since the last reset --, entries known bad
        (files and malformed lines), entries in the list)``."""
        with self._lock:
            hit = np.frombuffer(self._hit, dtype=np.int8)
            files, skipped, bad = int(hit.sum()), int(self._stats[0]), int(self._stats[1])
            if reset:
                hit[:] = 0
                self._stats[0] = 0
        return files, skipped, bad + self.malformed_lines, len(self) + self.malformed_lines

    def check_bad_fraction(self) -> None:
        _, _, bad, total = self.bad_counts()
        if bad and self.max_bad_fraction == 0:
            raise TooManyBadVideosError(
                f'{self.last_bad()}; this list allows no bad video (max_bad_fraction=0: a test set must not '
                f'change); find them all with tools/check_dataset.py {self.ann_file}')
        if bad > self.max_bad_fraction * total:
            raise TooManyBadVideosError(
                f'{bad} of {total} entries of {self.ann_file} are bad ({bad / total:.1%} > max_bad_fraction='
                f'{self.max_bad_fraction:.1%}; latest: {self.last_bad()}); find them all with '
                f'tools/check_dataset.py {self.ann_file} --write-clean CLEAN_LIST')
