"""Matching a club's members to iRacing accounts: the league roster and iRacing's driver lookup together.

The roster is compared folded, so it finds names written without their accents (the lookup matches accents as
written); the lookup finds everyone else of the same name, so a roster member's name shared with someone outside
the league is a conflict, not a proposal.

Lookups are cached (a day, keyed by the sha256 of the folded term) and bounded per run: a big server is matched
over several runs rather than spending the whole iRacing budget at once; members left over are counted as
unchecked and keep whatever they had. An iRacing failure stops the lookups of that run, never the sync.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass

from simlane.iracing.client import IRacingClient, IRacingError

from . import aio
from .matching import NO_MATCH, Candidate, Outcome, match, name_parts
from .models import Club

log = logging.getLogger(__name__)

# lookup/drivers answers at most this many drivers; a full answer may leave out more drivers of the same name, so a
# single match in it proves nothing.
LOOKUP_CAP = 25
LOOKUP_CACHE_SECONDS = 24 * 3600
MAX_LOOKUPS = 300
LOOKUP_CONCURRENCY = 4


@dataclass
class MatchReport:
    checked: int = 0
    unchecked: int = 0  # over the lookup budget, or iRacing failed: tried again next run
    too_common: int = 0  # only a full lookup page matched: more drivers may share the name
    lookups: int = 0  # lookup/drivers calls made (cache misses)
    proposals: int = 0  # open, ready to confirm, after this run
    conflicts: int = 0  # open conflicts after this run
    roster_error: str = ""
    lookup_error: str = ""


def _cache_key(term: str) -> str:
    return "clubs:lookup:" + hashlib.sha256(term.casefold().encode()).hexdigest()


class DriverLookup:
    """``lookup/drivers`` with a shared cache and a call budget."""

    def __init__(self, client: IRacingClient, *, budget: int) -> None:
        self.client, self.budget, self.calls = client, budget, 0
        self.results: dict[str, tuple[list[Candidate], bool]] = {}  # by casefolded term
        self.error = ""

    async def fetch(self, terms: list[str]) -> None:
        """Look up the terms not cached yet, within budget; stop at the first iRacing failure."""
        todo: list[str] = []
        for term in dict.fromkeys(t.casefold() for t in terms):  # iRacing's search ignores case
            cached = await aio.cache_get(_cache_key(term))
            if cached is not None:
                rows = [Candidate(c, n, "lookup") for c, n in cached]
                self.results[term] = (rows, len(rows) >= LOOKUP_CAP)
            elif len(todo) < self.budget - self.calls:
                todo.append(term)
        for start in range(0, len(todo), LOOKUP_CONCURRENCY):
            if self.error:
                return
            batch = todo[start : start + LOOKUP_CONCURRENCY]
            found = await asyncio.gather(*(self.client.lookup_drivers(t) for t in batch), return_exceptions=True)
            for term, answer in zip(batch, found, strict=True):
                if isinstance(answer, IRacingError):
                    self.error = self.error or str(answer)
                    continue
                if isinstance(answer, BaseException):
                    raise answer
                self.calls += 1
                pairs = [(d.cust_id, d.display_name) for d in answer]
                await aio.cache_set(_cache_key(term), pairs, LOOKUP_CACHE_SECONDS)
                self.results[term] = ([Candidate(c, n, "lookup") for c, n in pairs], len(pairs) >= LOOKUP_CAP)


async def _roster(client: IRacingClient, league_id: int) -> list[Candidate]:
    roster = await client.league_roster(league_id)
    return [Candidate(m.cust_id, m.display_name, "roster") for m in roster.roster]


def search_term(part: str) -> str:
    """What to ask lookup/drivers for a name: its first two words as typed.

    iRacing searches a substring of the display name, so the words that follow (a middle name, "Racing" written
    "_Racing_" in iRacing) would only hide the driver; the folded comparison afterwards wants the whole name.
    """
    return " ".join(part.split()[:2])


def _only_in_roster(nickname: str, parts: list[str], roster: list[Candidate], lookup: DriverLookup) -> list[Candidate]:
    """Roster drivers the nickname matches that its own lookups did not return."""
    seen = {c.cust_id for p in parts for c in lookup.results.get(search_term(p).casefold(), ([], False))[0]}
    return [c for c in match(nickname, roster).candidates if c.cust_id not in seen]


def nickname_of(display_name: str, username: str) -> str:
    return display_name or username


async def outcomes_for(
    nicknames: dict[int, str], *, client: IRacingClient | None, league_id: int | None, max_lookups: int
) -> tuple[dict[int, Outcome], MatchReport]:
    """The outcome per key of ``nicknames`` (keys are the caller's: member ids); keys left out are unchecked."""
    report = MatchReport()
    roster: list[Candidate] = []
    if client is not None and league_id:
        try:
            roster = await _roster(client, league_id)
        except IRacingError as exc:
            report.roster_error = str(exc)
    outcomes: dict[int, Outcome] = {}
    need_lookup: dict[int, list[str]] = {}
    for key, nickname in nicknames.items():
        parts = name_parts(nickname)
        if not parts:
            outcomes[key] = NO_MATCH
            continue
        if client is None:
            outcomes[key] = NO_MATCH
        else:
            # Even a name found in the roster is looked up: someone outside the league may have it too.
            need_lookup[key] = parts
    if client is not None and need_lookup:
        lookup = DriverLookup(client, budget=max_lookups)
        await lookup.fetch([search_term(p) for parts in need_lookup.values() for p in parts])
        # A roster driver found only by folding (the nickname left out the accents) was invisible to the lookup,
        # and so was anyone else of that name: ask iRacing for the name as the roster writes it.
        spelled: dict[int, list[str]] = {}
        for key, parts in need_lookup.items():
            for driver in _only_in_roster(nicknames[key], parts, roster, lookup):
                spelled.setdefault(key, []).extend(search_term(p) for p in name_parts(driver.display_name)[:1])
        await lookup.fetch([t for terms in spelled.values() for t in terms])
        report.lookups, report.lookup_error = lookup.calls, lookup.error
        for key, parts in need_lookup.items():
            terms = [search_term(p).casefold() for p in parts] + [t.casefold() for t in spelled.get(key, [])]
            answers = [lookup.results[t] for t in terms if t in lookup.results]
            if len(answers) < len(terms):
                report.unchecked += 1
                continue
            outcome = match(nicknames[key], [*roster, *(c for rows, _ in answers for c in rows)])
            full = any(truncated for _, truncated in answers)
            if outcome.proposal is not None and full:
                report.too_common += 1
                outcome = NO_MATCH
            outcomes[key] = outcome
    report.checked = len(outcomes)
    return outcomes, report


async def match_club(*, club: Club, client: IRacingClient | None, max_lookups: int = MAX_LOOKUPS) -> MatchReport:
    """Propose iRacing accounts for the club's unlinked members and store the outcomes; the open totals after."""
    members = await aio.members_to_match(club)
    nicknames = {m.pk: nickname_of(m.display_name, m.username) for m in members}
    league_id = await aio.club_league_id(club)
    outcomes, report = await outcomes_for(nicknames, client=client, league_id=league_id, max_lookups=max_lookups)
    # An account another member already holds here is not proposed again (that member confirmed or proved it).
    taken = await aio.linked_accounts(club)
    outcomes = {k: Outcome(tuple(c for c in o.candidates if c.cust_id not in taken)) for k, o in outcomes.items()}
    await aio.proposals_store(club=club, outcomes={k: (nicknames[k], o) for k, o in outcomes.items()})
    report.proposals = len(await aio.member_proposals(club))
    report.conflicts = len(await aio.member_conflicts(club))
    log.info("matching in %s: %s", club.guild_id, report)
    return report
