"""Workflow definitions: load `workflows/<name>.toml`, validate it, freeze it.

Every problem raises DefinitionError naming the file and the dotted key at fault, so an
invalid file stops the app with a message its author can act on. List indexes in keys
count from 0, as in `transitions[2].dest`.
"""

import re
import tomllib
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from caseflow.workflow.guards import GUARDS, Guard

ROLES = ("advisor", "partner", "coordinator")
# Each field the actor may be asked to fill, and the definition list it draws its choices from.
FIELDS = {"comment": None, "outcome": "outcomes", "objectives": "objectives", "referral": None}

# Triggers and states end up in URLs, form values and the database: keep them plain.
# This also keeps out the `transitions` wildcards "*" and "=".
_TRIGGER = re.compile(r"[a-z][a-z0-9_]*\Z")
_STATE = re.compile(r"[a-z][a-z0-9_-]*\Z")
_CODE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_RULES = {
    _TRIGGER: "lowercase letters, digits and '_', starting with a letter",
    _STATE: "lowercase letters, digits, '_' and '-', starting with a letter",
    _CODE: "lowercase letters, digits, '_' and '-'",
}
# The shared Machine stores the state in this attribute and refuses a trigger of that name.
_RESERVED_TRIGGERS = {"state"}

_TOP_KEYS = ("name", "version", "label_fr", "label_en", "initial", "states", "transitions")
_TRANSITION_KEYS = ("trigger", "sources", "dest", "label_fr", "label_en", "roles")


class DefinitionError(Exception):
    """A workflow definition file that cannot be used, with the file and key at fault."""

    def __init__(self, path, key: str | None, message: str):
        self.path = str(path)
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}: {self.key}" if self.key else self.path
        return f"{where}: {self.message}"


class Labelled:
    """Mixin for objects that carry `label_fr` and `label_en`."""

    def label(self, language: str = "fr") -> str:
        """Return the English label for an English language code, else the French one."""
        return self.label_en if _is_english(language) else self.label_fr


def _is_english(language) -> bool:
    # Accept "en", "en_CA", "en-CA" and babel Locale objects alike.
    return str(language).replace("-", "_").split("_")[0].lower() == "en"


@dataclass(frozen=True)
class State(Labelled):
    name: str
    label_fr: str
    label_en: str
    final: bool = False


@dataclass(frozen=True)
class Choice(Labelled):
    code: str
    label_fr: str
    label_en: str


@dataclass(frozen=True)
class Transition(Labelled):
    trigger: str
    sources: tuple[str, ...]
    dest: str
    label_fr: str
    label_en: str
    roles: frozenset[str]
    fields: tuple[str, ...] = ()
    guards: tuple[str, ...] = ()
    follow_up_days: int | None = None


@dataclass(frozen=True)
class Migration:
    """How dossiers of earlier versions move to this one: each old state and its new name.

    Declared in the file as `[migrate] from_version = 1, states = {old = "new"}`. A state
    the mapping does not name keeps its name, and must therefore still exist.
    """

    from_version: int
    states: Mapping[str, str]

    def target(self, state: str) -> str:
        """Return the state a dossier in `state` moves to."""
        return self.states.get(state, state)


# eq=False: definitions compare and hash by identity; `states` is a mapping and unhashable.
@dataclass(frozen=True, eq=False)
class Definition(Labelled):
    name: str
    version: int
    label_fr: str
    label_en: str
    initial: str
    states: Mapping[str, State]
    transitions: tuple[Transition, ...]
    outcomes: tuple[Choice, ...] = ()
    objectives: tuple[Choice, ...] = ()
    path: str = ""
    migration: Migration | None = None

    def state(self, name: str) -> State:
        """Return the state called `name`, or raise KeyError."""
        return self.states[name]

    def outcome(self, code: str) -> Choice:
        """Return the closing outcome with this code, or raise KeyError."""
        return _choice(self.outcomes, code)

    def objective(self, code: str) -> Choice:
        """Return the protocol objective with this code, or raise KeyError."""
        return _choice(self.objectives, code)

    def transitions_from(self, state: str) -> list[Transition]:
        """List the transitions that may leave `state`, in file order."""
        return [t for t in self.transitions if state in t.sources]

    def transitions_named(self, trigger: str) -> list[Transition]:
        """List the transitions fired by `trigger`, whatever their sources."""
        return [t for t in self.transitions if t.trigger == trigger]

    def transition(self, trigger: str, state: str) -> Transition | None:
        """Return the transition `trigger` fires from `state`, if there is one."""
        return next((t for t in self.transitions if t.trigger == trigger and state in t.sources),
                    None)

    def transitions_into(self, state: str) -> list[Transition]:
        """List the transitions that lead to `state`, in file order."""
        return [t for t in self.transitions if t.dest == state]

    def migration_of(self, version: int, state: str) -> str | None:
        """Return the state a dossier of `version` in `state` runs in on this version, or None
        when it would be stranded (its state is gone and no declared migration maps it)."""
        if version == self.version:
            return state if state in self.states else None
        if version > self.version:
            return None  # a newer version was removed: nothing says what its states mean
        target = state
        if self.migration is not None and version >= self.migration.from_version:
            target = self.migration.target(state)
        return target if target in self.states else None

    def reachable(self) -> frozenset[str]:
        """Return the states some path of transitions leads to from the initial state."""
        return frozenset(_closure([self.initial], _forward(self.transitions)))


def _choice(choices: tuple[Choice, ...], code: str) -> Choice:
    for choice in choices:
        if choice.code == code:
            return choice
    raise KeyError(code)


def load_definitions(directory, guards: Mapping[str, Guard] | None = None
                     ) -> dict[str, Definition]:
    """Load and validate every `*.toml` definition in `directory`, by name."""
    folder = Path(directory)
    if not folder.is_dir():
        raise DefinitionError(directory, None, "not a folder of workflow definitions")
    # glob() keeps the folder as given, so messages name files the way the operator wrote it.
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise DefinitionError(directory, None, "no workflow definition (*.toml) in this folder")
    return {d.name: d for d in (load_definition(path, guards) for path in paths)}


def load_definition(path, guards: Mapping[str, Guard] | None = None) -> Definition:
    """Load and validate one definition file against the guard registry."""
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise DefinitionError(path, None, f"cannot read the file ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise DefinitionError(path, None, "not UTF-8 text") from error
    except tomllib.TOMLDecodeError as error:
        raise DefinitionError(path, None, f"invalid TOML: {error}") from error
    return _Parser(path, GUARDS if guards is None else guards).definition(data, Path(path).stem)


class _Parser:
    """Check one parsed TOML document, failing on the first problem found."""

    def __init__(self, path, guards: Mapping[str, Guard]):
        self.path = str(path)
        self.guards = guards

    def fail(self, key: str | None, message: str):
        raise DefinitionError(self.path, key, message)

    def definition(self, data: dict, stem: str) -> Definition:
        self.keys(data, "", _TOP_KEYS, ("outcomes", "objectives", "migrate"))
        name = self.text(data, "", "name")
        if name != stem:
            self.fail("name", f"{name!r} must equal the file name {stem!r}")
        version = data["version"]
        if type(version) is not int or version < 1:
            self.fail("version", "must be a positive whole number")
        label_fr, label_en = self.labels(data, "")
        states = self.states(data["states"])
        initial = self.text(data, "", "initial")
        if initial not in states:
            self.fail("initial", f"unknown state {initial!r}")
        lists = {key: self.choices(data, key) for key in ("outcomes", "objectives")}
        transitions = self.transitions(data["transitions"], states, lists)
        self.graph(states, initial, transitions)
        migration = self.migration(data["migrate"], version, states) if "migrate" in data else None
        return Definition(name, version, label_fr, label_en, initial, MappingProxyType(states),
                          transitions, lists["outcomes"], lists["objectives"], self.path,
                          migration)

    def keys(self, table, where: str, required, optional=()):
        if not isinstance(table, dict):
            self.fail(where, "must be a table")
        allowed = (*required, *optional)
        for key in table:
            if key not in allowed:
                self.fail(_join(where, key), f"unknown key (expected one of: {', '.join(allowed)})")
        for key in required:
            if key not in table:
                self.fail(_join(where, key), "missing required key")

    def text(self, table, where, key, pattern=None) -> str:
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(_join(where, key), "must be a non-empty string")
        if pattern is not None and not pattern.match(value):
            self.fail(_join(where, key), f"{value!r} must be {_RULES[pattern]}")
        return value

    def labels(self, table, where) -> tuple[str, str]:
        return self.text(table, where, "label_fr"), self.text(table, where, "label_en")

    def strings(self, table, where, key, allowed, what, required=False) -> tuple[str, ...]:
        where = _join(where, key)
        values = table.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.fail(where, "must be a list of strings")
        if required and not values:
            self.fail(where, "must list at least one value")
        for index, value in enumerate(values):
            if value not in allowed:
                expected = ", ".join(allowed) or "none"
                self.fail(f"{where}[{index}]",
                          f"unknown {what} {value!r} (expected one of: {expected})")
            if value in values[:index]:
                self.fail(f"{where}[{index}]", f"{value!r} is listed twice")
        return tuple(values)

    def migration(self, table, version, states) -> Migration:
        self.keys(table, "migrate", ("from_version", "states"))
        from_version = table["from_version"]
        if type(from_version) is not int or not 1 <= from_version < version:
            self.fail("migrate.from_version",
                      f"must be a whole number from 1 to {version - 1} (an earlier version)")
        mapping = table["states"]
        if not isinstance(mapping, dict):
            self.fail("migrate.states", 'must be a table of old = "new" state names')
        for old, new in mapping.items():
            where = f"migrate.states.{old}"
            if not _STATE.match(old):
                self.fail(where, f"{old!r} must be {_RULES[_STATE]}")
            if not isinstance(new, str) or new not in states:
                self.fail(where, f"unknown state {new!r} (expected one of: {', '.join(states)})")
        return Migration(from_version, MappingProxyType(dict(mapping)))

    def states(self, table) -> dict[str, State]:
        if not isinstance(table, dict) or not table:
            self.fail("states", "must be a table with at least one [states.<name>] entry")
        states = {}
        for name, entry in table.items():
            where = f"states.{name}"
            if not _STATE.match(name):
                self.fail(where, f"{name!r} must be {_RULES[_STATE]}")
            self.keys(entry, where, ("label_fr", "label_en"), ("final",))
            final = entry.get("final", False)
            if not isinstance(final, bool):
                self.fail(f"{where}.final", "must be true or false")
            states[name] = State(name, *self.labels(entry, where), final)
        return states

    def choices(self, data, key) -> tuple[Choice, ...]:
        entries = data.get(key, [])
        if not isinstance(entries, list):
            self.fail(key, f"must be an array of tables ([[{key}]])")
        choices, seen = [], {}
        for index, entry in enumerate(entries):
            where = f"{key}[{index}]"
            self.keys(entry, where, ("code", "label_fr", "label_en"))
            code = self.text(entry, where, "code", _CODE)
            if code in seen:
                self.fail(f"{where}.code", f"duplicate code {code!r} (also {key}[{seen[code]}])")
            seen[code] = index
            choices.append(Choice(code, *self.labels(entry, where)))
        return tuple(choices)

    def transitions(self, entries, states, lists) -> tuple[Transition, ...]:
        if not isinstance(entries, list):
            self.fail("transitions", "must be an array of tables ([[transitions]])")
        result, seen = [], {}
        for index, entry in enumerate(entries):
            transition = self.transition(entry, f"transitions[{index}]", states, lists)
            for position, source in enumerate(transition.sources):
                pair = (transition.trigger, source)
                if pair in seen:
                    self.fail(f"transitions[{index}].sources[{position}]",
                              f"duplicate transition: trigger {pair[0]!r} from state {source!r} "
                              f"is already defined in transitions[{seen[pair]}]")
                seen[pair] = index
            result.append(transition)
        return tuple(result)

    def transition(self, entry, where, states, lists) -> Transition:
        self.keys(entry, where, _TRANSITION_KEYS, ("fields", "guards", "follow_up_days"))
        trigger = self.text(entry, where, "trigger", _TRIGGER)
        if trigger in _RESERVED_TRIGGERS:
            self.fail(f"{where}.trigger", f"{trigger!r} is reserved by the state machine")
        sources = self.strings(entry, where, "sources", list(states), "state", required=True)
        dest = self.text(entry, where, "dest")
        if dest not in states:
            self.fail(f"{where}.dest", f"unknown state {dest!r}")
        roles = self.strings(entry, where, "roles", ROLES, "role", required=True)
        fields = self.strings(entry, where, "fields", list(FIELDS), "field")
        for position, name in enumerate(fields):
            self.needs(FIELDS[name], lists, f"{where}.fields[{position}]", f"field {name!r}")
        guards = self.strings(entry, where, "guards", sorted(self.guards), "guard")
        for position, name in enumerate(guards):
            for need in getattr(self.guards[name], "needs", ()):
                self.needs(need, lists, f"{where}.guards[{position}]", f"guard {name!r}")
        days = entry.get("follow_up_days")
        if days is not None and (type(days) is not int or days < 1):
            self.fail(f"{where}.follow_up_days", "must be a positive whole number of days")
        return Transition(trigger, sources, dest, *self.labels(entry, where), frozenset(roles),
                          fields, guards, days)

    def needs(self, key, lists, where, what):
        if key is not None and not lists[key]:
            self.fail(where, f"{what} needs a non-empty [[{key}]] list in this file")

    def graph(self, states, initial, transitions):
        finals = [name for name, state in states.items() if state.final]
        if not finals:
            self.fail("states", "no final state: mark at least one state with final = true")
        backward = {}
        for transition in transitions:
            for source in transition.sources:
                backward.setdefault(transition.dest, set()).add(source)
        reachable = _closure([initial], _forward(transitions))
        finishing = _closure(finals, backward)
        for name in states:
            if name not in reachable:
                self.fail(f"states.{name}", f"unreachable from the initial state {initial!r}")
            if name not in finishing:
                self.fail(f"states.{name}", "no path from this state to a final state")


def _forward(transitions) -> dict[str, set[str]]:
    # Each state, and the states one transition takes it to.
    edges = {}
    for transition in transitions:
        for source in transition.sources:
            edges.setdefault(source, set()).add(transition.dest)
    return edges


def _closure(start, edges) -> set[str]:
    seen, queue = set(start), deque(start)
    while queue:
        for following in edges.get(queue.popleft(), ()):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return seen


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
