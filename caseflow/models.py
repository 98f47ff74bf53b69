"""Every mapped model, imported in one place so the metadata and migrations see them all."""

from caseflow.activities.models import (
    Activity,
    Body,
    Project,
    activity_dossier,
    activity_organisation,
    activity_territory,
)
from caseflow.api.models import ApiToken
from caseflow.audit.models import AuditEvent, AuditHead, AuditPersonal
from caseflow.auth.models import LoginAttempt, PasswordLink, User
from caseflow.desk.models import AuditCheck, SavedFilter
from caseflow.documents.models import Attachment, DocumentKind, DossierDocument
from caseflow.documents.storage import StoredChunk
from caseflow.dossiers.models import (
    Counter,
    Dossier,
    DossierObjective,
    Intervention,
    PromoterContact,
    intervention_subject,
)
from caseflow.enterprises.models import Enterprise, enterprise_dossier
from caseflow.financing.models import FinancingLine
from caseflow.notifications.models import Notification, OutgoingEmail
from caseflow.privacy.models import (
    AccessRequest,
    AnonymisedDossier,
    ConfidentialityIncident,
    Consent,
    PrivacySetting,
    RetentionRule,
)
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
from caseflow.referrals.models import Referral, ReferralNote
from caseflow.reports.models import PublishedReport

__all__ = [
    "Activity", "Body", "Project", "activity_dossier", "activity_organisation",
    "activity_territory", "Enterprise", "enterprise_dossier",
    "ApiToken", "PublishedReport",
    "Referral", "ReferralNote",
    "Attachment", "DocumentKind", "DossierDocument", "StoredChunk", "FinancingLine",
    "AuditEvent", "AuditHead", "Counter", "Dossier", "DossierObjective", "Intervention",
    "PromoterContact", "intervention_subject",
    "REFERENCE_LISTS", "Fund", "LegalForm", "LoginAttempt", "Organisation", "Origin",
    "PromoterGender", "Sector", "Stage", "Subject", "Territory", "User",
    "Notification", "OutgoingEmail",
    "AuditCheck", "PasswordLink", "SavedFilter",
    "AuditPersonal", "AccessRequest", "AnonymisedDossier", "ConfidentialityIncident", "Consent",
    "PrivacySetting", "RetentionRule",
]
