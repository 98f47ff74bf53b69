"""The report's figures for a period, from the data, in the codes of DOMAIN.md.

Definitions: an intervention counts when its date is in the period; a dossier counts when
it has an intervention in the period; a referral counts when it was sent in the period; a
financing line counts when its decision date is in the period. Dossiers of a protocol
workflow (one with objectives) are counted in their own section, not in the main tables.
"""

from collections import Counter, defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from caseflow.activities import figures as activity_figures
from caseflow.dossiers.models import Dossier, DossierObjective, Intervention, intervention_subject
from caseflow.dossiers.workflows import engine
from caseflow.enterprises import figures as enterprise_figures
from caseflow.extensions import db
from caseflow.financing.models import FinancingLine
from caseflow.reference.models import (
    FUNDER_KINDS,
    Fund,
    LegalForm,
    Origin,
    PromoterGender,
    Sector,
    Subject,
    Territory,
)
from caseflow.referrals.models import Referral
from caseflow.reports.bilan import bilan_for
from caseflow.reports.periods import Period

# Figures counted per intervention by a code of its dossier: (reference list, dossier's column).
PER_INTERVENTION = {"sectors": (Sector, Dossier.sector_id),
                    "territories": (Territory, Dossier.territory_id),
                    "promoter_gender": (PromoterGender, Dossier.promoter_gender_id)}


def _codes(model) -> list[str]:
    return list(db.session.scalars(select(model.code).order_by(model.position, model.code)))


def _code_by_id(model) -> dict[int, str]:
    return dict(db.session.execute(select(model.id, model.code)).all())


def _money(value: Decimal) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def compute(period: Period, with_previous: bool = True) -> dict:
    """Return every figure of the report for a period (and the previous period's).

    The main tables are counted by the database from the period's interventions grouped by
    dossier (read from an index), then by the dossier's codes; only the protocols' dossiers,
    a few per year, are read one intervention at a time to be described."""
    definitions = engine().definitions
    protocols = sorted(name for name, d in definitions.items() if d.objectives)
    main = _main_interventions(period, protocols)
    figures = {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(),
                   "label": period.label},
        **_main_figures(main),
        "referred": _referred(period, protocols),
        "subjects": _zeroed(_codes(Subject), _counted(
            main.join(intervention_subject,
                      intervention_subject.c.intervention_id == Intervention.id),
            intervention_subject.c.subject_id, Subject)),
    }
    rows = _protocol_rows(period, protocols)
    subjects = _subjects_by_intervention(period, protocols) if rows else {}
    figures["protocols"] = {name: _protocol(definitions[name], rows, subjects)
                            for name in protocols}
    figures["enterprises_served"] = enterprise_figures.served(
        main.with_only_columns(Intervention.dossier_id).distinct())
    # The MRCs' and mandataires' funds: the report's "Interventions des MRC" section.
    figures["financing"] = _financing(period, "mrc")
    figures["funders"] = {kind: _financing(period, kind) for kind in FUNDER_KINDS
                          if kind != "mrc"}
    figures["applications"] = _applications(period)
    figures["activities"] = activity_figures.compute(period.start, period.end)
    figures["directory"] = enterprise_figures.directory()
    if with_previous:
        figures["previous"] = compute(period.previous(), with_previous=False)
    return figures


def _protocol_dossiers(protocols: list[str]):
    return select(Dossier.id).where(Dossier.workflow.in_(protocols))


def _main_interventions(period: Period, protocols: list[str]):
    """The period's interventions counted in the main tables (not a protocol's), without
    their dossier: what the index on (date, dossier) holds."""
    query = select(Intervention.id).where(Intervention.occurred_on >= period.start,
                                          Intervention.occurred_on <= period.end)
    if protocols:
        query = query.where(Intervention.dossier_id.not_in(_protocol_dossiers(protocols)))
    return query


def _main_figures(main) -> dict:
    """Count the interventions and their dossiers, in all, received from an MRC, and the
    interventions by territory, sector and promoter, in one statement: the interventions
    grouped by dossier, then the dossiers by their codes."""
    per_dossier = (main.with_only_columns(Intervention.dossier_id, func.count().label("n"))
                   .group_by(Intervention.dossier_id).subquery())
    columns = [column for _model, column in PER_INTERVENTION.values()]
    groups = db.session.execute(
        select(*columns, Dossier.origin_id, func.sum(per_dossier.c.n), func.count())
        .join(per_dossier, per_dossier.c.dossier_id == Dossier.id)
        .group_by(*columns, Dossier.origin_id)).all()
    mrc = db.session.scalar(select(Origin.id).where(Origin.code == "mrc"))
    figures = {"dossiers": sum(group[-1] for group in groups),
               "interventions": int(sum(group[-2] for group in groups)),
               "received_from_mrc": sum(group[-1] for group in groups
                                        if group[len(columns)] == mrc)}
    for index, (key, (model, _column)) in enumerate(PER_INTERVENTION.items()):
        codes = _code_by_id(model)
        counts: Counter = Counter()
        for group in groups:
            counts[codes[group[index]]] += int(group[-2])
        figures[key] = _zeroed(_codes(model), counts)
    return figures


def _counted(query, column, model) -> Counter:
    """Return the query's rows counted by a reference list's id, grouped by the database,
    by the list's codes."""
    codes = _code_by_id(model)
    return Counter({codes[key]: count for key, count in db.session.execute(
        query.with_only_columns(column, func.count()).group_by(column)).all()})


def _protocol_interventions(period: Period, protocols: list[str]):
    """The conditions that select the period's interventions of protocol dossiers."""
    return (Intervention.dossier_id.in_(_protocol_dossiers(protocols)),
            Intervention.occurred_on >= period.start, Intervention.occurred_on <= period.end)


def _protocol_rows(period: Period, protocols: list[str]) -> list:
    """Return the period's interventions of protocol dossiers, one row each."""
    if not protocols:
        return []
    return db.session.execute(
        select(Intervention.id, Dossier.id, Dossier.workflow, Territory.code, Sector.code,
               PromoterGender.code, Origin.code, Dossier.outcome, Dossier.state,
               Intervention.kind)
        .join(Dossier, Dossier.id == Intervention.dossier_id)
        .join(Territory, Territory.id == Dossier.territory_id)
        .join(Sector, Sector.id == Dossier.sector_id)
        .join(PromoterGender, PromoterGender.id == Dossier.promoter_gender_id)
        .join(Origin, Origin.id == Dossier.origin_id)
        .where(*_protocol_interventions(period, protocols))).all()


def _zeroed(codes: list[str], counts: Counter) -> dict[str, int]:
    return {code: int(counts.get(code, 0)) for code in codes}


def _subjects_by_intervention(period: Period, protocols: list[str]) -> dict[int, list[str]]:
    """Return the subjects of the period's protocol interventions, by intervention."""
    by_intervention: dict[int, list[str]] = defaultdict(list)
    for intervention_id, code in db.session.execute(
            select(intervention_subject.c.intervention_id, Subject.code)
            .join(Subject, Subject.id == intervention_subject.c.subject_id)
            .join(Intervention, Intervention.id == intervention_subject.c.intervention_id)
            .where(*_protocol_interventions(period, protocols))):
        by_intervention[intervention_id].append(code)
    return by_intervention


def _referred(period: Period, protocols: list[str]) -> int:
    start, end = period.utc_bounds()
    query = (select(Referral.dossier_id).distinct()
             .join(Dossier, Dossier.id == Referral.dossier_id)
             .where(Referral.sent_at >= start, Referral.sent_at < end))
    if protocols:
        query = query.where(Dossier.workflow.not_in(protocols))
    return len(db.session.scalars(query).all())


def _protocol(definition, rows, subjects) -> dict:
    mine = [row for row in rows if row[2] == definition.name]
    dossier_ids = {row[1] for row in mine}
    served: dict[int, list[str]] = defaultdict(list)
    if dossier_ids:
        for dossier_id, code in db.session.execute(
                select(DossierObjective.dossier_id, DossierObjective.code).where(
                    DossierObjective.dossier_id.in_(dossier_ids))):
            served[dossier_id].append(code)
    objectives = Counter(code for codes in served.values() for code in codes)
    per_dossier = {row[1]: row for row in mine}
    outcomes = Counter(row[7] for row in per_dossier.values() if row[7])
    result = {
        "dossiers": len(dossier_ids),
        "interventions": len(mine),
        "objectives": _zeroed([o.code for o in definition.objectives], objectives),
        "outcomes": _zeroed([o.code for o in definition.outcomes], outcomes),
        "sectors": dict(sorted(Counter(row[4] for row in mine).items())),
        "promoter_gender": dict(sorted(Counter(row[5] for row in mine).items())),
        "enterprises_served": enterprise_figures.served(dossier_ids),
        "dossier_lines": _dossier_lines(definition, mine, served, subjects),
    }
    bilan = bilan_for(definition.name)
    if bilan is not None:
        result["bilan"] = {category.code: sum(objectives.get(code, 0)
                                              for code in category.objectives)
                           for category in bilan.categories}
        evaluated = [row for row in per_dossier.values()
                     if set(served.get(row[1], ())) & set(bilan.evaluated)]
        result["projects_evaluated"] = len(evaluated)
        result["projects_structuring"] = sum(
            1 for row in evaluated if not _final(definition, row[8])
            or row[7] in bilan.structuring_outcomes)
    return result


def _final(definition, state: str) -> bool:
    found = definition.states.get(state)
    return bool(found and found.final)


def _dossier_lines(definition, mine, served, subjects) -> list[dict]:
    """Return each protocol dossier as the report describes it, without naming it: sector,
    promoter, the group's composition, the objectives it served and its interventions of the
    period counted by kind and subject ("14 rencontres : Gestion courante")."""
    order = {o.code: index for index, o in enumerate(definition.objectives)}
    composition = enterprise_figures.composition({row[1] for row in mine})
    lines: dict[int, dict] = {}
    for row in sorted(mine, key=lambda r: r[0]):
        line = lines.setdefault(row[1], {
            "sector": row[4], "promoter_gender": row[5], "outcome": row[7],
            "open": not _final(definition, row[8]),
            "objectives": sorted(served.get(row[1], ()), key=lambda c: order.get(c, 10**6)),
            "interventions": 0, "counts": {}, "composition": composition.get(row[1])})
        line["interventions"] += 1
        by_subject = line["counts"].setdefault(row[9], {})
        for code in subjects.get(row[0], ()) or ("",):
            by_subject[code] = by_subject.get(code, 0) + 1
    for line in lines.values():
        line["counts"] = {kind: dict(sorted(by.items(), key=lambda item: (-item[1], item[0])))
                          for kind, by in line["counts"].items()}
    return sorted(lines.values(), key=lambda line: (
        order.get(line["objectives"][0], 10**6) if line["objectives"] else 10**6,
        line["sector"], line["promoter_gender"]))


def _financing(period: Period, funder_kind: str) -> dict:
    """Return the authorised lines of one funder kind's funds decided in the period."""
    lines = db.session.execute(
        select(Fund.code, FinancingLine.dossier_id, FinancingLine.amount_authorised,
               FinancingLine.investment, FinancingLine.jobs_created,
               FinancingLine.jobs_maintained)
        .join(Fund, Fund.id == FinancingLine.fund_id)
        .where(FinancingLine.decision == "authorised", Fund.funder_kind == funder_kind,
               FinancingLine.decided_on >= period.start,
               FinancingLine.decided_on <= period.end)).all()
    funds = list(db.session.scalars(select(Fund.code).where(Fund.funder_kind == funder_kind)
                                    .order_by(Fund.position, Fund.code)))
    enterprises = {code: len({line[1] for line in lines if line[0] == code}) for code in funds}
    authorised = {code: _money(sum((line[2] or Decimal(0) for line in lines if line[0] == code),
                                   Decimal(0))) for code in funds}
    created = sum(line[4] for line in lines)
    maintained = sum(line[5] for line in lines)
    return {
        "enterprises_funded": enterprises,
        "enterprises_funded_total": len({line[1] for line in lines}),
        "authorised": authorised,
        "authorised_total": _money(sum((line[2] or Decimal(0) for line in lines), Decimal(0))),
        "investment": _money(sum((line[3] for line in lines), Decimal(0))),
        "jobs": int(created + maintained),
        "jobs_created": int(created),
        "jobs_maintained": int(maintained),
    }


# How far each stage of an application goes; a refusal comes after the file was filed.
STAGE_RANK = {"information": 0, "eligibility": 1, "filed": 2, "refused": 2,
              "recommended": 3, "retained": 4}


def _applications(period: Period) -> dict:
    """Count a call for projects' applications per programme as the hub reports them: the
    information requests that went no further, then every application that reached
    eligibility, filing, recommendation, and those retained (with their amounts)."""
    lines = db.session.execute(
        select(Fund.code, FinancingLine.stage, LegalForm.code, FinancingLine.amount_authorised,
               FinancingLine.investment)
        .join(Fund, Fund.id == FinancingLine.fund_id)
        .join(Dossier, Dossier.id == FinancingLine.dossier_id)
        .join(LegalForm, LegalForm.id == Dossier.legal_form_id)
        .where(FinancingLine.stage.is_not(None), FinancingLine.decided_on >= period.start,
               FinancingLine.decided_on <= period.end)).all()
    result = {}
    for fund in sorted({line[0] for line in lines}):
        mine = [line for line in lines if line[0] == fund]
        reached = [line for line in mine if STAGE_RANK[line[1]] >= 1]
        retained = [line for line in mine if line[1] == "retained"]
        result[fund] = {
            "information": sum(line[1] == "information" for line in mine),
            "eligibility": len(reached),
            "eligibility_by_legal_form": dict(sorted(Counter(line[2] for line in reached)
                                                     .items())),
            "filed": sum(STAGE_RANK[line[1]] >= 2 for line in mine),
            "recommended": sum(STAGE_RANK[line[1]] >= 3 for line in mine),
            "retained": len(retained),
            "refused": sum(line[1] == "refused" for line in mine),
            "retained_authorised": _money(sum((line[3] or Decimal(0) for line in retained),
                                              Decimal(0))),
            "retained_investment": _money(sum((line[4] for line in retained), Decimal(0))),
        }
    return result


def change(current, previous) -> int | None:
    """Return the change in percent from the previous figure, rounded, or None from zero."""
    current, previous = Decimal(str(current)), Decimal(str(previous))
    if previous == 0:
        return None
    return int(((current - previous) / previous * 100).quantize(Decimal("1"),
                                                                rounding="ROUND_HALF_UP"))


def flatten(figures: dict, prefix: str = "") -> dict[str, object]:
    """Return every leaf figure by its dotted key (for comparing two versions)."""
    flat = {}
    for key, value in figures.items():
        if key == "previous":
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat
