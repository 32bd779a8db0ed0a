"""Renderers: report model → text, one module per format. They return strings, never write."""
