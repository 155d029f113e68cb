"""Settings, employer policy, preferences (defaults < policy < user file), paths and autostart."""
