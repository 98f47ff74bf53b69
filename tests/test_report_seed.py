"""The hub's own 2017-2018 figures, imported from spreadsheets, come back in the report.

The dataset in tests/data/ is shaped like the seed report (shared/seed, section
"Interventions en entreprise", the Nicolet-Yamaska protocol and the MRCs' financing).
"""

import json
from pathlib import Path

import pytest

from caseflow.reports.figures import change

DATA = Path(__file__).parent / "data"


@pytest.fixture
def figures(runner, db):
    for financing in ("financement-2016-2017.csv", "financement-2017-2018.csv"):
        result = runner.invoke(args=["import", str(DATA / "interventions-2017-2018.csv"),
                                     "--financing", str(DATA / financing)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(args=["report", "--period", "2017-2018", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout_bytes)


def test_the_seed_reports_interventions_en_entreprise(figures):
    assert figures["dossiers"] == 14
    assert figures["received_from_mrc"] == 7
    assert figures["referred"] == 10
    assert figures["interventions"] == 20
    assert figures["subjects"] == {
        "info-programmes": 12, "gouvernance": 7, "info-es": 6, "reseau-express": 4,
        "documents-constitutifs": 0, "plan-affaires": 0, "infrastructure": 0,
        "gestion-courante": 0, "commercialisation": 0}
    assert figures["sectors"] == {
        "services-personnes": 6, "commerce-detail": 5, "emploi": 2, "services-proximite": 2,
        "services-entreprises": 2, "assurances": 1, "culture": 1, "sante": 1,
        "agriculture": 0, "numerique": 0, "loisir": 0}
    assert figures["territories"] == {"arthabaska": 7, "becancour": 6, "drummond": 5,
                                      "erable": 2, "nicolet-yamaska": 0}
    assert figures["promoter_gender"] == {"femme": 14, "homme": 6, "les-deux": 0}


def test_the_seed_reports_nicolet_yamaska_protocol(figures):
    protocol = figures["protocols"]["protocole-nicolet-yamaska"]
    assert protocol["dossiers"] == 8
    assert protocol["objectives"] == {
        "accueil-orientation": 6, "analyse-besoins": 6, "viabilite": 6, "accompagnement": 2,
        "plan-affaires": 3, "documents-constitutifs": 2, "outils-gestion": 1,
        "promotion-fdt-fli": 0, "formation": 0}


def test_the_seed_reports_partners_financing_and_its_change(figures):
    financing = figures["financing"]
    assert financing["enterprises_funded"]["fdt-es"] == 14
    assert financing["authorised"]["fdt-es"] == "94115.00"
    assert financing["authorised"]["fli"] == "44625.00"
    assert financing["investment"] == "3228295.00"
    assert financing["jobs"] == 58
    previous = figures["previous"]["financing"]
    assert change(financing["authorised_total"], previous["authorised_total"]) == -45
    assert change(financing["investment"], previous["investment"]) == 27


def test_the_page_reads_like_the_seed(figures, coordinator_client):
    from tests.builders import plain_text

    page = plain_text(coordinator_client.get("/rapports/?periode=2017-2018"))
    for line in ["Nombre de dossiers différents : 14",
                 "Nombre de dossiers reçus par les MRC ou organismes mandataires : 7",
                 "Nombre de dossiers référés aux MRC, ou organismes mandataires, et autres "
                 "partenaires : 10",
                 "Information sur les programmes, outils financiers, outils de gestion : 12",
                 "MRC d'Arthabaska 7", "une femme 14", "un homme 6", "les deux 0",
                 "94 115 $", "44 625 $", "3 228 295 $",
                 "Nombre d'emplois créés ou maintenus : 58", "-45 %", "+27 %"]:
        assert line in page, line
