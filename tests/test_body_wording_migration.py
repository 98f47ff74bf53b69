"""A database from before the bodies' editable wording keeps the report's phrasing on upgrade."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from caseflow.activities.models import Body


def test_an_older_database_gets_the_seeded_wording_and_the_network_s_label(app, db):
    directory = app.extensions["migrate"].directory
    db.session.commit()
    downgrade(directory=directory, revision="caseload0001")  # just before bodywords0001
    try:
        db.session.execute(text("UPDATE activity_body SET label_fr = 'Réseau des Pôles "
                                "d''économie sociale' WHERE code = 'poles'"))
        db.session.execute(text("UPDATE activity_body SET label_fr = 'Notre CRDS' "
                                "WHERE code = 'crds'"))
        db.session.commit()
    finally:
        upgrade(directory=directory)
    db.session.expire_all()
    bodies = {body.code: body for body in db.session.scalars(select(Body))}
    assert bodies["ca-pole"].wording("fr") == {"qualifier": "regular"}
    assert bodies["executif-pole"].wording("en") == {"phrase": "of the executive"}
    assert bodies["crds"].wording("fr") == {"total": True}
    assert bodies["crds"].label_fr == "Notre CRDS"  # the coordinator's label stays
    assert bodies["poles"].wording("fr") == {"event_titles": True}
    assert (bodies["poles"].label_fr, bodies["poles"].label_en) == (
        "Pôles de l'économie sociale", "Social economy hubs")
    assert bodies["table-dd"].wording("fr") == {} and bodies["table-dd"].version == 1
