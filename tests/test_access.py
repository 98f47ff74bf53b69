"""Every route is closed unless it says who may open it."""

import pytest
from werkzeug.routing import Rule

from caseflow.auth.access import PUBLIC, TOKEN, access_of
from tests.builders import csrf_token

# The privacy page names the person in charge for anyone (Law 25), logged in or not; the API's
# document and its reading page are public on purpose: they hold no data.
PUBLIC_ENDPOINTS = {"auth.login", "auth.language", "auth.set_password", "static",
                    "bootstrap.static", "privacy.policy", "api_pages.openapi", "api_pages.docs"}


def _url(rule: Rule) -> str:
    values = {name: 1 if "int" in type(rule._converters[name]).__name__.lower() else "x"
              for name in rule.arguments}
    return rule.build(values)[1]


def _rules(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_endpoint_makes_an_access_decision(app):
    with app.test_request_context():
        undecided = [rule.endpoint for rule in _rules(app) if access_of(rule.endpoint) is None]
    assert undecided == []


def test_only_the_expected_endpoints_are_public(app):
    with app.test_request_context():
        public = {rule.endpoint for rule in _rules(app) if access_of(rule.endpoint) == PUBLIC}
    assert public == PUBLIC_ENDPOINTS


def test_anonymous_visitors_are_sent_to_login_from_every_closed_route(app, client):
    token = csrf_token(client)
    with app.test_request_context():
        by_token = {rule.endpoint for rule in _rules(app) if access_of(rule.endpoint) == TOKEN}
    assert by_token
    checked = 0
    for rule in _rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(_url(rule), method=method, data={"csrf_token": token})
            if rule.endpoint in by_token:  # the API: no token, 401, never a page
                assert response.status_code == 401, (rule, method, response.status_code)
                continue
            assert response.status_code == 302, (rule, method, response.status_code)
            assert response.headers["Location"].startswith("/login"), rule
            checked += 1
    assert checked >= 4


@pytest.mark.parametrize("path", ["/admin/users"])
def test_partners_and_advisors_cannot_open_coordinator_pages(partner_client, advisor_client,
                                                             coordinator_client, path):
    assert partner_client.get(path).status_code == 403
    assert advisor_client.get(path).status_code == 403
    assert coordinator_client.get(path).status_code == 200


def test_a_partner_cannot_deactivate_anyone(partner_client, db, advisor):
    token = csrf_token(partner_client, "/")
    response = partner_client.post(f"/admin/users/{advisor.id}/active",
                                   data={"csrf_token": token})
    assert response.status_code == 404  # a route about one object never confirms it exists
    assert db.session.get(type(advisor), advisor.id).active


def test_forbidden_page_is_in_french_in_the_layout(partner_client):
    page = partner_client.get("/admin/users").get_data(as_text=True)
    assert "Accès refusé" in page and "caseflow" in page and "Se déconnecter" in page


def test_unknown_page_is_a_french_404(advisor_client):
    response = advisor_client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_unknown_user_id_is_a_404_and_changes_nothing(coordinator_client):
    token = csrf_token(coordinator_client, "/admin/users")
    response = coordinator_client.post("/admin/users/999999/active", data={"csrf_token": token})
    assert response.status_code == 404


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert headers["Cache-Control"] == "no-store"


def test_pages_carry_no_inline_script_or_style(coordinator_client):
    for path in ["/", "/admin/users", "/account/password"]:
        page = coordinator_client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and "<style" not in page


def test_assets_are_served_by_the_app(client):
    page = client.get("/login").get_data(as_text=True)
    assert "cdn." not in page
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200
    assert client.get("/static/caseflow.css").status_code == 200
