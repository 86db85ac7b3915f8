"""Documents Rapport produces for people: letters, summaries and exports as PDF."""
