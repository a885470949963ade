"""What a batch run adds up to: its totals (the closing line) and the per-outlet profile CSV."""
