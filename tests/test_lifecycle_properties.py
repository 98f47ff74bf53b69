"""A stateful property test of the dossier and referral lifecycle, through the web client.

Hypothesis draws sequences of what advisors, the coordinator and two partner organisations
do (open and edit dossiers, refer them, answer, withdraw, type hostile text, guess ids);
after every step the invariants hold: never a 5xx; each partner sees exactly the dossiers
referred to their organisation; each change wrote one audit event and a refusal none; the
audit chain verifies; no dossier is lost.
"""

import re
import uuid

from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from caseflow import create_app
from caseflow.audit.models import AuditEvent
from caseflow.audit.services import verify
from caseflow.dossiers.models import Dossier
from caseflow.extensions import db
from caseflow.referrals.lifecycle import ACTIONS, STATES
from caseflow.referrals.models import Referral
from tests import builders
from tests.conftest import TEST_SETTINGS, IsolatedClient, PostgresTemplate

ORGANISATIONS = ("mrc-becancour", "mrc-drummond")
PARTNER_ACTIONS = ("acknowledge", "accept", "return", "complete")
HOSTILE_TEXT = st.text(alphabet=st.sampled_from(
    ["a", "é", " ", "\x00", "\u202e", "\x1b", "'", "%", "<", "0", "\n"]), min_size=1,
    max_size=12)


def _token(client, path):
    return builders.csrf_token(client, path)


class Lifecycle(RuleBasedStateMachine):
    """The hub as the web client sees it, beside a model of what it should hold."""

    def __init__(self):
        super().__init__()
        self.dossiers: dict[int, str] = {}  # id -> title
        self.referrals: dict[int, dict] = {}  # id -> {dossier, organisation, state}
        self.changes = 0

    @initialize()
    def start(self):
        self.app, self.context = FACTORY()
        with self.app.app_context():
            self.events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
            advisor = builders.make_user("advisor", email="conseil@exemple.test")
            builders.make_user("coordinator", email="coordination@exemple.test")
            for code in ORGANISATIONS:
                builders.make_user("partner", email=f"{code}@exemple.test",
                                   organisation_code=code)
            self.advisor_id = advisor.id
            self.events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
        self.staff = self._client("conseil@exemple.test")
        self.coordinator = self._client("coordination@exemple.test")
        self.partners = {code: self._client(f"{code}@exemple.test") for code in ORGANISATIONS}

    def teardown(self):
        if hasattr(self, "app"):
            with self.app.app_context():
                db.session.remove()
                db.engine.dispose()

    def _client(self, email):
        client = self.app.test_client()
        assert builders.login(client, email).status_code == 303
        return client

    def _answered(self, response, *allowed):
        assert response.status_code < 500, response.get_data(as_text=True)[:2000]
        assert response.status_code in allowed, (response.status_code, allowed)
        return response.status_code

    def _version(self, model, object_id):
        with self.app.app_context():
            return db.session.get(model, object_id).version

    # --- dossiers

    @precondition(lambda self: len(self.dossiers) < 4)  # a few dossiers, lived in deeply
    @rule(title=st.sampled_from(["Coop du village", "Épicerie solidaire", "OBNL jeunesse"]))
    def open_dossier(self, title):
        response = self.staff.post("/dossiers/new", data={
            **builders.make_dossier_form(title=title), "csrf_token": _token(self.staff,
                                                                            "/dossiers/new")})
        self._answered(response, 303)
        dossier_id = int(re.search(r"/dossiers/(\d+)$", response.headers["Location"]).group(1))
        self.dossiers[dossier_id] = title
        self.changes += 1

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data(), title=st.one_of(HOSTILE_TEXT, st.just("Titre corrigé")))
    def edit_dossier(self, data, title):
        dossier_id = data.draw(st.sampled_from(sorted(self.dossiers)))
        path = f"/dossiers/{dossier_id}/edit"
        response = self.staff.post(path, data={
            **builders.make_dossier_edit_form(self._version(Dossier, dossier_id), title=title),
            "csrf_token": _token(self.staff, path)})
        if self._answered(response, 303, 400) == 303:
            with self.app.app_context():
                stored = db.session.get(Dossier, dossier_id).title
            if stored != self.dossiers[dossier_id]:  # saving the same facts is no change
                self.changes += 1
            self.dossiers[dossier_id] = stored
            assert "\u202e" not in stored and "\x00" not in stored

    # --- referrals

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data(), organisation=st.sampled_from(ORGANISATIONS))
    def refer(self, data, organisation):
        dossier_id = data.draw(st.sampled_from(sorted(self.dossiers)))
        path = f"/dossiers/{dossier_id}/referrals/new"
        response = self.staff.post(path, data={
            "version": self._version(Dossier, dossier_id), "organisation": organisation,
            "reason": "Demande au fonds", "request": "Analyser",
            "csrf_token": _token(self.staff, path)})
        if self._answered(response, 303, 400) == 303:
            with self.app.app_context():
                newest = db.session.scalar(select(Referral).where(
                    Referral.dossier_id == dossier_id).order_by(Referral.id.desc()))
                self.referrals[newest.id] = {"dossier": dossier_id,
                                             "organisation": organisation,
                                             "state": newest.state}
            self.changes += 1

    @precondition(lambda self: self.referrals)
    @rule(data=st.data(), action=st.sampled_from(PARTNER_ACTIONS),
          result=st.sampled_from(["", "successful"]), text=st.sampled_from(["", "Parce que"]))
    def partner_answers(self, data, action, result, text):
        referral_id = data.draw(st.sampled_from(sorted(self.referrals)))
        referral = self.referrals[referral_id]
        # Mostly the organisation it was sent to; sometimes the other one, who must not see it.
        organisation = data.draw(st.sampled_from([referral["organisation"]] * 3
                                                 + list(ORGANISATIONS)))
        client = self.partners[organisation]
        visible = organisation == referral["organisation"] \
            and STATES[referral["state"]].partner_sees
        path = f"/partenaires/referencements/{referral_id}"
        token = _token(client, "/")
        response = client.post(f"{path}/{action}", data={
            "version": self._version(Referral, referral_id), "text": text, "result": result,
            "csrf_token": token})
        if not visible:
            self._answered(response, 404)
            event("partner answer on a referral not theirs: 404")
            return
        step = ACTIONS[action]
        allowed = referral["state"] in step.sources and (not step.text or text) \
            and (not step.needs_result or result)
        status = self._answered(response, 303 if allowed else 422)
        event(f"partner {action}: {status}")
        if status == 303:
            referral["state"] = step.dest
            self.changes += 1

    @precondition(lambda self: self.referrals)
    @rule(data=st.data(), reason=st.sampled_from(["", "Plus nécessaire"]))
    def withdraw(self, data, reason):
        referral_id = data.draw(st.sampled_from(sorted(self.referrals)))
        referral = self.referrals[referral_id]
        path = f"/dossiers/{referral['dossier']}/referrals/{referral_id}/withdraw"
        response = self.coordinator.post(path, data={
            "version": self._version(Referral, referral_id), "text": reason,
            "csrf_token": _token(self.coordinator, "/")})
        self._answered(response, 303)
        event(f"withdraw from {referral['state']}")
        if STATES[referral["state"]].open and reason:
            referral["state"] = "withdrawn"
            self.changes += 1

    # --- guesses

    @rule(guess=st.one_of(st.integers(min_value=-5, max_value=2**40).map(str),
                          st.sampled_from(["01", "１", "%00", "1%00", "0x1", "+1"])),
          organisation=st.sampled_from(ORGANISATIONS))
    def partner_guesses_an_id(self, guess, organisation):
        response = self.partners[organisation].get(f"/dossiers/{guess}")
        canonical = guess.isascii() and guess.isdigit() and not guess.startswith("0")
        if canonical and int(guess) in self._seen_by(organisation):
            self._answered(response, 200)
        else:
            self._answered(response, 404)

    # --- invariants

    def _seen_by(self, organisation) -> set[int]:
        return {r["dossier"] for r in self.referrals.values()
                if r["organisation"] == organisation and STATES[r["state"]].partner_sees}

    @invariant()
    def partners_see_exactly_what_is_referred_to_them(self):
        if not hasattr(self, "app"):
            return
        for organisation, client in self.partners.items():
            seen = self._seen_by(organisation)
            for dossier_id in self.dossiers:
                expected = 200 if dossier_id in seen else 404
                assert client.get(f"/dossiers/{dossier_id}").status_code == expected, \
                    (organisation, dossier_id)

    @invariant()
    def one_audit_event_per_change_and_the_chain_verifies(self):
        if not hasattr(self, "app"):
            return
        with self.app.app_context():
            events = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                       .where(~AuditEvent.action.like("notification.%")))
            assert events - self.events_before == self.changes
            assert verify().ok

    @invariant()
    def no_dossier_is_lost(self):
        if not hasattr(self, "app"):
            return
        with self.app.app_context():
            stored = dict(db.session.execute(select(Dossier.id, Dossier.title)).all())
        assert set(stored) == set(self.dossiers)


FACTORY = None


def test_the_dossier_and_referral_lifecycle_holds(backend, tmp_path):
    global FACTORY

    def fresh():
        directory = tmp_path / uuid.uuid4().hex
        directory.mkdir()
        application = create_app({**TEST_SETTINGS, "INSTANCE_PATH": str(directory / "i"),
                                  "SECRET_KEY": uuid.uuid4().hex,
                                  "SQLALCHEMY_DATABASE_URI": backend.fresh(directory)})
        application.test_client_class = IsolatedClient
        if isinstance(backend, PostgresTemplate):
            with application.app_context():
                backend.seed()
        return application, None

    FACTORY = fresh
    run_state_machine_as_test(Lifecycle, settings=settings(
        max_examples=3, stateful_step_count=16, deadline=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck)))
