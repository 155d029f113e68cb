"""Tests with a display, desktop session, compositor or installed app of their own;
a missing system tool fails them in CI (tests/tools.py)."""
