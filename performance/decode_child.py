"""Decoders measured in a process apart from the suite (``performance/decoders.py`` starts it), so a
decoder that installs under another's module name (decord2 is imported as ``decord``) runs with its
own folder first on the path, and a decoder that cannot load fails alone.

    python -m performance.decode_child '{"decoders": ["decord", "pyav"], "files": [...], "windows": [[0, 2, ...]], ...}'

Prints one JSON line: per decoder and file ``ok``/``error``, CPU ms per clip for every window, the path
of the first window's frames saved as ``.npy`` (for the pixel comparison), and the peak memory rise
while that decoder ran (the high-water mark is reset between decoders).
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
    from mmaction.datasets.transforms import loading
    steps = [getattr(loading, init)(), getattr(loading, decode)()]

    def load(filename, indices):
        results = dict(filename=filename, frame_inds=np.asarray(indices), start_index=0, modality='RGB')
        for step in steps:
            results = step(results)
        return np.stack(results['imgs'])

    return load


def loader(decoder: str):
    """``load(filename, frame_indices) -> (T, H, W, 3) uint8 RGB`` for ``decoder``, single-threaded."""
    if decoder in ('decord', 'decord2'):  # decord2 is imported as decord (run with its site first on the path)
        import decord
        if (decoder == 'decord2') != (int(decord.__version__.split('.')[0]) >= 1):
            raise ImportError(f'{decoder} asked for but decord {decord.__version__} found first on the path')
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


def _reset_peak_memory() -> None:
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')  # VmHWM := VmRSS


def measure_decoder(decoder: str, spec: dict) -> dict:
    load = loader(decoder)
    _reset_peak_memory()
    base_kib = _status_kib('VmRSS')
    out = dict(decoder=decoder, files={})
    for f, filename in enumerate(spec['files']):
        result = out['files'][filename] = {}
        try:
            first = load(filename, spec['windows'][0])
            npy = Path(spec['frames_dir']) / f'{decoder}_{f}.npy'
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


def main(spec: dict) -> dict:
    """``{decoder: result}`` for every decoder of ``spec['decoders']``, one after another."""
    out = {}
    for decoder in spec['decoders']:
        try:
            out[decoder] = measure_decoder(decoder, spec)
        except Exception as err:  # noqa: BLE001 (a decoder that cannot even load is reported, not fatal)
            text = str(err).strip().splitlines()
            out[decoder] = dict(decoder=decoder, failed=f'{type(err).__name__}: {text[0][:200] if text else ""}')
    return out


if __name__ == '__main__':
    print(json.dumps(main(json.loads(sys.argv[1]))))
