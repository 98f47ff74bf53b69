"""What the dossier forms offer, and turning what was chosen back into models.

The same lookups fill a form's options and resolve its answers, so a form can only offer
what the services accept.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from caseflow.auth.models import STAFF, User
from caseflow.dossiers.forms import DossierForm, InterventionForm, TransitionForm
from caseflow.dossiers.services import ContactFields, DossierFields, InterventionFields
from caseflow.dossiers.workflows import engine, label
from caseflow.extensions import db
from caseflow.forms import choices
from caseflow.reference.lookups import BLANK, by_code, items
from caseflow.reference.models import (
    LegalForm,
    Origin,
    PromoterGender,
    Sector,
    Stage,
    Subject,
    Territory,
)

DOSSIER_LISTS = {
    "promoter_gender": PromoterGender, "territory": Territory, "sector": Sector,
    "stage": Stage, "legal_form": LegalForm, "origin": Origin,
}
def staff() -> list[User]:
    """Return the people a dossier can be assigned to."""
    return list(db.session.scalars(
        select(User).where(User.role.in_(STAFF), User.active.is_(True))
        .order_by(User.full_name)))


def fill_dossier_form(form: DossierForm, workflow: str, language: str | None,
                      opening: bool = False) -> None:
    """Give a dossier form its options; the workflow choice only when opening a dossier."""
    for name, model in DOSSIER_LISTS.items():
        getattr(form, name).choices = choices([BLANK, *((i.code, i.label) for i in items(model))])
    form.advisor.choices = choices([("", _l("— Personne —")),
                                    *((str(u.id), u.full_name) for u in staff())])
    definitions = engine().definitions
    form.workflow.choices = choices((name, label(d, language))
                                    for name, d in sorted(definitions.items()))
    objectives = definitions[workflow].objectives
    form.objectives.choices = choices((o.code, label(o, language)) for o in objectives)
    if not objectives:
        del form.objectives
    if not opening:
        del form.workflow


def dossier_fields(form: DossierForm) -> DossierFields:
    """Return what a valid dossier form says, with models for the reference values."""
    values = {name: by_code(model, getattr(form, name).data)
              for name, model in DOSSIER_LISTS.items()}
    advisor = db.session.get(User, int(form.advisor.data)) if form.advisor.data else None
    objectives = form.objectives.data if form.objectives is not None else []
    return DossierFields(
        title=form.title.data or "", description=form.description.data or "",
        promoter_name=form.promoter_name.data or "",
        women_count=form.women_count.data or 0, men_count=form.men_count.data or 0,
        advisor=advisor, opened_on=form.opened_on.data, objectives=list(objectives or []),
        contacts=[ContactFields(c.form.name.data or "", c.form.email.data or "",
                                c.form.phone.data or "") for c in form.contacts],
        **values)


def fill_intervention_form(form: InterventionForm) -> None:
    """Give an intervention form its subjects."""
    form.subjects.choices = choices((s.code, s.label) for s in items(Subject))


def intervention_fields(form: InterventionForm) -> InterventionFields:
    """Return what a valid intervention form says."""
    subjects = [by_code(Subject, code) for code in form.subjects.data]
    return InterventionFields(occurred_on=form.occurred_on.data, kind=form.kind.data,
                              subjects=[s for s in subjects if s is not None],
                              minutes=form.minutes.data, notes=form.notes.data or "",
                              private=bool(form.private.data))


def fill_transition_form(form: TransitionForm, definition, transition, language) -> None:
    """Keep only the fields this transition asks for, with the workflow's outcomes."""
    form.outcome.choices = choices([BLANK, *((o.code, label(o, language))
                                             for o in definition.outcomes)])
    if "outcome" not in transition.fields:
        del form.outcome
