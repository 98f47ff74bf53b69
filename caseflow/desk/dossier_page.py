"""The dossier page for the hub's staff, composed from the part each slice feeds."""

from flask import render_template
from flask_login import current_user

from caseflow.documents.sections import checklist_section
from caseflow.dossiers.sections import dossier_section
from caseflow.enterprises.sections import enterprise_section
from caseflow.financing.sections import financing_section
from caseflow.privacy.sections import consents_section
from caseflow.referrals.sections import referrals_section


def render_dossier_page(dossier, status: int = 200, remove_form=None, withdraw_form=None,
                        withdrawing: int | None = None, consent_form=None):
    """Draw the dossier page; a form given replaces that part's fresh one (after a refusal)."""
    return render_template(
        "desk/dossier.html", dossier=dossier,
        **dossier_section(dossier, current_user, remove_form),
        **checklist_section(dossier),
        **enterprise_section(dossier),
        **financing_section(dossier),
        **referrals_section(dossier, withdraw_form, withdrawing),
        **consents_section(dossier, consent_form)), status
