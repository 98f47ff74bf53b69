"""The defects a new user met, each checked as that user would see it."""

from decimal import Decimal

from sqlalchemy import select

from caseflow.database import hub_today
from caseflow.financing.services import FinancingFields, add_line
from caseflow.notifications.models import Notification
from caseflow.reference.models import Fund
from caseflow.referrals.models import Referral
from caseflow.referrals.services import act, record_financing_decision
from tests import builders


def _fund(code="fdt-es"):
    return builders.db.session.scalar(select(Fund).where(Fund.code == code))


def test_a_partner_decision_decides_the_advisor_pending_line(db, advisor, partner):
    dossier = builders.make_dossier(advisor)
    mrc = builders.organisation("mrc-becancour")
    add_line(dossier, advisor, dossier.version, FinancingFields(
        fund=_fund(), decision="pending", amount_requested=Decimal("25000"),
        investment=Decimal("94115"), jobs_created=3, organisation=mrc))
    db.session.commit()
    referral = builders.refer(dossier, advisor)
    act(referral, partner, "accept", referral.version)
    db.session.commit()
    record_financing_decision(referral, partner, dossier.version, FinancingFields(
        fund=_fund(), decision="authorised", amount_authorised=Decimal("20000"),
        decided_on=hub_today(), organisation=mrc))
    db.session.commit()
    lines = [(line.decision, line.amount_requested, line.amount_authorised, line.investment,
              line.jobs_created) for line in dossier.financing_lines]
    assert lines == [("authorised", 25000, 20000, 94115, 3)]
    told = db.session.scalars(select(Notification.kind).where(
        Notification.user_id == advisor.id)).all()
    assert "financing.decided" in told


def test_without_a_pending_line_the_decision_is_a_line_of_its_own(db, advisor, partner):
    dossier = builders.make_dossier(advisor)
    referral = builders.refer(dossier, advisor)
    act(referral, partner, "accept", referral.version)
    db.session.commit()
    record_financing_decision(referral, partner, dossier.version, FinancingFields(
        fund=_fund(), decision="refused", decided_on=hub_today(),
        organisation=builders.organisation("mrc-becancour")))
    db.session.commit()
    assert [line.decision for line in dossier.financing_lines] == ["refused"]


def test_removing_an_intervention_asks_first(db, advisor, advisor_client):
    dossier = builders.make_dossier(advisor)
    builders.add_intervention(dossier, advisor)
    page = advisor_client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    form_start = page.index("/remove")
    details_start = page.rindex("<details", 0, form_start)
    assert "</details>" not in page[details_start:form_start]
    assert "Confirmer le retrait" in page


def test_closing_warns_of_an_open_referral_and_a_pending_line(db, advisor, advisor_client):
    dossier = builders.make_dossier(advisor)
    add_line(dossier, advisor, dossier.version, FinancingFields(
        fund=_fund(), decision="pending", amount_requested=Decimal("1000")))
    db.session.commit()
    builders.add_intervention(dossier, advisor)
    builders.refer(dossier, advisor)
    text = builders.plain_text(advisor_client.get(f"/dossiers/{dossier.id}/actions/close"))
    assert "Avant de fermer ce dossier" in text
    assert "MRC de Bécancour est encore ouvert" in text
    assert "1 demande de financement est encore en attente" in text


def test_the_words_of_the_dossier_page(db, advisor, advisor_client, app):
    dossier = builders.make_dossier(advisor, women_count=2, men_count=0)
    builders.add_intervention(dossier, advisor)
    text = builders.plain_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "2 femmes, 0 homme" in text and "femme(s)" not in text
    english = app.test_client()
    builders.login(english, advisor.email)
    english.post("/language", data={"csrf_token": builders.csrf_token(english, "/"),
                                    "locale": "en", "next": "/"})
    text = builders.plain_text(english.get(f"/dossiers/{dossier.id}"))
    assert "2 women, 0 men" in text
    assert "Edit" in text and "Correct " not in text


def test_a_new_intervention_is_an_internal_note_by_default(db, advisor, advisor_client):
    dossier = builders.make_dossier(advisor)
    page = advisor_client.get(f"/dossiers/{dossier.id}/interventions/new")
    field = next(tag for tag in page.get_data(as_text=True).split("<input")
                 if 'name="private"' in tag)
    assert "checked" in field


def test_money_in_each_language(app):
    from caseflow.templating import _money

    with app.test_request_context(headers={"Accept-Language": "fr-CA"}):
        assert _money(Decimal("94115")) == "94\u00a0115\u00a0$"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert _money(Decimal("94115")) == "$94,115"
        assert _money(Decimal("65560.28")) == "$65,560.28"


def test_a_referral_sent_today_says_today(db, advisor, coordinator_client):
    builders.refer(builders.make_dossier(advisor), advisor)
    text = builders.plain_text(coordinator_client.get("/referencements/"))
    assert "il y a 0 jours" not in text and "aujourd'hui" in text
    assert db.session.scalar(select(Referral.id))


def test_form_errors_are_announced_and_lead_to_their_field(db, advisor, advisor_client):
    page = advisor_client.post("/dossiers/new", data={
        "csrf_token": builders.csrf_token(advisor_client, "/dossiers/new"), "title": ""})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    alert = html[html.index('role="alert"'):]
    alert = alert[:alert.index("</div>")]
    assert 'href="#title"' in alert
    assert "Ce champ est obligatoire." in builders.plain_text(page)
    assert "C e" not in alert


def test_an_evening_in_montreal_is_still_today_for_the_hub(db, advisor, advisor_client,
                                                           monkeypatch):
    """At 22:50 in Montréal a server on UTC is already on the next day: the meeting of the
    evening is today's, no day count goes negative, and tomorrow is still refused."""
    from datetime import UTC, date, datetime, timedelta

    from caseflow import database
    from caseflow.dossiers.models import Dossier

    evening = datetime(2026, 12, 2, 3, 50, tzinfo=UTC)  # 2026-12-01 22:50 in Montréal
    monkeypatch.setattr(database, "utcnow", lambda: evening)
    assert database.hub_today() == date(2026, 12, 1)
    dossier = builders.make_dossier(advisor)
    builders.add_intervention(dossier, advisor, occurred_on=date(2026, 12, 1))
    db.session.get(Dossier, dossier.id).state_entered_at = evening - timedelta(minutes=5)
    db.session.commit()
    form = advisor_client.get(f"/dossiers/{dossier.id}/interventions/new").get_data(
        as_text=True)
    assert 'value="2026-12-01"' in form
    caseload = builders.page_text(advisor_client.get("/dossiers/"))
    assert "-1 jour" not in caseload and "0 jour" in caseload
    def log(day):
        token = builders.csrf_token(advisor_client, f"/dossiers/{dossier.id}/interventions/new")
        return advisor_client.post(f"/dossiers/{dossier.id}/interventions/new", data={
            "csrf_token": token, "version": db.session.get(Dossier, dossier.id).version,
            "occurred_on": day, "kind": "meeting", "subjects": "info-programmes", "minutes": "60"})

    refused = log("2026-12-02")
    assert refused.status_code in (400, 422)
    assert "ne peut pas être dans le futur" in builders.page_text(refused)
    assert log("2026-12-01").status_code == 303
