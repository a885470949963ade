"""Digests: sources and feeds in, briefings clustered into stories, rendered, mailed, tracked."""
