"""A database seeded before the 'Commercialisation et contrats' subject gets it on upgrade."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from caseflow.reference.models import Subject


def test_an_older_database_gets_the_marketing_subject_after_its_others(app, db):
    directory = app.extensions["migrate"].directory
    downgrade(directory=directory, revision="perfdesk0001")  # just before subjects0001
    try:
        db.session.expire_all()
        assert db.session.scalar(select(Subject).where(Subject.code == "commercialisation")) \
            is None
        last = db.session.scalar(select(func.max(Subject.position)))
        db.session.commit()
    finally:
        upgrade(directory=directory)
    db.session.expire_all()
    subject = db.session.scalar(select(Subject).where(Subject.code == "commercialisation"))
    assert (subject.label_fr, subject.label_en) == ("Commercialisation et contrats",
                                                    "Marketing and contracts")
    assert subject.position == last + 1 and subject.active
