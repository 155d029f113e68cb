"""Coach: a desktop posture and sitting-break coach."""

__version__ = "0.1.0"
