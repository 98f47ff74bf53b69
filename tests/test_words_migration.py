"""Databases seeded before the English labels were corrected get them too, and the referrals
an import wrote read in the reader's language."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, update

from caseflow.extensions import db as database
from caseflow.reference.models import Subject
from caseflow.referrals.models import Referral
from tests.builders import make_dossier, page_text, refer


def english(db, code):
    return db.session.scalar(select(Subject.label_en).where(Subject.code == code))


def test_old_english_labels_are_corrected_and_edited_ones_kept(app, db, advisor,
                                                               advisor_client):
    directory = app.extensions["migrate"].directory
    downgrade(directory=directory, revision="api0001")  # just before words0001
    try:
        # As a database seeded by the earlier version holds them; one label edited since.
        database.session.execute(update(Subject).where(Subject.code == "gestion-courante")
                                 .values(label_en="Current management"))
        database.session.execute(update(Subject).where(Subject.code == "reseau-express")
                                 .values(label_en="Express network (our wording)"))
        dossier = make_dossier(advisor)
        imported = refer(dossier, advisor, reason="Référencement importé")
        written = refer(make_dossier(advisor, title="Autre"), advisor, reason="Demande du CA.")
        db.session.commit()
    finally:
        upgrade(directory=directory)
    db.session.expire_all()
    assert english(db, "gestion-courante") == "Day-to-day management"
    assert english(db, "reseau-express") == "Express network (our wording)"
    assert db.session.get(Referral, imported.id).reason == ""
    assert db.session.get(Referral, written.id).reason == "Demande du CA."
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "Référencement importé" in page
    advisor_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    advisor.locale = "en"
    db.session.commit()
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    # The referral reads in English; the audit trail keeps what was written then, unchanged.
    assert "Referral imported" in page
