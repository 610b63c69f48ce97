"""Action classes as motion programs: time -> joint-angle tracks of the articulated figure.

Every program has the signature ``program(t, rng) -> PoseTrack`` where ``t`` is ``(T,)`` seconds
and the result holds the ``figure.TRACKS`` arrays, each ``(T,)``. A class is defined only by its
joint-angle dynamics and by how the body moves under gravity (ballistic jumps, accelerating falls,
feet kept on the ground), never by colour or shape, so a classifier has to read the motion.
Speed, phase, amplitudes and viewpoint (side/frontal) are drawn from ``rng`` per clip.
"""
from typing import Callable, Dict, List, Sequence

import numpy as np

from .stick_figure import TRACKS, PoseTrack, neutral_track

ActionProgram = Callable[[np.ndarray, np.random.Generator], PoseTrack]

# Order defines the label index (0-based here; the UCF-style lists write it 1-based).
CLASSES: List[str] = [
    'walk', 'run', 'jump', 'wave', 'squat', 'kick', 'clap', 'bend', 'fall_down', 'sit_down', 'stand_up', 'jumping_jack'
]


def camel_case(name: str) -> str:
    """``'jumping_jack'`` -> ``'JumpingJack'`` (UCF101 class-name style)."""
    return ''.join(part.capitalize() for part in name.split('_'))


def _phase(t: np.ndarray, rng: np.random.Generator, f_lo: float, f_hi: float) -> np.ndarray:
    """Cycle phase in radians ``(T,)`` for a random frequency in [f_lo, f_hi] Hz and random start."""
    return 2 * np.pi * (rng.uniform(f_lo, f_hi) * t + rng.uniform(0, 1))


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _view(track: PoseTrack, rng: np.random.Generator, frontal: bool) -> None:
    """Set the viewpoint: side views show a little shoulder width, frontal ones nearly all of it."""
    track['width'][:] = rng.uniform(0.75, 1.0) if frontal else rng.uniform(0.0, 0.35)


def _keyframes(t: np.ndarray, times: Sequence[float], poses: Sequence[Dict[str, float]], base: PoseTrack) -> PoseTrack:
    """Blend between key poses with smoothstep easing; keys missing from a pose keep ``base``.

    Args:
        t: ``(T,)`` seconds. times: ascending key times (s). poses: one dict per key time.
    """
    for name in set().union(*poses):
        values = [p.get(name, float(np.mean(base[name]))) for p in poses]
        out = np.full_like(t, values[0])
        for i in range(len(times) - 1):
            w = _smoothstep((t - times[i]) / max(times[i + 1] - times[i], 1e-6))
            out = np.where(t >= times[i], values[i] + (values[i + 1] - values[i]) * w, out)
        base[name] = out
    return base


def walk(t, rng):
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=False)
    ph, amp = _phase(t, rng, 0.8, 1.15), rng.uniform(0.32, 0.48)
    swing = amp * np.sin(ph)
    tr['hip_r'], tr['hip_l'] = 0.04 + swing, 0.04 - swing
    # The swinging leg (hip moving forward) lifts its foot by flexing the knee.
    tr['kn_r'] = 0.08 + 0.75 * np.maximum(0, np.cos(ph))**1.5
    tr['kn_l'] = 0.08 + 0.75 * np.maximum(0, -np.cos(ph))**1.5
    tr['sh_r'], tr['sh_l'] = -0.7 * swing, 0.7 * swing  # arms swing against the legs
    tr['el_r'][:] = tr['el_l'][:] = rng.uniform(0.15, 0.45)
    tr['torso'][:] = rng.uniform(0.0, 0.1)
    tr['x'] = rng.uniform(0.55, 0.8) * t
    return tr


def run(t, rng):
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=False)
    ph, amp = _phase(t, rng, 1.3, 1.75), rng.uniform(0.55, 0.75)
    swing = amp * np.sin(ph)
    tr['hip_r'], tr['hip_l'] = 0.15 + swing, 0.15 - swing
    tr['kn_r'] = 0.3 + 1.5 * np.maximum(0, np.cos(ph))**1.2
    tr['kn_l'] = 0.3 + 1.5 * np.maximum(0, -np.cos(ph))**1.2
    tr['sh_r'], tr['sh_l'] = -1.0 * swing, 1.0 * swing
    tr['el_r'][:] = tr['el_l'][:] = rng.uniform(1.3, 1.8)  # bent elbows
    tr['torso'][:] = rng.uniform(0.15, 0.3)  # forward lean
    tr['air'] = 0.05 * np.abs(np.sin(ph))  # short flight between strides
    tr['x'] = rng.uniform(0.8, 1.1) * t
    return tr


def jump(t, rng):
    """Repeated vertical jumps: crouch, take off, ballistic flight (parabola = gravity), land, crouch."""
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=bool(rng.random() < 0.4))
    period = rng.uniform(0.85, 1.15)
    tau = ((t / period + rng.uniform(0, 1)) % 1.0) * period
    t_prep, t_flight = 0.32 * period, rng.uniform(0.3, 0.4) * period
    prep = tau < t_prep
    flight = (tau >= t_prep) & (tau < t_prep + t_flight)
    land = tau >= t_prep + t_flight
    s_prep = np.clip(tau / t_prep, 0, 1)
    s_fl = np.clip((tau - t_prep) / t_flight, 0, 1)
    s_land = np.clip((tau - t_prep - t_flight) / (period - t_prep - t_flight), 0, 1)
    crouch = np.where(prep, np.sin(np.pi * s_prep) * 0.9, 0.0) + np.where(land, np.sin(np.pi * s_land) * 0.7, 0)
    crouch = crouch + np.where(flight, 0.15 * np.sin(np.pi * s_fl), 0)
    height = rng.uniform(0.2, 0.32)
    tr['air'] = np.where(flight, 4 * height * s_fl * (1 - s_fl), 0.0)
    arms = np.where(prep, -0.9 * np.sin(np.pi * s_prep), 0) + np.where(flight, 2.7 * np.sin(np.pi * s_fl), 0)
    arms = arms + np.where(land, 0.5 * np.sin(np.pi * s_land), 0)
    frontal = tr['width'][0] > 0.5
    for s, sign in (('l', -1), ('r', 1)):
        tr[f'hip_{s}'] = (sign * 0.08 + 0.1 * crouch) if frontal else 1.0 * crouch
        tr[f'kn_{s}'] = (0.5 if frontal else 1.9) * crouch + 0.04
        tr[f'sh_{s}'] = sign * np.abs(arms) if frontal else arms
    tr['torso'] = (0.0 if frontal else 0.6) * crouch
    return tr


def wave(t, rng):
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=bool(rng.random() < 0.75))
    t_up = rng.uniform(-0.4, 0.25)  # raise the arm, maybe before the clip starts
    raise_ = _smoothstep((t - t_up) / 0.3)
    tr['sh_r'] = -0.08 + raise_ * rng.uniform(2.4, 2.8)
    tr['el_r'] = 0.15 + raise_ * (0.35 + rng.uniform(0.35, 0.55) * np.sin(_phase(t, rng, 1.6, 2.6)))
    tr['sh_l'][:] = 0.08 if tr['width'][0] < 0.5 else -0.12
    tr['torso'] = 0.03 * np.sin(_phase(t, rng, 0.3, 0.6))
    tr['hip_l'][:], tr['hip_r'][:] = -0.06 * tr['width'][0], 0.06 * tr['width'][0]
    return tr


def squat(t, rng):
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=False)
    d = rng.uniform(0.7, 1.0) * 0.5 * (1 - np.cos(_phase(t, rng, 0.55, 0.9)))
    tr['hip_l'] = tr['hip_r'] = 1.3 * d
    tr['kn_l'] = tr['kn_r'] = 2.3 * d + 0.04
    tr['torso'] = 0.55 * d
    tr['sh_l'] = tr['sh_r'] = 1.55 * d + 0.05  # arms forward for balance
    return tr


def kick(t, rng):
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=False)
    period = rng.uniform(0.9, 1.3)
    u = (t / period + rng.uniform(0, 1)) % 1.0
    s = np.clip(u / 0.55, 0, 1)  # kick in the first 55% of the cycle
    pulse = np.sin(np.pi * s)
    tr['hip_r'] = rng.uniform(1.2, 1.7) * pulse
    tr['kn_r'] = 1.5 * np.maximum(0, 1 - 2 * s) * pulse + 0.05  # chamber, then snap the knee straight
    tr['hip_l'][:] = -0.08
    tr['torso'] = -0.3 * pulse  # lean back against the kick
    tr['sh_l'] = 0.2 + 0.6 * pulse
    tr['sh_r'] = -0.1 - 0.5 * pulse
    return tr


def clap(t, rng):
    """Frontal: forearms swing in until the hands meet in front of the chest, then open again."""
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=True)
    d = 0.5 * (1 - np.cos(_phase(t, rng, 1.5, 2.5)))
    up = rng.uniform(0.15, 0.35)
    tr['sh_r'], tr['sh_l'] = up + 0.1 * (1 - d), -(up + 0.1 * (1 - d))
    tr['el_r'] = 2.3 + 1.75 * d
    tr['el_l'] = -tr['el_r']
    tr['hip_l'][:], tr['hip_r'][:] = -0.1, 0.1
    tr['head'] = 0.05 * np.sin(_phase(t, rng, 0.3, 0.6))
    return tr


def bend(t, rng):
    """Bend at the hips to reach towards the ground and straighten up; the arms hang with gravity."""
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=False)
    d = _smoothstep(0.5 * (1 - np.cos(_phase(t, rng, 0.4, 0.65)))) * rng.uniform(0.8, 1.0)
    tr['torso'] = 1.5 * d
    sway = 0.1 * np.sin(_phase(t, rng, 0.8, 1.2)) * d
    tr['sh_l'] = tr['torso'] + 0.05 + sway  # arms stay vertical in the world
    tr['sh_r'] = tr['torso'] - 0.05 + sway
    tr['hip_l'] = tr['hip_r'] = 0.18 * d
    tr['kn_l'] = tr['kn_r'] = 0.12 * d + 0.04
    tr['head'] = -0.4 * d
    return tr


def fall_down(t, rng):
    """Stand, lose balance and topple with growing angular speed, then lie still on the ground."""
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=False)
    duration = t[-1] - t[0] + 1e-6
    t0 = t[0] + rng.uniform(0.05, 0.35) * duration
    t_fall = rng.uniform(0.4, 0.6)
    dt = np.maximum(t - t0, 0)
    # Constant angular acceleration, like a rigid body tipping under gravity, stopped by the floor.
    tr['rot'] = np.minimum(0.5 * (np.pi / t_fall**2) * dt**2, np.pi / 2)
    p = tr['rot'] / (np.pi / 2)
    tr['sh_r'] = 0.1 + 1.9 * p
    tr['sh_l'] = 0.0 + 1.5 * p
    tr['kn_l'] = tr['kn_r'] = 0.04 + 0.35 * np.sin(np.pi * p)
    tr['torso'] = 0.25 * np.sin(np.pi * p) + 0.02 * np.sin(_phase(t, rng, 0.5, 1.0))
    tr['head'] = -0.3 * p
    return tr


_STAND = dict(torso=0.0, hip_l=0.0, hip_r=0.0, kn_l=0.04, kn_r=0.04, sh_l=0.08, sh_r=-0.08, head=0.0)
_SQUAT = dict(torso=0.55, hip_l=1.6, hip_r=1.5, kn_l=2.6, kn_r=2.5, sh_l=1.2, sh_r=1.1, head=-0.2)
# Sitting on the floor: knees up, feet flat, leaning back on the hands.
_SIT = dict(torso=-0.3, hip_l=2.2, hip_r=2.1, kn_l=1.4, kn_r=1.2, sh_l=-0.7, sh_r=-0.6, head=0.1)


def _sit_timeline(t, rng):
    duration = t[-1] - t[0] + 1e-6
    t0 = t[0] + rng.uniform(0.05, 0.3) * duration
    t1 = t0 + rng.uniform(0.25, 0.35) * duration
    t2 = t1 + rng.uniform(0.2, 0.3) * duration
    return t0, t1, t2


def sit_down(t, rng):
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=False)
    return _keyframes(t, _sit_timeline(t, rng), [_STAND, _SQUAT, _SIT], tr)


def stand_up(t, rng):
    """Not a time-reversed ``sit_down``: the hands push off forward and the torso swings over the feet."""
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=False)
    push = dict(_SQUAT, torso=0.85, sh_l=1.6, sh_r=1.5)
    return _keyframes(t, _sit_timeline(t, rng), [_SIT, push, _STAND], tr)


def jumping_jack(t, rng):
    tr = neutral_track(len(t))
    _view(tr, rng, frontal=True)
    ph = _phase(t, rng, 1.2, 1.7)
    d = 0.5 * (1 - np.cos(ph))
    tr['sh_r'] = 0.15 + rng.uniform(2.5, 2.9) * d
    tr['sh_l'] = -tr['sh_r']
    tr['el_r'] = 0.1 + 0.25 * d
    tr['el_l'] = -tr['el_r']
    tr['hip_r'] = 0.05 + rng.uniform(0.25, 0.4) * d
    tr['hip_l'] = -tr['hip_r']
    tr['air'] = rng.uniform(0.04, 0.08) * np.abs(np.sin(ph))  # a hop each time arms and legs switch
    return tr


PROGRAMS: Dict[str, ActionProgram] = {name: globals()[name] for name in CLASSES}


def action_track(class_idx: int, t: np.ndarray, rng: np.random.Generator) -> PoseTrack:
    """Joint-angle tracks of class ``class_idx`` at times ``t`` ``(T,)`` plus a little smooth pose noise.

    Returns:
        dict of ``figure.TRACKS`` -> ``(T,)`` float64.
    """
    track = PROGRAMS[CLASSES[class_idx]](t, rng)
    # No two repetitions are identical: slow random wobble on every joint angle.
    for name in ('torso', 'head', 'sh_l', 'el_l', 'sh_r', 'el_r', 'hip_l', 'kn_l', 'hip_r', 'kn_r'):
        amp, freq, ph = rng.uniform(0.0, 0.06), rng.uniform(0.3, 1.5), rng.uniform(0, 2 * np.pi)
        track[name] = np.asarray(track[name], dtype=np.float64) + amp * np.sin(2 * np.pi * freq * t + ph)
    for name in TRACKS:
        track[name] = np.broadcast_to(np.asarray(track[name], dtype=np.float64), t.shape).copy()
    return track
