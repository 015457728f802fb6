"""bot/rasa_serve.py, in the Rasa venv: the cached validator accepts and refuses what Rasa's own does."""

from __future__ import annotations

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
