#!/usr/bin/env bash
# Set up Coach with its test tools (see setup.sh), run the quality gates (ruff lint and
# format, mypy strict over coach/), then the whole test suite headless: under Xvfb, inside a private D-Bus
# session. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
mkdir -p artifacts
.venv/bin/ruff check coach tests bench
.venv/bin/ruff format --check coach tests bench
.venv/bin/mypy coach
# The core tests once more where PySide6 cannot be imported: the core needs no Qt.
.venv/bin/python tests/no_qt.py -q -p no:cacheprovider tests/core
export QT_QPA_PLATFORM=xcb
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  .venv/bin/python -m pytest "$@"
