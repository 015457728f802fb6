"""``content`` imports nothing of Kommunsvar's but ``content`` itself (ARCHITECTURE §3)."""

from __future__ import annotations

import ast

from content.paths import PROJECT_ROOT

OURS = {"actions", "audit", "bot", "cases", "content", "guardrails", "scripts", "tests"}


def _imported(path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


# The one exception (pyproject's import contracts say the same): the site import checks published pages
# for personal data with the guardrails' redactor and name lexicon.
ALLOWED = {
    ("content/site/scan.py", "guardrails.redactor"),
    ("content/site/scan.py", "guardrails.ner.lexicon"),
    ("content/site/scan.py", "guardrails.ner.pipeline"),
}


def test_content_imports_only_content() -> None:
    wrong = {
        (str(path.relative_to(PROJECT_ROOT)), name)
        for path in sorted((PROJECT_ROOT / "content").rglob("*.py"))
        for name in _imported(path)
        if name.split(".")[0] in OURS - {"content"}
    }
    assert wrong == ALLOWED
