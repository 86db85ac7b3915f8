"""Staff learning: curriculum units, marked practice and evidence from real work."""
