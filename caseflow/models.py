"""Every mapped model, imported in one place so the metadata and migrations see them all."""

from caseflow.auth.models import LoginAttempt, User
from caseflow.reference.models import (
    REFERENCE_LISTS,
    Fund,
    LegalForm,
    Organisation,
    Origin,
    PromoterGender,
    Sector,
    Stage,
    Subject,
    Territory,
)

__all__ = [
    "REFERENCE_LISTS", "Fund", "LegalForm", "LoginAttempt", "Organisation", "Origin",
    "PromoterGender", "Sector", "Stage", "Subject", "Territory", "User",
]
