"""Draw the exercise pictures in coach/exercises/illustrations/ from pose data.

A side-view stick figure, facing right, built from joint angles so every picture keeps
the same proportions, colours and stroke. Angles are in degrees: 0 points down, 90
forward (+x, the way the figure faces), 180 up, -90 backward. Run it after changing a
pose and look at the result (tests/test_illustrations.py renders the contact sheet):

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

    bend=+1 puts the joint to the left of the line a->target when y points down
    (for an arm reaching forward and down: elbow out behind/up), -1 the other side.
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
    foot: float = 90.0


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
    head: float | None = None  # direction shoulder -> head (default: along the torso)
    near_leg: Leg = Leg()
    far_leg: Leg = Leg()
    near_arm: Arm = Arm()
    far_arm: Arm = Arm()
    quadruped: bool = False
    target: frozenset[str] = frozenset()  # spine, near_leg, far_leg, near_arm, far_arm
    anchor: tuple[str, Point] | None = None
    muted: bool = False

    def joints(self) -> dict[str, Point]:
        hip = self.hip
        shoulder = step(hip, self.torso, TORSO)
        j: dict[str, Point] = {"hip": hip, "shoulder": shoulder}
        for side, leg in (("near", self.near_leg), ("far", self.far_leg)):
            knee = step(hip, leg.thigh, THIGH)
            ankle = step(knee, leg.shin, SHIN)
            j[f"{side}_knee"], j[f"{side}_ankle"] = knee, ankle
            j[f"{side}_toe"] = step(ankle, leg.foot, FOOT)
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
        j["head"] = step(shoulder, self.torso if self.head is None else self.head, NECK)
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
        near, far, hot, hot_far = (
            (MUTED_NEAR, MUTED_FAR, MUTED_TARGET, MUTED_FAR)
            if self.muted
            else (NEAR, FAR, TARGET, TARGET_FAR)
        )

        def colour(part: str) -> str:
            if part in self.target:
                return hot_far if part.startswith("far") else hot
            return far if part.startswith("far") else near

        def leg(side: str) -> str:
            pts = [j["hip"], j[f"{side}_knee"], j[f"{side}_ankle"], j[f"{side}_toe"]]
            return polyline(pts, colour(f"{side}_leg"))

        def arm(side: str) -> str:
            pts = [j["shoulder"], j[f"{side}_elbow"], j[f"{side}_hand"]]
            return polyline(pts, colour(f"{side}_arm"))

        (hx, hy), (sx, sy) = j["hip"], j["shoulder"]
        mx, my = (hx + sx) / 2, (hy + sy) / 2
        length = math.hypot(sx - hx, sy - hy)
        # Perpendicular pointing to the figure's back (left of hip->shoulder when facing right).
        px, py = -(sy - hy) / length, (sx - hx) / length
        px, py = (-px, -py) if px > 0 else (px, py)
        if abs(px) < 1e-9 and py > 0:  # torso horizontal: the back is up
            px, py = 0.0, -1.0
        ctrl = (mx + px * self.bend, my + py * self.bend)
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


def _angle(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[0] - a[0], b[1] - a[1]))


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


@dataclass
class Picture:
    name: str
    props: list[str] = field(default_factory=list)
    figure: Figure | None = None
    marks: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # in the hands: before the near arm
    scale: float = 1.0  # shrink the scene about the floor's middle (tall scenes only)

    def text(self) -> str:
        fig = self.figure.svg(self.held) if self.figure else []
        elements = [*self.props, *fig, *self.marks]
        if self.scale != 1.0:
            y, s = _fmt(FLOOR_Y), _fmt(self.scale)
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


STEP = 26.0  # rise of one stair
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
        Picture("step-ups-1", stairs(), start, scale=0.86),
        Picture("step-ups-2", stairs(), foot_up, scale=0.86),
        Picture("step-ups-3", stairs(), up, scale=0.86),
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


def main(argv: list[str]) -> None:
    prefixes = argv or [""]
    for make in PICTURES:
        for pic in make():
            if any(pic.name.startswith(p) for p in prefixes):
                (OUT / f"{pic.name}.svg").write_text(pic.text())
                print(f"wrote {pic.name}.svg")


if __name__ == "__main__":
    main(sys.argv[1:])
