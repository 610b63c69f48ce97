"""One decoder, measured in a process of its own (``benchmarks/decoders.py`` starts it): its CPU time
per clip, peak memory and first frames do not mix with another decoder's, and a decoder that installs
under another's module name (decord2 is imported as ``decord``) can run beside the venv's.

    python -m benchmarks.decode_child '{"decoder": "decord", "files": [...], "windows": [[0, 2, ...]], ...}'

Prints one JSON line: per file ``ok``/``error``, CPU ms per clip for every window, and the path of
the first window's frames saved as ``.npy`` (for the pixel comparison).
"""
import json
import sys
import time
from pathlib import Path

import numpy as np


def _status_kib(key: str) -> int:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    return 0


def _mmaction_loader(init: str, decode: str):
    import mmrot3d  # noqa: F401  (upstream fixes before mmaction)
    from mmaction.utils import register_all_modules
    from mmengine.dataset import Compose
    register_all_modules(init_default_scope=True)

    def load(filename, indices):
        pipe = Compose([dict(type=init), dict(type=decode)])
        return np.stack(pipe(dict(filename=filename, frame_inds=np.asarray(indices), start_index=0,
                                  modality='RGB'))['imgs'])
    return load


def loader(decoder: str):
    """``load(filename, frame_indices) -> (T, H, W, 3) uint8 RGB`` for ``decoder``, single-threaded."""
    if decoder in ('decord', 'decord2'):  # decord2 is imported as decord (run with its site first on the path)
        import decord
        if decoder == 'decord2' and int(decord.__version__.split('.')[0]) < 1:
            raise ImportError(f'decord2 asked for but decord {decord.__version__} found first on the path')
        return _mmaction_loader('DecordInit', 'DecordDecode')
    if decoder == 'pyav':
        return _mmaction_loader('PyAVInit', 'PyAVDecode')
    if decoder == 'torchcodec':
        from torchcodec.decoders import VideoDecoder

        def load(filename, indices):
            frames = VideoDecoder(filename, num_ffmpeg_threads=1, dimension_order='NHWC', seek_mode='exact')
            return frames.get_frames_at(indices=[int(i) for i in indices]).data.numpy()
        return load
    raise ValueError(f'unknown decoder {decoder!r}')


def main(spec: dict) -> dict:
    import torch
    torch.set_num_threads(1)
    load = loader(spec['decoder'])
    base_kib = _status_kib('VmRSS')
    out = dict(decoder=spec['decoder'], files={})
    for f, filename in enumerate(spec['files']):
        result = out['files'][filename] = {}
        try:
            first = load(filename, spec['windows'][0])
            npy = Path(spec['frames_dir']) / f'{spec["decoder"]}_{f}.npy'
            np.save(npy, first)
            times = [[] for _ in spec['windows']]
            for _ in range(spec['repeats']):
                for w, window in enumerate(spec['windows']):
                    start = time.process_time()
                    load(filename, window)
                    times[w].append(time.process_time() - start)
        except Exception as err:  # noqa: BLE001 (what fails to open or seek is the finding)
            text = str(err).strip().splitlines()
            result['error'] = f'{type(err).__name__}: {text[0][:160] if text else ""}'
            continue
        result.update(ok=True, frames=str(npy), ms_per_window=[1000 * float(np.median(t)) for t in times])
    out['peak_rise_mib'] = (_status_kib('VmHWM') - base_kib) / 1024
    return out


if __name__ == '__main__':
    print(json.dumps(main(json.loads(sys.argv[1]))))
