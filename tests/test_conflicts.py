"""A version conflict, as the person who meets it sees it, on every slice's versioned forms.

Someone displays a form, someone else changes the dossier or referral meanwhile, then the
first person sends what they typed. The answer is the same everywhere: 409, the same page
with the typed values still in the form's fields, a box "Conflit de modification" naming
the change made meanwhile (time · who · what), and nothing written. The form on that page
carries the current version, so sending it again as shown, knowingly, is saved.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from caseflow.audit.models import AuditEvent
from caseflow.audit.personal import reveal
from caseflow.documents.models import DossierDocument
from caseflow.dossiers.models import Dossier, Intervention
from caseflow.financing.models import FinancingLine
from caseflow.notifications.models import Notification
from caseflow.referrals import services as referrals
from caseflow.referrals.models import Referral
from tests.builders import (
    add_intervention,
    make_dossier,
    make_dossier_edit_form,
    make_intervention_form,
    make_user,
    refer,
)

DOSSIER_CHANGED = ("Ce dossier a été modifié par quelqu'un d'autre pendant que vous le "
                   "consultiez. Rien n'a été enregistré.")
REFERRAL_CHANGED = ("Ce référencement a changé pendant que vous le consultiez. "
                    "Rien n'a été enregistré.")


# --- Reading a page's forms and its conflict box as a browser and a person do -------------

class FormReader(HTMLParser):
    """The forms of a page: each one's action and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._open = False
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, chosen

    def _add(self, name: str, value: str) -> None:
        self.forms[-1][1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
            self._open = True
        elif not self._open or not attrs.get("name") and tag != "option":
            return
        elif tag == "input" and (attrs.get("type") not in ("checkbox", "radio")
                                 or "checked" in attrs):
            self._add(attrs["name"], attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = (attrs["name"], [])
        elif tag == "select":
            self._select = (attrs["name"], [], [])
        elif tag == "option" and self._select is not None:
            _, options, chosen = self._select
            options.append(attrs.get("value") or "")
            if "selected" in attrs:
                chosen.append(options[-1])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)  # a browser drops the newline that opens a textarea
            self._add(name, text[2:] if text.startswith("\r\n") else text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, options, chosen = self._select
            for value in chosen or options[:1]:  # with nothing selected, the first option
                self._add(name, value)
            self._select = None


def form_posting_to(response, action: str) -> dict[str, list[str]]:
    """Return the fields of the page's one form that posts to `action` (a form without an
    action posts to the page's own address)."""
    reader = FormReader()
    reader.feed(response.get_data(as_text=True))
    page = response.request.path
    found = [fields for target, fields in reader.forms if (target or page) == action]
    if len(found) > 1:  # a checklist item's upload form posts to its page too: keep the other
        found = [fields for fields in found if "file" not in fields]
    assert len(found) == 1, f"{len(found)} forms post to {action} on {page}"
    return found[0]


CONFLICT_BOX = re.compile(r'<div class="alert alert-warning" role="alert">\s*<h2.*?</div>', re.S)


def readable(markup: str) -> str:
    """Return markup as a person reads it: no tags, entities decoded, spaces collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " ")).strip()


def page_title(response) -> str:
    return readable(re.search(r"<title>(.*?)</title>", response.get_data(as_text=True),
                              re.S).group(1))


def conflict_box(response) -> tuple[str, list[str]]:
    """Return the conflict box's text, and its lines under "Modifié entre-temps"."""
    match = CONFLICT_BOX.search(response.get_data(as_text=True))
    assert match, "no conflict box on the page"
    box = match.group(0)
    return readable(box), [readable(line) for line in re.findall(r"<li>(.*?)</li>", box, re.S)]


# --- What must not move, and someone else's change ---------------------------------------

def snapshot(db):
    """Row counts of what the forms write, and the versions and states of what they change."""
    counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
              for model in (AuditEvent, Intervention, DossierDocument, FinancingLine, Referral,
                            Notification)}
    dossiers = db.session.execute(select(Dossier.id, Dossier.version, Dossier.title,
                                         Dossier.state).order_by(Dossier.id)).all()
    sent = db.session.execute(select(Referral.id, Referral.version, Referral.state)
                              .order_by(Referral.id)).all()
    db.session.rollback()
    return counts, dossiers, sent


@dataclass
class Meanwhile:
    """Someone else's change, made while the form was on screen, and how the box names it."""

    make: Callable[[], object]  # makes and commits the change
    who: str
    label: str


def intervention_logged(dossier, colleague) -> Meanwhile:
    return Meanwhile(lambda: add_intervention(dossier, colleague, notes="Appel du comité."),
                     colleague.full_name, "Intervention consignée")


def referral_acknowledged(db, referral, partner) -> Meanwhile:
    def acknowledge():
        referrals.act(referral, partner, "acknowledge", referral.version)
        db.session.commit()

    return Meanwhile(acknowledge, partner.full_name, "Référencement reçu par le partenaire")


# --- The conflict, seen from the form -----------------------------------------------------

@pytest.fixture
def send_stale(db, runner):
    """Display `page`, let someone else change things, then send `typed` on the page's form
    posting to `action` with the version displayed. Check the answer: 409, the same form with
    what was typed and the version of now (`current()`), the box naming the change, and
    nothing written. Return the answer and the fields of its form."""

    def send(client, page, action, typed, meanwhile: Meanwhile, *, current,
             message=DOSSIER_CHANGED, lists_changes=True):
        shown = form_posting_to(client.get(page), action)
        meanwhile.make()
        before = snapshot(db)
        response = client.post(action, data={**shown, **typed})
        assert response.status_code == 409
        assert snapshot(db) == before
        verified = runner.invoke(args=["audit", "verify"])
        db.session.rollback()
        assert "Audit chain intact" in verified.output, verified.output

        again = form_posting_to(response, action)
        for name, value in typed.items():
            assert sorted(again.get(name, [])) == sorted(
                value if isinstance(value, list) else [value]), name
        assert again["version"] == [str(current())]
        assert again["version"] != shown["version"]
        text, changed = conflict_box(response)
        assert text.startswith("Conflit de modification") and message in text
        if not lists_changes:  # a partner is not shown the dossier's log
            assert "Modifié entre-temps" not in text and meanwhile.who not in text
            return response, again
        assert "Modifié entre-temps :" in text
        assert re.fullmatch(rf"\d{{4}}-\d\d-\d\d \d\d:\d\d · {re.escape(meanwhile.who)} · "
                            rf"{re.escape(meanwhile.label)}", changed[0]), changed
        return response, again

    return send


def resend(client, action, fields) -> None:
    """Send the form again as the 409 page shows it: it is saved this time."""
    response = client.post(action, data=fields)
    assert response.status_code == 303, readable(response.get_data(as_text=True))[:500]


def version_of(db, model, object_id):
    """Return a reader of the object's version of now, as the 409 page should carry it."""
    return lambda: db.session.get(model, object_id).version


# --- Each slice's versioned forms ---------------------------------------------------------

NEW_TITLE = "Épicerie solidaire de Gentilly"
COMMENT = "Le comité démarre ses activités en avril."
NOTES = "Appel de suivi : le plan d'affaires est presque prêt."


def typed_on(form: dict) -> dict:
    """What the person typed on a builder's form; the page gives the version."""
    return {name: value for name, value in form.items() if name != "version"}


def saved_title(db, dossier_id, intervention_id):
    return db.session.get(Dossier, dossier_id).title


def saved_step_and_comment(db, dossier_id, intervention_id):
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.dossier_id == dossier_id, AuditEvent.action == "dossier.transition"))
    comment = reveal([event])[0].reason if event else None  # sealed out of the chain
    return db.session.get(Dossier, dossier_id).state, comment


def saved_notes_and_minutes(db, dossier_id, intervention_id):
    intervention = db.session.get(Intervention, intervention_id)
    return intervention.notes, intervention.minutes


# name: (path after /dossiers/<id>/, what is typed, what is saved, what it should be)
DOSSIER_FORMS = {
    "edit": ("edit", typed_on(make_dossier_edit_form(
        0, title=NEW_TITLE, description="Une épicerie de quartier gérée par ses membres.")),
        saved_title, NEW_TITLE),
    "transition": ("actions/start_follow_up", {"comment": COMMENT}, saved_step_and_comment,
                   ("follow_up", COMMENT)),
    "intervention-edit": ("interventions/{intervention}/edit",
                          typed_on(make_intervention_form(0, notes=NOTES, minutes="75")),
                          saved_notes_and_minutes, (NOTES, 75)),
}


@pytest.mark.parametrize("name", DOSSIER_FORMS)
def test_a_dossier_form_after_a_conflict(db, advisor_client, advisor, coordinator, send_stale,
                                         name):
    suffix, typed, saved, expected = DOSSIER_FORMS[name]
    dossier = make_dossier(advisor)
    intervention = add_intervention(dossier, advisor).id
    path = f"/dossiers/{dossier.id}/" + suffix.format(intervention=intervention)
    _, shown = send_stale(advisor_client, path, path, typed,
                          intervention_logged(dossier, coordinator),
                          current=version_of(db, Dossier, dossier.id))
    resend(advisor_client, path, shown)
    assert saved(db, dossier.id, intervention) == expected


def test_a_document_status_after_a_conflict(db, advisor_client, advisor, coordinator,
                                            send_stale):
    dossier = make_dossier(advisor)
    path = f"/dossiers/{dossier.id}/documents/charte"
    _, shown = send_stale(advisor_client, path, path, {"status": "draft", "due_on": "2026-06-30"},
                          intervention_logged(dossier, coordinator),
                          current=version_of(db, Dossier, dossier.id))
    resend(advisor_client, path, shown)
    item = db.session.scalar(select(DossierDocument).where(
        DossierDocument.dossier_id == dossier.id))
    assert (item.kind.code, item.status, item.due_on) == ("charte", "draft", date(2026, 6, 30))


def test_a_financing_line_after_a_conflict(db, advisor_client, advisor, coordinator,
                                           send_stale):
    dossier = make_dossier(advisor)
    path = f"/dossiers/{dossier.id}/financing/new"
    typed = {"fund": "fdt-es", "organisation": "mrc-becancour",
             "amount_requested": "12 500,50 $", "decision": "pending",
             "notes": "Demande déposée au comité d'investissement du FDT."}
    _, shown = send_stale(advisor_client, path, path, typed,
                          intervention_logged(dossier, coordinator),
                          current=version_of(db, Dossier, dossier.id))
    resend(advisor_client, path, shown)
    line = db.session.scalar(select(FinancingLine))
    assert (line.amount_requested, line.notes) == (Decimal("12500.50"), typed["notes"])


def test_a_new_referral_after_a_conflict(db, advisor_client, advisor, coordinator, send_stale):
    dossier = make_dossier(advisor)
    path = f"/dossiers/{dossier.id}/referrals/new"
    typed = {"organisation": "cdc-becancour", "consent_to_share": "y",
             "reason": "Le projet cherche un local communautaire.",
             "request": "Proposer un local au groupe promoteur."}
    _, shown = send_stale(advisor_client, path, path, typed,
                          intervention_logged(dossier, coordinator),
                          current=version_of(db, Dossier, dossier.id))
    resend(advisor_client, path, shown)
    sent = db.session.scalar(select(Referral))
    assert (sent.organisation.code, sent.reason, sent.consent_to_share) == (
        "cdc-becancour", typed["reason"], True)


def test_withdrawing_a_referral_after_a_conflict(db, advisor_client, advisor, partner,
                                                 send_stale):
    dossier = make_dossier(advisor)
    referral = refer(dossier, advisor)
    other = refer(dossier, advisor, "cdc-becancour").id
    page = f"/dossiers/{dossier.id}"
    action = f"{page}/referrals/{referral.id}/withdraw"
    reason = "Le groupe a obtenu son financement ailleurs."
    response, shown = send_stale(advisor_client, page, action, {"text": reason},
                                 referral_acknowledged(db, referral, partner),
                                 current=version_of(db, Referral, referral.id),
                                 message=REFERRAL_CHANGED)
    assert page_title(response) == page_title(advisor_client.get(page))  # the dossier page
    assert form_posting_to(response, f"{page}/referrals/{other}/withdraw")["text"] == [""]
    resend(advisor_client, action, shown)
    withdrawn = db.session.get(Referral, referral.id)
    assert (withdrawn.state, withdrawn.withdraw_reason) == ("withdrawn", reason)


def test_a_partner_answer_after_a_conflict(db, advisor, partner_client, send_stale):
    # The hub's only action on a referral, withdrawing it, hides it from the partner (404):
    # what makes an answer stale is a colleague of the same organisation answering first.
    referral = refer(make_dossier(advisor), advisor)
    colleague = make_user("partner", organisation_code="mrc-becancour",
                          full_name="Collègue de la MRC")
    page = f"/partenaires/referencements/{referral.id}"
    reason = "Le projet relève plutôt de la CDC de Bécancour."
    _, shown = send_stale(partner_client, page, f"{page}/return", {"text": reason},
                          referral_acknowledged(db, referral, colleague),
                          current=version_of(db, Referral, referral.id),
                          message=REFERRAL_CHANGED, lists_changes=False)
    resend(partner_client, f"{page}/return", shown)
    returned = db.session.get(Referral, referral.id)
    assert (returned.state, returned.return_reason) == ("returned", reason)
