"""6. Decoders: MMAction2's decord, PyAV and OpenCV loaders on the same mp4 files, clip sampling
as in the recipe (``SampleFrames(clip_len=16, frame_interval=2, num_clips=1)``; ``test_mode`` so
every decoder reads the same frame indices). One call = open + sample + decode one clip from each
of the videos. The mean absolute pixel difference to decord's frames checks they decode alike."""
import importlib.util

import numpy as np
from mmengine.dataset import Compose

from . import common
from .timing import interleave, log, print_table, summarize


def pipeline(decoder: str):
    init, decode = {'decord': (dict(type='DecordInit'), dict(type='DecordDecode')),
                    'pyav': (dict(type='PyAVInit'), dict(type='PyAVDecode')),
                    'opencv': (dict(type='OpenCVInit'), dict(type='OpenCVDecode'))}[decoder]
    return Compose([init, dict(type='SampleFrames', clip_len=16, frame_interval=2, num_clips=1, test_mode=True),
                    decode])


def measure(args) -> dict:
    decoders = ['decord', 'opencv']
    missing = {}
    if importlib.util.find_spec('av') is not None:
        decoders.insert(1, 'pyav')
    else:
        missing['pyav'] = 'the av package is not installed (pip install av; see requirements/lock.txt)'
    sizes = [(170, 128)] if args.quick else [(340, 256), (170, 128)]
    out = {}
    for wh in sizes:
        size = f'{wh[0]}x{wh[1]}'
        folder, list_file = common.get_videos(args, wh)
        files = [str(folder / line.split()[0]) for line in list_file.read_text().split('\n') if line]
        pipes = {d: pipeline(d) for d in decoders}

        def load(d, f):
            return pipes[d](dict(filename=f, start_index=0, modality='RGB'))['imgs']

        frames = {d: [np.stack(load(d, f)) for f in files] for d in decoders}
        diff = {d: float(np.mean([np.abs(a.astype(np.int16) - b.astype(np.int16)).mean()
                                  for a, b in zip(frames[d], frames['decord'])]))
                if all(a.shape == b.shape for a, b in zip(frames[d], frames['decord'])) else None
                for d in decoders}
        log(f'[decoders] {size}: {len(files)} videos per call, decoders {decoders}')
        times = interleave({d: (lambda d=d: [load(d, f) for f in files]) for d in decoders},
                           args.repeats or (3 if args.quick else 7), warmup=1, label=f'decoders {size}')
        summary = summarize(times, 'decord', {d: len(files) for d in decoders}, unit='clips/s',
                            label=f'decoders {size}')
        rows = [dict(decoder=d, clips_per_s=summary[d]['throughput'], frames_per_s=summary[d]['throughput'] * 16,
                     ms_per_clip=1000 * summary[d]['median_s'] / len(files), ratio_vs_decord=summary[d]['ratio'],
                     mean_abs_pixel_diff_vs_decord=diff[d]) for d in decoders]
        print_table(f'Decoders, {size} mp4 (mp4v), one 16-frame clip (stride 2) per video', rows,
                    ['decoder', 'clips_per_s', 'frames_per_s', 'ms_per_clip', 'ratio_vs_decord',
                     'mean_abs_pixel_diff_vs_decord'])
        out[size] = dict(rows=rows, variants=summary)
    for d, why in missing.items():
        log(f'  {d}: not measured: {why}')
    return dict(description=__doc__.strip(), sizes=out, missing=missing)
