"""An articulated 2-D stick figure: joint-angle tracks -> joint positions -> anti-aliased drawing.

Conventions (why they matter: the figure is the ONLY thing in a clip that knows where "up" is):

* World coordinates are in *body units* (standing height ~1), ``x`` to the figure's front, ``y`` UP.
* An absolute limb angle ``a`` is measured from straight DOWN and grows towards ``+x``:
  ``direction(a) = (sin a, -cos a)``; ``a = 0`` hangs down, ``pi/2`` points forward, ``pi`` points up.
* Image coordinates are pixels, ``u`` to the right, ``v`` DOWN (OpenCV).
"""
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import cv2
import numpy as np

# Joint order of every ``(T, J, 2)`` joint array. ``_l`` limbs are the far side in a side view.
JOINTS = ('head', 'neck', 'pelvis', 'shoulder_l', 'elbow_l', 'hand_l', 'shoulder_r', 'elbow_r', 'hand_r', 'hip_l',
          'knee_l', 'ankle_l', 'toe_l', 'hip_r', 'knee_r', 'ankle_r', 'toe_r')
J = {name: i for i, name in enumerate(JOINTS)}

# Angle/offset tracks an action program returns, each ``(T,)``; see ``forward_kinematics``.
TRACKS = ('torso', 'head', 'sh_l', 'el_l', 'sh_r', 'el_r', 'hip_l', 'kn_l', 'hip_r', 'kn_r', 'width', 'rot', 'x', 'air')

PoseTrack = Dict[str, np.ndarray]


def neutral_track(num_frames: int) -> PoseTrack:
    """A relaxed standing pose, side view, repeated ``num_frames`` times; every value ``(T,)`` float64."""
    track = {name: np.zeros(num_frames) for name in TRACKS}
    track['sh_l'][:] = 0.08
    track['sh_r'][:] = -0.08
    track['el_l'][:] = 0.15
    track['el_r'][:] = 0.15
    track['kn_l'][:] = 0.04
    track['kn_r'][:] = 0.04
    return track


@dataclass
class Proportions:
    """Segment lengths in body units (an actor's build; jittered per actor)."""
    torso: float = 0.30
    neck: float = 0.035
    head_radius: float = 0.075
    upper_arm: float = 0.17
    forearm: float = 0.16
    thigh: float = 0.245
    shin: float = 0.235
    foot: float = 0.06
    shoulder_half_width: float = 0.10  # at ``width == 1`` (frontal view)
    hip_half_width: float = 0.055

    @property
    def standing_height(self) -> float:
        """Ankle-to-crown height of the neutral pose (body units)."""
        return self.thigh + self.shin + self.torso + self.neck + 2 * self.head_radius

    @classmethod
    def sample(cls, rng: np.random.Generator) -> 'Proportions':
        """Random build: every length scaled by ~N(1, 0.07), head and width a bit more."""
        base = cls()
        values = {k: v * float(np.clip(rng.normal(1.0, 0.07), 0.85, 1.15)) for k, v in base.__dict__.items()}
        values['head_radius'] = base.head_radius * float(rng.uniform(0.85, 1.25))
        return cls(**values)


def direction(angle: np.ndarray) -> np.ndarray:
    """Unit vectors for absolute angles (0 = down, +pi/2 = forward/+x): ``(T,)`` -> ``(T, 2)``."""
    return np.stack([np.sin(angle), -np.cos(angle)], axis=-1)


def forward_kinematics(track: PoseTrack, prop: Proportions) -> np.ndarray:
    """Joint positions in world coordinates (body units, y up), standing on the ground ``y = air``.

    Arms are relative to the torso (they follow a bend), legs are absolute (they carry the body).
    ``width`` in [0, 1] spreads shoulders and hips apart (0: side view, 1: frontal view).
    ``rot`` tips the whole body about its ankles towards +x (falling); ``x`` translates it;
    then every frame is lowered until its lowest joint touches the ground, and lifted by ``air``
    (jumps), so gravity is visible in how the body moves.

    Args:
        track: the ``TRACKS`` arrays, each ``(T,)``.
        prop: segment lengths.

    Returns:
        ``(T, J, 2)`` float64 world positions in ``JOINTS`` order.
    """
    tt = track['torso']
    num_frames = tt.shape[0]
    pts = np.zeros((num_frames, len(JOINTS), 2))
    up = direction(np.pi - tt)  # pelvis -> neck
    side = np.stack([np.cos(tt), -np.sin(tt)], -1)  # torso's own +x axis (shoulder/hip spread)
    neck = prop.torso * up
    pts[:, J['neck']] = neck
    pts[:, J['head']] = neck + (prop.neck + prop.head_radius) * direction(np.pi - tt + track['head'])
    for s, sign in (('l', -1.0), ('r', 1.0)):
        shoulder = neck - 0.02 * up + sign * prop.shoulder_half_width * track['width'][:, None] * side
        upper = track[f'sh_{s}'] - tt  # arm angle is relative to the torso
        elbow = shoulder + prop.upper_arm * direction(upper)
        hand = elbow + prop.forearm * direction(upper + track[f'el_{s}'])
        hip = sign * prop.hip_half_width * track['width'][:, None] * side
        thigh = track[f'hip_{s}']  # leg angle is absolute (world)
        knee = hip + prop.thigh * direction(thigh)
        shin = thigh - track[f'kn_{s}']  # knees bend backwards
        ankle = knee + prop.shin * direction(shin)
        # Feet point forward, foreshortened in a frontal view.
        toe = ankle + prop.foot * (1.0 - 0.7 * track['width'][:, None]) * direction(shin + 1.45)
        for name, p in (('shoulder', shoulder), ('elbow', elbow), ('hand', hand), ('hip', hip), ('knee', knee),
                        ('ankle', ankle), ('toe', toe)):
            pts[:, J[f'{name}_{s}']] = p
    # Whole-body tip about the mid-ankle point (clockwise = towards +x for positive ``rot``).
    pivot = 0.5 * (pts[:, J['ankle_l']] + pts[:, J['ankle_r']])
    c, s_ = np.cos(track['rot'])[:, None], np.sin(track['rot'])[:, None]
    rel = pts - pivot[:, None]
    pts = pivot[:, None] + np.stack([c * rel[..., 0] + s_ * rel[..., 1], -s_ * rel[..., 0] + c * rel[..., 1]], -1)
    pts[..., 0] += track['x'][:, None]
    # Ground contact: the lowest body point (head counted by its lower edge) rests on y = air.
    lowest = pts[..., 1].copy()
    lowest[:, J['head']] -= prop.head_radius
    pts[..., 1] += track['air'][:, None] - lowest.min(axis=1)[:, None]
    return pts


@dataclass
class FigureStyle:
    """How an actor looks: RGB colours (0..255 floats) and limb thickness as a fraction of body height."""
    head: Tuple[float, float, float]
    torso: Tuple[float, float, float]
    arm_l: Tuple[float, float, float]
    arm_r: Tuple[float, float, float]
    leg_l: Tuple[float, float, float]
    leg_r: Tuple[float, float, float]
    thickness: float = 0.065
    extra: dict = field(default_factory=dict)


# Draw order: far limbs first so the near ones overlap them, head last.
_SEGMENTS_FAR = (('leg_l', 'hip_l', 'knee_l'), ('leg_l', 'knee_l', 'ankle_l'), ('leg_l', 'ankle_l', 'toe_l'),
                 ('arm_l', 'shoulder_l', 'elbow_l'), ('arm_l', 'elbow_l', 'hand_l'))
_SEGMENTS_BODY = (('torso', 'pelvis', 'neck'), ('torso', 'hip_l', 'hip_r'), ('torso', 'shoulder_l', 'shoulder_r'))
_SEGMENTS_NEAR = (('leg_r', 'hip_r', 'knee_r'), ('leg_r', 'knee_r', 'ankle_r'), ('leg_r', 'ankle_r', 'toe_r'),
                  ('arm_r', 'shoulder_r', 'elbow_r'), ('arm_r', 'elbow_r', 'hand_r'))

_SHIFT = 4  # OpenCV sub-pixel bits: coordinates are drawn with 1/16 px precision, hence smooth motion.


def _points(joints_px: np.ndarray) -> List[Tuple[int, int]]:
    """``(J, 2)`` pixel coordinates as OpenCV's fixed-point ``(u, v)`` pairs (rounded half to even, as
    ``round``)."""
    return [tuple(p) for p in np.rint(joints_px * (1 << _SHIFT)).astype(np.int64).tolist()]


def draw_figure(canvas: np.ndarray, joints_px: np.ndarray, style: FigureStyle, body_px: float,
                head_radius_px: float) -> None:
    """Draw one frame of the figure in place with thick anti-aliased limbs and a filled head.

    Args:
        canvas: ``(H, W, 3)`` uint8 RGB image, modified in place.
        joints_px: ``(J, 2)`` pixel coordinates ``(u, v)`` on this canvas.
        style: colours and thickness.
        body_px: standing body height on this canvas, in pixels (sets limb thickness).
        head_radius_px: head radius in pixels.
    """
    thick = max(2, int(round(style.thickness * body_px)))
    pt = _points(joints_px)
    for group, width in ((_SEGMENTS_FAR, thick), (_SEGMENTS_BODY, int(round(thick * 1.35))), (_SEGMENTS_NEAR, thick)):
        for part, a, b in group:
            cv2.line(canvas, pt[J[a]], pt[J[b]], getattr(style, part), width, cv2.LINE_AA, _SHIFT)
    # Neck, then the head as a filled disc.
    cv2.line(canvas, pt[J['neck']], pt[J['head']], style.torso, thick, cv2.LINE_AA, _SHIFT)
    cv2.circle(canvas, pt[J['head']], int(round(head_radius_px * (1 << _SHIFT))), style.head, -1, cv2.LINE_AA, _SHIFT)
