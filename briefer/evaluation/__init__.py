"""Measuring briefer against human-annotated gold data."""
