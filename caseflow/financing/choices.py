"""What the financing form offers, and turning what was chosen back into service fields."""

from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.extensions import db
from caseflow.financing import services
from caseflow.financing.forms import FinancingForm
from caseflow.forms import choices as options
from caseflow.reference.lookups import BLANK, by_code, items
from caseflow.reference.models import Fund, Organisation


def fill_financing_form(form: FinancingForm) -> None:
    """Offer the active funds and organisations on a financing form."""
    form.fund.choices = options([BLANK, *((f.code, f.label) for f in items(Fund))])
    organisations = db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                                       .order_by(Organisation.kind, Organisation.name))
    form.organisation.choices = options([("", _("— Aucune —")),
                                         *((o.code, o.name) for o in organisations)])


def financing_fields(form: FinancingForm, organisation=None) -> services.FinancingFields:
    """Return what a valid financing form says; a partner's form names no organisation."""
    if form.organisation is not None:
        organisation = by_code(Organisation, form.organisation.data)
    return services.FinancingFields(
        fund=by_code(Fund, form.fund.data), organisation=organisation,
        decision=form.decision.data, amount_requested=form.amount_requested.data or 0,
        amount_authorised=form.amount_authorised.data, decided_on=form.decided_on.data,
        investment=form.investment.data or 0, jobs_created=form.jobs_created.data or 0,
        jobs_maintained=form.jobs_maintained.data or 0, notes=form.notes.data or "",
        stage=form.stage.data or None)
