"""The answer engine: which approved article answers a question, or an honest "I don't know".

``engine.AnswerEngine`` ranks every answerable article for a (redacted) question with two signals, the e5
semantic index (``content.semantic``) and a character n-gram lexical ranker (``lexical``), adds Rasa's
topic as a prior and decides: answer one article, answer two parts of a two-part question, clarify
between close articles, or abstain. The thresholds live in ``data/policy.yml`` (``answer_engine``) and are
calibrated with ``make eval-answers``. ADR 0012 records the design and the comparison.
"""
