"""The club pages do what the slash commands do: same rules, same confirmation, same audit; members read only."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from simlane.clubs.models import ClubMember
from simlane.discord_bot.models import GuildSettings
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID
from simlane.racenumbers import services as numbers
from simlane.racenumbers.models import AuditAction, AuditEntry, NumberClaim, NumberConfig
from simlane.results.models import GuildResultsConfig

from .clubs_setup import DELEGATED_ID, MANAGER_ID, populate
from .conftest import login

pytestmark = pytest.mark.django_db

C = f"/dashboard/clubs/{DEMO_GUILD_ID}/"
NUMBERS_FORM = {
    "league_id": "",
    "min_number": "0",
    "max_number": "999",
    "leading_zeros_distinct": "yes",
    "pools": "",
    "sync_pools": "",
    "on_leave": "flag",
    "auto_sync_minutes": "0",
}


@pytest.fixture
def setup(standin, world):
    return populate(world)


def messages_of(response, level: str = "") -> list[str]:
    """The messages the page showed (of one level, e.g. "error"), login greetings aside."""
    shown = response.context["messages"] if response.context else []
    return [str(m) for m in shown if not level or m.level_tag == level]


@pytest.mark.parametrize(
    ("page", "budget"),
    [("", 14), ("settings/", 14), ("results/", 13), ("numbers/", 14), ("schedule/", 13)],
    ids=["overview", "settings", "results", "numbers", "schedule"],
)
def test_each_page_stays_within_its_query_budget(client, setup, django_assert_max_num_queries, page, budget):
    login(client, user_id=MANAGER_ID)
    client.get(C)  # Discord's server list is fetched once and cached, as in real use
    for n in range(3):
        NumberClaim.objects.create(
            guild_id=DEMO_GUILD_ID, number=str(n), number_key=str(n), discord_user_id=n, discord_name=f"M{n}"
        )
    with django_assert_max_num_queries(budget):
        assert client.get(C + page).status_code == 200


def test_a_member_sees_settings_but_no_form(client, setup):
    login(client, user_id=DEMO_MEMBER_ID)
    page = client.get(f"{C}settings/").content.decode()
    assert "Official and unofficial races" in page
    assert "<form" not in page.split("</header>")[1]  # only the log-out form, in the header
    admin_page = client_for(MANAGER_ID).get(f"{C}settings/").content.decode()
    assert f'action="{C}settings/results/"' in admin_page


def confirm_token(page: str) -> str:
    """The signed list of effects the confirmation page asks the admin to apply."""
    found = re.search(r'name="confirm" value="([^"]+)"', page)
    assert found, "no confirmation on the page"
    return found.group(1)


def client_for(user_id: int) -> Client:
    client = Client()
    login(client, user_id=user_id)
    return client


def test_results_mode_and_channel_saved_through_the_results_service(client, setup):
    login(client, user_id=DELEGATED_ID)
    response = client.post(
        f"{C}settings/results/",
        {"channel_id": "1456074443980800029", "mode": "official", "include_league": "on"},
        follow=True,
    )
    assert "Results settings saved." in messages_of(response)
    config = GuildResultsConfig.objects.get(guild_id=DEMO_GUILD_ID)
    assert (config.channel_id, config.mode, config.include_hosted, config.include_league) == (
        1456074443980800029,  # a 19-digit snowflake, as Discord's are today
        "official",
        False,
        True,
    )


@pytest.mark.parametrize(
    ("path", "data", "error"),
    [
        ("results/", {"channel_id": "１２３", "mode": "all"}, "digits 0–9 only"),
        ("results/", {"channel_id": str(2**63), "mode": "all"}, "digits 0–9 only"),
        ("results/", {"channel_id": "", "mode": "sometimes"}, "Select a valid choice"),
        ("tracking-limit/", {"per_member": "501"}, "less than or equal to 500"),
        ("numbers/", dict(NUMBERS_FORM, min_number="50", max_number="10"), "minimum not above the maximum"),
        ("numbers/", dict(NUMBERS_FORM, max_number="1000"), "less than or equal to 999"),
        ("numbers/", dict(NUMBERS_FORM, pools=",".join(f"P{i}" for i in range(26))), "At most 25 pools"),
        ("raceguide/follow/", {"series_id": "999999"}, "does not know that series"),
        ("raceguide/unfollow/", {"series_id": "4243"}, "does not follow that series"),
        ("admin-role/", {"role_id": str(DEMO_GUILD_ID)}, "@everyone can't be the SimLane admin role"),
    ],
    ids=["lookalike-digits", "over-64-bits", "bad-mode", "limit", "min-above-max", "over-999", "26-pools",
         "unknown-series",
         "not-followed", "everyone-role"],
)  # fmt: skip
def test_bad_input_is_refused_clearly_and_changes_nothing(client, setup, path, data, error):
    login(client, user_id=MANAGER_ID)
    before = (
        list(GuildResultsConfig.objects.values()),
        list(NumberConfig.objects.values()),
        list(GuildSettings.objects.values("admin_role_id", "followed_series")),
        AuditEntry.objects.count(),
    )
    response = client.post(f"{C}settings/{path}", data, follow=True)
    [message] = messages_of(response, "error")
    assert error in message and message.endswith("Nothing was changed.")
    assert before == (
        list(GuildResultsConfig.objects.values()),
        list(NumberConfig.objects.values()),
        list(GuildSettings.objects.values("admin_role_id", "followed_series")),
        AuditEntry.objects.count(),
    )


def test_a_change_that_releases_claims_lists_them_and_needs_confirmation(client, setup):
    numbers.number_config_update(guild_id=DEMO_GUILD_ID, actor_id=1, max_number=99)
    claim = numbers.number_claim(guild_id=DEMO_GUILD_ID, user_id=DEMO_MEMBER_ID, user_name="Ana", number="7")
    login(client, user_id=DELEGATED_ID)
    form = dict(NUMBERS_FORM, max_number="99", pools="GT3, GTP")

    page = client.post(f"{C}settings/numbers/", form)
    text = page.content.decode()
    assert page.status_code == 200 and "This change affects 1 claim(s)" in text
    assert f"#7 of <code>{DEMO_MEMBER_ID}</code>: <strong>released</strong> (the server now has named pools)" in text
    assert NumberConfig.objects.get(guild_id=DEMO_GUILD_ID).pools == []  # nothing applied yet
    token = confirm_token(text)

    # A confirmation someone edited is refused.
    client.post(f"{C}settings/numbers/", dict(form, confirm=token[:-2] + "xx"))
    assert NumberConfig.objects.get(guild_id=DEMO_GUILD_ID).pools == []

    applied = client.post(f"{C}settings/numbers/", dict(form, confirm=token), follow=True)
    assert "Car-number settings saved." in messages_of(applied)
    assert NumberConfig.objects.get(guild_id=DEMO_GUILD_ID).pools == ["GT3", "GTP"]
    claim.refresh_from_db()
    assert claim.active is False
    audit = AuditEntry.objects.filter(guild_id=DEMO_GUILD_ID, actor_id=DELEGATED_ID)
    assert set(audit.values_list("action", flat=True)) == {AuditAction.CONFIG, AuditAction.FORCE_RELEASE}


def test_claims_that_changed_after_the_list_was_shown_are_asked_again(client, setup):
    numbers.number_config_update(guild_id=DEMO_GUILD_ID, actor_id=1, max_number=99)
    numbers.number_claim(guild_id=DEMO_GUILD_ID, user_id=DEMO_MEMBER_ID, user_name="Ana", number="7")
    login(client, user_id=MANAGER_ID)
    form = dict(NUMBERS_FORM, max_number="99", pools="GT3")
    token = confirm_token(client.post(f"{C}settings/numbers/", form).content.decode())
    numbers.number_claim(guild_id=DEMO_GUILD_ID, user_id=DELEGATED_ID, user_name="Bo", number="8")  # meanwhile
    again = client.post(f"{C}settings/numbers/", dict(form, confirm=token)).content.decode()
    assert "The claims changed since you looked. This change affects 2 claim(s)" in again
    assert NumberConfig.objects.get(guild_id=DEMO_GUILD_ID).pools == []
    assert NumberClaim.objects.filter(active=True).count() == 2


def test_someone_who_left_the_server_sees_nothing_even_before_the_member_sync_notices(client, setup, world):
    login(client, user_id=DEMO_MEMBER_ID)
    del world.guilds[DEMO_GUILD_ID].members[DEMO_MEMBER_ID]
    client.get("/dashboard/?fresh=1")  # the server list is asked again
    assert ClubMember.objects.filter(discord_user_id=DEMO_MEMBER_ID).exists()
    assert client.get(C).status_code == 404


def test_a_server_member_without_a_club_member_row_gets_404(client, setup):
    ClubMember.objects.filter(discord_user_id=DEMO_MEMBER_ID).delete()
    login(client, user_id=DEMO_MEMBER_ID)
    assert client.get(C).status_code == 404


def test_a_delegated_admin_whose_role_is_no_longer_the_admin_role_is_refused(client, setup):
    login(client, user_id=DELEGATED_ID)
    GuildSettings.objects.filter(guild_id=DEMO_GUILD_ID).update(admin_role_id=1)
    assert client.post(f"{C}settings/tracking-limit/", {"per_member": "3"}).status_code == 403
    assert not GuildResultsConfig.objects.exists()


def test_the_csv_is_the_export_file_and_the_chart_a_png(client, setup):
    numbers.number_claim(guild_id=DEMO_GUILD_ID, user_id=DEMO_MEMBER_ID, user_name="=cmd", number="07")
    login(client, user_id=DEMO_MEMBER_ID)
    csv = client.get(f"{C}numbers/car-numbers.csv")
    assert csv["Content-Disposition"] == 'attachment; filename="car-numbers.csv"'
    lines = csv.content.decode("utf-8").splitlines()
    header = "pool,number,status,iracing_number,discord_user_id,discord_name,cust_id,iracing_name,verified,claimed_at"
    assert lines[0] == "\ufeff" + header
    assert lines[1].startswith(f",07,claimed,,{DEMO_MEMBER_ID},'=cmd,,,no,")
    chart = client.get(f"{C}schedule/4242/forecast.png")
    assert chart["Content-Type"] == "image/png" and chart.content.startswith(b"\x89PNG")
    assert client.get(f"{C}schedule/4243/forecast.png").status_code == 404  # not a followed series
