"""A video list that mixes every kind of bad entry with good ones (test_bad_data.py's ``mixed_list``)."""
import shutil

import numpy as np

from mmrot3d_harness.video_io import write_video

# name in the list -> the reason the checks must give (prefix). Running as root, a chmod 000 file
# stays readable, so "unreadable" is covered by a directory that carries a video's name.
BAD_FILES = {
    'zero_byte.mp4': 'zero-byte file',
    'truncated.mp4': 'truncated or corrupt video',  # first 30% of a good file's bytes
    'random_bytes.mp4': 'not a video',
    'text_renamed.mp4': 'not a video',
    'directory.mp4': 'a directory, not a file',
    'too_short.mp4': 'too short: 2 frames',
    'missing.mp4': 'missing',
}
MALFORMED = {  # line -> reason; line numbers are checked too
    'good_0.mp4': 'missing label',
    'good_1.mp4\t1': 'wrong separator',
    'good_2.mp4 7': 'label 7 out of range',
    'good_3.mp4 one': "label 'one' is not an integer",
}
NUM_CLASSES = 2


def make_mixed_list(video_dir, root):
    """``(root, list_path, good_names)``: 8 good clips, 7 bad files, 4 malformed lines."""
    good = []
    for i, clip in enumerate(sorted(video_dir.glob('clip_*.mp4'))):
        shutil.copy(clip, root / f'good_{i}.mp4')
        good.append(f'good_{i}.mp4')
    data = (video_dir / 'clip_0.mp4').read_bytes()
    (root / 'zero_byte.mp4').write_bytes(b'')
    (root / 'truncated.mp4').write_bytes(data[:int(len(data) * 0.3)])
    (root / 'random_bytes.mp4').write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    (root / 'text_renamed.mp4').write_text('this is a text file\n' * 50)
    (root / 'directory.mp4').mkdir()
    write_video(root / 'too_short.mp4', np.zeros((2, 64, 64, 3), np.uint8))
    lines = []
    for i, name in enumerate(good):
        lines.append(f'{name} {i % NUM_CLASSES}')
        if i < len(BAD_FILES):
            lines.append(f'{list(BAD_FILES)[i]} {i % NUM_CLASSES}')
    lines[3:3] = list(MALFORMED)
    path = root / 'mixed_list.txt'
    path.write_text('\n'.join(lines) + '\n')
    return root, path, good
