"""What every app stands on and nothing domain-specific: settings helpers, errors, the database
backend, per-process caches, PDF."""
