"""The workflow engine of the running app, loaded and validated once at start-up.

The engine's own guards are pure; a slice above dossiers registers the guards that read its
data (`add_guard`) in its `init_app`, and `load` builds the engine once every slice has.
"""

from flask import current_app

from caseflow.workflow.definition import Definition
from caseflow.workflow.engine import Engine
from caseflow.workflow.guards import GUARDS, Guard

DEFAULT_WORKFLOW = "accompagnement"
EXTENSION = "caseflow.workflow_engine"
REGISTRY = "caseflow.workflow_guards"


def init_app(app) -> None:
    """Start the app's guard registry from the engine's own guards."""
    app.extensions[REGISTRY] = dict(GUARDS)


def add_guard(app, name: str, check: Guard, needs: tuple[str, ...] = ()) -> None:
    """Register a guard the workflow definitions may name; a name is registered once."""
    registry = app.extensions[REGISTRY]
    if name in registry:
        raise ValueError(f"guard {name!r} is already registered")
    check.needs = tuple(needs)
    registry[name] = check


def guards(app=None) -> dict[str, Guard]:
    """Return the guards registered on the app."""
    return (app or current_app).extensions[REGISTRY]


def load(app, directory) -> None:
    """Load every definition of the directory; an invalid one stops the app."""
    app.extensions[EXTENSION] = Engine.from_directory(directory, guards(app))


def engine() -> Engine:
    """Return the engine of the current app."""
    return current_app.extensions[EXTENSION]


def definition(name: str) -> Definition:
    """Return the definition of a workflow by name."""
    return engine().definition(name)


def label(item, language: str | None = None) -> str:
    """Return a definition item's label (state, transition, outcome...) in a language."""
    if item is None:
        return ""
    return item.label_en if language == "en" else item.label_fr
