"""How audit events read on a timeline and in the log: each slice registers the actions it
records, with their label and the partial template that draws an event's details.
"""

from dataclasses import dataclass

from flask import current_app

KEY = "caseflow.timeline_entries"


@dataclass(frozen=True)
class EntryKind:
    """How the events of one action read: a label, and the partial that draws their details."""

    action: str
    label: object
    details: str | None = None
    milestone: bool = False


def init_app(app) -> None:
    app.extensions[KEY] = {}
    app.add_template_global(entry_kind, "timeline_entry")
    app.add_template_global(action_label, "action_label")


def register(app, labels: dict, details: str | None = None, milestone: bool = False) -> None:
    """Register the actions a slice records: their labels, and the partial for their details.

    The partial is included with `event` (the audit event) in its context.
    """
    entries = app.extensions[KEY]
    for action, label in labels.items():
        if action in entries:
            raise ValueError(f"timeline action {action!r} is already registered")
        entries[action] = EntryKind(action, label, details, milestone)


def entry_kind(action: str) -> EntryKind:
    """Return how an action's events read; an unregistered action reads as its code."""
    return current_app.extensions[KEY].get(action) or EntryKind(action, action)


def action_label(action: str) -> str:
    """Return how an audit action reads on the timeline and in the log."""
    return str(entry_kind(action).label)
