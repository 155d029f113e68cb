"""Team files: one anonymous week each; the team report never shows fewer than 5 people."""

from __future__ import annotations

import getpass
import io
import json
import os
import socket
import stat
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach import cli, i18n
from coach.history import team
from coach.history.store import Store

CET = timezone(timedelta(hours=1))
MONDAY = datetime(2026, 11, 9, 9, 0, tzinfo=CET)  # ISO week 2026-W46


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use("en")


def fill(store: Store) -> None:
    """A week: 3 days, one bout over 60 min, 4 breaks of which 3 done; plus other weeks."""
    for day, minutes in ((0, 50), (0, 75), (1, 40), (3, 30)):
        start = MONDAY + timedelta(days=day, hours=minutes / 10)
        store.add_bout(start, start + timedelta(minutes=minutes), minutes * 60)
    for n, outcome in enumerate(("done", "done", "skipped", "done")):
        uid = store.offer_break("micro", "walk", MONDAY + timedelta(hours=n))
        store.update_break(uid, outcome=outcome, when=MONDAY + timedelta(hours=n, minutes=1))
    late = MONDAY + timedelta(days=6, hours=14)  # Sunday: still this week
    store.add_bout(late, late + timedelta(minutes=10), 600)
    before = MONDAY - timedelta(hours=12)  # Sunday the week before
    store.add_bout(before, before + timedelta(minutes=90), 5400)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = Store.open(tmp_path / "coach.sqlite3")
    fill(st)
    yield st
    st.close()


def test_weekly_summary(store: Store) -> None:
    week = team.summarise(store, "2026-W46")
    assert week == team.TeamWeek(
        week="2026-W46",
        days_with_data=4,
        sitting_minutes=50 + 75 + 40 + 30 + 10,
        bouts_over_60_min=1,
        breaks_offered=4,
        breaks_done=3,
    )
    assert team.summarise(store, "2026-W45").bouts_over_60_min == 1
    assert team.summarise(store, "2026-W40").days_with_data == 0


def test_team_file_holds_only_the_weeks_numbers(store: Store, tmp_path: Path) -> None:
    data = team.summarise(store, "2026-W46").to_bytes()
    body = json.loads(data)
    assert (
        set(body)
        == team.KEYS
        == {
            "format",
            "version",
            "week",
            "days_with_data",
            "sitting_minutes",
            "bouts_over_60_min",
            "breaks_offered",
            "breaks_done",
        }
    )
    assert all(isinstance(v, int) for k, v in body.items() if k not in ("format", "week"))
    text = data.decode()
    for secret in {
        getpass.getuser(),
        socket.gethostname(),
        socket.getfqdn(),
        str(Path.home()),
        str(tmp_path),
    } - {""}:
        assert secret not in text
    assert "T" not in body["week"] and ":" not in text.replace('": ', "")  # no times


def test_week_names() -> None:
    assert team.last_full_week(date(2026, 11, 18)) == "2026-W46"
    assert team.last_full_week(date(2027, 1, 6)) == "2026-W53"
    assert team.parse_week("2026-W46") == date(2026, 11, 9)
    for bad in ("2026-46", "2026-W54", "W46", ""):
        with pytest.raises(ValueError):
            team.parse_week(bad)


def person(
    week: str = "2026-W46",
    minutes: int = 1800,
    long: int = 2,
    offered: int = 20,
    done: int = 12,
    days: int = 5,
) -> team.TeamWeek:
    return team.TeamWeek(week, days, minutes, long, offered, done)


def write_people(folder: Path, people: list[team.TeamWeek]) -> None:
    folder.mkdir(exist_ok=True)
    for n, p in enumerate(people):
        (folder / f"{p.week}-{p.sitting_minutes}-{n}.json").write_bytes(p.to_bytes())


def test_groups_under_five_are_never_shown(tmp_path: Path) -> None:
    people = [person(minutes=1500 + 60 * n) for n in range(5)]
    people += [person("2026-W47", minutes=1000 + n) for n in range(4)]  # only 4
    write_people(tmp_path / "in", people)
    report = team.read_folder(tmp_path / "in")
    assert [r.week for r in report.rows] == ["2026-W46"] and report.withheld_weeks == 1
    row = report.rows[0]
    assert row.people == 5 and row.breaks_offered == 100 and row.breaks_done == 60
    assert row.sitting_h_per_day == round((1500 + 1560 + 1620 + 1680 + 1740) / 5 / 60 / 5, 2)
    html, csv = team.to_html(report), team.to_csv(report)
    assert "2026-W47" not in html and "2026-W47" not in csv
    assert csv.splitlines()[1].startswith("2026-W46,5,")
    assert "<script" not in html and "http" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert html.count("<svg") == 3


def test_copies_of_one_file_count_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_people(folder, [person()] * 5)  # one person's file, five times
    report = team.read_folder(folder)
    assert report.rows == [] and report.withheld_weeks == 1 and len(report.refused) == 4


@pytest.mark.parametrize(
    "body",
    [
        {"user": "jo"},
        "not an object",
        {"format": "coach-team-week", "version": 2},
    ],
)
def test_files_with_anything_else_are_refused(tmp_path: Path, body: object) -> None:
    folder = tmp_path / "in"
    write_people(folder, [person(minutes=1000 + n) for n in range(5)])
    if isinstance(body, dict) and "user" in body:
        body = json.loads(person().to_bytes()) | body  # an identifier slipped in
    (folder / "odd.json").write_text(json.dumps(body))
    (folder / "binary.json").write_bytes(bytes(range(256)))
    report = team.read_folder(folder)
    assert report.rows[0].people == 5 and len(report.refused) == 2
    assert all("odd.json" in r or "binary.json" in r for r in report.refused)


def test_impossible_numbers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    for change in (
        {"breaks_done": 30},
        {"days_with_data": 8},
        {"sitting_minutes": -1},
        {"sitting_minutes": 1.5},
        {"week": "yesterday"},
        {"breaks_offered": True},
    ):
        path.write_text(json.dumps(json.loads(person().to_bytes()) | change))
        with pytest.raises(team.TeamFileError):
            team.read_file(path)


def test_report_escapes_text() -> None:
    report = team.build([person(minutes=1000 + n) for n in range(5)])
    html = team.to_html(report, organisation="<b>Acme</b>")
    assert "<b>Acme</b>" not in html and "&lt;b&gt;Acme&lt;/b&gt;" in html


# -- the CLI --------------------------------------------------------------------------
@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COACH_POLICY", str(tmp_path / "policy.toml"))
    st = Store.open(home / "coach.sqlite3")
    fill(st)
    st.close()
    return home


def test_export_team_shows_exactly_what_it_writes(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "me.json"
    assert cli.main(["export", "--team", str(out), "--week", "2026-W46", "--yes"]) == 0
    shown = capsys.readouterr().out
    assert out.read_text() in shown
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert team.read_file(out).breaks_done == 3
    assert cli.main(["export", "--team", str(out), "--week", "2026-W46", "--yes"]) == 1
    assert "already exists" in capsys.readouterr().err


def test_export_team_asks_first(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "me.json"

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("n\n"))
    assert cli.main(["export", "--team", str(out), "--week", "2026-W46"]) == 1
    assert not out.exists() and "Not written" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", Tty("y\n"))
    assert cli.main(["export", "--team", str(out), "--week", "2026-W46"]) == 0
    assert out.exists()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a script without --yes
    assert cli.main(["export", "--team", str(tmp_path / "b.json"), "--week", "2026-W46"]) == 1
    assert "--yes" in capsys.readouterr().err


def test_export_team_of_an_empty_week(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "me.json"
    assert cli.main(["export", "--team", str(out), "--week", "2026-W30", "--yes"]) == 1
    assert not out.exists()


def test_team_report_cli(tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    write_people(folder, [person(minutes=1000 + n) for n in range(4)])
    assert cli.main(["team-report", str(folder), "--out", str(out)]) == 1
    assert "at least 5 people" in capsys.readouterr().err and not out.exists()
    write_people(folder, [person(minutes=2000)])
    write_people(folder, [person("2026-W47", minutes=5, long=0)])
    assert cli.main(["team-report", str(folder), "--out", str(out)]) == 0
    html = (out / "team-report.html").read_text()
    assert "2026-W46" in html and "2026-W47" not in html
    assert (out / "team-report.csv").read_text().count("\n") == 2
    assert "1 left out" in capsys.readouterr().out
    assert os.stat(out / "team-report.html").st_size < 30_000
