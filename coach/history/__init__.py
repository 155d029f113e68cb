"""The history: the SQLite store (schema, every SQL statement, recovery), statistics,
import and export, team files."""
