"""The exercise library: data files, their loader and the picker."""
