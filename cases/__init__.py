"""Cases: a citizen contests an answer, complains or asks to be contacted; staff handle it.

A case is tied to the audit records it concerns. Its text is redacted before it gets here; the only
personal data kept is the contact the citizen chose to give, encrypted (AES-256-GCM) with its own
retention period. Every transition is an event naming who and when.

Modules:

* ``settings``: :class:`~cases.settings.CasesSettings` (``KOMMUNSVAR_CASES_*``).
* ``errors``: :class:`~cases.errors.CaseError` and its hierarchy.
* ``models``, ``tables``, ``migrate`` (+ ``migrations/``): plain data, the schema and its Alembic
  migrations (own version table, so the store can share a database with the audit log).
* ``store``: :class:`~cases.store.CaseStore`; ``crypto`` (field encryption), ``ids`` (case numbers).
* ``service``: :class:`~cases.service.CaseService`, the workflow; ``deadlines`` (working days),
  ``contact`` (e-mail and phone validation), ``mailer`` (SMTP or the outbox), ``setup`` (wiring).
* ``retention``, ``review`` (content review and error-rate counts), ``cli`` (``python -m cases``).

Dependency rule: ``cases`` imports ``audit`` and ``content``, never ``bot`` or ``actions``.
"""
