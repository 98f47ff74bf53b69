"""What the privacy part of the dossier page shows: the group's consents and recording one."""

from sqlalchemy import select

from caseflow.extensions import db
from caseflow.forms import choices
from caseflow.privacy.consents import of_dossier
from caseflow.privacy.forms import ConsentForm, WithdrawConsentForm
from caseflow.reference.models import Organisation


def organisations() -> list[Organisation]:
    """Return the organisations a consent may permit."""
    return list(db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                                   .order_by(Organisation.kind, Organisation.name)))


def fill_consent_form(form: ConsentForm) -> ConsentForm:
    """Offer the active organisations on a consent form."""
    form.organisation.choices = choices([("", "—"), *((o.code, o.name)
                                                     for o in organisations())])
    return form


def consents_section(dossier, consent_form=None) -> dict:
    """Return the dossier's consents, the form to record one and the withdraw button."""
    return {"consents": of_dossier(dossier),
            "consent_form": consent_form or fill_consent_form(
                ConsentForm(version=dossier.version)),
            "withdraw_consent_form": WithdrawConsentForm(version=dossier.version)}
