"""The referral's lifecycle, written once: its states, the actions between them, and the
facts the rest of the slice derives from them (open states, the partner's inbox tabs, when
the partner may record a financing decision).

The model's check constraint, the labels and badges, the partner portal's buttons and
`services.act` all read these tables; nothing else spells a state or an action.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from caseflow.auth.models import User
from caseflow.dossiers.access import STAFF

# Who may take an action: a partner of the referral's organisation, or the hub's staff.
PARTNER = "partner"
HUB = "hub"


@dataclass(frozen=True)
class State:
    """A state of a referral, and what it means for each side."""

    code: str
    label: str
    badge: str  # CSS class of the state's badge
    open: bool  # the organisation still has the referral in hand; the hub may withdraw it
    partner_sees: bool  # the organisation still sees its referral record (notes, decisions)
    financing: bool = False  # the organisation may record a financing decision through it
    dossier_shown: bool = False  # the organisation sees the dossier's facts and people


@dataclass(frozen=True)
class Text:
    """A text the actor must give with an action, and the column that keeps it."""

    column: str
    label: str  # how the form asks for it
    missing: str  # the refusal when it is left empty


@dataclass(frozen=True)
class Action:
    """A step of the lifecycle: who takes it, from where to where, and what it records."""

    code: str
    label: str  # the button
    sources: tuple[str, ...]
    dest: str
    by: str  # PARTNER or HUB
    stamp: str  # the timestamp column it sets
    also_stamps: tuple[str, ...] = ()  # timestamp columns it sets when they are still empty
    text: Text | None = None
    needs_result: bool = False
    button: str = "btn-primary"  # CSS class of the button

    def allows(self, user: User, organisation_id: int | None) -> bool:
        """Say whether a user may take this action on a referral to that organisation."""
        if self.by == HUB:
            return user.role in STAFF
        return user.role == "partner" and user.organisation_id == organisation_id


@dataclass(frozen=True)
class Tab:
    """A tab of the partner's inbox and the states it gathers."""

    code: str
    label: str
    states: tuple[str, ...]


def _by_code(*items) -> dict:
    return {item.code: item for item in items}


INITIAL = "sent"

STATES: dict[str, State] = _by_code(
    State("sent", _l("Envoyé"), "text-bg-primary", open=True, partner_sees=True,
          dossier_shown=True),
    State("acknowledged", _l("Reçu"), "text-bg-info", open=True, partner_sees=True,
          dossier_shown=True),
    State("accepted", _l("Accepté"), "text-bg-success", open=True, partner_sees=True,
          financing=True, dossier_shown=True),
    # Access ends (Law 25): a returned referral is no longer the partner's business at all;
    # a completed one leaves them their own record of it, not the dossier's people.
    State("returned", _l("Retourné"), "text-bg-warning", open=False, partner_sees=False),
    State("completed", _l("Terminé"), "text-bg-secondary", open=False, partner_sees=True,
          financing=True),
    State("withdrawn", _l("Retiré par le Pôle"), "text-bg-light border", open=False,
          partner_sees=False),
)

OPEN_STATES = tuple(code for code, state in STATES.items() if state.open)
PARTNER_STATES = tuple(code for code, state in STATES.items() if state.partner_sees)
DOSSIER_STATES = tuple(code for code, state in STATES.items() if state.dossier_shown)
FINANCING_STATES = tuple(code for code, state in STATES.items() if state.financing)

_REASON = _l("Indiquez la raison.")

ACTIONS: dict[str, Action] = _by_code(
    Action("acknowledge", _l("Accuser réception"), ("sent",), "acknowledged", PARTNER,
           stamp="acknowledged_at"),
    Action("accept", _l("Accepter"), ("sent", "acknowledged"), "accepted", PARTNER,
           stamp="accepted_at", also_stamps=("acknowledged_at",)),
    Action("return", _l("Retourner au Pôle"), ("sent", "acknowledged"), "returned", PARTNER,
           stamp="returned_at", text=Text("return_reason", _l("Raison (obligatoire)"), _REASON),
           button="btn-outline-warning"),
    Action("complete", _l("Consigner le résultat"), ("accepted",), "completed", PARTNER,
           stamp="completed_at", needs_result=True,
           text=Text("result_note", _l("Pourquoi (obligatoire)"),
                     _l("Indiquez pourquoi, en quelques mots."))),
    Action("withdraw", _l("Retirer le référencement"), OPEN_STATES, "withdrawn", HUB,
           stamp="withdrawn_at", text=Text("withdraw_reason", _l("Raison (obligatoire)"),
                                           _REASON)),
)

PARTNER_ACTIONS = tuple(code for code, action in ACTIONS.items() if action.by == PARTNER)

# The inbox opens on "waiting"; "all" (every state the partner sees) is not a tab of its own.
TABS: dict[str, Tab] = _by_code(
    Tab("new", _l("Nouveaux"), ("sent",)),
    Tab("waiting", _l("En attente de ma réponse"), ("sent", "acknowledged")),
    Tab("accepted", _l("Acceptés"), ("accepted",)),
    Tab("closed", _l("Terminés"), ("completed",)),
)
INBOX_TABS = {code: tab.states for code, tab in TABS.items()}
# Referrals still waiting for the organisation's answer, as the hub's list filters them.
AWAITING_ANSWER = TABS["waiting"].states


def actions_from(state: str, by: str) -> list[Action]:
    """List the actions one side may take from a state, in the table's order."""
    return [action for action in ACTIONS.values() if action.by == by and state in action.sources]
