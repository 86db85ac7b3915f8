"""Service level agreements: policies, clocks, pauses, breaches and escalation."""
