"""Clean file pages a closed window touched are unmapped (coach/ui/memory.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from coach.ui.memory import clean_file_mappings

SMAPS = """\
7f0000000000-7f0000004000 r-xp 00000000 08:01 11 /usr/lib/libQt6Gui.so.6
Rss:                  12 kB
Anonymous:             0 kB
7f0000004000-7f0000006000 r--p 00004000 08:01 11 /usr/lib/libQt6Gui.so.6
Rss:                   8 kB
Anonymous:             4 kB
7f0000006000-7f0000007000 rw-p 00006000 08:01 11 /usr/lib/libQt6Gui.so.6
Rss:                   4 kB
Anonymous:             4 kB
7f0000010000-7f0000012000 r--p 00000000 08:01 12 /usr/share/fonts/DejaVuSans.ttf
Rss:                   0 kB
Anonymous:             0 kB
7f0000020000-7f0000030000 rw-p 00000000 00:00 0
Rss:                  64 kB
Anonymous:            64 kB
7f0000040000-7f0000042000 r--s 00000000 08:01 13 /var/cache/fontconfig/x.cache-8
Rss:                   8 kB
Anonymous:             0 kB
7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
Rss:                   4 kB
Anonymous:             0 kB
"""


def test_only_read_only_file_mappings_without_private_pages_are_chosen() -> None:
    """Code and shared caches go; relocated constants (copy-on-write), writable data,
    the heap, the vdso and mappings with nothing resident stay."""
    assert list(clean_file_mappings(SMAPS)) == [
        (0x7F0000000000, 0x4000),
        (0x7F0000040000, 0x2000),
    ]


WINDOW_THEN_RELEASE = """
import coach.ui
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
from coach.ui.memory import unmap_clean_file_pages

def qt_code_kib():
    total, on = 0, False
    for line in open("/proc/self/smaps"):
        head = line.split()
        if "-" in head[0] and not head[0].endswith(":"):
            on = head[1] == "r-xp" and "libQt6" in line
        elif on and head[0] == "Rss:":
            total += int(head[1])
    return total

app = QApplication([])

def window():
    w = QWidget()
    layout = QVBoxLayout(w)
    layout.addWidget(QLabel("<b>Stand up</b> and walk"))
    layout.addWidget(QPushButton("Done"))
    w.resize(300, 200)
    return w.grab().toImage().width()

window()
before = qt_code_kib()
advised = unmap_clean_file_pages()
after = qt_code_kib()
print(before, after, advised > 0, window())
"""


def test_unmapped_pages_come_back_when_used(tmp_path: Path) -> None:
    """Qt's code pages leave the process and the next window is drawn all the same."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COACH_HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", WINDOW_THEN_RELEASE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    before, after, advised, width = int(out[0]), int(out[1]), out[2], int(out[3])
    assert advised == "True"
    assert after < before / 2
    assert width == 300
