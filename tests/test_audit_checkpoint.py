"""The chain's head published outside the database: truncation, a rewound or deleted head and a
wiped log are caught by `audit verify`; the checkpoint only moves forward."""

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from caseflow.audit import checkpoint
from caseflow.audit.models import AuditEvent, AuditHead
from caseflow.audit.services import checkpoint_target
from caseflow.dossiers import services
from tests.builders import add_intervention, make_dossier


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
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor)
    add_intervention(dossier, advisor, subjects=("gouvernance",))
    services.apply_transition(dossier, advisor, "start_constitution", dossier.version,
                              comment="Charte à rédiger")
    db.session.commit()
    return dossier


def _file(app) -> Path:
    return Path(app.instance_path) / "audit_checkpoint"


def _head(db):
    return db.session.execute(select(AuditHead.seq, AuditHead.hash)).one()


def verify(runner):
    return runner.invoke(args=["audit", "verify"])


def test_every_commit_publishes_the_head_signed_beside_the_key(app, db, history):
    data = json.loads(_file(app).read_text())
    seq, head_hash = _head(db)
    assert (data["seq"], data["hash"]) == (seq, head_hash) and seq == 5
    assert checkpoint.read(_file(app), app.config["AUDIT_KEY"].encode()).seq == 5
    assert _file(app).parent == Path(app.instance_path)  # beside instance/audit_key


def test_a_rolled_back_change_publishes_nothing(app, db, history, advisor):
    from caseflow.dossiers.services import InterventionFields
    from caseflow.dossiers.services import add_intervention as add

    add(history, advisor, history.version,
        InterventionFields(occurred_on=history.opened_on, kind="call",
                           subjects=list(history.interventions[0].subjects)))
    db.session.flush()
    assert db.session.scalar(select(func.max(AuditEvent.seq))) == 6
    db.session.rollback()
    assert json.loads(_file(app).read_text())["seq"] == 5
    add_intervention(history, advisor)
    assert json.loads(_file(app).read_text())["seq"] == 6


def test_an_intact_chain_verifies_against_its_checkpoint(db, runner, history):
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "checkpoint" in result.output and "sequence 5 matches" in result.output


def test_the_last_three_events_deleted_with_the_head_rewound_are_named(db, runner, history):
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
    _tamper(db, "DELETE FROM audit_event WHERE seq > 2",
            f"UPDATE audit_head SET seq = 2, hash = '{row.hash}'")
    result = verify(runner)
    assert result.exit_code != 0
    assert "truncated" in result.output and "last 3 deleted" in result.output
    assert "chain ends at 2" in result.output


def test_a_deleted_head_row_is_named(db, runner, history):
    _tamper(db, "DELETE FROM audit_head")
    result = verify(runner)
    assert result.exit_code != 0 and "head row is missing" in result.output


def test_a_wiped_log_is_named(db, runner, history):
    _tamper(db, "DELETE FROM audit_event", "UPDATE audit_head SET seq = 0, hash = ''")
    result = verify(runner)
    assert result.exit_code != 0 and "log emptied" in result.output
    assert "records 5 events" in result.output


def test_a_wiped_log_and_head_are_named(db, runner, history):
    _tamper(db, "DELETE FROM audit_event", "DELETE FROM audit_head")
    result = verify(runner)
    assert result.exit_code != 0 and "log emptied" in result.output


def test_an_edited_checkpoint_file_is_refused(app, runner, history):
    data = json.loads(_file(app).read_text())
    data["seq"] = 2
    _file(app).write_text(json.dumps(data))
    result = verify(runner)
    assert result.exit_code != 0 and "not signed with this audit key" in result.output


def test_a_chain_rewritten_with_the_key_still_differs_from_the_checkpoint(app, db, runner,
                                                                           history):
    # Whoever holds the key but not the checkpoint file can re-sign the chain: the file says
    # the head's hash was another one.
    published = json.loads(_file(app).read_text())
    target = checkpoint_target(app)
    checkpoint.publish(target, 5, "f" * 64, force=True)
    result = verify(runner)
    assert result.exit_code != 0 and "does not match the checkpoint" in result.output
    assert "sequence 5" in result.output
    checkpoint.publish(target, 5, published["hash"], force=True)
    assert verify(runner).exit_code == 0


def test_the_checkpoint_never_goes_backwards_across_writers(app, tmp_path):
    target = checkpoint.Target(tmp_path / "audit_checkpoint", b"key", False)
    heads = list(range(1, 201))
    threads = [threading.Thread(target=lambda part=heads[i::8]: [
        checkpoint.publish(target, seq, f"{seq:064x}") for seq in reversed(part)])
        for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = checkpoint.read(target.path, b"key")
    assert (kept.seq, kept.hash) == (200, f"{200:064x}")
    assert checkpoint.publish(target, 3, "0" * 64).seq == 200
    assert not list(tmp_path.glob(".audit_checkpoint.*"))  # no draft left behind


def test_the_checkpoint_command_prints_the_head(app, db, runner, history):
    _file(app).unlink()
    result = runner.invoke(args=["audit", "checkpoint"])
    seq, head_hash = _head(db)
    assert result.exit_code == 0, result.output
    assert f"sequence {seq}, hash {head_hash}" in result.output
    assert json.loads(_file(app).read_text())["seq"] == seq


def test_a_missing_checkpoint_is_said_but_not_an_error(app, runner, history):
    _file(app).unlink()
    result = verify(runner)
    assert result.exit_code == 0 and "no checkpoint" in result.output


def test_the_head_can_go_to_syslog(app, db, advisor, monkeypatch):
    lines = []
    monkeypatch.setattr(checkpoint.syslog, "syslog", lambda priority, line: lines.append(line))
    app.config["AUDIT_SYSLOG"] = True
    dossier = make_dossier(advisor)
    seq, head_hash = _head(db)
    assert any(f'"seq": {seq}' in line and head_hash in line for line in lines)
    assert dossier.id


def test_the_checkpoint_file_can_be_placed_elsewhere(app, db, advisor, tmp_path):
    app.config["AUDIT_CHECKPOINT"] = str(tmp_path / "shared" / "head.json")
    make_dossier(advisor)
    assert json.loads((tmp_path / "shared" / "head.json").read_text())["seq"] == _head(db).seq
