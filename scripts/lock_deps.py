"""Write the hashed lock files of both virtual environments from what is installed in them.

``make lock`` runs this after a dependency change (pyproject.toml, or the Rasa version in the Makefile):

1. ``pip freeze`` of the venv gives the exact version of every installed distribution (our own editable
   package left out);
2. ``pip install --dry-run --report`` with those pins, run by the venv's own pip (so the Python version and
   platform match), says which file pip would install for each and its SHA-256;
3. the lock file lists ``name==version --hash=sha256:…`` for each.

``make setup`` installs from the lock with ``pip install --require-hashes``: a changed or substituted file
on the index stops the install instead of running. One hash per distribution: the file for this kind of
machine (Linux x86-64, CPython 3.11 and 3.10); another platform regenerates the lock with ``make lock``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {
    ".venv": ROOT / "requirements" / "py311.lock",
    ".venv-rasa": ROOT / "requirements" / "rasa-py310.lock",
}
OWN_PACKAGE = "kommunsvar"
HEADER = (
    "# Hashed lock of {venv} ({python}), written by `make lock` (scripts/lock_deps.py); do not edit.\n"
    "# Installed by `make setup` with `pip install --require-hashes --no-deps -r {name}`.\n"
)


def _pip(venv: Path, *args: str) -> str:
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"pip {' '.join(args[:2])} failed in {venv}:\n{result.stderr[-2000:]}")
    return result.stdout


def pins(venv: Path) -> list[str]:
    """``name==version`` for every distribution in the venv but pip and our editable package."""
    lines = _pip(venv, "freeze", "--all", "--exclude-editable").splitlines()
    # pip itself is installed (pinned) by the Makefile before the lock; setuptools and wheel are locked.
    return sorted(
        (line for line in lines if "==" in line and not line.startswith(("#", "pip==", f"{OWN_PACKAGE}=="))),
        key=str.lower,
    )


def _file_sha256(url: str) -> str:
    digest = hashlib.sha256()
    with open(unquote(urlparse(url).path), "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hashes(venv: Path, pinned: list[str]) -> dict[str, str]:
    """SHA-256 of the file pip would install for each pin, keyed by the pin."""
    with tempfile.TemporaryDirectory() as tmp:
        pin_file = Path(tmp) / "pins.txt"
        pin_file.write_text("\n".join(pinned) + "\n")
        report_file = Path(tmp) / "report.json"
        _pip(
            venv,
            "install",
            "--dry-run",
            "--ignore-installed",
            "--no-deps",
            "--quiet",
            "--report",
            str(report_file),
            "-r",
            str(pin_file),
        )
        report = json.loads(report_file.read_text())
    found: dict[str, str] = {}
    for item in report["install"]:
        meta = item["metadata"]
        info = item["download_info"]
        archive = info.get("archive_info", {})
        sha = archive.get("hashes", {}).get("sha256") or (archive.get("hash", "").partition("sha256=")[2])
        if not sha and info["url"].startswith("file:"):
            sha = _file_sha256(info["url"])
        if not sha:
            raise SystemExit(f"no SHA-256 for {meta['name']} {meta['version']} ({info['url']})")
        found[_key(meta["name"])] = sha
    return found


def _key(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def lock(venv_name: str, source: Path | None = None) -> Path:
    """Write the lock file of one venv from ``source`` (default: the venv itself); returns its path."""
    venv = source or ROOT / venv_name
    if not (venv / "bin" / "python").exists():
        raise SystemExit(f"{venv} is missing: run `make setup` first")
    pinned = pins(venv)
    sha = hashes(venv, pinned)
    python = subprocess.run(
        [str(venv / "bin" / "python"), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    target = LOCKS[venv_name]
    target.parent.mkdir(exist_ok=True)
    lines = [HEADER.format(venv=venv_name, python=python, name=target.relative_to(ROOT))]
    for pin in pinned:
        name = _key(pin.split("==", 1)[0])
        if name not in sha:
            raise SystemExit(f"pip chose no file for {pin}")
        lines.append(f"{pin} \\\n    --hash=sha256:{sha[name]}\n")
    target.write_text("".join(lines))
    print(f"[kommunsvar] {target.relative_to(ROOT)}: {len(pinned)} distributions, each with its SHA-256")
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: lock both venvs (or the ones named)."""
    parser = argparse.ArgumentParser(prog="scripts/lock_deps.py")
    parser.add_argument(
        "--from",
        dest="sources",
        nargs=2,
        type=Path,
        metavar=("PY311_VENV", "RASA_VENV"),
        help="lock from these freshly resolved venvs instead of .venv and .venv-rasa",
    )
    args = parser.parse_args(argv)
    sources = args.sources or [None, None]
    for venv_name, source in zip(LOCKS, sources, strict=True):
        lock(venv_name, source.resolve() if source else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
