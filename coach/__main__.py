"""`python -m coach`, and the installed `coach` and `coach-gui` commands (pyproject.toml).

Python's cyclic garbage collector would run some 60 times while Coach imports its
modules and shows its tray icon (about 7 ms of the launch) and free next to nothing:
what start-up builds is kept all day. So it is off from the first line until the icon
is shown; `coach.cli.main` turns it back on (for `coach run`: `startup.collect_again`).
"""

from __future__ import annotations

import gc
import sys


def main() -> int:
    gc.disable()
    from coach.cli import main as coach

    return coach()


def gui_main() -> int:
    """The windowless launcher (gui-scripts)."""
    gc.disable()
    from coach.cli import gui_main as coach

    return coach()


if __name__ == "__main__":
    sys.exit(main())
