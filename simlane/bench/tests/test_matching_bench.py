"""`simlane bench matching` at its default size, as CI runs it: the automatic iRacing proposals for a simulated
1,000-member server must stay at precision ≥ 99 % and recall ≥ 95 %, by the definitions the command prints
(``MatchingResult.precision`` and ``.recall``)."""

from __future__ import annotations

import pytest

from simlane.bench.management.commands.bench import Command
from simlane.bench.matching import run_matching_bench

pytestmark = pytest.mark.django_db(transaction=True)


def test_matching_reaches_99_percent_precision_and_95_percent_recall():
    # The command's own defaults; the command only adds a throw-away database, which the test database already is.
    opts = Command().create_parser("simlane", "bench").parse_args(["matching"])
    assert (opts.members, opts.world, opts.seed) == (1000, 1200, 1)
    r = run_matching_bench(members=opts.members, world_members=opts.world, seed=opts.seed)
    assert r.members == 1000 and r.proposals > 100 and r.identifiable > 90  # a real run, not an empty one
    assert r.precision >= 0.99, f"precision {r.correct}/{r.proposals}; wrong: {r.wrong[:5]}"
    assert r.recall >= 0.95, f"recall {r.found}/{r.identifiable}"
