"""Markup that Python renders: one module per component, built with format_html so escaping is the default."""
