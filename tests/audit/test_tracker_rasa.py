"""Our purge against a tracker store written by Rasa 3.6 itself (run in ``.venv-rasa``).

Checks the schema we mirror, that a forgotten conversation is gone for Rasa too, and that after an
age purge Rasa still reads and extends a live conversation correctly (no lost or doubled events).
"""

from __future__ import annotations

import json
import subprocess
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from required_services import rasa_python
from sqlalchemy import create_engine, inspect

from audit.tracker import TrackerStore, events

pytestmark = pytest.mark.slow

DAY = 86400.0
RASA = textwrap.dedent(
    """
    import asyncio, json, sys, warnings
    warnings.simplefilter("ignore")
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import (
        ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered)
    from rasa.shared.core.trackers import DialogueStateTracker

    args = json.loads(sys.argv[1])
    domain = Domain.from_yaml(
        "version: '3.1'\\nslots:\\n  case_message:\\n    type: text\\n    mappings: [{type: custom}]\\n")
    store = SQLTrackerStore(domain, host=args["url"])

    def session(start, text):
        out = [ActionExecuted("action_session_start", timestamp=start),
               SessionStarted(timestamp=start + 0.001),
               ActionExecuted("action_listen", timestamp=start + 0.002),
               UserUttered(text, {"name": "complaint", "confidence": 0.9}, timestamp=start + 1),
               SlotSet("case_message", text, timestamp=start + 1.5),
               BotUttered("Tack!", timestamp=start + 2)]
        return out

    async def main():
        result = {}
        if args["mode"] == "write":
            for sender, sessions in args["senders"].items():
                for start, text in sessions:  # as Rasa does: load the stored tracker, add, save
                    tracker = await store.retrieve(sender) or DialogueStateTracker(sender, domain.slots)
                    for event in session(start, text):
                        tracker.update(event)
                    await store.save(tracker)
        else:
            for sender in args["senders"]:
                tracker = await store.retrieve(sender)
                if tracker is None:
                    result[sender] = None
                    continue
                texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
                if args["mode"] == "extend":
                    tracker.update(UserUttered("en fråga till", timestamp=args["now"]))
                    await store.save(tracker)
                result[sender] = {"texts": texts, "slot": tracker.get_slot("case_message")}
        print("RESULT" + json.dumps(result))

    asyncio.run(main())
    """
)


def _rasa(python: str, tmp_path: Path, **args: object) -> dict[str, object]:
    done = subprocess.run(
        [python, "-c", RASA, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT"))
    return dict(json.loads(line.removeprefix("RESULT")))


def _schema(url: str) -> tuple[object, ...]:
    engine = create_engine(url)
    found = inspect(engine)
    columns = [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns("events")]
    indexes = sorted((tuple(i["column_names"]), i["unique"]) for i in found.get_indexes("events"))
    primary = found.get_pk_constraint("events")["constrained_columns"]
    engine.dispose()
    return columns, indexes, primary


def test_purge_of_a_store_rasa_wrote(tmp_path: Path) -> None:
    python = rasa_python()
    path = tmp_path / "rasa-tracker.db"
    url = f"sqlite:///{path}"
    now = time.time()
    secret = "Mitt personnummer <PERSONNUMMER_1> och kvittot Plommonvägen"
    _rasa(
        python,
        tmp_path,
        mode="write",
        url=url,
        senders={
            "c_forget": [[now - 600, secret]],
            "c_idle": [[now - 3 * DAY, secret + " (gammal)"]],
            "c_live": [[now - 5 * DAY, secret + " (förra sessionen)"], [now - 600, "När hämtas soporna?"]],
        },
    )

    # The table Rasa created is the one we mirror, column for column (types, nullability, index).
    ours = tmp_path / "ours.db"
    events.metadata.create_all(create_engine(f"sqlite:///{ours}"))
    assert _schema(url) == _schema(f"sqlite:///{ours}")

    store = TrackerStore(url)
    assert store.forget("c_forget").events_deleted == 6
    moment = datetime.fromtimestamp(now, UTC)
    report = store.purge_expired(moment - timedelta(days=1))
    store.close()
    assert report.events_deleted == 6 + 6 and report.conversations == 2  # c_idle, c_live's old session
    data = path.read_bytes()
    assert b"Plommonv" not in data and b"PERSONNUMMER_1" not in data

    seen = _rasa(python, tmp_path, mode="extend", url=url, now=now, senders=["c_forget", "c_idle", "c_live"])
    assert seen["c_forget"] is None and seen["c_idle"] is None
    assert seen["c_live"] == {"texts": ["När hämtas soporna?"], "slot": "När hämtas soporna?"}
    # Rasa appended exactly the new event: nothing lost, nothing written twice.
    again = _rasa(python, tmp_path, mode="read", url=url, senders=["c_live"])
    assert again["c_live"] == {
        "texts": ["När hämtas soporna?", "en fråga till"],
        "slot": "När hämtas soporna?",
    }
