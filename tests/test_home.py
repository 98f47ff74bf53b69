"""The home page of each role, in Québec French first and English second."""

from tests.builders import csrf_token, login, make_dossier, make_user, page_text, refer


def test_advisor_home_says_who_they_are(advisor_client):
    page = advisor_client.get("/").get_data(as_text=True)
    assert "Bonjour, Conseil Test" in page
    assert "Conseiller ou conseillère" in page
    assert "Pôle d'économie sociale" in page


def test_partner_home_names_their_organisation(partner_client):
    page = partner_client.get("/").get_data(as_text=True)
    assert "Espace partenaire" in page
    assert "MRC de Bécancour" in page


def test_the_partner_home_counts_the_referrals(partner_client, db, advisor):
    refer(make_dossier(advisor), advisor)
    page = page_text(partner_client.get("/"))
    assert "1 nouveau référencement" in page


def test_coordinator_home_lists_the_organisations(coordinator_client):
    page = coordinator_client.get("/").get_data(as_text=True)
    assert "Organisations partenaires" in page
    assert "Corporation de développement économique de Victoriaville" in page
    assert "Utilisateurs" in page


def test_browser_language_is_used_when_the_user_has_no_preference(app, db):
    user = make_user("advisor")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    login(client, user.email)
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Hello, " in page and "Log out" in page


def test_users_preference_beats_the_browser(app, db):
    user = make_user("advisor", locale="fr_CA")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    assert "Bonjour" in client.get("/").get_data(as_text=True)


def test_language_switch_is_remembered_on_the_account(app, advisor_client, db, advisor):
    token = csrf_token(advisor_client, "/")
    response = advisor_client.post("/language", data={"locale": "en", "csrf_token": token,
                                                      "next": "/"})
    assert response.status_code == 303
    assert "Hello, " in advisor_client.get("/").get_data(as_text=True)
    assert db.session.get(type(advisor), advisor.id).locale == "en"


def test_unknown_language_is_refused(advisor_client, db, advisor):
    token = csrf_token(advisor_client, "/")
    response = advisor_client.post("/language", data={"locale": "xx", "csrf_token": token})
    assert response.status_code == 400
    assert db.session.get(type(advisor), advisor.id).locale is None
