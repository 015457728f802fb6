"""The municipality's published web pages as a second tier of approved content (ADR 0013).

``extract`` cuts a saved HTML page into passages by heading, ``importer`` brings a folder or sitemap into
the ``store`` (with a report of what is new, changed, removed, skipped or flagged), and ``index`` ranks
the active passages for a question and trims the best one to the sentences that answer it.
"""
