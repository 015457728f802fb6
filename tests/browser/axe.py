"""The axe-core accessibility audit (WCAG 2.1 A and AA rules) run inside a Playwright page.

axe-core is fetched by ``make browser-deps`` (pinned version, checked SHA-256) into ``var/vendor``. The
script is evaluated through the DevTools protocol, so the pages' Content-Security-Policy (no inline
scripts) stays as shipped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bot.settings import PROJECT_ROOT

AXE_VERSION = "4.11.0"
AXE_JS = PROJECT_ROOT / "var" / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    """The axe-core script (the test fails in CI, and skips elsewhere, when it was not fetched)."""
    if not Path(AXE_JS).is_file():
        reason = f"axe-core is not at {AXE_JS} (run `make browser-deps`)"
        if os.environ.get("KOMMUNSVAR_REQUIRE_SERVICES"):
            pytest.fail(reason)
        pytest.skip(reason)
    return Path(AXE_JS).read_text(encoding="utf-8")


def violations(page: Any) -> list[dict[str, Any]]:
    """axe's WCAG 2.1 A/AA violations of the page as it is now: rule, impact, help and the first nodes."""
    page.evaluate(axe_source())
    return list(
        page.evaluate(
            """async (tags) => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
              return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
              }));
            }""",
            WCAG_21_AA,
        )
    )
