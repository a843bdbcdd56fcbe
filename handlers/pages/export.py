"""The agenda as data: one flat row per commitment, for export and --json."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlmodel import Session

from handlers.domain import audience, provenance
from handlers.domain.timeline import Timeline
from models import audit_log, repository, translations
from models.provenance import changes_by_target, departments
from models.tables import Sensitivity
from scheduling.fuzzy import FuzzyDate

CSV_COLUMNS = [
    "id", "title", "text", "document", "document_title", "document_date", "section", "areas", "kind",
    "status", "status_wording", "stage", "stage_date", "stages", "steps", "sensitivity", "owners", "due", "next",
    "dates_stated", "organisations", "mechanism", "related",
    "owners_source", "status_source", "due_source",  # where each fact comes from (handlers/domain/provenance.py)
    # The team's French and Japanese titles (translations, marked so where shown), and official texts with
    # their sources (models/translations.py); empty where there is none.
    "title_fr", "title_ja", "official_fr", "official_fr_source", "official_ja", "official_ja_source",
]  # fmt: skip
LANGUAGES = ("fr", "ja")


def commitment_rows(*, session: Session, timeline: Timeline, ids: Sequence[int] | None = None) -> list[dict]:
    if ids is None:
        ids = repository.commitment_ids_oldest_first(session=session)
    rows = []
    records = repository.load_commitments(session=session, ids=ids)
    keys = [r.commitment.key for r in records] + [r.mechanism.key for r in records if r.mechanism]
    changes = changes_by_target(session=session, keys=keys)
    named = departments(session=session)
    translated = translations.of_commitments(session=session, keys=[r.commitment.key for r in records])
    for record in records:
        c, d = record.commitment, record.document
        sources = provenance.of(
            record, changes.get(c.key, []), named, changes.get(record.mechanism.key, []) if record.mechanism else []
        )
        next_date = timeline.next_date(record)
        stages = timeline.stages.get(c.id, [])
        rows.append(
            {
                "id": c.key,
                "title": c.title,
                "text": c.text,
                "document": d.short_title,
                "document_title": d.title,
                "document_date": d.date_edtf,
                "section": c.section,
                "areas": [a.key for a in record.areas],
                "kind": c.kind,
                "status": c.status,
                "status_wording": timeline.status(c),
                # A treaty's stage and its date are its status to a reader (negotiations_launched, concluded,
                # signed, in_force); stages: all of them, "signed 2010-05-24" each.
                "stage": stages[-1][0] if stages else None,
                "stage_date": stages[-1][1] if stages else None,
                "stages": [f"{stage} {on}" for stage, on in stages],
                # Sub-steps of the undertaking: [{"text": …, "done": EDTF or null}] (handlers/domain/splits.py).
                "steps": [dict(step) for step in c.steps],
                "sensitivity": c.sensitivity,
                "owners": [o.display_name for o in record.owners],
                "due": c.due_edtf,
                "next": next_date.wording if next_date else None,
                "dates_stated": c.dates_stated,
                "organisations": c.organisation_list,
                "mechanism": record.mechanism.key if record.mechanism else None,
                "related": c.related_keys,
                **sources.as_row(),
                **_translations(translated.get(c.key, {})),
            }
        )
    return rows


def _translations(rows: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for language in LANGUAGES:
        title, official = rows.get(("title", language)), rows.get((translations.OFFICIAL, language))
        found[f"title_{language}"] = title.text if title else ""
        found[f"official_{language}"] = official.text if official else ""
        found[f"official_{language}_source"] = official.source if official else ""
    return found


def mechanism_rows(*, session: Session, timeline: Timeline) -> list[dict]:
    """Every meeting, with the sensitivity it carries from its commitments (handlers/domain/audience.py)."""
    restricted = audience.restricted_meetings(session, timeline.outlooks)
    rows = []
    for outlook in timeline.outlooks.values():
        record = outlook.record
        rows.append(
            {
                "id": record.mechanism.key,
                "name": record.mechanism.name,
                "sensitivity": str(Sensitivity.restricted if record.mechanism.id in restricted else Sensitivity.public),
                "alternates_host": record.mechanism.alternates_host,
                "owners": [o.display_name for o in record.owners],
                "cadences": [
                    {
                        "rrule": c.rrule,
                        "stated": c.stated,
                        "effective": c.effective_edtf,
                        "source": c.source_commitment_key,
                    }
                    for c in record.cadences
                ],
                "occurrences": [
                    {
                        "date": o.date_edtf,
                        "wording": FuzzyDate.parse(o.date_edtf).describe(),
                        "starts_at": o.starts_at.isoformat() if o.starts_at else None,  # a fixed time, UTC
                        "timezone": o.timezone,  # the zone it was fixed in
                        "place": o.place,
                        "host": o.host,
                        "planned_only": o.planned_only,
                        "source": o.source_commitment_key,
                    }
                    for o in record.occurrences
                ],
                "next": outlook.next.wording if outlook.next else None,
                "projection_basis": outlook.projection.basis if outlook.projection else None,
            }
        )
    return rows


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(map(_cell, v)) if isinstance(v, list) else v for k, v in row.items()})
    return buffer.getvalue()


def _cell(value) -> str:
    """One value of a list in a cell; a sub-step as "text (done 2003-05)" or "text"."""
    if isinstance(value, dict):
        return f"{value['text']} (done {value['done']})" if value.get("done") else value["text"]
    return str(value)


def split_rows(*, session: Session) -> list[dict]:
    """Retired ids and what they became: read by people and tools, stated by the seeds (never imported)."""
    from models.splits import all_splits

    return [{"id": s.key, "into": s.successor_keys, "lead_in": s.lead_in or None} for s in all_splits(session=session)]


def commitment_ids_by_key(*, session: Session, keys: Sequence[str]) -> list[int]:
    found = repository.ids_for_keys(session=session, commitment_keys=keys, mechanism_keys=())
    return [found[("commitment", k)] for k in keys if ("commitment", k) in found]


def audit_rows(*, session: Session) -> list[dict]:
    """The whole audit log, oldest first."""
    entries = audit_log.all_entries(session=session)
    return [
        {
            "at": e.at.isoformat(),
            "actor": e.actor_ref,
            "origin": e.origin,
            "action": e.action,
            "target_type": e.target_type,
            "target": e.target_key,
            "before": e.before,
            "after": e.after,
            "note": e.note,
        }
        for e in entries
    ]
