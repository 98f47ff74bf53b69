"""A problem found in an imported file: where it is, what it says, and what was meant."""

from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class Problem:
    """One refused value: the row as the spreadsheet numbers it (the header is row 1), the
    column as written in the file, the value, why, and the closest valid value if any."""

    row: int
    column: str
    value: str
    reason: str
    closest: str = ""
    file: str = ""

    def line(self, with_file: bool = False) -> str:
        """Return the problem as one line of text, as the command prints it."""
        where = _("ligne %(row)d", row=self.row)
        if self.column:
            where += ", " + _("colonne « %(column)s »", column=self.column)
        if with_file and self.file:
            where = f"{self.file}, {where}"
        text = _("%(where)s : « %(value)s » %(reason)s", where=where, value=self.value,
                 reason=self.reason) if self.value else \
            _("%(where)s : %(reason)s", where=where, reason=self.reason)
        if self.closest:
            text += " (" + _("le plus proche : « %(value)s »", value=self.closest) + ")"
        return text


def sorted_problems(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Return problems file by file, then by row, keeping the order of one row's problems."""
    order = {name: index for index, name in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.row))


def summary(result, dry_run: bool = False) -> str:
    """Return what an import created (or would create), in one sentence."""
    counts = dict(dossiers=result.dossiers, interventions=result.interventions,
                  referrals=result.referrals, lines=result.financing_lines)
    if not result.changes:
        return _("Rien à ajouter : ces fichiers sont déjà importés (%(rows)d lignes lues).",
                 rows=result.rows)
    if dry_run:
        return _("Vérification réussie, rien n'a été écrit. L'import créerait : dossiers "
                 "%(dossiers)d · interventions %(interventions)d · référencements "
                 "%(referrals)d · lignes de financement %(lines)d.", **counts)
    return _("Import terminé. Créés : dossiers %(dossiers)d · interventions %(interventions)d "
             "· référencements %(referrals)d · lignes de financement %(lines)d. Importer de "
             "nouveau les mêmes fichiers ne changera rien.", **counts)
