"""Finding finished races (the poller) and posting them exactly once (the outbox)."""

from .ingest import SubsessionFetcher
from .outbox import DestinationError, Outbox, OutboxPolicy, Publisher, RejectedError, RetryLaterError
from .policy import PollPolicy
from .runner import ResultsRunner
from .strategy import CycleReport, ResultsPoller

__all__ = [
    "CycleReport",
    "DestinationError",
    "Outbox",
    "OutboxPolicy",
    "PollPolicy",
    "Publisher",
    "RejectedError",
    "ResultsPoller",
    "ResultsRunner",
    "RetryLaterError",
    "SubsessionFetcher",
]
