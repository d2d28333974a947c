"""Benchmark: SimLane's member matching on a simulated Discord server with known ground truth.

The iRacing side is the simulator's world (its members have accented, emoji and markdown names), served over HTTP
and read through SimLane's own client; the server's league is the world's league 7001. The Discord side is a
server of ``members`` people built from a seeded random draw, each with the iRacing account they really own (or
none), and a nickname of one of these kinds:

- ``name``: their iRacing name as iRacing writes it, with what people put around it: other case, a team tag
  (``[ABC] Name``, ``ABC | Name``, ``Name - ABC``), a car number (``#23``), emoji, decorations (``xX Name Xx``);
- ``no_accents``: the same with the accents left out (``Jurgen Muller``);
- ``not_name``: someone with an account whose nickname is not their name (a gamer tag, a first name alone);
- ``no_account``: someone with no iRacing account (gamer tags, names nobody in the world has);
- ``alt``: a second Discord account of someone above, with the same nickname (a duplicate).

The sync and the matcher run exactly as in the bot (``member_sync_full``, then ``match_club``), on a throw-away
database. The figures (defined again in the output):

- precision = correct automatic proposals / automatic proposals (an automatic proposal is one account proposed
  for one member that no other member is proposed: what ``/members review`` offers to confirm);
- recall = correct automatic proposals for ``name`` members whose name no other iRacing member shares / such
  members. A name two iRacing members share cannot be told apart from a nickname; SimLane lists it as a conflict,
  which the output counts separately, with the strict recall over every ``name`` member beside it.
"""

from __future__ import annotations

import asyncio
import random
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.test import override_settings

from simlane.bench import aio as bench_aio
from simlane.clubs import aio as clubs_aio
from simlane.clubs.matcher import match_club
from simlane.clubs.membersync import MemberSnapshot
from simlane.clubs.models import ClubRole
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator import names as world_names
from simlane.iracing.simulator.local import demo_client_config

RATE_LIMIT = 240  # iRacing's /data budget per minute
T0 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
GUILD_ID = 990_000_000_000_000_001
KINDS = ("name", "no_accents", "not_name", "no_account", "alt")
SHARE = {"name": 0.74, "no_accents": 0.05, "not_name": 0.08, "no_account": 0.10, "alt": 0.03}
TAGS = ["APX", "NRD", "VLC", "GT3", "PIT", "ZRH"]
GAMER_TAGS = ["TurboSnail", "Apex Hunter", "LateBraker", "Sideways Sam", "Pit Wall", "DRS Zone", "Blue Flag"]
OUTSIDERS_FIRST = ["Tobias", "Hannah", "Marek", "Elin", "Jonas", "Aoife", "Bruno", "Carla"]
OUTSIDERS_LAST = ["Berger", "Quinn", "Horvat", "Lindqvist", "Moreau", "Tanaka", "Oyelaran", "Ferrari"]
EMOJI = ["🏎️", "🏁", "🇧🇷", "🔥", "⚡"]


@dataclass(frozen=True)
class Person:
    discord_user_id: int
    nickname: str
    cust_id: int | None
    kind: str


@dataclass
class MatchingResult:
    members: int
    world_members: int
    roster: int
    kinds: Counter[str]
    proposals: int
    correct: int
    identifiable: int
    found: int
    name_members: int
    name_found: int
    no_accents: int
    no_accents_found: int
    shared_names: int
    shared_as_conflict: int
    conflicts: Counter[str]
    lookups: int
    unchecked: int
    simulated_seconds: float
    wall_seconds: float
    wrong: list[tuple[str, int | None, int | None]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.proposals if self.proposals else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.identifiable if self.identifiable else 1.0


def _strip_accents(text: str) -> str:
    text = text.translate({ord("ø"): "o", ord("Ø"): "O", ord("ł"): "l", ord("Ł"): "L"})
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def base_name(display_name: str) -> str:
    """The person's name in a world display name: the world's own decoration templates taken off."""
    # Longest decoration first: "**{name}**" before "*{name}*".
    for template in sorted(world_names.DECORATIONS, key=len, reverse=True):
        before, _, after = template.partition("{name}")
        if display_name.startswith(before) and display_name.endswith(after) and len(display_name) > len(template):
            return display_name[len(before) : len(display_name) - len(after)]
    return display_name


def _around(name: str, rng: random.Random) -> str:
    """A name as people write it in a server nickname."""
    style = rng.randrange(9)
    tag, number = rng.choice(TAGS), rng.randint(1, 99)
    if style == 1:
        name = name.lower()
    elif style == 2:
        name = name.upper()
    if rng.random() < 0.4:
        name = rng.choice([f"[{tag}] {name}", f"{tag} | {name}", f"{name} - {tag}", f"{name} ({tag})"])
    if rng.random() < 0.3:
        name = rng.choice([f"{name} #{number}", f"#{number} {name}", f"{name} {number}"])
    if rng.random() < 0.25:
        name = f"{name} {rng.choice(EMOJI)}"
    if rng.random() < 0.05:
        name = f"xX {name} Xx"
    return name


def build_server(world_members: list[tuple[int, str]], *, size: int, seed: int) -> list[Person]:
    """The simulated Discord server: ``size`` people, each with a nickname and the account they really own."""
    rng = random.Random(seed)
    accounts = list(world_members)
    rng.shuffle(accounts)
    people: list[Person] = []
    next_id = iter(range(10**15, 10**16))
    kinds = rng.choices(list(SHARE), weights=list(SHARE.values()), k=size)
    for kind in kinds:
        uid = next(next_id)
        if kind == "alt" and people:
            twin = rng.choice([p for p in people if p.kind == "name"] or people)
            people.append(Person(uid, twin.nickname, None, "alt"))
            continue
        if kind in ("no_account", "alt"):
            nick = rng.choice([rng.choice(GAMER_TAGS), f"{rng.choice(OUTSIDERS_FIRST)} {rng.choice(OUTSIDERS_LAST)}"])
            people.append(Person(uid, _around(nick, rng), None, "no_account"))
            continue
        cust_id, display = accounts.pop()
        if kind == "name":
            nick = _around(display, rng)
        elif kind == "no_accents":
            nick = _around(_strip_accents(display), rng)
        else:
            nick = rng.choice([rng.choice(GAMER_TAGS), base_name(display).split()[0]])
        people.append(Person(uid, nick[:32], cust_id, kind))
    return people


async def _run(size: int, world_size: int, seed: int, league_id: int) -> MatchingResult:
    clock = SimClock(start=T0.timestamp(), speed=0)
    config = SimulatorConfig(members=world_size, seed=seed, request_cost=60.0 / RATE_LIMIT)
    sim = Simulator(config, clock=clock)
    await sim.start()
    try:
        world = sim.world
        people = build_server([(m.cust_id, m.display_name) for m in world.members], size=size, seed=seed)
        snapshots = [
            MemberSnapshot(p.discord_user_id, f"user{p.discord_user_id}", p.nickname, p.nickname, ClubRole.MEMBER)
            for p in people
        ]
        club = await bench_aio.matching_club_setup(
            guild_id=GUILD_ID, name="Benchmark Cup", members=snapshots, league_id=league_id
        )
        t0, sim0 = time.perf_counter(), clock.time()
        async with IRacingClient(demo_client_config(sim.base_url), clock=clock) as client:
            report = await match_club(club=club, client=client, max_lookups=10 * size)
        wall, simulated = time.perf_counter() - t0, clock.time() - sim0
        proposals = await clubs_aio.member_proposals(club)
        conflicts = await clubs_aio.member_conflicts(club)
    finally:
        await sim.stop()

    truth = {p.discord_user_id: p for p in people}
    proposed = {p.member.discord_user_id: p.cust_id for p in proposals}
    in_conflict = {p.member.discord_user_id for c in conflicts for p in c.proposals}
    shared = Counter(base_name(m.display_name).casefold() for m in world.members)
    display = {m.cust_id: m.display_name for m in world.members}

    def name_shared(p: Person) -> bool:
        return p.cust_id is not None and shared[base_name(display[p.cust_id]).casefold()] > 1

    named = [p for p in people if p.kind == "name"]
    identifiable = [p for p in named if not name_shared(p)]
    shared_named = [p for p in named if name_shared(p)]
    no_accents = [p for p in people if p.kind == "no_accents"]
    return MatchingResult(
        members=size,
        world_members=world_size,
        roster=len(world.league_by_id[league_id].roster),
        kinds=Counter(p.kind for p in people),
        proposals=len(proposed),
        correct=sum(truth[u].cust_id == c for u, c in proposed.items()),
        identifiable=len(identifiable),
        found=sum(proposed.get(p.discord_user_id) == p.cust_id for p in identifiable),
        name_members=len(named),
        name_found=sum(proposed.get(p.discord_user_id) == p.cust_id for p in named),
        no_accents=len(no_accents),
        no_accents_found=sum(proposed.get(p.discord_user_id) == p.cust_id for p in no_accents),
        shared_names=len(shared_named),
        shared_as_conflict=sum(p.discord_user_id in in_conflict for p in shared_named),
        conflicts=Counter(c.kind for c in conflicts),
        lookups=report.lookups,
        unchecked=report.unchecked + report.too_common,
        simulated_seconds=simulated,
        wall_seconds=wall,
        wrong=[(truth[u].nickname, truth[u].cust_id, c) for u, c in proposed.items() if truth[u].cust_id != c],
    )


def run_matching_bench(*, members: int, world_members: int, seed: int, league_id: int = 7001) -> MatchingResult:
    # A cache of its own: lookups of the simulated world never mix with SimLane's real ones, and every run starts
    # cold, so the lookup count is what a first sync costs.
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-matching"}}
    with override_settings(CACHES=local):
        return asyncio.run(_run(members, world_members, seed, league_id))
