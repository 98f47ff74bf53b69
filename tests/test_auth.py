"""Logging in and out, as advisors, partners and the coordinator do every day."""

from sqlalchemy import func, select

from caseflow.auth.models import LoginAttempt, User
from tests.builders import PASSWORD, csrf_token, login, logout, make_user

REFUSED = "Courriel ou mot de passe incorrect, ou compte désactivé."


def test_login_opens_the_home_page_in_french(client, advisor):
    response = login(client, advisor.email, follow=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bonjour, Conseil Test" in page
    assert "Se déconnecter" in page
    assert 'lang="fr-CA"' in page


def test_login_ignores_case_and_spaces_in_the_email(client, advisor):
    response = login(client, "  CONSEIL@Exemple.TEST ")
    assert response.status_code == 303


def test_wrong_password_and_unknown_email_get_the_same_answer(client, advisor):
    wrong = login(client, advisor.email, "not the password at all")
    unknown = login(client, "personne@exemple.test", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert REFUSED in wrong.get_data(as_text=True)
    assert REFUSED in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_log_in(client, db):
    user = make_user("advisor", active=False)
    response = login(client, user.email)
    assert response.status_code == 401
    assert REFUSED in response.get_data(as_text=True)


def test_empty_login_form_is_refused_with_a_french_message(client, db):
    token = csrf_token(client)
    response = client.post("/login", data={"email": "", "password": "", "csrf_token": token})
    assert response.status_code == 400
    assert "Entrez votre courriel." in response.get_data(as_text=True)


def test_logout_returns_to_the_login_page(advisor_client):
    response = logout(advisor_client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/login")
    assert advisor_client.get("/").status_code == 302


def test_logout_ends_the_session_even_for_a_copy_of_the_old_cookie(app, advisor_client):
    stolen = advisor_client.get_cookie("caseflow_session").value
    logout(advisor_client)
    thief = app.test_client()
    thief.set_cookie("caseflow_session", stolen)
    response = thief.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_is_a_post_only(advisor_client):
    assert advisor_client.get("/logout").status_code == 405
    assert advisor_client.get("/").status_code == 200


def test_login_starts_a_new_session(app, client, advisor):
    client.get("/login")
    before = client.get_cookie("caseflow_session").value
    login(client, advisor.email)
    assert client.get_cookie("caseflow_session").value != before


def test_passwords_are_stored_as_argon2id(db, advisor):
    stored = db.session.get(User, advisor.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_password_is_rehashed_at_login_when_parameters_change(app, client, db, advisor):
    before = db.session.get(User, advisor.id).password_hash
    app.config["PASSWORD_HASH_TIME_COST"] = 2
    assert login(client, advisor.email).status_code == 303
    after = db.session.get(User, advisor.id).password_hash
    assert after != before and "t=2" in after


def test_repeated_failures_throttle_the_account(app, client, db, advisor):
    for _ in range(app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]):
        assert login(client, advisor.email, "guess guess guess").status_code == 401
    response = login(client, advisor.email)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_csrf_less_login_is_refused_and_records_nothing(client, db, advisor):
    response = client.post("/login", data={"email": advisor.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
    assert client.get("/").status_code == 302


def test_csrf_less_password_change_is_refused_and_changes_nothing(advisor_client, db, advisor):
    before = db.session.get(User, advisor.id).password_hash
    response = advisor_client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "un tout nouveau secret",
        "confirmation": "un tout nouveau secret"})
    assert response.status_code == 400
    assert db.session.get(User, advisor.id).password_hash == before


def test_csrf_less_logout_is_refused(advisor_client):
    assert advisor_client.post("/logout").status_code == 400
    assert advisor_client.get("/").status_code == 200


def test_password_change_ends_the_other_sessions(app, advisor_client, advisor):
    other = app.test_client()
    login(other, advisor.email)
    token = csrf_token(advisor_client, "/account/password")
    response = advisor_client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "un tout nouveau secret",
        "confirmation": "un tout nouveau secret", "csrf_token": token})
    assert response.status_code == 303
    assert advisor_client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert login(app.test_client(), advisor.email, "un tout nouveau secret").status_code == 303


def test_common_or_short_passwords_are_refused(advisor_client, db, advisor):
    before = db.session.get(User, advisor.id).password_hash
    for new, message in [("court", "au moins 10 caractères"),
                         ("motdepasse123", "trop courant")]:
        token = csrf_token(advisor_client, "/account/password")
        response = advisor_client.post("/account/password", data={
            "current_password": PASSWORD, "new_password": new, "confirmation": new,
            "csrf_token": token})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert db.session.get(User, advisor.id).password_hash == before


def test_deactivation_ends_the_users_sessions(coordinator_client, advisor_client, advisor):
    token = csrf_token(coordinator_client, "/admin/users")
    response = coordinator_client.post(f"/admin/users/{advisor.id}/active",
                                       data={"csrf_token": token})
    assert response.status_code == 303
    assert advisor_client.get("/").status_code == 302


def test_session_expires_after_idle_time(app, advisor_client):
    app.config["SESSION_IDLE_TIMEOUT"] = app.config["SESSION_IDLE_TIMEOUT"] * 0
    response = advisor_client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_session_cookie_is_http_only_and_same_site(client, advisor):
    response = login(client, advisor.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_never_redirects_to_another_site(client, advisor):
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/", data={
        "email": advisor.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
