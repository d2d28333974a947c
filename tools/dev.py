"""Set up ``.venv`` from the lock file if needed, then run SimLane or its tests.

    python3 tools/dev.py run [simlane run options]     # the main job (a demo when no credentials are set)
    python3 tools/dev.py test [pytest options]         # the whole test suite
    python3 tools/dev.py simlane COMMAND ...           # any other simlane command

Needs only ``python3`` (3.11 or newer) and ``pip``. The environment is rebuilt when requirements/lock.txt or
pyproject.toml change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".simlane-lock.sha256"
LOCK = ROOT / "requirements" / "lock.txt"


def _say(message: str) -> None:
    print(f"[simlane] {message}", flush=True)


def _run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def _digest() -> str:
    h = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        h.update(path.read_bytes())
    return h.hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on whatever python3 the user has
        sys.exit(f"SimLane needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        _say("creating .venv")
        try:
            _run(sys.executable, "-m", "venv", VENV)
        except subprocess.CalledProcessError:
            # Some distributions ship python3 without ensurepip; virtualenv from pip does the same job.
            _say("python3 -m venv failed; using virtualenv instead")
            _run(sys.executable, "-m", "pip", "install", "--user", "--quiet", "virtualenv")
            _run(sys.executable, "-m", "virtualenv", VENV)
    digest = _digest()
    if STAMP.exists() and STAMP.read_text().strip() == digest and (BIN / "simlane").exists():
        return
    _say("installing dependencies from requirements/lock.txt (first run only; takes a minute)")
    pip: list[str | Path] = [BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run(*pip, "--upgrade", "pip")
    _run(*pip, "-r", LOCK)
    _run(*pip, "--no-deps", "-e", ".")
    STAMP.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "simlane", "setup"}:
        print(__doc__)
        return 2
    ensure_venv()
    action, rest = argv[0], argv[1:]
    if action == "setup":
        return 0
    if action == "test":
        cmd = [str(BIN / "pytest"), *rest]
    elif action == "run":
        cmd = [str(BIN / "simlane"), "run", *rest]
    else:
        cmd = [str(BIN / "simlane"), *rest]
    os.chdir(ROOT)
    return subprocess.call(cmd)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
