"""Rasa's own command line, run in the Rasa venv (Python 3.10), with two measured fixes.

``python -m bot.rasa_serve run …`` takes exactly the arguments of ``rasa run …``.

1. *CPU.* Rasa 3.6 checks every reply of the action server with ``jsonschema.validate(reply, spec)``,
   which first validates the *schema itself* against the JSON Schema meta-schema, on every call.
   Profiled under load (py-spy, docs/performance.md) that meta-check was a third of the Rasa process's
   CPU. Here the schema is checked once at start and a validator built from it checks every reply: the
   same schema, the same best-matching error and message, without repeating the meta-check.
2. *Memory.* To load DIET's and TED's weights, Rasa 3.6 compiles each model with an optimizer and
   trains it on one example, only so that its variables exist before the weights are read. The traced
   training graph (forward pass, gradients, Adam) stays in the process: about 560 of the Rasa server's
   1,300 MB (docs/performance.md, "The eighth cut"). Here the weights are read into the model first and
   TensorFlow gives each variable its stored value as the model creates it, on the one prediction Rasa
   runs anyway to trace its predict function. Every variable the model makes must come from the file,
   or the load fails.

Nothing else of Rasa changes; our input channel and tracker store (``bot/rasa_channel.py``) are loaded
through Rasa's own settings.

This module imports only the standard library, jsonschema and Rasa, which the Rasa venv has.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


def install_cached_reply_validator() -> None:
    """Replace ``RemoteAction._validate_action_result`` with one that reuses a validator built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    spec = RemoteAction.action_response_format_spec()
    validator_class = validator_for(spec)
    validator_class.check_schema(spec)
    validator = validator_class(spec)

    def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        if isinstance(error, ValidationError):
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
        raise error

    RemoteAction._validate_action_result = validate_action_result


def install_inference_only_model_load() -> None:
    """Replace ``RasaModel.load`` with one that reads the weights without a training step.

    Rasa's own method stays for fine-tuning (which trains on), for a load without a prediction example
    and for a model configured to run eagerly.
    """
    from rasa.utils.tensorflow.constants import RUN_EAGERLY
    from rasa.utils.tensorflow.models import RasaModel

    rasa_load = RasaModel.load.__func__

    def load(
        cls: type[Any],
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if finetune_mode or predict_data_example is None or kwargs.get("config", {}).get(RUN_EAGERLY):
            return rasa_load(
                cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
            )
        model = cls(*args, **kwargs)
        # Read first: each variable the prediction below creates takes its value from the file.
        status = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)
        # No variable may keep its initial value; the optimizer's stored slots are not needed.
        status.assert_existing_objects_matched()
        status.expect_partial()
        return model

    RasaModel.load = classmethod(load)


def main(argv: list[str] | None = None) -> None:
    """Install the fixes, then hand over to Rasa's command line with the same arguments."""
    install_cached_reply_validator()
    install_inference_only_model_load()
    # Our channel and tracker store (bot/endpoints*.yml, bot/credentials.yml), imported here so that a
    # broken import stops Rasa at start: for an unknown store type Rasa would quietly keep conversations
    # in memory only.
    importlib.import_module("bot.rasa_channel")
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
