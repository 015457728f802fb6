"""``python -m cases purge`` (see :mod:`cases.cli`)."""

from __future__ import annotations

from cases.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
