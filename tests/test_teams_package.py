"""`agenda-bot teams-package` writes a zip Teams accepts: the manifest with a
bot in all three scopes and a command menu for each, and two PNG icons."""

from __future__ import annotations

import json
import struct
import zipfile

from bot.cli import main

APP_ID = "00000000-0000-0000-0000-00000000b07a"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_package_holds_a_manifest_and_two_icons(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMS_CLIENT_ID", APP_ID)
    monkeypatch.setenv("TEAMS_CLIENT_SECRET", "unused")
    output = tmp_path / "app.zip"
    assert main(["teams-package", "-o", str(output), "--domain", "bot.example.org", "--version", "1.2.3"]) == 0
    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == ["color.png", "fr.json", "ja.json", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert _png_size(archive.read("color.png")) == (192, 192)
        assert _png_size(archive.read("outline.png")) == (32, 32)
    assert manifest["id"] == APP_ID and manifest["version"] == "1.2.3"
    assert manifest["manifestVersion"] in manifest["$schema"]
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID and sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    scopes = sorted(s for menu in bot["commandLists"] for s in menu["scopes"])
    assert scopes == ["groupChat", "personal", "team"]
    for menu in bot["commandLists"]:
        assert 1 <= len(menu["commands"]) <= 10  # Teams' limit per menu
        assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in menu["commands"])
        assert {"help", "show", "next", "mine", "status"} <= {c["title"] for c in menu["commands"]}
    personal, channel = ({c["title"] for c in menu["commands"]} for menu in bot["commandLists"])
    assert "link" in personal and "link" not in channel  # a link code is only ever shown in a 1:1 chat
    assert "digest" in channel and "digest" not in personal
    assert manifest["validDomains"] == ["bot.example.org"]
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    # The dashboard as a personal tab, signed in with Teams SSO (bot/teams_tab.py).
    [tab] = manifest["staticTabs"]
    assert tab["contentUrl"] == "https://bot.example.org/teams/tab/?locale={app.locale}"  # Teams fills the locale
    assert tab["scopes"] == ["personal"]
    assert tab["entityId"] == "dashboard" and tab["name"] == "Dashboard"
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": f"api://bot.example.org/{APP_ID}"}


def test_the_tab_is_on_the_public_url_and_absent_without_an_https_address(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMS_CLIENT_ID", APP_ID)
    monkeypatch.setenv("AGENDA_PUBLIC_URL", "https://agenda.example.org/")
    output = tmp_path / "app.zip"
    assert main(["teams-package", "-o", str(output)]) == 0
    with zipfile.ZipFile(output) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["staticTabs"][0]["contentUrl"] == "https://agenda.example.org/teams/tab/?locale={app.locale}"
    assert manifest["webApplicationInfo"]["resource"] == f"api://agenda.example.org/{APP_ID}"
    assert manifest["validDomains"] == ["agenda.example.org"]  # Teams loads a tab only from a valid domain
    monkeypatch.setenv("AGENDA_PUBLIC_URL", "http://127.0.0.1:3000")  # Teams loads tabs over https only
    assert main(["teams-package", "-o", str(output)]) == 0
    with zipfile.ZipFile(output) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert "staticTabs" not in manifest and "webApplicationInfo" not in manifest


def test_the_app_id_alone_is_enough_as_the_readme_says(tmp_path, monkeypatch, capsys):
    """`TEAMS_CLIENT_ID=… agenda-bot teams-package -o …`: writing a package needs no secret."""
    monkeypatch.setenv("TEAMS_CLIENT_ID", APP_ID)
    monkeypatch.delenv("TEAMS_CLIENT_SECRET", raising=False)
    output = tmp_path / "app.zip"
    assert main(["teams-package", "-o", str(output)]) == 0, capsys.readouterr().err
    with zipfile.ZipFile(output) as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == APP_ID


def test_without_an_app_id_it_says_what_is_missing(tmp_path, monkeypatch, capsys):
    for name in ("TEAMS_CLIENT_ID", "TEAMS_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert main(["teams-package", "-o", str(tmp_path / "x.zip")]) == 2
    assert "TEAMS_CLIENT_ID" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


def test_an_app_id_that_is_not_a_guid_is_refused(tmp_path, capsys):
    assert main(["teams-package", "--app-id", "agenda-bot", "-o", str(tmp_path / "x.zip")]) == 2
    assert "GUID" in capsys.readouterr().err
