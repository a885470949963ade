"""Corpus scale: ``briefer batch`` -- many articles in, one Briefing JSON line each out,
resumable, on all cores (``pool``), a model server (``concurrency``) or a cluster
(``cluster``). ``inputs`` expands the INPUTs, ``store`` is the resumable output, ``run`` ties
them to a pluggable ``runner``."""
