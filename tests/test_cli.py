"""The `caseflow` command: init-db, create-user, demo."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from caseflow.auth.models import User
from caseflow.desk.demo import DEMO_PASSWORD, DEMO_USERS
from caseflow.dossiers.search import is_search_object
from caseflow.reference.models import REFERENCE_LISTS, Organisation
from caseflow.reference.seed import ORGANISATIONS, REFERENCE_DATA
from tests.builders import login


def test_init_db_seeds_every_code_of_the_domain(runner, db):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    for list_name, rows in REFERENCE_DATA.items():
        model = REFERENCE_LISTS[list_name]
        codes = set(db.session.scalars(select(model.code)))
        assert codes == {code for code, _fr, _en in rows}, list_name
    organisations = set(db.session.scalars(select(Organisation.code)))
    assert organisations == {code for code, *_ in ORGANISATIONS}
    becancour = db.session.scalar(select(Organisation).where(Organisation.code == "cdc-becancour"))
    assert becancour.kind == "partenaire" and becancour.territory.code == "becancour"


def test_the_domain_codes_are_those_every_interface_accepts():
    assert [code for code, *_ in REFERENCE_DATA["territory"]] == [
        "arthabaska", "becancour", "drummond", "erable", "nicolet-yamaska"]
    assert {code for code, *_ in REFERENCE_DATA["fund"]} == {
        "fdt-es", "fli", "piec", "risq", "fiducie", "caisse-es", "services-quebec", "autre"}
    assert {code for code, *_ in REFERENCE_DATA["subject"]} == {
        "info-programmes", "gouvernance", "info-es", "reseau-express",
        "documents-constitutifs", "plan-affaires", "infrastructure", "gestion-courante",
        "commercialisation"}


def test_init_db_and_demo_twice_in_a_row(runner, db):
    for _ in range(2):
        assert runner.invoke(args=["init-db"]).exit_code == 0
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == len(DEMO_USERS)
    assert DEMO_PASSWORD in result.output
    assert "becancour@partenaires.test" in result.output


def test_every_demo_login_reaches_its_home_page_in_french(app, runner, db):
    runner.invoke(args=["demo"])
    for email, full_name, _role, _organisation in DEMO_USERS:
        client = app.test_client()
        response = login(client, email, DEMO_PASSWORD, follow=True)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, email
        assert f"Bonjour, {full_name}".replace("'", "&#39;") in page, email


def test_schema_from_migrations_matches_the_models(db):
    with db.engine.connect() as connection:
        # The search index differs by database and belongs to its migration, not the models.
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_object": lambda _obj, name, *_rest: not is_search_object(name)})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_create_user_reads_the_password_from_stdin(app, runner, db):
    result = runner.invoke(args=["create-user", "nouvelle@exemple.test", "--role", "partner",
                                 "--organisation", "mrc-drummond", "--name", "Nouvelle"],
                           input="une phrase assez longue\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "nouvelle@exemple.test"))
    assert user.organisation.code == "mrc-drummond" and user.role == "partner"
    assert login(app.test_client(), user.email, "une phrase assez longue").status_code == 303


def test_create_user_refuses_bad_input_and_creates_nothing(runner, db):
    cases = [
        (["a@exemple.test", "--role", "partner"], "organisation"),
        (["b@exemple.test", "--role", "partner", "--organisation", "inconnue"], "unknown"),
        (["c@exemple.test", "--role", "advisor"], "10 caractères"),
        (["d@exemple.test", "--role", "chef"], "Invalid value"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["create-user", *args], input="court\n")
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_a_duplicate_email(runner, db, advisor):
    result = runner.invoke(args=["create-user", advisor.email.upper(), "--role", "advisor"],
                           input="une phrase assez longue\n")
    assert result.exit_code != 0
    assert "existe déjà" in result.output
