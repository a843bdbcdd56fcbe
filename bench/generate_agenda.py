"""A generated agenda of N commitments (default 10,000) for the benchmarks.

It is written as a seeds directory in the curated format (``catalogue.yaml``,
``commitments/<document>.yaml``) with a source text per generated document,
so the real reader and loader take it: ``read_agenda(dir)`` then
``load_seeds``. The real agenda is its base (its areas, departments,
documents, mechanisms and 97-odd commitments, so `show 2002-A4` and `MLAT`
still mean something); the rest is generated, deterministically, from
phrases of the real agenda, so full-text search and area listings see
realistic hit counts: ~24 areas, 40 documents, a few hundred mechanisms
with cadences and occurrences.

    .venv/bin/python bench/generate_agenda.py OUT_DIR [--commitments 10000] [--database-url sqlite:///big.db]
"""

from __future__ import annotations

import argparse
import itertools
import random
import string
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from models.db import make_engine, migrate, session  # noqa: E402
from seeds.catalogue import SOURCES_DIR, SeedAgenda, normalise_source, read_agenda  # noqa: E402
from seeds.loader import LoadReport, load_seeds  # noqa: E402
from seeds.schema import (  # noqa: E402
    CadenceSeed,
    Catalogue,
    CommitmentSeed,
    DocumentSeed,
    MechanismSeed,
    OccurrenceSeed,
)

DOCUMENTS = 40  # in all, the real ones included

# What the commitments of each area are about, in the agenda's own words.
TOPICS = {
    "counter-terrorism": [
        "counter-terrorism capacity building in Southeast Asia", "measures against terrorist financing",
        "aviation security and transport security", "the fight against terrorism",
        "preventing terrorists from gaining access to weapons of mass destruction",
        "border security and immigration control against terrorism",
    ],
    "transnational-crime": [
        "action against transnational organized crime", "the control of illicit drugs and narcotics",
        "the UN Convention against Transnational Organized Crime", "trafficking in persons and money laundering",
    ],
    "legal-cooperation": [
        "mutual legal assistance in criminal matters", "cooperation between law enforcement agencies",
        "judicial cooperation and extradition", "the investigation of cybercrime",
    ],
    "non-proliferation": [
        "nuclear disarmament and non-proliferation",
        "the entry into force of the Comprehensive Nuclear-Test-Ban Treaty",
        "IAEA safeguards and the Additional Protocol", "negotiations on a Fissile Material Cut-off Treaty",
        "export controls on missiles and dual-use goods", "the review process of the NPT",
        "the security of nuclear material",
    ],
    "small-arms": [
        "the UN Programme of Action on small arms and light weapons", "controls on illicit flows of small arms",
        "weapons collection in post-conflict areas",
    ],
    "mine-action": [
        "the universalization of the Ottawa Convention", "demining and mine clearance",
        "assistance to landmine survivors", "clearing explosive remnants of war",
    ],
    "peacekeeping": [
        "training for UN peacekeeping operations", "civilian police in peace support operations",
        "the work of peacekeeping training centres", "peacekeeping on the Golan Heights with UNDOF",
    ],
    "peacebuilding": [
        "security sector reform", "the disarmament, demobilization and reintegration of former combatants",
        "conflict prevention and post-conflict reconstruction", "official development assistance for peacebuilding",
    ],
    "human-security": [
        "the protection of civilians in armed conflict", "human security in development assistance",
        "the responsibility to protect", "the Trust Fund for Human Security",
    ],
    "afghanistan": [
        "reconstruction and stability in Afghanistan", "the training of the Afghan National Police",
        "elections and governance in Afghanistan", "counter-narcotics in Afghanistan",
    ],
    "middle-east": [
        "the Middle East Peace Process", "assistance to the Palestinian Authority",
        "Palestinian refugees in the Middle East",
    ],
    "north-korea": [
        "the denuclearization of the Korean Peninsula", "UN Security Council sanctions on North Korea",
        "the monitoring of ship-to-ship transfers", "the abductions issue",
    ],
    "regional-security": [
        "the ASEAN Regional Forum", "preventive diplomacy in the Asia-Pacific region",
        "maritime security in the Indo-Pacific", "a free and open Indo-Pacific",
        "confidence-building measures in the region",
    ],
    "un-reform": [
        "reform of the UN Security Council", "the work of the UN General Assembly",
        "the effectiveness of the United Nations",
    ],
    "rule-of-law": [
        "the rule of law at sea and UNCLOS", "the International Criminal Court",
        "a rules-based international order", "the peaceful settlement of disputes",
    ],
    "defence-relations": [
        "defence exchanges between the Canadian Armed Forces and the Japan Self-Defense Forces",
        "the Acquisition and Cross-Servicing Agreement", "joint exercises and port visits",
        "military-to-military talks",
    ],
    "dialogue": [
        "policy dialogue between officials", "exchanges among research institutes and NGOs",
        "track two dialogue", "personnel exchanges",
    ],
    "hadr": [
        "humanitarian assistance and disaster relief", "disaster response in the Asia-Pacific",
        "the coordination of emergency relief",
    ],
    "health-security": [
        "the response to COVID-19", "equitable access to vaccines", "universal health coverage",
        "preparedness for pandemics and biological threats",
    ],
    "energy-security": [
        "energy security and a stable supply of LNG", "investment in energy infrastructure",
        "clean energy technologies",
    ],
    "trade": ["the CPTPP and free trade", "WTO reform", "resilient supply chains", "inclusive trade for SMEs"],
    "climate-environment": [
        "climate change and climate finance", "the Pacific island countries",
        "ocean sustainability and marine plastic litter", "food security",
    ],
    "africa": [
        "peace and stability in Africa", "capacity building for African peacekeeping",
        "security in West Africa and ECOWAS",
    ],
    "south-asia": [
        "the nuclear tests by India and Pakistan", "dialogue between India and Pakistan", "stability in South Asia",
    ],
}  # fmt: skip
GENERIC_TOPICS = ["peace and security cooperation", "regional stability", "international cooperation"]
ORGANISATIONS = {
    "counter-terrorism": ["G8", "UN Counter-Terrorism Committee"], "transnational-crime": ["UNODC"],
    "non-proliferation": ["IAEA", "NPT", "CTBT"], "small-arms": ["UN Programme of Action on SALW"],
    "peacekeeping": ["UN", "UNDOF"], "north-korea": ["UN Security Council"],
    "regional-security": ["ASEAN Regional Forum"], "un-reform": ["UN General Assembly"],
    "rule-of-law": ["International Criminal Court"], "health-security": ["WHO"],
    "trade": ["WTO", "CPTPP"], "africa": ["African Union", "ECOWAS"],
}  # fmt: skip
# (how the text words it, how the title words it)
VERBS = [
    ("will cooperate on", "Cooperate on"),
    ("will strengthen their cooperation on", "Strengthen cooperation on"),
    ("will explore ways to advance", "Explore ways to advance"),
    ("will coordinate their approaches to", "Coordinate on"),
    ("will continue to support", "Support"),
    ("will promote", "Promote"),
    ("will consider joint projects on", "Consider joint projects on"),
    ("will exchange information on", "Exchange information on"),
    ("reaffirm their commitment to", "Reaffirm commitment to"),
    ("will work together at the United Nations on", "Work together at the UN on"),
]  # fmt: skip
SUBJECTS = ["Canada and Japan", "The Governments of Canada and Japan", "The two countries", "Both Governments"]
QUALIFIERS = [
    "", " in the Asia-Pacific region", " through the G8", " in the ASEAN Regional Forum", " at the United Nations",
    ", resources permitting", ", including through joint seminars and training", " in close consultation with partners",
    " with the IAEA and other international organizations", " in Afghanistan and elsewhere",
]  # fmt: skip
PREAMBLES = [
    "", "Recognizing the importance of {topic}, ", "Building on their cooperation to date, ",
    "In view of the threats to international peace and security, ", "Noting the progress made since the last meeting, ",
]  # fmt: skip
# Short names for meetings: "Canada-Japan Expert-Level Mine Action Seminar".
MEETING_TOPICS = {
    "counter-terrorism": "Counter-Terrorism", "transnational-crime": "Organized Crime",
    "legal-cooperation": "Legal Cooperation", "non-proliferation": "Non-Proliferation and Disarmament",
    "small-arms": "Small Arms", "mine-action": "Mine Action",
    "peacekeeping": "Peacekeeping", "peacebuilding": "Peacebuilding", "human-security": "Human Security",
    "afghanistan": "Afghanistan", "middle-east": "Middle East", "north-korea": "North Korea",
    "regional-security": "Regional Security", "un-reform": "UN Affairs", "rule-of-law": "International Law",
    "defence-relations": "Defence", "dialogue": "Policy Planning", "hadr": "Disaster Relief",
    "health-security": "Health Security", "energy-security": "Energy", "trade": "Trade Policy",
    "climate-environment": "Climate and Oceans", "africa": "Africa", "south-asia": "South Asia",
}  # fmt: skip
MEETINGS = ["Dialogue", "Consultations", "Working Group", "Seminar", "Joint Committee", "Experts' Meeting", "Talks"]
LEVELS = ["", "Senior Officials' ", "Expert-Level ", "Working-Level ", "Ministerial "]
CADENCES = [
    ("FREQ=YEARLY", "every year"), ("FREQ=YEARLY", "annually"), ("FREQ=YEARLY;INTERVAL=2", "every two years"),
    ("FREQ=MONTHLY;INTERVAL=6", "twice a year"), ("FREQ=YEARLY;INTERVAL=3", "every three years"),
]  # fmt: skip
_MONTHS = "January February March April May June July August September October November December".split()
CITIES = {
    "CA": ["Ottawa", "Vancouver", "Toronto", "Montreal", "Halifax"],
    "JP": ["Tokyo", "Kyoto", "Osaka", "Hiroshima"],
}
DOCUMENT_TITLES = [
    ("joint-statement", "Canada-Japan Joint Statement on Peace and Security Cooperation"),
    ("action-plan", "Canada-Japan Action Plan for Peace and Security"),
    ("ministerial-statement", "Statement by the Canadian and Japanese Foreign Ministers"),
    ("progress-report", "Canada-Japan Peace and Security Cooperation: Progress Report"),
]


def generate(n: int = 10_000, *, seed: int = 2026, base: SeedAgenda | None = None) -> SeedAgenda:
    """The real agenda plus generated commitments up to ``n`` in all."""
    rng = random.Random(seed)
    base = base or read_agenda()
    real = base.catalogue
    areas = {a.key: a for a in real.areas}
    departments = {country: [d.key for d in real.departments if d.country == country] for country in ("CA", "JP")}
    taken_years = {int(d.date[:4]) for d in real.documents}
    years = [y for y in range(1980, 2026) if y not in taken_years][-(DOCUMENTS - len(real.documents)) :]
    documents = [_document(rng, year) for year in years]
    # Uneven sizes, like the real documents (8 to 32 commitments there).
    remaining = max(0, n - len(base.commitments))
    weights = [rng.uniform(0.3, 1.7) for _ in documents]
    sizes = [int(remaining * w / sum(weights)) for w in weights]
    sizes[-1] += remaining - sum(sizes)

    mechanisms: dict[str, MechanismSeed] = {}
    by_area: dict[str, list[str]] = {}  # mechanisms stated so far, per area
    target_mechanisms = max(1, remaining // 33)  # ~300 for 10,000
    commitments: list[tuple[str, CommitmentSeed]] = []
    made = 0
    for document, size in zip(documents, sizes, strict=True):
        year = int(document.date[:4])
        sections = min(26, max(3, round(size / 20)))
        section_areas = [rng.choice(list(areas)) for _ in range(sections)]
        for i in range(size):
            s = i * sections // size
            letter, area = string.ascii_uppercase[s], section_areas[s]
            position = i - (s * size + sections - 1) // sections + 1
            cid = f"{year}-{letter}{position}"
            others = rng.sample(list(areas), rng.choice([0, 0, 1, 1, 2]))
            commitment_areas = [area, *(a for a in others if a != area)]
            states_mechanism = rng.random() < (target_mechanisms - len(mechanisms)) / (remaining - made)
            linked = by_area.get(area) if rng.random() < 0.1 else None
            if states_mechanism:
                fields = _mechanism_commitment(rng, cid, document, area, areas[area].name, mechanisms, departments)
                by_area.setdefault(area, []).append(fields["mechanism"])
            elif linked:
                fields = _linked_commitment(rng, cid, document, area, mechanisms[rng.choice(linked)], mechanisms)
            else:
                fields = _commitment(rng, year, commitment_areas, departments)
            fields["section"] = f"{letter}. {areas[area].name}"
            fields["areas"] = list(dict.fromkeys([*fields["areas"], *commitment_areas]))
            if commitments and rng.random() < 0.1:
                fields["related"] = [rng.choice(commitments)[1].id]
            # Built once: validating an EDTF date costs milliseconds (pyparsing).
            commitments.append((document.key, CommitmentSeed(id=cid, **fields)))
            made += 1

    catalogue = Catalogue(
        documents=[*real.documents, *documents],
        areas=real.areas,
        departments=real.departments,
        mechanisms=[*real.mechanisms, *mechanisms.values()],
    )
    return SeedAgenda(catalogue=catalogue, commitments=[*base.commitments, *commitments])


def _document(rng: random.Random, year: int) -> DocumentSeed:
    slug, title = rng.choice(DOCUMENT_TITLES)
    host = rng.choice(["CA", "JP"])
    return DocumentSeed(
        key=f"{slug}-{year}",
        title=f"{title} ({year})",
        short_title=f"{year} {title.split(':')[0].removeprefix('Canada-Japan ')}",
        source_file=f"generated-{year}.txt",
        date=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        date_note="Generated for the benchmark (bench/generate_agenda.py).",
        place=rng.choice(CITIES[host]),
        issued_by="Foreign Ministers of Canada and Japan",
    )


def _owners(rng: random.Random, departments: dict[str, list[str]]) -> list[str]:
    if rng.random() < 0.6:
        return ["global-affairs-canada", "mofa-japan"]
    return [rng.choice(departments["CA"]), rng.choice(departments["JP"])]


def _sentence(rng: random.Random, topic: str) -> tuple[str, str]:
    verb, title_verb = rng.choice(VERBS)
    preamble = rng.choice(PREAMBLES).format(topic=topic)
    subject = rng.choice(SUBJECTS)
    if preamble and not subject.startswith("Canada"):  # mid-sentence after the preamble
        subject = subject[0].lower() + subject[1:]
    return f"{preamble}{subject} {verb} {topic}{rng.choice(QUALIFIERS)}.", f"{title_verb} {topic}"


def _commitment(rng: random.Random, year: int, areas: list[str], departments: dict[str, list[str]]) -> dict:
    topic = rng.choice(TOPICS.get(areas[0], GENERIC_TOPICS))
    text, title = _sentence(rng, topic)
    if len(areas) > 1:  # a second sentence on the secondary area, as the real texts often have
        other = rng.choice(TOPICS.get(areas[1], GENERIC_TOPICS))
        text += f" They will also {rng.choice(VERBS)[0].removeprefix('will ')} {other}."
    kind = rng.choices(["ongoing_cooperation", "position", "one_time_event", "deadline"], weights=[70, 12, 12, 6])[0]
    due, stated = None, []
    if kind == "one_time_event":
        when = year + rng.randint(0, 1)
        month = rng.randint(1, 12)
        stated = [f"in {_MONTHS[month - 1]} {when}"]
        text += f" A meeting on {topic} will be held {stated[0]}."
        due = f"{when}-{month:02d}"
    elif kind == "deadline":
        when = year + rng.randint(1, 3)
        stated = [f"by the end of {when}"]
        text = text.removesuffix(".") + f" {stated[0]}."
        due = f"../{when}-12-31"
    return dict(
        title=title[0].upper() + title[1:],
        text=text,
        areas=areas,
        kind=kind,
        dates_stated=stated,
        due=due,
        organisations=sorted({o for a in areas for o in ORGANISATIONS.get(a, [])})[:3],
        owners=_owners(rng, departments),
    )


def _mechanism_commitment(
    rng: random.Random,
    cid: str,
    document: DocumentSeed,
    area: str,
    area_name: str,
    mechanisms: dict[str, MechanismSeed],
    departments: dict[str, list[str]],
) -> dict:
    """A commitment that sets up a recurring meeting, and the meeting itself."""
    topic = MEETING_TOPICS.get(area, area_name)
    for attempt in itertools.count():  # a name not used yet; numbered once the combinations run out
        name = f"Canada-Japan {rng.choice(LEVELS)}{topic} {rng.choice(MEETINGS)}" + (f" {attempt}" * (attempt > 50))
        key = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
        if key not in mechanisms:
            break
    rrule, stated = rng.choice(CADENCES)
    owners = _owners(rng, departments)
    year = int(document.date[:4])
    occurrences = []
    host = rng.choice(["CA", "JP"])
    for k in range(rng.choice([0, 0, 1, 2, 3])):  # meetings the sources record, alternating host
        occurrences.append(
            OccurrenceSeed(
                date=f"{year + k}-{rng.randint(1, 12):02d}",
                place=rng.choice(CITIES[host]),
                host=host,
                note="Generated.",
                commitment=cid,
            )
        )
        host = "JP" if host == "CA" else "CA"
    mechanisms[key] = MechanismSeed(
        key=key,
        name=name,
        areas=[area],
        owners=owners,
        alternates_host=rng.random() < 0.7,
        usual_season=rng.choice([None, None, "2000-21", "2000-22", "2000-23", "2000-24"]),
        cadences=[CadenceSeed(rrule=rrule, stated=stated, commitment=cid, effective=document.date)],
        occurrences=occurrences,
    )
    return dict(
        title=f"Hold the {name} {stated}",
        text=f"Canada and Japan will hold the {name} {stated}, alternating between the two countries, "
        f"to review their cooperation on {rng.choice(TOPICS.get(area, GENERIC_TOPICS))}.",
        areas=[area],
        kind="recurring_mechanism",
        dates_stated=[stated],
        mechanism=key,
        owners=owners,
    )


def _linked_commitment(
    rng: random.Random,
    cid: str,
    document: DocumentSeed,
    area: str,
    mechanism: MechanismSeed,
    mechanisms: dict[str, MechanismSeed],
) -> dict:
    """Work done in an existing meeting; now and then it restates the cadence, as later documents do."""
    topic = rng.choice(TOPICS.get(area, GENERIC_TOPICS))
    text = f"In the framework of the {mechanism.name}, the two countries will take stock of {topic}."
    stated: list[str] = []
    if rng.random() < 0.1 and document.date > mechanism.cadences[-1].effective:
        rrule, phrase = rng.choice(CADENCES)
        stated = [phrase]
        text += f" The {mechanism.name} will henceforth meet {phrase}."
        cadence = CadenceSeed(rrule=rrule, stated=phrase, commitment=cid, effective=document.date)
        mechanisms[mechanism.key] = mechanism.model_copy(update={"cadences": [*mechanism.cadences, cadence]})
    return dict(
        title=f"Take stock of {topic} in the {mechanism.name}",
        text=text,
        areas=[area],
        kind="ongoing_cooperation",
        dates_stated=stated,
        mechanism=mechanism.key,
        owners=mechanism.owners,
    )


# -- writing and loading ---------------------------------------------------------


def write_agenda(agenda: SeedAgenda, out: Path) -> Path:
    """Write ``out/catalogue.yaml``, ``out/commitments/*.yaml`` and ``out/sources/*.txt``; returns ``out``."""
    (out / "commitments").mkdir(parents=True, exist_ok=True)
    (out / "sources").mkdir(exist_ok=True)
    _dump(agenda.catalogue.model_dump(mode="json", exclude_defaults=True), out / "catalogue.yaml")
    for document in agenda.catalogue.documents:
        mine = [c for key, c in agenda.commitments if key == document.key]
        body = {
            "document": document.key,
            "commitments": [c.model_dump(mode="json", exclude_defaults=True) for c in mine],
        }
        _dump(body, out / "commitments" / f"{document.key}.yaml")
        if not (SOURCES_DIR / document.source_file).exists():  # a generated document: its text is ours
            lines, section = [document.title, ""], None
            for c in mine:
                if c.section != section:
                    lines += ["", c.section, ""]
                    section = c.section
                lines.append(c.text)
            (out / "sources" / document.source_file).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _dump(data: object, path: Path) -> None:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: 10x faster
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle, Dumper=dumper, sort_keys=False, allow_unicode=True, width=110)


def verbatim_problems(agenda_dir: Path) -> list[str]:
    """Like seeds.catalogue.verbatim_problems, but generated documents are read from ``agenda_dir/sources``."""
    agenda = read_agenda(agenda_dir)
    problems = []
    for document in agenda.catalogue.documents:
        local = agenda_dir / "sources" / document.source_file
        source = normalise_source((local if local.exists() else SOURCES_DIR / document.source_file).read_text())
        problems += [
            f"{c.id}: not verbatim in {document.key}"
            for key, c in agenda.commitments
            if key == document.key and normalise_source(c.text) not in source
        ]
    return problems


def load_into(database_url: str, agenda_dir: Path) -> LoadReport:
    """Migrate the database and load the agenda written in ``agenda_dir`` with the real loader."""
    engine = make_engine(database_url)
    try:
        migrate(engine)
        with session(engine) as db:
            return load_seeds(db, read_agenda(agenda_dir))
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="directory to write the seeds to")
    parser.add_argument("--commitments", type=int, default=10_000, help="in all, the real ones included")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same agenda)")
    parser.add_argument("--database-url", help="also migrate this database and load the agenda into it")
    parser.add_argument("--verify", action="store_true", help="check every text is verbatim in its source")
    args = parser.parse_args()
    started = time.perf_counter()
    agenda = generate(args.commitments, seed=args.seed)
    write_agenda(agenda, args.out)
    mechanisms = len(agenda.catalogue.mechanisms)
    documents = len(agenda.catalogue.documents)
    print(
        f"wrote {len(agenda.commitments)} commitments, {documents} documents, {mechanisms} mechanisms "
        f"to {args.out} in {time.perf_counter() - started:.1f}s"
    )
    if args.verify:
        problems = verbatim_problems(args.out)
        print("\n".join(problems) or "ok: every text is verbatim in its source")
        if problems:
            return 1
    if args.database_url:
        started = time.perf_counter()
        report = load_into(args.database_url, args.out)
        print(f"loaded in {time.perf_counter() - started:.1f}s: {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
