"""Commands in the reader's words (issue 15, item 5): the words inside commands in English, French and
Japanese, help and refusals showing the reader's keyword, French typography and lists in each language."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlmodel import select

from handlers import answer
from handlers.commands import registry, terms
from handlers.commands.held import RecordHeld
from handlers.commands.parser import (
    CalendarRevoke,
    Digest,
    FindSlot,
    Link,
    Lookup,
    ParseError,
    Remind,
    Said,
    Schedule,
    SetStatus,
    parse,
)
from handlers.commands.questions import fold
from handlers.domain.ports import Requester
from handlers.views import i18n
from handlers.views.text import render_text
from models.db import session
from models.platforms import Conversation
from models.tables import DigestSubscription
from scheduling.clock import FixedClock

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"


def test_french_puts_a_no_break_space_before_a_colon():
    with (ROOT / "handlers/locale/fr/LC_MESSAGES/messages.po").open("rb") as source:
        catalogue = read_po(source, locale="fr")
    spaced = []
    for message in catalogue:
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        spaced += [form for form in forms if message.id and re.search(r"\S :", form)]
    assert spaced == [], "French: a no-break space (U+00A0) before a colon, not a space"


# -- the words inside commands, in each language ---------------------------------------------------

# Whole commands typed in French or Japanese (their first word too), with the English each reads as.
SAID_LOCALLY = [
    ("aide", "help"), ("ヘルプ", "help"), ("domaines", "areas"), ("分野", "areas"), ("voir 2002-A4", "show 2002-A4"),
    ("表示 2002-A4", "show 2002-A4"), ("prochain 30 jours", "next 30 days"), ("今後 3か月", "next 3 months"),
    ("moi", "mine"), ("自分", "mine"), ("responsable MDN", "owner MDN"), ("担当者 防衛省", "owner 防衛省"),
    ("historique 2002-A4", "history 2002-A4"), ("履歴 symposium", "history symposium"),
    ("Réunion pol-mil", "meeting pol-mil"), ("reunion pol-mil", "meeting pol-mil"), ("会合 pol-mil", "meeting pol-mil"),
    ("statut 2002-A4 en cours", "status 2002-A4 in progress"), ("statut 2002-A4 Terminé", "status 2002-A4 done"),
    ("statut 2002-A4 termine", "status 2002-A4 done"), ("ステータス 2002-A4 進行中", "status 2002-A4 in progress"),
    ("statut 2002-A4 signé", "status 2002-A4 signed"), ("ステータス 2002-A4 発効", "status 2002-A4 in force"),
    ("statut 2002-A4 au point mort faute de budget", "status 2002-A4 stalled faute de budget"),
    ("assigner 2002-A4 MDN", "assign 2002-A4 MDN"), ("担当解除 2002-A4 MOFA", "unassign 2002-A4 MOFA"),
    ("sensibilité 2002-A4 restricted", "sensitivity 2002-A4 restricted"),
    ("rôle <@slack:U1> admin", "role <@slack:U1> admin"), ("calendrier", "calendar"), ("カレンダー", "calendar"),
    ("tableau de bord", "dashboard"), ("ダッシュボード", "dashboard"), ("lier", "link"), ("langue fr", "language fr"),
    ("言語 ja", "language ja"), ("planifier pol-mil 2027", "plan pol-mil 2027"),
    ("proposer 2002-A4 pour pol-mil", "propose 2002-A4 for pol-mil"),
    ("提案 2002-A4 pol-mil", "propose 2002-A4 pol-mil"), ("breffage pol-mil", "briefing pol-mil"),
    ("rappel 2002-A4 30 7", "remind 2002-A4 30 7"),
]  # fmt: skip

SAID = [  # (French or Japanese, the English it reads as)
    ("programmer symposium 14 octobre 2027", "schedule symposium 14 Oct 2027"),
    ("programmer symposium 14 octobre 2027 à Ottawa hôte Canada confirmer",
     "schedule symposium 14 Oct 2027 in Ottawa host Canada confirm"),
    ("programmer symposium automne 2027 hote Japon", "schedule symposium autumn 2027 host Japan"),
    ("日程設定 symposium 2027年10月14日 場所 東京 主催 日本 確定",
     "schedule symposium 14 Oct 2027 in 東京 host Japan confirm"),
    ("tenue pol-mil 15 déc. 2022 à Ottawa hôte Canada numéro 12",
     "held pol-mil 15 Dec 2022 in Ottawa host Canada number 12"),
    ("開催 pol-mil 2022年12月15日 場所 オタワ 主催 カナダ 回 12",
     "held pol-mil 15 Dec 2022 in オタワ host Canada number 12"),
    ("開催 フォーム pol-mil 2026", "held form pol-mil 2026"),
    ("開催 pol-mil 2022年12月15日 第12回", "held pol-mil 15 Dec 2022 number 12"),
    ("tenue pol-mil 15 déc. 2022 numéro 12e", "held pol-mil 15 Dec 2022 number 12"),
    ("non tenue pol-mil 2024 reportée", "not held pol-mil 2024 reportée"),
    ("未開催 pol-mil 2024年 延期", "not held pol-mil 2024 延期"),
    ("tenue formulaire pol-mil", "held form pol-mil"),
    ("statut 2002-A4 signé le 14 oct. 2027", "status 2002-A4 signed on 14 Oct 2027"),
    ("ステータス 2002-A4 署名 日付 2027年10月14日", "status 2002-A4 signed on 14 Oct 2027"),
    ("résumé abonner CT lundi 9h30", "digest subscribe CT on monday at 09:30"),
    ("résumé abonner CT le lundi à 9 h 30 Asia/Tokyo", "digest subscribe CT on monday at 09:30 Asia/Tokyo"),
    ("résumé abonner lutte contre le terrorisme, CT mar. à 09:30",
     "digest subscribe lutte contre le terrorisme, CT on tue at 09:30"),
    ("ダイジェスト 登録 CT 月曜日 9時30分", "digest subscribe CT on monday at 09:30"),
    ("ダイジェスト 登録 毎週金曜日 午後3時 日本語", "digest subscribe on friday at 15:00 ja"),
    ("ダイジェスト 登録 月曜 9時半", "digest subscribe on monday at 09:30"),
    ("résumé aperçu", "digest preview"), ("résumé désabonner", "digest unsubscribe"),
    ("ダイジェスト プレビュー", "digest preview"), ("ダイジェスト 登録解除", "digest unsubscribe"),
    ("rappel moi 14 2", "remind me 14 2"), ("rappel moi défaut", "remind me default"),
    ("リマインド 自分 既定", "remind me default"), ("rappel symposium par défaut", "remind symposium default"),
    ("créneau demain 90m", "slot tomorrow 90m"), ("creneau aujourd'hui 1h30", "slot today 1h30"),
    ("時間枠 明日 1時間30分", "slot tomorrow 90m"), ("時間枠 今日 90分", "slot today 90m"),
    ("snooze k demain", "snooze k tomorrow"), ("snooze k la semaine prochaine", "snooze k next week"),
    ("snooze k 来週", "snooze k next week"),
    ("rôle <@slack:U1> coordonnateur", "role <@slack:U1> coordinator"),
    ("役割 <@slack:U1> 管理者", "role <@slack:U1> admin"),
    ("role <@slack:U1> membre", "role <@slack:U1> member"),
    ("calendrier révoquer tout", "calendar revoke all"), ("カレンダー 取消 すべて", "calendar revoke all"),
    ("calendrier revoquer moi", "calendar revoke mine"), ("tableau de bord révoquer", "dashboard revoke"),
    ("ダッシュボード 無効化 <@slack:U1>", "dashboard revoke <@slack:U1>"),
    ("lier rappels les deux", "link reminders both"), ("連携 リマインダー 両方", "link reminders both"),
    ("lier rappels teams", "link reminders teams"), ("lier retirer <@slack:U1>", "link remove <@slack:U1>"),
    ("連携 解除", "link remove"), ("lier statut <@slack:U1>", "link status <@slack:U1>"),
    ("delegation pol-mil Japon retirer MOFA", "delegation pol-mil Japan remove MOFA"),
    ("delegation pol-mil 日本 削除 MOFA", "delegation pol-mil Japan remove MOFA"),
    ("delegation pol-mil カナダ <@slack:U1>", "delegation pol-mil Canada <@slack:U1>"),
    ("sensibilité 2005-C1 restreint", "sensitivity 2005-C1 restricted"),
    ("公開範囲 2005-C1 公開", "sensitivity 2005-C1 public"),
    ('suivi pol-mil "échanger les listes" responsable <@slack:U1> MDN échéance 1 mars 2027 restreint',
     'action pol-mil "échanger les listes" owner <@slack:U1> MDN due 1 Mar 2027 restricted'),
    ('フォローアップ pol-mil "リスト交換" 担当 防衛省 期限 2027年3月1日',
     'action pol-mil "リスト交換" owner 防衛省 due 1 Mar 2027'),
    ('résultat pol-mil 2002-A4 "entente"', 'outcome pol-mil 2002-A4 "entente"'),
    ('結果 pol-mil 2002-A4 "一致"', 'outcome pol-mil 2002-A4 "一致"'),
    ("代表団 pol-mil 日本 削除 MOFA", "delegation pol-mil Japan remove MOFA"),
    ("étape pol-mil breffage fait", "milestone pol-mil briefing done"),
    ("etape pol-mil compte rendu 10 jours après", "milestone pol-mil record 10 days after"),
    ("étape pol-mil ordre du jour responsable <@slack:U1>", "milestone pol-mil agenda owner <@slack:U1>"),
    ("チェックリスト pol-mil 説明資料 完了", "milestone pol-mil briefing done"),
    ("チェックリスト pol-mil 議事要旨 14日後", "milestone pol-mil record 14 days after"),
    ("チェックリスト pol-mil 議題案 未完了", "milestone pol-mil agenda not done"),
    ("officiel 2002-A4 fr retirer", "official 2002-A4 fr remove"),
    ("公式文 2002-A4 ja 削除", "official 2002-A4 ja remove"),
    # Japanese is written without spaces: a weekday, a time, a date, a length glued to the words around it
    ("ダイジェスト 登録 CT 月曜日9時30分", "digest subscribe CT on monday at 09:30"),
    ("ダイジェスト 登録 毎週金曜日午後3時日本語", "digest subscribe on friday at 15:00 ja"),
    ("ダイジェスト 登録 CT 月曜日に9時から", "digest subscribe CT on monday at 09:00"),
    ("日程設定 symposium 2027年10月14日場所東京主催日本確定",
     "schedule symposium 14 Oct 2027 in 東京 host Japan confirm"),
    ("日程設定 symposium 2027年10月14日東京で日本主催確定",
     "schedule symposium 14 Oct 2027 in 東京 host Japan confirm"),
    ("日程設定 symposium 2027年10月14日にオタワにてカナダ主催", "schedule symposium 14 Oct 2027 in オタワ host Canada"),
    ("開催 pol-mil 2022年12月15日場所オタワ主催カナダ第12回",
     "held pol-mil 15 Dec 2022 in オタワ host Canada number 12"),
    ("時間枠 明日90分", "slot tomorrow 90m"), ("時間枠 今日1時間30分", "slot today 90m"),
    ("時間枠 2027年3月3日1時間30分", "slot 3 Mar 2027 1h30"),
    ("リマインド 自分14日前2日前", "remind me 14 2"), ("リマインド 自分 14日、2日", "remind me 14 2"),
    ("リマインド 自分既定", "remind me default"),
    # a Japanese date on a status change, without 日付: after the status or first, as a sentence says it
    ("ステータス 2002-A4 署名済み 2027年10月14日", "status 2002-A4 signed on 14 Oct 2027"),
    ("ステータス 2002-A4 署名済み2027年10月14日に", "status 2002-A4 signed on 14 Oct 2027"),
    ("ステータス 2002-A4 2027年10月14日に署名", "status 2002-A4 signed on 14 Oct 2027"),
    ("ステータス 2002-A4 署名 2027年10月14日で 共同声明", "status 2002-A4 signed on 14 Oct 2027 共同声明"),
    ("ステータス 2002-A4 署名 日付2027年10月14日", "status 2002-A4 signed on 14 Oct 2027"),
    ("ステータス 2002-A4 進行中協議再開", "status 2002-A4 in progress 協議再開"),
    # Japanese without spaces in a checklist, a follow-up, a delegation, a meeting not held, calendar links
    ("チェックリスト pol-mil議題案完了", "milestone pol-mil agenda done"),
    ("チェックリスト pol-mil ブリーフィング未完了", "milestone pol-mil briefing not done"),
    ("チェックリスト pol-mil 代表団名簿担当<@slack:UMARIA>", "milestone pol-mil delegation owner <@slack:UMARIA>"),
    ("チェックリスト 政治・軍事対話議事要旨21日後", "milestone 政治・軍事対話 record 21 days after"),
    ("フォローアップ pol-mil 「PKO訓練者リストの交換」担当<@slack:UMARIA>期限2027年3月1日まで",
     'action pol-mil "PKO訓練者リストの交換" owner <@slack:UMARIA> due 1 Mar 2027'),
    ("フォローアップ pol-mil 「報告書の回覧」担当防衛省期限2027年6月非公開",
     'action pol-mil "報告書の回覧" owner 防衛省 due Jun 2027 restricted'),
    ("代表団 pol-mil日本側外務省", "delegation pol-mil Japan 外務省"),
    ("代表団 pol-mil カナダ削除<@slack:UMARIA>", "delegation pol-mil Canada remove <@slack:UMARIA>"),
    ("代表団 政治・軍事対話カナダ<@slack:UMARIA>、グローバル連携省",
     "delegation 政治・軍事対話 Canada <@slack:UMARIA>, グローバル連携省"),
    ("未開催 pol-mil2024年選挙のため", "not held pol-mil 2024 選挙のため"),
    ("未開催 政治・軍事対話2024年秋", "not held 政治・軍事対話 autumn 2024"),
    ("カレンダー 取消すべて", "calendar revoke all"),
    ("カレンダー 取り消し<@slack:UMARIA>自分", "calendar revoke <@slack:UMARIA> mine"),
    ("ダッシュボード 取消<@slack:UMARIA>", "dashboard revoke <@slack:UMARIA>"),
    # values in the reader's words: a language, a platform, a city for a timezone
    ("langue anglais", "language en"), ("langue Français", "language fr"), ("langue japonais", "language ja"),
    ("言語 英語", "language en"), ("言語 フランス語", "language fr"), ("言語 日本語", "language ja"),
    ("lier rappels Teams", "link reminders teams"), ("連携 リマインダー スラック", "link reminders slack"),
    ("連携 通知チームズ", "link reminders teams"),
    ("résumé abonner CT lundi 9h30 Tokio", "digest subscribe CT on monday at 09:30 Asia/Tokyo"),
    ("résumé abonner CT Ottawa anglais", "digest subscribe CT America/Toronto en"),
    ("résumé abonner CT Montréal français", "digest subscribe CT America/Toronto fr"),
    ("ダイジェスト 登録 CT 月曜日9時30分東京", "digest subscribe CT on monday at 09:30 Asia/Tokyo"),
    ("ダイジェスト 登録 CT バンクーバー英語", "digest subscribe CT America/Vancouver en"),
    ("ダイジェスト 登録 CT 毎週金曜日午後3時オタワ時間フランス語",
     "digest subscribe CT on friday at 15:00 America/Toronto fr"),
]  # fmt: skip


@pytest.mark.parametrize(("local", "english"), SAID_LOCALLY + SAID, ids=[row[0] for row in SAID_LOCALLY + SAID])
def test_the_words_inside_commands_read_in_french_and_japanese_as_the_english(local, english):
    assert not isinstance(parse(english), ParseError), english
    assert parse(local) == parse(english)


ENGLISH_AS_BEFORE = [  # what English said before still reads so
    ("schedule symposium 14 Oct 2027 in Ottawa host Canada confirm",
     Schedule("symposium", "2027-10-14", "Ottawa", "CA", confirmed=True)),
    ("held pol-mil 15 Dec 2022 in Ottawa host Canada no. 12", RecordHeld("pol-mil", "2022-12-15", "Ottawa", "CA", 12)),
    ("digest subscribe CT on friday at 08:30 Asia/Tokyo", Digest("subscribe", ("CT",), 4, "08:30", "Asia/Tokyo")),
    ("digest subscribe CT monday", Digest("subscribe", ("CT monday",))),  # English names the day after `on`
    ("not pol-mil", Lookup("not pol-mil")), ("non commencé", Lookup("non commencé")),
    ("remind me default", Remind("me", None)), ("slot tomorrow 90m", FindSlot("tomorrow", 90)),
    ("link reminders both", Link("via", via="all")), ("calendar revoke CT", CalendarRevoke("CT")),
    # English and French keep `on`/`le` before a status's date: a note may start with a number
    ("status 2002-A4 in progress 2027 talks", SetStatus("2002-A4", "in_progress", None, None, "2027 talks")),
    ("statut 2002-A4 en cours 2027 reprise", SetStatus("2002-A4", "in_progress", None, None, "2027 reprise")),
]  # fmt: skip


@pytest.mark.parametrize(("said", "parsed"), ENGLISH_AS_BEFORE, ids=[row[0] for row in ENGLISH_AS_BEFORE])
def test_english_reads_as_before(said, parsed):
    assert parse(said) == parsed


def test_english_names_values_too():
    """A language, a platform and a timezone's city by their English names, as French and Japanese do by theirs."""
    assert parse("language French") == parse("language fr") and parse("language Japanese") == parse("language ja")
    assert parse("link reminders Teams") == parse("link reminders teams")
    assert parse("digest subscribe CT Tokyo Japanese") == Digest("subscribe", ("CT",), None, None, "Asia/Tokyo", "ja")
    assert parse("digest subscribe CT Paris") == Digest("subscribe", ("CT",), None, None, "Europe/Paris")  # zoneinfo's
    # A name zoneinfo does not know stays as typed, for the handler to refuse; a country is no timezone (an area's word)
    assert parse("digest subscribe CT Europe/Pariss") == Digest("subscribe", ("CT",), None, None, "Europe/Pariss")
    assert parse("digest subscribe Japan") == Digest("subscribe", ("Japan",))


def test_a_department_named_after_a_side_keeps_its_name():
    """Only the first カナダ or 日本 is the side: the departments after it keep theirs."""
    assert parse("代表団 pol-mil日本日本国大使館").bodies == ("日本国大使館",)


def test_english_refusals_are_as_before():
    assert parse("digest subscribe at 9am").text == "I can't read “at 9am”."
    assert parse("schedule symposium 14 Oct 2027 host Korea").text == "The host is Canada or Japan, not “Korea”."
    assert parse("role <@slack:U1> boss").text == "`role` needs one person and one role."


@pytest.mark.parametrize(
    ("said", "clock"),
    [("09:30", "09:30"), ("9:05", "09:05"), ("9h30", "09:30"), ("9 h 30", "09:30"), ("15 h", "15:00"), ("9h", "09:00"),
     ("9時30分", "09:30"), ("9時", "09:00"), ("午後3時", "15:00"), ("午前9時半", "09:30"), ("午後12時", "12:00"),
     ("25:00", None), ("午後13時", None), ("9", None)],
)  # fmt: skip
def test_times_of_day_in_each_language(said, clock):
    assert terms.clock_at(said.split(), 0) == ((clock, len(said.split())) if clock else None)


def test_weekdays_come_from_cldr():
    from babel.dates import get_day_names

    for language in ("en", "fr", "ja"):
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=language).items():
                assert terms.weekday(name) == number, name
    assert terms.weekday("Lundi") == terms.weekday("lun") == terms.weekday("月曜") == terms.weekday("毎週月曜日") == 0


# -- through the handlers and the real endpoints ----------------------------------------------------

FRENCH = Requester(user_ref="teams:aad-coord-fr", locale="fr-CA", channel_ref="teams:19:leads-fr",
                   conversation=Conversation.channel)  # fmt: skip
JAPANESE = Requester(user_ref="teams:aad-coord-ja", locale="ja-JP", channel_ref="teams:19:leads-ja",
                     conversation=Conversation.channel)  # fmt: skip
ENGLISH = Requester(user_ref="slack:UADMIN", channel_ref="slack:CLEADS", conversation=Conversation.channel)


@pytest.fixture
def coordinators(ports):
    return dataclasses.replace(ports, admins=frozenset({FRENCH.user_ref, JAPANESE.user_ref, ENGLISH.user_ref}))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_coordinators_record_meetings_and_digests_in_their_words(coordinators, engine):
    said = {
        "fr": answer("programmer symposium 14 octobre 2027 à Ottawa hôte Canada", ports=coordinators, requester=FRENCH),
        "ja": answer("開催 pol-mil 2022年12月15日 場所 オタワ 主催 カナダ 回 12", ports=coordinators,
                     requester=JAPANESE),
        "en": answer("held symposium autumn 2019 in Tokyo host Japan", ports=coordinators, requester=ENGLISH),
    }
    assert {language: reply.tone for language, reply in said.items()} == dict.fromkeys(said, "answer"), {
        language: reply.title for language, reply in said.items()
    }
    assert "Ottawa" in render_text(answer("meeting symposium", ports=coordinators, requester=FRENCH))
    for requester, text in ((FRENCH, "résumé abonner CT lundi 9h30"), (JAPANESE, "ダイジェスト 登録 CT 月曜日 9時30分"),
                            (ENGLISH, "digest subscribe CT on friday at 08:30")):  # fmt: skip
        assert answer(text, ports=coordinators, requester=requester).tone == "answer", text
    with session(engine) as db:
        rows = {row.channel_ref: (row.weekday, row.at, row.area_keys) for row in db.exec(select(DigestSubscription))}
    assert rows[FRENCH.channel_ref][:2] == rows[JAPANESE.channel_ref][:2] == (0, "09:30")
    assert rows[ENGLISH.channel_ref][:2] == (4, "08:30")
    assert rows[FRENCH.channel_ref][2] == rows[JAPANESE.channel_ref][2] == rows[ENGLISH.channel_ref][2]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_statuses_and_their_dates_in_each_language(coordinators):
    for requester, text in ((ENGLISH, "status 2002-A4 concluded on 1 Sep 2025"),
                            (FRENCH, "statut 2002-A4 signé le 14 oct. 2025"),
                            (JAPANESE, "ステータス 2002-A4 発効 日付 2025年11月20日")):  # fmt: skip
        said = answer(text, ports=coordinators, requester=requester)
        assert said.tone != "error" and "2025" in render_text(said), render_text(said)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_japanese_status_date_needs_no_date_word(coordinators):
    """English says `on`, French `le`; Japanese writes the date itself, after the status or before it."""
    for text in ("ステータス 2002-A4 妥結済み 2025年9月1日", "ステータス 2002-A4 2025年10月14日に署名"):
        said = answer(text, ports=coordinators, requester=JAPANESE)
        assert said.tone != "error" and "2025" in render_text(said), render_text(said)
    history = render_text(answer("履歴 2002-A4", ports=coordinators, requester=JAPANESE))
    assert "2025-09-01" in history and "2025-10-14" in history, history


@pytest.mark.parametrize("backend", ["sqlite"])
def test_values_in_the_readers_words_through_the_handlers(coordinators, engine):
    """A language and a timezone's city typed in French or Japanese are stored as the English code and IANA name;
    a timezone the bot cannot read is refused in the reader's language, with cities as they write them."""
    chose = answer("言語 フランス語", ports=coordinators, requester=JAPANESE)
    assert chose.tone != "error" and "français" in render_text(chose), render_text(chose)
    for requester, text in ((FRENCH, "résumé abonner CT lundi 9h30 Vancouver"),
                            (JAPANESE, "ダイジェスト 登録 CT 月曜日9時30分東京英語")):  # fmt: skip
        said = answer(text, ports=coordinators, requester=requester)
        assert said.tone == "answer", render_text(said)
    with session(engine) as db:
        rows = {row.channel_ref: (row.timezone, row.language) for row in db.exec(select(DigestSubscription))}
    assert rows == {FRENCH.channel_ref: ("America/Vancouver", "en"), JAPANESE.channel_ref: ("Asia/Tokyo", "en")}
    answer("言語 日本語", ports=coordinators, requester=JAPANESE)  # back to Japanese
    refused = {
        "fr": answer("résumé abonner CT Europe/Pariss", ports=coordinators, requester=FRENCH),
        "ja": answer("ダイジェスト 登録 CT Asia/Tokioo", ports=coordinators, requester=JAPANESE),
    }
    assert {language: reply.tone for language, reply in refused.items()} == {"fr": "error", "ja": "error"}
    french, japanese = render_text(refused["fr"]), render_text(refused["ja"])
    assert "fuseau horaire" in french and "Ottawa, Vancouver ou Tokyo" in french, french
    assert "タイムゾーン" in japanese and "オタワ、バンクーバー、または東京" in japanese, japanese


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_meeting_not_held_and_a_delegation_in_japanese_without_spaces(coordinators):
    said = answer("未開催 pol-mil2024年選挙のため", ports=coordinators, requester=JAPANESE)
    assert said.tone == "answer" and "選挙のため" in render_text(said), render_text(said)
    assert answer("開催 pol-mil 2023年12月15日場所オタワ", ports=coordinators, requester=JAPANESE).tone == "answer"
    said = answer("代表団 pol-mil日本側<@slack:UADMIN>", ports=coordinators, requester=JAPANESE)
    assert said.tone == "answer", render_text(said)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_note_the_bot_writes_on_a_stage_is_read_in_the_readers_language(coordinators, engine):
    """The note stored with a stage is the record's (English, as exported); history shows it in the reader's
    language, and the words a coordinator typed after it as typed."""
    said = answer("statut 2002-A4 signé le 14 oct. 2025 selon la déclaration", ports=coordinators, requester=FRENCH)
    assert said.tone != "error", render_text(said)
    with session(engine) as db:
        from models.tables import Commitment

        stored = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one().status_note
    assert stored == "signed (Tue 14 Oct 2025): selon la déclaration"
    history = {requester.locale or "en": render_text(answer(words, ports=coordinators, requester=requester))
               for requester, words in ((FRENCH, "historique 2002-A4"), (JAPANESE, "履歴 2002-A4"),
                                        (ENGLISH, "history 2002-A4"))}  # fmt: skip
    assert f"signé le mar. 14 oct. 2025{NBSP}: selon la déclaration" in history["fr-CA"], history["fr-CA"]
    assert "2025年10月14日(火)に署名：selon la déclaration" in history["ja-JP"], history["ja-JP"]
    assert "signed (" not in history["fr-CA"] + history["ja-JP"]
    assert stored in history["en"]


def test_through_the_slack_and_teams_endpoints(tmp_path, sqlite_template):
    """A French coordinator on Slack and a Japanese one on Teams, through the running server."""
    import shutil
    import sqlite3

    import httpx

    from tests.conftest import TODAY
    from tests.fakes.slack_api import start_fake_slack
    from tests.fakes.teams_connector import start_fake_teams
    from tests.live_server import both_platforms, live_server
    from tests.slack_requests import signed_headers, slash_command_body
    from tests.teams_activities import ADA_AAD, channel_message

    slack, teams = start_fake_slack(), start_fake_teams()
    shutil.copy(sqlite_template, tmp_path / "agenda.db")
    settings = both_platforms(f"sqlite:///{tmp_path / 'agenda.db'}", slack.api_url, admins=f"UADMIN,teams:{ADA_AAD}")
    try:
        with live_server(settings, clock=FixedClock(TODAY)) as url:
            slack.users["UADMIN"] = {"locale": "fr-CA"}

            def ask_slack(text: str) -> dict:
                body = slash_command_body(text, response_url=slack.response_url("words"), user_id="UADMIN")
                message = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10)
                message = message.json()
                if "blocks" not in message:  # answered after the acknowledgement
                    message = slack.wait_for_webhooks(1, "words")[-1]
                return message

            said = ask_slack("résumé abonner CT lundi 9h30")
            assert "lundi" in str(said["blocks"]) and "9 h 30" in str(said["blocks"]), said  # the reader's clock
            refused = str(ask_slack("programmer symposium"))
            assert "`programmer`" in refused and "`schedule`" not in refused, refused

            activity = channel_message("ダイジェスト 登録 CT 月曜日 午後3時", teams.url)
            activity["locale"] = "ja-JP"
            assert httpx.post(f"{url}/api/messages", json=activity, timeout=10).status_code == 200
            teams.wait_for(1)
            assert "月曜日" in str(teams.cards()) and "15:00" in str(teams.cards())
        with sqlite3.connect(tmp_path / "agenda.db") as db:
            rows = dict(db.execute("select channel_ref, weekday || ' ' || at from digest_subscription").fetchall())
        assert sorted(rows.values()) == ["0 09:30", "0 15:00"], rows
    finally:
        slack.close()
        teams.close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_help_and_refusals_show_the_reader_s_command_words(coordinators):
    shown = {who.locale: render_text(answer("help", ports=coordinators, requester=who)) for who in (FRENCH, JAPANESE)}
    english = render_text(answer("help", ports=coordinators, requester=ENGLISH))
    assert "`/agenda programmer <" in shown["fr-CA"] and "`/agenda historique <" in shown["fr-CA"]
    assert "`/agenda 日程設定 <" in shown["ja-JP"] and "`/agenda 開催 <" in shown["ja-JP"]
    assert "`/agenda tableau de bord`" in shown["fr-CA"]
    assert "`/agenda non tenue <" in shown["fr-CA"] and "`/agenda 未開催 <" in shown["ja-JP"]
    assert "`/agenda schedule <" in english and "`/agenda held <" in english and "programmer" not in english
    assert "`/agenda historique` (`history`)" in shown["fr-CA"]  # the list of the commands' words, as before
    refused = answer("programmer symposium", ports=coordinators, requester=FRENCH)
    assert refused.title.startswith("`programmer`") and "`/agenda programmer symposium" in refused.sections[0].body
    refused = answer("日程設定 symposium", ports=coordinators, requester=JAPANESE)
    assert refused.title.startswith("`日程設定`"), refused.title
    assert answer("programmer symposium", ports=coordinators, requester=ENGLISH).title.startswith("`schedule`")


def test_lists_are_joined_as_each_language_joins_them():
    from handlers.views.i18n import and_list

    assert [and_list(["A", "B", "C"], language) for language in ("en", "fr", "ja")] == [
        "A, B and C", "A, B et C", "A、B、C"
    ]  # fmt: skip
    assert [and_list(["A", "B"], language) for language in ("en", "fr", "ja")] == ["A and B", "A et B", "A、B"]
    assert and_list(["A"]) == "A" and and_list([]) == ""
    hand_joined = [
        f"{path}:{n}"
        for folder in ("handlers", "scheduling", "bot")
        for path in (ROOT / folder).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if '_(" and ")' in line
    ]
    assert hand_joined == [], "join names with i18n.and_list (Babel's format_list)"


@pytest.mark.parametrize("language", ["fr", "ja"])
def test_the_examples_french_and_japanese_readers_are_given_read_as_written(language):
    """Every whole example (no placeholder) the catalogue gives a French or Japanese reader, in their words, parses."""
    with (ROOT / f"handlers/locale/{language}/LC_MESSAGES/messages.po").open("rb") as source:
        catalogue = read_po(source, locale=language)
    examples = {
        re.sub(r"@(maria|ken)\b", r"<@slack:U\1>", example)  # a mention as the front ends hand it over
        for message in catalogue
        if message.id and isinstance(message.string, str)
        for example in re.findall(r"`/agenda ([^`]+)`", message.string)
        if not re.search(r"[<>\[\]{}…]|\.\.\.|\|", example) and " " in example  # (a command's word alone names it)
    }
    assert len(examples) > 20
    with i18n.speaking(language):
        unread = {example: parse(example).text for example in examples if isinstance(parse(example), ParseError)}
    assert unread == {}
    with i18n.speaking(language):
        help_text = "\n".join((registry.help_text(), registry.coordinators_help()))
    assert {"fr": "[à <ville>] [hôte Canada|Japon] [confirmer]", "ja": "[場所 <都市>] [主催 カナダ|日本] [確定]"}[
        language
    ] in help_text


@pytest.mark.parametrize("said", ["résumé du programme", "tenue de la réunion", "étape suivante", "ダイジェスト 2021"])
def test_an_everyday_french_or_japanese_command_word_with_other_words_is_a_lookup(said):
    assert isinstance(parse(said), Lookup)


@pytest.mark.parametrize("said", ["digest foo", "held foo", "milestone foo", "programmer symposium", "résumé", "開催"])
def test_a_command_typed_wrong_is_still_refused(said):
    assert isinstance(parse(said), ParseError)


@pytest.mark.parametrize("said", ["digest foo", "held foo", "milestone foo"])
def test_the_first_refusals_say_the_words_are_nothing_like_the_command(said):
    """The flag the lookup rule reads: without it `résumé du programme` would be refused, not looked up."""
    assert parse(said).unfit is True
    assert parse("tenue pol-mil 15 déc. 2022 hôte Corée").unfit is False  # a command got partly wrong: refused


def test_the_lookup_rule_follows_the_flag_not_a_message_s_wording():
    reworded = ParseError("Any wording at all.", unfit=True)
    rule = registry.or_lookup_in_other_words("digest", lambda said: reworded)
    assert rule(Said("du programme", "résumé du programme")) is None  # other words: a lookup
    assert rule(Said("foo", "digest foo")) is reworded  # typed in English: refused as before
    partly = ParseError("`digest` needs subscribe, unsubscribe or preview.")  # the old wording, without the flag
    assert registry.or_lookup_in_other_words("digest", lambda said: partly)(Said("x", "résumé x")) is partly


# -- a channel named in `digest`: the digest is always the channel's where the command is typed ------------------

CHANNEL_NAMED = [
    ("digest subscribe CT #general", Digest("subscribe", ("CT",), channels=("#general",))),
    ("digest subscribe <#C0OTHER|general> CT", Digest("subscribe", ("CT",), channels=("<#C0OTHER|general>",))),
    ("digest subscribe #general, CT on monday", Digest("subscribe", ("CT",), 0, channels=("#general",))),
    ("digest unsubscribe #general", Digest("unsubscribe", channels=("#general",))),
    ("résumé abonner CT #canal lundi 9h30", Digest("subscribe", ("CT",), 0, "09:30", channels=("#canal",))),
    ("résumé désabonner <#C0AUTRE|canal>", Digest("unsubscribe", channels=("<#C0AUTRE|canal>",))),
    ("ダイジェスト 登録 #チャンネル CT 月曜日9時30分",
     Digest("subscribe", ("CT",), 0, "09:30", channels=("#チャンネル",))),
    ("ダイジェスト プレビュー #チャンネル", Digest("preview", channels=("#チャンネル",))),
]  # fmt: skip


@pytest.mark.parametrize(("said", "parsed"), CHANNEL_NAMED, ids=[row[0] for row in CHANNEL_NAMED])
def test_a_channel_named_in_digest_is_read_as_a_channel_not_an_area(said, parsed):
    assert parse(said) == parsed


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_digest_naming_another_channel_changes_nothing_and_says_where_to_type_it(coordinators, engine):
    said = {
        "en": answer("digest subscribe CT #general", ports=coordinators, requester=ENGLISH),
        "fr": answer("résumé abonner CT #canal lundi 9h30", ports=coordinators, requester=FRENCH),
        "ja": answer("ダイジェスト 登録 <#C0OTHER|チャンネル> CT", ports=coordinators, requester=JAPANESE),
    }
    assert {language: reply.tone for language, reply in said.items()} == dict.fromkeys(said, "error")
    texts = {language: render_text(reply) for language, reply in said.items()}
    assert "#general" in texts["en"] and "channel where the command is typed" in texts["en"]
    assert "#canal" in texts["fr"] and "canal où la commande est tapée" in texts["fr"]
    assert "#チャンネル" in texts["ja"] and "コマンドを入力したチャンネル" in texts["ja"]
    assert not any("area" in text or "domaine" in text or "分野" in text for text in texts.values()), texts
    with session(engine) as db:
        assert db.exec(select(DigestSubscription)).all() == []  # the wrong channel is not subscribed, nor this one
    # Unsubscribing or previewing another channel is refused alike, and this channel's digest is left alone
    assert answer("digest subscribe CT", ports=coordinators, requester=ENGLISH).tone == "answer"
    assert answer("digest unsubscribe #general", ports=coordinators, requester=ENGLISH).tone == "error"
    assert answer("digest preview #general", ports=coordinators, requester=ENGLISH).tone == "error"
    with session(engine) as db:
        assert [row.channel_ref for row in db.exec(select(DigestSubscription))] == [ENGLISH.channel_ref]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_digest_naming_the_channel_it_is_typed_in_subscribes_it(coordinators, engine):
    by_id = answer("digest subscribe <#CLEADS|leads> CT on friday at 08:30", ports=coordinators, requester=ENGLISH)
    named = dataclasses.replace(FRENCH, channel_name="réunions")  # Slack gives a command's channel name
    by_name = answer("résumé abonner #reunions CT lundi 9h30", ports=coordinators, requester=named)
    assert (by_id.tone, by_name.tone) == ("answer", "answer"), (render_text(by_id), render_text(by_name))
    with session(engine) as db:
        rows = {row.channel_ref: (row.weekday, row.at) for row in db.exec(select(DigestSubscription))}
    assert rows == {ENGLISH.channel_ref: (4, "08:30"), FRENCH.channel_ref: (0, "09:30")}


# -- more than one word per command where a language has natural synonyms, declared in the registry --------------

SYNONYMS = [  # (a synonym, the word help shows for it)
    ("aidez-moi", "aide"), ("助けて", "ヘルプ"), ("thèmes", "domaines"), ("分野一覧", "分野"),
    ("rappeler moi 14 2", "rappel moi 14 2"), ("リマインダー 自分 14 2", "リマインド 自分 14 2"),
    ("créneaux demain 90m", "créneau demain 90m"), ("空き時間 明日90分", "時間枠 明日 90分"),
    ("変更履歴 2002-A4", "履歴 2002-A4"), ("réunions pol-mil", "réunion pol-mil"), ("会議 pol-mil", "会合 pol-mil"),
]  # fmt: skip


@pytest.mark.parametrize(("synonym", "shown"), SYNONYMS, ids=[row[0] for row in SYNONYMS])
def test_a_command_s_synonyms_read_as_its_word_and_help_shows_the_first(synonym, shown):
    assert not isinstance(parse(shown), (ParseError, Lookup)), shown
    assert parse(synonym) == parse(shown)
    keyword = fold(synonym.split()[0])[0]
    assert keyword in registry.keywords()  # declared in the registry, not left to the questions
    for language in ("fr", "ja"):
        with i18n.speaking(language):
            listed = {local for local, _english in registry.local_keywords()}
        assert synonym.split()[0] not in listed  # help names one word per command


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_synonym_through_the_handler(coordinators):
    said = answer("会議 pol-mil", ports=coordinators, requester=JAPANESE)
    assert said.tone == "answer" and render_text(said) == render_text(
        answer("会合 pol-mil", ports=coordinators, requester=JAPANESE)
    )


def test_help_shows_the_values_a_reader_types():
    """`aide lier`, `ヘルプ 言語`: the values (a language, a platform, a timezone's city) as the reader types them."""
    from handlers.commands.listings import help_reply

    def shown(words: str) -> str:
        reply = help_reply(parse(words), None)
        return "\n".join(section.body or "" for section in reply.sections)

    with i18n.speaking("fr"):
        link = shown("aide lier")
        assert "`/agenda lier rappels teams`" in link and "reminders" not in link, link
        assert "`/agenda langue français|japonais|anglais`" in shown("aide langue")
        assert "`/agenda langue anglais`" in shown("aide langue")
        assert "Tokio" in shown("aide résumé")
    with i18n.speaking("ja"):
        link = shown("ヘルプ 連携")
        assert "スラック|チームズ|両方" in link and "`/agenda 連携 リマインダー スラック`" in link, link
        assert "`/agenda 言語 日本語|フランス語|英語`" in shown("ヘルプ 言語")
        assert "`/agenda ダイジェスト 登録 CT 金曜日 8時30分 東京`" in shown("ヘルプ ダイジェスト")


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("language", "typed", "named"),
    [
        ("fr", "qu'est-ce qui a changé depuis lundi", "`/agenda historique <id ou réunion>`"),
        ("ja", "最近の変更は", "`/agenda 履歴 <ID または会合>`"),
        ("fr", "prochain 3 jours", "`/agenda prochain 1 an`"),
        ("ja", "今後 3日", "`/agenda 今後 1年`"),
    ],
)
def test_any_answer_names_a_command_in_the_reader_s_words(ports, language, typed, named):
    """Not only help and refusals: a sentence of any answer that names a command names it as the reader types it,
    and what it names parses back to that command."""
    from handlers import answer
    from handlers.commands.parser import Next, parse
    from handlers.domain.ports import Requester
    from handlers.views.text import render_text

    reply = answer(typed, ports=ports, requester=Requester(user_ref="slack:U0WORDS", locale=language))
    assert named in render_text(reply)
    if "1" in named:
        assert parse(named.strip("`").removeprefix("/agenda ")) == Next(1, "years")
