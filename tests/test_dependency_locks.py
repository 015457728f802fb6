"""The hashed lock files: complete, exact, hashed, consistent with pyproject.toml and with this venv."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PY311_LOCK = ROOT / "requirements" / "py311.lock"
RASA_LOCK = ROOT / "requirements" / "rasa-py310.lock"
ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+) \\$")
HASH = re.compile(r"^    --hash=sha256:[0-9a-f]{64}$")


def read_lock(path: Path) -> dict[str, str]:
    """{canonical name: version}; fails on any line that is not a pin or its hash."""
    pins: dict[str, str] = {}
    last = None
    for line in path.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        entry = ENTRY.match(line)
        if entry:
            assert last is None, f"{path.name}: {last} has no hash"
            last = canonicalize_name(entry["name"])
            assert last not in pins, f"{path.name}: {last} twice"
            pins[last] = entry["version"]
            continue
        assert HASH.match(line), f"{path.name}: unexpected line {line!r}"
        assert last is not None, f"{path.name}: a hash without its pin"
        last = None
    assert last is None, f"{path.name}: {last} has no hash"
    return pins


def _audit_deps():
    spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_declared_dependency_is_locked_at_a_version_it_allows():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    pins = read_lock(PY311_LOCK)
    assert len(pins) > len(declared)  # the transitive dependencies are locked too
    # the extras' own dependencies: psycopg[binary], limits[redis]
    assert {"psycopg-binary", "redis"} <= set(pins)
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {PY311_LOCK.name}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{text} vs {pins[name]}"


def test_the_rasa_lock_holds_rasa_3_6_and_no_project_code():
    pins = read_lock(RASA_LOCK)
    assert pins["rasa"] == "3.6.21"
    assert "kommunsvar" not in pins and "pip" not in pins
    assert "kommunsvar" not in read_lock(PY311_LOCK)


def test_this_venv_is_installed_from_the_lock():
    for name, version in read_lock(PY311_LOCK).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"{name} is locked but not installed: run `make setup`")
        assert installed == version, f"{name}: installed {installed}, locked {version}"


def test_a_lock_line_without_hash_is_refused(tmp_path):
    bad = tmp_path / "bad.lock"
    bad.write_text("requests==2.31.0\n")
    with pytest.raises(AssertionError, match="unexpected line"):
        read_lock(bad)
    bad.write_text("requests==2.31.0 \\\nidna==3.7 \\\n    --hash=sha256:" + "a" * 64 + "\n")
    with pytest.raises(AssertionError, match="requests has no hash"):
        read_lock(bad)


def test_an_accepted_vulnerability_needs_its_reason(tmp_path):
    audit_deps = _audit_deps()
    good = tmp_path / "ok.txt"
    good.write_text("# comment\nGHSA-xxxx-yyyy-zzzz  # only reachable through X, which we do not use\n")
    assert audit_deps.accepted_ids(good) == ["GHSA-xxxx-yyyy-zzzz"]
    bad = tmp_path / "bad.txt"
    bad.write_text("PYSEC-2024-1\n")
    with pytest.raises(SystemExit, match="no reason"):
        audit_deps.accepted_ids(bad)
    assert audit_deps.accepted_ids() == []  # nothing accepted today (README, "Security")


def test_pip_audit_reports_are_read_honestly():
    classify = _audit_deps().classify
    # PyPI answered 404 for every package: pip-audit says "No known vulnerabilities", we say not audited.
    skipped = {"dependencies": [{"name": "a", "skip_reason": "not found"}, {"name": "b", "skip_reason": "x"}]}
    assert classify(skipped)[0] == "unreachable"
    clean = {"dependencies": [{"name": "a", "version": "1", "vulns": []}]}
    assert classify(clean) == ("ok", [])
    partial = {
        "dependencies": [{"name": "a", "version": "1", "vulns": []}, {"name": "b", "skip_reason": "x"}]
    }
    assert classify(partial) == ("ok", ["not audited: b (x)"])
    vulnerable = {
        "dependencies": [{"name": "a", "version": "1", "vulns": [{"id": "GHSA-1", "fix_versions": ["2"]}]}]
    }
    assert classify(vulnerable) == ("findings", ["a 1: GHSA-1 (fixed in 2)"])
