"""The document kinds of a fresh install; the coordinator may add others."""

from sqlalchemy import select

from caseflow.documents.models import DocumentKind
from caseflow.extensions import db

# (code, label_fr, label_en, legal forms that need it validated before financing)
DOCUMENT_KINDS: list[tuple[str, str, str, list[str]]] = [
    ("charte", "Charte (statuts constitutifs)", "Charter (articles of incorporation)",
     ["obnl", "cooperative"]),
    ("reglements-generaux", "Règlements généraux", "General by-laws", ["obnl", "cooperative"]),
    ("pv-assemblee-fondation", "Procès-verbal de l'assemblée de fondation",
     "Founding meeting minutes", []),
    ("politique-travail", "Politique de travail", "Work policy", []),
    ("politique-harcelement", "Politique contre le harcèlement psychologique",
     "Psychological harassment policy", []),
    ("plan-affaires", "Plan d'affaires", "Business plan", []),
    ("montage-financier", "Montage financier", "Financial package", []),
]


def seed_document_kinds() -> int:
    """Add the missing document kinds of a fresh install."""
    existing = set(db.session.scalars(select(DocumentKind.code)))
    added = 0
    for position, (code, label_fr, label_en, required_for) in enumerate(DOCUMENT_KINDS):
        if code not in existing:
            db.session.add(DocumentKind(code=code, label_fr=label_fr, label_en=label_en,
                                        position=position, active=True,
                                        required_for=required_for))
            added += 1
    db.session.flush()
    return added
