#!/usr/bin/env bash
# Set up Coach (see setup.sh) and start it in the tray. Arguments go to `coach run`,
# e.g. scripts/run.sh --demo for breaks every minute or two.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/coach run "$@"
