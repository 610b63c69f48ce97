"""Rendering one clip: orientation-free background and distractors, plus the articulated actor.

Everything except the actor is statistically invariant under 90-degree rotations and flips:
the backgrounds are isotropic noise / blobs / gratings of uniformly random orientation, they
drift in a uniformly random direction, and the distractor shapes move and spin in random
directions. So the only consistent "up" in a clip is the actor (head above feet, gravity).
"""
from dataclasses import dataclass, replace
from typing import Tuple

import cv2
import numpy as np

from .actions import action_track
from .stick_figure import FigureStyle, J, Proportions, draw_figure, forward_kinematics

SUPERSAMPLE = 2  # draw at 2x and area-downsample: smooth edges and sub-pixel motion at 64 px


def _luma(rgb: np.ndarray) -> float:
    return float(rgb @ np.array([0.299, 0.587, 0.114]))


def _color_with_luma(rng: np.random.Generator, target: float) -> Tuple[float, float, float]:
    """A random hue whose luma (0..255) is ``target``: blend a random colour towards black or white."""
    c = rng.uniform(0, 255, 3)
    lum = _luma(c)
    if target > lum:
        c = c + (255 - c) * (target - lum) / max(255 - lum, 1e-6)
    else:
        c = c * target / max(lum, 1e-6)
    return tuple(float(v) for v in np.clip(c, 0, 255))


@dataclass
class SceneStyle:
    """What one actor in one place looks like; shared by all clips of a UCF-style group.

    ``bg_seed`` fixes the background texture (same "scene" for the group); the clip still
    chooses its own crop, drift and distractors.
    """
    figure: FigureStyle
    proportions: Proportions
    body_frac: float  # standing height / frame height
    bg_kind: str  # 'noise' | 'blobs' | 'gratings'
    bg_color: Tuple[float, float, float]
    bg_amp: float  # texture contrast (std, 0..255 units)
    bg_seed: int


def sample_style(rng: np.random.Generator) -> SceneStyle:
    """Random actor appearance and background, with the actor clearly contrasted against it."""
    dark_bg = rng.random() < 0.5
    bg_luma = rng.uniform(25, 95) if dark_bg else rng.uniform(150, 225)
    # Figure luma is far from the background's so a small CNN can always find the actor.
    fig_luma = (lambda: rng.uniform(165, 250)) if dark_bg else (lambda: rng.uniform(5, 85))
    same_limbs = rng.random() < 0.5
    arm, leg = _color_with_luma(rng, fig_luma()), _color_with_luma(rng, fig_luma())
    figure = FigureStyle(
        head=_color_with_luma(rng, fig_luma()),
        torso=_color_with_luma(rng, fig_luma()),
        arm_l=arm,
        arm_r=arm if same_limbs else _color_with_luma(rng, fig_luma()),
        leg_l=leg,
        leg_r=leg if same_limbs else _color_with_luma(rng, fig_luma()),
        thickness=float(rng.uniform(0.05, 0.085)))
    return SceneStyle(
        figure=figure,
        proportions=Proportions.sample(rng),
        body_frac=float(rng.uniform(0.45, 0.7)),
        bg_kind=str(rng.choice(['noise', 'blobs', 'gratings'])),
        bg_color=_color_with_luma(rng, bg_luma),
        bg_amp=float(rng.uniform(8, 26)),
        bg_seed=int(rng.integers(0, 2**31)))


def _texture(kind: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """Zero-mean, unit-std texture ``(size, size, 3)`` float32 with no preferred orientation."""
    if kind == 'noise':
        tex = np.zeros((size, size, 3), np.float32)
        for cells in rng.choice([3, 6, 12, 24], size=2, replace=False):
            coarse = rng.normal(size=(int(cells), int(cells), 1)).astype(np.float32) * rng.normal(size=3)
            tex += cv2.resize(coarse.astype(np.float32), (size, size), interpolation=cv2.INTER_CUBIC)
        tex += 0.3 * rng.normal(size=(size, size, 3)).astype(np.float32)
    elif kind == 'blobs':
        tex = np.zeros((size, size, 3), np.float32)
        for _ in range(int(rng.integers(25, 70))):
            center = tuple(int(v) for v in rng.integers(0, size, 2))
            axes = tuple(int(v) for v in rng.integers(2, max(3, size // 6), 2))
            cv2.ellipse(tex, center, axes, float(rng.uniform(0, 180)), 0, 360,
                        tuple(float(v) for v in rng.normal(size=3)), -1, cv2.LINE_AA)
        tex = cv2.GaussianBlur(tex, (0, 0), 1.0)
    else:  # gratings of uniformly random orientation
        yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
        tex = np.zeros((size, size, 3), np.float32)
        for _ in range(int(rng.integers(2, 5))):
            theta, period = rng.uniform(0, np.pi), rng.uniform(5, 30)
            wave = np.sin(2 * np.pi * (xx * np.cos(theta) + yy * np.sin(theta)) / period + rng.uniform(0, 2 * np.pi))
            tex += wave[..., None] * rng.normal(size=3).astype(np.float32)
    tex -= tex.mean(axis=(0, 1), keepdims=True)
    return tex / (tex.std() + 1e-6)


def _distractors(rng: np.random.Generator, size: int, num_frames: int):
    """0-3 shapes with random colour, size, spin and straight-line drift in a random direction."""
    items = []
    for _ in range(int(rng.integers(0, 4))):
        angle = rng.uniform(0, 2 * np.pi)
        speed = rng.uniform(0.2, 1.2) * size / 64
        items.append(
            dict(
                kind=str(rng.choice(['ellipse', 'rect', 'triangle'])),
                p0=rng.uniform(0, size, 2),
                v=speed * np.array([np.cos(angle), np.sin(angle)]),
                r=rng.uniform(0.04, 0.1) * size,
                aspect=rng.uniform(0.4, 1.0),
                theta0=rng.uniform(0, 2 * np.pi),
                omega=rng.uniform(-0.15, 0.15),
                color=tuple(float(v) for v in rng.uniform(0, 255, 3))))
    return items


def _draw_distractor(canvas: np.ndarray, item: dict, frame: int, size: int, k: int) -> None:
    # Positions wrap around the frame, which is symmetric under rotation (a bounce would be too).
    center = (item['p0'] + frame * item['v']) % size * k
    theta = item['theta0'] + frame * item['omega']
    r = item['r'] * k
    if item['kind'] == 'ellipse':
        cv2.ellipse(canvas, (int(center[0] * 16), int(center[1] * 16)), (int(r * 16), int(r * item['aspect'] * 16)),
                    float(np.degrees(theta)), 0, 360, item['color'], -1, cv2.LINE_AA, 4)
        return
    n = 4 if item['kind'] == 'rect' else 3
    angles = theta + 2 * np.pi * np.arange(n) / n
    pts = np.stack([np.cos(angles), np.sin(angles) * item['aspect']], -1) * r
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    pts = center + pts @ rot.T
    cv2.fillPoly(canvas, [np.round(pts * 16).astype(np.int32)], item['color'], cv2.LINE_AA, 4)


def place_joints(world: np.ndarray, style: SceneStyle, size: int, rng: np.random.Generator,
                 mirror: bool) -> Tuple[np.ndarray, float]:
    """Map world joints to pixels so the whole clip's motion stays inside the frame.

    Args:
        world: ``(T, J, 2)`` body units, y up.
        style: body size; size: frame side in pixels; mirror: face -x instead of +x (viewpoint).

    Returns:
        ``(T, J, 2)`` pixel ``(u, v)`` coordinates (v down) and the pixels per body unit.
    """
    pts = world.copy()
    if mirror:
        pts[..., 0] *= -1
    # A small camera roll: "up" is near vertical, not pixel-exact.
    roll = np.radians(rng.uniform(-8, 8))
    c, s = np.cos(roll), np.sin(roll)
    pts = pts @ np.array([[c, s], [-s, c]])
    r = style.proportions.head_radius
    lo, hi = pts.reshape(-1, 2).min(0) - r, pts.reshape(-1, 2).max(0) + r
    margin = 1.5 + style.figure.thickness * style.body_frac * size
    target = style.body_frac * rng.uniform(0.93, 1.07) * size / style.proportions.standing_height
    scale = min(target, (size - 2 * margin) / max(hi[0] - lo[0], 1e-6), (size - 2 * margin) / max(hi[1] - lo[1], 1e-6))
    span = (hi - lo) * scale
    u0 = rng.uniform(margin, max(margin, size - margin - span[0]))
    v0 = rng.uniform(margin, max(margin, size - margin - span[1]))
    px = np.empty_like(pts)
    px[..., 0] = u0 + (pts[..., 0] - lo[0]) * scale
    px[..., 1] = v0 + (hi[1] - pts[..., 1]) * scale  # y up -> v down
    return px, scale


def _actor_joints(class_idx: int, style: SceneStyle, rng: np.random.Generator, num_frames: int, size: int,
                  fps: float) -> Tuple[np.ndarray, float]:
    """The actor's motion and placement: ``(T, J, 2)`` pixel joints and pixels per body unit.

    The first draws of a clip's ``rng``, so :func:`render_actor_masks` can replay them without the scene.
    """
    t = np.arange(num_frames) / fps
    world = forward_kinematics(action_track(class_idx, t, rng), style.proportions)
    return place_joints(world, style, size, rng, mirror=bool(rng.random() < 0.5))


def render_clip(class_idx: int,
                style: SceneStyle,
                rng: np.random.Generator,
                num_frames: int = 32,
                size: int = 64,
                fps: float = 25.0,
                draw_actor: bool = True) -> Tuple[np.ndarray, np.ndarray]:
    """Render one clip of class ``class_idx``.

    Args:
        style: actor/background appearance; rng: per-clip randomness (motion, placement, drift,
            distractors) -- the only source of randomness, so equal seeds give equal frames.
        draw_actor: False renders background and distractors only (for shortcut checks).

    Returns:
        frames ``(T, size, size, 3)`` uint8 RGB, and joints ``(T, J, 2)`` float64 pixel ``(u, v)``.
    """
    k = SUPERSAMPLE
    joints, scale = _actor_joints(class_idx, style, rng, num_frames, size, fps)
    # Background: a larger texture crop that drifts in a random direction.
    drift_angle, drift_speed = rng.uniform(0, 2 * np.pi), rng.uniform(0, 0.4) * size / 64
    pad = int(np.ceil(drift_speed * num_frames)) + 1
    big = (size + 2 * pad) * k
    tex = _texture(style.bg_kind, big, np.random.default_rng(style.bg_seed))
    bg = np.clip(np.asarray(style.bg_color, np.float32) + style.bg_amp * tex, 0, 255).astype(np.uint8)
    start = rng.uniform(0, 2 * pad, 2)
    step = drift_speed * np.array([np.cos(drift_angle), np.sin(drift_angle)])
    items = _distractors(rng, size, num_frames)
    frames = np.empty((num_frames, size, size, 3), np.uint8)
    body_px = style.proportions.standing_height * scale * k
    head_px = style.proportions.head_radius * scale * k
    for f in range(num_frames):
        off = np.clip(start + f * step, 0, 2 * pad)
        ox, oy = int(round(off[0] * k)), int(round(off[1] * k))
        canvas = bg[oy:oy + size * k, ox:ox + size * k].copy()
        for item in items:
            _draw_distractor(canvas, item, f, size, k)
        if draw_actor:
            draw_figure(canvas, joints[f] * k, style.figure, body_px, head_px)
        frames[f] = cv2.resize(canvas, (size, size), interpolation=cv2.INTER_AREA)
    return frames, joints


def render_actor_masks(class_idx: int,
                       style: SceneStyle,
                       rng: np.random.Generator,
                       num_frames: int = 32,
                       size: int = 64,
                       fps: float = 25.0) -> np.ndarray:
    """Where the actor is in each frame of the clip :func:`render_clip` makes from the same arguments.

    The figure is drawn in white on black with the clip's own joints and thickness, at the same
    supersampling, and area-downsampled like the frames; a pixel belongs to the actor when the figure
    covers at least half of it. Costs a small fraction of rendering the clip (no background, no distractors).

    Returns:
        ``(T, size, size)`` bool.
    """
    k = SUPERSAMPLE
    joints, scale = _actor_joints(class_idx, style, rng, num_frames, size, fps)
    white = (255.0, 255.0, 255.0)
    silhouette = replace(style.figure, head=white, torso=white, arm_l=white, arm_r=white, leg_l=white, leg_r=white)
    body_px = style.proportions.standing_height * scale * k
    head_px = style.proportions.head_radius * scale * k
    masks = np.empty((num_frames, size, size), bool)
    for f in range(num_frames):
        canvas = np.zeros((size * k, size * k, 3), np.uint8)
        draw_figure(canvas, joints[f] * k, silhouette, body_px, head_px)
        masks[f] = cv2.resize(canvas[..., 0], (size, size), interpolation=cv2.INTER_AREA) >= 128
    return masks


def head_and_feet_height(joints: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Image-row (v, down) of the head and of the mean ankle per frame: ``(T, J, 2)`` -> ``(T,), (T,)``."""
    return joints[:, J['head'], 1], 0.5 * (joints[:, J['ankle_l'], 1] + joints[:, J['ankle_r'], 1])
