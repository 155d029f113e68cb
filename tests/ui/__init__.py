"""The Qt side in-process (pytest-qt) under the suite's Xvfb; apps come from the
`make_app` fixture (tests/conftest.py, tests/apps.py)."""
