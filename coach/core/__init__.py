"""The passive core: engine, sitting tracker, events, modes and status, the clock.

Pure: no I/O, no Qt, and no wall clock but the Clock it is given."""
