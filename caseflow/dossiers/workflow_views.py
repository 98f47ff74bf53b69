"""The workflow definitions, shown to the people who follow them."""

from flask import Blueprint, abort, render_template

from caseflow.auth.access import allow
from caseflow.auth.models import STAFF
from caseflow.dossiers.workflows import engine
from caseflow.i18n import language
from caseflow.workflow.diagram import mermaid
from caseflow.workflow.engine import UnknownWorkflow

bp = Blueprint("workflows", __name__, url_prefix="/workflows")


@bp.route("/<name>")
@allow(*STAFF)
def show(name: str):
    """Show a workflow: its steps, the actions between them, and its Mermaid diagram."""
    try:
        definition = engine().definition(name)
    except UnknownWorkflow:
        abort(404)
    return render_template("dossiers/workflow.html", definition=definition,
                           diagram=mermaid(definition, language()))
