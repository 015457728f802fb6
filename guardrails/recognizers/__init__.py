"""Swedish recognizers for Presidio, one per module (module named after its class)."""
