"""Constitution documents: a checklist per dossier, with attached files and their versions."""
