"""Fakes and helpers shared by tests (child-process services, X11 property writers)."""
