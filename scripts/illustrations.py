"""Draw the exercise pictures in coach/exercises/illustrations/ from pose data.

A side-view stick figure, facing right, built from joint angles so every picture keeps
the same proportions, colours and stroke. Angles are in degrees: 0 points down, 90
forward (+x, the way the figure faces), 180 up, -90 backward. Run it after changing a
pose and look at the result (tests/desktop/test_illustrations.py renders the contact sheet):

    .venv/bin/python scripts/illustrations.py            # write every picture below
    .venv/bin/python scripts/illustrations.py step-ups   # only the ones whose name starts so

Pictures not defined here were drawn before this script and are kept as they are.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "coach" / "exercises" / "illustrations"

Point = tuple[float, float]

# Palette and strokes of the existing pictures.
BACKGROUND = "#F3EFE6"
NEAR = "#2F6F8F"  # the limbs nearest the viewer, and the head
FAR = "#8FB2C4"  # the limbs on the far side
TARGET = "#E07A5F"  # the part the exercise works on
TARGET_FAR = "#EDB09E"
PROP = "#B9C3CB"  # floor, chair, desk, step
# A pose drawn as wrong: muted figure and a red cross.
MUTED_NEAR = "#9AA3AA"
MUTED_FAR = "#C8CDD1"
MUTED_TARGET = "#C9A79D"
WRONG = "#C0392B"

LIMB = 14
LINE = 6
MARK = 4

# Segment lengths of the standing figure (shoulder at y=46, hip at y=101 upright).
TORSO = 55.0
NECK = 19.0
HEAD_R = 13.0
THIGH = 40.0
SHIN = 40.0
FOOT = 11.0
UPPER_ARM = 35.0
FOREARM = 30.0
# On hands and knees the arm is drawn no longer than the thigh so the back is level,
# as it looks on a real person (the chest is deeper than the pelvis).
QUAD_UPPER_ARM = 21.0
QUAD_FOREARM = 19.0


def _fmt(v: float) -> str:
    r = round(v, 1)
    return f"{r:g}" if r != int(r) else str(int(r))


def _pts(points: Iterable[Point]) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)


def step(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.sin(a), p[1] + length * math.cos(a))


def reach(a: Point, target: Point, l1: float, l2: float, bend: int = 1) -> Point:
    """The middle joint of a two-segment limb from `a` to `target` (clamped).

    bend=+1 puts the joint on the left-hand side as seen travelling from `a` to
    `target` on screen (an arm reaching down and forward: elbow up and forward),
    -1 on the right-hand side (elbow down and back).
    """
    dx, dy = target[0] - a[0], target[1] - a[1]
    d = max(1e-6, min(math.hypot(dx, dy), l1 + l2 - 1e-6))
    x = (l1 * l1 - l2 * l2 + d * d) / (2 * d)
    h = math.sqrt(max(0.0, l1 * l1 - x * x))
    ux, uy = dx / math.hypot(dx, dy), dy / math.hypot(dx, dy)
    return (a[0] + ux * x + bend * uy * h, a[1] + uy * x - bend * ux * h)


def polyline(points: Iterable[Point], colour: str, width: int = LIMB, dash: str = "") -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{_pts(points)}" fill="none" stroke="{colour}" '
        f'stroke-width="{width}" stroke-linecap="round" stroke-linejoin="round"{extra}/>'
    )


def path(d: str, colour: str, width: int = MARK, dash: str = "") -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
        f'stroke-linecap="round" stroke-linejoin="round"{extra}/>'
    )


def circle(c: Point, r: float, colour: str) -> str:
    return f'<circle cx="{_fmt(c[0])}" cy="{_fmt(c[1])}" r="{_fmt(r)}" fill="{colour}"/>'


def arrow(tail: Point, head: Point, colour: str = TARGET, size: float = 7) -> str:
    """A thin marker arrow from tail to head."""
    ang = math.atan2(head[1] - tail[1], head[0] - tail[0])
    left = (
        head[0] - size * math.cos(ang - 0.6),
        head[1] - size * math.sin(ang - 0.6),
    )
    right = (
        head[0] - size * math.cos(ang + 0.6),
        head[1] - size * math.sin(ang + 0.6),
    )
    return path(
        f"M{_pts([tail])} L{_pts([head])} M{_pts([left])} L{_pts([head])} L{_pts([right])}",
        colour,
    )


# -- props ---------------------------------------------------------------------------
FLOOR_Y = 189.0


def floor(y: float = FLOOR_Y) -> list[str]:
    return [polyline([(18, y), (182, y)], PROP, LINE)]


def chair() -> list[str]:
    """The side-view desk chair of the seated pictures (seat at y=151, back on the left)."""
    return [
        polyline([(50, 151), (100, 151)], PROP, LINE),
        polyline([(54, 151), (54, 189)], PROP, LINE),
        polyline([(96, 151), (96, 189)], PROP, LINE),
        polyline([(52, 151), (48, 99)], PROP, LINE),
        *floor(),
    ]


def desk(left: float = 128) -> list[str]:
    return [
        *floor(),
        polyline([(left, 100), (192, 100)], PROP, LINE),
        polyline([(178, 100), (178, 189)], PROP, LINE),
    ]


# -- the figure ----------------------------------------------------------------------
@dataclass(frozen=True)
class Leg:
    thigh: float = 0.0
    shin: float = 0.0
    foot: float | None = 90.0  # None: no foot drawn (a shin resting on the floor)
    thigh_len: float = THIGH  # shorter when the thigh points towards the viewer
    shin_len: float = SHIN


@dataclass(frozen=True)
class Arm:
    """An arm by angles, or reaching for a point (`to`) with the elbow to one side."""

    upper: float = 10.0
    fore: float = 30.0
    to: Point | None = None
    bend: int = 1


@dataclass(frozen=True)
class Figure:
    """One key pose. `hip` is where the pelvis is; `anchor` moves the whole figure so
    that the named joint ("near_ankle", "near_knee", ...) lands on the given point."""

    hip: Point = (96, 101)
    torso: float = 180.0  # direction hip -> shoulder
    bend: float = 0.0  # spine curve: + rounds the back, - arches it
    head: float | None = None  # direction shoulder -> head (default: in line with the spine)
    near_leg: Leg = Leg()
    far_leg: Leg = Leg()
    near_arm: Arm = Arm()
    far_arm: Arm = Arm()
    quadruped: bool = False
    target: frozenset[str] = frozenset()  # spine, near_leg, far_leg, near_arm, far_arm
    anchor: tuple[str, Point] | None = None

    def joints(self) -> dict[str, Point]:
        hip = self.hip
        shoulder = step(hip, self.torso, TORSO)
        j: dict[str, Point] = {"hip": hip, "shoulder": shoulder}
        for side, leg in (("near", self.near_leg), ("far", self.far_leg)):
            knee = step(hip, leg.thigh, leg.thigh_len)
            ankle = step(knee, leg.shin, leg.shin_len)
            j[f"{side}_knee"], j[f"{side}_ankle"] = knee, ankle
            j[f"{side}_toe"] = ankle if leg.foot is None else step(ankle, leg.foot, FOOT)
        up, fore = (QUAD_UPPER_ARM, QUAD_FOREARM) if self.quadruped else (UPPER_ARM, FOREARM)
        for side, arm in (("near", self.near_arm), ("far", self.far_arm)):
            if arm.to is not None:
                # `to` is given in final (anchored) coordinates: undo the shift here.
                elbow = reach(shoulder, self._unshift(arm.to), up, fore, arm.bend)
                hand = step(elbow, _angle(elbow, self._unshift(arm.to)), fore)
            else:
                elbow = step(shoulder, arm.upper, up)
                hand = step(elbow, arm.fore, fore)
            j[f"{side}_elbow"], j[f"{side}_hand"] = elbow, hand
        ctrl = _spine_control(hip, shoulder, self.bend)
        j["spine"] = ctrl
        j["head"] = step(shoulder, _angle(ctrl, shoulder) if self.head is None else self.head, NECK)
        dx, dy = self._shift()
        return {k: (x + dx, y + dy) for k, (x, y) in j.items()}

    def _shift(self) -> Point:
        if self.anchor is None:
            return (0.0, 0.0)
        base = replace(self, anchor=None, near_arm=Arm(), far_arm=Arm()).joints()
        name, (x, y) = self.anchor
        return (x - base[name][0], y - base[name][1])

    def _unshift(self, p: Point) -> Point:
        dx, dy = self._shift()
        return (p[0] - dx, p[1] - dy)

    def svg(self, held: Iterable[str] = ()) -> list[str]:
        """The figure's elements, back to front; `held` goes between body and near arm."""
        j = self.joints()
        near, far, hot, hot_far = NEAR, FAR, TARGET, TARGET_FAR

        def colour(part: str) -> str:
            if part in self.target:
                return hot_far if part.startswith("far") else hot
            return far if part.startswith("far") else near

        def leg(side: str) -> str:
            pts = [j["hip"], j[f"{side}_knee"], j[f"{side}_ankle"], j[f"{side}_toe"]]
            return polyline(pts if pts[3] != pts[2] else pts[:3], colour(f"{side}_leg"))

        def arm(side: str) -> str:
            pts = [j["shoulder"], j[f"{side}_elbow"], j[f"{side}_hand"]]
            return polyline(pts, colour(f"{side}_arm"))

        ctrl = j["spine"]
        spine = path(
            f"M{_pts([j['hip']])} Q{_pts([ctrl])} {_pts([j['shoulder']])}",
            hot if "spine" in self.target else near,
            LIMB,
        )
        return [
            leg("far"),
            arm("far"),
            spine,
            circle(j["head"], HEAD_R, near),
            leg("near"),
            *held,
            arm("near"),
        ]


def _spine_control(hip: Point, shoulder: Point, bend: float) -> Point:
    """The control point of the spine's curve, `bend` off its middle towards the back."""
    (hx, hy), (sx, sy) = hip, shoulder
    length = math.hypot(sx - hx, sy - hy)
    # Perpendicular pointing to the figure's back (left of hip->shoulder when facing right).
    px, py = -(sy - hy) / length, (sx - hx) / length
    px, py = (-px, -py) if px > 0 else (px, py)
    if abs(px) < 1e-9 and py > 0:  # torso level: the back is up
        px, py = 0.0, -1.0
    return ((hx + sx) / 2 + px * bend, (hy + sy) / 2 + py * bend)


def _angle(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[0] - a[0], b[1] - a[1]))


def _muted(element: str) -> str:
    for colour, grey in (
        (NEAR, MUTED_NEAR),
        (FAR, MUTED_FAR),
        (TARGET_FAR, MUTED_FAR),
        (TARGET, MUTED_TARGET),
    ):
        element = element.replace(f'"{colour}"', f'"{grey}"')
    return element


def wrong_mark() -> list[str]:
    """A red cross in the top-right corner: this pose is the one to avoid."""
    return [
        circle((166, 34), 18, "#FFFFFF"),
        path("M157,25 L175,43 M175,25 L157,43", WRONG, 6),
    ]


def document(elements: Iterable[str]) -> str:
    body = "\n".join(f"  {e}" for e in elements)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="200" height="200" '
        'viewBox="0 0 200 200">\n'
        f'  <rect x="4" y="4" width="192" height="192" rx="24" fill="{BACKGROUND}"/>\n'
        f"{body}\n</svg>\n"
    )


@dataclass(frozen=True)
class FrontFigure:
    """A figure seen from the front; `right` is the viewer's right (+x)."""

    pelvis: Point = (100, 101)
    torso: float = TORSO
    right_leg: Leg = Leg(0, 0, 90)
    left_leg: Leg = Leg(0, 0, -90)
    right_arm: Arm = Arm(8, 4)
    left_arm: Arm = Arm(-8, -4)
    target: frozenset[str] = frozenset()  # right_leg, left_leg

    def svg(self, held: Iterable[str] = ()) -> list[str]:
        px, py = self.pelvis
        top = (px, py - self.torso)
        shoulders = ((px - 15, top[1] + 5), (px + 15, top[1] + 5))
        hips = ((px - 10, py), (px + 10, py))
        out = [
            polyline([self.pelvis, top], NEAR),
            polyline(shoulders, NEAR),
            polyline(hips, NEAR),
            circle((px, top[1] - NECK), HEAD_R, NEAR),
        ]
        legs = (("left", hips[0], self.left_leg), ("right", hips[1], self.right_leg))
        for side, hip, leg in legs:
            knee = step(hip, leg.thigh, leg.thigh_len)
            ankle = step(knee, leg.shin, leg.shin_len)
            pts = [hip, knee, ankle]
            if leg.foot is not None:
                pts.append(step(ankle, leg.foot, 8))
            out.append(polyline(pts, TARGET if f"{side}_leg" in self.target else NEAR))
        out.extend(held)
        for shoulder, arm in ((shoulders[0], self.left_arm), (shoulders[1], self.right_arm)):
            if arm.to is not None:
                elbow = reach(shoulder, arm.to, UPPER_ARM, FOREARM, arm.bend)
                hand = step(elbow, _angle(elbow, arm.to), FOREARM)
            else:
                elbow = step(shoulder, arm.upper, UPPER_ARM)
                hand = step(elbow, arm.fore, FOREARM)
            out.append(polyline([shoulder, elbow, hand], NEAR))
        return out


@dataclass
class Picture:
    name: str
    props: list[str] = field(default_factory=list)
    figure: Figure | FrontFigure | None = None
    marks: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # in the hands: before the near arm
    scale: float = 1.0  # shrink the scene about the floor's middle (big scenes only)
    floor_y: float = FLOOR_Y
    wrong: bool = False  # a pose to avoid: muted figure and a red cross

    def text(self) -> str:
        fig = self.figure.svg(self.held) if self.figure else []
        props = self.props
        if self.wrong:
            fig, props = [_muted(e) for e in fig], [_muted(e) for e in props]
        elements = [*props, *fig, *self.marks, *(wrong_mark() if self.wrong else [])]
        if self.scale != 1.0:
            y, s = _fmt(self.floor_y), _fmt(self.scale)
            g = f'<g transform="translate(100 {y}) scale({s}) translate(-100 -{y})">'
            elements = [g, *(f"  {e}" for e in elements), "</g>"]
        return document(elements)


PICTURES: list[Callable[[], list[Picture]]] = []


def pictures(fn: Callable[[], list[Picture]]) -> Callable[[], list[Picture]]:
    PICTURES.append(fn)
    return fn


# -- seated, shared ------------------------------------------------------------------
SEATED_HIP: Point = (80, 141)
SEATED_LEG = Leg(90, 0, 90)  # thigh level, shin down, foot flat


# -- new exercises (issue 11, item 6) ------------------------------------------------
@pictures
def seated_hamstring_stretch() -> list[Picture]:
    hip: Point = (92, 141)  # forward on the seat
    straight = Leg(62, 62, 165)  # heel on the floor, toes up
    bent = Leg(88, -10, 90)

    def pose(torso: float, hand: Point) -> Figure:
        return Figure(
            hip=hip,
            torso=torso,
            near_leg=straight,
            far_leg=bent,
            near_arm=Arm(to=hand, bend=1),
            far_arm=Arm(to=(hand[0] - 6, hand[1] - 4), bend=1),
            target=frozenset({"near_leg"}),
        )

    return [
        Picture("seated-hamstring-stretch-1", chair(), pose(178, (124, 150))),
        Picture("seated-hamstring-stretch-2", chair(), pose(148, (136, 158))),
    ]


def shelf(left: float) -> list[str]:
    """A low shelf at knee height, its front edge at `left`."""
    return [
        polyline([(left, 150), (left + 66, 150)], PROP, LINE),
        polyline([(left + 58, 150), (left + 58, 189)], PROP, LINE),
    ]


def box(centre: Point) -> str:
    """A light box, 26 wide and 18 high."""
    x, y = centre
    return (
        f'<rect x="{_fmt(x - 13)}" y="{_fmt(y - 9)}" width="26" height="18" rx="3" '
        f'fill="#D9B98C" stroke="#B08A5A" stroke-width="3"/>'
    )


@pictures
def hinge_and_lift() -> list[Picture]:
    props = [*floor(), *shelf(104)]
    feet = ("near_ankle", (90.0, 181.0))
    stand = Figure(
        near_leg=Leg(0, 0),
        far_leg=Leg(-2, 0),
        near_arm=Arm(6, 10),
        far_arm=Arm(3, 8),
        anchor=feet,
    )
    # Hip hinge: hips back, knees bent, a long straight back, hands at the box.
    hinge = Figure(
        torso=124,
        head=118,
        near_leg=Leg(42, -12),
        far_leg=Leg(40, -14),
        near_arm=Arm(-4, -4),
        far_arm=Arm(-8, -8),
        target=frozenset({"spine"}),
        anchor=feet,
    )
    hand = hinge.joints()["near_hand"]
    on_shelf = box((hand[0] + 4, 150 - 10))
    # Up again with the box held close to the body.
    lift = Figure(
        near_leg=Leg(0, 0),
        far_leg=Leg(-2, 0),
        near_arm=Arm(to=(120, 100), bend=-1),
        far_arm=Arm(to=(116, 98), bend=-1),
        target=frozenset({"spine"}),
        anchor=feet,
    )
    return [
        Picture("hinge-and-lift-1", [*props, on_shelf], stand),
        Picture("hinge-and-lift-2", [*props, on_shelf], hinge),
        Picture("hinge-and-lift-3", props, lift, held=[box((116, 100))]),
    ]


STEP = 22.0  # rise of one stair
STEP_DEPTH = 44.0


def stairs() -> list[str]:
    """Two stairs up to the right and a hand rail along them."""
    x0 = 110.0
    y1, y2 = FLOOR_Y - STEP, FLOOR_Y - 2 * STEP
    return [
        *floor(),
        polyline(
            [(x0, FLOOR_Y), (x0, y1), (x0 + STEP_DEPTH, y1), (x0 + STEP_DEPTH, y2), (196, y2)],
            PROP,
            LINE,
        ),
        polyline([(30, 104), (96, 104), (190, 48)], PROP, LINE),
        polyline([(36, 104), (36, FLOOR_Y)], PROP, LINE),
    ]


@pictures
def step_ups() -> list[Picture]:
    ground = ("far_ankle", (84.0, 181.0))
    start = Figure(
        near_leg=Leg(0, 0),
        far_leg=Leg(0, 0),
        far_arm=Arm(to=(70, 104)),
        near_arm=Arm(6, 12),
        anchor=ground,
    )
    # The whole foot on the stair, the knee straight above the foot.
    foot_up = Figure(
        torso=174,
        near_leg=Leg(70, 0),
        far_leg=Leg(0, 0),
        far_arm=Arm(to=(72, 104)),
        near_arm=Arm(10, 16),
        target=frozenset({"near_leg"}),
        anchor=ground,
    )
    # Up: the stair leg straightens and carries you; the other foot follows.
    up = Figure(
        torso=176,
        near_leg=Leg(0, 0),
        far_leg=Leg(-30, 10),
        far_arm=Arm(to=(100, 102)),
        near_arm=Arm(6, 12),
        target=frozenset({"near_leg"}),
        anchor=("near_ankle", (124.0, FLOOR_Y - STEP - 8)),
    )
    return [
        Picture("step-ups-1", stairs(), start, scale=0.84),
        Picture("step-ups-2", stairs(), foot_up, scale=0.84),
        Picture("step-ups-3", stairs(), up, scale=0.84),
    ]


@pictures
def standing_back_extension() -> list[Picture]:
    def pose(torso: float, bend: float, head: float, hip: Point) -> Figure:
        return Figure(
            hip=hip,
            torso=torso,
            bend=bend,
            head=head,
            near_leg=Leg(0, 0),
            far_leg=Leg(-2, 0),
            near_arm=Arm(to=(hip[0] - 4, hip[1] - 2), bend=-1),
            far_arm=Arm(to=(hip[0] - 8, hip[1] - 4), bend=-1),
            target=frozenset({"spine"}),
        )

    return [
        Picture("standing-back-extension-1", floor(), pose(180, 0, 180, (96, 101))),
        Picture("standing-back-extension-2", floor(), pose(196, -8, 192, (98.5, 101.8))),
    ]


@pictures
def seated_pelvic_floor_core() -> list[Picture]:
    fig = Figure(
        hip=SEATED_HIP,
        near_leg=SEATED_LEG,
        far_leg=SEATED_LEG,
        near_arm=Arm(to=(118, 136), bend=-1),
        far_arm=Arm(to=(114, 134), bend=-1),
        target=frozenset({"spine"}),
    )
    drawing_in = [
        # Lower belly drawn gently in, pelvic floor lifted: two small arrows.
        arrow((110, 114), (96, 114)),
        arrow((76, 176), (76, 160)),
    ]
    return [
        Picture("seated-pelvic-floor-core-1", chair(), fig),
        Picture("seated-pelvic-floor-core-2", chair(), fig, drawing_in),
    ]


def _pelvis(centre: Point, tilt: float) -> str:
    """The pelvis as an oval: tilt > 0 tips its front down (hollow back)."""
    x, y = _fmt(centre[0]), _fmt(centre[1])
    return (
        f'<ellipse cx="{x}" cy="{y}" rx="16" ry="9" fill="{TARGET}" '
        f'transform="rotate({_fmt(tilt)} {x} {y})"/>'
    )


def _back_type(spine: str, back_line: str, pelvis: str, head: Point, arm: str) -> list[str]:
    return [
        *floor(),
        polyline([(96, 104), (98, 143), (96, 181), (107, 181)], FAR),
        path(spine, NEAR, LIMB),
        circle(head, HEAD_R, NEAR),
        polyline([(96, 104), (100, 143), (98, 181), (109, 181)], NEAR),
        path(arm, NEAR, LIMB),
        pelvis,
        # The line of the back, drawn beside the spine so the curve reads at a glance.
        path(back_line, TARGET, MARK),
    ]


@pictures
def back_types() -> list[Picture]:
    """The two back types of document 002, side view, for the first-run setup."""
    hollow = _back_type(
        spine="M96,106 C108,88 102,66 94,48",
        back_line="M86,134 C70,128 64,110 74,100 C82,92 88,86 86,76 C84,66 80,58 86,44",
        pelvis=_pelvis((94, 106), 30),
        head=(98, 29),
        arm="M94,50 L100,82 L112,106",
    )
    flat = _back_type(
        spine="M96,106 C94,86 95,66 98,48",
        back_line="M86,134 C80,122 80,106 82,92 C84,76 82,60 88,44",
        pelvis=_pelvis((98, 106), -16),
        head=(102, 29),
        arm="M98,50 L102,82 L112,106",
    )
    return [Picture("back-type-hollow", hollow), Picture("back-type-flat", flat)]


# -- redrawn (issue 11, item 7) --------------------------------------------------------
FLOOR_MAT_Y = 178.0  # floor line of the floor exercises; a resting limb lies at y=168


def _facing_desk(ankle: str, x: float) -> Figure:
    """Standing at the desk with both hands on it, `ankle` at x on the floor."""
    return Figure(
        near_leg=Leg(0, 0),
        far_leg=Leg(-2, 0),
        near_arm=Arm(to=(136, 100)),
        far_arm=Arm(to=(132, 100)),
        anchor=(ankle, (x, 181.0)),
    )


@pictures
def supported_reverse_lunge() -> list[Picture]:
    stand = _facing_desk("near_ankle", 100)
    # A moderate lunge: front shin upright (knee above the ankle), back knee well off
    # the floor, body upright.
    lunge = replace(
        stand,
        torso=178,
        far_leg=Leg(52, 0),
        near_leg=Leg(-14, -60, 60),
        target=frozenset({"near_leg"}),
        anchor=("far_ankle", (122.0, 181.0)),
    )
    return [
        Picture("supported-reverse-lunge-1", desk(), stand),
        Picture("supported-reverse-lunge-2", desk(), lunge),
    ]


@pictures
def standing_bird_dog() -> list[Picture]:
    hand = Arm(to=(128, 100))
    stand = Figure(
        near_leg=Leg(0, 0),
        far_leg=Leg(-2, 0),
        near_arm=hand,
        far_arm=Arm(4, 8),
        anchor=("far_ankle", (90.0, 181.0)),
    )
    # Nearly upright, the leg back low and the other arm forward at shoulder height.
    reach_out = Figure(
        torso=168,
        far_leg=Leg(3, 0),
        near_leg=Leg(-26, -26, 20),
        near_arm=hand,
        far_arm=Arm(98, 96),
        target=frozenset({"near_leg", "far_arm"}),
        anchor=("far_ankle", (84.0, 181.0)),
    )
    return [
        Picture("standing-bird-dog-1", desk(), stand),
        Picture("standing-bird-dog-2", desk(), reach_out),
    ]


def _side_desk() -> list[str]:
    """The desk at the figure's side, seen from its end (front-view pictures)."""
    return [
        *floor(),
        polyline([(140, 100), (192, 100)], PROP, LINE),
        polyline([(178, 100), (178, 189)], PROP, LINE),
    ]


@pictures
def standing_hip_circles() -> list[Picture]:
    base = FrontFigure(
        pelvis=(94, 101),
        right_leg=Leg(0, 0, 90),
        right_arm=Arm(to=(140, 100), bend=1),
        left_arm=Arm(-6, -2),
        target=frozenset({"left_leg"}),
    )
    # The knee circles in the horizontal plane: to the front, out to the side, down.
    circle_mark = [
        path("M88,114 C86,127 44,128 40,115 C38,103 86,101 88,114", TARGET, MARK, "6 7"),
        arrow((62, 125), (52, 124)),
    ]
    front = replace(base, left_leg=Leg(4, 0, None, thigh_len=8))
    out = replace(base, left_leg=Leg(-72, -2, -90, thigh_len=34))
    return [
        Picture("standing-hip-circles-1", _side_desk(), front, circle_mark),
        Picture("standing-hip-circles-2", _side_desk(), out, circle_mark),
    ]


def front_chair() -> list[str]:
    return [
        *floor(),
        polyline([(64, 86), (64, 189)], PROP, LINE),
        polyline([(136, 86), (136, 189)], PROP, LINE),
        polyline([(64, 142), (136, 142)], PROP, LINE),
    ]


@pictures
def seated_figure_four() -> list[Picture]:
    seated = FrontFigure(
        pelvis=(100, 132),
        left_leg=Leg(-3, -3, -90, thigh_len=8),
        right_leg=Leg(3, 3, 90, thigh_len=8),
        left_arm=Arm(to=(84, 136), bend=-1),
        right_arm=Arm(to=(116, 136), bend=1),
        target=frozenset({"right_leg"}),
    )
    # Right ankle on the left knee; the raised knee sinks out by itself, the hands stay
    # off it (hands on the waist).
    crossed = FrontFigure(
        pelvis=(100, 132),
        left_leg=Leg(-3, -3, -90, thigh_len=8),
        right_leg=Leg(128, -70, 180, thigh_len=30),
        left_arm=Arm(to=(91, 102), bend=-1),
        right_arm=Arm(to=(109, 102), bend=1),
        target=frozenset({"right_leg"}),
    )
    return [
        Picture("seated-figure-four-1", front_chair(), seated),
        Picture("seated-figure-four-2", front_chair(), crossed),
    ]


@pictures
def seated_cat_cow() -> list[Picture]:
    def pose(torso: float, bend: float, head: float) -> Figure:
        return Figure(
            hip=SEATED_HIP,
            torso=torso,
            bend=bend,
            head=head,
            near_leg=SEATED_LEG,
            far_leg=SEATED_LEG,
            near_arm=Arm(to=(118, 134), bend=-1),
            far_arm=Arm(to=(116, 133), bend=-1),
            target=frozenset({"spine"}),
        )

    return [
        # Round: chin towards the chest. Hollow: chest up, head simply upright.
        Picture("seated-cat-cow-1", chair(), pose(174, 13, 140)),
        Picture("seated-cat-cow-2", chair(), pose(179, -10, 178)),
    ]


def _all_fours(bend: float, head: float, hip: Point = (70, 128)) -> Figure:
    """On hands and knees, back level: hands under the shoulders, knees under the hips."""
    return Figure(
        hip=hip,
        torso=90,
        bend=bend,
        head=head,
        quadruped=True,
        near_leg=Leg(0, -90, None),
        far_leg=Leg(0, -90, None),
        near_arm=Arm(0, 0),
        far_arm=Arm(0, 0),
        target=frozenset({"spine"}),
    )


@pictures
def floor_cat_cow() -> list[Picture]:
    props = floor(FLOOR_MAT_Y)
    return [
        Picture("floor-cat-cow-1", props, _all_fours(16, 48)),
        Picture("floor-cat-cow-2", props, _all_fours(-9, 98)),
    ]


@pictures
def floor_bird_dog() -> list[Picture]:
    props = floor(FLOOR_MAT_Y)
    rest = replace(_all_fours(0, 64, hip=(92, 128)), target=frozenset())
    # One arm forward and the other leg back, both level with the back.
    reach_out = replace(
        rest,
        far_leg=Leg(-90, -90, 0),
        near_arm=Arm(92, 92),
        target=frozenset({"far_leg", "near_arm"}),
    )
    return [
        Picture(name, props, pose, scale=0.9, floor_y=FLOOR_MAT_Y)
        for name, pose in (("floor-bird-dog-1", rest), ("floor-bird-dog-2", reach_out))
    ]


@pictures
def floor_hip_flexor_stretch() -> list[Picture]:
    props = floor(FLOOR_MAT_Y)

    def pose(hip: Point, back_thigh: float, front_shin: float, front_thigh: float) -> Figure:
        return Figure(
            hip=hip,
            near_leg=Leg(back_thigh, -90, None),
            far_leg=Leg(front_thigh, front_shin),
            near_arm=Arm(to=(hip[0] + 28, hip[1] - 6), bend=-1),
            far_arm=Arm(to=(hip[0] + 24, hip[1] - 8), bend=-1),
            target=frozenset({"near_leg"}),
            anchor=("near_knee", (74.0 + (hip[0] - 74), 168.0)),
        )

    # Kneeling on one knee, front foot far enough forward that the front knee stays
    # above the ankle when the hips move forward into the stretch.
    return [
        Picture("floor-hip-flexor-stretch-1", props, pose((74, 128), 0, -14, 80)),
        Picture("floor-hip-flexor-stretch-2", props, pose((84, 129), -16, 0, 72)),
    ]


@pictures
def standing_hip_flexor_stretch() -> list[Picture]:
    stand = replace(_facing_desk("far_ankle", 96), target=frozenset({"near_leg"}))
    # Split stance: back leg long with the heel up, front knee above the ankle, pelvis
    # tucked and the body upright.
    stretch = replace(
        stand,
        torso=178,
        far_leg=Leg(30, 0),
        near_leg=Leg(-36, -36, 50),
        anchor=("far_ankle", (112.0, 181.0)),
    )
    return [
        Picture("standing-hip-flexor-stretch-1", desk(), stand),
        Picture("standing-hip-flexor-stretch-2", desk(), stretch),
    ]


@pictures
def posture_reset() -> list[Picture]:
    # Slumped, pelvis rolled back, legs crossed: the habit to let go of.
    slumped = Figure(
        hip=(88, 142),
        torso=170,
        bend=14,
        head=128,
        near_leg=Leg(100, 12),
        far_leg=Leg(88, 2),
        near_arm=Arm(to=(118, 132), bend=-1),
        far_arm=Arm(to=(116, 131), bend=-1),
        target=frozenset({"spine"}),
    )
    upright = Figure(
        hip=SEATED_HIP,
        near_leg=SEATED_LEG,
        far_leg=SEATED_LEG,
        near_arm=Arm(to=(114, 137), bend=-1),
        far_arm=Arm(to=(112, 136), bend=-1),
        target=frozenset({"spine"}),
    )
    return [
        Picture("posture-reset-1", chair(), slumped, wrong=True),
        Picture("posture-reset-2", chair(), upright),
    ]


@pictures
def standing_posture_reset() -> list[Picture]:
    # Hanging on one leg (kept from the first drawing, now marked as the pose to avoid).
    hanging = [
        polyline([(106, 103), (99.3, 48.4)], NEAR),
        polyline([(85, 55.2), (114.8, 51.5)], NEAR),
        polyline([(96.3, 100.6), (115.7, 105.4)], NEAR),
        circle((97, 29.6), HEAD_R, NEAR),
        polyline([(115.7, 105.4), (117, 141), (116, 181), (124, 181)], TARGET),
        polyline([(96.3, 100.6), (87.7, 139.7), (80.4, 179), (72.4, 179)], TARGET),
        polyline([(85, 55.2), (80.8, 89.9), (77.9, 119.8)], NEAR),
        polyline([(114.8, 51.5), (122.8, 85.6), (128.8, 115)], NEAR),
    ]
    even = FrontFigure(
        right_leg=Leg(2, 1, 90),
        left_leg=Leg(-2, -1, -90),
        right_arm=Arm(10, 8),
        left_arm=Arm(-10, -8),
        target=frozenset({"left_leg", "right_leg"}),
    )
    return [
        Picture("standing-posture-reset-1", [*floor(), *hanging], wrong=True),
        Picture("standing-posture-reset-2", floor(), even),
    ]


@pictures
def floor_figure_four() -> list[Picture]:
    props = floor(FLOOR_MAT_Y)

    def pose(far: Leg, near: Leg, arms: tuple[Arm, Arm]) -> Figure:
        return Figure(
            hip=(110, 168),
            torso=-90,
            head=-72,
            far_leg=far,
            near_leg=near,
            near_arm=arms[0],
            far_arm=arms[1],
            target=frozenset({"near_leg"}),
        )

    # One ankle on the other knee, that knee falling out towards the viewer (so thigh
    # and shin look shorter).
    crossed = pose(
        Leg(150, 30),
        Leg(104.7, -124.8, -124.8, thigh_len=39, shin_len=28),
        (Arm(86, 88), Arm(84, 88)),  # arms resting on the floor
    )
    # The support foot lifted and its thigh held with both hands, drawn towards you.
    pulled = pose(
        Leg(184, 92, 180),
        Leg(126.9, -118.3, -118.3, thigh_len=30, shin_len=29),
        (Arm(to=(104, 142), bend=-1), Arm(to=(101, 144), bend=-1)),
    )
    return [
        Picture("floor-figure-four-1", props, crossed),
        Picture("floor-figure-four-2", props, pulled),
    ]


@pictures
def standing_cat_cow() -> list[Picture]:
    def pose(bend: float, head: float) -> Figure:
        return Figure(
            hip=(62, 104),
            torso=116,
            bend=bend,
            head=head,
            near_leg=Leg(20, -10),
            far_leg=Leg(18, -12),
            near_arm=Arm(to=(168, 100)),
            far_arm=Arm(to=(165, 100)),
            target=frozenset({"spine"}),
            anchor=("near_ankle", (68.0, 181.0)),
        )

    props = [*floor(), polyline([(160, 100), (192, 100)], PROP, LINE)]
    props.append(polyline([(184, 100), (184, 189)], PROP, LINE))
    return [
        # Round the back, head hanging; then a gentle hollow, head in line, eyes down.
        Picture("standing-cat-cow-1", props, pose(15, 55)),
        Picture("standing-cat-cow-2", props, pose(-9, 100)),
    ]


def main(argv: list[str]) -> None:
    prefixes = argv or [""]
    for make in PICTURES:
        for pic in make():
            if any(pic.name.startswith(p) for p in prefixes):
                (OUT / f"{pic.name}.svg").write_text(pic.text())
                print(f"wrote {pic.name}.svg")


if __name__ == "__main__":
    main(sys.argv[1:])
