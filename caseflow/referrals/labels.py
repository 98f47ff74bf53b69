"""How referral states, actions and results read in the interface; states and actions come
from the lifecycle table."""

from flask_babel import lazy_gettext as _l

from caseflow.referrals.lifecycle import ACTIONS, STATES

STATE_LABELS = {code: state.label for code, state in STATES.items()}
STATE_CLASSES = {code: state.badge for code, state in STATES.items()}
RESULT_LABELS = {"successful": _l("Concluant"), "unsuccessful": _l("Non concluant")}
ACTION_LABELS = {code: action.label for code, action in ACTIONS.items()}
