"""The annual activity report, computed from the dossiers in the report's own categories."""
