"""How referral states and results read in the interface."""

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "sent": _l("Envoyé"),
    "acknowledged": _l("Reçu"),
    "accepted": _l("Accepté"),
    "returned": _l("Retourné"),
    "completed": _l("Terminé"),
    "withdrawn": _l("Retiré par le Pôle"),
}
STATE_CLASSES = {
    "sent": "text-bg-primary", "acknowledged": "text-bg-info", "accepted": "text-bg-success",
    "returned": "text-bg-warning", "completed": "text-bg-secondary",
    "withdrawn": "text-bg-light border",
}
RESULT_LABELS = {"successful": _l("Concluant"), "unsuccessful": _l("Non concluant")}
ACTION_LABELS = {
    "acknowledge": _l("Accuser réception"),
    "accept": _l("Accepter"),
    "return": _l("Retourner au Pôle"),
    "complete": _l("Consigner le résultat"),
    "withdraw": _l("Retirer le référencement"),
}
