"""The community admin's tools: the house sheet (import, export, template) and staff accounts."""
