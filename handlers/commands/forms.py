"""`/agenda add` and `/agenda edit <id>`: a form (a Slack modal), validated
field by field; an edit made on an outdated copy is refused, saying what
changed in between, so no update is lost. Coordinators and admins only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from handlers.commands.listings import KIND_WORDS, unknown_id
from handlers.commands.parser import MENTION, OpenForm
from handlers.domain import audit
from handlers.domain.audience import is_private, shared_safe
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.ports import Ports, Requester
from handlers.domain.when import WhenError, check_edtf, parse_when
from handlers.views import i18n
from handlers.views.dates import when
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Tone, Visibility
from models import audit_log, repository, translations, writes
from models.db import declare_write
from models.revision import agenda_changed
from models.tables import (
    Cadence,
    Commitment,
    CommitmentArea,
    Document,
    Kind,
    Mechanism,
    Origin,
    Owner,
    OwnerKind,
    Role,
    Sensitivity,
)
from scheduling.fuzzy import FuzzyDate

CADENCES = {  # the form's cadence choices (their labels translated where shown)
    "none": None,
    "every year": "FREQ=YEARLY",
    "every 2 years": "FREQ=YEARLY;INTERVAL=2",
    "every 5 years": "FREQ=YEARLY;INTERVAL=5",
}
CADENCE_LABELS = {
    "none": N_("none"),
    "every year": N_("every year"),
    "every 2 years": N_("every 2 years"),
    "every 5 years": N_("every 5 years"),
}
_CADENCE_WORDS = {rrule: words for words, rrule in CADENCES.items() if rrule}
# Slack shows an error only under an input, so a problem with the whole form
# (an outdated copy) goes under the first field.
GENERAL = "title"
ERROR_LIMIT = 2000
ADDED_DOCUMENT = "added-in-bot"
ADDED_SHORT_TITLE = N_("Added in the bot")  # its short title; French and Japanese: the catalogue's


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # text | multiline | select | multiselect | users
    required: bool = True
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    initial: str | tuple[str, ...] | None = None
    max_length: int | None = None
    hint: str = ""


@dataclass(frozen=True)
class Form:
    title: str
    key: str | None  # None: a new commitment
    version: int | None
    opened_at: str  # ISO UTC; what changed after it is shown on a conflict
    fields: list[FormField] = field(default_factory=list)
    kind: str = "commitment"  # what saving it does: a commitment added or edited, or "held"
    # (handlers/commands/held_form.py)
    language: str = field(default_factory=i18n.current)  # its words' language: the platform's own follow it


@dataclass(frozen=True)
class FormResult:
    errors: dict[str, str] = field(default_factory=dict)
    reply: Reply | None = None  # the confirmation, as the conversation the form came from may see it
    private: Reply | None = None  # the confirmation in full, for the person who saved (a dialog's closing note)


def open_form(command: OpenForm, ctx: Context) -> Reply:
    doing = N_("add commitments") if command.id is None else N_("edit commitments")
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, doing, ctx.ports.admins)
    row = None
    if command.id is not None:
        commitment_id = repository.get_commitment_id(session=ctx.session, key=command.id)
        if commitment_id is None:
            return unknown_id(command.id, ctx)
        row = ctx.session.get(Commitment, commitment_id)
    form = Form(
        title=_("Edit commitment") if row else _("Add a commitment"),
        key=row.key if row else None,
        version=row.version if row else None,
        opened_at=ctx.ports.clock.now().isoformat(),
        fields=_fields(ctx, row),
    )
    return Reply(title=_("{title}: the form is open.").format(title=form.title), form=form)


def _fields(ctx: Context, row: Commitment | None) -> list[FormField]:
    areas = tuple(
        (a.key, ctx.names.of(a)) for a, _n in repository.list_areas(session=ctx.session, include_restricted=True)
    )
    departments = tuple((d.key, ctx.names.of(d)) for d in repository.list_departments(session=ctx.session))
    values = _current(ctx, row) if row else {}
    return [
        FormField("title", _("Short title"), "text", max_length=120, initial=values.get("title")),
        FormField("text", _("Agreed text, word for word"), "multiline", max_length=4000, initial=values.get("text")),
        FormField("area", _("Area"), "select", options=areas, initial=values.get("area")),
        FormField(
            "kind",
            _("Kind"),
            "select",
            options=tuple((k.value, _(KIND_WORDS[k.value])) for k in Kind),
            initial=values.get("kind"),
        ),
        FormField(
            "due",
            _("Due date"),
            "text",
            required=False,
            initial=values.get("due"),
            hint=_("Deadlines and events: 14 Oct 2027, Oct 2027, autumn 2027 or 2027."),
        ),
        FormField(
            "cadence",
            _("Cadence"),
            "select",
            required=False,
            options=tuple((c, _(CADENCE_LABELS[c])) for c in CADENCES),
            initial=values.get("cadence") if values.get("cadence") in CADENCES else None,
            hint=_cadence_hint(values.get("cadence")),
        ),
        FormField("people", _("Owners (people)"), "users", required=False, initial=values.get("people")),
        FormField(
            "departments",
            _("Owners (departments)"),
            "multiselect",
            required=False,
            options=departments,
            initial=values.get("departments"),
        ),
        FormField("source", _("Source (document and section)"), "text", max_length=500, initial=values.get("source")),
        FormField(
            "sensitivity",
            _("Who may see it"),
            "select",
            options=(("public", _("everyone")), ("restricted", _("owners and coordinators only"))),
            initial=values.get("sensitivity", "public"),
        ),
    ]


def _current(ctx: Context, row: Commitment) -> dict:
    area = repository.primary_area_id(session=ctx.session, commitment_id=row.id)
    area_key = next(
        (a.key for a, _n in repository.list_areas(session=ctx.session, include_restricted=True) if a.id == area), None
    )
    owners = repository.owners_of(session=ctx.session, column="commitment_id", target_id=row.id)
    return {
        "title": row.title,
        "text": row.text,
        "area": area_key,
        "kind": row.kind,
        "due": row.due_edtf,
        "source": row.source_note or f"{row.section}",
        "sensitivity": row.sensitivity,
        "people": tuple(sorted(o.ref for o in owners if o.kind == OwnerKind.user)),
        "departments": tuple(sorted(o.ref for o in owners if o.kind == OwnerKind.department)),
        "cadence": _cadence_words(ctx, row.mechanism_id),
    }


def _cadence_words(ctx: Context, mechanism_id: int | None) -> str | None:
    """The cadence in force for this meeting, in the form's words where it has them."""
    if mechanism_id is None:
        return None
    cadences = repository.cadences_of(session=ctx.session, mechanism_id=mechanism_id)
    if not cadences:
        return None
    newest = max(cadences, key=lambda c: c.effective_on)
    return _CADENCE_WORDS.get(newest.rrule, newest.stated)


def _cadence_hint(current: str | None) -> str:
    if current and current not in CADENCES:  # stated in the documents in words the form does not offer
        return _("Recurring meetings only. Now {cadence}: leave it empty to keep that.").format(cadence=current)
    return _("Recurring meetings only.")


def validate(values: dict, ctx: Context) -> tuple[dict, dict[str, str]]:
    """Clean values and errors by field name; every field says what is wrong with it."""
    errors: dict[str, str] = {}
    clean: dict = {}
    for name, limit in (("title", 120), ("text", 4000), ("source", 500)):
        text = " ".join(str(values.get(name) or "").split())
        if not text:
            errors[name] = _("Required.")
        elif len(text) > limit:
            errors[name] = _("At most {limit} characters (this is {length}).").format(limit=limit, length=len(text))
        clean[name] = text
    areas = {a.key: a for a, _n in repository.list_areas(session=ctx.session, include_restricted=True)}
    if values.get("area") not in areas:
        errors["area"] = _("Choose an area.")
    clean["area"] = areas.get(values.get("area"))
    kinds = {k.value for k in Kind}
    if values.get("kind") not in kinds:
        errors["kind"] = _("Choose a kind.")
    clean["kind"] = values.get("kind")
    clean["due"] = None
    due_text = str(values.get("due") or "").strip()
    if due_text:
        try:
            clean["due"] = check_edtf(due_text) if _is_edtf(due_text) else parse_when(due_text.split())
            if clean["due"] is None:
                errors["due"] = _("Write it as 14 Oct 2027, 2027-10-14, Oct 2027, autumn 2027 or 2027.")
        except WhenError as exc:
            errors["due"] = exc.worded()
    elif clean["kind"] in {Kind.deadline, Kind.one_time_event}:
        errors["due"] = _("Deadlines and one-time events need a date.")
    cadence = values.get("cadence") or "none"
    if cadence not in CADENCES:
        errors["cadence"] = _("Choose a cadence.")
    elif clean["kind"] == Kind.recurring_mechanism and CADENCES[cadence] is None and not values.get("_keep_mechanism"):
        errors["cadence"] = _("A recurring meeting needs a cadence.")
    clean["cadence"] = CADENCES.get(cadence)
    departments = {d.key for d in repository.list_departments(session=ctx.session)}
    chosen = tuple(values.get("departments") or ())
    if unknown := [d for d in chosen if d not in departments]:
        errors["departments"] = _("Unknown: {keys}.").format(keys=", ".join(unknown))
    clean["departments"] = chosen
    clean["people"] = tuple(p for p in (values.get("people") or ()) if ":" in p)
    if values.get("sensitivity") not in {s.value for s in Sensitivity}:
        errors["sensitivity"] = _("Choose who may see it.")
    clean["sensitivity"] = values.get("sensitivity")
    return clean, errors


def _is_edtf(text: str) -> bool:
    try:
        FuzzyDate.parse(text)
    except ValueError:
        return False
    return True


def submit_form(
    values: dict,
    *,
    form_key: str | None,
    expected_version: int | None,
    opened_at: str,
    ports: Ports,
    requester: Requester,
    audience: Visibility = Visibility.private,
    kind: str | None = None,
) -> FormResult:
    """Validate and save; ``audience``: who sees the conversation the form was opened from;
    ``kind``: the form's, as its metadata carried it back (none: a commitment's)."""
    from handlers import language_of_requester  # (handlers imports this module)

    if kind == "held":
        from handlers.commands.held_form import submit_held

        with i18n.speaking(language_of_requester(ports, requester)):
            return submit_held(values, form_key=form_key, ports=ports, requester=requester, audience=audience)
    with i18n.speaking(language_of_requester(ports, requester)), ports.open_session() as session:
        declare_write(session)
        ctx = Context(session, ports, requester)  # the form itself is private to the person saving
        if not at_least(ctx.role, Role.coordinator):
            doing = N_("add commitments") if form_key is None else N_("edit commitments")
            return FormResult(reply=refusal(session, Role.coordinator, doing, ports.admins))
        row = None
        if form_key is not None:
            commitment_id = repository.get_commitment_id(session=session, key=form_key)
            if commitment_id is None:
                return FormResult(errors={"title": _("{id} no longer exists.").format(id=form_key)})
            row = session.get(Commitment, commitment_id)
            if row.version != expected_version:
                return FormResult(errors={"title": _changed_since(ctx, form_key, opened_at)})
            values = {**values, "_keep_mechanism": row.mechanism_id is not None}
        clean, errors = validate(values, ctx)
        if errors:
            return FormResult(errors=errors)
        try:
            private = _edit(ctx, row, clean) if row else _add(ctx, clean)
            reply = private if is_private(audience) else shared_safe(private, session, done=True)
            session.commit()
            ctx.ports.revision.forget()  # see handlers.handle
        except (StaleDataError, IntegrityError):
            # Someone saved this item after the version check above (PostgreSQL: the UPDATE's version
            # check fails; SQLite took the write lock first), or took the same new id. Nothing of this
            # save is kept, its audit entry included.
            session.rollback()
            if row is None:
                return FormResult(
                    errors={GENERAL: _("Someone added a commitment at the same moment. Press Save again.")}
                )
            return FormResult(errors={GENERAL: _changed_message(form_key, _("someone saved it at the same moment"))})
        return FormResult(reply=reply, private=private)


def _changed_since(ctx: Context, key: str, opened_at: str) -> str:
    try:
        since = datetime.fromisoformat(opened_at)
    except ValueError:  # the form's metadata came back damaged: list everything recent
        since = datetime.min
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    entries = audit_log.entries_about_since(session=ctx.session, target_key=key, since=since)
    lines = "; ".join(audit.describe(e, ctx.ports.capitals) for e in entries) or _("another change was saved")
    lines = MENTION.sub(lambda m: "@" + m.group(1).split(":", 1)[1], lines)  # modal errors are plain text
    return _changed_message(key, lines)


def _changed_message(key: str, what: str) -> str:
    head = _("Changed since you opened it: ")
    tail = _(". Close the form and open it again (/agenda edit {id}).").format(id=key)
    room = ERROR_LIMIT - len(head) - len(tail)
    return head + (what if len(what) <= room else what[: room - 1] + "…") + tail


def _add(ctx: Context, clean: dict) -> Reply:
    agenda_changed(ctx.session)
    now = ctx.ports.clock.now()
    document = writes.document_for_the_bot(
        session=ctx.session,
        key=ADDED_DOCUMENT,
        title="Added by coordinators",
        short_title=ADDED_SHORT_TITLE,
        short_titles=i18n.in_other_languages(ADDED_SHORT_TITLE),
        note="Commitments added by coordinators through the bot; each records its source.",
        year=now.year,
    )
    taken = repository.commitment_keys_starting(session=ctx.session, prefix=f"{now.year}-N")
    number = next(n for n in range(1, len(taken) + 2) if f"{now.year}-N{n}" not in taken)
    # Added commitments are in no seed file: marking their owners and status as set in the bot is
    # what keeps the seed loader from removing them as "dropped from the seeds".
    row = Commitment(
        key=f"{now.year}-N{number}",
        position=number,
        document_id=document.id,
        section=clean["source"],
        title=clean["title"],
        text=clean["text"],
        kind=clean["kind"],
        status_origin=Origin.bot,
        owners_origin=Origin.bot,
    )
    after = _wanted(clean, {})
    _apply(ctx, row, clean, set(after))
    audit.record(ctx, action="add", target_type="commitment", target_key=row.key, before={}, after=after)
    return Reply(
        title=_("Added {key}: {title}.").format(key=row.key, title=row.title.rstrip(".")),
        summary=_due(ctx, row) + _("`/agenda show {key}` shows it.").format(key=row.key),
    )


def _edit(ctx: Context, row: Commitment, clean: dict) -> Reply:
    """Only what the form changed is written (and audited): its other areas, an inherited
    owner, the version others hold, all stay as they are when nothing of theirs changed."""
    before = _snapshot(ctx, row)
    after = _wanted(clean, before)
    changed = sorted(k for k in after if after[k] != before.get(k))
    if not changed:
        return Reply(
            title=_("Nothing changed."),
            summary=_("{key} already reads as in the form.").format(key=row.key),
            tone=Tone.notice,
        )
    agenda_changed(ctx.session)
    _apply(ctx, row, clean, set(changed))
    audit.record(
        ctx,
        action="edit",
        target_type="commitment",
        target_key=row.key,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
    )
    fields = ", ".join(changed if i18n.current() == i18n.ENGLISH else (audit.field_words(k) for k in changed))
    return Reply(
        title=_("Saved {key}: {fields} changed.").format(key=row.key, fields=fields), summary=_due(ctx, row).strip()
    )


def _due(ctx: Context, row: Commitment) -> str:
    """The date as every answer shows it (weekday, and a flag on a day off), so a holiday is noticed on saving."""
    return _("Due: {when}.").format(when=when(row.due_edtf, ctx.ports.capitals)) + " " if row.due_edtf else ""


def _wanted(clean: dict, before: dict) -> dict:
    """The form's values in the shape of _snapshot, to compare and to audit."""
    cadence = before.get("cadence")  # no cadence chosen: the meeting keeps its own
    if clean["kind"] == Kind.recurring_mechanism and clean["cadence"]:
        cadence = _CADENCE_WORDS[clean["cadence"]]
    return {
        "title": clean["title"],
        "text": clean["text"],
        "area": clean["area"].key,
        "kind": str(clean["kind"]),
        "due": clean["due"],
        "source": clean["source"],
        "sensitivity": str(clean["sensitivity"]),
        "people": sorted(set(clean["people"])),
        "departments": sorted(set(clean["departments"])),
        "cadence": cadence,
    }


def _apply(ctx: Context, row: Commitment, clean: dict, changed: set[str]) -> None:
    due = FuzzyDate.parse(clean["due"]) if clean["due"] else None
    row.title, row.text, row.kind, row.source_note = clean["title"], clean["text"], clean["kind"], clean["source"]
    row.due_edtf, row.due_start, row.due_end = clean["due"], due.start if due else None, due.end if due else None
    row.sensitivity, row.updated_at = clean["sensitivity"], ctx.ports.clock.now()
    if ctx.session.get(Document, row.document_id).key == ADDED_DOCUMENT:
        row.section = clean["source"]  # an added commitment is cited by its source
    if changed & {"title", "text", "area", "kind", "due", "source", "cadence"}:
        row.content_origin = Origin.bot  # the seed loader leaves this content alone from now on
    if "title" in changed:  # the team's French and Japanese were of the old title
        translations.forget_titles(session=ctx.session, key=row.key)
    owners_changed = bool({"people", "departments"} & changed)
    if owners_changed:
        row.owners_origin = Origin.bot  # the seed loader leaves these owners alone from now on
    if "cadence" in changed and clean["kind"] == Kind.recurring_mechanism and clean["cadence"]:
        _set_cadence(ctx, row, clean)
    writes.save(session=ctx.session, row=row, flush=True)
    if "area" in changed:
        _set_primary_area(ctx, row, clean["area"].id)
    if owners_changed:
        _set_owners(ctx, row, clean)
    ctx.session.flush()


def _set_cadence(ctx: Context, row: Commitment, clean: dict) -> None:
    """A recurring commitment's meeting (created on first use) meets at the chosen cadence from today;
    the statement is this commitment's, so a later edit replaces it rather than piling up."""
    if row.mechanism_id is None:
        mechanism = Mechanism(
            key=f"meeting-{row.key.lower()}",
            name=clean["title"],
            area_keys=[clean["area"].key],
            alternates_host=True,
            owners_origin=Origin.bot,
        )
        writes.save(session=ctx.session, row=mechanism, flush=True)
        row.mechanism_id = mechanism.id
    cadence = repository.cadence_from(
        session=ctx.session, mechanism_id=row.mechanism_id, commitment_key=row.key
    ) or Cadence(mechanism_id=row.mechanism_id, source_commitment_key=row.key)
    cadence.rrule, cadence.stated = clean["cadence"], _CADENCE_WORDS[clean["cadence"]]
    cadence.effective_edtf, cadence.effective_on = ctx.today.isoformat(), ctx.today
    writes.save(session=ctx.session, row=cadence)


def _set_primary_area(ctx: Context, row: Commitment, area_id: int) -> None:
    """The form's area becomes the main one, replacing the old main one; other areas stay."""
    links = {link.area_id: link for link in repository.area_links_of(session=ctx.session, commitment_id=row.id)}
    for link in links.values():
        if link.is_primary and link.area_id != area_id:
            writes.remove(session=ctx.session, row=link)
    link = links.get(area_id) or CommitmentArea(commitment_id=row.id, area_id=area_id)
    link.is_primary = True
    writes.save(session=ctx.session, row=link)


def _set_owners(ctx: Context, row: Commitment, clean: dict) -> None:
    for owner in repository.owners_of(session=ctx.session, column="commitment_id", target_id=row.id):
        writes.remove(session=ctx.session, row=owner)
    ctx.session.flush()
    names = {d.key: d.name for d in repository.list_departments(session=ctx.session)}
    people = [
        Owner(commitment_id=row.id, kind=OwnerKind.user, ref=ref, display_name=f"<@{ref}>", origin=Origin.bot)
        for ref in dict.fromkeys(clean["people"])
    ]
    departments = [
        Owner(commitment_id=row.id, kind=OwnerKind.department, ref=key, display_name=names[key], origin=Origin.bot)
        for key in dict.fromkeys(clean["departments"])
    ]
    writes.save_all(session=ctx.session, rows=people + departments)


def _snapshot(ctx: Context, row: Commitment) -> dict:
    values = _current(ctx, row)
    return {k: (list(v) if isinstance(v, tuple) else (str(v) if v is not None else None)) for k, v in values.items()}
