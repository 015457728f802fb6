"""Municipal chat questions from the repository, as extra training text for the NER model.

The Rasa NLU examples (``data/nlu/*.yml``) and the knowledge articles' example questions
(``data/knowledge/<topic>/*.yml``) are real-looking citizen messages: mostly lower case, short, without
names. They teach the model what chat text looks like. ``<PERSON_1>`` placeholders in them become
Faker names (PER); examples with other placeholders are left out. The PII evaluation set and the NLU
held-out set under ``data/eval`` are never read here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from guardrails.ner.corpus import PROJECT_ROOT
from guardrails.vault import PLACEHOLDER_PATTERN

DEFAULT_NLU_DIR = PROJECT_ROOT / "data" / "nlu"
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"

# Rasa entity markup: [text](entity) or [text]{"entity": ...}
_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
PERSON_SLOT = "{name}"


def _load_yaml(path: Path) -> Any:
    """Parse one YAML file; ``None`` when it cannot be read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


def to_template(example: str) -> str | None:
    """Strip entity markup and turn ``<PERSON_n>`` into a name slot.

    Returns:
        The text (with ``{name}`` slots), or ``None`` when it holds another kind of placeholder or is
        empty.
    """
    text = _MARKUP.sub(r"\1", example).strip()
    kinds = {m.group(1) for m in PLACEHOLDER_PATTERN.finditer(text)}
    if not text or kinds - {"PERSON"}:
        return None
    text = text.replace("{", "(").replace("}", ")")
    return PLACEHOLDER_PATTERN.sub(PERSON_SLOT, text)


def read_nlu_examples(nlu_dir: Path = DEFAULT_NLU_DIR) -> list[str]:
    """Training examples of every intent in ``nlu_dir`` (markup stripped, person slots kept)."""
    texts: list[str] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        data = _load_yaml(path)
        items = data.get("nlu") if isinstance(data, dict) else None
        for item in items or []:
            examples = item.get("examples") if isinstance(item, dict) else None
            if not isinstance(examples, str):
                continue
            for line in examples.splitlines():
                line = line.strip()
                if line.startswith("- "):
                    template = to_template(line[2:])
                    if template:
                        texts.append(template)
    return texts


def read_knowledge_questions(knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR) -> list[str]:
    """Swedish and English example questions of every knowledge article in ``knowledge_dir``."""
    texts: list[str] = []
    for path in sorted(knowledge_dir.glob("*/*.yml")):
        data = _load_yaml(path)
        questions = data.get("example_questions") if isinstance(data, dict) else None
        if not isinstance(questions, dict):
            continue
        for lang in ("sv", "en"):
            for question in questions.get(lang) or []:
                template = to_template(str(question))
                if template:
                    texts.append(template)
    return texts
