"""Workflow versions: a new definition that renames or removes a state never breaks a dossier;
`workflows check` names the dossiers it would strand, `workflows migrate` moves them, audited."""

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from caseflow import ROOT, create_app
from caseflow.audit.models import AuditEvent
from caseflow.cli import main
from caseflow.dossiers import services
from caseflow.dossiers.models import Dossier
from caseflow.workflow.definition import DefinitionError, load_definition
from tests.builders import add_intervention, fr, login, make_dossier, page_text
from tests.conftest import TEST_SETTINGS, IsolatedClient

MIGRATE_RENAMED = '\n[migrate]\nfrom_version = 1\nstates = { constitution = "documents" }\n'


def _folder(tmp_path: Path, name: str, edit) -> Path:
    """A copy of workflows/ whose accompagnement.toml, at version 2, is `edit`ed."""
    directory = tmp_path / name
    shutil.copytree(ROOT / "workflows", directory)
    source = directory / "accompagnement.toml"
    text = source.read_text().replace("version = 1", "version = 2", 1)
    source.write_text(edit(text))
    return directory


def renamed(extra: str = ""):
    """constitution becomes documents."""
    return lambda text: text.replace("[states.constitution]", "[states.documents]").replace(
        '"constitution"', '"documents"') + extra


def without_follow_up(extra: str = ""):
    """follow_up is removed, with the transition into it."""
    def edit(text):
        text = re.sub(r"\[states\.follow_up\]\n(?:.+\n)+\n", "", text)
        text = re.sub(r'\[\[transitions\]\]\ntrigger = "start_follow_up"\n(?:.+\n)+\n', "", text)
        return text.replace(', "follow_up"', "") + extra
    return edit


@pytest.fixture
def dossiers(db, advisor):
    """Dossiers in reception, constitution and follow-up, on version 1."""
    made = {}
    for state, trigger in (("reception", None), ("constitution", "start_constitution"),
                           ("follow_up", "start_follow_up")):
        dossier = make_dossier(advisor, title=f"Dossier {state}")
        add_intervention(dossier, advisor)
        if trigger:
            services.apply_transition(dossier, advisor, trigger, dossier.version)
        db.session.commit()
        made[state] = dossier.id
    return made


def _app_on(app, directory: Path):
    """A second app on the same database and instance, serving other definitions."""
    other = create_app({**TEST_SETTINGS, "INSTANCE_PATH": app.instance_path,
                        "SECRET_KEY": app.config["SECRET_KEY"],
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "WORKFLOWS_DIRECTORY": str(directory)})
    other.test_client_class = IsolatedClient
    return other


def _cli(app, *args):
    env = {"CASEFLOW_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CASEFLOW_INSTANCE_PATH": app.instance_path}
    return CliRunner().invoke(main, ["workflows", *args], env=env)


def _pages(app, user, dossier_ids):
    client = app.test_client()
    login(client, user.email)
    answers = {path: client.get(path) for path in
               ["/", "/dossiers/", "/audit/", *(f"/dossiers/{i}" for i in dossier_ids),
                *(f"/dossiers/{i}/actions/close" for i in dossier_ids)]}
    return client, answers


def test_a_renamed_state_is_named_by_check_and_never_breaks_a_page(app, db, tmp_path,
                                                                    dossiers, coordinator):
    directory = _folder(tmp_path, "renamed", renamed())
    result = _cli(app, "check", "--directory", str(directory))
    assert result.exit_code != 0
    assert "1 dossier in state 'constitution'" in result.output and "stranded" in result.output
    other = _app_on(app, directory)
    with other.app_context():
        _client, answers = _pages(other, coordinator, dossiers.values())
    assert {path: r.status_code for path, r in answers.items() if r.status_code != 200} == {}
    page = page_text(answers[f"/dossiers/{dossiers['constitution']}"])
    assert "constitution" in page and "migrate" in page and "La coordination doit" in page
    assert "étape à migrer" in page_text(answers["/dossiers/"])


def test_a_declared_migration_moves_the_dossiers_and_their_timelines_show_it(
        app, db, tmp_path, dossiers, coordinator):
    directory = _folder(tmp_path, "renamed", renamed(MIGRATE_RENAMED))
    check = _cli(app, "check", "--directory", str(directory))
    assert check.exit_code == 0, check.output
    assert "none stranded" in check.output and "3 to move" in check.output
    dry = _cli(app, "migrate", "--directory", str(directory), "--dry-run")
    assert dry.exit_code == 0 and "'constitution' -> 'documents'" in dry.output
    assert db.session.get(Dossier, dossiers["constitution"]).state == "constitution"
    result = _cli(app, "migrate", "--directory", str(directory))
    assert result.exit_code == 0, result.output
    assert "3 dossier(s) moved" in result.output
    db.session.expire_all()
    moved = db.session.get(Dossier, dossiers["constitution"])
    assert (moved.state, moved.workflow_version) == ("documents", 2)
    assert db.session.get(Dossier, dossiers["reception"]).workflow_version == 2
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dossier.migrated").order_by(AuditEvent.dossier_id)))
    assert len(events) == 3
    assert events[1].changes == {"workflow": ["accompagnement@1", "accompagnement@2"],
                                 "state": ["constitution", "documents"]}
    other = _app_on(app, directory)
    with other.app_context():
        client, answers = _pages(other, coordinator, dossiers.values())
        assert {p: r.status_code for p, r in answers.items() if r.status_code != 200} == {}
        page = page_text(answers[f"/dossiers/{dossiers['constitution']}"])
        assert "Dossier passé à une nouvelle version du parcours" in page
        assert fr("Version du parcours : 1 → 2") in page
        assert "La coordination doit" not in page
        # the transition recorded before the rename still names the state it led to
        assert "Accueil et analyse des besoins → constitution" in page
        assert "Passer au financement" in page  # its actions are back
    assert _cli(app, "migrate", "--directory", str(directory)).output.startswith(
        "0 dossier(s) moved")
    verify = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_a_removed_state_must_be_mapped_before_its_dossiers_move(app, db, tmp_path, dossiers,
                                                                  coordinator):
    stranding = _folder(tmp_path, "removed", without_follow_up())
    result = _cli(app, "check", "--directory", str(stranding))
    assert result.exit_code != 0 and "1 dossier in state 'follow_up'" in result.output
    refused = _cli(app, "migrate", "--directory", str(stranding))
    assert refused.exit_code != 0 and "nowhere to go" in refused.output
    db.session.expire_all()
    assert db.session.get(Dossier, dossiers["follow_up"]).state == "follow_up"
    mapped = _folder(tmp_path, "mapped", without_follow_up(
        '\n[migrate]\nfrom_version = 1\nstates = { follow_up = "financing" }\n'))
    assert _cli(app, "check", "--directory", str(mapped)).exit_code == 0
    assert _cli(app, "migrate", "--directory", str(mapped)).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Dossier, dossiers["follow_up"]).state == "financing"
    with _app_on(app, mapped).app_context() as context:
        _client, answers = _pages(context.app, coordinator, dossiers.values())
    assert all(r.status_code == 200 for r in answers.values())


def test_check_says_when_there_is_no_database_to_look_into(tmp_path):
    env = {"CASEFLOW_INSTANCE_PATH": str(tmp_path / "fresh")}
    result = CliRunner().invoke(main, ["workflows", "check"], env=env)
    assert result.exit_code == 0 and "not checked" in result.output
    assert not (tmp_path / "fresh" / "caseflow.sqlite3").exists()


@pytest.mark.parametrize("migrate, key", [
    ("from_version = 2\nstates = {}", "migrate.from_version"),
    ('from_version = 1\nstates = { constitution = "nulle-part" }', "migrate.states.constitution"),
    ("from_version = 1\nstates = []", "migrate.states"),
    ('from_version = 1\nstates = {}\nextra = 1', "migrate.extra"),
])
def test_a_wrong_migration_names_its_key(tmp_path, migrate, key):
    directory = _folder(tmp_path, "bad", renamed(f"\n[migrate]\n{migrate}\n"))
    with pytest.raises(DefinitionError) as error:
        load_definition(directory / "accompagnement.toml", {
            "constitution_documents_complete": lambda d: None, "has_intervention": lambda d: None})
    assert error.value.key == key


def test_a_definition_says_where_each_old_state_runs(tmp_path):
    directory = _folder(tmp_path, "renamed", renamed(MIGRATE_RENAMED))
    definition = load_definition(directory / "accompagnement.toml", {
        "constitution_documents_complete": lambda d: None, "has_intervention": lambda d: None})
    assert definition.migration_of(1, "constitution") == "documents"
    assert definition.migration_of(1, "reception") == "reception"
    assert definition.migration_of(2, "constitution") is None
    assert definition.migration_of(3, "reception") is None
