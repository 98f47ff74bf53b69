"""Reference lists (territories, sectors, funds...) and the organisations dossiers go to."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.extensions import db

# Each kind of organisation, with its label.
ORGANISATION_KIND_LABELS = {
    "mrc": _l("MRC"),
    "mandataire": _l("Organisme mandataire"),
    "partenaire": _l("Partenaire"),
}
ORGANISATION_KINDS = tuple(ORGANISATION_KIND_LABELS)


class ReferenceItem:
    """Columns shared by every reference list: a stable code and a label per language."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def label(self) -> str:
        """Return the label in the language of the current request."""
        locale = get_locale()
        return self.label_en if locale is not None and locale.language == "en" else self.label_fr

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


class Territory(ReferenceItem, db.Model):
    __tablename__ = "territory"


class Sector(ReferenceItem, db.Model):
    __tablename__ = "sector"


class Stage(ReferenceItem, db.Model):
    __tablename__ = "stage"


class LegalForm(ReferenceItem, db.Model):
    __tablename__ = "legal_form"


class PromoterGender(ReferenceItem, db.Model):
    __tablename__ = "promoter_gender"


class Origin(ReferenceItem, db.Model):
    __tablename__ = "origin"


class Subject(ReferenceItem, db.Model):
    __tablename__ = "subject"


# Who a fund or programme belongs to: it decides the report section its lines count in.
FUNDER_KIND_LABELS = {
    "mrc": _l("MRC et organismes mandataires"),
    "ministry": _l("Ministère"),
    "services-quebec": _l("Services Québec"),
    "finance-partner": _l("Partenaires financiers"),
}
FUNDER_KINDS = tuple(FUNDER_KIND_LABELS)


class Fund(ReferenceItem, db.Model):
    __tablename__ = "fund"
    __table_args__ = (CheckConstraint(f"funder_kind IN {FUNDER_KINDS!r}", name="funder_kind"),)

    funder_kind: Mapped[str] = mapped_column(String(20), default="finance-partner",
                                             server_default="finance-partner")


#: Every reference list, by the name imports, the API and the CLI use.
REFERENCE_LISTS: dict[str, type[ReferenceItem]] = {
    "territory": Territory,
    "sector": Sector,
    "stage": Stage,
    "legal_form": LegalForm,
    "promoter_gender": PromoterGender,
    "origin": Origin,
    "subject": Subject,
    "fund": Fund,
}


class Organisation(db.Model):
    """An MRC, an organisme mandataire or another partner the hub refers dossiers to."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(f"kind IN {ORGANISATION_KINDS!r}", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    territory: Mapped[Territory | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"
