"""Comments and docs state facts themselves; they never cite documents that live outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import simlane

REPO = Path(simlane.__file__).parent.parent
# Built from pieces so that this file does not match itself.
CITATION = re.compile(
    "|".join(
        ["fact" + " sheet", "seed" + " 00", "[Tt]he" + " seed", "shared" + "/reference", "discord" + r"\.md", "\u00a7"]
    )
)
WHERE = ["simlane", "config", "docs", "tools", ".ci", "README.md"]


def test_nothing_cites_a_document_outside_the_repository():
    files = [p for top in WHERE for p in ([REPO / top] if (REPO / top).is_file() else (REPO / top).rglob("*"))]
    texts = [p for p in files if p.is_file() and ".venv" not in p.parts and "__pycache__" not in p.parts]
    assert len(texts) > 100
    hits = []
    for path in texts:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files (recorded payloads compressed, images) hold no prose
        hits += [
            f"{path.relative_to(REPO)}:{n}" for n, line in enumerate(text.splitlines(), 1) if CITATION.search(line)
        ]
    assert hits == []
