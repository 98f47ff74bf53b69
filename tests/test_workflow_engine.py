"""The workflow engine on its own: definitions, permissions, guards, firing, validation."""

import ast
import dataclasses
from pathlib import Path
from types import MappingProxyType

import pytest
from transitions import Machine

from caseflow.documents.guards import documents_refusal
from caseflow.workflow import (
    GUARDS,
    ROLES,
    Actor,
    DefinitionError,
    Engine,
    Placement,
    State,
    TransitionRefused,
    UnknownWorkflow,
    guard,
    load_definition,
    load_definitions,
    mermaid,
)

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / "workflows"
PACKAGE = ROOT / "caseflow" / "workflow"
DEFINITION_FILES = sorted(WORKFLOWS.glob("*.toml"))


@dataclasses.dataclass
class Dossier:
    workflow: str
    state: str
    interventions: list = dataclasses.field(default_factory=lambda: ["first meeting"])
    protocol_objectives: set = dataclasses.field(default_factory=lambda: {"accueil-orientation"})
    missing_constitution_documents: list = dataclasses.field(default_factory=list)


# The documents slice registers this guard in the app; here it reads the test dossier's list.
GUARDS_WITH_DOCUMENTS = {**GUARDS, "constitution_documents_complete": lambda dossier:
                         documents_refusal(dossier.missing_constitution_documents)}


@pytest.fixture(scope="module")
def engine():
    return Engine.from_directory(WORKFLOWS, GUARDS_WITH_DOCUMENTS)


def transition_cases() -> list:
    """List (workflow, trigger, source, dest, roles) for every transition of every file."""
    return [pytest.param(name, t.trigger, source, t.dest, t.roles,
                         id=f"{name}:{t.trigger}:{source}")
            for name, definition in load_definitions(WORKFLOWS, GUARDS_WITH_DOCUMENTS).items()
            for t in definition.transitions for source in t.sources]


def test_the_package_imports_neither_flask_nor_the_database():
    imported = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert "transitions" in imported
    assert not imported & {"flask", "flask_babel", "flask_sqlalchemy", "sqlalchemy"}


@pytest.mark.parametrize("path", DEFINITION_FILES, ids=lambda path: path.name)
def test_every_shipped_definition_loads(path):
    definition = load_definition(path, GUARDS_WITH_DOCUMENTS)
    assert definition.name == path.stem
    assert definition.version >= 1
    assert any(state.final for state in definition.states.values())


def test_the_shipped_definitions_are_the_default_and_the_protocol(engine):
    assert set(engine.definitions) == {"accompagnement", "protocole-nicolet-yamaska"}
    protocol = engine.definition("protocole-nicolet-yamaska")
    assert {o.code for o in protocol.objectives} == {
        "accueil-orientation", "analyse-besoins", "viabilite", "accompagnement", "plan-affaires",
        "documents-constitutifs", "outils-gestion", "promotion-fdt-fli", "formation"}
    assert protocol.outcome("travail-autonome").label("en") == (
        "Prefers self-employment (referred to the RCM)")
    default = engine.definition("accompagnement")
    assert [o.code for o in default.outcomes] == [o.code for o in protocol.outcomes]
    assert default.state("reception").label("fr") == "Accueil et analyse des besoins"
    assert default.state("reception").label("en") == "Reception and needs analysis"


@pytest.mark.parametrize(("workflow", "trigger", "source", "dest", "roles"), transition_cases())
def test_each_transition_is_open_to_its_roles_only(engine, workflow, trigger, source, dest, roles):
    for role in ROLES:
        dossier = Dossier(workflow, source)
        actor = Actor(role)
        listed = [t.trigger for t in engine.allowed(dossier, actor)]
        refusal = engine.refusal(dossier, actor, trigger)
        if role in roles:
            assert refusal is None
            assert trigger in listed
            assert engine.fire(dossier, actor, trigger).dest == dest
            assert dossier.state == dest
        else:
            assert refusal.reason == "role"
            assert trigger not in listed
            with pytest.raises(TransitionRefused):
                engine.fire(dossier, actor, trigger)
            assert dossier.state == source


@pytest.mark.parametrize(("workflow", "state", "trigger"), [
    ("accompagnement", "closed", "refer"),
    ("accompagnement", "reception", "reopen"),
    ("accompagnement", "follow_up", "start_constitution"),
    ("protocole-nicolet-yamaska", "follow_up", "analyse"),
])
def test_a_trigger_that_does_not_leave_the_state_is_refused(engine, workflow, state, trigger):
    dossier = Dossier(workflow, state)
    refusal = engine.refusal(dossier, Actor("coordinator"), trigger)
    assert refusal.reason == "wrong_state"
    assert refusal.message == "L'action « %(action)s » n'est pas possible à l'étape « %(state)s »."
    definition = engine.definition(workflow)
    assert refusal.params["state"] == definition.state(state).label_fr
    assert refusal.params["action"] == definition.transitions_named(trigger)[0].label_fr
    assert engine.refusal(dossier, Actor("coordinator"), trigger, language="en").params["state"] \
        == definition.state(state).label_en
    with pytest.raises(TransitionRefused) as raised:
        engine.fire(dossier, Actor("coordinator"), trigger)
    assert raised.value.refusal == refusal
    assert dossier.state == state


def test_an_unknown_trigger_is_refused(engine):
    dossier = Dossier("accompagnement", "reception")
    refusal = engine.refusal(dossier, Actor("coordinator"), "launch_rocket")
    assert refusal.reason == "unknown_trigger"
    assert refusal.text() == "Cette action n'existe pas dans ce parcours."
    with pytest.raises(TransitionRefused):
        engine.fire(dossier, Actor("coordinator"), "launch_rocket")
    assert dossier.state == "reception"


def test_an_unknown_workflow_is_named():
    engine = Engine.from_directory(WORKFLOWS, GUARDS_WITH_DOCUMENTS)
    with pytest.raises(UnknownWorkflow, match="'ghost'"):
        engine.refusal(Dossier("ghost", "reception"), Actor("advisor"), "close")


@pytest.mark.parametrize(("workflow", "empty", "reason"), [
    ("accompagnement", {"interventions": []},
     "Consignez au moins une intervention avant cette étape."),
    ("protocole-nicolet-yamaska", {"interventions": []},
     "Consignez au moins une intervention avant cette étape."),
    ("protocole-nicolet-yamaska", {"protocol_objectives": set()},
     "Indiquez au moins un objectif du protocole servi par ce dossier."),
])
def test_close_waits_for_its_guards(engine, workflow, empty, reason):
    state = engine.definition(workflow).initial
    dossier = Dossier(workflow, state, **empty)
    advisor = Actor("advisor", user_id=7)
    refusal = engine.refusal(dossier, advisor, "close")
    assert (refusal.reason, refusal.message, refusal.text()) == ("guard", reason, reason)
    options = dict((t.trigger, r) for t, r in engine.options(dossier, advisor))
    assert options["close"] == refusal  # shown, disabled, with the guard's reason
    assert "close" not in [t.trigger for t in engine.allowed(dossier, advisor)]
    with pytest.raises(TransitionRefused) as raised:
        engine.fire(dossier, advisor, "close")
    assert raised.value.refusal.reason == "guard"
    assert dossier.state == state

    dossier.interventions, dossier.protocol_objectives = ["meeting"], {"viabilite"}
    assert engine.refusal(dossier, advisor, "close") is None
    assert engine.fire(dossier, advisor, "close").dest == "closed"
    assert dossier.state == "closed"


def test_financing_waits_for_the_constitution_documents(engine):
    dossier = Dossier("accompagnement", "constitution",
                      missing_constitution_documents=["Charte", "Règlements généraux"])
    refusal = engine.refusal(dossier, Actor("advisor"), "start_financing")
    assert refusal.reason == "guard"
    assert refusal.text() == ("Documents constitutifs à valider d'abord : "
                              "Charte, Règlements généraux.")
    dossier.missing_constitution_documents = []
    assert engine.fire(dossier, Actor("advisor"), "start_financing").dest == "financing"


def test_options_hide_what_the_role_may_never_do(engine):
    dossier = Dossier("accompagnement", "closed")
    assert engine.options(dossier, Actor("advisor")) == []
    assert engine.options(dossier, Actor("partner")) == []
    [(transition, refusal)] = engine.options(dossier, Actor("coordinator"))
    assert (transition.trigger, refusal) == ("reopen", None)


def test_follow_up_days_come_with_the_transition(engine):
    dossier = Dossier("accompagnement", "reception")
    assert engine.fire(dossier, Actor("advisor"), "refer").follow_up_days == 14
    assert engine.fire(dossier, Actor("advisor"), "return_to_reception").follow_up_days == 7
    assert engine.fire(dossier, Actor("advisor"), "close").follow_up_days is None


def test_the_machine_refuses_on_its_own_when_a_guard_changes_its_mind(engine):
    # Allowed at the engine's check, refused by the machine's condition and the re-check.
    answers = iter([None, "Pas encore.", "Pas encore."])
    registry = {**GUARDS_WITH_DOCUMENTS, "has_intervention": lambda dossier: next(answers)}
    flaky = Engine(engine.definitions, guards=registry)
    dossier = Dossier("accompagnement", "reception")
    with pytest.raises(TransitionRefused) as raised:
        flaky.fire(dossier, Actor("advisor"), "close")
    assert (raised.value.refusal.reason, raised.value.refusal.message) == ("guard", "Pas encore.")
    assert dossier.state == "reception"


def test_one_shared_machine_serves_every_dossier(engine, monkeypatch):
    created = []
    original = Machine.__init__

    def counting(self, *args, **kwargs):
        created.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Machine, "__init__", counting)
    machine = engine.machine("accompagnement")
    dossiers = [Dossier("accompagnement", "reception") for _ in range(1000)]
    for dossier in dossiers:
        engine.fire(dossier, Actor("advisor"), "refer")
        engine.fire(dossier, Actor("advisor"), "start_follow_up")
    assert {d.state for d in dossiers} == {"follow_up"}
    assert created == []
    assert machine.models == []
    assert engine.machine("accompagnement") is machine
    # The machine decorates no dossier with trigger or is_<state> methods.
    assert set(vars(dossiers[0])) == {f.name for f in dataclasses.fields(Dossier)}


def test_mermaid_draws_states_and_transitions(engine):
    text = mermaid(engine.definition("protocole-nicolet-yamaska"))
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> accueil" in lines
    assert '    state "Analyse des besoins et de la viabilité" as analyse' in lines
    assert "    accueil --> analyse : Analyser les besoins et la viabilité du projet" in lines
    assert "    referral --> accueil : Ramener le dossier à l'accueil" in lines
    assert "    closed --> [*]" in lines
    assert "    follow_up --> [*]" not in lines
    english = mermaid(engine.definition("accompagnement"), "en")
    assert "    closed --> reception : Reopen the dossier" in english.splitlines()


def test_mermaid_ids_are_safe_and_shared_arrows_merge(tmp_path):
    path = write(tmp_path, "x", VALID.replace("reception", "en-cours")
                 + transition("drop", '["en-cours"]', "closed",
                              label="Laisser tomber : sans suite"))
    text = mermaid(load_definition(path, GUARDS_WITH_DOCUMENTS))
    assert '    state "Accueil" as en_cours' in text
    assert "    en_cours --> closed : Fermer / Laisser tomber #58; sans suite" in text
    assert "en-cours" not in text


# A valid definition that each validation case breaks in one place.
VALID = """\
name = "x"
version = 1
label_fr = "X"
label_en = "X"
initial = "reception"

[states.reception]
label_fr = "Accueil"
label_en = "Reception"

[states.closed]
label_fr = "Fermé"
label_en = "Closed"
final = true

[[outcomes]]
code = "abandon"
label_fr = "Abandon"
label_en = "Abandoned"

[[transitions]]
trigger = "close"
sources = ["reception"]
dest = "closed"
label_fr = "Fermer"
label_en = "Close"
roles = ["advisor"]
fields = ["outcome"]
guards = ["has_intervention"]
"""



def transition(trigger, sources, dest, label="Fermer"):
    """Return one more [[transitions]] entry open to advisors."""
    return (f'\n[[transitions]]\ntrigger = "{trigger}"\nsources = {sources}\ndest = "{dest}"\n'
            f'label_fr = "{label}"\nlabel_en = "{label}"\nroles = ["advisor"]\n')

EXTRA_STATE = """
[states.{name}]
label_fr = "Autre"
label_en = "Other"
"""


def write(directory, stem, text):
    path = directory / f"{stem}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_valid_base_loads(tmp_path):
    definition = load_definition(write(tmp_path, "x", VALID))
    assert definition.transitions_from("reception")[0].guards == ("has_intervention",)


@pytest.mark.parametrize(("stem", "text", "key", "fragment"), [
    pytest.param("x", VALID.replace('version = 1', 'version = = 1'), None, "invalid TOML",
                 id="syntax"),
    pytest.param("x", VALID.replace('dest = "closed"', 'dest = "fermé"'), "transitions[0].dest",
                 "unknown state 'fermé'", id="unknown-dest"),
    pytest.param("x", VALID.replace('sources = ["reception"]', 'sources = ["reception", "gone"]'),
                 "transitions[0].sources[1]", "unknown state 'gone'", id="unknown-source"),
    pytest.param("x", VALID.replace('initial = "reception"', 'initial = "debut"'), "initial",
                 "unknown state 'debut'", id="unknown-initial"),
    pytest.param("x", VALID + EXTRA_STATE.format(name="orphan")
                 + transition("drop", '["orphan"]', "closed"),
                 "states.orphan", "unreachable", id="unreachable"),
    pytest.param("x", VALID + EXTRA_STATE.format(name="limbo")
                 + transition("park", '["reception"]', "limbo"),
                 "states.limbo", "no path from this state to a final state", id="no-path-to-final"),
    pytest.param("x", VALID.replace("final = true", "final = false"), "states",
                 "no final state", id="no-final"),
    pytest.param("x", VALID.replace('roles = ["advisor"]', 'roles = ["advisor", "mayor"]'),
                 "transitions[0].roles[1]", "unknown role 'mayor'", id="unknown-role"),
    pytest.param("x", VALID.replace('guards = ["has_intervention"]', 'guards = ["has_luck"]'),
                 "transitions[0].guards[0]", "unknown guard 'has_luck'", id="unknown-guard"),
    pytest.param("x", VALID + transition("close", '["closed", "reception"]', "closed"),
                 "transitions[1].sources[1]", "duplicate transition: trigger 'close' from state "
                 "'reception' is already defined in transitions[0]", id="duplicate-trigger"),
    pytest.param("x", VALID.replace('fields = ["outcome"]', 'fields = ["outcome", "mood"]'),
                 "transitions[0].fields[1]", "unknown field 'mood'", id="unknown-field"),
    pytest.param("y", VALID, "name", "'x' must equal the file name 'y'", id="name-not-stem"),
    pytest.param("x", VALID.split("[[outcomes]]")[0] + VALID.split('label_en = "Abandoned"')[1],
                 "transitions[0].fields[0]", "field 'outcome' needs a non-empty [[outcomes]]",
                 id="outcome-without-outcomes"),
    pytest.param("x", VALID.replace('guards = ["has_intervention"]',
                                    'guards = ["has_protocol_objectives"]'),
                 "transitions[0].guards[0]", "needs a non-empty [[objectives]]",
                 id="objectives-guard-without-objectives"),
    pytest.param("x", VALID + '[[outcomes]]\ncode = "abandon"\nlabel_fr = "A"\nlabel_en = "A"\n',
                 "outcomes[1].code", "duplicate code 'abandon' (also outcomes[0])",
                 id="duplicate-outcome"),
    pytest.param("x", VALID.replace('guards = ["has_intervention"]', "follow_up_days = 0"),
                 "transitions[0].follow_up_days", "positive whole number", id="follow-up-zero"),
    pytest.param("x", VALID.replace('label_en = "Close"\n', ""), "transitions[0].label_en",
                 "missing required key", id="missing-label"),
    pytest.param("x", VALID.replace("version = 1", 'version = "1"'), "version",
                 "positive whole number", id="version-not-int"),
    pytest.param("x", VALID.replace('roles = ["advisor"]', 'role = ["advisor"]'),
                 "transitions[0].role", "unknown key", id="misspelt-key"),
    pytest.param("x", VALID.replace('trigger = "close"', 'trigger = "state"'),
                 "transitions[0].trigger", "reserved", id="reserved-trigger"),
])
def test_a_broken_definition_names_the_file_and_the_key(tmp_path, stem, text, key, fragment):
    path = write(tmp_path, stem, text)
    with pytest.raises(DefinitionError) as raised:
        load_definition(path)
    error = raised.value
    assert (error.path, error.key) == (str(path), key)
    assert fragment in error.message
    assert str(error).startswith(f"{path}: {key + ': ' if key else ''}")


def test_a_broken_file_stops_the_whole_directory(tmp_path):
    write(tmp_path, "good", VALID.replace('name = "x"', 'name = "good"'))
    write(tmp_path, "bad", VALID.replace('name = "x"', 'name = "bad"').replace(
        'dest = "closed"', 'dest = "fermé"'))
    with pytest.raises(DefinitionError) as raised:
        Engine.from_directory(tmp_path)
    expected = f"{tmp_path / 'bad.toml'}: transitions[0].dest: unknown state 'fermé'"
    assert str(raised.value) == expected


def test_definitions_are_validated_against_the_given_guard_registry(tmp_path):
    path = write(tmp_path, "x", VALID)
    with pytest.raises(DefinitionError, match=r"transitions\[0\]\.guards\[0\]: unknown guard"):
        load_definition(path, guards={})
    definition = load_definition(path)
    with pytest.raises(DefinitionError, match="unknown guard 'has_intervention'"):
        Engine({"x": definition}, guards={})


@pytest.mark.parametrize(("workflow", "state", "requires"), [
    ("accompagnement", "reception", set()),
    ("accompagnement", "financing", set()),  # its guard relies on no definition list
    ("accompagnement", "closed", {"outcome"}),
    ("protocole-nicolet-yamaska", "follow_up", set()),
    ("protocole-nicolet-yamaska", "closed", {"outcome", "objectives"}),
])
def test_an_imported_dossier_may_start_in_a_state_with_what_it_requires(engine, workflow, state,
                                                                          requires):
    assert engine.placement(workflow, state) == Placement(workflow, state, True,
                                                          frozenset(requires))


def test_an_imported_dossier_may_not_start_in_an_unknown_or_unreachable_state(engine):
    assert engine.placement("accompagnement", "archived") == Placement(
        "accompagnement", "archived", False)
    with pytest.raises(UnknownWorkflow, match="'ghost'"):
        engine.placement("ghost", "reception")
    # The loader refuses an unreachable state; a definition built otherwise may hold one.
    definition = engine.definition("accompagnement")
    archived = State("archived", "Archivé", "Archived", final=True)
    orphaned = dataclasses.replace(definition, states=MappingProxyType(
        {**definition.states, "archived": archived}))
    assert "archived" not in orphaned.reachable()
    assert orphaned.reachable() == set(definition.states)
    placement = Engine({"accompagnement": orphaned}, GUARDS_WITH_DOCUMENTS).placement(
        "accompagnement", "archived")
    assert (placement.allowed, placement.requires) == (False, frozenset())


def test_what_an_imported_dossier_carries_follows_the_guards_declared_needs(tmp_path):
    text = (VALID.replace('guards = ["has_intervention"]', 'guards = ["counted"]')
            + EXTRA_STATE.format(name="review")
            + transition("review", '["reception"]', "review") + 'guards = ["served"]\n'
            + transition("finish", '["review"]', "closed")
            + transition("back", '["review"]', "reception") + 'guards = ["served"]\n'
            + '\n[[objectives]]\ncode = "emploi"\nlabel_fr = "Emploi"\nlabel_en = "Jobs"\n')
    path = write(tmp_path, "x", text)

    def placements(served_needs):
        registry = {}
        guard("counted", registry=registry)(lambda dossier: None)
        guard("served", needs=served_needs, registry=registry)(lambda dossier: None)
        engine = Engine({"x": load_definition(path, registry)}, guards=registry)
        return {state: engine.placement("x", state).requires
                for state in ("reception", "review", "closed")}

    # The dossier carries what the guards into its state need, whatever their names; none
    # in the initial state, where a dossier may sit without having passed any guard.
    assert placements(("objectives",)) == {
        "reception": frozenset(), "review": {"objectives"}, "closed": {"outcome"}}
    assert placements(()) == {"reception": frozenset(), "review": frozenset(),
                              "closed": {"outcome"}}
