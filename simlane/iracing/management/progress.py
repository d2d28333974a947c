"""A progress bar for the sync commands (none with ``--headless``)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import OutputWrapper


def progress_bar(err: OutputWrapper, *, headless: bool) -> Callable[[str, int, int], None] | None:
    if headless:
        return None

    def show(label: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(1, total)
        err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<16}", ending="")
        if done >= total:
            err.write("")
        err.flush()

    return show
