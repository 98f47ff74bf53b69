"""The workflow definitions, shown to the people who follow them."""

from flask import Blueprint, abort, render_template
from flask_babel import get_locale

from caseflow.auth.access import allow
from caseflow.dossiers.workflows import engine
from caseflow.workflow.diagram import mermaid
from caseflow.workflow.engine import UnknownWorkflow

bp = Blueprint("workflows", __name__, url_prefix="/workflows")


@bp.route("/<name>")
@allow("advisor", "coordinator")
def show(name: str):
    """Show a workflow: its steps, the actions between them, and its Mermaid diagram."""
    try:
        definition = engine().definition(name)
    except UnknownWorkflow:
        abort(404)
    locale = get_locale()
    language = "en" if locale is not None and locale.language == "en" else "fr"
    return render_template("dossiers/workflow.html", definition=definition,
                           diagram=mermaid(definition, language))
