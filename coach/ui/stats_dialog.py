"""Today's statistics in a small window (the charts come with the statistics work)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel

from coach.i18n import _
from coach.stats import DayStats, format_duration


class StatsDialog(QDialog):
    def __init__(self, stats: DayStats) -> None:
        super().__init__()
        self.setWindowTitle(_("Coach: today"))
        form = QFormLayout(self)
        form.setContentsMargins(24, 20, 24, 20)
        rows = [
            (_("Sitting today"), format_duration(stats.sitting_s)),
            (_("Sitting bouts"), str(stats.bouts)),
            (_("Longest bout"), format_duration(stats.longest_bout_s)),
            (_("Breaks offered"), str(stats.offered)),
            (_("Done"), str(stats.done)),
            (_("Snoozed"), str(stats.snoozed)),
            (_("Skipped"), str(stats.skipped)),
            (_("Missed"), str(stats.missed)),
        ]
        for name, value in rows:
            label = QLabel(value)
            label.setObjectName(name)
            form.addRow(name, label)
