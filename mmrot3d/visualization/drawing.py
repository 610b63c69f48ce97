"""Pictures of maps: colour-mapped overlays, a labelled contact sheet (PNG), an animation (GIF)."""
from pathlib import Path
from typing import Dict, Sequence, Union

import cv2
import numpy as np
from PIL import Image

LABEL_WIDTH = 110


def colorize(maps: np.ndarray) -> np.ndarray:
    """``(T, H, W)`` maps in [0, 1] -> ``(T, H, W, 3)`` uint8 RGB, JET colour map (blue low, red high)."""
    levels = np.clip(np.asarray(maps) * 255, 0, 255).astype(np.uint8)
    return np.stack([cv2.cvtColor(cv2.applyColorMap(m, cv2.COLORMAP_JET), cv2.COLOR_BGR2RGB) for m in levels])


def overlay(frames: np.ndarray, maps: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """Blend colour-mapped ``(T, H, W)`` maps in [0, 1] over ``(T, H, W, 3)`` uint8 RGB frames."""
    if frames.shape[:3] != maps.shape:
        raise ValueError(f'overlay: frames {frames.shape} and maps {maps.shape} differ in (T, H, W)')
    return np.round((1 - alpha) * frames + alpha * colorize(maps)).astype(np.uint8)


def _enlarge(image: np.ndarray, scale: int) -> np.ndarray:
    if scale == 1:
        return image
    return cv2.resize(image, (image.shape[1] * scale, image.shape[0] * scale), interpolation=cv2.INTER_LINEAR)


def display_scale(height: int, target: int = 112) -> int:
    """Integer enlargement that shows a ``height``-pixel frame at least ``target`` pixels tall."""
    return max(1, -(-target // height))


def contact_sheet(rows: Dict[str, np.ndarray], columns: int = 8, title: str = '') -> np.ndarray:
    """A grid: one labelled row per entry of ``rows`` (each ``(T, H, W, 3)`` uint8), ``columns`` frames
    spaced evenly over ``T``, enlarged to at least 112 px, and an optional title line on top.

    Returns:
        ``(height, width, 3)`` uint8 RGB.
    """
    first = next(iter(rows.values()))
    count, height = len(first), first.shape[1]
    scale = display_scale(height)
    picks = np.linspace(0, count - 1, min(columns, count)).round().astype(int)
    lines = []
    for label, images in rows.items():
        strip = np.concatenate([_enlarge(images[i], scale) for i in picks], axis=1)
        tag = np.full((strip.shape[0], LABEL_WIDTH, 3), 255, np.uint8)
        cv2.putText(tag, label, (4, strip.shape[0] // 2 + 4), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
        lines.append(np.concatenate([tag, strip], axis=1))
    sheet = np.concatenate(lines, axis=0)
    if title:
        head = np.full((22, sheet.shape[1], 3), 255, np.uint8)
        cv2.putText(head, title[:sheet.shape[1] // 7], (4, 15), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1,
                    cv2.LINE_AA)
        sheet = np.concatenate([head, sheet], axis=0)
    return sheet


def side_by_side(panels: Sequence[np.ndarray]) -> np.ndarray:
    """``(T, H, W, 3)`` panels -> ``(T, H·s, W·s·len(panels), 3)``: per time step the panels in a row, enlarged."""
    scale = display_scale(panels[0].shape[1])
    return np.stack([np.concatenate([_enlarge(p[t], scale) for p in panels], axis=1) for t in range(len(panels[0]))])


def write_png(path: Union[str, Path], image: np.ndarray) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), cv2.cvtColor(image, cv2.COLOR_RGB2BGR)):
        raise OSError(f'{path}: could not write the PNG')
    return path


def write_gif(path: Union[str, Path], frames: np.ndarray, fps: float = 8.0) -> Path:
    """An animated GIF of ``(T, H, W, 3)`` uint8 RGB frames, looping."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images = [Image.fromarray(f) for f in frames]
    images[0].save(path, save_all=True, append_images=images[1:], duration=int(round(1000 / fps)), loop=0)
    return path


def stack_pngs(paths: Sequence[Union[str, Path]], out: Union[str, Path], colors: int = 256) -> Path:
    """Stack PNGs vertically (padded white to the widest) into one palette PNG of ``colors`` colours."""
    images = [np.asarray(Image.open(p).convert('RGB')) for p in paths]
    width = max(image.shape[1] for image in images)
    padded = [np.pad(image, ((0, 0), (0, width - image.shape[1]), (0, 0)), constant_values=255) for image in images]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate(padded)).quantize(colors, dither=Image.Dither.NONE).save(out, optimize=True)
    return out
