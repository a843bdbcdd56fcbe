"""The Teams app package: manifest.json and two icons, zipped, ready to upload
(Teams admin centre, or Apps → Manage your apps → Upload an app).

The manifest declares one bot for personal chats, teams and group chats, with
a command menu per scope, drawn from the command table (handlers/commands/registry.py;
Teams shows at most ten commands per menu; picking one just types its title,
which our parser reads like any message). Given the server's public https
address, it also has the dashboard as a personal tab with Teams single sign-on
(``staticTabs``, ``webApplicationInfo``; bot/teams_tab.py). The icons are drawn
here as small PNGs so the package needs no image files or library. The name,
descriptions and the menus are in French and Japanese too (``localizationInfo``,
one file per language, from the message catalogues and the commands' own words
in each language, which the parser reads as it reads the English).
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from urllib.parse import urlsplit

from bot.teams_tab import BASE as TAB_PATH
from bot.teams_tab import app_id_uri
from handlers.commands.registry import Scope, local_keyword, teams_menu
from handlers.views import i18n
from handlers.views.i18n import N_, _

MANIFEST_VERSION = "1.19"
SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = (0xB0, 0x1E, 0x2D)  # a deep red, between the two flags
LOCALIZATION_SCHEMA = (
    f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json"
)
FULL_NAME = N_("Canada–Japan peace and security agenda")
SHORT_DESCRIPTION = N_("The Canada–Japan peace and security agenda, in chat.")
FULL_DESCRIPTION = N_(
    "Ask what Canada and Japan agreed (1999–2021), who owns it and what comes next; "
    "owners are reminded before meetings and deadlines, and channels get a weekly digest."
)


def manifest(
    *, app_id: str, name: str, version: str, website: str, domain: str | None = None, tab_url: str | None = None
) -> dict:
    """``tab_url``: the server's public https address; with it the package has the dashboard as a
    personal tab, signed in with Teams SSO (bot/teams_tab.py), hence ``webApplicationInfo``."""
    personal, channel = (
        [{"title": t, "description": d} for t, d in teams_menu(scope)] for scope in (Scope.personal, Scope.channel)
    )
    result = {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": "agenda-bot",
            "websiteUrl": website,
            "privacyUrl": website,
            "termsOfUseUrl": website,
        },
        "name": {"short": name[:30], "full": FULL_NAME},
        "description": {"short": SHORT_DESCRIPTION[:80], "full": FULL_DESCRIPTION},
        "localizationInfo": {
            "defaultLanguageTag": "en",
            "additionalLanguages": [{"languageTag": tag, "file": f"{tag}.json"} for tag in TRANSLATED],
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "isNotificationOnly": False,
                "supportsFiles": True,  # an admin attaches a file to import in the 1:1 chat
                "commandLists": [
                    {"scopes": ["personal"], "commands": personal},
                    {"scopes": ["team", "groupChat"], "commands": channel},
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [domain] if domain else [],
    }
    if tab_url:
        result |= dashboard_tab(app_id=app_id, tab_url=tab_url)
        host = urlsplit(tab_url).netloc
        result["validDomains"] = list(dict.fromkeys([*result["validDomains"], host]))
    return result


def dashboard_tab(*, app_id: str, tab_url: str) -> dict:
    """The dashboard as a personal tab (Teams has no home tab for apps), and the Entra app that
    Teams asks for the tab's sign-in token: ``resource`` is the app id URI the server expects."""
    return {
        "staticTabs": [
            {
                "entityId": "dashboard",
                "name": TAB_NAME,
                # Teams fills {app.locale} ("fr-ca"): the shell greets the person in their language before sign-in.
                "contentUrl": f"{tab_url.rstrip('/')}{TAB_PATH}?locale={{app.locale}}",
                "scopes": ["personal"],
            }
        ],
        "webApplicationInfo": {"id": app_id, "resource": app_id_uri(tab_url, app_id)},
    }


TRANSLATED = (i18n.FRENCH, i18n.JAPANESE)
TAB_NAME = N_("Dashboard")


def localization(manifest: dict, language: str) -> dict:
    """The manifest's words in one more language (Teams' localization file): the name and descriptions,
    and each menu command: its title in that language where the command has a word in it (`statut`,
    `ステータス`: the parser reads those too), and its description."""
    name = manifest["name"]
    with i18n.speaking(language):  # (no literal inside _(): the extractor would take it for a message)
        found = {"$schema": LOCALIZATION_SCHEMA, "name.short": name["short"], "name.full": _(FULL_NAME)}
        found |= {"description.short": _(SHORT_DESCRIPTION)[:80], "description.full": _(FULL_DESCRIPTION)}
        for n, menu in enumerate(manifest["bots"][0]["commandLists"]):
            for m, command in enumerate(menu["commands"]):
                title, described = command["title"], command["description"]
                found[f"bots[0].commandLists[{n}].commands[{m}].title"] = local_keyword(title, language)
                found[f"bots[0].commandLists[{n}].commands[{m}].description"] = _(described)
        for n, _tab in enumerate(manifest.get("staticTabs", ())):  # the dashboard tab's name
            found[f"staticTabs[{n}].name"] = _(TAB_NAME)
    return found


def build_package(**options) -> bytes:
    """The zip, in memory: manifest.json, color.png (192×192), outline.png (32×32)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest(**options), ensure_ascii=False, indent=2))
        for tag in TRANSLATED:
            translated = localization(manifest(**options), tag)
            archive.writestr(f"{tag}.json", json.dumps(translated, ensure_ascii=False, indent=2))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()


def color_icon(size: int = 192) -> bytes:
    """The accent colour with a white square ring: legible at every size Teams shows it."""
    white, accent = (255, 255, 255, 255), (*ACCENT, 255)

    def pixel(x: int, y: int) -> tuple[int, ...]:
        edge = min(x, y, size - 1 - x, size - 1 - y)
        return white if size // 4 <= edge < size // 4 + size // 12 else accent

    return _png(size, pixel)


def outline_icon(size: int = 32) -> bytes:
    """Teams wants the outline icon white on transparent only."""

    def pixel(x: int, y: int) -> tuple[int, ...]:
        edge = min(x, y, size - 1 - x, size - 1 - y)
        return (255, 255, 255, 255) if 4 <= edge < 8 else (255, 255, 255, 0)

    return _png(size, pixel)


def _png(size: int, pixel) -> bytes:
    rows = b"".join(b"\x00" + bytes(v for x in range(size) for v in pixel(x, y)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
