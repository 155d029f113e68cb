"""What the launch does to reach its tray icon sooner (issue 19, target 4; the figures
are in bench/README.md): no cyclic garbage collection while Coach starts, and GNOME's
high-contrast answer asked for while Python loads Qt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from coach.platform import a11y_prefs

NO_COLLECTION_WHILE_STARTING = """
import gc, sys
import coach.cli
parse = coach.cli.parse

def parse_and_look(argv):
    print("starting:", gc.isenabled())
    return parse(argv)

coach.cli.parse = parse_and_look
from coach.__main__ import main
sys.argv = ["coach", "exercises", "--json"]
code = main()
print("running:", gc.isenabled(), code)
"""


def run_code(code: str, home: Path, **env: str) -> list[str]:
    """The lines `code` prints, run in a fresh Python with Coach's files in `home`."""
    environ = dict(os.environ, COACH_HOME=str(home), COACH_POLICY=str(home / "none"), **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()


def test_the_collector_is_off_while_coach_starts_and_on_for_the_command(tmp_path: Path) -> None:
    out = run_code(NO_COLLECTION_WHILE_STARTING, tmp_path)
    assert out[0] == "starting: False"
    assert out[-1] == "running: True 0"


def test_an_answer_asked_early_is_taken_once(tmp_path: Path) -> None:
    """`ask_early` starts the command at once; the first `run_command` with the same
    arguments takes its answer (the command ran once), the next one runs it again."""
    runs = tmp_path / "runs"
    count = ("sh", "-c", f"echo run >> {runs}; wc -l < {runs}")
    a11y_prefs.ask_early(count)
    assert a11y_prefs.run_command(count) == "1"
    assert runs.read_text() == "run\n"
    assert a11y_prefs.run_command(count) == "2"


def test_an_early_command_that_fails_or_is_missing_answers_none() -> None:
    failing = ("sh", "-c", "echo true; exit 1")
    a11y_prefs.ask_early(failing)
    assert a11y_prefs.run_command(failing) is None
    missing = ("no-such-command-coach-asks", "get")
    a11y_prefs.ask_early(missing)
    assert missing not in a11y_prefs._asked
    assert a11y_prefs.run_command(missing) is None
