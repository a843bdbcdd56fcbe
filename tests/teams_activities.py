"""Activity JSON as Teams sends it, and Bot Framework tokens signed with a key
the fake Teams publishes."""

from __future__ import annotations

import itertools
import json
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

BOT_ID = "28:agenda-bot-app-id"
APP_ID = "00000000-0000-0000-0000-00000000b07a"
TENANT = "tid-canada-japan"
CHANNEL = "19:peace-security@thread.tacv2"
TEAM = "19:team-general@thread.tacv2"
PERSONAL = "a:1personal-chat-with-ada"
ADA_AAD = "aad-ada-0001"
_ids = itertools.count(1_700_000_000_001)


def _base(kind: str, service_url: str, conversation: dict, *, user_aad: str = ADA_AAD, name: str = "Ada") -> dict:
    return {
        "type": kind,
        "id": str(next(_ids)),
        "timestamp": "2026-11-22T15:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:{user_aad}", "name": name, "aadObjectId": user_aad},
        "recipient": {"id": BOT_ID, "name": "AgendaBot"},
        "conversation": {"tenantId": TENANT, **conversation},
        "channelData": {"tenant": {"id": TENANT}},
    }


def channel_conversation(thread: str = "1700000000000") -> dict:
    return {"id": f"{CHANNEL};messageid={thread}", "conversationType": "channel", "isGroup": True}


def personal_conversation(conversation_id: str = PERSONAL) -> dict:
    return {"id": conversation_id, "conversationType": "personal"}


def channel_message(text: str, service_url: str, **who) -> dict:
    """`@AgendaBot <text>` in a channel: the mention is part of the text and listed in entities."""
    activity = _base("message", service_url, channel_conversation(), **who)
    mention = "<at>AgendaBot</at>"
    activity |= {
        "text": f"{mention} {text}",
        "textFormat": "plain",
        "entities": [{"type": "mention", "text": mention, "mentioned": {"id": BOT_ID, "name": "AgendaBot"}}],
    }
    activity["channelData"] |= {"team": {"id": TEAM}, "channel": {"id": CHANNEL}}
    return activity


def personal_message(text: str, service_url: str, *, conversation_id: str = PERSONAL, **who) -> dict:
    return _base("message", service_url, personal_conversation(conversation_id), **who) | {
        "text": text,
        "textFormat": "plain",
    }


def card_action(verb: str, data: dict, service_url: str, *, personal: bool = True, **who) -> dict:
    conversation = personal_conversation() if personal else channel_conversation()
    return _base("invoke", service_url, conversation, **who) | {
        "name": "adaptiveCard/action",
        "value": {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
    }


def installation_update(service_url: str, *, action: str = "add", personal: bool = True, **who) -> dict:
    conversation = personal_conversation() if personal else {"id": TEAM, "conversationType": "channel"}
    return _base("installationUpdate", service_url, conversation, **who) | {"action": action}


def bot_added(service_url: str, conversation_id: str = CHANNEL) -> dict:
    conversation = {"id": conversation_id, "conversationType": "channel", "isGroup": True}
    return _base("conversationUpdate", service_url, conversation) | {"membersAdded": [{"id": BOT_ID}]}


class Signer:
    """An RSA key pair: its public half goes into the fake's JWKS."""

    def __init__(self, kid: str = "test-key-1") -> None:
        self.kid = kid
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return public | {"kid": self.kid, "use": "sig", "alg": "RS256"}

    def token(self, *, service_url: str, audience: str = APP_ID, issuer: str = "https://api.botframework.com") -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "serviceurl": service_url, "iat": now, "nbf": now, "exp": now + 600}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


def dialog_invoke(name: str, data: dict, service_url: str, **who) -> dict:
    """task/fetch (a button opened a dialog) or task/submit (its Save), in a 1:1 chat."""
    return _base("invoke", service_url, personal_conversation(), **who) | {
        "name": name,
        "value": {"data": data, "context": {"theme": "default"}},
    }


def personal_file_message(files: dict[str, str], service_url: str, *, conversation_id: str = PERSONAL, **who) -> dict:
    """Files attached in a 1:1 chat, as Teams sends them (name → downloadUrl), with no text."""
    attachments = [
        {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "name": name,
            "contentUrl": f"https://contoso.sharepoint.com/personal/ada/Documents/{name}",
            "content": {"downloadUrl": url, "uniqueId": f"uid-{n}", "fileType": name.rpartition(".")[2]},
        }
        for n, (name, url) in enumerate(files.items())
    ]
    return _base("message", service_url, personal_conversation(conversation_id), **who) | {
        "text": "",
        "textFormat": "plain",
        "attachments": attachments,
    }


def card_nodes(node) -> list[dict]:
    """Every object in an Adaptive Card (or a list of cards), depth first, each before what it holds."""
    if isinstance(node, dict):
        return [node] + [n for v in node.values() for n in card_nodes(v)]
    if isinstance(node, list):
        return [n for v in node for n in card_nodes(v)]
    return []
