"""Import Presidio without dragging in PyTorch and Hugging Face Transformers.

``presidio_analyzer`` imports ``transformers.pipeline`` (for its optional ``TransformersNlpEngine``) and,
through ``thinc``, ``torch`` whenever they are installed — they are here, for other parts of Kommunsvar.
Measured on this machine: ``import presidio_analyzer`` then takes 8-12 s and ~500 MB RSS; without them
2-3 s and ~130 MB. We use neither (no NLP engine, our own recognizers), so while Presidio is first
imported both are hidden; afterwards they import normally for any other code in the process.
Consequence: Presidio's ``TransformersNlpEngine`` and thinc's PyTorch wrappers are unavailable in a
process that imported ``guardrails`` first.
"""

from __future__ import annotations

import importlib.util
import sys

_HIDDEN = ("transformers", "torch")


def import_presidio_lean() -> None:
    """Import ``presidio_analyzer`` and ``presidio_anonymizer`` with torch/transformers hidden."""
    if "presidio_analyzer" in sys.modules or importlib.util.find_spec("presidio_analyzer") is None:
        return  # already imported, or not installed (Rasa's venv reads only guardrails.log_setup)
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" raise ImportError
    try:
        import presidio_analyzer  # noqa: F401
        import presidio_anonymizer  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
