"""The audit log: append-only in the database, and a hash chain that shows any tampering."""

import pytest
from sqlalchemy import func, select, text

from caseflow.audit.models import AuditEvent
from caseflow.audit.personal import reveal
from caseflow.dossiers import services
from tests.builders import add_intervention, make_dossier, page_text


def _tamper(db, *statements):
    """Run raw SQL behind the app's back, with the append-only triggers out of the way."""
    dialect = db.engine.dialect.name
    with db.engine.begin() as connection:
        if dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER IF EXISTS audit_event_no_update"))
            connection.execute(text("DROP TRIGGER IF EXISTS audit_event_no_delete"))
        for statement in statements:
            connection.execute(text(statement))
        if dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))


@pytest.fixture
def history(db, advisor):
    """A dossier with a few changes, so the chain has several events."""
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor)
    add_intervention(dossier, advisor, subjects=("gouvernance",))
    services.apply_transition(dossier, advisor, "start_constitution", dossier.version,
                              comment="Charte à rédiger")
    db.session.commit()
    return dossier


def verify(runner):
    return runner.invoke(args=["audit", "verify"])


def test_intact_chain_verifies(db, runner, history):
    result = verify(runner)
    assert result.exit_code == 0, result.output
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert total == 5  # the account, the dossier, two interventions, one transition
    assert f"{total} events verified" in result.output


def test_every_event_carries_actor_time_and_request(db, history, advisor):
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.dossier_id == history.id).order_by(AuditEvent.seq)))
    assert [e.action for e in events] == ["dossier.created", "intervention.added",
                                          "intervention.added", "dossier.transition"]
    assert all(e.actor_id == advisor.id and e.actor_role == "advisor" for e in events)
    assert all(e.occurred_at.tzinfo is not None and e.request_id for e in events)
    assert events[-1].changes["state"] == ["reception", "constitution"]
    # The comment is the advisor's own words: sealed out of the chain, read back beside it.
    assert events[-1].reason.startswith("pi:") and "Charte" not in events[-1].reason
    assert reveal([events[-1]])[0].reason == "Charte à rédiger"


def test_the_database_refuses_updates_and_deletes(db, history):
    for statement in ["UPDATE audit_event SET reason = 'réécrit' WHERE seq = 1",
                      "DELETE FROM audit_event WHERE seq = 1"]:
        with pytest.raises(Exception, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 5


def test_a_batch_of_events_chains_like_single_ones(db, runner, history, advisor):
    from caseflow.audit.services import Entry, record, record_many

    record_many([Entry("dossier.imported", "dossier", history.id, dossier_id=history.id,
                       reason="import.csv", changes={"promoter_name": [None, "Léa Tremblay"]}),
                 Entry("intervention.imported", "dossier", history.id, dossier_id=history.id,
                       changes={"interventions": [{"id": 1, "kind": "meeting"}]})],
                actor=advisor)
    record("dossier.viewed", "dossier", history.id, actor=advisor, dossier_id=history.id)
    db.session.commit()
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "8 events verified" in result.output
    batch = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.in_(["dossier.imported", "intervention.imported"]))
        .order_by(AuditEvent.seq)))
    assert [event.seq for event in batch] == [6, 7]
    assert batch[0].actor_id == advisor.id and batch[0].request_id == batch[1].request_id
    assert "Léa Tremblay" not in str(batch[0].changes)  # the promoter's name is sealed
    assert batch[0].reason != "import.csv"  # and the reason, as `record` seals it
    shown = reveal(batch)[0]
    assert shown.changes["promoter_name"] == [None, "Léa Tremblay"]
    assert shown.reason == "import.csv"


def test_an_edited_row_is_named(db, runner, history):
    _tamper(db, "UPDATE audit_event SET reason = 'réécrit' WHERE seq = 2")
    result = verify(runner)
    assert result.exit_code != 0
    assert "sequence 2" in result.output and "edited" in result.output


def test_a_deleted_row_is_named(db, runner, history):
    _tamper(db, "DELETE FROM audit_event WHERE seq = 3")
    result = verify(runner)
    assert result.exit_code != 0 and "sequence 3" in result.output


def test_a_deleted_last_row_is_noticed(db, runner, history):
    _tamper(db, "DELETE FROM audit_event WHERE seq = 5")
    result = verify(runner)
    assert result.exit_code != 0 and "sequence 5" in result.output


def test_reordered_rows_are_named(db, runner, history):
    _tamper(db, "UPDATE audit_event SET seq = 100 WHERE seq = 2",
            "UPDATE audit_event SET seq = 2 WHERE seq = 3",
            "UPDATE audit_event SET seq = 3 WHERE seq = 100")
    result = verify(runner)
    assert result.exit_code != 0 and "sequence 2" in result.output


def test_an_inserted_row_is_named(db, runner, history):
    _tamper(db, "UPDATE audit_event SET seq = seq + 1000 WHERE seq >= 3",
            "UPDATE audit_event SET seq = seq - 999 WHERE seq >= 1000")
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
    _tamper(db, "INSERT INTO audit_event (seq, occurred_at, actor_role, action, entity_type, "
                "changes, previous_hash, hash) VALUES (3, '2026-01-01 00:00:00', 'advisor', "
                f"'dossier.updated', 'dossier', '{{}}', '{row.hash}', '{'0' * 64}')")
    result = verify(runner)
    assert result.exit_code != 0 and "sequence 3" in result.output


def test_the_demo_data_verifies(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    result = verify(runner)
    assert result.exit_code == 0, result.output


def test_a_forged_chain_without_the_key_does_not_verify(app, db, runner, history):
    app.config["AUDIT_KEY"] = "another key that was never used"
    result = verify(runner)
    assert result.exit_code != 0 and "sequence 1" in result.output


def test_the_coordinator_reads_the_log(coordinator_client, history):
    page = page_text(coordinator_client.get("/audit/"))
    assert "Journal d'audit" in page and "Changement d'étape" in page


def test_a_huge_audit_page_number_is_just_an_empty_page(coordinator_client):
    assert coordinator_client.get("/audit/?page=99999999999999999999").status_code == 200


def test_advisors_and_partners_cannot_read_the_log(advisor_client, partner_client):
    assert advisor_client.get("/audit/").status_code == 403
    assert partner_client.get("/audit/").status_code == 403


def test_verify_while_transitions_are_written_sees_no_false_alarm(app, db, advisor):
    """`audit verify` runs while another thread moves dossiers and logs interventions, each
    in its own committed transaction: every walk reads one snapshot, so none reports a
    broken chain, and the walks see the chain grow."""
    import threading

    from caseflow.audit.services import verify
    from caseflow.auth.models import User
    from caseflow.dossiers.models import Dossier
    from caseflow.extensions import db as database

    ids = [make_dossier(advisor, title=f"Dossier concurrent {n}").id for n in range(12)]
    advisor_id = advisor.id
    failures: list = []
    done = threading.Event()

    def write():
        try:
            with app.app_context():
                actor = database.session.get(User, advisor_id)
                for dossier_id in ids:
                    dossier = database.session.get(Dossier, dossier_id)
                    services.apply_transition(dossier, actor, "start_follow_up",
                                              dossier.version)
                    database.session.commit()
                    add_intervention(dossier, actor)  # commits
                database.session.remove()
        except Exception as error:  # noqa: BLE001 (reported by the test below)
            failures.append(error)
        finally:
            done.set()

    writer = threading.Thread(target=write)
    writer.start()
    walks = []
    while not done.is_set() or not walks:
        with app.app_context():
            walks.append(verify())
            database.session.remove()
    writer.join(60)
    with app.app_context():
        walks.append(verify())
        database.session.remove()

    assert not failures, failures
    assert [walk for walk in walks if not walk.ok] == []
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert walks[-1].checked == total == 1 + 12 + 12 * 2  # the account, dossiers, their moves
    assert len({walk.checked for walk in walks}) > 2, "the walks did not overlap the writes"


@pytest.mark.parametrize("tampering, seq", [
    ("UPDATE audit_event SET reason = 'réécrit' WHERE seq = 4", 4),
    ("UPDATE audit_event SET hash = '" + "0" * 64 + "' WHERE seq = 2", 2),
    ("DELETE FROM audit_event WHERE seq = 3", 3),
])
def test_the_walk_in_worker_processes_names_the_same_event(app, db, history, tampering, seq):
    """The hashes checked by worker processes, two events a batch: the same event is named as
    by the walk in one process, and an intact chain verifies."""
    from caseflow.audit.services import _walk, checkpoint_target, verify

    def walk(workers):
        with app.app_context():
            key = app.config["AUDIT_KEY"].encode("utf-8")
            connection = db.session.connection()
            try:
                return _walk(connection, key, checkpoint_target(), None, None,
                             workers=workers, batch_size=2)
            finally:
                db.session.rollback()

    assert walk(2).ok and walk(2).checked == 5
    _tamper(db, tampering)
    inline, parallel = walk(1), walk(2)
    assert not parallel.ok and parallel.first_bad_seq == seq
    assert (parallel.first_bad_seq, parallel.problem, parallel.checked) == \
        (inline.first_bad_seq, inline.problem, inline.checked)
    assert not verify(workers=2).ok
