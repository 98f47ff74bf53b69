"""The privacy migration seals the personal values of events written before it, hashes the
chain again so it verifies, and turns the old consent flag into consent records."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from caseflow.audit import services as audit
from caseflow.audit.models import AuditEvent, AuditPersonal
from caseflow.audit.services import verify
from caseflow.privacy.models import Consent
from caseflow.referrals import services as referrals
from tests.builders import add_intervention, make_dossier, page_text, refer


def test_existing_events_are_sealed_and_the_chain_still_verifies(app, db, advisor,
                                                                 monkeypatch,
                                                                 advisor_client):
    directory = app.extensions["migrate"].directory
    downgrade(directory=directory, revision="activities0001")  # just before privacy0001
    try:
        # Written as the code before the migration wrote them: values in clear, no consent.
        with monkeypatch.context() as patch:
            patch.setattr(audit, "seal", lambda dossier_id, changes, reason: (changes, reason,
                                                                              []))
            patch.setitem(app.extensions, referrals.SENT_HOOKS, [])
            dossier = make_dossier(advisor, title="Atelier Beauregard",
                                   promoter_name="Famille Beauregard")
            add_intervention(dossier, advisor, notes="Rencontre chez Beauregard.")
            refer(dossier, advisor, "mrc-becancour", consent=True,
                  reason="Demande de la famille Beauregard.")
        log = repr([(e.changes, e.reason) for e in db.session.scalars(select(AuditEvent))])
        assert "Beauregard" in log and verify().ok
        db.session.commit()
    finally:
        upgrade(directory=directory)
    db.session.expire_all()
    log = repr([(e.changes, e.reason) for e in db.session.scalars(select(AuditEvent))])
    assert "Beauregard" not in log
    kept = repr(list(db.session.scalars(select(AuditPersonal.value))))
    assert "Famille Beauregard" in kept and "Rencontre chez Beauregard." in kept
    assert verify().ok
    consent = db.session.scalar(select(Consent))
    assert (consent.dossier_id, consent.purpose, consent.organisation.code, consent.method,
            consent.status) == (dossier.id, "share_contacts", "mrc-becancour", "migrated",
                                "active")
    # The timeline reads the sealed values back.
    page = page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "Demande de la famille Beauregard." in page
