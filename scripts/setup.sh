#!/usr/bin/env bash
# Set up Coach on Debian/Ubuntu: system packages (as root, or a clear list when not),
# then a virtual environment in .venv with Coach installed.
# Usage: scripts/setup.sh [--test]   (--test adds the desktop test tools and test extras)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIME_PKGS=(python3 python3-venv libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3
  libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxss1
  fonts-dejavu-core)
TEST_PKGS=(xvfb xauth fluxbox dunst xdotool x11-utils dbus imagemagick desktop-file-utils
  libfaketime at-spi2-core python3-gi gir1.2-atspi-2.0 libglib2.0-bin gsettings-desktop-schemas
  kwin-wayland plasma-wayland-protocols)

want=("${RUNTIME_PKGS[@]}")
extras=""
if [[ "${1:-}" == "--test" ]]; then
  want+=("${TEST_PKGS[@]}")
  extras="[test]"
fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing system packages: ${missing[*]}"
    for attempt in 1 2 3 4 5 6 7 8 9 10; do  # apt-get update does not wait for a held lock
      apt-get update -qq && break
      echo "setup: apt-get update failed (attempt $attempt), retrying in 10 s" >&2
      sleep 10
    done
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these system packages are missing: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q ".${extras}"
# PySide6 compiles its own support code (shiboken's signature module) from a zip inside
# its library at every start, unless that code is unpacked beside it (SBK_EMBED=0,
# shiboken's own switch); unpacked and byte-compiled, Python loads it like any module:
# some 11 ms off every launch of Coach. Unpacked afresh at every set-up (SBK_EMBED=1
# removes it), so an upgraded PySide6 never runs an older copy.
SBK_EMBED=1 .venv/bin/python -c "import shiboken6"
SBK_EMBED=0 .venv/bin/python -c "import shiboken6"
.venv/bin/python -m compileall -q "$(.venv/bin/python -c \
  'import pathlib, shiboken6; print(pathlib.Path(shiboken6.__file__).parent / "files.dir")')" \
  >/dev/null
echo "setup: ready (.venv)"
