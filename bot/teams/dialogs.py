"""Forms as Teams dialogs (task modules): `agenda add` and `agenda edit <id>`.

A message cannot open a dialog by itself, so the answer to `add` / `edit` is a
card with an "Open the form" button (Action.Submit with ``task/fetch``). The
dialog is an Adaptive Card of inputs built from the neutral Form; its Save
carries the form's target, version and opening time, and the neutral
``submit_form`` validates and saves exactly as for Slack's modal. Errors come
back in the dialog, under their fields, with what was typed kept.

People are chosen with Teams' people picker, which answers with Entra object
ids (``teams:<id>``); owners from Slack cannot be shown in it, so they are
carried through the dialog untouched and kept on save.
"""

from __future__ import annotations

from microsoft_teams.api import AdaptiveCardAttachment, card_attachment
from microsoft_teams.api.models.task_module import (
    CardTaskModuleTaskInfo,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleResponse,
)
from microsoft_teams.cards import (
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    QueryData,
    SubmitAction,
    TextBlock,
    TextInput,
)

from bot.teams.render import plain
from handlers.commands.forms import Form, FormField
from handlers.views import i18n
from handlers.views.i18n import _

MARK = "agenda_form"  # our key in the dialog's data, so nothing else is mistaken for a form
PEOPLE_DATASET = "graph.microsoft.com/users"  # Teams' people picker


def open_button_card(form: Form, command: str) -> AdaptiveCard:
    with i18n.speaking(form.language):
        data = {"msteams": {"type": "task/fetch"}, MARK: {"open": command}}
        open_form = SubmitAction(title=_("Open the form"), data=data)
        title = _("{title}: open the form.").format(title=plain(form.title))
    return AdaptiveCard(
        version="1.5",
        body=[TextBlock(text=title, wrap=True, weight="Bolder")],
        actions=[open_form],
        fallback_text=title,
    )


def dialog(form: Form, *, command: str, values: dict | None = None, errors: dict[str, str] | None = None):
    """The dialog showing ``form`` (again, with ``values`` and ``errors`` after a refused save)."""
    card = form_card(form, command=command, values=values or {}, errors=errors or {})
    info = CardTaskModuleTaskInfo(
        title=form.title, width="large", height="large", card=card_attachment(AdaptiveCardAttachment(content=card))
    )
    return TaskModuleResponse(task=TaskModuleContinueResponse(value=info))


def closed(message: str) -> TaskModuleResponse:
    return TaskModuleResponse(task=TaskModuleMessageResponse(value=message[:500]))


def form_card(form: Form, *, command: str, values: dict, errors: dict[str, str]) -> AdaptiveCard:
    body: list[CardElement] = []
    for field in form.fields:
        body.append(_input(field, values.get(field.name, field.initial)))
        if field.name in errors:
            body.append(TextBlock(text=plain(errors[field.name]), wrap=True, color="Attention", size="Small"))
    kept = [ref for f in form.fields if f.kind == "users" for ref in (f.initial or ()) if not ref.startswith("teams:")]
    meta = {
        "command": command,
        "key": form.key,
        "version": form.version,
        "opened_at": form.opened_at,
        "form": form.kind,
        "kinds": {f.name: f.kind for f in form.fields},
        "kept_people": kept,
    }
    with i18n.speaking(form.language):
        save = SubmitAction(title=_("Save"), data={MARK: meta})
    return AdaptiveCard(version="1.5", body=body, actions=[save])


def _input(field: FormField, value) -> CardElement:
    label = field.label if field.required else _("{label} (optional)").format(label=field.label)
    if field.kind in {"text", "multiline"}:
        return TextInput(
            id=field.name,
            label=label,
            value=value or None,
            is_multiline=field.kind == "multiline" or None,
            max_length=field.max_length,
            placeholder=field.hint or None,
            is_required=field.required or None,
        )
    choice_set = ChoiceSetInput(id=field.name, label=label, is_required=field.required or None)
    if field.kind == "users":  # the picker's values are Entra object ids
        people = [ref.removeprefix("teams:") for ref in (value or ()) if ref.startswith("teams:")]
        choice_set.choices, choice_set.choices_data = [], QueryData(dataset=PEOPLE_DATASET)
        choice_set.is_multi_select, choice_set.value = True, ",".join(people) or None
        return choice_set
    choice_set.choices = [Choice(title=title[:100], value=v) for v, title in field.options][:200]
    choice_set.is_multi_select = field.kind == "multiselect" or None
    choice_set.style = "filtered" if len(field.options) > 8 else None
    choice_set.value = ",".join(value) if isinstance(value, tuple) else (value or None)
    return choice_set


def submitted(data: dict) -> tuple[dict, dict]:
    """(meta, values): what the Save button carried, and the neutral values submit_form takes."""
    meta = data.get(MARK) if isinstance(data.get(MARK), dict) else {}
    kinds = meta.get("kinds") if isinstance(meta.get("kinds"), dict) else {}
    values: dict = {}
    for name, kind in kinds.items():
        raw = data.get(name)
        text = raw if isinstance(raw, str) else ""
        if kind in {"multiselect", "users"}:
            parts = tuple(p.strip() for p in text.split(",") if p.strip())
            if kind == "users":
                carried = meta.get("kept_people")
                kept = tuple(str(r) for r in carried) if isinstance(carried, list) else ()
                parts = kept + tuple(f"teams:{p}" for p in parts)
            values[name] = parts
        else:
            values[name] = text or None
    return meta, values
