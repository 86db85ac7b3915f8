"""Surveys, KPIs and dashboards, customer value and loyalty."""
