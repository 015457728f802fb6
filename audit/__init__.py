"""Kommunsvar's audit trail: a tamper-evident record of every automated answer.

Entry points: :func:`audit.log.open_audit_log`, :func:`audit.explain.explain`, ``python -m audit``.
"""
