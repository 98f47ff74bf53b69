"""The report's tables in its own French wording, with the labels of each code."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from caseflow.dossiers.workflows import engine, label
from caseflow.enterprises.figures import composition_text
from caseflow.extensions import db
from caseflow.reference.models import Fund, PromoterGender, Sector, Subject, Territory
from caseflow.reports.bilan import bilan_for
from caseflow.templating import label as shown_label


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
            *_bilan_rows(name, protocol, before),
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
    if "enterprises_served" in figures:
        summary.rows.append(Row("enterprises_served", _("Entreprises différentes servies"),
                                figures["enterprises_served"],
                                previous.get("enterprises_served")))
    return result + _plan_tables(figures)


def _bilan_rows(name: str, protocol: dict, before: dict) -> list[Row]:
    """The protocol's "Bilan général" rows, in its own categories."""
    bilan = bilan_for(name)
    if bilan is None or "bilan" not in protocol:
        return []
    return [
        *(Row(f"bilan:{c.code}", _("Bilan général : %(category)s", category=c.label),
              protocol["bilan"].get(c.code, 0), (before.get("bilan") or {}).get(c.code))
          for c in bilan.categories),
        Row("projects_evaluated", _("Projets évalués"), protocol["projects_evaluated"],
            before.get("projects_evaluated")),
        Row("projects_structuring", _("Projets en voie de structuration"),
            protocol["projects_structuring"], before.get("projects_structuring")),
    ]


def _kind_count(kind: str, count: int) -> str:
    """Return "6 rencontres", "1 conférence téléphonique"... in the report's wording."""
    words = {
        "meeting": lambda n: ngettext("%(num)d rencontre", "%(num)d rencontres", n),
        "call": lambda n: ngettext("%(num)d conférence téléphonique",
                                   "%(num)d conférences téléphoniques", n),
        "webinar": lambda n: ngettext("%(num)d webinaire", "%(num)d webinaires", n),
        "event": lambda n: ngettext("%(num)d événement", "%(num)d événements", n),
        "training": lambda n: ngettext("%(num)d formation", "%(num)d formations", n),
        "conference": lambda n: ngettext("%(num)d conférence", "%(num)d conférences", n),
        "information": lambda n: ngettext("%(num)d séance d'information",
                                          "%(num)d séances d'information", n),
        "workshop": lambda n: ngettext("%(num)d atelier", "%(num)d ateliers", n),
        "visit": lambda n: ngettext("%(num)d visite d'entreprise",
                                    "%(num)d visites d'entreprise", n),
    }
    say = words.get(kind) or (lambda n: ngettext("%(num)d activité", "%(num)d activités", n))
    return say(count)


QUALIFIED_WORDS = {
    ("regular", "meeting"): lambda n: ngettext("%(num)d rencontre régulière",
                                               "%(num)d rencontres régulières", n),
}


def _counts(group: dict, wording: dict | None = None) -> list[str]:
    """Return a group's counts per kind; a wording's qualifier ("régulières") or phrase ("de
    l'exécutif") words them as the seed does."""
    wording = wording or {}
    result = []
    for kind, count in group["kinds"].items():
        if kind == "event" and wording.get("event_titles") and group.get("events"):
            result.append(" — ".join(group["events"]))
            continue
        say = QUALIFIED_WORDS.get((wording.get("qualifier"), kind))
        text = say(count) if say else _kind_count(kind, count)
        result.append(f"{text} {wording['phrase']}" if wording.get("phrase") else text)
    return result


def _total(group: dict) -> str:
    """Return a group's total, in the kind's words when it has only one kind."""
    kinds = group["kinds"]
    if len(kinds) == 1:
        return _kind_count(next(iter(kinds)), group["activities"])
    return ngettext("%(num)d activité", "%(num)d activités", group["activities"])


def _people(group: dict) -> str:
    if not group.get("participants"):
        return ""
    text = ngettext("%(num)d personne participante", "%(num)d personnes participantes",
                    group["participants"])
    if group.get("participants_women") or group.get("participants_men"):
        text += " (" + _("%(women)d femmes, %(men)d hommes", women=group["participants_women"],
                         men=group["participants_men"]) + ")"
    return text


def activity_line(code: str, group: dict, names: dict, project=None) -> list[str]:
    """Return a body's or project's line as the report phrases it, in segments:
    "Conseil d'administration du Pôle | 6 rencontres régulières | 1 rencontre de l'exécutif"."""
    if project is not None:
        segments = [names.get(("project", code), code), *_counts(group)]
        parts = {part: value for part, value in group["parts"].items() if part}
    else:
        own = group["parts"].get(code)
        wording = names.get(("wording", code)) or {}
        segments = [names.get(("body", code), code) if code else _("Autres activités")]
        if wording.get("total") and group["activities"] and (
                len(group["parts"]) > 1 or len(group["kinds"]) > 1):
            # "| 12 rencontres |" then its committees'; "| 4 activités |" of several kinds
            segments.append(_total(group))
        elif own:
            segments += _counts(own, wording)
        elif len(group["parts"]) <= 1:
            segments += _counts(group, wording)
        parts = {part: value for part, value in group["parts"].items() if part != code}
    if len(parts) > 1 or (parts and project is None):
        for part, value in parts.items():
            phrased = names.get(("wording", part)) or {}
            if phrased.get("phrase"):
                segments += _counts(value, phrased)
            else:
                segments.append(_("%(part)s : %(counts)s", part=names.get(("body", part), part),
                                  counts=", ".join(_counts(value, phrased))))
    if not group["activities"]:
        segments.append(_("aucune rencontre"))
    if _people(group):
        segments.append(_people(group))
    if project is not None:
        if group.get("collaborations"):
            segments.append(ngettext("%(num)d collaboration", "%(num)d collaborations",
                                     group["collaborations"]))
        if group.get("deliverables"):
            segments.append(f"{group['deliverables']} {project.deliverables_label}".strip())
    return segments


INTERVENTION_WORDS = {
    "meeting": lambda n: ngettext("%(num)d rencontre", "%(num)d rencontres", n),
    "call": lambda n: ngettext("%(num)d appel", "%(num)d appels", n),
    "email": lambda n: ngettext("%(num)d courriel", "%(num)d courriels", n),
    "workshop": lambda n: ngettext("%(num)d atelier", "%(num)d ateliers", n),
}


def _interventions(kind: str, count: int) -> str:
    say = INTERVENTION_WORDS.get(kind) or (
        lambda n: ngettext("%(num)d intervention", "%(num)d interventions", n))
    return say(count)


def protocol_lines(protocol: dict, definition) -> list[dict]:
    """Return each protocol dossier as the report lists it, without its name: "Secteur des
    services aux personnes · conseil d'administration (3 hommes, 2 femmes) – équipe de
    travail (2 femmes) · Bilan : 14 rencontres : Gestion courante; 6 rencontres : Gouvernance"."""
    sectors, genders, subjects = _labels(Sector), _labels(PromoterGender), _labels(Subject)
    result = []
    for line in protocol.get("dossier_lines") or ():
        who = composition_text(line.get("composition")) or _(
            "groupe promoteur représenté par %(who)s",
            who=genders.get(line["promoter_gender"], line["promoter_gender"]).lower())
        counts = [_("%(count)s : %(subject)s", count=_interventions(kind, n),
                    subject=subjects.get(code, code)) if code else _interventions(kind, n)
                  for kind, by_subject in line["counts"].items()
                  for code, n in by_subject.items()]
        outcome = next((o for o in definition.outcomes if o.code == line.get("outcome")), None)
        result.append({
            "objectives": line["objectives"],
            "title": _("Secteur : %(sector)s", sector=sectors.get(line["sector"],
                                                                 line["sector"])) + " · " + who,
            "counts": "; ".join(counts),
            "status": shown_label(outcome) if outcome else (_("en cours") if line.get("open")
                                                      else ""),
        })
    return result


def activity_names() -> dict:
    """Return the labels of the bodies and names of the projects, by ("body"|"project", code)."""
    from caseflow.activities.models import Body, Project
    from caseflow.i18n import language

    bodies = list(db.session.scalars(select(Body)))
    names = {("body", body.code): body.label for body in bodies}
    names.update({("wording", body.code): body.wording(language()) for body in bodies})
    names.update({("project", p.code): p.name for p in db.session.scalars(select(Project))})
    return names


def projects_by_code() -> dict:
    from caseflow.activities.models import Project

    return {p.code: p for p in db.session.scalars(select(Project))}


def _plan_tables(figures: dict) -> list[Table]:
    """Return the activities by objective, the directory and the funders' sections as tables."""
    from caseflow.activities import plan as plans
    from caseflow.reference.models import FUNDER_KIND_LABELS

    result = []
    activities = figures.get("activities")
    if activities:
        names, projects = activity_names(), projects_by_code()
        rows = []
        for orientation in activities["orientations"].values():
            for code, objective in orientation["objectives"].items():
                found = plans.objective(code)
                title = f"{code} · {found.label}" if found else code
                rows.append(Row(f"{code}", title, objective["activities"]))
                for body, group in objective["bodies"].items():
                    rows.append(Row(f"{code}:{body}", " | ".join(activity_line(body, group,
                                                                                 names)),
                                    group["activities"]))
                for project, group in objective["projects"].items():
                    rows.append(Row(f"{code}:projet:{project}", " | ".join(activity_line(
                        project, group, names, projects.get(project))), group["activities"]))
        result.append(Table("activities", _("Plan d'action"),
                            _("Activités par orientation et objectif"), rows))
    directory = figures.get("directory")
    if directory:
        territories, sectors = _labels(Territory), _labels(Sector)
        result.append(Table("directory", _("Répertoire"), _("Répertoire des entreprises"), [
            Row("listed", _("Entreprises d'économie sociale de la région"), directory["listed"]),
            Row("charted", _("Entreprises réparties par MRC et par secteur"),
                directory["charted"]),
            *(Row(f"mrc:{c}", territories.get(c, c), n)
              for c, n in directory["by_territory"].items()),
            *(Row(f"secteur:{c}", sectors.get(c, c), n)
              for c, n in directory["by_sector"].items()),
        ]))
    funds = _labels(Fund)
    for kind, money in (figures.get("funders") or {}).items():
        result.append(Table(f"funders-{kind}", str(FUNDER_KIND_LABELS[kind])[:31],
                            str(FUNDER_KIND_LABELS[kind]), [
            *(Row(f"montant:{c}", _("Montant autorisé : %(fund)s", fund=funds.get(c, c)), a)
              for c, a in money["authorised"].items() if a != "0.00"),
            Row("authorised_total", _("Montants autorisés (total)"), money["authorised_total"]),
            Row("investment", _("Investissements générés"), money["investment"]),
        ]))
    for fund, stages in (figures.get("applications") or {}).items():
        result.append(Table(f"applications-{fund}", _("Appel %(fund)s", fund=fund)[:31],
                            _("Appel de projets : %(fund)s", fund=funds.get(fund, fund)), [
            Row("information", _("Nombre de demandes d'information"), stages["information"]),
            Row("eligibility", _("Nombre de demandes d'admissibilité"), stages["eligibility"]),
            *(Row(f"eligibility:{c}", _("dont %(form)s", form=c), n)
              for c, n in stages["eligibility_by_legal_form"].items()),
            Row("filed", _("Nombre de dossiers déposés"), stages["filed"]),
            Row("recommended", _("Nombre de dossiers recommandés"), stages["recommended"]),
            Row("retained", _("Projets retenus"), stages["retained"]),
            Row("retained_authorised", _("Subvention des projets retenus"),
                stages["retained_authorised"]),
            Row("retained_investment", _("Investissement total des projets retenus"),
                stages["retained_investment"]),
        ]))
    return result
