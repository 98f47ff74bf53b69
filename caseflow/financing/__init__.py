"""Financing lines of a dossier: funds, amounts, decisions, investment and jobs."""
