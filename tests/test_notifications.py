"""Notifications: who gets them, the "À traiter" page, the outbox and its retries."""

import logging
import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseflow.database import hub_today, utcnow
from caseflow.extensions import db as database
from caseflow.notifications import background, services
from caseflow.notifications.models import Notification, OutgoingEmail
from caseflow.notifications.services import notify, notify_organisation, send_pending
from tests.builders import csrf_token, fr, make_dossier, make_user, organisation, page_text

SECRET = "mot-de-passe-smtp-secret"


def _count(model) -> int:
    """Count the rows of a model's table."""
    return database.session.scalar(select(func.count()).select_from(model))


def _referral_params(**extra) -> dict:
    """Return the params a referral passes, plus any extra."""
    return {"organisation": "MRC de Bécancour", **extra}


def _notify_advisor(advisor, kind="referral.returned", **extra):
    """Notify the advisor about one of their dossiers and commit; return the notification."""
    dossier = make_dossier(advisor)
    [notification] = notify([advisor], kind, dossier=dossier, referral_id=7,
                            params=_referral_params(reason="Hors de notre territoire", **extra))
    database.session.commit()
    return notification


class FailingSMTP:
    """An SMTP server that cannot be reached; its error quotes the password it was given."""

    def __init__(self, host, port, timeout=None):
        """Fail to connect."""
        raise ConnectionRefusedError(f"connexion refusée ({SECRET})")


class RecordingSMTP:
    """An SMTP server that accepts everything and remembers what it was asked."""

    sessions: list = []

    def __init__(self, host, port, timeout=None):
        """Accept the connection and remember it."""
        self.calls = [("connect", host, port, timeout)]
        RecordingSMTP.sessions.append(self)

    def __enter__(self):
        """Open the session."""
        return self

    def __exit__(self, *exc):
        """Close the session."""
        return False

    def starttls(self, context=None):
        """Remember the switch to TLS."""
        self.calls.append(("starttls",))

    def login(self, user, password):
        """Remember the login."""
        self.calls.append(("login", user, password))

    def send_message(self, message):
        """Remember the message."""
        self.calls.append(("send", message["To"], message["Subject"], message.get_content()))


def test_notify_reaches_the_organisation_s_active_partners_only(db, advisor, partner):
    colleague = make_user("partner", email="collegue@exemple.test", locale="en")
    make_user("partner", email="inactive@exemple.test", active=False)
    elsewhere = make_user("partner", email="drummond@exemple.test",
                          organisation_code="mrc-drummond")
    dossier = make_dossier(advisor)

    created = notify_organisation(organisation("mrc-becancour"), "referral.sent",
                                  dossier=dossier, referral_id=7, params=_referral_params())

    assert {n.user_id for n in created} == {partner.id, colleague.id}
    emails = {e.to_address: e for e in db.session.scalars(select(OutgoingEmail))}
    assert set(emails) == {partner.email, colleague.email}
    assert elsewhere.email not in emails
    french = emails[partner.email]
    assert french.status == "pending" and french.attempts == 0
    assert french.subject == fr(f"Nouveau référencement : {dossier.reference} — {dossier.title}")
    assert "http://127.0.0.1:5000/partenaires/referencements/7" in french.body
    assert "Bonjour Partenaire Test," in french.body
    english = emails[colleague.email]
    assert english.subject == f"New referral: {dossier.reference} — {dossier.title}"
    assert "/partenaires/referencements/7" in english.body
    # The service flushed but never committed: the caller's rollback takes it all back.
    db.session.rollback()
    assert _count(Notification) == 0 and _count(OutgoingEmail) == 0


def test_staff_e_mails_link_to_the_dossier_and_carry_the_reason(app, db, advisor):
    app.config["BASE_URL"] = "https://caseflow.exemple.test/"
    notification = _notify_advisor(advisor)
    email = db.session.scalar(select(OutgoingEmail))
    assert email.notification_id == notification.id
    assert email.subject.startswith(fr("Référencement retourné par MRC de Bécancour : "))
    assert f"https://caseflow.exemple.test/dossiers/{notification.dossier_id}" in email.body
    assert fr("Motif : Hors de notre territoire") in email.body
    assert notification.params["reference"] == notification.dossier.reference


def test_notify_refuses_an_unknown_kind(db, advisor):
    with pytest.raises(ValueError):
        notify([advisor], "referral.unknown")


def test_the_page_lists_notifications_in_french_and_marks_them_read(advisor_client, db,
                                                                     advisor):
    first = _notify_advisor(advisor)
    second = _notify_advisor(advisor, kind="referral.accepted")
    page = page_text(advisor_client.get("/notifications"))
    assert "À traiter" in page and "Notifications" in page
    assert "Référencement accepté par MRC de Bécancour" in page
    assert fr("Motif : Hors de notre territoire") in page
    assert f'<a href="/dossiers/{first.dossier_id}">' in page
    assert page.count("<strong>") == 2  # unread in bold
    assert 'rounded-pill text-bg-light">2<' in page  # the navbar badge

    token = csrf_token(advisor_client, "/notifications")
    response = advisor_client.post(f"/notifications/{first.id}/read", data={"csrf_token": token})
    assert response.status_code == 303
    assert db.session.get(Notification, first.id).read_at is not None
    assert db.session.get(Notification, second.id).read_at is None
    assert page_text(advisor_client.get("/notifications")).count("<strong>") == 1

    response = advisor_client.post("/notifications/read", data={"csrf_token": token},
                                   follow_redirects=True)
    assert fr("Notifications marquées comme lues : 1.") in page_text(response)
    assert services.unread_count(advisor) == 0
    assert "<strong>" not in page_text(advisor_client.get("/notifications"))


def test_what_partners_write_is_shown_as_text(advisor_client, advisor):
    _notify_advisor(advisor, kind="referral.note", note="<script>alert(1)</script>")
    raw = advisor_client.get("/notifications").get_data(as_text=True)
    assert "<script>alert" not in raw and fr("Note : &lt;script&gt;alert(1)") in raw


def test_a_partner_cannot_mark_someone_else_s_notification(partner_client, db, advisor):
    notification = _notify_advisor(advisor)
    token = csrf_token(partner_client, "/notifications")
    for path in [f"/notifications/{notification.id}/read", "/notifications/999999/read",
                 "/notifications/99999999999/read"]:
        assert partner_client.post(path, data={"csrf_token": token}).status_code == 404
    assert db.session.get(Notification, notification.id).read_at is None


def test_bad_input_is_a_4xx_and_changes_nothing(advisor_client, coordinator_client, db,
                                                advisor):
    notification = _notify_advisor(advisor)
    assert advisor_client.post(f"/notifications/{notification.id}/read").status_code == 400
    assert advisor_client.post("/notifications/read").status_code == 400
    assert advisor_client.get(f"/notifications/{notification.id}/read").status_code == 405
    assert db.session.get(Notification, notification.id).read_at is None
    token = csrf_token(coordinator_client, "/admin/outbox")
    assert coordinator_client.post("/admin/outbox/999999/retry",
                                   data={"csrf_token": token}).status_code == 404
    email = db.session.scalar(select(OutgoingEmail))
    assert coordinator_client.post(f"/admin/outbox/{email.id}/retry").status_code == 400
    # Retrying an e-mail that has not failed is refused with a message, not an error.
    response = coordinator_client.post(f"/admin/outbox/{email.id}/retry",
                                       data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200
    assert "Seul un courriel en échec peut être relancé." in page_text(response)


def test_partners_see_only_notifications_on_dossiers_they_may_see(partner_client, db,
                                                                  advisor, partner,
                                                                  monkeypatch):
    dossier = make_dossier(advisor)
    notify([partner], "referral.sent", dossier=dossier, referral_id=7,
           params=_referral_params())
    db.session.commit()
    page = page_text(partner_client.get("/notifications"))
    assert dossier.reference not in page and "Aucune notification." in page
    assert "Suivi en retard" not in page

    monkeypatch.setattr("caseflow.dossiers.access.can_see", lambda user, dossier: True)
    page = page_text(partner_client.get("/notifications"))
    assert fr(f"Nouveau référencement : {dossier.reference}") in page
    assert '<a href="/partenaires/referencements/7">' in page


def test_overdue_follow_ups_appear_for_the_advisor(advisor_client, db, advisor, coordinator):
    late = make_dossier(advisor, title="Coopérative de solidarité en retard")
    late.next_follow_up = hub_today() - timedelta(days=3)
    on_time = make_dossier(advisor, title="Dossier suivi à temps")
    on_time.next_follow_up = hub_today() + timedelta(days=3)
    someone_else = make_dossier(coordinator, advisor=coordinator, title="Dossier d'un autre")
    someone_else.next_follow_up = hub_today() - timedelta(days=3)
    db.session.commit()
    page = page_text(advisor_client.get("/notifications"))
    assert "Suivi en retard" in page
    assert late.reference in page and "Coopérative de solidarité en retard" in page
    assert f'href="/dossiers/{late.id}"' in page
    assert "Dossier suivi à temps" not in page and "Dossier d'un autre" not in page


def test_without_smtp_the_message_stays_in_the_outbox_not_in_the_log(
        db, advisor, coordinator_client, advisor_client, caplog):
    _notify_advisor(advisor)
    caplog.set_level(logging.INFO, logger="caseflow")
    assert send_pending() == (0, 0)
    email = db.session.scalar(select(OutgoingEmail))
    assert email.status == "held" and email.sent_at is None and email.attempts == 1
    assert email.subject not in caplog.text and advisor.email not in caplog.text
    assert email.body not in caplog.text
    assert send_pending() == (0, 0)  # nothing is tried twice
    outbox = page_text(coordinator_client.get("/admin/outbox"))
    assert email.subject in outbox and advisor.email in outbox
    assert "aucun serveur de courriel" in outbox
    assert advisor_client.get("/admin/outbox").status_code == 403


def test_with_smtp_the_message_goes_through_starttls_and_login(app, db, advisor, monkeypatch):
    app.config.update(SMTP_HOST="smtp.exemple.test", SMTP_USER="caseflow",
                      SMTP_PASSWORD=SECRET, SMTP_FROM="caseflow@pole-es.test")
    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    RecordingSMTP.sessions = []
    _notify_advisor(advisor)
    assert send_pending() == (1, 0)
    [session] = RecordingSMTP.sessions
    assert session.calls[0] == ("connect", "smtp.exemple.test", 587, 10)
    assert session.calls[1:3] == [("starttls",), ("login", "caseflow", SECRET)]
    kind, to, subject, body = session.calls[3]
    assert to == advisor.email and subject.startswith("Référencement retourné")
    assert fr("Motif : Hors de notre territoire") in body


def test_a_failing_e_mail_is_retried_then_given_up_and_the_coordinator_retries_it(
        app, db, advisor, coordinator_client, monkeypatch):
    app.config.update(SMTP_HOST="smtp.exemple.test", SMTP_PASSWORD=SECRET)
    monkeypatch.setattr(smtplib, "SMTP", FailingSMTP)
    _notify_advisor(advisor)
    now = utcnow()
    for attempt, delay in enumerate([1, 5, 30, 120], start=1):
        assert send_pending(now=now) == (0, 1)
        email = db.session.scalar(select(OutgoingEmail))
        assert email.status == "pending" and email.attempts == attempt
        assert email.next_attempt_at == now + timedelta(minutes=delay)
        assert SECRET not in email.last_error and "ConnectionRefusedError" in email.last_error
        assert send_pending(now=now + timedelta(minutes=delay) - timedelta(seconds=1)) == (0, 0)
        now += timedelta(minutes=delay)
    assert send_pending(now=now) == (0, 1)
    email = db.session.scalar(select(OutgoingEmail))
    assert email.status == "failed" and email.attempts == 5
    assert send_pending(now=now + timedelta(days=1)) == (0, 0)

    page = page_text(coordinator_client.get("/admin/outbox"))
    assert "Courriels en attente" in page and advisor.email in page
    assert "En échec" in page and "connexion refusée" in page and SECRET not in page
    token = csrf_token(coordinator_client, "/admin/outbox")
    response = coordinator_client.post(f"/admin/outbox/{email.id}/retry",
                                       data={"csrf_token": token}, follow_redirects=True)
    assert "Courriel remis dans la file d'envoi" in page_text(response)
    db.session.expire_all()
    email = db.session.get(OutgoingEmail, email.id)
    assert email.status == "pending" and email.attempts == 0
    assert email.next_attempt_at <= utcnow()


def test_the_outbox_is_for_the_coordinator_only(advisor_client, partner_client,
                                                coordinator_client, db, advisor):
    _notify_advisor(advisor)
    email = db.session.scalar(select(OutgoingEmail))
    email.status, email.attempts = "failed", 5
    db.session.commit()
    for client in (advisor_client, partner_client):
        assert client.get("/admin/outbox").status_code == 403
        token = csrf_token(client, "/notifications")
        # Refused without saying whether the e-mail exists (403 or 404, never a change).
        assert client.post(f"/admin/outbox/{email.id}/retry",
                           data={"csrf_token": token}).status_code in (403, 404)
    assert db.session.get(OutgoingEmail, email.id).status == "failed"
    assert coordinator_client.get("/admin/outbox").status_code == 200
    assert "À traiter" in page_text(coordinator_client.get("/notifications"))


def test_the_cli_sends_due_e_mails_and_prints_counts(runner, db, advisor):
    _notify_advisor(advisor)
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    assert ("E-mails sent: 0, failed: 0; still pending: 0, given up: 0; held in the outbox "
            "(no mail server): 1.") in result.output
    db.session.expire_all()
    assert db.session.scalar(select(OutgoingEmail.status)) == "held"


def test_a_request_that_queued_e_mails_sends_them_in_a_thread_afterwards(app, db, advisor,
                                                                        monkeypatch):
    threads = []
    start = background.start_sender
    monkeypatch.setattr(background, "start_sender",
                        lambda application: threads.append(start(application)))
    dossier = make_dossier(advisor)
    with app.test_request_context("/"):  # tests never start the thread unless asked
        notify([advisor], "referral.accepted", dossier=dossier, params=_referral_params())
        db.session.commit()
        app.process_response(app.make_response("ok")).close()
    assert threads == []

    app.config["OUTBOX_SEND_AFTER_REQUEST"] = True
    with app.test_request_context("/"):
        notify([advisor], "referral.completed", dossier=dossier, params=_referral_params())
        db.session.commit()
        response = app.process_response(app.make_response("ok"))
        assert threads == []  # not before the response is closed
        response.close()
    [thread] = threads
    thread.join(timeout=30)
    db.session.expire_all()
    # No mail server in tests: the thread ran and kept them in the outbox.
    assert set(db.session.scalars(select(OutgoingEmail.status))) == {"held"}


def test_a_burst_of_requests_leaves_no_e_mail_waiting(app, db, advisor, monkeypatch):
    """Each request of a burst starts a sender; when they are done, no e-mail is still
    pending (the last one of a burst used to wait for a later request)."""
    threads = []
    start = background.start_sender
    monkeypatch.setattr(background, "start_sender",
                        lambda application: threads.append(start(application)))
    app.config["OUTBOX_SEND_AFTER_REQUEST"] = True
    dossier = make_dossier(advisor)
    for _ in range(8):
        with app.test_request_context("/"):
            notify([advisor], "referral.completed", dossier=dossier, params=_referral_params())
            db.session.commit()
            app.process_response(app.make_response("ok")).close()
    for thread in threads:
        thread.join(timeout=60)
    assert threads and not any(thread.is_alive() for thread in threads)
    db.session.expire_all()
    statuses = list(db.session.scalars(select(OutgoingEmail.status)))
    assert len(statuses) == 8 and set(statuses) == {"held"}


def _navbar_badge(client) -> str:
    import re

    html = client.get("/dossiers/").get_data(as_text=True)
    found = re.search(r'À traiter <span class="badge[^"]*">([^<]*)<', html)
    return found.group(1) if found else ""


def test_the_navbar_counts_unread_notices_up_to_99_plus(advisor_client, db, advisor):
    assert _navbar_badge(advisor_client) == ""
    database.session.add_all(Notification(user_id=advisor.id, kind="referral.returned",
                                          params=_referral_params()) for _ in range(3))
    # Notices already read do not count, however many.
    database.session.add_all(Notification(user_id=advisor.id, kind="referral.returned",
                                          params=_referral_params(), read_at=utcnow())
                             for _ in range(200))
    database.session.commit()
    assert _navbar_badge(advisor_client) == "3"
    database.session.add_all(Notification(user_id=advisor.id, kind="referral.returned",
                                          params=_referral_params()) for _ in range(120))
    database.session.commit()
    assert _navbar_badge(advisor_client) == "99+"
    assert services.unread_count(advisor) == 123
