"""The three roles' journeys in real Chromium, in French and English, desktop and phone.

Each page visited passes axe-core (no serious or critical violation), is no wider than the
viewport and is photographed to tests/artifacts/. Forms are sent with the keyboard.
"""

import re

import pytest

from tests.journeys import LOCALES, WIDTHS, LiveServer, Visit, browser_or_skip

COMBINATIONS = [(lang, width) for lang in LOCALES for width in WIDTHS]


@pytest.fixture(scope="module")
def chromium():
    sync_playwright = browser_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def hub(tmp_path_factory, chromium):
    server = LiveServer(tmp_path_factory.mktemp("journeys"))
    yield server
    server.stop()


def visit(chromium, hub, role, lang, width):
    size = WIDTHS[width]
    context = chromium.new_context(locale=LOCALES[lang], accept_downloads=True,
                                   viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, Visit(page, hub.url, f"{role}-{lang}-{width}")


def submit_with_enter(page, field_selector: str) -> None:
    """Send a form by pressing Enter in one of its fields, as a keyboard user does."""
    with page.expect_navigation():
        page.locator(field_selector).press("Enter")


def choose_with_keyboard(page, selector: str, label: str | None = None) -> None:
    """Choose an option of a list with the keyboard alone: type its first letters, or move
    to the next option; the choice must be the one the list then shows."""
    field = page.locator(selector)
    field.focus()
    before = field.input_value()
    if label:
        page.keyboard.type(label)
        assert field.evaluate("select => select.selectedOptions[0].text") == label
    else:
        page.keyboard.press("ArrowDown")
        assert field.input_value() != before, selector


WORDS = {
    "fr": {"saved_dossier": "ouvert", "intervention": "Intervention", "refer": "référé",
           "inbox": "Référencements"},
    "en": {"saved_dossier": "opened", "intervention": "Intervention", "refer": "referred",
           "inbox": "Referrals"},
}


@pytest.mark.parametrize(("lang", "width"), COMBINATIONS)
def test_advisor_partner_and_coordinator_journeys(chromium, hub, lang, width, tmp_path):
    # ---- the advisor: a new dossier, an intervention, a document, a financing line, a referral
    context, advisor = visit(chromium, hub, "advisor", lang, width)
    page = advisor.page
    advisor.login("conseil@pole-es.test")
    advisor.check("home")
    advisor.goto("/dossiers/", "caseload")
    advisor.goto("/dossiers/new", "new-dossier")
    # An empty form: the errors are announced and each one links to its field.
    submit_with_enter(page, "input[name=title]")
    summary = page.locator("[role=alert]").first
    assert summary.is_visible()
    link = summary.locator("a[href='#title']")
    assert link.count() == 1
    advisor.check("new-dossier-errors")
    link.press("Enter")
    assert page.evaluate("document.activeElement.id") == "title"
    title = f"Coopérative {lang}-{width}"
    page.locator("#title").fill(title)
    for name in ("territory", "sector", "stage", "legal_form", "origin", "promoter_gender"):
        choose_with_keyboard(page, f"select[name={name}]")
    page.locator("input[name=women_count]").fill("2")
    page.locator("input[name=men_count]").fill("1")
    submit_with_enter(page, "input[name=title]")
    found = re.search(r"/dossiers/\d+", page.url)
    assert found and "/new" not in page.url, page.url
    dossier_path = found.group(0)
    advisor.check("dossier")
    assert title in page.content()

    # The search: two keys from the search box to the first result.
    advisor.goto("/dossiers/", "caseload-search")
    page.locator("input[name=q]").fill(title)
    submit_with_enter(page, "input[name=q]")
    page.locator("input[name=q]").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#premier-resultat"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "premier-resultat"
    assert page.evaluate("document.activeElement.closest('tr').innerText").count(title) == 1

    advisor.goto(dossier_path + "/interventions/new", "new-intervention")
    assert page.locator("input[name=private]").is_checked(), "internal note is the default"
    page.locator("input[name=subjects]").first.check()
    page.locator("textarea[name=notes]").fill("Première rencontre du comité.")
    submit_with_enter(page, "input[name=minutes]")
    assert dossier_path in page.url and "/new" not in page.url, page.url
    advisor.check("dossier-with-intervention")

    document = tmp_path / "charte.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    advisor.goto(dossier_path + "/documents/charte", "document")
    page.locator("input[name=file]").set_input_files(str(document))
    with page.expect_navigation():
        page.locator("input[name=file]").locator("xpath=ancestor::form").locator(
            "[type=submit]").press("Enter")
    advisor.check("document-uploaded")
    assert "charte.pdf" in page.content()

    advisor.goto(dossier_path + "/financing/new", "new-financing-line")
    page.locator("select[name=fund]").select_option(index=1)
    choose_with_keyboard(page, "select[name=organisation]", "MRC de Bécancour")
    page.locator("input[name=amount_requested]").fill("25000")
    page.locator("input[name=investment]").fill("94115")
    page.locator("input[name=jobs_created]").fill("3")
    submit_with_enter(page, "input[name=amount_requested]")
    advisor.check("dossier-with-financing")
    text = page.inner_text("main").replace("\u00a0", " ").replace("\u202f", " ")
    assert ("25 000 $" if lang == "fr" else "$25,000") in text
    assert ("Seules les lignes autorisées" if lang == "fr" else "Only authorised lines") in text

    advisor.goto(dossier_path + "/referrals/new", "new-referral")
    page.locator("select[name=organisation]").select_option(label="MRC de Bécancour")
    page.locator("textarea[name=reason]").fill("Demande au fonds dédié de la MRC.")
    with page.expect_navigation():
        page.locator("main [type=submit]").last.press("Enter")
    advisor.check("referred")
    context.close()

    # ---- the partner: inbox, acknowledge, accept, decide the advisor's financing line
    context, partner = visit(chromium, hub, "partner", lang, width)
    page = partner.page
    partner.login("becancour@partenaires.test")
    partner.check("home")
    partner.goto("/partenaires/", "inbox")
    page.get_by_role("link", name=title).first.press("Enter")
    page.wait_for_load_state("load")
    referral_path = page.url.removeprefix(hub.url)
    partner.check("referral")
    for action in ("acknowledge", "accept"):
        button = page.locator(f"form[action$='/{action}'] [type=submit]")
        with page.expect_navigation():
            button.press("Enter")
        partner.check(f"referral-{action}")
    partner.goto(referral_path + "/financement", "financing-decision")
    page.locator("select[name=fund]").select_option(index=1)
    page.locator("input[name=amount_requested]").fill("25000")
    page.locator("input[name=amount_authorised]").fill("20000")
    page.locator("input[name=decided_on]").fill(__import__("caseflow.database").database.hub_today().isoformat())
    submit_with_enter(page, "input[name=amount_authorised]")
    partner.check("financing-decided")
    context.close()
    # The advisor sees the decision on the line they entered, investment carried over.
    context, advisor = visit(chromium, hub, "advisor", lang, width)
    advisor.login("conseil@pole-es.test")
    advisor.goto(dossier_path, "dossier-financing-decided")
    text = advisor.page.inner_text("main").replace("\u00a0", " ").replace("\u202f", " ")
    assert ("94 115 $" if lang == "fr" else "$94,115") in text
    context.close()

    # The advisor's line was decided, not doubled, and the advisor was told.
    with hub.app.app_context():
        from sqlalchemy import select

        from caseflow.dossiers.models import Dossier
        from caseflow.extensions import db
        from caseflow.notifications.models import Notification

        dossier = db.session.get(Dossier, int(dossier_path.rsplit("/", 1)[1]))
        lines = [(line.decision, line.amount_requested, line.amount_authorised,
                  line.investment, line.jobs_created) for line in dossier.financing_lines]
        assert lines == [("authorised", 25000, 20000, 94115, 3)], lines
        kinds = list(db.session.scalars(select(Notification.kind).where(
            Notification.dossier_id == dossier.id, Notification.user_id == dossier.advisor_id)))
        assert "financing.decided" in kinds, kinds

    # ---- the coordinator: home, report, export, audit log, users
    context, coordinator = visit(chromium, hub, "coordinator", lang, width)
    page = coordinator.page
    coordinator.login("coordination@pole-es.test")
    coordinator.check("home")
    coordinator.goto("/rapports/", "report")
    with page.expect_download() as download:
        page.locator("a[href*='export.xlsx']").first.press("Enter")
    assert download.value.suggested_filename.endswith(".xlsx")
    coordinator.goto("/audit/", "audit-log")
    coordinator.goto("/admin/users", "users")
    coordinator.goto("/referencements/", "referrals")
    context.close()
