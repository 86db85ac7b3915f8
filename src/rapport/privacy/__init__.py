"""Data subject requests, erasure, retention, consent, access audit and reasonable adjustments."""
