"""The workflow engine: what an actor may do to a dossier, why not, and doing it.

The engine is pure: it reads the dossier's `workflow` and `state` attributes and whatever
its guards read, and writes only `dossier.state` when a transition fires. It never reads
a clock or a database; the caller persists the change, audits it and schedules the
follow-up from `Transition.follow_up_days`.

One `transitions.Machine` is shared by every dossier of a definition (created once,
`model=None`): a Machine per dossier costs about 1.5 ms and 60 KB, and `add_model`
without `remove_model` leaks.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from transitions import Machine

from caseflow.workflow.definition import (
    FIELDS,
    Definition,
    DefinitionError,
    Transition,
    load_definitions,
)
from caseflow.workflow.guards import GUARDS, N_, Guard

UNKNOWN_TRIGGER = "unknown_trigger"
WRONG_STATE = "wrong_state"
ROLE = "role"
GUARD = "guard"

MESSAGE_UNKNOWN_TRIGGER = N_("Cette action n'existe pas dans ce parcours.")
MESSAGE_WRONG_STATE = N_("L'action « %(action)s » n'est pas possible à l'étape « %(state)s ».")
MESSAGE_ROLE = N_("Votre rôle ne permet pas l'action « %(action)s ».")
MESSAGE_CHANGED = N_("Les conditions de l'action « %(action)s » ne sont plus remplies.")

# The dossier field that takes its values from each list a guard may need ("outcomes": "outcome").
_FIELD_OF_LIST = {choices: name for name, choices in FIELDS.items() if choices}


@dataclass(frozen=True)
class Actor:
    """Who asks: a role, and for audit, the user and their organisation."""

    role: str
    user_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a trigger is refused: a French msgid template and the values that fill it."""

    trigger: str
    reason: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        """Render the message, translated first by `translate` when one is given."""
        template = translate(self.message) if translate else self.message
        # Only format when there is something to fill: a guard's reason may hold a bare "%".
        return template % dict(self.params) if self.params else template


@dataclass(frozen=True)
class Placement:
    """Whether an imported dossier may be placed in a state, and the fields it must carry there."""

    workflow: str
    state: str
    allowed: bool
    # Names from FIELDS: "outcome" for a final state, plus what the guards into it rely on.
    requires: frozenset[str] = frozenset()


class TransitionRefused(Exception):
    """A trigger the engine refused to fire; `.refusal` says why."""

    def __init__(self, refusal: Refusal):
        self.refusal = refusal
        super().__init__(refusal.text())


class UnknownWorkflow(LookupError):
    """A dossier or caller named a workflow that no loaded definition provides."""

    def __init__(self, name, known):
        self.name = name
        loaded = ", ".join(sorted(known)) or "none"
        super().__init__(f"unknown workflow {name!r} (loaded: {loaded})")


class Engine:
    """Answer which transitions an actor may fire on a dossier, and fire them."""

    def __init__(self, definitions: Mapping[str, Definition], guards: Mapping[str, Guard] = GUARDS):
        self._definitions = MappingProxyType(dict(definitions))
        self._guards = guards
        for definition in self._definitions.values():
            _check_guards(definition, guards)
        self._machines = {name: _machine(definition, guards)
                          for name, definition in self._definitions.items()}

    @classmethod
    def from_directory(cls, directory, guards: Mapping[str, Guard] = GUARDS) -> "Engine":
        """Load, validate and serve every definition in `directory`."""
        return cls(load_definitions(directory, guards), guards)

    @property
    def definitions(self) -> Mapping[str, Definition]:
        """Return the loaded definitions by name (read-only)."""
        return self._definitions

    def definition(self, name: str) -> Definition:
        """Return the definition called `name`, or raise UnknownWorkflow."""
        try:
            return self._definitions[name]
        except KeyError:
            raise UnknownWorkflow(name, self._definitions) from None

    def machine(self, name: str) -> Machine:
        """Return the one Machine shared by every dossier of workflow `name`."""
        self.definition(name)
        return self._machines[name]

    def placement(self, workflow: str, state: str) -> Placement:
        """Say whether a dossier imported into `workflow` may start in `state`, and what it needs.

        An imported dossier skips the transitions that would have led it there, so it must
        already carry what they ask: an outcome in a final state, and a value of each
        definition list that a guard on a transition into the state declares it `needs`.
        The state must exist and be reachable from the initial state; a dossier may sit
        in the initial state without passing any guard. Raises UnknownWorkflow.
        """
        definition = self.definition(workflow)
        if state not in definition.states or state not in definition.reachable():
            return Placement(workflow, state, False)
        requires = {"outcome"} if definition.state(state).final else set()
        if state != definition.initial:
            for transition in definition.transitions_into(state):
                for name in transition.guards:
                    requires.update(_FIELD_OF_LIST[need]
                                    for need in getattr(self._guards[name], "needs", ()))
        return Placement(workflow, state, True, frozenset(requires))

    def refusal(self, dossier, actor: Actor, trigger: str, *, language: str = "fr"
                ) -> Refusal | None:
        """Say why `actor` may not fire `trigger` on `dossier` now, or None if they may.

        Checks run in this order: the trigger exists, it leaves the current state, the
        actor's role is listed (deny by default), then each guard. Labels in the params
        are in `language`.
        """
        definition = self.definition(dossier.workflow)
        named = definition.transitions_named(trigger)
        if not named:
            return Refusal(trigger, UNKNOWN_TRIGGER, MESSAGE_UNKNOWN_TRIGGER, {})
        transition = definition.transition(trigger, dossier.state)
        if transition is None:
            state = definition.states.get(dossier.state)
            return Refusal(trigger, WRONG_STATE, MESSAGE_WRONG_STATE, {
                "action": named[0].label(language),
                # A state dropped from the definition still deserves a readable message.
                "state": state.label(language) if state else str(dossier.state),
            })
        if actor.role not in transition.roles:
            return Refusal(trigger, ROLE, MESSAGE_ROLE, {"action": transition.label(language)})
        return self._guard_refusal(dossier, transition)

    def options(self, dossier, actor: Actor, *, language: str = "fr"
                ) -> list[tuple[Transition, Refusal | None]]:
        """List the actor's transitions from the dossier's state, each with its refusal or None.

        These are the buttons the interface shows: the role filter hides what the actor
        may never do; a guard's refusal disables a button and says why.
        """
        definition = self.definition(dossier.workflow)
        return [(transition, self._guard_refusal(dossier, transition))
                for transition in definition.transitions_from(dossier.state)
                if actor.role in transition.roles]

    def allowed(self, dossier, actor: Actor) -> list[Transition]:
        """List the transitions the actor may fire on the dossier right now."""
        return [transition for transition, refusal in self.options(dossier, actor)
                if refusal is None]

    def fire(self, dossier, actor: Actor, trigger: str, *, language: str = "fr",
             prepare: Callable[[Transition], None] | None = None) -> Transition:
        """Move the dossier along `trigger` and return the transition, or raise TransitionRefused.

        Only `dossier.state` changes; a refused trigger leaves the dossier untouched.
        `prepare`, when given, sees the transition once it is allowed and before it fires:
        whatever it raises stops the transition (the caller's own checks of what the actor
        filled in).
        """
        refusal = self.refusal(dossier, actor, trigger, language=language)
        if refusal is not None:
            raise TransitionRefused(refusal)
        definition = self.definition(dossier.workflow)
        transition = definition.transition(trigger, dossier.state)
        if prepare is not None:
            prepare(transition)
        # The machine checks role and guards again as its conditions; a failed condition
        # makes trigger() return False rather than raise.
        fired = self._machines[definition.name].events[trigger].trigger(dossier, actor=actor)
        if not fired:
            # Only a guard whose answer changed between the two checks lands here.
            raise TransitionRefused(
                self.refusal(dossier, actor, trigger, language=language)
                or Refusal(trigger, GUARD, MESSAGE_CHANGED, {"action": transition.label(language)}))
        return transition

    def _guard_refusal(self, dossier, transition: Transition) -> Refusal | None:
        for name in transition.guards:
            reason = self._guards[name](dossier)
            if reason is not None:
                # A guard may name what is missing: (msgid, params) instead of a bare msgid.
                message, params = reason if isinstance(reason, tuple) else (reason, {})
                return Refusal(transition.trigger, GUARD, message, dict(params))
        return None


def _check_guards(definition: Definition, guards: Mapping[str, Guard]) -> None:
    # A definition validated against another registry must not fail at the first click.
    for index, transition in enumerate(definition.transitions):
        for position, name in enumerate(transition.guards):
            if name not in guards:
                raise DefinitionError(definition.path or definition.name,
                                      f"transitions[{index}].guards[{position}]",
                                      f"unknown guard {name!r}")


def _machine(definition: Definition, guards: Mapping[str, Guard]) -> Machine:
    transitions = [{
        "trigger": transition.trigger,
        "source": list(transition.sources),
        "dest": transition.dest,
        "conditions": [_role_condition(transition.roles)]
                      + [_guard_condition(guards[name]) for name in transition.guards],
    } for transition in definition.transitions]
    return Machine(model=None, states=list(definition.states), transitions=transitions,
                   initial=definition.initial, auto_transitions=False, send_event=True,
                   queued=False, name=definition.name)


def _role_condition(roles: frozenset[str]) -> Callable[[object], bool]:
    def role_allowed(event) -> bool:
        actor = event.kwargs.get("actor")
        return actor is not None and actor.role in roles
    return role_allowed


def _guard_condition(check: Guard) -> Callable[[object], bool]:
    def guard_passes(event) -> bool:
        return check(event.model) is None
    return guard_passes
