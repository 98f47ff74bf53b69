"""The report's tables in its own French wording, with the labels of each code."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.dossiers.workflows import engine, label
from caseflow.extensions import db
from caseflow.reference.models import Fund, PromoterGender, Sector, Subject, Territory


@dataclass
class Row:
    code: str
    label: str
    value: object
    previous: object = None


@dataclass
class Table:
    key: str
    sheet: str
    title: str
    rows: list[Row] = field(default_factory=list)


def _labels(model) -> dict[str, str]:
    return {item.code: item.label for item in db.session.scalars(select(model))}


def tables(figures: dict) -> list[Table]:
    """Return the report's tables, each row with this period's and the previous value."""
    previous = figures.get("previous") or {}

    def mapping(key, sheet, title, model, source=figures, before=previous):
        names = _labels(model)
        return Table(key, sheet, title, [Row(code, names.get(code, code), value,
                                             (before.get(key) or {}).get(code))
                                         for code, value in source[key].items()])

    summary = Table("summary", _("Sommaire"), _("Interventions en entreprise"), [
        Row("dossiers", _("Nombre de dossiers différents"), figures["dossiers"],
            previous.get("dossiers")),
        Row("received_from_mrc", _("Nombre de dossiers reçus par les MRC ou organismes "
                                   "mandataires"), figures["received_from_mrc"],
            previous.get("received_from_mrc")),
        Row("referred", _("Nombre de dossiers référés aux MRC, ou organismes mandataires, et "
                          "autres partenaires"), figures["referred"], previous.get("referred")),
        Row("interventions", _("Nombre d'interventions"), figures["interventions"],
            previous.get("interventions")),
    ])
    result = [
        summary,
        mapping("subjects", _("Sujets"), _("Sujets abordés par intervention"), Subject),
        mapping("sectors", _("Secteurs"), _("Secteurs d'intervention"), Sector),
        mapping("territories", _("Territoires"), _("Territoires"), Territory),
        mapping("promoter_gender", _("Groupe promoteur"),
                _("Groupe promoteur représenté par"), PromoterGender),
    ]
    for name, protocol in figures["protocols"].items():
        definition = engine().definitions[name]
        before = (previous.get("protocols") or {}).get(name) or {}
        result.append(Table(f"protocol-{name}", _("Protocole %(n)d", n=len(result) - 4),
                            label(definition), [
            Row("dossiers", _("Dossiers"), protocol["dossiers"], before.get("dossiers")),
            Row("interventions", _("Interventions"), protocol["interventions"],
                before.get("interventions")),
            *(Row(o.code, label(o), protocol["objectives"].get(o.code, 0),
                  (before.get("objectives") or {}).get(o.code))
              for o in definition.objectives),
        ]))
    funds = _labels(Fund)
    money = figures["financing"]
    before = previous.get("financing") or {}
    result.append(Table("financing", _("Financement"),
                        _("Interventions des MRC/CLD/organismes mandataires"), [
        *(Row(f"entreprises:{code}", _("Entreprises aidées : %(fund)s", fund=funds.get(code, code)),
              count, (before.get("enterprises_funded") or {}).get(code))
          for code, count in money["enterprises_funded"].items() if count or
          (before.get("enterprises_funded") or {}).get(code)),
        *(Row(f"montant:{code}", _("Montant autorisé : %(fund)s", fund=funds.get(code, code)),
              amount, (before.get("authorised") or {}).get(code))
          for code, amount in money["authorised"].items() if amount != "0.00" or
          (before.get("authorised") or {}).get(code, "0.00") != "0.00"),
        Row("authorised_total", _("Montants autorisés (total)"), money["authorised_total"],
            before.get("authorised_total")),
        Row("investment", _("Investissements générés"), money["investment"],
            before.get("investment")),
        Row("jobs", _("Emplois créés ou maintenus"), money["jobs"], before.get("jobs")),
    ]))
    return result
