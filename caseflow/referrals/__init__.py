"""Referrals of dossiers to MRCs and partners, and the partner portal that answers them."""
