"""What the referrals' part of the dossier page shows: each referral, and withdrawing one."""

from caseflow.referrals.forms import ReferralActionForm


def referrals_section(dossier, withdraw_form=None, withdrawing: int | None = None) -> dict:
    """Return the withdraw form; after a refused withdrawal, it keeps what was typed for the
    referral named by `withdrawing`."""
    return {"withdraw_form": withdraw_form or ReferralActionForm(), "withdrawing": withdrawing}
