"""The hub's own activities (meetings, events, trainings...), the bodies they belong to and
the projects that group them."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.auth.models import User
from caseflow.database import UTCDateTime, utcnow
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.reference.models import Organisation, ReferenceItem, Territory

# Each kind of activity: its label, and the singular and plural the report counts it with.
ACTIVITY_KINDS: dict[str, tuple] = {
    "meeting": (_l("Rencontre"), "rencontre", "rencontres"),
    "call": (_l("Conférence téléphonique"), "conférence téléphonique",
             "conférences téléphoniques"),
    "webinar": (_l("Webinaire"), "webinaire", "webinaires"),
    "event": (_l("Événement"), "événement", "événements"),
    "training": (_l("Formation"), "formation", "formations"),
    "conference": (_l("Conférence"), "conférence", "conférences"),
    "information": (_l("Séance d'information"), "séance d'information",
                    "séances d'information"),
    "workshop": (_l("Atelier"), "atelier", "ateliers"),
    "visit": (_l("Visite d'entreprise"), "visite d'entreprise", "visites d'entreprise"),
    "other": (_l("Autre activité"), "activité", "activités"),
}
KINDS = tuple(ACTIVITY_KINDS)
MEETING_QUALIFIERS = {"regular": _l("rencontres régulières")}
MAX_PARTICIPANTS = 100_000
MAX_MINUTES = 7 * 24 * 60


class Body(ReferenceItem, db.Model):
    """A body or table the hub sits on or runs (board, CRDS and its committees...); a
    committee names the body it belongs to."""

    __tablename__ = "activity_body"

    parent_id: Mapped[int | None] = mapped_column(ForeignKey("activity_body.id"))
    # The plan objective a standing body serves: the report lists it there even in a period
    # without any of its meetings ("Table régionale en développement durable | aucune
    # rencontre"). Committees and ad hoc groupings leave it empty.
    objective: Mapped[str | None] = mapped_column(String(20))
    # How the report words the body's line where the hub words it its own way (the 2017-2018
    # report: "6 rencontres régulières | 1 rencontre de l'exécutif", "CRDS | 9 rencontres |
    # ...", "Concours | 4 rencontres | Gala régional"); the coordinator edits them.
    # The qualifier of the body's own meetings: "regular" reads "rencontres régulières".
    meeting_qualifier: Mapped[str | None] = mapped_column(String(20))
    # A committee's phrase in its parent's line instead of its label: "de l'exécutif".
    phrase_fr: Mapped[str] = mapped_column(String(120), default="", server_default="")
    phrase_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # A body counted in its committees prints their total first ("| 9 rencontres |").
    prints_total: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Its events are named by their titles ("| Gala régional") rather than counted.
    names_events: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    parent: Mapped["Body | None"] = relationship(remote_side="Body.id", lazy="joined",
                                                 join_depth=1)

    def wording(self, language: str) -> dict:
        """Return how the report words this body's counts in `language` ("fr" or "en")."""
        wording = {"qualifier": self.meeting_qualifier, "total": self.prints_total,
                   "event_titles": self.names_events}
        phrase = self.phrase_en if language == "en" else self.phrase_fr
        if phrase:
            wording["phrase"] = phrase
        return {key: value for key, value in wording.items() if value}


activity_territory = Table(
    "activity_territory", db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("territory_id", ForeignKey("territory.id"), primary_key=True),
)
activity_organisation = Table(
    "activity_organisation", db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True),
)
activity_dossier = Table(
    "activity_dossier", db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("dossier_id", ForeignKey("dossier.id"), primary_key=True, index=True),
)


class Project(db.Model):
    """A named project of the hub: its period, objective, funder and partners."""

    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint("deliverables >= 0", name="deliverables"),
        CheckConstraint("end_on IS NULL OR start_on IS NULL OR end_on >= start_on",
                        name="period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    objective: Mapped[str] = mapped_column(String(20))
    funder: Mapped[str] = mapped_column(String(200), default="")
    # The partners' names, one per collaboration the project built.
    partners: Mapped[list] = mapped_column(JSON, default=list)
    deliverables: Mapped[int] = mapped_column(Integer, default=0)
    deliverables_label: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Project {self.code}>"


class Activity(db.Model):
    """One meeting, event, training... of the hub, counted in the report under its objective."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
        CheckConstraint("(participants_women IS NULL OR participants_women >= 0) AND "
                        "(participants_men IS NULL OR participants_men >= 0)",
                        name="participants_gender"),
        CheckConstraint("minutes IS NULL OR minutes >= 0", name="minutes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("activity_body.id"), index=True)
    objective: Mapped[str] = mapped_column(String(20), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    participants: Mapped[int | None] = mapped_column(Integer)
    participants_women: Mapped[int | None] = mapped_column(Integer)
    participants_men: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    body: Mapped[Body | None] = relationship(lazy="joined")
    project: Mapped[Project | None] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(lazy="joined")
    territories: Mapped[list[Territory]] = relationship(
        secondary=activity_territory, lazy="selectin", order_by=Territory.position)
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=activity_organisation, lazy="selectin", order_by=Organisation.name)
    dossiers: Mapped[list[Dossier]] = relationship(
        secondary=activity_dossier, lazy="selectin", order_by=Dossier.id)

    @property
    def kind_label(self) -> str:
        return str(ACTIVITY_KINDS[self.kind][0])

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.occurred_on} {self.kind}>"
