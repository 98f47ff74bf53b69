"""Reassigning dossiers: one, a selection, or all of an advisor's open dossiers."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import BooleanField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseflow.auth.access import allow
from caseflow.auth.models import STAFF, User
from caseflow.boundary import page_status, submit
from caseflow.dossiers import services
from caseflow.dossiers.choices import staff
from caseflow.dossiers.models import Dossier
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.forms import Form, choices
from caseflow.notifications.services import notify


class ReassignForm(Form):
    dossiers = SelectMultipleField(_l("Dossiers"), validators=[Optional()], coerce=int)
    everything = BooleanField(_l("Tous les dossiers en cours de cette personne"))
    advisor = SelectField(_l("Confier à"), validators=[DataRequired(_l(
        "Choisissez à qui confier les dossiers."))])
    reason = TextAreaField(_l("Raison"), validators=[
        DataRequired(_l("Donnez la raison de la réassignation.")), Length(max=1000)])


def reassign_dossiers(actor: User, source: User, dossier_ids: list[int], everything: bool,
                      target: User, reason: str) -> int:
    """Reassign dossiers of `source` to `target`, one audit event and notice per dossier."""
    if target.id == source.id:
        raise DomainError(_("Choisissez une autre personne que celle qui a les dossiers."),
                          "advisor")
    query = select(Dossier).where(Dossier.advisor_id == source.id, Dossier.outcome.is_(None))
    if not everything:
        if not dossier_ids:
            raise DomainError(_("Cochez au moins un dossier."), "dossiers")
        query = query.where(Dossier.id.in_(dossier_ids))
    moved = 0
    for dossier in db.session.scalars(query.order_by(Dossier.id).with_for_update(of=Dossier)):
        if services.reassign(dossier, actor, target, reason):
            notify([target], "dossier.reassigned", dossier=dossier, params={"reason": reason})
            moved += 1
    if not moved:
        raise DomainError(_("Aucun dossier en cours de cette personne n'a été choisi."),
                          "dossiers")
    return moved


@allow("coordinator")
def reassign(holder: int):
    """Choose dossiers of an advisor and hand them to another, with a reason."""
    source = db.session.get(User, holder)
    if source is None or source.role not in STAFF:
        abort(404)
    open_dossiers = db.session.scalars(
        select(Dossier).where(Dossier.advisor_id == source.id, Dossier.outcome.is_(None))
        .order_by(Dossier.reference)).unique().all()
    form = ReassignForm()
    form.dossiers.choices = [(d.id, d.reference) for d in open_dossiers]
    form.advisor.choices = choices([("", _("— Choisir —")), *(
        (str(u.id), u.full_name) for u in staff() if u.id != source.id)])
    if request.method == "GET":
        form.dossiers.data = request.args.getlist("dossier", type=int)
    done = None
    if form.validate_on_submit():
        target = db.session.get(User, int(form.advisor.data))
        done = submit(form, lambda: reassign_dossiers(
            current_user, source, form.dossiers.data or [], form.everything.data, target,
            form.reason.data))
        if done.saved:
            flash(_("%(count)d dossier(s) confié(s) à %(name)s.", count=done.value,
                    name=target.full_name), "success")
            return redirect(url_for("dossiers.caseload", scope="all", advisor=target.id,
                                    status="open"), 303)
    return render_template("desk/reassign.html", form=form, source=source,
                           dossiers=open_dossiers), page_status(form, done)


RULES = [("/desk/advisors/<int:holder>/reassign", reassign, ["GET", "POST"])]
