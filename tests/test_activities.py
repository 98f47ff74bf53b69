"""The hub's activities, projects and enterprise directory: forms, pages, imports, audit."""


import pytest
from sqlalchemy import func, select

from caseflow.activities import plan
from caseflow.activities.models import Activity, Project
from caseflow.audit.models import AuditEvent
from caseflow.database import hub_today
from caseflow.enterprises.models import Enterprise
from tests.builders import csrf_token, fr, make_dossier, page_text, plain_text


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def events(db, action) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def activity_form(client, **changes) -> dict:
    form = {"csrf_token": csrf_token(client, "/activites/nouvelle"),
            "occurred_on": hub_today().isoformat(), "kind": "meeting",
            "title": "Conseil d'administration de décembre", "body": "ca-pole",
            "objective": "1.1"}
    form.update(changes)
    return form


def test_staff_record_a_board_meeting_and_find_it_in_the_calendar(coordinator_client, db):
    response = coordinator_client.post("/activites/nouvelle", data=activity_form(
        coordinator_client))
    assert response.status_code == 303
    month = hub_today().strftime("%Y-%m")
    assert response.headers["Location"].endswith(f"/activites/calendrier?mois={month}")
    page = plain_text(coordinator_client.get(f"/activites/calendrier?mois={month}"))
    assert "Conseil d'administration de décembre" in page
    activity = db.session.scalars(select(Activity)).one()
    assert activity.body.code == "ca-pole" and activity.objective == "1.1"
    [event] = events(db, "activity.added")
    assert event.entity_id == activity.id
    assert event.changes["title"] == [None, "Conseil d'administration de décembre"]


def test_an_event_with_participants_counts_in_this_years_report(coordinator_client, db):
    from caseflow.reports.periods import fiscal_year_of

    response = coordinator_client.post("/activites/nouvelle", data=activity_form(
        coordinator_client, kind="event", title="Forum régional", body="",
        objective="2.2", participants="35", participants_women="20", participants_men="15",
        territories=["drummond"], organisations=["mrc-drummond"]))
    assert response.status_code == 303
    period = fiscal_year_of(hub_today())
    page = plain_text(coordinator_client.get(f"/rapports/?periode={period.label}"))
    assert "Autres activités | 1 événement | 35 personnes participantes (20 femmes, 15 " \
        "hommes)" in page
    assert page.index("Objectif 2.2") < page.index("35 personnes participantes")


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Ce champ est obligatoire."),
    ({"objective": "9.9"}, "N'est pas un choix valide."),
    ({"participants": "-3"}, "Entrez un nombre entre 0 et 100 000."),
    ({"participants": "10", "participants_women": "8", "participants_men": "5"},
     "Les femmes et les hommes dépassent le nombre de participants."),
    ({"occurred_on": "1970-01-01"}, "Cette date est trop ancienne"),
    ({"dossiers": "2099-9999"}, fr("Dossier inconnu : 2099-9999.")),
    ({"title": "Rencontre\x00"}, "Ce champ contient un caractère invalide."),
])
def test_bad_input_is_refused_and_nothing_is_written(advisor_client, db, changes, message):
    response = advisor_client.post("/activites/nouvelle",
                                   data=activity_form(advisor_client, **changes))
    assert response.status_code == 400
    assert message in page_text(response)
    assert count(db, Activity) == 0 and not events(db, "activity.added")


def test_an_activity_links_dossiers_and_is_corrected_and_removed(advisor_client, advisor, db):
    dossier = make_dossier(advisor)
    db.session.commit()
    response = advisor_client.post("/activites/nouvelle", data=activity_form(
        advisor_client, kind="information", title="Séance d'information",
        dossiers=dossier.reference))
    assert response.status_code == 303
    activity = db.session.scalars(select(Activity)).one()
    assert [d.reference for d in activity.dossiers] == [dossier.reference]
    page = advisor_client.get(f"/activites/{activity.id}")
    assert dossier.reference in page_text(page)
    form = activity_form(advisor_client, kind="information", title="Séance d'information (2)",
                         dossiers=dossier.reference, version=str(activity.version))
    assert advisor_client.post(f"/activites/{activity.id}", data=form).status_code == 303
    [edit] = events(db, "activity.edited")
    assert edit.changes == {"title": ["Séance d'information", "Séance d'information (2)"]}
    stale = dict(form, title="Autre titre", version="1")
    assert advisor_client.post(f"/activites/{activity.id}", data=stale).status_code == 409
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).title == "Séance d'information (2)"
    current = db.session.get(Activity, activity.id).version
    removed = advisor_client.post(f"/activites/{activity.id}/retirer", data={
        "csrf_token": form["csrf_token"], "version": str(current)})
    assert removed.status_code == 303
    assert count(db, Activity) == 0 and len(events(db, "activity.removed")) == 1


def test_the_list_filters_by_kind_objective_and_words(advisor_client, db):
    for title, kind, objective in (("Rencontre du CRDS", "meeting", "5.1"),
                                   ("Webinaire des Pôles", "webinar", "5.1"),
                                   ("Formation CPE", "training", "3.1")):
        assert advisor_client.post("/activites/nouvelle", data=activity_form(
            advisor_client, title=title, kind=kind, objective=objective, body="")
        ).status_code == 303
    advisor_client.get("/activites/calendrier")  # shows the flashed confirmations
    page = plain_text(advisor_client.get("/activites/?objective=5.1"))
    assert "Rencontre du CRDS" in page and "Webinaire des Pôles" in page
    assert "Formation CPE" not in page
    page = plain_text(advisor_client.get("/activites/?kind=training"))
    assert "Formation CPE" in page and "Rencontre du CRDS" not in page
    page = plain_text(advisor_client.get("/activites/?q=crds"))
    assert "Rencontre du CRDS" in page and "Webinaire des Pôles" not in page
    assert advisor_client.get("/activites/?start=pas-une-date").status_code == 400
    assert advisor_client.get("/activites/calendrier?mois=2026-13").status_code == 400


def test_partners_do_not_see_the_hubs_activities(partner_client):
    for path in ("/activites/", "/activites/calendrier", "/activites/nouvelle",
                 "/activites/projets", "/entreprises/", "/entreprises/nouvelle"):
        assert partner_client.get(path).status_code in (403, 404), path


def test_a_project_rolls_up_its_activities(advisor_client, db):
    token = csrf_token(advisor_client, "/activites/projets/nouveau")
    response = advisor_client.post("/activites/projets/nouveau", data={
        "csrf_token": token, "code": "jeunesse", "name": "Projet Jeunesse", "objective": "4.2",
        "start_on": "2025-04-01", "end_on": "2026-03-31", "funder": "Chantier",
        "partners": "UQTR\nCégep de Drummondville", "deliverables": "2",
        "deliverables_label": "plans d'affaires créés"})
    assert response.status_code == 303
    for kind, people in (("call", ""), ("workshop", "12"), ("workshop", "9")):
        assert advisor_client.post("/activites/nouvelle", data=activity_form(
            advisor_client, kind=kind, title="Jeunesse", body="", objective="4.2",
            project="jeunesse", participants=people, occurred_on="2025-10-01")
        ).status_code == 303
    page = plain_text(advisor_client.get("/activites/projets"))
    assert "3 activités : 1 conférence téléphonique, 2 atelier" in page
    assert "Participants : 21" in page and "Collaborations : 2" in page
    assert "Livrables : 2 plans d'affaires créés" in page
    assert len(events(db, "project.added")) == 1


def test_a_plan_file_is_checked_at_start_up(tmp_path):
    (tmp_path / "plan.toml").write_text('code = "x"\nlabel_fr = "x"\nlabel_en = "x"\n'
                                        'start = 2020-04-01\nend = 2019-03-31\n')
    with pytest.raises(plan.PlanError, match="end after the start"):
        plan.load_directory(tmp_path)
    (tmp_path / "plan.toml").write_text(
        'code = "x"\nlabel_fr = "x"\nlabel_en = "x"\nstart = 2020-04-01\nend = 2025-03-31\n'
        '[[orientations]]\ncode = "1"\nlabel_fr = "a"\nlabel_en = "a"\n'
        '[[orientations.objectives]]\ncode = "1.1"\nlabel_fr = "b"\nlabel_en = "b"\n'
        '[[orientations.objectives]]\ncode = "1.1"\nlabel_fr = "c"\nlabel_en = "c"\n')
    with pytest.raises(plan.PlanError, match="defined twice"):
        plan.load_directory(tmp_path)


ACTIVITIES = ("date;type;titre;instance;objectif;projet;participants;femmes;hommes;minutes;"
              "territoires;organisations;dossiers;notes\n")


def import_file(runner, tmp_path, name, text, *args):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=[*args, str(path)])


def test_an_activities_file_with_bad_rows_writes_nothing(runner, db, tmp_path):
    text = ACTIVITIES + (
        "2017-05-03;Rencontre;CA;ca-pole;1.1;;;;;;;;;\n"
        "2017-05-04;Reunion;CA;conseil d'administrasion du pole;1.1;;;;;;;;;\n"
        "03/05/2017;meeting;;ca-pole;7.7;;-2;;;;MRC de Québec;;2099-0001;\n")
    result = import_file(runner, tmp_path, "activites.csv", text, "import-activities")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert fr("ligne 3, colonne « instance » : « conseil d'administrasion du pole » inconnu "
              "(le plus proche : « ca-pole »)") in lines
    assert any(line.startswith(fr("ligne 4, colonne « titre » : valeur obligatoire"))
               for line in lines)
    for column in ("objectif", "participants", "territoires", "dossiers"):
        assert any(line.startswith(fr(f"ligne 4, colonne « {column} »")) for line in lines), column
    assert count(db, Activity) == 0 and not events(db, "activity.added")


def test_an_activities_file_is_written_once(runner, db, tmp_path):
    text = ACTIVITIES + "2017-05-03;Rencontre;CA;ca-pole;1.1;;;;;90;drummond;mrc-drummond;;\n"
    assert import_file(runner, tmp_path, "a.csv", text, "import-activities").exit_code == 0
    again = import_file(runner, tmp_path, "a.csv", text, "import-activities")
    assert again.exit_code == 0 and "Rien à ajouter" in again.output
    activity = db.session.scalars(select(Activity)).one()
    assert [t.code for t in activity.territories] == ["drummond"]
    assert [o.code for o in activity.organisations] == ["mrc-drummond"]
    assert events(db, "activity.added")[0].reason == "Import : a.csv"


def test_an_xlsx_projects_file_with_a_bad_row_writes_nothing(runner, db, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "nom", "objectif", "debut", "fin", "livrables"])
    sheet.append(["jeunesse", "Projet Jeunesse", "4.2", "2017-04-01", "2018-03-31", 2])
    sheet.append(["releve", "Relève agricole", "4.1", "2018-03-31", "2017-04-01", 0])
    sheet.append(["jeunesse", "Encore", "4.2", "", "", "deux"])
    path = tmp_path / "projets.xlsx"
    workbook.save(path)
    result = runner.invoke(args=["import-activities", "--projects", str(path)])
    assert result.exit_code == 1
    assert fr("ligne 3, colonne « fin » : « 2017-04-01 » La fin du projet précède son "
              "début") in result.output
    assert fr("ligne 4, colonne « code » : « jeunesse » code en double dans le fichier "
              "(ligne 2)") in result.output
    assert count(db, Project) == 0


ENTERPRISES = "nom;neq;forme_juridique;mrc;secteur;annee_de_fondation;statut;dossiers\n"


def test_enterprise_duplicates_are_caught_on_name_and_neq(runner, db, tmp_path):
    text = ENTERPRISES + ("Coopérative funéraire des Bois-Francs;1140000001;coopérative;"
                          "arthabaska;services-personnes;1985;active;\n"
                          "Ressourcerie Transition;1140000002;OBNL;drummond;emploi;;;\n")
    assert import_file(runner, tmp_path, "e.csv", text, "import-enterprises").exit_code == 0
    assert count(db, Enterprise) == 2
    again = import_file(runner, tmp_path, "e.csv", text, "import-enterprises")
    assert "Rien à ajouter" in again.output
    bad = ENTERPRISES + ("Cooperative funeraire Bois Francs;;;;;;;\n"
                         "Autre nom;1140000002;;;;;;\n"
                         "Ressourcerie Transistion;;;;;;;\n"
                         "Nouvelle entreprise;123;;Laval;;3000;ouverte;\n")
    result = import_file(runner, tmp_path, "f.csv", bad, "import-enterprises")
    assert result.exit_code == 1
    assert fr("ligne 3, colonne « neq » : « 1140000002 » ce NEQ est déjà celui de "
              "« Ressourcerie Transition »") in result.output
    assert fr("ligne 4, colonne « nom » : « Ressourcerie Transistion » semble déjà au "
              "répertoire sous le nom « Ressourcerie Transition »") in result.output
    for column in ("mrc", "annee_de_fondation", "statut"):
        assert fr(f"ligne 5, colonne « {column} »") in result.output, column
    assert count(db, Enterprise) == 2


def test_the_directory_form_refuses_a_duplicate_and_links_dossiers(advisor_client, advisor,
                                                                    db):
    dossier = make_dossier(advisor)
    db.session.commit()
    token = csrf_token(advisor_client, "/entreprises/nouvelle")
    form = {"csrf_token": token, "name": "Café des 4 Ponts", "neq": "1170 000 003",
            "territory": "becancour", "sector": "commerce-detail", "status": "active",
            "dossiers": dossier.reference}
    assert advisor_client.post("/entreprises/nouvelle", data=form).status_code == 303
    enterprise = db.session.scalars(select(Enterprise)).one()
    assert enterprise.neq == "1170000003"
    assert [d.reference for d in enterprise.dossiers] == [dossier.reference]
    assert len(events(db, "enterprise.dossier_linked")) == 1
    twice = advisor_client.post("/entreprises/nouvelle", data=dict(form, neq="",
                                                                   name="Cafe des 4 ponts"))
    assert twice.status_code == 400
    assert fr("semble déjà au répertoire sous le nom « Café des 4 Ponts »") in page_text(twice)
    page = plain_text(advisor_client.get("/entreprises/?territory=becancour"))
    assert "Café des 4 Ponts" in page and dossier.reference in page
    assert count(db, Enterprise) == 1


def test_a_financing_line_carries_its_application_stage(runner, db, tmp_path):
    dossiers = tmp_path / "d.csv"
    dossiers.write_text("dossier;titre;ouvert_le;territoire;secteur;phase;forme_juridique;"
                        "groupe_promoteur;provenance;date_intervention;sujets\n"
                        "2017-0901;Église St-Pierre;2017-03-01;drummond;culture;croissance;"
                        "obnl;femme;direct;2017-03-02;infrastructure\n", encoding="utf-8")
    lines = tmp_path / "f.csv"
    lines.write_text("dossier;fonds;decision;decide_le;etape\n"
                     "2017-0901;piec;en attente;2017-10-02;Déposé\n"
                     "2017-0901;piec;en attente;2017-10-03;étape inventée\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(dossiers), "--financing", str(lines)])
    assert result.exit_code == 1
    assert fr("ligne 3, colonne « etape » : « étape inventée » inconnu") in result.output
