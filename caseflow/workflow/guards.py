"""Named preconditions on a dossier, referred to by name from workflow definitions.

A guard receives the dossier and returns None when satisfied, or the reason it refuses as
a French message template (a gettext msgid the interface translates), alone or with the
values that fill its placeholders. Guards only read.
"""

from collections.abc import Callable, Mapping

Guard = Callable[[object], str | tuple[str, Mapping[str, str]] | None]

GUARDS: dict[str, Guard] = {}


def N_(text: str) -> str:
    """Mark a message for translation without translating it."""
    # The interface translates later, in the user's language; extraction needs `-k N_`.
    return text


def guard(name: str, *, needs: tuple[str, ...] = (), registry: dict[str, Guard] | None = None):
    """Register the decorated function as the guard called `name`.

    `needs` names the definition lists the guard relies on ("outcomes", "objectives"), so
    a definition that uses the guard without them is refused at load time, and a dossier
    imported straight into a state the guard leads to must already carry a value of each.
    """
    target = GUARDS if registry is None else registry

    def register(func: Guard) -> Guard:
        if name in target:
            raise ValueError(f"guard {name!r} is already registered")
        func.needs = tuple(needs)
        target[name] = func
        return func

    return register


@guard("has_intervention")
def has_intervention(dossier) -> str | None:
    """Refuse until at least one intervention is recorded on the dossier."""
    if not dossier.interventions:
        return N_("Consignez au moins une intervention avant cette étape.")
    return None


@guard("has_protocol_objectives", needs=("objectives",))
def has_protocol_objectives(dossier) -> str | None:
    """Refuse until the dossier names at least one protocol objective it serves."""
    if not dossier.protocol_objectives:
        return N_("Indiquez au moins un objectif du protocole servi par ce dossier.")
    return None
