"""bot/rasa_serve.py, in the Rasa venv: the cached validator accepts and refuses what Rasa's own does, and
the model loaded without a training step is the model Rasa's own load gives."""

from __future__ import annotations

import json

import pytest

from bot.runner import model_is_current, model_path, train_if_needed
from bot.settings import PROJECT_ROOT

CHECK = """
import json, jsonschema
from rasa.core.actions.action import RemoteAction
original = RemoteAction._validate_action_result
import bot.rasa_serve as serve
serve.install_cached_reply_validator()
assert RemoteAction._validate_action_result is not original
action = RemoteAction.__new__(RemoteAction)
good = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "Hej"}]}
bad = [{"events": "not a list"}, {"events": [{"event": 5}]}, {"events": [{"no_event_key": 1}]}]
out = {"good": action._validate_action_result(good)}
for i, reply in enumerate(bad):
    ours = theirs = None
    try:
        action._validate_action_result(reply)
    except jsonschema.ValidationError as exc:
        ours = exc
    try:
        original(action, reply)
    except jsonschema.ValidationError as exc:
        theirs = exc
    out[f"bad{i}"] = [ours is not None, theirs is not None, str(ours) == str(theirs),
                      "Failed to validate Action server response" in str(ours)]
print(json.dumps(out))
"""


def test_the_cached_validator_judges_replies_exactly_as_rasa_does(in_rasa_venv):
    out = in_rasa_venv(CHECK)
    assert out["good"] is True
    for name in ("bad0", "bad1", "bad2"):
        assert out[name] == [True, True, True, True], (name, out[name])


LOAD_CHECK = r"""
import asyncio, hashlib, json, sys
from rasa.utils.tensorflow.models import RasaModel
import bot.rasa_serve as serve

if sys.argv[1] == "ours":
    serve.install_inference_only_model_load()
loaded = []
load = RasaModel.load.__func__

def recording(cls, *args, **kwargs):
    model = load(cls, *args, **kwargs)
    loaded.append(model)
    return model

RasaModel.load = classmethod(recording)
from rasa.core.agent import Agent

agent = Agent.load(sys.argv[2])
weights = {
    f"{type(model).__name__}/{variable.name}": hashlib.sha256(variable.numpy().tobytes()).hexdigest()
    for model in loaded
    for variable in model.weights
}
parses = []
for text in json.loads(sys.argv[3]):
    parse = asyncio.run(agent.parse_message(text))
    parses.append({
        "ranking": [[r["name"], r["confidence"]] for r in parse["intent_ranking"]],
        "entities": [[e["entity"], e["value"]] for e in parse.get("entities", [])],
    })
print(json.dumps({
    "models": sorted(type(model).__name__ for model in loaded),
    "trained_at_load": [getattr(model, "optimizer", None) is not None for model in loaded],
    "weights": weights,
    "parses": parses,
}))
"""

LOAD_QUESTIONS = [
    "När hämtas soporna?",
    "Var lämnar jag grovsopor och elavfall?",
    "Behöver jag bygglov för en altan?",
    "Hur söker jag förskoleplats?",
    "Kan jag få hemtjänst?",
    "När har kontaktcenter öppet?",
    "Jag vill klaga på snöröjningen",
    "jag vill prata med en människa",
    "How do I apply for a parking permit?",
    "hej",
]


@pytest.mark.e2e  # needs the trained model (trains it when it is missing or stale)
def test_the_model_loaded_without_a_training_step_is_the_model_rasa_loads(in_rasa_venv) -> None:
    """DIET and TED get the same weights, bit for bit, and the same parses as with Rasa's own load, and
    no optimizer is built (the training graph is what the fix keeps out of the Rasa server)."""
    if not model_is_current(PROJECT_ROOT):
        train_if_needed(PROJECT_ROOT)
    model = str(model_path(PROJECT_ROOT))
    questions = json.dumps(LOAD_QUESTIONS)
    theirs = in_rasa_venv(LOAD_CHECK, "rasa", model, questions)
    ours = in_rasa_venv(LOAD_CHECK, "ours", model, questions)
    assert theirs["models"] == ours["models"] == ["DIET", "TED"]
    assert theirs["trained_at_load"] == [True, True] and ours["trained_at_load"] == [False, False]
    assert len(ours["weights"]) > 20 and ours["weights"] == theirs["weights"]
    for question, mine, rasas in zip(LOAD_QUESTIONS, ours["parses"], theirs["parses"], strict=True):
        assert [name for name, _ in mine["ranking"]] == [name for name, _ in rasas["ranking"]], question
        assert [score for _, score in mine["ranking"]] == pytest.approx(
            [score for _, score in rasas["ranking"]], abs=1e-6
        ), question
        assert mine["entities"] == rasas["entities"], question
