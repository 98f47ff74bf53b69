"""The interventions list: who worked on what, when, and for how long; filtered, exported."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from caseflow.auth.models import STAFF, User
from caseflow.dossiers.models import INTERVENTION_KIND_LABELS, Dossier, Intervention
from caseflow.extensions import db
from caseflow.forms import Form, choices
from caseflow.reference.models import Territory


class InterventionFilterForm(Form):
    """The interventions list's filters, read from the query string."""

    class Meta:
        csrf = False

    author = SelectField(_l("Conseiller ou conseillère"), validators=[Optional()])
    kind = SelectField(_l("Type"), validators=[Optional()])
    territory = SelectField(_l("Territoire"), validators=[Optional()])
    occurred_from = DateField(_l("Du"), validators=[Optional()])
    occurred_to = DateField(_l("Au"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(1, 100000)])


@dataclass
class InterventionFilters:
    author: int | None = None
    kind: str = ""
    territory: str = ""
    occurred_from: date | None = None
    occurred_to: date | None = None
    page: int = 1


def read_filters(args, all_label: str):
    """Return the form and the filters it holds (None when they are not valid)."""
    form = InterventionFilterForm(args)
    form.author.choices = choices([("", all_label), *(
        (str(u.id), u.full_name) for u in db.session.scalars(
            select(User).where(User.role.in_(STAFF)).order_by(User.full_name)))])
    form.kind.choices = choices([("", all_label), *INTERVENTION_KIND_LABELS.items()])
    form.territory.choices = choices([("", all_label), *(
        (t.code, t.label) for t in db.session.scalars(
            select(Territory).order_by(Territory.position)))])
    if not form.validate():
        return form, None
    return form, InterventionFilters(
        author=int(form.author.data) if form.author.data else None, kind=form.kind.data or "",
        territory=form.territory.data or "", occurred_from=form.occurred_from.data,
        occurred_to=form.occurred_to.data, page=form.page.data or 1)


def _where(filters: InterventionFilters) -> list:
    conditions = []
    if filters.author is not None:
        conditions.append(Intervention.author_id == filters.author)
    if filters.kind:
        conditions.append(Intervention.kind == filters.kind)
    if filters.territory:
        conditions.append(Dossier.territory_id == select(Territory.id).where(
            Territory.code == filters.territory).scalar_subquery())
    if filters.occurred_from is not None:
        conditions.append(Intervention.occurred_on >= filters.occurred_from)
    if filters.occurred_to is not None:
        conditions.append(Intervention.occurred_on <= filters.occurred_to)
    return conditions


def listed(filters: InterventionFilters):
    """Return the SELECT of the interventions matching the filters, newest first."""
    return (select(Intervention).join(Dossier, Dossier.id == Intervention.dossier_id)
            .options(lazyload("*"), joinedload(Intervention.author),
                     joinedload(Intervention.dossier).lazyload("*"))
            .where(*_where(filters))
            .order_by(Intervention.occurred_on.desc(), Intervention.id.desc()))


def totals(filters: InterventionFilters) -> tuple[int, int]:
    """Return how many interventions match and their minutes in all."""
    count, minutes = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Intervention.minutes), 0))
        .select_from(Intervention).join(Dossier, Dossier.id == Intervention.dossier_id)
        .where(*_where(filters))).one()
    return int(count), int(minutes)
