"""The command line speaks the user's language all through: argparse's own words
("usage:", "error:", its messages), numbers, shares and dates, the team report, and the
desktop entries' words come from the catalogs."""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from coach import cli, i18n
from coach.cli import argparse_text
from coach.config import autostart, desktop_entry
from coach.core import formats
from coach.history import team
from coach.history.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    yield
    i18n.use("en")


def run(
    home: Path, monkeypatch: pytest.MonkeyPatch, *argv: str, language: str = "nl"
) -> tuple[int, str, str]:
    """`coach ARGV` with the `language` setting, as a user types it; argparse's exit too."""
    home.mkdir(exist_ok=True)
    (home / "settings.toml").write_text(f'language = "{language}"\n')
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COACH_POLICY", str(home / "no-policy.toml"))
    out, err = Path(home / "out"), Path(home / "err")
    with out.open("w") as o, err.open("w") as e:
        monkeypatch.setattr("sys.stdout", o)
        monkeypatch.setattr("sys.stderr", e)
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
        monkeypatch.undo()
    return code, out.read_text(), err.read_text()


def test_help_is_in_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = run(tmp_path, monkeypatch, "stats", "--help")
    assert code == 0
    assert out.startswith("gebruik: coach stats [-h] [--day DATUM")
    assert "\nopties:\n" in out and "deze hulptekst tonen en stoppen" in out
    assert "usage" not in out and "show this help" not in out
    code, out, _err = run(tmp_path, monkeypatch, "--help")
    assert "\nargumenten:\n" in out and "positional arguments" not in out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--bogus"], "coach: fout: onbekende argumenten: --bogus"),
        (["team-report"], "coach team-report: fout: deze argumenten zijn verplicht: MAP"),
        (["autostart", "sometimes"], "fout: argument action: ongeldige keuze: 'sometimes'"),
        (["stats", "--day"], "coach stats: fout: argument --day: verwacht één waarde"),
        (["stats", "--day", "2026-11-21", "--month"], "gaat niet samen met --day"),
        (["simulate", "x.csv", "--seed", "many"], "ongeldige waarde (int): 'many'"),
    ],
)
def test_bad_arguments_are_told_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], said: str
) -> None:
    code, out, err = run(tmp_path, monkeypatch, *argv)
    assert code == 2 and out == ""
    assert err.startswith("gebruik: coach") and said in err, err
    assert "error:" not in err and "usage:" not in err


def test_english_stays_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _out, err = run(tmp_path, monkeypatch, "--bogus", language="en")
    assert code == 2 and err.startswith("usage: coach")
    assert "coach: error: unrecognized arguments: --bogus" in err


def test_every_listed_message_is_argparse_own() -> None:
    """A Python whose argparse words a message differently fails here, not silently in
    English."""
    source = inspect.getsource(argparse)
    for message in argparse_text.MESSAGES:
        assert repr(message)[1:-1] in source or f'"{message}"' in source, message


def test_numbers_shares_and_dates_follow_the_language() -> None:
    i18n.use("en")
    assert [formats.number(x) for x in (6.25, 6.5, 7.0, 0.004)] == ["6.25", "6.5", "7", "0"]
    assert formats.percent(0.455) == "46%" and formats.percent(None) == "-"
    assert formats.day(date(2026, 3, 7)) == "2026-03-07"
    assert formats.percent_format("%i") == "%i%%"
    i18n.use("nl")
    assert [formats.number(x) for x in (6.25, 6.5, 7.0)] == ["6,25", "6,5", "7"]
    assert formats.percent(0.45) == "45%"
    assert formats.day(date(2026, 3, 7)) == "07-03-2026"


def test_team_report_prose_in_dutch_and_csv_for_machines(tmp_path: Path) -> None:
    people = [team.TeamWeek("2026-W46", 5, 1500 + 45 * n, 2, 20, 13 - n % 2) for n in range(6)]
    report = team.build(people)
    i18n.use("nl")
    page = team.to_html(report, lang="nl")
    row = report.rows[0]
    assert f"<td>{row.sitting_h_per_day:.2f}".replace(".", ",") in page
    assert f"{round(100 * row.done_share)}%" in page and " u</title>" in page
    assert str(row.sitting_h_per_day) not in page  # no decimal point in the prose
    assert str(row.sitting_h_per_day) in team.to_csv(report)  # the CSV keeps its points


def test_shipped_desktop_entry_comes_from_the_catalogs() -> None:
    shipped = (ROOT / "resources" / "coach.desktop").read_text(encoding="utf-8")
    assert shipped == desktop_entry.application_entry(), (
        "run `bash scripts/i18n.sh` (it writes resources/coach.desktop)"
    )
    for key in ("GenericName", "Comment", "Keywords"):  # (test_i18n: every language has them)
        assert f"\n{key}[nl]=" in shipped, key
    written = autostart.desktop_entry(["coach", "run"])
    assert "\nComment[nl]=Coach voor je houding en zitpauzes\n" in written


def test_exercise_list_and_import_speak_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _err = run(tmp_path, monkeypatch, "exercises")
    assert code == 0 and " Zittend " in out and " mobiliteit " in out
    assert not any(f" {word} " in out for word in ("seated", "standing", "floor", "mobility"))
    store = Store.open(tmp_path / "coach.sqlite3")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    store.add_bout(start, start + timedelta(minutes=40), 40 * 60)
    store.close()
    export = tmp_path / "history.json"
    code, _out, err = run(tmp_path, monkeypatch, "export", "--out", str(export))
    assert code == 0 and err.startswith("coach: 1 gegeven naar ")  # one, not "1 gegevens"
    code, out, _err = run(tmp_path / "elsewhere", monkeypatch, "import", str(export))
    assert code == 0 and "1 gegeven toegevoegd (zitperiodes: 1)" in out
