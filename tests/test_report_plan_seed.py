"""The rest of the seed's 2017-2018 report, from the hub's own work imported in the documented
formats: activities and projects by action-plan objective, the enterprise directory, and
financing per funder kind with the MESI call's stages.

tests/data/ holds files shaped like the seed (shared/seed/rapport-activite-2017-2018.txt):
activites-2017-2018.csv, projets-2017-2018.csv, entreprises.csv, and the MESI call's
applicants (appel-mesi-dossiers.csv, appel-mesi-financement.csv), the protocol's dossiers in
the seed's detail (protocole-2017-2018.csv: the interventions the seed counts per dossier and
the services-aux-personnes enterprise whose board and team it describes), beside the dossier
files that tests/test_report_seed.py reads.
"""

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from caseflow.activities.models import Body
from tests.builders import csrf_token, fr, plain_text

DATA = Path(__file__).parent / "data"


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


# The committees the coordinator sets up on the bodies' page before importing the year, so the
# report counts the seed's topics apart: (code, label, body).
COMMITTEES = [
    ("protocole-mesi-positionnement", "Positionnement du Pôle", "protocole-mesi"),
    ("protocole-mesi-outils", "Implantation d'outils de gestion (tableaux de bord et coût de "
     "revient)", "protocole-mesi"),
    ("adhoc-arthabaska", "MRC d'Arthabaska, planification stratégique", "concertations-ad-hoc"),
    ("adhoc-deb", "Conseil d'administration de Développement économique de Bécancour",
     "concertations-ad-hoc"),
    ("adhoc-communaute", "Communauté entrepreneuriale des MRC de Bécancour et Nicolet-Yamaska",
     "concertations-ad-hoc"),
    ("poles-regulieres", "Rencontres régulières", "poles"),
    ("poles-financement", "Application administrative du protocole et financement", "poles"),
    ("poles-positionnement", "Positionnement des Pôles", "poles"),
    ("poles-cadre", "Cadre de référence", "poles"),
    ("poles-membership", "Membership", "poles"),
]


def _set_up_committees(client, db):
    for code, label, parent in COMMITTEES:
        response = client.post("/activites/instances", data={
            "csrf_token": csrf_token(client, "/activites/instances"), "code": code,
            "label_fr": label, "parent": parent, "active": "y"})
        assert response.status_code == 303, plain_text(response)
    # The protocol's line gives its total first, then the topics the seed names.
    board = db.session.scalars(select(Body).where(Body.code == "protocole-mesi")).one()
    url = f"/activites/instances/{board.id}"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "label_fr": board.label_fr,
        "label_en": board.label_en, "objective": board.objective, "prints_total": "y",
        "active": "y", "version": str(board.version)})
    assert response.status_code == 303, plain_text(response)


@pytest.fixture
def figures(runner, db, coordinator_client):
    _set_up_committees(coordinator_client, db)
    for financing in ("financement-2016-2017.csv", "financement-2017-2018.csv"):
        _ok(runner.invoke(args=["import", str(DATA / "interventions-2017-2018.csv"),
                                "--financing", str(DATA / financing)]))
    # The protocol's dossiers in the detail the seed gives them (its interventions per dossier,
    # the enterprise whose board and team it describes).
    _ok(runner.invoke(args=["import", str(DATA / "protocole-2017-2018.csv")]))
    _ok(runner.invoke(args=["import", str(DATA / "appel-mesi-dossiers.csv"),
                            "--financing", str(DATA / "appel-mesi-financement.csv")]))
    _ok(runner.invoke(args=["import-activities", str(DATA / "activites-2017-2018.csv"),
                            "--projects", str(DATA / "projets-2017-2018.csv")]))
    _ok(runner.invoke(args=["import-enterprises", str(DATA / "entreprises.csv")]))
    result = _ok(runner.invoke(args=["report", "--period", "2017-2018", "--format", "json"]))
    return json.loads(result.stdout_bytes)


def objective(figures, code):
    return figures["activities"]["orientations"][code.split(".")[0]]["objectives"][code]


def kinds(group, part=None):
    return (group["parts"][part] if part else group)["kinds"]


def test_the_report_follows_the_2015_2020_plan(figures):
    activities = figures["activities"]
    assert activities["plan"] == "2015-2020"
    assert list(activities["orientations"]) == ["1", "2", "3", "4", "5"]
    assert list(activities["orientations"]["3"]["objectives"]) == ["3.1", "3.2"]
    assert "outside_plan" not in activities


def test_orientation_1_concertation(figures):
    first = objective(figures, "1.1")["bodies"]
    board = first["ca-pole"]
    assert kinds(board, "ca-pole") == {"meeting": 6}
    assert kinds(board, "executif-pole") == {"meeting": 1}
    assert first["aga-pole"]["participants"] == 19
    assert first["tournee-chantier"]["kinds"]["event"] == 1
    assert first["tournee-chantier"]["participants"] == 40
    assert kinds(first["protocole-mesi"]) == {"meeting": 12}
    assert kinds(first["partenaires-nationaux"]) == {"webinar": 1}
    eesad = objective(figures, "1.2")["bodies"]["eesad"]
    assert kinds(eesad, "eesad-concertation") == {"meeting": 5}
    assert kinds(eesad, "eesad-protocole") == {"meeting": 3}
    assert kinds(objective(figures, "1.3")["bodies"]["veille"]) == {"meeting": 1}


def test_orientation_1_directory_of_enterprises(figures):
    directory = figures["directory"]
    assert directory["listed"] == 237
    assert directory["charted"] == 225
    assert sum(directory["by_territory"].values()) == 225
    assert sum(directory["by_sector"].values()) == 225


def test_orientation_2_promotion(figures):
    table = objective(figures, "2.1")["bodies"]["table-mrc"]
    assert {part: value["kinds"]["meeting"] for part, value in table["parts"].items()} == {
        "table-mrc-chantier-1": 3, "table-mrc-pri": 2, "table-mrc-chantier-2": 1,
        "table-mrc-chantier-5": 1, "table-mrc-chantier-5-sc": 2, "table-mrc-regroupements": 2}
    assert kinds(objective(figures, "2.1")["bodies"]["concertations-ad-hoc"])["meeting"] == 6
    second = objective(figures, "2.2")["bodies"]
    week = second["semaine-es"]
    assert week["activities"] == 4 and week["participants"] > 100
    assert kinds(second["concours"]) == {"meeting": 4, "event": 1}
    assert kinds(second["uqtr"]) == {"meeting": 3}
    assert kinds(second["cegep-tr"])["meeting"] == 3


def test_orientation_3_consolidation(figures):
    first = objective(figures, "3.1")["bodies"]
    assert kinds(first["csmo-esac"]) == {"webinar": 1}
    assert first["formations"]["participants"] == 17  # the CPE cohort
    assert kinds(first["mentorat"]) == {"training": 1}
    assert kinds(first["communaute-pratique"]) == {"meeting": 3}
    second = objective(figures, "3.2")["bodies"]
    assert kinds(second["table-entrepreneuriat"]) == {"meeting": 1}
    assert kinds(second["colloque-5-ans"]) == {"meeting": 4}
    assert kinds(second["microcredit"]) == {"meeting": 5}


def test_orientation_4_projects(figures):
    tiess = objective(figures, "4.1")["bodies"]["tiess"]
    assert kinds(tiess, "tiess-executif") == {"meeting": 11}
    assert kinds(tiess, "tiess-ca") == {"meeting": 4}
    assert kinds(tiess, "tiess-aga") == {"event": 1}
    assert kinds(objective(figures, "4.1")["bodies"]["antenne-tiess"]) == {"meeting": 1}
    releve = objective(figures, "4.1")["projects"]["releve-agricole"]
    assert kinds(releve, "comite-coordination") == {"meeting": 16}
    assert kinds(releve, "comite-experts") == {"meeting": 2}
    assert kinds(objective(figures, "4.1")["projects"]["aines"]) == {"meeting": 2}
    jeunesse = objective(figures, "4.2")["projects"]["jeunesse"]
    assert jeunesse["kinds"] == {"meeting": 1, "call": 4, "information": 10, "workshop": 6}
    assert jeunesse["calls"] == 4
    assert jeunesse["participants"] > 160
    assert jeunesse["collaborations"] == 4
    assert jeunesse["deliverables"] == 2
    assert objective(figures, "4.2")["projects"]["developpement-durable"]["calls"] == 4


def test_orientation_5_watch_and_representation(figures):
    bodies = objective(figures, "5.1")["bodies"]
    crds = bodies["crds"]
    assert crds["activities"] == 9
    assert {part: value["activities"] for part, value in crds["parts"].items()} == {
        "crds-grand": 3, "crds-strategique": 5, "crds-directeur": 1}
    poles = bodies["poles"]
    # 3 regular meetings and one on the protocol's financing; 2 + 3 + 1 calls; a webinar; the
    # AGA du Chantier, the RISQ, the Fiducie, Commerce solidaire and the ecosystem forum.
    assert kinds(poles) == {"meeting": 4, "call": 6, "webinar": 1, "event": 5}
    assert poles["events"][:4] == ["AGA du Chantier de l'économie sociale", "RISQ", "Fiducie",
                                   "Commerce solidaire"]
    assert kinds(bodies["table-pages"]) == {"meeting": 1}


def test_protocol_served_four_enterprises(figures):
    assert figures["protocols"]["protocole-nicolet-yamaska"]["enterprises_served"] == 4


def test_each_funder_kind_has_its_section(figures):
    mrc = figures["financing"]
    assert mrc["investment"] == "3228295.00"  # the MRCs' and mandataires' only
    assert mrc["authorised"] == {"fdt-es": "94115.00", "fli": "44625.00"}
    assert figures["funders"]["ministry"]["authorised"] == {"piec": "337905.00"}
    assert figures["funders"]["ministry"]["investment"] == "2149083.00"
    assert figures["funders"]["services-quebec"]["authorised_total"] == "717280.83"


def test_the_mesi_call_is_counted_as_the_seed_counts_it(figures):
    call = figures["applications"]["piec"]
    assert call["information"] == 8
    assert call["eligibility"] == 11
    assert call["eligibility_by_legal_form"]["obnl"] == 5
    assert call["eligibility_by_legal_form"]["cooperative"] == 1
    assert call["filed"] == 4
    assert call["recommended"] == 3
    assert call["retained"] == 1
    assert call["retained_authorised"] == "337905.00"
    assert call["retained_investment"] == "2149083.00"


def test_the_page_reads_like_the_seed(figures, coordinator_client):
    page = plain_text(coordinator_client.get("/rapports/?periode=2017-2018"))
    for line in [
        "Conseil d'administration du Pôle | 6 rencontres régulières | 1 rencontre de l'exécutif",
        "Assemblée générale annuelle du Pôle | 1 événement | 19 personnes participantes",
        "Protocole MESI-Pôle 2015-2020 | 12 rencontres",
        "fait état de 237 entreprises d'économie sociale pour la région",
        "des 225 entreprises d'économie sociale",
        "Comité régional en développement social Centre-du-Québec | 9 rencontres | « Grand » "
        "comité régional du développement social : 3 rencontres | Comité stratégique du CRDS : 5 "
        "rencontres | Comité directeur de l'entente administrative : 1 rencontre",
        "Projet Jeunesse | 1 rencontre | 4 conférences téléphoniques",
        "Concours OSEntreprendre | 4 rencontres | Gala régional",
        "4 collaborations | 2 plans d'affaires créés",
        "Comité de coordination du projet : 16 rencontres",
        "Investissements générés : 3 228 295 $",
        "Nombre de demandes d'information : 8",
        "Nombre de demandes d'admissibilité : 11 (5 OBNL et 1 Coop)",
        "Nombre de dossiers déposés : 4",
        "Nombre de dossiers complétés et recommandés : 3",
        "pour un montant de 337 905 $ en subvention et un investissement total de 2 149 083 $",
        "Pour un total de 6 projets évalués, dont 2 en voie de structuration et divers "
        "services à 4 entreprises d'économie sociale différentes.",
    ]:
        assert line in page, line
    assert page.index("Concertation et mise en réseau") < page.index("Vigie et représentation") \
        < page.index("Interventions en entreprise") < page.index("Appel de projets")
    assert "<svg" in coordinator_client.get("/rapports/?periode=2017-2018").get_data(as_text=True)


def test_the_downloads_carry_the_plan(figures, coordinator_client):
    text = coordinator_client.get("/rapports/export.csv?periode=2017-2018").get_data(
        as_text=True)
    assert fr("Conseil d'administration du Pôle | 6 rencontres régulières | 1 rencontre de "
              "l'exécutif") in text
    assert "Nombre de demandes d'admissibilité;11" in text
    workbook = load_workbook(io.BytesIO(coordinator_client.get(
        "/rapports/export.xlsx?periode=2017-2018").data))
    assert "Plan d'action" in workbook.sheetnames and "Répertoire" in workbook.sheetnames
    sheet = workbook["Répertoire"]
    assert [row[2] for row in sheet.iter_rows(min_row=3, max_row=4, values_only=True)] == \
        [237, 225]


def test_a_published_period_freezes_these_figures(figures, coordinator_client, runner):
    token = csrf_token(coordinator_client, "/rapports/?periode=2017-2018")
    response = coordinator_client.post("/rapports/publier?periode=2017-2018",
                                       data={"csrf_token": token})
    assert response.status_code == 303
    extra = DATA.parent / "data" / "activites-2017-2018.csv"
    content = extra.read_text(encoding="utf-8-sig").splitlines()
    added = Path(runner.app.instance_path) / "une-de-plus.csv"
    added.write_text("\n".join([content[0], "2017-06-01;meeting;Rencontre ajoutée après "
                                "publication;ca-pole;1.1;;;;;;;;;"]), encoding="utf-8")
    _ok(runner.invoke(args=["import-activities", str(added)]))
    frozen = json.loads(_ok(runner.invoke(args=["report", "--period", "2017-2018", "--format",
                                                "json"])).stdout_bytes)
    assert objective(frozen, "1.1")["bodies"]["ca-pole"]["parts"]["ca-pole"]["activities"] == 6
    page = plain_text(coordinator_client.get("/rapports/?periode=2017-2018"))
    assert "activities.orientations.1.objectives.1.1.bodies.ca-pole.activities" in page


def test_the_protocol_s_general_outcome_in_its_own_four_categories(figures):
    protocol = figures["protocols"]["protocole-nicolet-yamaska"]
    assert protocol["bilan"] == {"information": 6, "constitution": 2, "infrastructure": 3,
                                 "accompagnement": 3}
    assert protocol["projects_evaluated"] == 6
    assert protocol["projects_structuring"] == 2
    assert protocol["enterprises_served"] == 4


def _line(protocol, sector, gender):
    found = [line for line in protocol["dossier_lines"]
             if (line["sector"], line["promoter_gender"]) == (sector, gender)]
    assert len(found) == 1, found
    return found[0]


def test_interventions_are_counted_per_dossier_with_the_group_s_composition(figures):
    protocol = figures["protocols"]["protocole-nicolet-yamaska"]
    home = _line(protocol, "services-personnes", "les-deux")
    assert home["counts"]["meeting"]["gestion-courante"] == 14
    assert home["counts"]["meeting"]["gouvernance"] == 6
    # "3 rencontres pour assurer la négociation d'un contrat d'achat de services"
    assert home["counts"]["meeting"]["commercialisation"] == 3
    assert home["composition"] == {"board_women": 2, "board_men": 3, "team_women": 2,
                                   "team_men": 0}
    assert _line(protocol, "agriculture", "homme")["counts"]["meeting"][
        "documents-constitutifs"] == 7
    assert _line(protocol, "services-personnes", "femme")["counts"]["meeting"][
        "documents-constitutifs"] == 5
    assert len(protocol["dossier_lines"]) == protocol["dossiers"]


def test_a_body_without_meetings_keeps_its_line(figures):
    bodies = objective(figures, "5.1")["bodies"]
    assert bodies["table-dd"]["activities"] == 0
    assert list(bodies) == ["crds", "table-dd", "poles", "table-pages"]


def test_the_protocol_and_bodies_read_like_the_seed(figures, coordinator_client):
    page = plain_text(coordinator_client.get("/rapports/?periode=2017-2018"))
    for line in [
        "6 dossiers d'information et référencement",
        "2 dossiers pour constitution ou modification aux documents de constitution",
        "3 dossiers pour des projets d'infrastructure",
        "3 dossiers d'accompagnement dans les activités de gestion courante, de négociation "
        "pour de nouveaux marchés, de relève au niveau de la direction et aide pour la "
        "gouvernance (accompagnement du conseil d'administration)",
        "conseil d'administration (3 hommes, 2 femmes) – équipe de travail (2 femmes)",
        "14 rencontres : Gestion courante",
        "7 rencontres : Documents constitutifs",
        # the seed's "3 rencontres pour assurer la négociation d'un contrat d'achat de services"
        "3 rencontres : Commercialisation et contrats",
        "Table régionale en développement durable | aucune rencontre",
        "TIESS | 11 rencontres de l'exécutif | 4 rencontres du conseil d'administration",
        "Pôles de l'économie sociale | 1 webinaire | AGA du Chantier de l'économie sociale — RISQ "
        "— Fiducie — Commerce solidaire — Forum sur l'écosystème de développement de l'économie "
        "sociale | Rencontres régulières : 3 rencontres | Application administrative du protocole "
        "et financement : 1 rencontre | Positionnement des Pôles : 2 conférences téléphoniques | "
        "Cadre de référence : 3 conférences téléphoniques | Membership : 1 conférence "
        "téléphonique",
        "Protocole MESI-Pôle 2015-2020 | 12 rencontres | Positionnement du Pôle : 2 rencontres | "
        "Implantation d'outils de gestion (tableaux de bord et coût de revient) : 4 rencontres",
        "Concertations ad hoc | 1 événement | 1 conférence | 2 séances d'information | MRC "
        "d'Arthabaska, planification stratégique : 2 rencontres | Conseil d'administration de "
        "Développement économique de Bécancour : 2 rencontres | Communauté entrepreneuriale des "
        "MRC de Bécancour et Nicolet-Yamaska : 2 rencontres",
    ]:
        assert line in page, line
    token = csrf_token(coordinator_client, "/")
    coordinator_client.post("/language", data={"locale": "en", "csrf_token": token, "next": "/"})
    english = plain_text(coordinator_client.get("/rapports/?periode=2017-2018"))
    for line in [
        "6 information and referral dossiers",
        "In all, 6 projects assessed, 2 of them being structured, and various services to 4 "
        "different social-economy enterprises.",
        "board of directors (3 men, 2 women) – staff (2 women)",
        "14 meetings: Day-to-day management",
        "3 meetings: Marketing and contracts",
        "Regional sustainable development table | no meeting",
        "The hub's board of directors | 6 regular meetings | 1 meeting of the executive",
        "TIESS | 11 meetings of the executive | 4 meetings of the board of directors",
    ]:
        assert line in english, line


def test_the_bilan_categories_name_the_protocol_s_own_objectives(app):
    import dataclasses

    from caseflow.dossiers.workflows import engine
    from caseflow.reports.bilan import check

    with app.app_context():
        definitions = engine().definitions
        check(definitions)  # the shipped protocol has every objective its categories name
        name = "protocole-nicolet-yamaska"
        stripped = dataclasses.replace(definitions[name], objectives=tuple(
            o for o in definitions[name].objectives if o.code != "outils-gestion"))
        with pytest.raises(RuntimeError, match="outils-gestion"):
            check({**definitions, name: stripped})
