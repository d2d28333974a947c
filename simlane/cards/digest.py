"""The weekly digest: a server's tracked drivers' week in one picture and a short embed.

Due at the weekday and hour (UTC) the server picked; it covers the results SimLane posted for the server in the
seven days before. Each (server, due moment) is claimed once in ``DigestPost``: counted before each send, looked
for in the channel before a retry, so a restart never posts a week twice.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from PIL import Image, ImageDraw

from simlane.core.shards import Shards, of_shards
from simlane.discord_bot.escaping import discord_safe
from simlane.iracing.models import Participant
from simlane.results.models import GuildResultsConfig, PostedResult, PostStatus

from .fonts import Style, draw_text, fit
from .models import DigestPost, GuildCardSettings, HighlightStatus
from .selectors import unleased
from .theme import DARK

WEEK = timedelta(days=7)


@dataclass
class DriverWeek:
    name: str
    races: int = 0
    wins: int = 0
    podiums: int = 0
    irating: int = 0
    incidents: int = 0

    @property
    def incidents_per_race(self) -> float:
        return self.incidents / max(1, self.races)


@dataclass
class Digest:
    start: datetime
    end: datetime
    drivers: list[DriverWeek] = field(default_factory=list)

    @property
    def races(self) -> int:
        return sum(d.races for d in self.drivers)

    @property
    def wins(self) -> int:
        return sum(d.wins for d in self.drivers)

    @property
    def podiums(self) -> int:
        return sum(d.podiums for d in self.drivers)

    @property
    def gained(self) -> int:
        return sum(d.irating for d in self.drivers if d.irating > 0)

    @property
    def lost(self) -> int:
        return sum(d.irating for d in self.drivers if d.irating < 0)

    @property
    def cleanest(self) -> DriverWeek | None:
        """Fewest incidents per race (more races first on a tie)."""
        raced = [d for d in self.drivers if d.races]
        return min(raced, key=lambda d: (d.incidents_per_race, -d.races, d.name)) if raced else None


def due_moment(now: datetime, weekday: int, hour: int) -> datetime:
    """The latest scheduled moment at or before ``now``."""
    day = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    day -= timedelta(days=(now.weekday() - weekday) % 7)
    return day if day <= now else day - WEEK


def digest_for(*, guild_id: int, end: datetime) -> Digest:
    """What the server's tracked drivers did in the seven days before ``end`` (the results SimLane posted)."""
    start = end - WEEK
    posts = PostedResult.objects.filter(
        guild_id=guild_id, status=PostStatus.POSTED, race_ended_at__gte=start, race_ended_at__lt=end
    ).values_list("subsession_id", "cust_id")
    wanted = set(posts)
    weeks: dict[int, DriverWeek] = {}
    rows = Participant.objects.filter(
        subsession__subsession_id__in={s for s, _ in wanted}, simsession_number=0, cust_id__in={c for _, c in wanted}
    ).select_related("team", "subsession")
    for p in rows:
        if p.cust_id is None or (p.subsession.subsession_id, p.cust_id) not in wanted:
            continue
        car = p.team or p
        multiclass = len(p.subsession.payload.get("car_classes") or []) > 1
        place = car.finish_position_in_class if multiclass else car.finish_position
        week = weeks.setdefault(p.cust_id, DriverWeek(p.display_name))
        week.races += 1
        week.wins += place == 0
        week.podiums += 0 <= place <= 2
        week.incidents += p.incidents
        if p.oldi_rating >= 0 and p.newi_rating >= 0:
            week.irating += p.newi_rating - p.oldi_rating
    drivers = sorted(weeks.values(), key=lambda d: (-d.wins, -d.podiums, -d.irating, d.name))
    return Digest(start, end, drivers)


def digest_png(digest: Digest) -> bytes:
    """The digest picture: the week's totals, then one line per driver (best week first)."""
    t = DARK
    shown = digest.drivers[:15]
    height = 330 + 56 * len(shown) + (56 if len(digest.drivers) > len(shown) else 0) + 70
    img = Image.new("RGB", (1000, height), t.background)
    draw = ImageDraw.Draw(img)
    span = f"{digest.start:%d %b} – {(digest.end - timedelta(seconds=1)):%d %b %Y}"
    draw_text(draw, (32, 70), "Weekly digest", Style(44, True), t.text)
    draw_text(draw, (32, 112), span, Style(26), t.muted)
    tiles = [
        ("Races", str(digest.races), t.text),
        ("Wins", str(digest.wins), t.accent),
        ("Podiums", str(digest.podiums), t.accent),
        ("iRating", f"+{digest.gained} / {digest.lost}".replace("-", "−"), t.text),
    ]
    w = (1000 - 64 - 3 * 16) / 4
    for i, (label, value, colour) in enumerate(tiles):
        x = 32 + i * (w + 16)
        draw.rounded_rectangle((x, 140, x + w, 250), radius=14, fill=t.panel)
        draw_text(draw, (x + 16, 174), label.upper(), Style(19, True), t.muted)
        draw_text(draw, (x + 16, 226), fit(value, Style(34, True), w - 32), Style(34, True), colour)
    y = 290
    for label, x in (("Driver", 32), ("Races", 520), ("Wins", 620), ("Podiums", 710), ("iRating", 830)):
        draw_text(draw, (x, y), label.upper(), Style(18, True), t.muted)
    for d in shown:
        y += 56
        draw.rounded_rectangle((24, y - 38, 976, y + 14), radius=10, fill=t.panel)
        draw_text(draw, (32, y), fit(d.name, Style(26, True), 470), Style(26, True), t.text)
        for count, column in ((d.races, 520), (d.wins, 620), (d.podiums, 710)):
            draw_text(draw, (column, y), str(count), Style(26), t.text)
        colour = t.good if d.irating >= 0 else t.bad
        draw_text(draw, (830, y), f"{d.irating:+d}".replace("-", "−"), Style(26, True), colour)
    if len(digest.drivers) > len(shown):
        y += 56
        draw_text(draw, (32, y), f"… and {len(digest.drivers) - len(shown)} more", Style(24), t.muted)
    cleanest = digest.cleanest
    if cleanest is not None:
        text = f"Cleanest: {cleanest.name} ({cleanest.incidents_per_race:.1f} incidents per race)"
        draw_text(draw, (32, y + 60), fit(text, Style(26), 936), Style(26), t.good)
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def digest_embed_text(digest: Digest) -> tuple[str, str]:
    """Title and description of the short embed (names escaped for Discord)."""
    title = f"📊 Weekly digest: {digest.start:%d %b} – {(digest.end - timedelta(seconds=1)):%d %b}"
    if not digest.races:
        return title, "No races by the tracked drivers this week."
    lines = [f"**{digest.races}** races, **{digest.wins}** wins, **{digest.podiums}** podiums"]
    lines.append(f"iRating: +{digest.gained} gained, {digest.lost} lost")
    if digest.cleanest is not None:
        lines.append(f"Cleanest driver: {discord_safe(digest.cleanest.name, limit=100)}")
    return title, "\n".join(lines)


def digests_claim(*, now: datetime, shards: Shards | None = None) -> list[DigestPost]:
    """Claim this week's digest of every server (of these shards) whose moment has passed (once per server and
    week)."""
    claimed = []
    for s in of_shards(GuildCardSettings.objects.filter(digest_weekday__isnull=False), shards):
        assert s.digest_weekday is not None
        due = due_moment(now, s.digest_weekday, s.digest_hour)
        if s.digest_since is None or s.digest_since > due:  # set after this week's moment: the first is next week's
            continue
        config = GuildResultsConfig.objects.filter(guild_id=s.guild_id).first()
        channel = s.digest_channel_id or (config.channel_id if config else None)
        if channel is None:
            continue
        try:
            with transaction.atomic():
                row, made = DigestPost.objects.get_or_create(
                    guild_id=s.guild_id, due_at=due, defaults={"channel_id": channel, "nonce": secrets.token_hex(12)}
                )
        except IntegrityError:  # claimed by another process at the same moment
            continue
        if made:
            claimed.append(row)
    return claimed


def digests_due(*, now: datetime, shards: Shards | None = None, max_attempts: int = 6) -> list[DigestPost]:
    """Claimed digests still to send and not being sent by another process, of these shards' servers."""
    rows = DigestPost.objects.filter(unleased(now), status=HighlightStatus.CLAIMED, attempts__lt=max_attempts)
    return list(of_shards(rows, shards).order_by("due_at", "id"))
