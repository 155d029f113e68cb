#!/usr/bin/env bash
# Benchmark set-up only (never part of the test command): the reference apps the
# benchmarks start next to Coach, and xtrace to count X requests and round trips.
#   workrave   Workrave 1.10.50 (C++/GTK), the launch and footprint anchor
#   safeeyes   Safe Eyes 2.1.5 (Python/GTK), with the tray icon library and xprintidle it
#              recommends (its tray plugin does not load without them)
#   xtrace     an X11 protocol tracer (bench/bench_xticks.py)
# Usage (as root): bash scripts/bench-setup.sh
set -euo pipefail
PKGS=(workrave safeeyes gir1.2-ayatanaappindicator3-0.1 xprintidle xtrace)
if [[ $(id -u) -ne 0 ]]; then
  echo "bench-setup: run as root, or: sudo apt-get install ${PKGS[*]}" >&2
  exit 1
fi
for attempt in 1 2 3 4 5 6 7 8 9 10; do  # apt-get update does not wait for a held lock
  apt-get update -qq && break
  echo "bench-setup: apt-get update failed (attempt $attempt), retrying in 10 s" >&2
  sleep 10
done
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
  --no-install-recommends "${PKGS[@]}" >/dev/null
echo "bench-setup: installed ${PKGS[*]}"
