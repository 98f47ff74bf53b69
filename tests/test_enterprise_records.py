"""An enterprise's record: its board's and team's composition, corrected through an audited
form, imported from the directory file, and shown beside its dossiers in the report."""

from sqlalchemy import func, select

from caseflow.audit.models import AuditEvent
from caseflow.enterprises.models import Enterprise
from tests.builders import csrf_token, fr, make_dossier, page_text, plain_text

HEADER = ("nom;neq;forme_juridique;mrc;secteur;annee_de_fondation;statut;ca_femmes;ca_hommes;"
          "equipe_femmes;equipe_hommes;dossiers\n")


def events(db, action) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def import_file(runner, tmp_path, text):
    path = tmp_path / "entreprises.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["import-enterprises", str(path)])


def test_the_directory_file_carries_the_board_and_the_team(runner, db, tmp_path):
    result = import_file(runner, tmp_path, HEADER + (
        "Popote des aînés de Pierreville;1160855252;coopérative;nicolet-yamaska;"
        "services-personnes;1975;active;2;3;2;0;\n"
        "Café des 4 Ponts;;OBNL;becancour;;;active;;;;;\n"))
    assert result.exit_code == 0, result.output
    popote, cafe = db.session.scalars(select(Enterprise).order_by(Enterprise.name.desc()))
    assert (popote.board_women, popote.board_men, popote.team_women, popote.team_men) == \
        (2, 3, 2, 0)
    assert (cafe.board_women, cafe.team_men) == (None, None)  # unknown, not zero
    added = [e for e in events(db, "enterprise.added") if e.entity_id == popote.id][0]
    assert added.changes["board_men"] == [None, 3]


def test_a_directory_file_with_a_bad_count_writes_nothing(runner, db, tmp_path):
    result = import_file(runner, tmp_path, HEADER + (
        "Popote des aînés de Pierreville;;;;;;active;deux;3;;;\n"
        "Café des 4 Ponts;;;;;;active;;;;-1;\n"))
    assert result.exit_code == 1
    assert fr("ligne 2, colonne « ca_femmes » : « deux »") in result.output
    assert fr("ligne 3, colonne « equipe_hommes » : « -1 »") in result.output
    assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 0


def _form(client, enterprise, **changes):
    form = {"csrf_token": csrf_token(client, f"/entreprises/{enterprise.id}"),
            "version": enterprise.version, "name": enterprise.name, "neq": enterprise.neq or "",
            "territory": "nicolet-yamaska", "sector": "services-personnes",
            "status": "active", "dossiers": ""}
    form.update(changes)
    return form


def _enterprise(db, name="Popote des aînés de Pierreville", neq="1160855252"):
    enterprise = Enterprise(name=name, neq=neq, status="active")
    db.session.add(enterprise)
    db.session.commit()
    return enterprise


def test_staff_correct_an_enterprise_and_its_composition_through_an_audited_form(
        advisor_client, advisor, db):
    enterprise = _enterprise(db)
    dossier = make_dossier(advisor)
    db.session.commit()
    page = advisor_client.get(f"/entreprises/{enterprise.id}")
    assert page.status_code == 200
    assert fr("Conseil d'administration : femmes") in page_text(page)
    response = advisor_client.post(f"/entreprises/{enterprise.id}", data=_form(
        advisor_client, enterprise, board_women="2", board_men="3", team_women="2",
        team_men="0", dossiers=dossier.reference))
    assert response.status_code == 303
    db.session.expire_all()
    enterprise = db.session.get(Enterprise, enterprise.id)
    assert (enterprise.board_women, enterprise.board_men, enterprise.team_women,
            enterprise.team_men) == (2, 3, 2, 0)
    assert enterprise.sector.code == "services-personnes" and enterprise.version == 2
    edited = events(db, "enterprise.edited")
    assert len(edited) == 1 and edited[0].changes["board_men"] == [None, 3]
    assert [d.reference for d in enterprise.dossiers] == [dossier.reference]
    # The dossier page leads to its enterprise, with the board and the team.
    shown = advisor_client.get(f"/dossiers/{dossier.id}")
    assert f'href="/entreprises/{enterprise.id}"' in shown.get_data(as_text=True)
    assert "Conseil d'administration (3 hommes, 2 femmes) – équipe de travail (2 femmes)" in \
        plain_text(shown)
    # The dossier taken off the list is unlinked, and that is audited too.
    again = advisor_client.post(f"/entreprises/{enterprise.id}", data=_form(
        advisor_client, enterprise, board_women="2", board_men="3", team_women="2",
        team_men="0"))
    assert again.status_code == 303
    db.session.expire_all()
    assert db.session.get(Enterprise, enterprise.id).dossiers == []
    assert len(events(db, "enterprise.dossier_unlinked")) == 1
    assert "n'est lié à aucune entreprise du répertoire" in plain_text(
        advisor_client.get(f"/dossiers/{dossier.id}"))
    assert "Popote des aînés de Pierreville" in plain_text(advisor_client.get("/entreprises/"))


def test_a_bad_correction_is_refused_and_changes_nothing(advisor_client, db):
    enterprise = _enterprise(db)
    _enterprise(db, "Café des 4 Ponts", "1170000003")
    cases = [({"board_men": "-2"}, 400, "entre 0 et 10 000"),
             ({"name": "Cafe des 4 ponts"}, 400, "semble déjà au répertoire"),
             ({"neq": "1170000003"}, 400, fr("ce NEQ est déjà celui de « Café des 4 Ponts »")),
             ({"version": "0", "board_women": "4"}, 409, "modifiée par quelqu'un d'autre")]
    for changes, status, message in cases:
        response = advisor_client.post(f"/entreprises/{enterprise.id}",
                                       data=_form(advisor_client, enterprise, **changes))
        assert response.status_code == status, changes
        assert message in page_text(response), changes
    db.session.expire_all()
    kept = db.session.get(Enterprise, enterprise.id)
    assert (kept.name, kept.neq, kept.board_men, kept.board_women, kept.version) == (
        "Popote des aînés de Pierreville", "1160855252", None, None, 1)
    assert events(db, "enterprise.edited") == []
    assert advisor_client.get("/entreprises/999999").status_code == 404


def test_partners_cannot_open_an_enterprise_record(partner_client, db):
    enterprise = _enterprise(db)
    assert partner_client.get(f"/entreprises/{enterprise.id}").status_code in (403, 404)
