"""Approved content and municipal rules over ``data/``.

* ``knowledge``: knowledge articles (versioned, with owner, source and review date).
* ``topics``: the service areas of ``data/topics.yml`` and their labels.
* ``policy`` and ``safety``: the answer policy (risk, notices) and the safety check (emergencies,
  assessment requests).
* ``municipality``: the municipality profile (name, organisation number, contacts, opening hours).
* ``calendar``: Swedish working days and the contact centre's opening hours.
* ``decision``: answer, suggest or fall back, from the NLU and the semantic search.
* ``case_numbers``: the case-number token of approved texts (filled by the actions, checked by the guard).
* ``semantic``: the semantic index used at run time; ``semantic.build`` makes its model offline.

Dependency rule: ``content`` imports nothing of Kommunsvar's but ``content`` itself.
"""
