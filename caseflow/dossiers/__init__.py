"""Dossiers: promoter groups' requests for accompaniment, moved through their workflow."""
