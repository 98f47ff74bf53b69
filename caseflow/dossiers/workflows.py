"""The workflow engine of the running app, loaded and validated once at start-up."""

from flask import current_app

from caseflow.workflow.definition import Definition
from caseflow.workflow.engine import Engine

DEFAULT_WORKFLOW = "accompagnement"
EXTENSION = "caseflow.workflow_engine"


def init_app(app, directory) -> None:
    """Load every definition of the directory; an invalid one stops the app."""
    app.extensions[EXTENSION] = Engine.from_directory(directory)


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
