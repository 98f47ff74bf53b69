"""What the dossier's own parts of the dossier page show: heading, actions, interventions
and the timeline."""

from caseflow.dossiers import queries
from caseflow.dossiers.forms import RemoveInterventionForm
from caseflow.dossiers.services import actor_of
from caseflow.dossiers.workflows import definition, engine
from caseflow.i18n import language


def dossier_section(dossier, user, remove_form=None) -> dict:
    """Return what the heading, the interventions and the timeline of the page need."""
    return {"definition": definition(dossier.workflow),
            "actions": engine().options(dossier, actor_of(user), language=language()),
            "timeline": queries.timeline(dossier),
            "remove_form": remove_form or RemoveInterventionForm(version=dossier.version)}
