#!/usr/bin/env bash
# Run Coach (or one of its commands) in the pseudo-locale: every catalog string longer,
# accented and bracketed, so text that is not translatable yet stands out in plain ASCII
# and too-tight layouts show up (docs/translating.md).
#   bash scripts/pseudo-locale.sh                  the tray app
#   bash scripts/pseudo-locale.sh exercises        any command: coach exercises, doctor, ...
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m tests.pseudo_locale "$@"
