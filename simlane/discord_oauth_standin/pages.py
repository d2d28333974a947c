"""The stand-in's two HTML pages: "log in as" and the consent (Authorize) page, styled like a small Discord."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from urllib.parse import urlencode

from .world import GuildView, StandinUser

_STYLE = """
body{font-family:system-ui,sans-serif;background:#313338;color:#f2f3f5;margin:0;display:flex;justify-content:center}
main{background:#2b2d31;margin:2rem 1rem;padding:1.5rem;border-radius:8px;max-width:28rem;width:100%}
h1{font-size:1.2rem;margin-top:0}p,li,label{color:#b5bac1}button{font:inherit;border:0;border-radius:4px;
padding:.6rem 1rem;cursor:pointer}.primary{background:#5865f2;color:#fff}.secondary{background:#4e5058;color:#fff}
.user{display:block;width:100%;text-align:left;margin:.4rem 0;background:#383a40;color:#f2f3f5}
select{width:100%;padding:.5rem;font:inherit}.row{display:flex;gap:.5rem;justify-content:flex-end;margin-top:1rem}
.badge{font-size:.75rem;color:#949ba4}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · Discord (local stand-in)</title><style>{_STYLE}</style></head>"
        f'<body><main><p class="badge">Discord · local stand-in, no account needed</p>{body}</main></body></html>'
    )


def login_page(users: list[StandinUser], next_url: str) -> str:
    buttons = "".join(
        f'<button class="user" name="user_id" value="{u.id}" data-user="{escape(u.username)}">'
        f"<strong>{escape(u.global_name)}</strong><br><small>{escape(u.description)}</small></button>"
        for u in users
    )
    body = (
        "<h1>Log in as</h1><p>Pick a demo Discord user.</p>"
        f'<form method="post" action="/login"><input type="hidden" name="next" value="{escape(next_url)}">'
        f"{buttons}</form>"
    )
    return _page("Log in", body)


SCOPE_WORDS = {
    "identify": "Access your username and avatar",
    "guilds": "Know what servers you're in",
    "bot": "Add a bot to a server",
    "applications.commands": "Create commands",
    "email": "Access your email address",
    "role_connections.write": "Update your connection and metadata for this app",
}


def consent_page(
    *,
    user: StandinUser,
    app_name: str,
    params: Mapping[str, str],
    guilds: list[GuildView],
    selected_guild: int | None,
    locked: bool,
    permission_names: list[str],
) -> str:
    scopes = params.get("scope", "").split()
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items() if k != "guild_id"
    )
    items = "".join(f"<li>{escape(SCOPE_WORDS.get(s, s))}</li>" for s in scopes)
    picker = ""
    if "bot" in scopes:
        options = "".join(
            f'<option value="{g.id}"{" selected" if g.id == selected_guild else ""}>{escape(g.name)}</option>'
            for g in guilds
        )
        disabled = " disabled" if locked else ""
        locked_field = f'<input type="hidden" name="guild_id" value="{selected_guild}">' if locked else ""
        perms = "".join(f"<li>{escape(name)}</li>" for name in permission_names)
        picker = (
            f'<label for="guild">Add to server:</label><select id="guild" name="guild_id"{disabled}>{options}</select>'
            f"{locked_field}<p>Permissions asked for:</p><ul>{perms}</ul>"
        )
    switch = urlencode({"next": "/oauth2/authorize?" + urlencode(dict(params))})
    body = (
        f"<h1>{escape(app_name)} wants to access your account</h1>"
        f"<p>Signed in as <strong>{escape(user.global_name)}</strong> · "
        f'<a href="/logout?{escape(switch)}" style="color:#00a8fc">Not you?</a></p>'
        f"<p>This will allow the developer of {escape(app_name)} to:</p><ul>{items}</ul>"
        f'<form method="post" action="/oauth2/authorize">{hidden}{picker}<div class="row">'
        '<button class="secondary" name="decision" value="cancel">Cancel</button>'
        '<button class="primary" name="decision" value="authorize">Authorize</button></div></form>'
    )
    return _page("Authorize", body)
