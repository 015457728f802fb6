"""Cases: a citizen contests an answer, complains or asks to be contacted; staff handle it.

A case is tied to the audit records it concerns. Its text is redacted before it gets here; the only
personal data kept is the contact the citizen chose to give, encrypted (AES-256-GCM) with its own
retention period. Every transition is an event naming who and when.

Modules: ``ids`` (case numbers), ``crypto`` (field encryption), ``tables`` (schema), ``store``
(:class:`~audit.cases.store.CaseStore`), ``errors``.
"""
