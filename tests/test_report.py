"""The annual report: each figure from its definition, the previous period, publishing."""

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from caseflow.audit.models import AuditEvent
from caseflow.financing.services import FinancingFields, add_line
from caseflow.reference.models import Fund
from caseflow.referrals.models import Referral
from caseflow.reports.exports import safe_cell
from caseflow.reports.periods import PeriodError, parse_period
from tests.builders import (
    add_intervention,
    csrf_token,
    make_dossier,
    organisation,
    page_text,
    plain_text,
    refer,
)

KEYS = {"period", "dossiers", "interventions", "received_from_mrc", "referred", "subjects",
        "sectors", "territories", "promoter_gender", "protocols", "financing", "previous"}


def fund(db, code):
    return db.session.scalar(select(Fund).where(Fund.code == code))


def authorise(db, dossier, actor, code, amount, decided_on, investment=0, jobs=(0, 0),
              decision="authorised"):
    add_line(dossier, actor, dossier.version, FinancingFields(
        fund=fund(db, code), organisation=organisation("mrc-becancour"), decision=decision,
        amount_requested=Decimal(amount), decided_on=decided_on,
        amount_authorised=Decimal(amount) if decision == "authorised" else None,
        investment=Decimal(investment), jobs_created=jobs[0], jobs_maintained=jobs[1]))
    db.session.commit()


@pytest.fixture
def year(db, advisor):
    """Fiscal 2024-2025 with a few dossiers, one outside the year, one of the protocol."""
    inside = make_dossier(advisor, title="Dans l'année", territory_code="drummond",
                          sector_code="culture")
    add_intervention(inside, advisor, ("info-programmes", "gouvernance"),
                     occurred_on=date(2024, 5, 2))
    add_intervention(inside, advisor, ("info-programmes",), occurred_on=date(2025, 3, 31))
    from caseflow.reference.models import Origin

    mrc = make_dossier(advisor, title="Reçu par la MRC", origin=db.session.scalar(
        select(Origin).where(Origin.code == "mrc")), gender="homme")
    add_intervention(mrc, advisor, ("info-es",), occurred_on=date(2024, 4, 1))
    before = make_dossier(advisor, title="L'année d'avant")
    add_intervention(before, advisor, ("info-es",), occurred_on=date(2024, 3, 31))
    protocol = make_dossier(advisor, "protocole-nicolet-yamaska", title="Protocole",
                            territory_code="nicolet-yamaska",
                            objectives=["accueil-orientation", "viabilite"])
    add_intervention(protocol, advisor, ("plan-affaires",), occurred_on=date(2024, 9, 9))
    referral = refer(inside, advisor)
    db.session.execute(update(Referral).where(Referral.id == referral.id).values(
        sent_at=datetime(2024, 6, 1, 15, tzinfo=UTC)))
    late = refer(before, advisor, "mrc-drummond")  # sent today: outside 2024-2025
    authorise(db, inside, advisor, "fdt-es", "25000.50", date(2024, 11, 1), 300000, (2, 3))
    authorise(db, mrc, advisor, "fli", "10000", date(2025, 2, 1))
    authorise(db, mrc, advisor, "fdt-es", "5000", date(2024, 2, 1), 100000, (1, 0))
    authorise(db, before, advisor, "fdt-es", "7000", date(2024, 12, 1), decision="refused")
    db.session.commit()
    return {"inside": inside, "mrc": mrc, "protocol": protocol, "late": late}


def report(runner, period="2024-2025"):
    result = runner.invoke(args=["report", "--period", period, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout_bytes)


def test_each_figure_follows_its_definition(runner, year):
    figures = report(runner)
    assert KEYS <= set(figures)
    assert figures["period"] == {"start": "2024-04-01", "end": "2025-03-31",
                                 "label": "2024-2025"}
    assert figures["dossiers"] == 2  # the protocol's and last year's are left out
    assert figures["interventions"] == 3
    assert figures["received_from_mrc"] == 1
    assert figures["referred"] == 1  # the other referral was sent outside the year
    assert figures["subjects"]["info-programmes"] == 2
    assert figures["subjects"]["gouvernance"] == 1 and figures["subjects"]["info-es"] == 1
    assert figures["subjects"]["plan-affaires"] == 0  # zero counts are there too
    assert figures["territories"] == {"arthabaska": 0, "becancour": 1, "drummond": 2,
                                      "erable": 0, "nicolet-yamaska": 0}
    assert figures["sectors"]["culture"] == 2 and figures["sectors"]["loisir"] == 0
    assert figures["promoter_gender"] == {"femme": 2, "homme": 1, "les-deux": 0}


def test_the_protocol_has_its_own_section(runner, year):
    protocol = report(runner)["protocols"]["protocole-nicolet-yamaska"]
    assert protocol["dossiers"] == 1 and protocol["interventions"] == 1
    assert protocol["objectives"]["accueil-orientation"] == 1
    assert protocol["objectives"]["viabilite"] == 1
    assert protocol["objectives"]["formation"] == 0


def test_partners_financing_counts_by_decision_date(runner, year):
    figures = report(runner)
    financing = figures["financing"]
    assert financing["enterprises_funded"]["fdt-es"] == 1
    assert financing["enterprises_funded"]["fli"] == 1
    assert financing["authorised"]["fdt-es"] == "25000.50"
    assert financing["authorised"]["fli"] == "10000.00"
    assert "piec" not in financing["authorised"]  # the ministry's own section
    assert figures["funders"]["ministry"]["authorised"]["piec"] == "0.00"
    assert financing["investment"] == "300000.00"
    assert financing["jobs"] == 5
    assert isinstance(financing["jobs"], int)


def test_the_previous_period_and_its_change(runner, year, coordinator_client):
    figures = report(runner)
    previous = figures["previous"]
    assert previous["period"]["label"] == "2023-2024"
    assert previous["dossiers"] == 1 and previous["interventions"] == 1
    assert previous["financing"]["authorised"]["fdt-es"] == "5000.00"
    assert previous["financing"]["investment"] == "100000.00"
    page = plain_text(coordinator_client.get("/rapports/?periode=2024-2025"))
    assert "Nombre de dossiers différents : 2" in page
    assert "+100 % par rapport à la période précédente" in page  # 2 dossiers against 1
    assert "+200 % par rapport à la période précédente" in page  # 300 000 $ against 100 000 $
    assert "25 000,50 $" in page


def test_any_date_range_and_its_previous_range(runner, year):
    figures = report(runner, "2024-05-01..2024-05-31")
    assert figures["interventions"] == 1
    assert figures["previous"]["period"] == {"start": "2024-03-31", "end": "2024-04-30",
                                             "label": "2024-03-31..2024-04-30"}
    assert figures["previous"]["interventions"] == 2  # 2024-03-31 and 2024-04-01


@pytest.mark.parametrize("text", ["2017-2019", "2018-2017", "2017-13-01..2018-01-01",
                                  "2018-01-01..2017-01-01", "hier", ""])
def test_a_bad_period_is_refused(text, coordinator_client, runner):
    with pytest.raises(PeriodError):
        parse_period(text)
    if text:
        response = coordinator_client.get("/rapports/", query_string={"periode": text})
        assert response.status_code == 400
        assert "Période invalide" in page_text(response)
        result = runner.invoke(args=["report", "--period", text])
        assert result.exit_code != 0


def test_dates_out_of_any_record_are_refused(advisor_client, coordinator_client, db, advisor):
    dossier = make_dossier(advisor)
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/interventions/new")
    response = advisor_client.post(f"/dossiers/{dossier.id}/interventions/new", data={
        "csrf_token": token, "version": dossier.version, "occurred_on": "0001-01-01",
        "kind": "meeting", "subjects": ["info-es"]})
    assert response.status_code == 400
    assert "trop ancienne" in page_text(response)
    for query in ["periode=0001-01-01..0001-12-31", "debut=9999-12-30&fin=9999-12-31"]:
        assert coordinator_client.get(f"/rapports/?{query}").status_code == 400
    assert coordinator_client.get("/rapports/").status_code == 200


def test_publishing_freezes_the_figures_and_lists_what_moved(db, advisor, coordinator,
                                                              coordinator_client, year):
    token = csrf_token(coordinator_client, "/rapports/?periode=2024-2025")
    response = coordinator_client.post("/rapports/publier?periode=2024-2025",
                                       data={"csrf_token": token})
    assert response.status_code == 303
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.published"))
    add_intervention(year["mrc"], advisor, ("info-es",), occurred_on=date(2024, 10, 10))
    page = plain_text(coordinator_client.get("/rapports/?periode=2024-2025"))
    assert "Publié le" in page and "Nombre d'interventions : 3" in page
    assert "interventions : 3 → 4" in page
    again = coordinator_client.post("/rapports/publier?periode=2024-2025",
                                    data={"csrf_token": token})
    assert again.status_code == 303
    assert "déjà publié" in page_text(coordinator_client.get("/rapports/?periode=2024-2025"))


def test_only_an_ended_period_is_published(coordinator_client, db):
    token = csrf_token(coordinator_client, "/rapports/")
    coordinator_client.post("/rapports/publier?periode=2030-2031", data={"csrf_token": token})
    page = page_text(coordinator_client.get("/rapports/?periode=2030-2031"))
    assert "Seule une période terminée peut être publiée." in page
    assert "Publié le" not in page


def test_downloads(coordinator_client, year):
    xlsx = coordinator_client.get("/rapports/export.xlsx?periode=2024-2025")
    assert xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert {"Sommaire", "Sujets", "Secteurs", "Territoires", "Groupe promoteur",
            "Financement"} <= set(workbook.sheetnames)
    assert workbook["Sommaire"]["C3"].value == 2  # dossiers
    csv = coordinator_client.get("/rapports/export.csv?periode=2024-2025")
    assert "Nombre de dossiers différents;2;1" in csv.data.decode("utf-8-sig")
    data = json.loads(coordinator_client.get("/rapports/export.json?periode=2024-2025").data)
    assert data["dossiers"] == 2
    assert coordinator_client.get("/rapports/export.pdf?periode=2024-2025").status_code == 404


def test_the_page_counts_what_was_written_since_it_was_last_opened(coordinator_client, year,
                                                                  db, advisor):
    def dossiers():
        data = coordinator_client.get("/rapports/export.json?periode=2024-2025").data
        return json.loads(data)["dossiers"]

    assert dossiers() == 2
    assert dossiers() == 2  # opened again with nothing written: the same figures
    add_intervention(make_dossier(advisor, title="Nouveau dossier de l'année"), advisor,
                     occurred_on=date(2024, 9, 1))
    assert dossiers() == 3


def test_cells_a_spreadsheet_would_run_are_neutralised():
    for text in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"]:
        assert safe_cell(text).startswith("'")
    assert safe_cell("Culture") == "Culture" and safe_cell(12) == 12


def test_the_cli_writes_every_format(runner, year, tmp_path):
    for fmt in ("json", "csv", "xlsx", "html"):
        target = tmp_path / f"bilan.{fmt}"
        result = runner.invoke(args=["report", "--period", "2024-2025", "--format", fmt,
                                     "--output", str(target)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 0
    html = (tmp_path / "bilan.html").read_text()
    assert "Interventions en entreprise" in html and "<style>" in html


def test_only_the_coordinator_opens_the_report(advisor_client, partner_client):
    assert advisor_client.get("/rapports/").status_code == 403
    assert partner_client.get("/rapports/").status_code == 403
