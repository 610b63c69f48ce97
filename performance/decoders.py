"""6. Decoders: decord 0.6.0 (the default), decord2, PyAV (MMAction2's ``PyAVInit/PyAVDecode``) and
torchcodec, on the same files and sampling.

The files are written with PyAV's encoders in the containers/codecs a scraped dataset holds: H.264
in mp4 and mkv, MPEG-4 part 2 in avi and mp4, VP9 in webm, MPEG-1 in mpg; 10 s at 25 fps (250 frames,
a Kinetics clip's length), content that does not compress to nothing (moving blocks + noise), the
encoders' default keyframe intervals. Each decoder reads a 16-frame clip with stride 2 (the recipe's
sampling) from three windows: the start, the middle and the end of the video; the end costs more
for a decoder that has to decode (or seek) its way there -- the random-access cost.

The decoders run in a child process (``performance/decode_child.py``, 1 thread; decord2 and torchcodec
each in their own, with their folder first on the path): CPU time per clip, peak memory rise while
decoding, and the frames of the first window compared with decord's. All decoders run one after
another, twice, the second time in reverse order (the two medians are averaged), so a change of the
machine's load does not favour one decoder.
decord2 installs under the module name ``decord`` and torchcodec needs its own torch build, so
both are measured only from a folder given with ``--decoder-site decord2=DIR`` (made by
``pip install --no-deps --target DIR decord2``); without it they are reported as not measured.
"""
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from .timing import log, print_table

FILES = {  # name: (codec, encoder options)
    'h264.mp4': ('libx264', {}),
    'h264.mkv': ('libx264', {}),
    'mpeg4.avi': ('mpeg4', {}),
    'mpeg4.mp4': ('mpeg4', {}),
    'vp9.webm': ('libvpx-vp9', {'deadline': 'realtime', 'cpu-used': '8'}),
    'mpeg1.mpg': ('mpeg1video', {}),
}
QUICK_FILES = ('h264.mp4', )  # --quick: a smoke run
DECODERS = ('decord', 'decord2', 'pyav', 'torchcodec')
QUICK_DECODERS = ('decord', 'pyav')
CLIP_LEN, STRIDE = 16, 2


def moving_blocks(width: int, height: int, frames: int, seed: int = 0) -> np.ndarray:
    """``(T, H, W, 3)`` uint8: 8x8 random blocks drifting, plus per-frame noise (so P-frames cost bits)."""
    rng = np.random.default_rng(seed)
    base = np.kron(
        rng.integers(0, 200, size=(height // 8 + 3, width // 8 + 3, 3), dtype=np.uint8),
        np.ones((8, 8, 1), dtype=np.uint8))
    out = np.empty((frames, height, width, 3), dtype=np.uint8)
    for t in range(frames):
        noise = rng.integers(0, 24, size=(height // 2, width // 2, 1), dtype=np.uint8).repeat(2, 0).repeat(2, 1)
        out[t] = base[t % 16:t % 16 + height, t // 2 % 16:t // 2 % 16 + width] + noise
    return out


def write_test_files(folder: Path, width: int, height: int, frames: int, names=FILES) -> dict:
    """Encode the same clip in the containers/codecs ``names`` (of ``FILES``); returns ``{name: path or error}``."""
    import av
    clip = moving_blocks(width, height, frames)
    out = {}
    for name in names:
        codec, options = FILES[name]
        path = folder / name
        try:
            with av.open(str(path), 'w') as container:
                stream = container.add_stream(codec, rate=25)
                stream.width, stream.height, stream.pix_fmt, stream.options = width, height, 'yuv420p', options
                for frame in clip:
                    container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format='rgb24')))
                container.mux(stream.encode())
            out[name] = path
        except Exception as err:  # noqa: BLE001 (an encoder missing from this PyAV build)
            out[name] = f'{type(err).__name__}: {err}'
    return out


def windows(frames: int) -> list:
    """Frame indices of the clip at the start, the middle and the end of the video."""
    span = CLIP_LEN * STRIDE
    return [list(range(start, start + span, STRIDE)) for start in (0, (frames - span) // 2, frames - span)]


def decoder_sites(args) -> dict:
    """``--decoder-site NAME=DIR`` options: folders to put first on the child's path for NAME."""
    sites = {}
    for item in getattr(args, 'decoder_site', None) or []:
        name, _, folder = item.partition('=')
        sites[name.strip()] = folder.strip()
    return sites


def availability(decoder: str, sites: dict):
    """None if ``decoder`` can be tried here, else why not."""
    if decoder in ('decord2', 'torchcodec') and decoder not in sites:
        return f'not installed: pip install --no-deps --target DIR {decoder}; then --decoder-site {decoder}=DIR'
    if decoder == 'pyav' and importlib.util.find_spec('av') is None:
        return 'the av package is not installed (see requirements/lock.txt)'
    return None


def run_child(decoders: list, files: list, spec: dict, site=None) -> dict:
    """``{decoder: result}`` from one ``decode_child`` process with ``site`` (if any) first on its path."""
    env = dict(os.environ, OMP_NUM_THREADS='1')
    root = str(Path(__file__).resolve().parents[1])
    env['PYTHONPATH'] = os.pathsep.join(p for p in (site, root, env.get('PYTHONPATH')) if p)
    proc = subprocess.run(
        [sys.executable, '-m', 'performance.decode_child',
         json.dumps(dict(spec, decoders=decoders, files=files))],
        env=env,
        capture_output=True,
        text=True,
        timeout=900)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith('{')]
    if proc.returncode or not lines:
        tail = (proc.stderr.strip().splitlines() or ['no output'])[-1]
        return {d: dict(decoder=d, failed=f'exit {proc.returncode}: {tail[:200]}') for d in decoders}
    return json.loads(lines[-1])


def run_round(decoders: list, files: list, spec: dict, sites: dict) -> dict:
    """The venv's decoders in one process, each decoder with its own folder in a process of its own."""
    own = [d for d in decoders if d not in sites]
    out = run_child(own, files, spec) if own else {}
    for decoder in decoders:
        if decoder in sites:
            out.update(run_child([decoder], files, spec, sites[decoder]))
    return {d: out[d] for d in decoders}


def merge_rounds(runs: list) -> dict:
    """One decoder's result over the rounds: per file and window the mean of the rounds' medians."""
    if any('failed' in r for r in runs):
        return next(r for r in runs if 'failed' in r)
    merged = runs[0]
    for f, result in merged['files'].items():
        if result.get('ok'):
            result['ms_per_window'] = [
                statistics.mean(r['files'][f]['ms_per_window'][w] for r in runs)
                for w in range(len(result['ms_per_window']))
            ]
    merged['peak_rise_mib'] = max(r['peak_rise_mib'] for r in runs)
    return merged


def measure(args) -> dict:
    width, height, frames = (170, 128, 48) if args.quick else (340, 256, 250)
    repeats = args.repeats or (1 if args.quick else 5)
    sites = decoder_sites(args)
    folder = Path(tempfile.mkdtemp(prefix='mmrot3d_decoders_'))
    written = write_test_files(folder, width, height, frames, names=QUICK_FILES if args.quick else FILES)
    files = [str(p) for p in written.values() if isinstance(p, Path)]
    spec = dict(windows=windows(frames), repeats=repeats, frames_dir=str(folder))
    log(f'[decoders] {width}x{height}, {frames} frames, files {list(written)}, 3 windows x {repeats} repeats, '
        'decoders in child processes')
    missing = {d: availability(d, sites) for d in DECODERS}
    runnable = [d for d in (QUICK_DECODERS if args.quick else DECODERS) if missing[d] is None]
    rounds = []
    for order in ([runnable] if args.quick else [runnable, runnable[::-1]]):
        rounds.append(run_round(order, files, spec, sites))
        log(f'  [decoders] round {len(rounds)} done')
    results = {d: merge_rounds([r[d] for r in rounds]) for d in runnable}
    missing.update({d: f'cannot run here: {r["failed"]}' for d, r in results.items() if 'failed' in r})
    missing = {d: why for d, why in missing.items() if why}
    reference = results.get('decord', {}).get('files', {})
    rows, opens = [], []
    for decoder, res in results.items():
        if 'failed' in res:
            continue
        per_file = res['files']
        opens.append(
            dict(
                decoder=decoder,
                **{
                    Path(f).name: ('ok' if r.get('ok') else r['error'][:60])
                    for f, r in per_file.items()
                }))
        ok = {f: r for f, r in per_file.items() if r.get('ok')}
        for f, r in ok.items():
            ms = r['ms_per_window']
            ref = reference.get(f, {})
            diff = None
            if ref.get('ok'):
                a, b = np.load(r['frames']).astype(np.int16), np.load(ref['frames']).astype(np.int16)
                diff = float(np.abs(a - b).mean()) if a.shape == b.shape else f'shape {a.shape} vs {b.shape}'
            rows.append(
                dict(
                    decoder=decoder,
                    file=Path(f).name,
                    ms_start=ms[0],
                    ms_middle=ms[1],
                    ms_end=ms[2],
                    frames_per_cpu_s=CLIP_LEN * 1000 / statistics.median(ms),
                    end_vs_start=ms[2] / ms[0],
                    mean_abs_diff_vs_decord=diff))
        res['peak_rise_mib'] = round(res['peak_rise_mib'], 1)
    print_table('Decoders: which files open (PyAV-encoded, one per container/codec)', opens,
                ['decoder', *[n for n in written if isinstance(written[n], Path)]])
    print_table(
        f'Decoders: CPU ms per 16-frame clip (stride 2) at the start / middle / end of a {frames}-frame '
        f'{width}x{height} video, 1 thread', rows, [
            'decoder', 'file', 'ms_start', 'ms_middle', 'ms_end', 'frames_per_cpu_s', 'end_vs_start',
            'mean_abs_diff_vs_decord'
        ])
    speed = {
        d: statistics.median(r['frames_per_cpu_s'] for r in rows if r['decoder'] == d)
        for d in results if any(r['decoder'] == d for r in rows)
    }
    summary = [
        dict(
            decoder=d,
            files_opened=sum(1 for r in results[d]['files'].values() if r.get('ok')),
            files=len(files),
            median_frames_per_cpu_s=speed[d],
            ratio_vs_decord=speed[d] / speed['decord'] if 'decord' in speed else None,
            peak_rise_mib=results[d]['peak_rise_mib']) for d in speed
    ]
    print_table('Decoders: summary (median over files and windows)', summary,
                ['decoder', 'files_opened', 'files', 'median_frames_per_cpu_s', 'ratio_vs_decord', 'peak_rise_mib'])
    for decoder, why in missing.items():
        log(f'  {decoder}: not measured: {why}')
    for name, value in written.items():
        if not isinstance(value, Path):
            log(f'  {name}: could not be written: {value}')
    return dict(
        description=__doc__.strip(),
        size=f'{width}x{height}',
        frames=frames,
        repeats=repeats,
        opens=opens,
        rows=rows,
        summary=summary,
        missing=missing,
        unwritten={
            n: v
            for n, v in written.items() if not isinstance(v, Path)
        })
