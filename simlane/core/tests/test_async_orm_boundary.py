"""Async code reaches the ORM only through each app's ``aio`` module (awaitable facades over selectors/services).

A query run on the event loop raises ``SynchronousOnlyOperation`` or, through Django's ``a*`` methods, spreads
thread hops and connection handling over the codebase; ``sync_to_async`` wrapping done anywhere but ``aio.py``
scatters the boundary. The walk reads every production module's syntax tree, so it needs no import of any app.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import simlane

ROOT = Path(simlane.__file__).parent

# Django's async ORM API (QuerySet, model instance and related-manager methods).
ASYNC_ORM_METHODS = frozenset(
    {
        *("aaggregate", "aadd", "abulk_create", "abulk_update", "aclear", "acontains", "acount", "acreate"),
        *("adelete", "aearliest", "aexists", "aexplain", "afirst", "aget", "aget_or_create", "ain_bulk"),
        *("aiterator", "alast", "alatest", "arefresh_from_db", "aremove", "asave", "aset", "aupdate"),
        "aupdate_or_create",
    }
)

# (module, finding) -> why it may stay. Every entry must still match something (a stale entry fails the test).
ALLOWED = {
    ("core/db.py", "sync_to_async"): (
        "close_async_connections closes the connections async work opened; it runs no query, and core, the bottom "
        "layer, has no aio module"
    ),
}


def findings(source: str) -> set[tuple[str, int]]:
    """(what, line) for each crossing in ``source``: ORM use inside an ``async def`` (nested functions and lambdas
    included: they are what gets wrapped in ``sync_to_async``), or ``sync_to_async`` named at all."""
    found: set[tuple[str, int]] = set()

    def walk(node: ast.AST, in_async: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_async or isinstance(child, ast.AsyncFunctionDef)
            if isinstance(child, ast.Attribute) and inside and child.attr == "objects":
                found.add((".objects", child.lineno))
            if isinstance(child, ast.Attribute) and inside and child.attr in ASYNC_ORM_METHODS:
                found.add((f".{child.attr}", child.lineno))
            if isinstance(child, ast.Name) and child.id == "sync_to_async":
                found.add(("sync_to_async", child.lineno))
            walk(child, inside)

    walk(ast.parse(source), in_async=False)
    return found


def production_modules() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
        and path.name not in {"aio.py", "conftest.py"}
    ]


def test_no_async_code_outside_aio_touches_the_orm():
    modules = production_modules()
    assert len(modules) > 100  # the walk found the apps' code
    seen = {
        (path.relative_to(ROOT).as_posix(), what, line)
        for path in modules
        for what, line in findings(path.read_text(encoding="utf-8"))
    }
    assert sorted(f"{module}:{line}: {what}" for module, what, line in seen if (module, what) not in ALLOWED) == []
    stale = set(ALLOWED) - {(module, what) for module, what, _ in seen}
    assert not stale, "an allowed exception no longer exists: remove it from ALLOWED"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "async def f():\n    return await Car.objects.acount()",
            {(".objects", 2), (".acount", 2)},
        ),
        ("async def f(row):\n    await row.asave()", {(".asave", 2)}),
        (
            "async def f():\n    return [c async for c in Car.objects.all()]",
            {(".objects", 2)},
        ),
        (
            "async def f():\n    def store():\n        Car.objects.update(name='x')\n    await run(store)",
            {(".objects", 3)},
        ),
        (
            "async def f():\n    await sync_to_async(lambda: Car.objects.count())()",
            {("sync_to_async", 2), (".objects", 2)},
        ),
        ("def f():\n    return Car.objects.count()", set()),  # synchronous code is the ORM's own side
        ("async def f(client):\n    return await client.get('cars')", set()),
    ],
    ids=["async-queryset", "async-save", "async-for", "nested-def", "sync_to_async", "sync-code", "no-orm"],
)
def test_the_walk_recognises_each_way_of_crossing(source, expected):
    assert findings(source) == expected
