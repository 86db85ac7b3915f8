"""Complaints handled with HEAT, statutory remedies, authority and approvals, final response."""
