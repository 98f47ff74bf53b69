"""Import of past years from spreadsheets: the seed-shaped dataset, bad values, formats.

The dataset in tests/data (import `interventions-2017-2018.csv` with
`--financing financement-2017-2018.csv`, then again with `--financing
financement-2016-2017.csv`: the second run adds only the 2016-2017 lines) gives exactly:

Fiscal year 2017-2018 (2017-04-01..2018-03-31), workflow `accompagnement` only:
  distinct dossiers 14; interventions 20; dossiers received by an MRC/mandataire
  (origin `mrc`) 7; dossiers referred (one referral each, sent in the year) 10;
  subjects per intervention: info-programmes 12, gouvernance 7, info-es 6, reseau-express 4;
  sectors per intervention: services-personnes 6, commerce-detail 5, emploi 2,
  services-proximite 2, services-entreprises 2, assurances 1, culture 1, sante 1;
  territories: arthabaska 7, becancour 6, drummond 5, erable 2 (nicolet-yamaska 0);
  promoter gender: femme 14, homme 6, les-deux 0.
Workflow `protocole-nicolet-yamaska` (territory nicolet-yamaska), same year: 8 dossiers,
  14 interventions, 4 referrals; dossiers per objective: accueil-orientation 6,
  analyse-besoins 6, viabilite 6, accompagnement 2, plan-affaires 3,
  documents-constitutifs 2, outils-gestion 1, promotion-fdt-fli 0, formation 0;
  outcomes: entreprise-traditionnelle 1, travail-autonome 2, ne-pas-formaliser 1,
  accompagnement-complete 1 (three dossiers still open: two of them the projects "en voie de
  structuration" of the seed's "Bilan général", whose promoters' return is awaited).
Financing decided in 2017-2018 and authorised (organisations: MRCs, cde-victoriaville):
  fdt-es 14 distinct dossiers, 94 115,00 $; fli 3 dossiers (among those 14), 44 625,00 $;
  total authorised 138 740,00 $; investment 3 228 295,00 $; jobs created 23 + maintained
  35 = 58. Not counted: one refused (fdt-es), one pending (fli), one withdrawn (risq).
Financing decided in 2016-2017 and authorised: fdt-es 12 dossiers, 180 255,00 $; fli 3,
  72 000,00 $; total 252 255,00 $ (2017-2018: -45 %); investment 2 541 965,00 $
  (2017-2018: +27 %); jobs 19 + 37 = 56; plus one refused fli line.
The 12 dossiers of 2016-2017 (15 interventions, all before 2017-04-01) exist only so the
  previous year's lines have their dossiers; 2 of them are also funded in 2017-2018.
Whole file: 34 dossiers, 49 interventions, 14 referrals; 20 + 16 financing lines.
"""

import csv
import dataclasses
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from caseflow.audit.models import AuditEvent
from caseflow.bench.cli import bench
from caseflow.dossiers.models import Dossier, DossierObjective, Intervention, intervention_subject
from caseflow.dossiers.workflows import EXTENSION, engine, guards
from caseflow.financing.models import FinancingLine
from caseflow.imports.catalogue import Catalogue
from caseflow.imports.reading import INTERVENTION_COLUMNS, INTERVENTION_REQUIRED, read_sheet
from caseflow.imports.rows import InterventionRows
from caseflow.imports.services import Plan, Upload, run_import
from caseflow.imports.values import normalise
from caseflow.imports.writing import write
from caseflow.money import parse_amount
from caseflow.reference.seed import REFERENCE_DATA
from caseflow.referrals.models import Referral
from caseflow.workflow import Engine, State
from tests.builders import csrf_token, fr, make_dossier, page_text

DATA = Path(__file__).parent / "data"
INTERVENTIONS = DATA / "interventions-2017-2018.csv"
FINANCING = DATA / "financement-2017-2018.csv"
FINANCING_BEFORE = DATA / "financement-2016-2017.csv"
TABLES = {"dossiers": Dossier, "interventions": Intervention, "referrals": Referral,
          "financing": FinancingLine, "objectives": DossierObjective, "audit": AuditEvent}


def counts(db) -> dict[str, int]:
    """Return the number of rows of every table an import writes."""
    found = {name: db.session.scalar(select(func.count()).select_from(model))
             for name, model in TABLES.items()}
    found["subjects"] = db.session.scalar(select(func.count()).select_from(intervention_subject))
    return found


def run(runner, *args):
    """Run `caseflow import` with arguments."""
    return runner.invoke(args=["import", *map(str, args)])


def test_the_dataset_has_the_seed_report_figures():
    """Read the CSV files alone (no import) and count as the annual report does."""
    codes = {normalise(text): code for rows in REFERENCE_DATA.values()
             for code, label_fr, _en in rows for text in (code, label_fr)}
    with INTERVENTIONS.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    workflow = {}
    for row in rows:
        workflow.setdefault(row["dossier"], row["parcours"] or "accompagnement")
    year = [r for r in rows if "2017-04-01" <= "-".join(reversed(r["date_intervention"].split("/")))
            <= "2018-03-31"]
    main = [r for r in year if workflow[r["dossier"]] == "accompagnement"]
    assert len(main) == 20 and len({r["dossier"] for r in main}) == 14
    assert len({r["dossier"] for r in main if r["provenance"] == "mrc"}) == 7
    assert len({r["dossier"] for r in main if r["refere_a"]}) == 10

    def tally(column, split=False):
        values = [codes[normalise(v)] for r in main
                  for v in (r[column].split(";") if split else [r[column]])]
        return {code: values.count(code) for code in sorted(set(values))}

    assert tally("sujets", True) == {"info-programmes": 12, "gouvernance": 7, "info-es": 6,
                                     "reseau-express": 4}
    assert tally("secteur") == {"services-personnes": 6, "commerce-detail": 5, "emploi": 2,
                                "services-proximite": 2, "services-entreprises": 2,
                                "assurances": 1, "culture": 1, "sante": 1}
    assert tally("territoire") == {"arthabaska": 7, "becancour": 6, "drummond": 5, "erable": 2}
    assert tally("groupe_promoteur") == {"femme": 14, "homme": 6}
    objectives = [o.strip() for r in year if r["objectifs_protocole"]
                  for o in r["objectifs_protocole"].split(";")]
    assert {o: objectives.count(o) for o in set(objectives)} == {
        "accueil-orientation": 6, "analyse-besoins": 6, "viabilite": 6, "accompagnement": 2,
        "plan-affaires": 3, "documents-constitutifs": 2, "outils-gestion": 1}
    with FINANCING.open(encoding="utf-8-sig") as handle:
        lines = [r for r in csv.DictReader(handle, delimiter=";")
                 if normalise(r["decision"]) in ("authorised", "autorise")]
    fdt = [r for r in lines if codes[normalise(r["fonds"])] == "fdt-es"]
    assert len({r["dossier"] for r in fdt}) == 14
    assert sum(parse_amount(r["montant_autorise"]) for r in fdt) == Decimal("94115.00")
    assert sum(parse_amount(r["montant_autorise"]) for r in lines) - \
        sum(parse_amount(r["montant_autorise"]) for r in fdt) == Decimal("44625.00")
    assert sum(parse_amount(r["investissement"] or "0") for r in lines) == Decimal("3228295")
    assert sum(int(r["emplois_crees"] or 0) + int(r["emplois_maintenus"] or 0)
               for r in lines) == 58


def test_the_dataset_imports_cleanly_and_again_changes_nothing(runner, db):
    result = run(runner, INTERVENTIONS, "--financing", FINANCING)
    assert result.exit_code == 0, result.output
    after = counts(db)
    assert {k: after[k] for k in ("dossiers", "interventions", "referrals", "financing")} == {
        "dossiers": 34, "interventions": 49, "referrals": 14, "financing": 20}
    actions = dict(db.session.execute(select(AuditEvent.action, func.count())
                                      .group_by(AuditEvent.action)).all())
    assert actions == {"dossier.imported": 34, "intervention.imported": 34,
                       "referral.imported": 14, "financing.imported": 20}
    assert run(runner, INTERVENTIONS, "--financing", FINANCING_BEFORE).exit_code == 0
    assert counts(db)["financing"] == 36 and counts(db)["audit"] == after["audit"] + 16
    settled = counts(db)
    for financing in (FINANCING, FINANCING_BEFORE):
        again = run(runner, INTERVENTIONS, "--financing", financing)
        assert again.exit_code == 0 and "Rien à ajouter" in again.output, again.output
    assert counts(db) == settled
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "118 events" in verified.output


def test_imported_rows_keep_the_file_s_meaning(runner, db):
    assert run(runner, INTERVENTIONS, "--financing", FINANCING).exit_code == 0
    dossiers = {d.title: d for d in db.session.scalars(select(Dossier))}
    popote = dossiers["Popote roulante de Saint-François-du-Lac"]
    assert popote.workflow == "protocole-nicolet-yamaska" and popote.state == "follow_up"
    assert popote.protocol_objectives == ["accueil-orientation", "analyse-besoins",
                                          "documents-constitutifs", "viabilite"]
    assurance = dossiers["Mutuelle d'assurance collective des travailleurs autonomes"]
    assert (assurance.state, assurance.outcome) == ("closed", "entreprise-traditionnelle")
    assert assurance.territory.code == "arthabaska" and assurance.workflow_version == 1
    referral = assurance.referrals[0]
    assert referral.organisation.code == "cde-victoriaville" and referral.state == "sent"
    assert referral.sent_at.isoformat() == "2017-04-12T16:00:00+00:00"  # noon, EDT
    emploi = dossiers["Entreprise d'insertion Le Tremplin"]
    assert sorted((i.occurred_on, i.kind, i.minutes) for i in emploi.interventions) == [
        (date(2017, 6, 7), "meeting", 60), (date(2017, 9, 13), "meeting", 45)]
    assert {line.fund.code: line.amount_authorised for line in emploi.financing_lines} == {
        "fdt-es": Decimal("4614.50"), "fli": Decimal("20000.00")}
    from caseflow.dossiers.services import next_reference

    assert next_reference(2017) == "2017-0023"  # past the 22 imported for 2017


def test_the_annual_report_of_the_imported_years(runner, db):
    from caseflow.reports.figures import change, compute
    from caseflow.reports.periods import fiscal_year

    for financing in (FINANCING, FINANCING_BEFORE):
        assert run(runner, INTERVENTIONS, "--financing", financing).exit_code == 0
    figures = compute(fiscal_year(2017))
    assert (figures["dossiers"], figures["interventions"], figures["received_from_mrc"],
            figures["referred"]) == (14, 20, 7, 10)
    money, before = figures["financing"], figures["previous"]["financing"]
    assert money["enterprises_funded"]["fdt-es"] == 14
    assert (money["authorised"]["fdt-es"], money["authorised"]["fli"]) == ("94115.00",
                                                                            "44625.00")
    assert (money["investment"], money["jobs"]) == ("3228295.00", 58)
    assert change(money["authorised_total"], before["authorised_total"]) == -45
    assert change(money["investment"], before["investment"]) == 27
    assert figures["protocols"]["protocole-nicolet-yamaska"]["objectives"]["viabilite"] == 6


def test_a_dry_run_writes_nothing(runner, db):
    before = counts(db)
    result = run(runner, INTERVENTIONS, "--financing", FINANCING, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "rien n'a été écrit" in result.output and "dossiers 34" in result.output
    assert counts(db) == before


COLUMNS = ["dossier", "titre", "ouvert_le", "territoire", "secteur", "phase", "forme_juridique",
           "groupe_promoteur", "provenance", "parcours", "objectifs_protocole",
           "date_intervention", "sujets", "minutes", "refere_a", "etat", "bilan", "notes"]
ROW = {"dossier": "T-1", "titre": "Épicerie solidaire", "ouvert_le": "2017-05-01",
       "territoire": "arthabaska", "secteur": "commerce-detail", "phase": "demarrage",
       "forme_juridique": "cooperative", "groupe_promoteur": "femme", "provenance": "direct",
       "date_intervention": "02/05/2017", "sujets": "info-programmes", "minutes": "60"}
MONEY_COLUMNS = ["dossier", "fund", "organisation", "amount_requested", "amount_authorised",
                 "decision", "decided_on", "investment", "jobs_created", "jobs_maintained"]
LINE = {"dossier": "T-1", "fund": "fdt-es", "organisation": "mrc-arthabaska",
        "amount_requested": "10 000 $", "amount_authorised": "9 000 $",
        "decision": "authorised", "decided_on": "2017-06-01", "investment": "50 000 $"}


def sheet(*rows, columns=COLUMNS, base=ROW, delimiter=";") -> bytes:
    """Return a CSV of rows, each the base row with some values changed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([{**base, **row}.get(name, "") for name in columns])
    return out.getvalue().encode("utf-8")


def money(*rows) -> bytes:
    return sheet(*rows, columns=MONEY_COLUMNS, base=LINE)


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>"
BAD = {
    # case: (interventions file, financing file, (row, column, value, reason, closest))
    "unknown code": (sheet({"territoire": "Atlantide"}), None,
                     (2, "territoire", "Atlantide", "inconnu", "arthabaska")),
    "unknown label": (sheet({"secteur": "Services au personnes"}), None,
                      (2, "secteur", "Services au personnes", "inconnu", "services-personnes")),
    "impossible day": (sheet({"ouvert_le": "2017-02-30"}), None,
                       (2, "ouvert_le", "2017-02-30", "date qui existe", "")),
    "impossible month": (sheet({"date_intervention": "31/13/2017"}), None,
                         (2, "date_intervention", "31/13/2017", "date qui existe", "")),
    "not a date": (sheet({"date_intervention": "mai 2017"}), None,
                   (2, "date_intervention", "mai 2017", "n'est pas une date", "")),
    "amount NaN": (sheet({}), money({"amount_requested": "NaN"}),
                   (2, "amount_requested", "NaN", "montant valide", "")),
    "negative amount": (sheet({}), money({"investment": "-5"}),
                        (2, "investment", "-5", "montant valide", "")),
    "huge amount": (sheet({}), money({"amount_authorised": "1e999999"}),
                    (2, "amount_authorised", "1e999999", "montant valide", "")),
    "unknown dossier": (sheet({}), money({}, {"dossier": "T-2"}),
                        (3, "dossier", "T-2", "dossier inconnu", "T-1")),
    "unknown fund": (sheet({}), money({"fund": "fdt"}), (2, "fund", "fdt", "inconnu", "fdt-es")),
    "authorised without amount": (sheet({}), money({"amount_authorised": ""}),
                                  (2, "amount_authorised", "", "montant autorisé", "")),
    "rows disagree": (sheet({}, {"territoire": "becancour"}), None,
                      (3, "territoire", "becancour", "ne concorde pas avec la ligne 2",
                       "arthabaska")),
    "missing column": (sheet({}, columns=[c for c in COLUMNS if c != "territoire"]), None,
                       (1, "territoire", "", "colonne obligatoire absente", "")),
    "empty required value": (sheet({}, {"dossier": "T-2", "secteur": ""}), None,
                             (3, "secteur", "", "valeur obligatoire manquante", "")),
    "no subject": (sheet({"sujets": " ; "}), None,
                   (2, "sujets", "", "valeur obligatoire manquante", "")),
    "unknown workflow": (sheet({"parcours": "protocole-drummond"}), None,
                         (2, "parcours", "protocole-drummond", "inconnu",
                          "protocole-nicolet-yamaska")),
    "objective not in the workflow": (
        sheet({"objectifs_protocole": "viabilite"}), None,
        (2, "objectifs_protocole", "viabilite", "n'est pas un objectif du parcours", "")),
    "objective misspelt": (
        sheet({"parcours": "protocole-nicolet-yamaska",
               "objectifs_protocole": "viabilité; formatio"}),
        None, (2, "objectifs_protocole", "formatio", "objectif du parcours", "formation")),
    "unknown organisation": (sheet({"refere_a": "mrc-becancour; MRC d'Atlantide"}), None,
                             (2, "refere_a", "MRC d'Atlantide", "inconnu", "mrc-arthabaska")),
    "state not in the workflow": (sheet({"etat": "accueil"}), None,
                                  (2, "etat", "accueil", "n'est pas une étape du parcours",
                                   "reception")),
    "final state without outcome": (sheet({"etat": "Fermé"}), None,
                                    (2, "bilan", "", "doit avoir un bilan", "")),
    "outcome of an open dossier": (sheet({"bilan": "formalise"}), None,
                                   (2, "bilan", "formalise", "dossier fermé", "")),
    "outcome not in the workflow": (sheet({"etat": "closed", "bilan": "fusion"}), None,
                                    (2, "bilan", "fusion", "n'est pas un bilan", "abandon")),
    "minutes with decimals": (sheet({"minutes": "12.5"}), None,
                              (2, "minutes", "12.5", "nombre entier", "")),
    "negative minutes": (sheet({"minutes": "-5"}), None, (2, "minutes", "-5", "nombre entier", "")),
    "enormous minutes": (sheet({"minutes": "9" * 5000}), None,
                         (2, "minutes", "9" * 5000, "nombre entier", "")),
    "ancient date": (sheet({"ouvert_le": "1066-10-14"}), None,
                     (2, "ouvert_le", "1066-10-14", "antérieure à 1950", "")),
    "title too long": (sheet({"titre": "x" * 201}), None,
                       (2, "titre", "x" * 201, "dépasse 200 caractères", "")),
    "future date": (sheet({"date_intervention": "01/01/2999"}), None,
                    (2, "date_intervention", "01/01/2999", "dans le futur", "")),
    "unknown column": (sheet({}, columns=COLUMNS + ["sujet"]), None,
                       (1, "sujet", "sujet", "colonne inconnue", "sujets")),
    "not a spreadsheet": (PDF, None, (1, "", "", "ni un CSV", "")),
    "empty file": (b"", None, (1, "", "", "le fichier est vide", "")),
    "header only": (sheet(), None, (1, "", "", "aucune ligne de données", "")),
    "empty financing file": (sheet({}), b"\n\n", (1, "", "", "le fichier est vide", "")),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_bad_value_is_reported_where_it_is_and_nothing_is_written(db, case):
    interventions, financing, expected = BAD[case]
    valid_rows = sheet({"dossier": "OK-1"}).split(b"\n", 1)[1]
    if interventions.count(b"\n") > 1:  # a clean dossier beside the bad one
        interventions = interventions.rstrip(b"\r\n") + b"\r\n" + valid_rows
    before = counts(db)
    result = run_import(Upload("interventions.csv", interventions),
                        Upload("financement.csv", financing) if financing is not None else None)
    row, column, value, reason, closest = expected
    found = [(p.row, p.column, p.value, p.closest) for p in result.problems
             if reason in p.reason]
    assert (row, column, value, closest) in found, result.problems
    assert not result.written
    db.session.rollback()
    assert counts(db) == before


def test_a_state_no_imported_dossier_may_start_in_is_refused(app, db, monkeypatch):
    # The loader refuses an unreachable state; an engine given one by hand still refuses it.
    definition = engine().definition("accompagnement")
    archived = State("archived", "Archivé", "Archived", final=True)
    orphaned = dataclasses.replace(definition, states=MappingProxyType(
        {**definition.states, "archived": archived}))
    monkeypatch.setitem(app.extensions, EXTENSION,
                        Engine({**engine().definitions, "accompagnement": orphaned},
                               guards(app)))
    before = counts(db)
    interventions = sheet({"etat": "archived", "bilan": "abandon"}, {"dossier": "OK-1"})
    result = run_import(Upload("i.csv", interventions))
    assert [(p.row, p.column, p.value, p.reason) for p in result.problems] == [
        (2, "etat", "archived", fr("n'est pas une étape du parcours « accompagnement »"))]
    assert not result.written
    db.session.rollback()
    assert counts(db) == before
    # Handed to the writer all the same, the dossier is refused as a programming error.
    checked, _problems = read_sheet("i.csv", interventions, INTERVENTION_COLUMNS,
                                    INTERVENTION_REQUIRED)
    rows = InterventionRows(checked, Catalogue.load()).read()
    with pytest.raises(ValueError, match="start in state 'archived'"):
        write(Plan(new_dossiers=list(rows.dossiers.values())), rows.catalogue, None, "test")
    db.session.rollback()
    assert counts(db) == before


def test_a_closed_dossier_names_the_objectives_its_closing_guard_needs(db):
    closed = {"parcours": "protocole-nicolet-yamaska", "etat": "closed", "bilan": "abandon"}
    before = counts(db)
    result = run_import(Upload("i.csv", sheet(closed)))
    assert [(p.row, p.column, p.value, p.reason) for p in result.problems] == [
        (2, "objectifs_protocole", "", "un dossier fermé de ce parcours doit nommer ses objectifs")]
    assert not result.written and counts(db) == before
    named = run_import(Upload("i.csv", sheet({**closed, "objectifs_protocole": "viabilite"})))
    assert named.written and not named.problems
    assert db.session.scalar(select(Dossier)).protocol_objectives == ["viabilite"]


def test_the_command_prints_each_problem_on_its_line_and_fails(runner, db):
    rows = [{"dossier": f"T-{n}"} for n in range(5)] + [{"dossier": "T-9",
                                                         "territoire": "Atlantide"}]
    path = Path(runner.app.instance_path) / "annee.csv"
    path.write_bytes(sheet(*rows))
    before = counts(db)
    result = run(runner, path)
    assert result.exit_code == 1
    assert fr("ligne 7, colonne « territoire » : « Atlantide » inconnu (le plus proche : "
              "« arthabaska »)") in result.output.splitlines()
    assert counts(db) == before


def test_a_reference_already_recorded_for_another_dossier_is_refused(db, coordinator):
    dossier = make_dossier(coordinator, title="Coopérative de Gentilly")
    result = run_import(Upload("a.csv", sheet({"dossier": dossier.reference})))
    found = [(p.row, p.column, p.closest) for p in result.problems]
    assert (2, "titre", "Coopérative de Gentilly") in found
    assert (2, "territoire", "becancour") in found and len(found) == 4
    same = {"dossier": dossier.reference, "titre": dossier.title, "territoire": "becancour",
            "ouvert_le": dossier.opened_on.isoformat(), "phase": "predemarrage"}
    assert not run_import(Upload("a.csv", sheet(same))).problems


def test_comma_csv_with_english_names_and_plain_amounts(db):
    english = ["dossier", "title", "opened_on", "territory", "sector", "stage", "legal_form",
               "promoter_gender", "origin", "intervention_date", "subjects", "minutes",
               "referred_to", "kind"]
    row = {"dossier": "T-1", "title": "Épicerie", "opened_on": "2017-05-01",
           "territory": "Arthabaska", "sector": "Commerce de detail", "stage": "DEMARRAGE",
           "legal_form": "Coopérative", "promoter_gender": "les deux", "origin": "direct",
           "intervention_date": "2017-05-02", "minutes": "30", "kind": "Appel",
           "subjects": "info-programmes; Aide à la gouvernance (statut associatif)",
           "referred_to": "MRC d'Arthabaska"}
    lines = sheet(row, columns=MONEY_COLUMNS, base=LINE, delimiter=",").replace(
        b"10 000 $", b"10000.00")
    result = run_import(Upload("i.csv", sheet(row, columns=english, base={}, delimiter=",")),
                        Upload("f.csv", lines))
    assert not result.problems and result.written
    intervention = db.session.scalar(select(Intervention))
    assert intervention.kind == "call"
    assert [s.code for s in intervention.subjects] == ["info-programmes", "gouvernance"]
    line = db.session.scalar(select(FinancingLine))
    assert (line.amount_requested, line.amount_authorised) == (Decimal("10000.00"),
                                                               Decimal("9000.00"))


def test_semicolon_csv_with_quebec_amounts(db):
    lines = money({"amount_requested": "94\u00a0115,00\u00a0$", "amount_authorised": "65 560,28 $",
                   "investment": "3 228 295 $", "decided_on": "15/06/2017",
                   "decision": "Autorisé"})
    result = run_import(Upload("i.csv", sheet({}).decode().encode("utf-8-sig")),
                        Upload("f.csv", lines))
    assert not result.problems
    line = db.session.scalar(select(FinancingLine))
    assert (line.amount_requested, line.amount_authorised, line.investment) == (
        Decimal("94115.00"), Decimal("65560.28"), Decimal("3228295.00"))
    assert (line.decision, line.decided_on) == ("authorised", date(2017, 6, 15))


def test_csv_saved_by_an_older_excel_in_windows_1252(db):
    content = sheet({"titre": "Café-théâtre", "territoire": "MRC de L'Érable"}).decode()
    result = run_import(Upload("i.csv", content.encode("cp1252")))
    assert not result.problems and result.written
    dossier = db.session.scalar(select(Dossier))
    assert (dossier.title, dossier.territory.code) == ("Café-théâtre", "erable")


def test_xlsx_with_dates_and_numbers_as_cells(db):
    workbook = Workbook()
    rows = workbook.active
    rows.append(COLUMNS)
    for day in (date(2017, 5, 2), date(2017, 6, 6)):
        values = {**ROW, "ouvert_le": date(2017, 5, 1), "date_intervention": day, "minutes": 45}
        rows.append([values.get(name) for name in COLUMNS])
    money_sheet = Workbook()
    money_sheet.active.append(MONEY_COLUMNS)
    money_sheet.active.append(["T-1", "fli", "CDE de Victoriaville", 12500.5, 12000, "autorisé",
                               date(2017, 7, 1), 0, 1, 2])
    content, financing = io.BytesIO(), io.BytesIO()
    workbook.save(content)
    money_sheet.save(financing)
    result = run_import(Upload("annee.xlsx", content.getvalue()),
                        Upload("financement.xlsx", financing.getvalue()))
    assert [(p.row, p.column, p.value, p.closest) for p in result.problems] == [
        (2, "organisation", "CDE de Victoriaville", "cde-victoriaville")]
    money_sheet.active["C2"] = "cde-victoriaville"
    financing = io.BytesIO()
    money_sheet.save(financing)
    result = run_import(Upload("annee.xlsx", content.getvalue()),
                        Upload("financement.xlsx", financing.getvalue()))
    assert not result.problems and (result.dossiers, result.interventions) == (1, 2)
    line = db.session.scalar(select(FinancingLine))
    assert (line.amount_requested, line.jobs_maintained) == (Decimal("12500.50"), 2)
    assert db.session.scalar(select(func.sum(Intervention.minutes))) == 90


def test_identical_rows_are_two_interventions_and_stay_two(db):
    twice = sheet({}, {})
    assert run_import(Upload("i.csv", twice)).interventions == 2
    db.session.commit()
    again = run_import(Upload("i.csv", twice))
    assert (again.changes, again.problems) == (0, [])
    assert run_import(Upload("i.csv", sheet({}, {}, {}))).interventions == 1


def test_a_later_file_adds_to_the_dossiers_already_imported(runner, db, advisor):
    first = sheet({"courriel_conseiller": advisor.email.upper()},
                  columns=COLUMNS + ["courriel_conseiller"])
    assert run_import(Upload("i.csv", first)).written
    db.session.commit()
    dossier = db.session.scalar(select(Dossier))
    assert dossier.advisor_id == advisor.id and dossier.interventions[0].author_id == advisor.id
    version = dossier.version
    later = sheet({}, {"date_intervention": "2017-06-03", "refere_a": "risq"})
    result = run_import(Upload("i.csv", later))
    assert (result.dossiers, result.interventions, result.referrals) == (0, 1, 1)
    db.session.commit()
    db.session.refresh(dossier)
    assert len(dossier.interventions) == 2 and dossier.version > version
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    stranger = sheet({"courriel_conseiller": "personne@exemple.test"},
                     columns=COLUMNS + ["courriel_conseiller"])
    assert [(p.column, p.reason) for p in run_import(Upload("i.csv", stranger)).problems] == [
        ("courriel_conseiller", "inconnu")]


def upload(client, interventions: bytes, financing: bytes | None = None, dry_run=False,
           name="annee.csv"):
    """Post files to the upload page, as the coordinator's browser does."""
    data = {"csrf_token": csrf_token(client, "/admin/import"),
            "interventions": (io.BytesIO(interventions), name)}
    if financing is not None:
        data["financing"] = (io.BytesIO(financing), "financement.csv")
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/admin/import", data=data, content_type="multipart/form-data")


def test_the_upload_page_checks_then_imports(coordinator_client, coordinator, db):
    page = coordinator_client.get("/admin/import")
    assert page.status_code == 200 and "Vérifier seulement (aucune écriture)" in page_text(page)
    assert "/admin/import" in page_text(coordinator_client.get("/"))
    before = counts(db)
    content, lines = INTERVENTIONS.read_bytes(), FINANCING.read_bytes()
    checked = upload(coordinator_client, content, lines, dry_run=True)
    assert checked.status_code == 200
    assert fr("L'import créerait : dossiers 34 · interventions 49") in page_text(checked)
    assert counts(db) == before
    done = upload(coordinator_client, content, lines)
    assert done.status_code == 303
    shown = page_text(coordinator_client.get(done.headers["Location"]))
    assert fr("Créés : dossiers 34 · interventions 49 · référencements 14 · lignes de "
              "financement 20") in shown and "ne changera rien" in shown
    actors = set(db.session.scalars(select(AuditEvent.actor_id)
                                    .where(AuditEvent.action.like("%.imported"))))
    assert actors == {coordinator.id} and counts(db)["dossiers"] == 34
    again = upload(coordinator_client, content, lines)
    assert "Rien à ajouter" in page_text(coordinator_client.get(again.headers["Location"]))


def test_the_upload_page_shows_every_problem_and_writes_nothing(coordinator_client, db):
    before = counts(db)
    refused = upload(coordinator_client, sheet({"territoire": "Atlantide"}, {"minutes": "x"}))
    assert refused.status_code == 400
    text = page_text(refused)
    assert fr("2 problèmes trouvés : rien n'a été enregistré") in text
    assert "<td>territoire</td>" in text and "<code>arthabaska</code>" in text
    assert counts(db) == before


@pytest.mark.parametrize("content", [PDF, b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"PK\x03\x04junk"])
def test_a_bad_upload_is_a_400_with_a_french_message(coordinator_client, db, content):
    response = upload(coordinator_client, content, name="rapport.pdf")
    assert response.status_code == 400
    assert "le fichier est vide" in page_text(response) or \
        "ni un CSV (UTF-8, virgule ou point-virgule) ni un classeur XLSX" in page_text(response)


def test_a_form_without_file_is_a_400(coordinator_client):
    token = csrf_token(coordinator_client, "/admin/import")
    response = coordinator_client.post("/admin/import", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Choisissez le fichier des interventions." in page_text(response)


def test_advisors_and_partners_may_not_import(advisor_client, partner_client):
    for client in (advisor_client, partner_client):
        assert client.get("/admin/import").status_code == 403
        assert client.post("/admin/import", data={}).status_code in (400, 403)


def test_the_benchmark_command_runs_on_a_small_file():
    result = CliRunner().invoke(bench, ["import", "--rows", "40"])
    assert result.exit_code == 0, result.output
    assert "import of 40 rows" in result.output and "rows/s" in result.output
