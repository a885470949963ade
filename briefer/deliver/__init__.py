"""Delivery: writing files atomically, composing mail, sending it over SMTP."""
