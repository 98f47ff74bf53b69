"""A realistic demo hub: the staff of the Pôle and one partner account per MRC."""

from sqlalchemy import select

from caseflow.auth.models import User
from caseflow.auth.services import create_user, find_user
from caseflow.extensions import db
from caseflow.reference.models import Organisation
from caseflow.reference.seed import seed_reference_data

#: Shared by every demo login; printed by `caseflow demo` and given in the README.
DEMO_PASSWORD = "pole-demo-2026"

# (email, full name, role, organisation code)
DEMO_USERS: list[tuple[str, str, str, str | None]] = [
    ("coordination@pole-es.test", "Coordination du Pôle (démo)", "coordinator", None),
    ("conseil@pole-es.test", "Conseillère du Pôle (démo)", "advisor", None),
    ("conseil2@pole-es.test", "Conseiller du Pôle (démo)", "advisor", None),
    ("arthabaska@partenaires.test", "Service de développement économique (démo)",
     "partner", "mrc-arthabaska"),
    ("becancour@partenaires.test", "Service de développement économique (démo)",
     "partner", "mrc-becancour"),
    ("drummond@partenaires.test", "Service de développement économique (démo)",
     "partner", "mrc-drummond"),
    ("erable@partenaires.test", "Service de développement économique (démo)",
     "partner", "mrc-erable"),
    ("nicolet-yamaska@partenaires.test",
     "Service de développement économique (démo)",
     "partner", "mrc-nicolet-yamaska"),
    ("cde-victoriaville@partenaires.test", "Service aux entreprises (démo)",
     "partner", "cde-victoriaville"),
]


def load_demo() -> list[User]:
    """Add whatever part of the demo is missing and return the demo users."""
    seed_reference_data()
    organisations = {o.code: o for o in db.session.scalars(select(Organisation))}
    users = []
    for email, full_name, role, organisation_code in DEMO_USERS:
        user = find_user(email)
        if user is None:
            user = create_user(email, full_name, role, DEMO_PASSWORD,
                               organisations.get(organisation_code) if organisation_code
                               else None)
        users.append(user)
    return users
