"""vetcheck: vet a ketamine-therapy provider with a scored, evidence-linked checklist."""

__version__ = "0.1.0"

__all__ = ["__version__"]
