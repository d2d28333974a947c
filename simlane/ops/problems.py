"""Warnings and errors counted by logger and level: the ``simlane_problems_total`` metric (failures by kind).

No Django models here: the logging configuration loads this handler before Django's apps are ready.
"""

from __future__ import annotations

import logging

from prometheus_client import Counter

PROBLEMS = Counter("simlane_problems", "Warnings and errors logged by this process", ["logger", "level"])


class ProblemCounter(logging.Handler):
    """Counts every warning and error record (the root logger has it beside the console)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        PROBLEMS.labels(logger=record.name, level=record.levelname.lower()).inc()
